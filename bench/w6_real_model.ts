/**
 * W6: forward of one 224x224 image through a real MXNet symbol file (ResNet-50 and Inception-BN
 * from ../shared/mxnet-files, random weights), with the executor's planned memory against one
 * buffer per node. TensorFlow.js cannot load MXNet files, so mxts runs alone here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as mx from '../src/index';
import { measure, report } from './harness';

const SYMBOLS = join(__dirname, '..', '..', 'shared', 'mxnet-files', 'symbols');

export async function benchW6(): Promise<void> {
  for (const file of ['plant-seeds_resnet-50-symbol.json', 'h2oai-deepwater_Inception-BN-symbol.json']) {
    const path = join(SYMBOLS, file);
    if (!existsSync(path)) {
      console.log(`\nW6: ${path} is absent; skipping ${file}`);
      continue;
    }
    const symbol = mx.sym.load(path);
    const exec = symbol.simpleBind(mx.cpu(), { shapes: { data: [1, 3, 224, 224] }, gradReq: 'null' });
    mx.random.seed(6);
    for (const [name, array] of Object.entries(exec.argDict)) if (name.endsWith('_weight')) array.set(mx.nd.normal(0, 0.05, array.shape));
    for (const [name, array] of Object.entries(exec.auxDict)) if (name.endsWith('_var')) array.set(1);
    exec.argDict['data']!.set(mx.nd.uniform(0, 1, [1, 3, 224, 224]));
    const results = measure([{ name: 'mxts Executor', run: () => void exec.forward(false) }], { rounds: 5, warmup: 1 });
    report(`W6 ${file}: forward of one 224x224 image`, results);
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    console.log(`  planned activation memory ${mb(exec.plannedBytes)} (one buffer per node: ${mb(exec.naiveBytes)})`);
  }
}

if (require.main === module) void benchW6();
