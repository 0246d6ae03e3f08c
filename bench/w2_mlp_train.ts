/**
 * W2: one training step of a 784-512-256-10 MLP on a batch of 128 (softmax cross-entropy, SGD):
 * mxts's Executor (forward, backward, SGD update by mxts's optimizer) against the same model in
 * TensorFlow.js (tf.train.sgd).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { BATCH, LR, SIZES, w2Model } from './w2_model';
import { measure, report } from './harness';

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
  const { step } = w2Model();
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
