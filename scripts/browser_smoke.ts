/**
 * Runs the blog experiments in headless Chromium from a browser bundle of src/index.ts, to check
 * that mxts works in a browser (no Node built-ins on the core path, WebAssembly kernels load).
 * Needs Debian's chromium (`apt-get install chromium`). Run: `npx tsx scripts/browser_smoke.ts`.
 * Prints the page's report and exits non-zero when a check fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import * as mxNode from '../src/index';

/**
 * A small conv net's forward and backward (convolution, tanh, 2x2 max pooling, BatchNorm, relu,
 * FullyConnected, SoftmaxOutput), seeded, as plain JavaScript source: the page runs it and must
 * match the numbers Node computes from the same source, so the browser's kernel paths
 * (single-threaded GEMM, WebAssembly on non-shared memories) agree with Node's threaded ones.
 */
const CONV_NET_DIGEST = `(mx) => {
  mx.random.seed(11);
  let net = mx.sym.Convolution(mx.sym.Variable('data'), { kernel: [3, 3], num_filter: 8, name: 'conv' });
  net = mx.sym.Activation(net, { act_type: 'tanh' });
  net = mx.sym.Pooling(net, { pool_type: 'max', kernel: [2, 2], stride: [2, 2] });
  net = mx.sym.BatchNorm(net, { fix_gamma: false, name: 'bn' });
  net = mx.sym.Activation(net, { act_type: 'relu' });
  net = mx.sym.FullyConnected(mx.sym.Flatten(net), { num_hidden: 10, name: 'fc' });
  net = mx.sym.SoftmaxOutput(net, { name: 'softmax' });
  const exec = net.simpleBind(mx.cpu(), { shapes: { data: [16, 3, 20, 20] }, gradReq: 'write' });
  for (const [name, array] of Object.entries(exec.argDict)) {
    if (name === 'softmax_label') array.set(Array.from({ length: 16 }, (_, i) => i % 10));
    else array.set(mx.nd.uniform(-0.5, 0.5, array.shape));
  }
  exec.forward(true);
  exec.backward();
  const sum = (a) => a.reduce((s, v) => s + v, 0);
  const abs = (a) => a.reduce((s, v) => s + Math.abs(v), 0);
  return [sum(exec.outputs[0].data), abs(exec.gradDict.conv_weight.data), abs(exec.gradDict.bn_gamma.data), abs(exec.gradDict.data.data)];
}`;
const convNetDigest = new Function(`return ${CONV_NET_DIGEST}`)() as (mx: typeof mxNode) => number[];
const expectedDigest = convNetDigest(mxNode);

const dir = mkdtempSync(join(tmpdir(), 'mxts-browser-'));
buildSync({ entryPoints: [join(__dirname, '..', 'src', 'index.ts')], bundle: true, platform: 'browser', format: 'esm', outfile: join(dir, 'mxts.js') });

const page = `<!doctype html><html><body><pre id="report">not run</pre><script type="module">
import * as mx from './mxts.js';
const lines = [];
const check = (name, ok) => lines.push((ok ? 'PASS ' : 'FAIL ') + name);
try {
  const out = mx.nd.LogisticRegressionOutput(mx.nd.ones([3, 4]), mx.nd.zeros([3, 4]));
  check('forward sigmoid(1) = 0.7310586', Math.abs(out.data[0] - 0.7310586) < 1e-7);
  const m = mx.sym.Variable('m'), n = mx.sym.Variable('n');
  const exec = mx.sym.SoftmaxOutput({ data: m, label: n }).bind(mx.cpu(), { m: mx.nd.ones([3, 4]), n: mx.nd.zeros([3, 4]).add(0.7) });
  exec.forward(true);
  exec.backward();
  check('SoftmaxOutput probability-label gradient -0.45', Math.abs(exec.gradDict.m.data[0] + 0.45) < 1e-6);
  const a = mx.nd.uniform(-1, 1, [64, 96]), b = mx.nd.uniform(-1, 1, [96, 80]);
  const c = mx.nd.dot(a, b);
  let worst = 0;
  for (let i = 0; i < 64; i++) for (let j = 0; j < 80; j++) {
    let s = 0; for (let k = 0; k < 96; k++) s += a.data[i * 96 + k] * b.data[k * 80 + j];
    worst = Math.max(worst, Math.abs(s - c.data[i * 80 + j]));
  }
  check('64x96x80 dot (WebAssembly GEMM) matches a float64 loop', worst < 1e-4);
  const s = mx.nd.softmax(mx.nd.uniform(-3, 3, [16, 100]));
  let rowSum = 0; for (let j = 0; j < 100; j++) rowSum += s.data[j];
  check('softmax rows sum to 1 (WebAssembly SIMD kernel)', Math.abs(rowSum - 1) < 1e-5);
  check('toString', out.toString().startsWith('array([[0.7310586, 0.7310586'));
  const digest = (${CONV_NET_DIGEST})(mx);
  const expected = ${JSON.stringify(expectedDigest)};
  check('conv net forward/backward matches Node (' + digest.map((v) => v.toPrecision(7)).join(', ') + ')',
    digest.every((v, i) => Math.abs(v - expected[i]) <= 1e-4 * Math.abs(expected[i])));
} catch (e) {
  lines.push('FAIL threw ' + e);
}
document.getElementById('report').textContent = lines.join('\\n');
</script></body></html>`;
writeFileSync(join(dir, 'index.html'), page);

const dom = execFileSync('chromium', [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--allow-file-access-from-files', `--user-data-dir=${join(dir, 'profile')}`,
  '--virtual-time-budget=10000', '--dump-dom', `file://${join(dir, 'index.html')}`,
], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'ignore'] });
const report = /<pre id="report">([\s\S]*?)<\/pre>/.exec(dom)?.[1] ?? '(no report)';
console.log(report);
process.exit(report.includes('FAIL') || !report.includes('PASS') ? 1 : 0);
