/**
 * W4: per-call overhead. A 3x4 LogisticRegressionOutput forward + backward (the blog experiment),
 * through mxts's Executor and through TensorFlow.js's gradient API on the cpu and wasm backends.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as mx from '../src/index';
import { Contender, measure, report } from './harness';
import { w4SmallHead } from './workloads';

export async function benchW4(): Promise<void> {
  const contenders: Contender[] = [
    { name: 'mxts Executor', run: w4SmallHead(mx).run },
  ];
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    await tf.ready();
    const m = tf.ones([3, 4]);
    const n = tf.zeros([3, 4]);
    // TensorFlow.js has no output op, so its cheapest equivalent is written by hand: the sigmoid
    // and the loss gradient (sigmoid(m) - n) / 4, both read back as mxts's buffers are readable.
    const name = `tfjs-${backend}`;
    const results = measure([...contenders, {
      name,
      run: () => {
        const out = tf.tidy(() => { const y = tf.sigmoid(m); const g = y.sub(n).div(4); return [y.dataSync(), g.dataSync()]; });
        void out;
      },
    }], { rounds: 25, inner: 2000 });
    report(`W4 3x4 sigmoid head forward+backward per call (mxts vs ${name})`, results);
  }
}

if (require.main === module) void benchW4();
