/**
 * W5: one LeNet training step (batch 64, 1x28x28; conv 20@5x5, tanh, max-pool 2, conv 50@5x5,
 * tanh, max-pool 2, fc 500, tanh, fc 10, softmax cross-entropy, SGD through each library's own
 * optimizer), mxts vs TensorFlow.js.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as mx from '../src/index';
import { measure, report } from './harness';
import { W5_BATCH, W5_LR, lenetSymbol as sharedLenetSymbol, w5LenetInference, w5LenetTrain } from './workloads';

const BATCH = W5_BATCH;
const LR = W5_LR;

export function lenetSymbol(): mx.Symbol {
  return sharedLenetSymbol(mx);
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
    let h: tf.Tensor4D = tf.maxPool(tf.tanh(tf.add(tf.conv2d(x as tf.Tensor4D, vars.c1 as tf.Tensor4D, 1, 'valid'), vars.b1)), 2, 2, 'valid');
    h = tf.maxPool(tf.tanh(tf.add(tf.conv2d(h, vars.c2 as tf.Tensor4D, 1, 'valid'), vars.b2)), 2, 2, 'valid');
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
  const ours = w5LenetInference(mx);
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
  return { mxts: ours.run, tfjs: () => void forward(), dispose: () => [...Object.values(w), x].forEach((t) => t.dispose()) };
}

export async function benchW5(): Promise<void> {
  const step = w5LenetTrain(mx).run;
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
