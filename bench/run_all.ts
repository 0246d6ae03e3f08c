/** Runs every workload: `npm run bench` from the project root. */
import * as mx from '../src/index';
import { measurePeaks, printPeaks } from './peak';
import { benchW1 } from './w1_matmul';
import { benchW2 } from './w2_mlp_train';
import { benchW3 } from './w3_elementwise';
import { benchW4 } from './w4_small_heads';
import { benchW5 } from './w5_lenet_train';
import { benchW6 } from './w6_real_model';
import { benchW7 } from './w7_onnx_peers';

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${require('node:os').cpus().length} cores, ${require('node:os').cpus()[0]?.model ?? ''}, load ${require('node:os').loadavg().map((l: number) => l.toFixed(1)).join(' ')}`);
  // mxts chose its kernels when it loaded (above); peak.ts may switch relaxed SIMD on afterwards.
  console.log('mxts backend:', JSON.stringify(mx.backendInfo()));
  printPeaks(await measurePeaks());
  await benchW1();
  await benchW2();
  await benchW3();
  await benchW4();
  await benchW5();
  await benchW6();
  await benchW7();
}

void main().then(() => process.exit(0));
