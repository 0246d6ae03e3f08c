/** W1: 1024x1024 float32 matrix product, mxts (`mx.nd.dot`) against TensorFlow.js cpu and wasm. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as mx from '../src/index';
import { measure, report } from './harness';
import { gemmLimit, measurePeaks, printFraction } from './peak';
import { w1Operands } from './workloads';

export async function benchW1(n = 1024): Promise<void> {
  const { a, b } = w1Operands(mx, n);
  const flops = 2 * n * n * n;
  const info = mx.backendInfo();
  const limit = gemmLimit(await measurePeaks(), info.fma);
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    await tf.ready();
    const ta = tf.tensor2d(a.data, [n, n]);
    const tb = tf.tensor2d(b.data, [n, n]);
    const results = measure([
      { name: 'mxts nd.dot', run: () => void mx.nd.dot(a, b) },
      { name: `tfjs-${backend}`, run: () => { const c = tf.matMul(ta, tb); c.dataSync(); c.dispose(); } },
    ], { rounds: backend === 'cpu' ? 3 : 7, warmup: 1 });
    report(`W1 matmul ${n}x${n} (mxts vs tfjs-${backend})`, results, { unit: 'GFLOP/s', perCall: flops / 1e9 });
    const allThreads = info.threads > 1 ? limit.allThreads : limit.perThread;
    printFraction(`mxts on ${info.threads} thread(s)`, flops / 1e9 / (results[0]!.medianMs / 1000), allThreads, 'GFLOP/s', `${info.threads > 1 ? 'all-threads' : 'one-thread'} ${limit.label}`);
    ta.dispose();
    tb.dispose();
  }
}

if (require.main === module) void benchW1();
