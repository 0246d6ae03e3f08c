/** Runs every workload: `npm run bench` from the project root. */
import { benchW1 } from './w1_matmul';
import { benchW2 } from './w2_mlp_train';
import { benchW3 } from './w3_elementwise';
import { benchW4 } from './w4_small_heads';
import { benchW5 } from './w5_lenet_train';
import { benchW6 } from './w6_real_model';

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${require('node:os').cpus().length} cores, ${require('node:os').cpus()[0]?.model ?? ''}`);
  await benchW1();
  await benchW2();
  await benchW3();
  await benchW4();
  await benchW5();
  await benchW6();
}

void main();
