/**
 * The machine's own limits, measured in the same run as the workloads so each workload can be
 * reported as a fraction of them:
 * - WebAssembly f32x4 arithmetic peak, per thread and on all threads: a loop of independent
 *   accumulator chains `acc = acc * m + c` (mul then add; nothing in it is loop-invariant, so the
 *   engine cannot hoist work out), and the same with relaxed SIMD's fused `f32x4.relaxed_madd`
 *   where the engine has it. Each multiply-add counts 2 flops per lane.
 * - Memory copy bandwidth, bytes read plus written per second (as W3 counts its GB/s), on one
 *   thread (`TypedArray.set`, a memcpy) and on all threads (each copying its own share).
 * Under Node 20 relaxed SIMD sits behind `--experimental-wasm-relaxed-simd`; this script sets that
 * flag (only when the engine lacks it) to measure the fused peak, after mxts has loaded and made
 * its own choice, which the output shows (`mx.backendInfo()`).
 * Run alone: `npx tsx bench/peak.ts` (bench/run_all.ts runs it first).
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import wabtFactory from 'wabt';

export interface Peaks {
  readonly threads: number;
  /** GFLOP/s with f32x4.mul + f32x4.add. */
  readonly mulAdd: { readonly perThread: number; readonly allThreads: number };
  /** GFLOP/s with f32x4.relaxed_madd; null where the engine has no relaxed SIMD. */
  readonly fma: { readonly perThread: number; readonly allThreads: number } | null;
  /** GB/s (read + written) of a large copy. */
  readonly copy: { readonly perThread: number; readonly allThreads: number };
}

/** Accumulator chains in the loop: mul (3 cycles) + add (3) at 2 of each per cycle wants 12. */
const CHAINS = 12;
const ITERATIONS = 2_000_000;
/** Copy size: well past the last-level cache (32 MiB of source, 32 of destination per thread). */
const COPY_FLOATS = 8 << 20;

function peakWat(fused: boolean): string {
  const acc = Array.from({ length: CHAINS }, (_, i) => `$a${i}`);
  const step = (a: string) => fused
    ? `(local.set ${a} (f32x4.relaxed_madd (local.get ${a}) (local.get $m) (local.get $c)))`
    : `(local.set ${a} (f32x4.add (f32x4.mul (local.get ${a}) (local.get $m)) (local.get $c)))`;
  const sum = acc.slice(1).reduce((s, a) => `(f32x4.add ${s} (local.get ${a}))`, `(local.get ${acc[0]})`);
  return `(module (memory (export "memory") 1)
  (func (export "run") (param $iters i32) (result f32)
    (local $m v128) (local $c v128) ${acc.map((a) => `(local ${a} v128)`).join(' ')}
    (local.set $m (v128.load (i32.const 0)))
    (local.set $c (v128.load (i32.const 16)))
    (loop $l
      ${acc.map(step).join('\n      ')}
      (local.set $iters (i32.sub (local.get $iters) (i32.const 1)))
      (br_if $l (local.get $iters)))
    (f32x4.extract_lane 0 ${sum})))`;
}

