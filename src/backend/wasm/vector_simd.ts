/**
 * The WebAssembly SIMD element-wise kernels (vector.wat): exp, sigmoid, tanh and row (log-)softmax.
 * Operands pass through the module's memory in chunks of CHUNK floats (whole rows for softmax), so
 * each chunk is copied in, computed and copied out while it is still in cache. Small arrays, and
 * hosts without WebAssembly SIMD, take the plain loops, which agree within float32 rounding.
 *
 * Accuracy against float64 (seeded inputs over the whole float32 range and the edges, over 20M
 * values each; measured maximum relative error, and the bound vector_simd.test.ts asserts):
 * exp 0.89e-7 (1.0e-7), sigmoid 1.84e-7 (2.0e-7), tanh 1.42e-7 (1.5e-7), softmax 1.90e-7 (2.0e-7),
 * log-softmax 1.1e-7 (1.2e-7). Errors are relative to max(|reference|, 2^-126), so denormal results count
 * absolutely; for log-softmax to max(|reference|, 1e-6), since its entries near 0 are
 * -log(1 + eps) and float64 rounding of the sum alone is 1e-16 there.
 */
import type { Req } from '../../base/req';
import { workerPool } from './gemm_simd';
import { commonArena, GuestModule, LazyModule } from './staging';
import { WASM_BASE64 as IMPORTED_BASE64 } from './vector_imported_wasm';
import { WASM_BASE64 as SHARED_BASE64 } from './vector_shared_wasm';
import { WASM_BASE64 } from './vector_wasm';

/** Floats after each region in wasm memory: the kernels read and write up to 7 lanes past the end. */
const SLACK = 8;

interface VectorModule {
  readonly memory: WebAssembly.Memory;
  readonly exp: (src: number, dst: number, n: number, acc: number) => void;
  readonly sigmoid: (src: number, dst: number, n: number, acc: number) => void;
  readonly tanh: (src: number, dst: number, n: number, acc: number) => void;
  readonly softmax: (src: number, dst: number, rows: number, cols: number, log: number) => void;
}

const vector = new LazyModule<VectorModule>(WASM_BASE64, { env: { log: Math.log } });

/** The compiled module, or null where WebAssembly SIMD is unavailable (callers fall back to JS). */
export function vectorModule(): VectorModule | null {
  return vector.get()?.mod ?? null;
}

/** For tests: pretend WebAssembly is missing (true) or restore detection (false). */
export function disableVectorSimdForTesting(disabled: boolean): void {
  vector.disableForTesting(disabled);
}

/** Floats per chunk copied through wasm memory (64 KiB: the chunk and its result stay in L1/L2). */
export const CHUNK = 16384;
/**
 * Element counts below which the plain loops win. Measured on Node 20 (2-core Xeon, shared): the
 * wasm path costs about 0.5 µs per call (copies, the boundary crossing), the loops about
 * 15-30 ns per element (Math.exp); they break even between 16 and 32 elements for sigmoid and for
 * a softmax row.
 */
export const MIN_SIMD_LENGTH = 32;

type MapName = 'exp' | 'sigmoid' | 'tanh';

const guests = new GuestModule<VectorModule>(IMPORTED_BASE64, SHARED_BASE64, { log: Math.log });

/** Floats from which an in-place map or softmax is split across the worker threads. */
const PARALLEL_MIN = 1 << 16;
const MAP_CODES = { exp: 0, sigmoid: 1, tanh: 2 } as const;

/** out (+)= f(x) through a wasm kernel (x may be out): in place in an arena, else chunk by chunk through the module's memory. */
function mapThrough(name: MapName, x: Float32Array, out: Float32Array, add: boolean): void {
  const n = out.length;
  let done = 0;
  const memory = commonArena(x, out, null);
  const guest = memory ? guests.on(memory) : null;
  if (guest) {
    // Whole pairs of vectors in place (the kernels store 8 floats at a time, never past n here),
    // split across the worker threads when large and shared; the last few floats are staged below.
    done = n & ~7;
    const pool = done >= PARALLEL_MIN && memory!.buffer instanceof SharedArrayBuffer ? workerPool() : null;
    if (pool) pool.vector(memory!, 'map', MAP_CODES[name], x.byteOffset, out.byteOffset, done, add ? 1 : 0, guest);
    else guest[name](x.byteOffset, out.byteOffset, done, add ? 1 : 0);
    if (done === n) return;
  }
  stagedMap(name, x, out, add, done);
}

/** out[start..] (+)= f(x[start..]) chunk by chunk through the module's memory. */
function stagedMap(name: MapName, x: Float32Array, out: Float32Array, add: boolean, first: number): void {
  const n = out.length;
  const { mod, heap } = vector.get()!;
  const chunk = Math.min(CHUNK, (n - first + 7) & ~7);
  // src region [0, chunk + SLACK), dst region after it (the kernels run over pairs of vectors).
  const dst = chunk + SLACK;
  heap.reserve(2 * dst);
  for (let start = first; start < n; start += chunk) {
    const len = Math.min(chunk, n - start);
    heap.copyIn(0, x, start, len);
    if (add) heap.copyIn(dst, out, start, len);
    mod[name](0, dst * 4, len, add ? 1 : 0);
    heap.copyOut(dst, len, out, start);
  }
}

