/**
 * The SIMD GEMM on several threads (Node's worker_threads): all instances share one memory, the
 * caller packs the operands once, and each thread computes a band of row panels of C. The same
 * workers run vector.wat kernels in place on executors' shared arenas (`vector`). Threads start
 * on first use, block on Atomics between jobs, and never keep the process alive.
 * Where threads or shared memory are unavailable (browsers without cross-origin isolation),
 * `threadedGemm()` returns null and the single-threaded kernel runs instead.
 */
import { WASM_BASE64 as MUL_ADD_BASE64 } from './generated/gemm_shared_wasm';
import { WASM_BASE64 as FMA_BASE64 } from './generated/gemm_fma_shared_wasm';
import { RELAXED_SIMD } from './features';
import { WASM_BASE64 as VECTOR_BASE64 } from './generated/vector_shared_wasm';
import { decodeBase64 } from './base64';
import { VECTOR_MAP_BY_CODE } from './codes';
import type { GemmModule, PackOperands } from './gemm_simd';
import { MAX_EXTRA_THREADS, MAX_WORKER_ARENAS, MR, NR, POOL_MAX_PAGES, WORKER_START_TIMEOUT_MS } from './tuning';

export interface ThreadedGemm {
  readonly memory: WebAssembly.Memory;
  /** The kernel's `gemm` on the whole of C (rows Np floats apart), split across threads by row or column panels. */
  readonly run: (mPanels: number, nPanels: number, K: number, ap: number, bp: number, cp: number) => void;
  /** Packs both operands, each thread taking a share of the A and B panels. */
  readonly pack: PackOperands;
  readonly threads: number;
  /**
   * Runs a vector.wat kernel on an arena (a shared memory holding an executor's arrays) on every
   * thread: `map` (code: SCALAR_CODES.vectorMap) over `n` floats (a multiple of 8 per part), or
   * `rows` softmax (code 1: log-softmax) over `n` rows of `cols`. Each part is a contiguous range;
   * rows parts leave their last row to the caller (a row's partial last vector stores into the
   * next row's output). `own` is the calling thread's instance on the same memory.
   */
  readonly vector: (memory: WebAssembly.Memory, job: 'map' | 'rows', code: number, src: number, dst: number, n: number, extra: number, own: VectorKernels) => void;
  /** Where part `w` of `total` items starts (part `threads - 1` is the caller's). */
  readonly partStart: (total: number, w: number) => number;
  /** Makes the workers drop their instances on `memory` now (an executor disposed of). */
  readonly release: (memory: WebAssembly.Memory) => void;
}

/** The vector.wat exports the pool's callers hand in for their own part. */
export interface VectorKernels {
  readonly exp: (src: number, dst: number, n: number, acc: number) => void;
  readonly sigmoid: (src: number, dst: number, n: number, acc: number) => void;
  readonly tanh: (src: number, dst: number, n: number, acc: number) => void;
  readonly softmax: (src: number, dst: number, rows: number, cols: number, log: number) => void;
}

/**
 * The control block the caller and the workers share (Int32 slots: job generation, finished count,
 * ready count, then WORKER_SLOTS per worker from HEADER_SLOTS) and the job codes a worker's slot 0
 * holds. Defined once: the worker's source below is generated from this object.
 */
const PROTOCOL = Object.freeze({
  GENERATION: 0,
  FINISHED: 1,
  READY: 2,
  HEADER_SLOTS: 8,
  WORKER_SLOTS: 16,
  /** A worker's slot set to 1 when it could not run a vector job (its part then runs on the caller). */
  FAILED: 15,
  JOB_GEMM: 1,
  JOB_PACK: 2,
  JOB_MAP: 3,
  JOB_ROWS: 4,
  /** vector.wat's maps by the code a map job carries. */
  VECTOR_MAP_BY_CODE,
});
const { GENERATION, FINISHED, READY, HEADER_SLOTS, WORKER_SLOTS, FAILED, JOB_GEMM, JOB_PACK, JOB_MAP, JOB_ROWS } = PROTOCOL;

