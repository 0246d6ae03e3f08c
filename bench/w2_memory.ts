/**
 * Resident memory over many W2 training steps: the executor allocates nothing per step, so the
 * resident size should stay flat after warm-up. Prints RSS every 1000 steps.
 * Run: `npx tsx w2_memory.ts [steps]` (default 10000).
 */
import * as mx from '../src/index';

function mlp(): mx.Executor {
  let net: mx.Symbol = mx.sym.Variable('data');
  [512, 256, 10].forEach((n, i) => {
    net = mx.sym.FullyConnected(net, { num_hidden: n, name: `fc${i + 1}` });
    if (i < 2) net = mx.sym.Activation(net, { act_type: 'relu' });
  });
  net = mx.sym.SoftmaxOutput(net, { name: 'softmax' });
  const params = net.listArguments().filter((n) => n !== 'data' && n !== 'softmax_label');
  const exec = net.simpleBind(mx.cpu(), { shapes: { data: [128, 784] }, gradReq: Object.fromEntries(params.map((p) => [p, 'write' as const])) });
  mx.random.seed(3);
  for (const p of params) if (p.endsWith('_weight')) exec.argDict[p]!.set(mx.nd.uniform(-0.05, 0.05, exec.argDict[p]!.shape));
  exec.argDict['data']!.set(mx.nd.uniform(0, 1, [128, 784]));
  exec.argDict['softmax_label']!.set(Array.from({ length: 128 }, (_, i) => i % 10));
  return exec;
}

export function benchW2Memory(steps = 10000): void {
  const exec = mlp();
  const grads = Object.entries(exec.gradDict).map(([name, g]) => [exec.argDict[name]!.data, g.data] as const);
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  console.log(`\nW2 memory: resident size over ${steps} training steps (planned ${mib(exec.plannedBytes)} MiB of activations and gradients)`);
  const start = Date.now();
  for (let step = 1; step <= steps; step++) {
    exec.forward(true);
    exec.backward();
    for (const [w, g] of grads) for (let i = 0; i < w.length; i++) w[i]! -= (0.01 / 128) * g[i]!;
    if (step % 1000 === 0) {
      const { rss, heapUsed } = process.memoryUsage();
      console.log(`  step ${String(step).padStart(6)}  rss ${mib(rss)} MiB  heap ${mib(heapUsed)} MiB  ${((Date.now() - start) / step).toFixed(2)} ms/step`);
    }
  }
}

if (require.main === module) benchW2Memory(Number(process.argv[2]) || 10000);
