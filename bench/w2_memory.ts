/**
 * Resident memory over many W2 training steps: the executor allocates nothing per step, so the
 * resident size should stay flat after warm-up. Prints RSS every 1000 steps.
 * Run: `npx tsx w2_memory.ts [steps]` (default 10000).
 */
import { w2Model } from './w2_model';

export function benchW2Memory(steps = 10000): void {
  const { exec, step: trainStep } = w2Model(3);
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  console.log(`\nW2 memory: resident size over ${steps} training steps (planned ${mib(exec.plannedBytes)} MiB of activations and gradients)`);
  const start = Date.now();
  for (let step = 1; step <= steps; step++) {
    trainStep();
    if (step % 1000 === 0) {
      const { rss, heapUsed } = process.memoryUsage();
      console.log(`  step ${String(step).padStart(6)}  rss ${mib(rss)} MiB  heap ${mib(heapUsed)} MiB  ${((Date.now() - start) / step).toFixed(2)} ms/step`);
    }
  }
}

if (require.main === module) benchW2Memory(Number(process.argv[2]) || 10000);