/** Plain JavaScript run by each worker: instantiate on the shared memory, then serve jobs. */
const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { ${Object.keys(PROTOCOL).join(', ')} } = ${JSON.stringify(PROTOCOL)};
const { memory, bytes, vectorBytes, control, index, port } = workerData;
const ctl = new Int32Array(control);
const { gemm, packA, packB } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
const vectorModule = new WebAssembly.Module(vectorBytes);
// Arenas by id: the caller posts { id, memory } before a job on a new one, { id } when it is gone.
// NOTE: an instance keeps its shared memory alive until this thread's collector frees it, and
// this thread never returns to its event loop, where V8 would schedule that; so after letting
// arenas go it collects at once (a small heap: well under a millisecond).
const arenas = new Map();
let collect = null;
try {
  require('node:v8').setFlagsFromString('--expose-gc');
  collect = require('node:vm').runInNewContext('gc');
  require('node:v8').setFlagsFromString('--no-expose-gc');
} catch {}
const drain = () => {
  let dropped = false;
  for (let m; (m = receiveMessageOnPort(port)); ) {
    const { id, memory: arena } = m.message;
    if (arena) arenas.set(id, new WebAssembly.Instance(vectorModule, { env: { memory: arena, log: Math.log } }).exports);
    else dropped = arenas.delete(id) || dropped;
  }
  if (dropped && collect) collect();
};
Atomics.add(ctl, READY, 1);
Atomics.notify(ctl, READY);
let seen = 0;
for (;;) {
  Atomics.wait(ctl, GENERATION, seen);
  seen = Atomics.load(ctl, GENERATION);
  if (seen < 0) break;
  const b = HEADER_SLOTS + index * WORKER_SLOTS;
  const a = (i) => ctl[b + 1 + i];
  try {
    // Every job first takes the pending arena messages, so released arenas are let go promptly.
    drain();
    if (ctl[b] === JOB_GEMM && a(0) > 0 && a(1) > 0) gemm(a(0), a(1), a(2), a(3), a(4), a(5), a(6));
    if (ctl[b] === JOB_PACK) {
      packA(a(0), a(1), a(2), a(3), a(4), a(5), a(6));
      packB(a(7), a(2), a(8), a(9), a(10), a(11), a(12));
    }
    if (ctl[b] === JOB_MAP || ctl[b] === JOB_ROWS) {
      const k = arenas.get(a(0));
      if (!k) ctl[b + FAILED] = 1;
      else if (a(4) > 0 && ctl[b] === JOB_MAP) k[VECTOR_MAP_BY_CODE[a(1)]](a(2), a(3), a(4), a(5));
      else if (a(4) > 0) k.softmax(a(2), a(3), a(4), a(5), a(1));
    }
  } catch {
    ctl[b + FAILED] = 1;
  }
  Atomics.add(ctl, FINISHED, 1);
  Atomics.notify(ctl, FINISHED);
}
`;

interface Port {
  postMessage(message: unknown): void;
  unref(): void;
}

interface WorkerThreads {
  Worker: new (source: string, options: { eval: true; workerData: unknown; transferList: unknown[] }) => { unref(): void; terminate(): Promise<number> };
  MessageChannel: new () => { port1: Port; port2: Port };
}

/**
 * Threads to use besides the caller's: MXTS_NUM_THREADS - 1 if set (MXTS_NUM_THREADS=1: no pool),
 * else one per spare core (at most MAX_EXTRA_THREADS).
 */
function extraThreads(): number {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const fromEnv = Number(proc?.env?.['MXTS_NUM_THREADS']);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv - 1;
  const os = builtin<{ availableParallelism?: () => number; cpus(): unknown[] }>('os');
  const cores = os ? (os.availableParallelism?.() ?? os.cpus().length) : 1;
  return Math.max(0, Math.min(MAX_EXTRA_THREADS, cores - 1));
}

function builtin<T>(name: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.(name) as T | undefined;
}

let pool: ThreadedGemm | null | undefined;
/** Read once, when the backend loads: a process runs with one thread count throughout. */
const EXTRA_THREADS = extraThreads();
/** The GEMM kernel every thread runs: the one gemm_simd.ts runs on the calling thread alone. */
const WASM_BASE64 = RELAXED_SIMD.fused ? FMA_BASE64 : MUL_ADD_BASE64;

/**
 * Threads the GEMM and the vector kernels use (the caller's included), without starting the pool:
 * 1 where worker threads or shared memory are missing.
 */
export function configuredThreads(): number {
  const usable = builtin('worker_threads') !== undefined && typeof SharedArrayBuffer !== 'undefined';
  return usable ? EXTRA_THREADS + 1 : 1;
}

/** One part of a `vector` job on the calling thread. */
function runVectorPart(k: VectorKernels, job: 'map' | 'rows', code: number, src: number, dst: number, count: number, extra: number): void {
  if (count === 0) return;
  if (job === 'rows') k.softmax(src, dst, count, extra, code);
  else k[VECTOR_MAP_BY_CODE[code]!](src, dst, count, extra);
}

/** The threaded kernel, starting its workers on first call; null where it cannot run. */
export function threadedGemm(): ThreadedGemm | null {
  if (pool !== undefined) return pool;
  pool = null;
  try {
    const threads = builtin<WorkerThreads>('worker_threads');
    const workers = EXTRA_THREADS;
    if (!threads || workers === 0 || typeof SharedArrayBuffer === 'undefined') return pool;
    const bytes = decodeBase64(WASM_BASE64);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: POOL_MAX_PAGES, shared: true });
    const control = new SharedArrayBuffer(4 * (HEADER_SLOTS + workers * WORKER_SLOTS));
    const ctl = new Int32Array(control);
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as GemmModule;
    const vectorBytes = decodeBase64(VECTOR_BASE64);
    const ports: Port[] = [];
    const started = Array.from({ length: workers }, (_, index) => {
      const { port1, port2 } = new threads.MessageChannel();
      port1.unref();
      ports.push(port1);
      const worker = new threads.Worker(WORKER_SOURCE, { eval: true, workerData: { memory, bytes, vectorBytes, control, index, port: port2 }, transferList: [port2] });
      worker.unref();
      return worker;
    });
    // Workers start asynchronously; the caller is synchronous, so wait (bounded) for them here.
    const deadline = Date.now() + WORKER_START_TIMEOUT_MS;
    let ready: number;
    while ((ready = Atomics.load(ctl, READY)) < workers && Date.now() < deadline) Atomics.wait(ctl, READY, ready, 50);
    if (Atomics.load(ctl, READY) < workers) {
      started.forEach((w) => void w.terminate());
      return pool;
    }
    const parts = workers + 1;
    // Allocation-free dispatch (this runs for every product): arguments go straight into the
    // workers' control slots, and each part's band is computed where it is used.
    /** Start of part `w`'s band of `total` items; part `workers` is the caller's. */
    const bandStart = (total: number, w: number) => Math.min(total, w * Math.ceil(total / parts));
    const signal = () => {
      Atomics.store(ctl, FINISHED, 0);
      Atomics.add(ctl, GENERATION, 1);
      Atomics.notify(ctl, GENERATION);
    };
    const waitAll = () => {
      let finished: number;
      while ((finished = Atomics.load(ctl, FINISHED)) < workers) Atomics.wait(ctl, FINISHED, finished);
    };
    /**
     * Splits C into bands of row panels, or of column panels where that divides more evenly
     * (LeNet's first convolution: 5 row panels, 4608 column panels), one band per thread.
     */
    const run = (mPanels: number, nPanels: number, K: number, ap: number, bp: number, cp: number) => {
      const ldc = nPanels * NR * 4;
      const byColumns = Math.ceil(nPanels / parts) / nPanels < Math.ceil(mPanels / parts) / mPanels;
      const total = byColumns ? nPanels : mPanels;
      // Bytes from one band to the next: a row panel of packed A and of C, or a column panel of packed B and of C.
      const aStep = byColumns ? 0 : K * MR * 4;
      const bStep = byColumns ? K * NR * 4 : 0;
      const cStep = byColumns ? NR * 4 : ldc * MR;
      for (let w = 0; w < workers; w++) {
        const start = bandStart(total, w);
        const count = bandStart(total, w + 1) - start;
        const b = HEADER_SLOTS + w * WORKER_SLOTS;
        ctl[b] = JOB_GEMM;
        ctl[b + 1] = byColumns ? mPanels : count;
        ctl[b + 2] = byColumns ? count : nPanels;
        ctl[b + 3] = K;
        ctl[b + 4] = ap + start * aStep;
        ctl[b + 5] = bp + start * bStep;
        ctl[b + 6] = cp + start * cStep;
        ctl[b + 7] = ldc;
      }
      signal();
      const own = bandStart(total, workers);
      const count = total - own;
      if (count > 0) exports.gemm(byColumns ? mPanels : count, byColumns ? count : nPanels, K, ap + own * aStep, bp + own * bStep, cp + own * cStep, ldc);
      waitAll();
    };
    const pack = (M: number, N: number, K: number, transA: number, transB: number, rawA: number, rawB: number, ap: number, bp: number) => {
      const aPanels = Math.ceil(M / MR);
      const bPanels = Math.ceil(N / NR);
      for (let w = 0; w < workers; w++) {
        const b = HEADER_SLOTS + w * WORKER_SLOTS;
        ctl[b] = JOB_PACK;
        ctl[b + 1] = rawA;
        ctl[b + 2] = M;
        ctl[b + 3] = K;
        ctl[b + 4] = transA;
        ctl[b + 5] = bandStart(aPanels, w);
        ctl[b + 6] = bandStart(aPanels, w + 1);
        ctl[b + 7] = ap;
        ctl[b + 8] = rawB;
        ctl[b + 9] = N;
        ctl[b + 10] = transB;
        ctl[b + 11] = bandStart(bPanels, w);
        ctl[b + 12] = bandStart(bPanels, w + 1);
        ctl[b + 13] = bp;
      }
      signal();
      exports.packA(rawA, M, K, transA, bandStart(aPanels, workers), aPanels, ap);
      exports.packB(rawB, K, N, transB, bandStart(bPanels, workers), bPanels, bp);
      waitAll();
    };
    // Arenas the workers have instances on, by id, oldest first. The workers drop one when its
    // memory is collected here, when it is released, or when more than MAX_WORKER_ARENAS are
    // attached (an evicted arena that runs again is attached anew under a new id).
    // NOTE: no WeakRef here: a WeakRef keeps its target alive until the current job ends, and a
    // synchronous loop of binds never ends it.
    const arenaIds = new WeakMap<WebAssembly.Memory, number>();
    const attached: number[] = [];
    let nextId = 1;
    const detach = (id: number) => {
      const at = attached.indexOf(id);
      if (at < 0) return;
      attached.splice(at, 1);
      ports.forEach((port) => port.postMessage({ id }));
    };
    const collected = new FinalizationRegistry<number>(detach);
    const attach = (arena: WebAssembly.Memory): number => {
      let id = arenaIds.get(arena);
      if (id === undefined || !attached.includes(id)) {
        while (attached.length >= MAX_WORKER_ARENAS) detach(attached[0]!);
        arenaIds.set(arena, (id = nextId++));
        attached.push(id);
        ports.forEach((port) => port.postMessage({ id, memory: arena }));
        collected.register(arena, id);
      }
      return id;
    };
    const release = (arena: WebAssembly.Memory) => {
      const id = arenaIds.get(arena);
      if (id !== undefined) detach(id);
    };
    const vector = (arena: WebAssembly.Memory, job: 'map' | 'rows', code: number, src: number, dst: number, n: number, extra: number, own: VectorKernels) => {
      const id = attach(arena);
      // Part w covers items [w * step, (w + 1) * step): whole pairs of vectors for maps (n floats),
      // bands of rows for softmax (n rows of `extra` floats, each band's last row left out).
      const unit = job === 'map' ? 4 : extra * 4;
      const step = job === 'map' ? Math.ceil(n / parts / 8) * 8 : Math.ceil(n / parts);
      const rowsBand = job === 'rows' ? 1 : 0;
      for (let w = 0; w < workers; w++) {
        const from = Math.min(n, w * step);
        const b = HEADER_SLOTS + w * WORKER_SLOTS;
        ctl[b] = job === 'map' ? JOB_MAP : JOB_ROWS;
        ctl[b + 1] = id;
        ctl[b + 2] = code;
        ctl[b + 3] = src + from * unit;
        ctl[b + 4] = dst + from * unit;
        ctl[b + 5] = Math.max(0, Math.min(n, from + step) - from - rowsBand);
        ctl[b + 6] = extra;
        ctl[b + FAILED] = 0;
      }
      signal();
      const from = Math.min(n, workers * step);
      runVectorPart(own, job, code, src + from * unit, dst + from * unit, Math.max(0, n - from - rowsBand), extra);
      waitAll();
      // A worker that could not run its part (no instance on the arena) leaves it to the caller.
      for (let w = 0; w < workers; w++) {
        const b = HEADER_SLOTS + w * WORKER_SLOTS;
        if (ctl[b + FAILED] === 1) runVectorPart(own, job, code, ctl[b + 3]!, ctl[b + 4]!, ctl[b + 5]!, extra);
      }
    };
    const partStart = (total: number, w: number) => bandStart(total, w);
    pool = { memory, run, pack, threads: workers + 1, vector, partStart, release };
  } catch {
    pool = null;
  }
  return pool;
}

/** Makes the worker threads (if they run) let go of `memory` at once. */
export function releaseArenaFromWorkers(memory: WebAssembly.Memory): void {
  pool?.release(memory);
}
