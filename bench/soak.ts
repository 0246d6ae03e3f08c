/**
 * Soak: does memory stay flat over long runs? (issue 12; figures in docs/reliability.md, "Soak").
 *
 *   npx tsx bench/soak.ts            # worker threads on: MXTS_NUM_THREADS=2 unless set
 *   SOAK_SCALE=0.1 npx tsx bench/soak.ts   # a tenth of every count, for a quick look
 *
 * Phases: 100,000 training steps of a small MLP through Module (SGD with momentum); 1,000 cycles
 * of binding a >= 4 MiB executor, running it and disposing of it; 1,000 cycles of the same that
 * drop it instead (left to the collector); a 10^6-node chain built, bound and run forward.
 * RSS is read after a full garbage collection (a leak is memory that stays after one) at every
 * 1% of a loop phase. A loop phase is "flat within 5%" when the median of its last tenth of
 * readings is within 5% of the median of its second tenth (after warm-up: the first steps fill
 * caches, the allocator's pools and the JIT); see loop() for why medians.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

process.env['MXTS_NUM_THREADS'] ??= '2';
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const SCALE = Number(process.env['SOAK_SCALE'] ?? '1');
const count = (n: number) => Math.max(10, Math.round(n * SCALE));
const MiB = 2 ** 20;

function rssMiB(): number {
  collect();
  return process.memoryUsage().rss / MiB;
}

interface Verdict { phase: string; start: number; warm: number; end: number; flat: boolean | null; seconds: number }
const verdicts: Verdict[] = [];

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Least-squares slope of `values` against their index. */
function slope(values: readonly number[]): number {
  const n = values.length;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  values.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  return den ? num / den : 0;
}

/**
 * Runs `step(i)` n times, reading RSS (after a full collection) at every 1% and printing every 10%.
 * A single reading swings by +-15% with when the collectors and the allocator give pages back, so
 * the verdict compares medians of windows, not two readings: the window after warm-up (readings
 * 10-20%) against the last (90-100%). Flat means within 5%; the trend (least-squares slope over
 * the readings after warm-up) is printed with it, in MiB per 1,000 iterations.
 */
async function loop(phase: string, n: number, step: (i: number) => void | Promise<void>): Promise<void> {
  const started = Date.now();
  const start = rssMiB();
  console.log(`${phase}: ${n} iterations, RSS at start ${start.toFixed(1)} MiB`);
  const readings: number[] = [];
  const every = Math.max(1, Math.floor(n / 100));
  for (let i = 0; i < n; i++) {
    await step(i);
    if ((i + 1) % every === 0) {
      readings.push(rssMiB());
      if (readings.length % 10 === 0) {
        console.log(`  ${String(Math.round(((i + 1) / n) * 100)).padStart(3)}%  ${readings[readings.length - 1]!.toFixed(1)} MiB  (median of the last 10 readings ${median(readings.slice(-10)).toFixed(1)}; ${((Date.now() - started) / 1000).toFixed(1)} s)`);
      }
    }
  }
  const tenth = Math.max(1, Math.floor(readings.length / 10));
  const warm = median(readings.slice(tenth, 2 * tenth));
  const end = median(readings.slice(-tenth));
  const flat = Math.abs(end - warm) / warm <= 0.05;
  const trend = (slope(readings.slice(tenth)) * 1000) / every;
  verdicts.push({ phase, start, warm, end, flat, seconds: (Date.now() - started) / 1000 });
  console.log(`  ${phase}: ${flat ? 'flat within 5%' : 'NOT flat within 5%'} (medians ${warm.toFixed(1)} -> ${end.toFixed(1)} MiB, ${(((end - warm) / warm) * 100).toFixed(1)}%; trend ${trend.toFixed(1)} MiB per 1,000 iterations)`);
}

