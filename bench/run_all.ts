/** Runs every workload: `npm run bench` from the project root. */
import { benchW4 } from './w4_small_heads';

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${require('node:os').cpus().length} cores, ${require('node:os').cpus()[0]?.model ?? ''}`);
  await benchW4();
}

void main();
