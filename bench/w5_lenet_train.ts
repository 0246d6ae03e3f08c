/**
 * W5: one LeNet training step (batch 64, 1x28x28; conv 20@5x5, tanh, max-pool 2, conv 50@5x5,
 * tanh, max-pool 2, fc 500, tanh, fc 10, softmax cross-entropy, SGD through each library's own
 * optimizer), mxts vs TensorFlow.js.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as mx from '../src/index';
import { measure, report } from './harness';

const BATCH = 64;
const LR = 0.01;

export function lenetSymbol(): mx.Symbol {
  let net: mx.Symbol = mx.sym.Variable('data');
  net = mx.sym.Convolution(net, { kernel: [5, 5], num_filter: 20, name: 'conv1' });
  net = mx.sym.Activation(net, { act_type: 'tanh' });
  net = mx.sym.Pooling(net, { pool_type: 'max', kernel: [2, 2], stride: [2, 2] });
  net = mx.sym.Convolution(net, { kernel: [5, 5], num_filter: 50, name: 'conv2' });
  net = mx.sym.Activation(net, { act_type: 'tanh' });
  net = mx.sym.Pooling(net, { pool_type: 'max', kernel: [2, 2], stride: [2, 2] });
  net = mx.sym.Flatten(net);
  net = mx.sym.FullyConnected(net, { num_hidden: 500, name: 'fc1' });
  net = mx.sym.Activation(net, { act_type: 'tanh' });
  net = mx.sym.FullyConnected(net, { num_hidden: 10, name: 'fc2' });
  return mx.sym.SoftmaxOutput(net, { name: 'softmax' });
}

function mxtsStep(): () => void {
  const net = lenetSymbol();
  const params = net.listArguments().filter((n) => n !== 'data' && n !== 'softmax_label');
  const gradReq = Object.fromEntries(params.map((n) => [n, 'write' as const]));
  const exec = net.simpleBind(mx.cpu(), { shapes: { data: [BATCH, 1, 28, 28] }, gradReq });
  mx.random.seed(5);
  for (const name of params) if (name.endsWith('_weight')) exec.argDict[name]!.set(mx.nd.uniform(-0.1, 0.1, exec.argDict[name]!.shape));
  exec.argDict['data']!.set(mx.nd.uniform(0, 1, [BATCH, 1, 28, 28]));
  exec.argDict['softmax_label']!.set(Array.from({ length: BATCH }, (_, i) => i % 10));
  const updater = mx.optimizer.getUpdater(new mx.optimizer.SGD({ learningRate: LR, rescaleGrad: 1 / BATCH }));
  const weights = params.map((n) => exec.argDict[n]!);
  const grads = params.map((n) => exec.gradDict[n]!);
  return () => {
    exec.forward(true);
    exec.backward();
    for (let i = 0; i < weights.length; i++) updater.call(i, grads[i]!, weights[i]!);
  };
}

function tfjsStep(): { run: () => void; dispose: () => void } {
  const vars = {
    c1: tf.variable(tf.randomUniform([5, 5, 1, 20], -0.1, 0.1)), b1: tf.variable(tf.zeros([20])),
    c2: tf.variable(tf.randomUniform([5, 5, 20, 50], -0.1, 0.1)), b2: tf.variable(tf.zeros([50])),
    f1: tf.variable(tf.randomUniform([800, 500], -0.1, 0.1)), b3: tf.variable(tf.zeros([500])),
    f2: tf.variable(tf.randomUniform([500, 10], -0.1, 0.1)), b4: tf.variable(tf.zeros([10])),
  };
  const x = tf.randomUniform([BATCH, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, (_, i) => i % 10), 'int32'), 10);
  const optimizer = tf.train.sgd(LR);
  const loss = () => {
    let h: tf.Tensor4D = tf.maxPool(tf.tanh(tf.add(tf.conv2d(x as tf.Tensor4D, vars.c1, 1, 'valid'), vars.b1)), 2, 2, 'valid');
    h = tf.maxPool(tf.tanh(tf.add(tf.conv2d(h, vars.c2, 1, 'valid'), vars.b2)), 2, 2, 'valid');
    const flat = tf.reshape(h, [BATCH, 800]);
    const logits = tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(flat, vars.f1), vars.b3)), vars.f2), vars.b4);
    return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
  };
  return {
    run: () => { const l = optimizer.minimize(loss, true); l?.dataSync(); l?.dispose(); },
    dispose: () => [...Object.values(vars), x, y].forEach((t) => t.dispose()),
  };
}

/** LeNet inference (forward only) for both, since tfjs-wasm cannot run the training step. */
function inferencePair(): { mxts: () => void; tfjs: () => void; dispose: () => void } {
  const exec = lenetSymbol().simpleBind(mx.cpu(), { shapes: { data: [BATCH, 1, 28, 28] }, gradReq: 'null' });
  mx.random.seed(8);
  for (const [name, array] of Object.entries(exec.argDict)) if (name.endsWith('_weight')) array.set(mx.nd.uniform(-0.1, 0.1, array.shape));
  const w = {
    c1: tf.randomUniform([5, 5, 1, 20], -0.1, 0.1), c2: tf.randomUniform([5, 5, 20, 50], -0.1, 0.1),
    f1: tf.randomUniform([800, 500], -0.1, 0.1), f2: tf.randomUniform([500, 10], -0.1, 0.1),
  };
  const x = tf.randomUniform([BATCH, 28, 28, 1]) as tf.Tensor4D;
  const forward = () => tf.tidy(() => {
    let h = tf.maxPool(tf.tanh(tf.conv2d(x, w.c1 as tf.Tensor4D, 1, 'valid')), 2, 2, 'valid');
    h = tf.maxPool(tf.tanh(tf.conv2d(h, w.c2 as tf.Tensor4D, 1, 'valid')), 2, 2, 'valid');
    return tf.softmax(tf.matMul(tf.tanh(tf.matMul(tf.reshape(h, [BATCH, 800]), w.f1)), w.f2)).dataSync();
  });
  return { mxts: () => void exec.forward(false), tfjs: () => void forward(), dispose: () => [...Object.values(w), x].forEach((t) => t.dispose()) };
}

export async function benchW5(): Promise<void> {
  const step = mxtsStep();
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    await tf.ready();
    const inference = inferencePair();
    const inferenceResults = measure([
      { name: 'mxts Executor', run: inference.mxts },
      { name: `tfjs-${backend}`, run: inference.tfjs, teardown: inference.dispose },
    ], { rounds: backend === 'cpu' ? 2 : 9, warmup: 1 });
    report(`W5b LeNet inference, batch ${BATCH} (mxts vs tfjs-${backend})`, inferenceResults);
    const peer = tfjsStep();
    try {
      peer.run();
    } catch (error) {
      // tfjs-wasm 4.22 registers no Conv2DBackpropFilter kernel: it cannot train a conv net.
      console.log(`\nW5 LeNet train step: tfjs-${backend} cannot run it (${(error as Error).message})`);
      peer.dispose();
      continue;
    }
    const results = measure([
      { name: 'mxts Executor', run: step },
      { name: `tfjs-${backend}`, run: peer.run, teardown: peer.dispose },
    ], { rounds: backend === 'cpu' ? 1 : 9, warmup: backend === 'cpu' ? 0 : 1 });
    report(`W5 LeNet train step, batch ${BATCH}, 1x28x28 (mxts vs tfjs-${backend})`, results);
  }
}

if (require.main === module) void benchW5();
