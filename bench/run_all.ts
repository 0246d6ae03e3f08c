/** Runs every workload: `npm run bench` from the project root. */
import { benchW1 } from './w1_matmul';
import { benchW2 } from './w2_mlp_train';
import { benchW4 } from './w4_small_heads';

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${require('node:os').cpus().length} cores, ${require('node:os').cpus()[0]?.model ?? ''}`);
  await benchW1();
  await benchW2();
  await benchW4();
}

void main();
