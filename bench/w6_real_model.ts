/**
 * W6: forward of one 224x224 image through a real MXNet symbol file (ResNet-50 and Inception-BN
 * from ../shared/mxnet-files, random weights), with the executor's planned memory against one
 * buffer per node. TensorFlow.js cannot load MXNet files, so mxts runs alone here.
 */
import { join } from 'node:path';
import * as mx from '../src/index';
import { measure, report } from './harness';
import { W6_FILES, W6_SYMBOLS, w6RealModel } from './workloads';

export async function benchW6(): Promise<void> {
  for (const file of W6_FILES) {
    const model = w6RealModel(mx, file);
    if (!model) {
      console.log(`\nW6: ${join(W6_SYMBOLS, file)} is absent; skipping ${file}`);
      continue;
    }
    const { exec, run } = model;
    const results = measure([{ name: 'mxts Executor', run }], { rounds: 5, warmup: 1 });
    report(`W6 ${file}: forward of one 224x224 image`, results);
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    console.log(`  planned activation memory ${mb(exec.plannedBytes)} (one buffer per node: ${mb(exec.naiveBytes)})`);
  }
}

if (require.main === module) void benchW6();
