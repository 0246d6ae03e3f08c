/**
 * The WebAssembly SIMD element-wise kernels (vector.wat): exp, sigmoid, tanh and row (log-)softmax.
 * Operands pass through the module's memory in chunks of VECTOR_CHUNK_FLOATS floats (whole rows for
 * softmax), so each chunk is copied in, computed and copied out while it is still in cache. Each
 * returns false, doing nothing, where the reference kernel should run instead (small arrays, no
 * WebAssembly SIMD); the two agree within the bounds below.
 *
 * Accuracy against float64 (seeded inputs over the whole float32 range and the edges, over 20M
 * values each; measured maximum relative error, and the bound vector_simd.test.ts asserts):
 * exp 0.89e-7 (1.0e-7), sigmoid 1.84e-7 (2.0e-7), tanh 1.42e-7 (1.5e-7), softmax 1.90e-7 (2.0e-7),
 * log-softmax 1.1e-7 (1.2e-7). Errors are relative to max(|reference|, 2^-126), so denormal results count
 * absolutely; for log-softmax to max(|reference|, 1e-6), since its entries near 0 are
 * -log(1 + eps) and float64 rounding of the sum alone is 1e-16 there.
 */
import type { Req } from '../../base/req';
import { SCALAR_CODES, type VectorMap } from './codes';
import { threadedGemm } from './gemm_threads';
import { WASM_BASE64 as IMPORTED_BASE64 } from './generated/vector_imported_wasm';
import { WASM_BASE64 as SHARED_BASE64 } from './generated/vector_shared_wasm';
import { WASM_BASE64 } from './generated/vector_wasm';
import { commonArena, GuestModule, LazyModule } from './staging';
import { HEAP_SLACK_FLOATS, VECTOR_CHUNK_FLOATS, VECTOR_MIN_LENGTH, VECTOR_THREAD_MIN_FLOATS } from './tuning';

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

const guests = new GuestModule<VectorModule>(IMPORTED_BASE64, SHARED_BASE64, { log: Math.log });

/** out (+)= f(x) through a wasm kernel (x may be out): in place in an arena, else chunk by chunk through the module's memory. */
function mapThrough(name: VectorMap, x: Float32Array, out: Float32Array, add: boolean): void {
  const n = out.length;
  let done = 0;
  const memory = commonArena(x, out, null);
  const guest = memory ? guests.on(memory) : null;
  if (guest) {
    // Whole pairs of vectors in place (the kernels store 8 floats at a time, never past n here),
    // split across the worker threads when large and shared; the last few floats are staged below.
    done = n & ~7;
    const pool = done >= VECTOR_THREAD_MIN_FLOATS && memory!.buffer instanceof SharedArrayBuffer ? threadedGemm() : null;
    if (pool) pool.vector(memory!, 'map', SCALAR_CODES.vectorMap[name], x.byteOffset, out.byteOffset, done, add ? 1 : 0, guest);
    else guest[name](x.byteOffset, out.byteOffset, done, add ? 1 : 0);
    if (done === n) return;
  }
  stagedMap(name, x, out, add, done);
}

/** out[start..] (+)= f(x[start..]) chunk by chunk through the module's memory. */
function stagedMap(name: VectorMap, x: Float32Array, out: Float32Array, add: boolean, first: number): void {
  const n = out.length;
  const { mod, heap } = vector.get()!;
  const chunk = Math.min(VECTOR_CHUNK_FLOATS, (n - first + 7) & ~7);
  // src region [0, chunk + slack), dst region after it (the kernels run over pairs of vectors).
  const dst = chunk + HEAP_SLACK_FLOATS;
  heap.reserve(2 * dst);
  for (let start = first; start < n; start += chunk) {
    const len = Math.min(chunk, n - start);
    heap.copyIn(0, x, start, len);
    if (add) heap.copyIn(dst, out, start, len);
    mod[name](0, dst * 4, len, add ? 1 : 0);
    heap.copyOut(dst, len, out, start);
  }
}

/** out (req)= f(x) for f exp, sigmoid or tanh; x and out have the same length (x may be out). */
export function mapInto(name: VectorMap, x: Float32Array, out: Float32Array, req: Req): boolean {
  if (req === 'null') return true;
  if (out.length < VECTOR_MIN_LENGTH || !vectorModule()) return false;
  mapThrough(name, x, out, req === 'add');
  return true;
}

function rowsThrough(x: Float32Array, out: Float32Array, rows: number, cols: number, log: boolean): boolean {
  if (rows * cols < VECTOR_MIN_LENGTH || cols === 0) return false;
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
  const pool = rows * cols >= VECTOR_THREAD_MIN_FLOATS && memory!.buffer instanceof SharedArrayBuffer ? threadedGemm() : null;
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
  const perChunk = Math.max(1, Math.min(count, Math.floor(VECTOR_CHUNK_FLOATS / cols)));
  const dst = perChunk * cols + HEAP_SLACK_FLOATS;
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
 * doing nothing, when the reference kernel should do it (small input, no WebAssembly SIMD).
 */
export function softmaxRows(x: Float32Array, out: Float32Array, rows: number, cols: number): boolean {
  return rowsThrough(x, out, rows, cols, false);
}

/** out = log-softmax of each row, as `softmaxRows`. */
export function logSoftmaxRows(x: Float32Array, out: Float32Array, rows: number, cols: number): boolean {
  return rowsThrough(x, out, rows, cols, true);
}