async function compile(fused: boolean): Promise<Uint8Array> {
  const wabt = await wabtFactory();
  const features = { simd: true, relaxed_simd: true };
  const module = wabt.parseWat('peak.wat', peakWat(fused), features);
  try {
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

/** Whether the engine validates relaxed SIMD now; under Node 20 it is switched on first. */
function relaxedSimd(probe: Uint8Array): boolean {
  if (WebAssembly.validate(probe)) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return WebAssembly.validate(probe);
}

/**
 * Set-up run by every thread (the caller's too, via `new Function`): instantiates and warms up,
 * then returns the timed part, which gives its best time in seconds. Source, so workers can eval it.
 */
const ARITH_SOURCE = `
  (bytes, iterations) => {
    const { run, memory } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
    new Float32Array(memory.buffer).set([0.999999, 0.999999, 0.999999, 0.999999, 1e-6, 1e-6, 1e-6, 1e-6]);
    // Many short calls first, so V8 tiers the loop up from its baseline compiler (no OSR in wasm).
    for (let i = 0; i < 200; i++) run(iterations / 200);
    return () => {
      let best = Infinity;
      for (let r = 0; r < 12; r++) {
        const start = performance.now();
        run(iterations);
        best = Math.min(best, (performance.now() - start) / 1000);
      }
      return best;
    };
  }`;

const COPY_SOURCE = `
  (shared, from, count) => {
    const all = new Float32Array(shared);
    const src = all.subarray(from, from + count);
    const dst = all.subarray(all.length / 2 + from, all.length / 2 + from + count);
    src.fill(1);
    dst.set(src);
    return () => {
      let best = Infinity;
      for (let r = 0; r < 8; r++) {
        const start = performance.now();
        dst.set(src);
        best = Math.min(best, (performance.now() - start) / 1000);
      }
      return best;
    };
  }`;

/**
 * Runs `source` on `threads` threads at once (threads - 1 workers plus this one), released
 * together; returns each thread's best time in seconds.
 */
async function together(source: string, threads: number, args: (index: number) => unknown[]): Promise<number[]> {
  const control = new SharedArrayBuffer(8);
  const ctl = new Int32Array(control);
  const workers = Array.from({ length: threads - 1 }, (_, i) => new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const timed = (${source})(...workerData.args);
     const ctl = new Int32Array(workerData.control);
     Atomics.add(ctl, 1, 1);
     Atomics.wait(ctl, 0, 0);
     parentPort.postMessage(timed());`,
    { eval: true, workerData: { args: args(i + 1), control } },
  ));
  const results = workers.map((w) => new Promise<number>((resolve, reject) => { w.once('message', resolve); w.once('error', reject); }));
  const timed = (new Function(`return (${source});`)() as (...a: unknown[]) => () => number)(...args(0));
  while (Atomics.load(ctl, 1) < threads - 1) await new Promise((r) => setTimeout(r, 5));
  Atomics.store(ctl, 0, 1);
  Atomics.notify(ctl, 0);
  const mine = timed();
  const times = [mine, ...(await Promise.all(results))];
  await Promise.all(workers.map((w) => w.terminate()));
  return times;
}

async function arithmetic(bytes: Uint8Array, threads: number): Promise<{ perThread: number; allThreads: number }> {
  const flops = ITERATIONS * CHAINS * 8;
  // A limit is the best seen: on a shared machine, the attempt least disturbed by other work.
  let perThread = 0;
  let allThreads = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const [one] = await together(ARITH_SOURCE, 1, () => [bytes, ITERATIONS]);
    const all = await together(ARITH_SOURCE, threads, () => [bytes, ITERATIONS]);
    perThread = Math.max(perThread, flops / one! / 1e9);
    allThreads = Math.max(allThreads, all.reduce((s, t) => s + flops / t / 1e9, 0));
  }
  return { perThread, allThreads };
}

async function copying(threads: number): Promise<{ perThread: number; allThreads: number }> {
  const shared = new SharedArrayBuffer(2 * COPY_FLOATS * threads * 4);
  const bytesEach = COPY_FLOATS * 4 * 2;
  let perThread = 0;
  let allThreads = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const [one] = await together(COPY_SOURCE, 1, () => [shared, 0, COPY_FLOATS]);
    const all = await together(COPY_SOURCE, threads, (i) => [shared, i * COPY_FLOATS, COPY_FLOATS]);
    perThread = Math.max(perThread, bytesEach / one! / 1e9);
    // All threads: the bytes everyone moved over the slowest thread's time.
    allThreads = Math.max(allThreads, (bytesEach * threads) / Math.max(...all) / 1e9);
  }
  return { perThread, allThreads };
}

let measured: Promise<Peaks> | undefined;

/** The limits, measured once per process. */
export function measurePeaks(threads = availableParallelism()): Promise<Peaks> {
  return (measured ??= (async () => {
    const mulAddBytes = await compile(false);
    const fmaBytes = await compile(true);
    const mulAdd = await arithmetic(mulAddBytes, threads);
    const fma = relaxedSimd(fmaBytes) ? await arithmetic(fmaBytes, threads) : null;
    const copy = await copying(threads);
    return { threads, mulAdd, fma, copy };
  })());
}

/** `value` as a percentage of `limit`, for the workloads' lines. */
export function percentOf(value: number, limit: number): string {
  return `${((100 * value) / limit).toFixed(0)}%`;
}

/** Prints a workload's rate as a fraction of a limit: `  of the limit: 41.2 / 88.0 GFLOP/s = 47%`. */
export function printFraction(what: string, value: number, limit: number, unit: string, limitName: string): void {
  console.log(`  ${what}: ${value.toFixed(1)} ${unit} = ${percentOf(value, limit)} of the ${limitName} (${limit.toFixed(1)} ${unit})`);
}

export function printPeaks(p: Peaks): void {
  const f = (x: number) => x.toFixed(1);
  console.log(`\nMachine limits (bench/peak.ts), ${p.threads} threads`);
  console.log(`  WebAssembly f32x4 mul+add       ${f(p.mulAdd.perThread).padStart(6)} GFLOP/s per thread  ${f(p.mulAdd.allThreads).padStart(6)} on all threads`);
  if (p.fma) console.log(`  WebAssembly f32x4 relaxed_madd  ${f(p.fma.perThread).padStart(6)} GFLOP/s per thread  ${f(p.fma.allThreads).padStart(6)} on all threads`);
  else console.log('  WebAssembly relaxed SIMD: not available in this engine');
  console.log(`  memory copy (read + written)    ${f(p.copy.perThread).padStart(6)} GB/s per thread     ${f(p.copy.allThreads).padStart(6)} on all threads`);
}

/** The arithmetic limit for mxts's GEMM path (fused where mxts chose relaxed SIMD). */
export function gemmLimit(p: Peaks, fused: boolean): { perThread: number; allThreads: number; label: string } {
  return fused && p.fma ? { ...p.fma, label: 'relaxed_madd peak' } : { ...p.mulAdd, label: 'mul+add peak' };
}

if (require.main === module) void measurePeaks().then(printPeaks);