/** The scalar sigmoid (the same formula as `sigmoid` in elemwise/unary.ts). */
function sigmoidScalar(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** out = exp(x) (req 'add': out += exp(x); 'null': nothing); x and out have the same length. */
export function expInto(x: Float32Array, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const mod = out.length >= MIN_SIMD_LENGTH ? vectorModule() : null;
  if (mod) return mapThrough('exp', x, out, req === 'add');
  const n = out.length;
  if (req === 'add') for (let i = 0; i < n; i++) out[i]! += Math.exp(x[i]!);
  else for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!);
}

/** out = sigmoid(x) (req 'add': out += sigmoid(x); 'null': nothing); x and out have the same length. */
export function sigmoidInto(x: Float32Array, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const mod = out.length >= MIN_SIMD_LENGTH ? vectorModule() : null;
  if (mod) return mapThrough('sigmoid', x, out, req === 'add');
  const n = out.length;
  if (req === 'add') for (let i = 0; i < n; i++) out[i]! += sigmoidScalar(x[i]!);
  else for (let i = 0; i < n; i++) out[i] = sigmoidScalar(x[i]!);
}

/** out = tanh(x) (req 'add': out += tanh(x); 'null': nothing); x and out have the same length. */
export function tanhInto(x: Float32Array, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const mod = out.length >= MIN_SIMD_LENGTH ? vectorModule() : null;
  if (mod) return mapThrough('tanh', x, out, req === 'add');
  const n = out.length;
  if (req === 'add') for (let i = 0; i < n; i++) out[i]! += Math.tanh(x[i]!);
  else for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!);
}

function rowsThrough(x: Float32Array, out: Float32Array, rows: number, cols: number, log: boolean): boolean {
  if (rows * cols < MIN_SIMD_LENGTH || cols === 0) return false;
  const mod = vectorModule();
  if (!mod) return false;
  const memory = commonArena(x, out, null);
  const guest = memory ? guests.on(memory) : null;
  const apart = x.byteOffset + x.byteLength <= out.byteOffset || out.byteOffset + out.byteLength <= x.byteOffset;
  if (!guest || !apart || rows < 2) {
    stagedRows(mod, x, out, 0, rows, cols, log);
    return true;
  }
  // In place, a row's partial last vector stores into the next row's output, written afterwards;
  // so each part's last row (and the whole array's) is staged once the in-place rows are done.
  const pool = rows * cols >= PARALLEL_MIN && memory!.buffer instanceof SharedArrayBuffer ? workerPool() : null;
  if (pool && rows >= 2 * pool.threads) {
    pool.vector(memory!, 'rows', log ? 1 : 0, x.byteOffset, out.byteOffset, rows, cols, guest);
    for (let w = 1; w <= pool.threads; w++) {
      const end = pool.partStart(rows, w);
      if (end > pool.partStart(rows, w - 1)) stagedRows(mod, x, out, end - 1, 1, cols, log);
    }
  } else {
    guest.softmax(x.byteOffset, out.byteOffset, rows - 1, cols, log ? 1 : 0);
    stagedRows(mod, x, out, rows - 1, 1, cols, log);
  }
  return true;
}

/** Rows first..first+count through the module's memory, in chunks. */
function stagedRows(mod: VectorModule, x: Float32Array, out: Float32Array, first: number, count: number, cols: number, log: boolean): void {
  const perChunk = Math.max(1, Math.min(count, Math.floor(CHUNK / cols)));
  const dst = perChunk * cols + SLACK;
  const heap = vector.get()!.heap;
  heap.reserve(2 * dst);
  for (let row = first; row < first + count; row += perChunk) {
    const rowsNow = Math.min(perChunk, first + count - row);
    const start = row * cols;
    const len = rowsNow * cols;
    heap.copyIn(0, x, start, len);
    mod.softmax(0, dst * 4, rowsNow, cols, log ? 1 : 0);
    heap.copyOut(dst, len, out, start);
  }
}

/**
 * out = softmax of each of `rows` contiguous rows of `cols` floats (the last axis). Returns false,
 * doing nothing, when the plain loops should do it (small input, no WebAssembly SIMD).
 */
export function softmaxRows(x: Float32Array, out: Float32Array, rows: number, cols: number): boolean {
  return rowsThrough(x, out, rows, cols, false);
}

/** out = log-softmax of each row, as `softmaxRows`. */
export function logSoftmaxRows(x: Float32Array, out: Float32Array, rows: number, cols: number): boolean {
  return rowsThrough(x, out, rows, cols, true);
}