async function main(): Promise<void> {
  const mx = await import('mxts');
  console.log(`mxts soak: backend ${mx.getBackend()}, MXTS_NUM_THREADS=${process.env['MXTS_NUM_THREADS']}, scale ${SCALE}, node ${process.version}`);
  const begun = Date.now();
  const initial = rssMiB();

  // 1. Training steps of a small MLP (16-64-4, batch 32) through Module with SGD.
  {
    const data = mx.sym.Variable('data');
    const h = mx.sym.Activation({ data: mx.sym.FullyConnected({ data, num_hidden: 64, name: 'fc1' }), act_type: 'relu' });
    const net = mx.sym.SoftmaxOutput({ data: mx.sym.FullyConnected({ data: h, num_hidden: 4, name: 'fc2' }), name: 'softmax' });
    const mod = new mx.mod.Module({ symbol: net, logger: { info: () => undefined, warn: () => undefined } });
    mod.bind([['data', [32, 16]]], [['softmax_label', [32]]]);
    mod.initParams();
    mod.initOptimizer({ optimizer: 'sgd', optimizerParams: { learning_rate: 0.05, momentum: 0.9 } });
    let s = 1;
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
    const batches = Array.from({ length: 8 }, () => {
      const x = new Float32Array(32 * 16);
      const y = new Float32Array(32);
      for (let r = 0; r < 32; r++) {
        y[r] = r % 4;
        for (let c = 0; c < 16; c++) x[r * 16 + c] = rnd() - 0.5 + (c % 4 === r % 4 ? 1 : 0);
      }
      return { data: [mx.nd.array(x).reshape([32, 16])], label: [mx.nd.array(y)] };
    });
    await loop('train steps', count(100_000), (i) => {
      mod.forward(batches[i % batches.length]!, true);
      mod.backward();
      mod.update();
    });
    mod.dispose();
  }

  // 2 and 3. A ~5 MiB executor (an arena with the wasm backend), its GEMM and maps on the workers.
  const data = mx.sym.Variable('data');
  const fc = mx.sym.FullyConnected({ data, num_hidden: 512, name: 'fc' });
  const big = mx.sym.softmax({ data: mx.sym.Activation({ data: fc, act_type: 'sigmoid' }) });
  const bindRun = () => {
    const exec = big.simpleBind(mx.cpu(), { shapes: { data: [256, 1024] }, gradReq: 'null' });
    exec.forward(false);
    return exec;
  };
  {
    const probe = bindRun();
    const bytes = [...probe.argArrays, ...probe.auxArrays].reduce((sum, a) => sum + a.size * 4, probe.plannedBytes);
    console.log(`executor of the bind cycles: ${(bytes / MiB).toFixed(1)} MiB (arguments and planned outputs), memoryKind ${probe.memoryKind}`);
    probe.dispose();
  }
  await loop('bind/dispose cycles', count(1000), () => bindRun().dispose());
  // Dropped: a turn of the event loop per cycle, as a service has between requests.
  await loop('bind/drop cycles', count(1000), async () => {
    bindRun();
    await new Promise((resolve) => setImmediate(resolve));
  });

  // 4. A chain of 10^6 nodes (tanh on 4 floats): build, bind, forward.
  {
    const nodes = count(1_000_000);
    const t0 = Date.now();
    const before = rssMiB();
    let x = mx.sym.Variable('x');
    for (let i = 0; i < nodes - 1; i++) x = mx.sym.Activation({ data: x, act_type: 'tanh', name: `t${i}` });
    const built = rssMiB();
    const t1 = Date.now();
    const exec = x.simpleBind(mx.cpu(), { shapes: { x: [4] }, gradReq: 'null' });
    const bound = rssMiB();
    const t2 = Date.now();
    exec.argArrays[0]!.data.fill(0.5);
    const y = exec.forward(false)[0]!.data[0]!;
    const t3 = Date.now();
    const ran = rssMiB();
    console.log(`chain of ${nodes} nodes: RSS ${before.toFixed(1)} MiB before, ${built.toFixed(1)} built (${((t1 - t0) / 1000).toFixed(1)} s), ${bound.toFixed(1)} bound (${((t2 - t1) / 1000).toFixed(1)} s), ${ran.toFixed(1)} after forward (${((t3 - t2) / 1000).toFixed(1)} s), output ${y.toPrecision(6)}`);
    verdicts.push({ phase: `chain of ${nodes} nodes`, start: before, warm: built, end: ran, flat: null, seconds: (t3 - t0) / 1000 });
  }
  const released = rssMiB();
  console.log(`after the chain is dropped: ${released.toFixed(1)} MiB`);

  console.log(`\nsummary (RSS MiB; initial ${initial.toFixed(1)}, total ${((Date.now() - begun) / 1000).toFixed(0)} s)`);
  for (const v of verdicts) {
    const verdict = v.flat === null ? 'one-shot' : v.flat ? 'flat within 5%' : 'NOT flat within 5%';
    console.log(`  ${v.phase.padEnd(26)} start ${v.start.toFixed(1).padStart(7)}  10-20% ${v.warm.toFixed(1).padStart(7)}  90-100% ${v.end.toFixed(1).padStart(7)}  ${v.seconds.toFixed(0).padStart(5)} s  ${verdict}`);
  }
  const loops = verdicts.filter((v) => v.flat !== null);
  console.log(loops.every((v) => v.flat) ? 'verdict: flat within 5%' : `verdict: NOT flat within 5% (${loops.filter((v) => !v.flat).map((v) => v.phase).join(', ')})`);
}

void main();
