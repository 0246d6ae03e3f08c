/**
 * W3: element-wise throughput. Sigmoid over 4M floats and softmax over 4096 rows of 1000 floats,
 * in GB/s of bytes read plus written (8 bytes per element), through an mxts Executor (simpleBind:
 * its arrays live in WebAssembly memory and the kernels run on them in place), mxts's kernels on
 * JavaScript arrays (sigmoidInto, softmaxForward: copies through the module's memory), mxts's
 * imperative `mx.nd.sigmoid` / `mx.nd.softmax` (which also allocate the output), and TensorFlow.js
 * on the cpu and wasm backends: the op alone (its result stays in the backend, for wasm inside
 * the module's memory) and the op plus `dataSync()` (the result readable from JavaScript, as
 * mxts's outputs are). Also times the copies alone, the part of mxts's cost that tfjs-wasm,
 * whose tensors live in wasm memory, does not pay.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as mx from '../src/index';
import { softmaxForward } from '../src/backend/wasm/softmax';
import { sigmoidInto, vectorModule } from '../src/backend/wasm/vector_simd';
import { Contender, measure, report } from './harness';

const SIGMOID_N = 4 * 1024 * 1024;
const ROWS = 4096;
const COLS = 1000;

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 8 - 4;
}

export async function benchW3(): Promise<void> {
  const sx = Float32Array.from({ length: SIGMOID_N }, seeded(1));
  const sy = new Float32Array(SIGMOID_N);
  const mx4m = new mx.NDArray(sx, [SIGMOID_N]);
  const px = Float32Array.from({ length: ROWS * COLS }, seeded(2));
  const py = new Float32Array(ROWS * COLS);
  const mxRows = new mx.NDArray(px, [ROWS, COLS]);

  // The symbolic path: simpleBind puts a large executor's arrays in WebAssembly memory, where the
  // kernels run in place (no copies), as tfjs-wasm's tensors live in its heap.
  const bound = (net: mx.Symbol, shape: number[], data: Float32Array) => {
    const exec = net.simpleBind(mx.cpu(), { shapes: { data: shape }, gradReq: 'null' });
    exec.argDict['data']!.set(data);
    return () => void exec.forward();
  };
  const sigmoidOurs: Contender[] = [
    { name: 'mxts Executor', run: bound(mx.sym.sigmoid(mx.sym.Variable('data')), [SIGMOID_N], sx) },
    { name: 'mxts sigmoidInto', run: () => sigmoidInto(sx, sy, 'write') },
    { name: 'mxts nd.sigmoid', run: () => void mx.nd.sigmoid(mx4m) },
  ];
  const softmaxOurs: Contender[] = [
    { name: 'mxts Executor', run: bound(mx.sym.softmax(mx.sym.Variable('data')), [ROWS, COLS], px) },
    { name: 'mxts softmaxForward', run: () => softmaxForward(px, py, { outer: ROWS, n: COLS, inner: 1 }, 1, false, false) },
    { name: 'mxts nd.softmax', run: () => void mx.nd.softmax(mxRows) },
  ];

  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    await tf.ready();
    const tx = tf.tensor1d(sx);
    const tp = tf.tensor2d(px, [ROWS, COLS]);
    const name = `tfjs-${backend}`;
    // The cpu backend runs a 4M-element op in ~10-100 ms: fewer rounds keep the run short.
    const rounds = backend === 'cpu' ? 7 : 15;
    const sig = measure([...sigmoidOurs,
      { name, run: () => tf.sigmoid(tx).dispose() },
      { name: `${name} +dataSync`, run: () => { const y = tf.sigmoid(tx); y.dataSync(); y.dispose(); } },
    ], { rounds, warmup: 2 });
    report(`W3 sigmoid over 4M floats (mxts vs ${name})`, sig, { unit: 'GB/s', perCall: (SIGMOID_N * 8) / 1e9 });
    const sm = measure([...softmaxOurs,
      { name, run: () => tf.softmax(tp).dispose() },
      { name: `${name} +dataSync`, run: () => { const y = tf.softmax(tp); y.dataSync(); y.dispose(); } },
    ], { rounds, warmup: 2 });
    report(`W3 softmax over 4096x1000 rows (mxts vs ${name})`, sm, { unit: 'GB/s', perCall: (ROWS * COLS * 8) / 1e9 });
    tx.dispose();
    tp.dispose();
  }

  // Where mxts's time goes: the kernels alone on data already in wasm memory, and the copies.
  const mod = vectorModule();
  if (mod) {
    const bytes = SIGMOID_N * 4;
    const have = mod.memory.buffer.byteLength;
    if (2 * bytes + 64 > have) mod.memory.grow(Math.ceil((2 * bytes + 64 - have) / 65536));
    const heap = new Float32Array(mod.memory.buffer);
    heap.set(sx, 0);
    const chunk = 16384;
    const softmaxN = ROWS * COLS;
    const parts: (Contender & { elems: number })[] = [
      { name: 'mxts sigmoidInto', elems: SIGMOID_N, run: () => sigmoidInto(sx, sy, 'write') },
      { name: 'mxts softmaxForward', elems: softmaxN, run: () => softmaxForward(px, py, { outer: ROWS, n: COLS, inner: 1 }, 1, false, false) },
      { name: 'sigmoid kernel, 16K chunks in place', elems: SIGMOID_N, run: () => { for (let s = 0; s < SIGMOID_N; s += chunk) mod.sigmoid(0, 4 * (chunk + 8), chunk, 0); } },
      { name: 'softmax kernel, 16-row chunks in place', elems: softmaxN, run: () => { for (let r = 0; r < ROWS; r += 16) mod.softmax(0, 4 * (16 * COLS + 8), 16, COLS, 0); } },
      { name: 'sigmoid kernel, whole 16 MB', elems: SIGMOID_N, run: () => mod.sigmoid(0, bytes + 32, SIGMOID_N, 0) },
      {
        elems: SIGMOID_N,
        name: 'copies in+out only',
        run: () => {
          for (let s = 0; s < SIGMOID_N; s += chunk) {
            heap.set(sx.subarray(s, s + chunk), 0);
            sy.set(heap.subarray(chunk + 8, 2 * chunk + 8), s);
          }
        },
      },
      { name: 'one memcpy (y.set(x))', elems: SIGMOID_N, run: () => sy.set(sx) },
    ];
    // Medians and minima (the machine is shared: the minimum approximates an uncontended run).
    const samples = parts.map(() => [] as number[]);
    for (let round = 0; round < 27; round++) {
      parts.forEach((c, i) => {
        const start = process.hrtime.bigint();
        c.run();
        if (round >= 2) samples[i]!.push(Number(process.hrtime.bigint() - start) / 1e6);
      });
    }
    console.log("\nW3 where mxts's time goes (GB/s counts 8 bytes per element), median / minimum of 25");
    parts.forEach((c, i) => {
      const sorted = samples[i]!.sort((a, b) => a - b);
      const med = sorted[sorted.length >> 1]!;
      const min = sorted[0]!;
      const rate = (ms: number) => ((c.elems * 8) / 1e6 / ms).toFixed(2);
      console.log(`  ${c.name.padEnd(40)} ${med.toFixed(2).padStart(7)} / ${min.toFixed(2).padStart(6)} ms  ${rate(med).padStart(6)} / ${rate(min).padStart(6)} GB/s`);
    });
  }
}

if (require.main === module) void benchW3();
