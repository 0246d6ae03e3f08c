/**
 * W2: one training step of a 784-512-256-10 MLP on a batch of 128 (softmax cross-entropy, SGD):
 * mxts's Executor (forward, backward, in-place update) against the same model in TensorFlow.js.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as mx from '../src/index';
import { measure, report } from './harness';

const BATCH = 128;
const SIZES = [784, 512, 256, 10];
const LR = 0.01;

function mxtsStep(): () => void {
  let net: mx.Symbol = mx.sym.Variable('data');
  for (let i = 1; i < SIZES.length; i++) {
    net = mx.sym.FullyConnected(net, { num_hidden: SIZES[i]!, name: `fc${i}` });
    if (i < SIZES.length - 1) net = mx.sym.Activation(net, { act_type: 'relu', name: `relu${i}` });
  }
  net = mx.sym.SoftmaxOutput(net, { name: 'softmax' });
  const exec = net.simpleBind(mx.cpu(), { shapes: { data: [BATCH, SIZES[0]!] }, gradReq: { fc1_weight: 'write', fc1_bias: 'write', fc2_weight: 'write', fc2_bias: 'write', fc3_weight: 'write', fc3_bias: 'write' } });
  mx.random.seed(2);
  for (const [name, array] of Object.entries(exec.argDict)) {
    if (name.endsWith('_weight')) array.set(mx.nd.uniform(-0.05, 0.05, array.shape));
  }
  exec.argDict['data']!.set(mx.nd.uniform(0, 1, [BATCH, SIZES[0]!]));
  exec.argDict['softmax_label']!.set(Array.from({ length: BATCH }, (_, i) => i % 10));
  const params = Object.keys(exec.gradDict).map((name) => [exec.argDict[name]!.data, exec.gradDict[name]!.data] as const);
  return () => {
    exec.forward(true);
    exec.backward();
    for (const [weight, grad] of params) for (let i = 0; i < weight.length; i++) weight[i]! -= (LR / BATCH) * grad[i]!;
  };
}

function tfjsStep(): { run: () => void; dispose: () => void } {
  const weights = SIZES.slice(1).map((n, i) => tf.variable(tf.randomUniform([SIZES[i]!, n], -0.05, 0.05)));
  const biases = SIZES.slice(1).map((n) => tf.variable(tf.zeros([n])));
  const x = tf.randomUniform([BATCH, SIZES[0]!]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, (_, i) => i % 10), 'int32'), 10);
  const optimizer = tf.train.sgd(LR);
  const loss = () => {
    let h: tf.Tensor = x;
    weights.forEach((w, i) => {
      h = tf.add(tf.matMul(h, w), biases[i]!);
      if (i < weights.length - 1) h = tf.relu(h);
    });
    return tf.losses.softmaxCrossEntropy(y, h) as tf.Scalar;
  };
  return {
    run: () => { const l = optimizer.minimize(loss, true); l?.dataSync(); l?.dispose(); },
    dispose: () => [...weights, ...biases, x, y].forEach((t) => t.dispose()),
  };
}

export async function benchW2(): Promise<void> {
  const step = mxtsStep();
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    await tf.ready();
    const peer = tfjsStep();
    const results = measure([
      { name: 'mxts Executor', run: step },
      { name: `tfjs-${backend}`, run: peer.run, teardown: peer.dispose },
    ], { rounds: backend === 'cpu' ? 5 : 15, warmup: 2 });
    report(`W2 MLP train step, batch ${BATCH}, ${SIZES.join('-')} (mxts vs tfjs-${backend})`, results);
  }
}

if (require.main === module) void benchW2();
