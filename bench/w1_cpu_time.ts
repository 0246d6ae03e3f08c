/**
 * W1 (`mx.nd.dot` of two 1024x1024 matrices) timed in wall time and in CPU time of the process,
 * for one tree per process: on a shared machine, CPU time close to wall time says the run had its
 * cores to itself. Alternate trees in fresh processes for an A/B:
 *   MXTS_NUM_THREADS=1 npx tsx bench/w1_cpu_time.ts [tree]      # tree: a checkout (default: this one)
 */
import { resolve } from 'node:path';
import type * as MxModule from '../src/index';
import { w1Operands } from './workloads';

const tree = resolve(process.argv[2] ?? resolve(__dirname, '..'));
const mx = require(resolve(tree, 'src', 'index.ts')) as typeof MxModule;
const { a, b } = w1Operands(mx, 1024);
for (let i = 0; i < 3; i++) mx.nd.dot(a, b);
const cpu: number[] = [];
const wall: number[] = [];
for (let i = 0; i < 15; i++) {
  const usage = process.cpuUsage();
  const start = performance.now();
  mx.nd.dot(a, b);
  const used = process.cpuUsage(usage);
  wall.push(performance.now() - start);
  cpu.push((used.user + used.system) / 1000);
}
const median = (x: number[]) => x.sort((p, q) => p - q)[Math.floor(x.length / 2)]!;
const gflops = (ms: number) => ((2 * 1024 ** 3) / ms / 1e6).toFixed(1);
console.log(`${tree}: wall ${median(wall).toFixed(1)} ms (${gflops(median(wall))} GFLOP/s), CPU ${median(cpu).toFixed(1)} ms (${gflops(median(cpu))} GFLOP/s of CPU time)`);
