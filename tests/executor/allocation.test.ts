/**
 * The executor's hot path allocates no buffers: once warmed up (the JIT has optimized the ops),
 * forward and backward of an MLP and of a small convolutional net add almost nothing to the heap.
 * Each net's activations are tens of KiB, so a step that allocated even one output buffer would
 * show up far above the bound (typed-array storage counts: it lives outside the JS heap) in every
 * measured window.
 */
import * as mx from 'mxts';

function heapGrowthPerStep(exec: mx.Executor, warmup: number, steps: number): number {
  for (let i = 0; i < warmup; i++) {
    exec.forward(true);
    exec.backward();
  }
  // Typed-array storage lives outside the JS heap: count both.
  const used = () => {
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  // The least of five windows: a step that allocates shows in every one, while a late JIT tier
  // or a collection's bookkeeping (seen on a loaded machine) lands in one window at most.
  let least = Infinity;
  for (let window = 0; window < 5; window++) {
    const before = used();
    for (let i = 0; i < steps; i++) {
      exec.forward(true);
      exec.backward();
    }
    least = Math.min(least, (used() - before) / steps);
  }
  return least;
}

function bound(net: mx.Symbol, data: number[]): mx.Executor {
  const exec = net.simpleBind(mx.cpu(), { shapes: { data }, gradReq: 'write' });
  mx.random.seed(1);
  for (const [name, array] of Object.entries(exec.argDict)) if (name !== 'softmax_label') array.set(mx.nd.uniform(-0.5, 0.5, array.shape));
  return exec;
}

/** Far below one activation buffer of either net (the smallest is 32 x 128 floats = 16 KiB). */
const BOUND_BYTES = 4096;

test('an MLP step allocates (almost) nothing once warm', () => {
  let net = mx.sym.FullyConnected(mx.sym.Variable('data'), { num_hidden: 128, name: 'fc1' });
  net = mx.sym.Activation(net, { act_type: 'relu' });
  net = mx.sym.FullyConnected(net, { num_hidden: 10, name: 'fc2' });
  const exec = bound(mx.sym.SoftmaxOutput(net, { name: 'softmax' }), [32, 64]);
  expect(heapGrowthPerStep(exec, 3000, 100)).toBeLessThan(BOUND_BYTES);
});

test('a convolutional step allocates (almost) nothing once warm', () => {
  let net = mx.sym.Convolution(mx.sym.Variable('data'), { kernel: [3, 3], num_filter: 8, name: 'conv' });
  net = mx.sym.Activation(net, { act_type: 'tanh' });
  net = mx.sym.Pooling(net, { pool_type: 'max', kernel: [2, 2], stride: [2, 2] });
  net = mx.sym.FullyConnected(mx.sym.Flatten(net), { num_hidden: 10, name: 'fc' });
  const exec = bound(mx.sym.SoftmaxOutput(net, { name: 'softmax' }), [16, 1, 18, 18]);
  // conv output: 16 x 8 x 16 x 16 floats = 128 KiB
  expect(heapGrowthPerStep(exec, 1500, 100)).toBeLessThan(BOUND_BYTES);
});
