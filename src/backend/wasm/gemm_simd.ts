/**
 * The WebAssembly SIMD GEMM (gemm.wat) behind a BLAS-style call. Operands are packed into the
 * module's memory as the kernel wants them (A in panels of 4 rows, B in panels of 8 columns, both
 * zero-padded), so transposes, strides and ragged edges cost one copy instead of kernel variants.
 * The kernel multiplies with f32x4.mul + f32x4.add, or with relaxed_madd where the engine has
 * relaxed SIMD (gemm_fma.wat; features.ts decides once, at load).
 */
import { ResourceError } from '../../base/errors';
import type { ColumnSource } from '../geometry';
import { WASM_BASE64 as MUL_ADD_BASE64 } from './generated/gemm_wasm';
import { WASM_BASE64 as FMA_BASE64 } from './generated/gemm_fma_wasm';
import { RELAXED_SIMD } from './features';
import { threadedGemm } from './gemm_threads';
import { spatialOn } from './spatial_simd';
import { gemm as gemmReference } from '../reference/gemm';
import { instantiate, StagingHeap } from './staging';
import { GEMM_THREAD_MIN_WORK, HEAP_SLACK_FLOATS, MR, NR, POOL_MAX_PAGES, STAGING_KEEP_FLOATS } from './tuning';
import { WASM_PAGE_BYTES } from './staging';

/** The module's exports (byte pointers throughout). */
export interface GemmModule {
  readonly memory: WebAssembly.Memory;
  /** C's rows are `ldc` bytes apart: a band of column panels of a wider C (threads split by columns). */
  readonly gemm: (mPanels: number, nPanels: number, K: number, ap: number, bp: number, cp: number, ldc: number) => void;
  readonly packA: (raw: number, M: number, K: number, trans: number, p0: number, p1: number, dst: number) => void;
  readonly packB: (raw: number, K: number, N: number, trans: number, p0: number, p1: number, dst: number) => void;
}

/**
 * Packs op(A) (M x K) and op(B) (K x N) from their raw copies at byte pointers rawA and rawB into
 * the panels at ap and bp (trans flags 0 or 1). Positional, so a product allocates nothing.
 */
export type PackOperands = (M: number, N: number, K: number, transA: number, transB: number, rawA: number, rawB: number, ap: number, bp: number) => void;

let loaded: GemmModule | null | undefined;

/** The kernel chosen at load: relaxed_madd where relaxed SIMD is on (features.ts), else mul+add. */
const WASM_BASE64 = RELAXED_SIMD.fused ? FMA_BASE64 : MUL_ADD_BASE64;

/** The compiled module, or null where WebAssembly SIMD is unavailable (callers fall back to JS). */
export function gemmModule(): GemmModule | null {
  if (loaded === undefined) loaded = instantiate<GemmModule>(WASM_BASE64);
  return loaded;
}

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

const heaps = new WeakMap<WebAssembly.Memory, StagingHeap>();

/** The staging heap of `memory` (one per module memory: the single-thread and the shared one). */
function stagingOf(memory: WebAssembly.Memory): StagingHeap {
  let heap = heaps.get(memory);
  if (!heap) heaps.set(memory, (heap = new StagingHeap(memory)));
  return heap;
}

/** Copies `rows` rows of `width` floats, `stride` apart in `src`, contiguously into the heap. */
function copyRows(src: Float32Array, offset: number, stride: number, rows: number, width: number, staging: StagingHeap, heap: Float32Array, dst: number): void {
  if (stride === width || rows <= 1) {
    staging.copyIn(dst, src, offset, rows * width);
    return;
  }
  // Row by row with plain loops: a subarray per row would allocate on every product.
  for (let r = 0; r < rows; r++) {
    const from = offset + r * stride;
    const to = dst + r * width;
    for (let c = 0; c < width; c++) heap[to + c] = src[from + c]!;
  }
}

/** Where a product runs: the single-thread module or the worker pool (both have packing and a heap). */
interface GemmRunner {
  readonly memory: WebAssembly.Memory;
  /** Floats its memory can ever hold (the shared heap's maximum; wasm32's 4 GiB otherwise). */
  readonly maxFloats: number;
  /** Packs both operands' panels (all of them). */
  readonly pack: PackOperands;
  /** The whole of C (Mp x Np, rows Np floats apart). */
  readonly run: (mPanels: number, nPanels: number, K: number, ap: number, bp: number, cp: number) => void;
}

let singleThread: GemmRunner | null = null;
let threadedRunner: GemmRunner | undefined;

function runnerFor(work: number): GemmRunner | null {
  const threaded = work >= GEMM_THREAD_MIN_WORK ? threadedGemm() : null;
  if (threaded) return (threadedRunner ??= { memory: threaded.memory, maxFloats: POOL_MAX_FLOATS, pack: threaded.pack, run: threaded.run });
  if (singleThread) return singleThread;
  const single = gemmModule();
  if (!single) return null;
  const pack: PackOperands = (M, N, K, transA, transB, rawA, rawB, ap, bp) => {
    single.packA(rawA, M, K, transA, 0, Math.ceil(M / MR), ap);
    single.packB(rawB, K, N, transB, 0, Math.ceil(N / NR), bp);
  };
  const run = (mPanels: number, nPanels: number, K: number, ap: number, bp: number, cp: number) => single.gemm(mPanels, nPanels, K, ap, bp, cp, nPanels * NR * 4);
  return (singleThread = { memory: single.memory, maxFloats: WASM32_MAX_FLOATS, pack, run });
}

/** wasm32 addresses 4 GiB; the last float is left out so byte offsets stay below 2^32. */
const WASM32_MAX_FLOATS = 2 ** 30 - 1;
const POOL_MAX_FLOATS = (POOL_MAX_PAGES * WASM_PAGE_BYTES) / 4;

/**
 * After a product that staged more than STAGING_KEEP_FLOATS on the single thread, the module is
 * dropped (a WebAssembly memory cannot shrink) and compiled afresh on the next product, so one large
 * call does not hold its heap for the life of the process.
 */
function dropLargeSingleThreadHeap(runner: GemmRunner, floats: number): void {
  if (runner === singleThread && floats > STAGING_KEEP_FLOATS) {
    singleThread = null;
    loaded = undefined;
  }
}

/** Floats a product of an M x K by a K x N block stages (panels, their product, raw copies). */
const stagedFloats = (M: number, N: number, K: number) => roundUp(M, MR) * K + K * roundUp(N, NR) + roundUp(M, MR) * roundUp(N, NR) + M * K + K * N;

/**
 * Computes the product in blocks of rows of op(A) and columns of op(B), each staged within
 * `maxFloats`. Every element of C is still one dot product over the whole of K, summed by the
 * same kernel in the same order, so the result is bit for bit the untiled one. False (nothing
 * done) when not even one panel of rows and one of columns over K fits.
 */
function gemmTiles(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, lda: number, offA: number, B: Float32Array, ldb: number, offB: number,
  beta: number, C: Float32Array, ldc: number, offC: number, maxFloats: number,
): boolean {
  // Columns of op(B) first (A's panels are then packed once per column block), then rows too.
  let rows = roundUp(M, MR);
  let cols = roundUp(N, NR);
  while (stagedFloats(Math.min(rows, M), Math.min(cols, N), K) > maxFloats) {
    if (cols > NR && (cols >= rows || rows <= MR)) cols = roundUp(Math.ceil(cols / 2), NR);
    else if (rows > MR) rows = roundUp(Math.ceil(rows / 2), MR);
    else return false;
  }
  for (let i0 = 0; i0 < M; i0 += rows) {
    const m = Math.min(rows, M - i0);
    const aAt = offA + (transA ? i0 : i0 * lda);
    for (let j0 = 0; j0 < N; j0 += cols) {
      const n = Math.min(cols, N - j0);
      const bAt = offB + (transB ? j0 * ldb : j0);
      if (!gemmStaged(transA, transB, m, n, K, alpha, A, lda, aAt, B, ldb, bAt, beta, C, ldc, offC + i0 * ldc + j0, maxFloats)) {
        // A block the engine refused: the reference kernel takes it (the same sums, in its order).
        return i0 === 0 && j0 === 0 ? false : (gemmRemainder(transA, transB, M, N, K, alpha, A, lda, offA, B, ldb, offB, beta, C, ldc, offC, rows, cols, i0, j0), true);
      }
    }
  }
  return true;
}

/** Blocks from (i0, j0) on, in gemmTiles' order, through the reference kernel. */
function gemmRemainder(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, lda: number, offA: number, B: Float32Array, ldb: number, offB: number,
  beta: number, C: Float32Array, ldc: number, offC: number, rows: number, cols: number, i0: number, j0: number,
): void {
  for (let i = i0; i < M; i += rows) {
    const m = Math.min(rows, M - i);
    for (let j = i === i0 ? j0 : 0; j < N; j += cols) {
      const n = Math.min(cols, N - j);
      gemmReference(transA, transB, m, n, K, alpha, A, lda, offA + (transA ? i : i * lda), B, ldb, offB + (transB ? j * ldb : j), beta, C, ldc, offC + i * ldc + j);
    }
  }
}

/**
 * C = alpha * op(A) * op(B) + beta * C with the BLAS row-major conventions of `gemm` in
 * ../gemm.ts. B may be a ColumnSource (then ldb and offB are unused: op(B) is the column buffer,
 * or its transpose), or C may be one (ldc and offC unused: the M x N product, as a column buffer,
 * is added into the images by col2im). Returns false (doing nothing) when that cannot run here.
 */
export function gemmSimd(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, lda: number, offA: number, B: Float32Array | ColumnSource, ldb: number, offB: number,
  beta: number, C: Float32Array | ColumnSource, ldc: number, offC: number,
): boolean {
  return gemmStaged(transA, transB, M, N, K, alpha, A, lda, offA, B, ldb, offB, beta, C, ldc, offC, Infinity);
}

/**
 * `gemmSimd` staging at most `maxFloats` floats at once (internal: tests lower it to exercise the
 * tiles). Products whose operands do not fit the heap run in tiles (gemmTiles); column buffers
 * (im2col, col2im) are not tiled: their callers then take the reference path.
 */
export function gemmStaged(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, lda: number, offA: number, B: Float32Array | ColumnSource, ldb: number, offB: number,
  beta: number, C: Float32Array | ColumnSource, ldc: number, offC: number, maxFloats: number,
): boolean {
  const mod = runnerFor(M * N * K);
  if (!mod) return false;
  const limit = Math.min(maxFloats, mod.maxFloats);
  const plain = B instanceof Float32Array && C instanceof Float32Array;
  // At most one side is a column buffer: op(B) produced by im2col, or C consumed by col2im (which
  // adds the product, taken as columns, into its images: alpha 1 and beta 0 only).
  const sink = C instanceof Float32Array ? null : C;
  if (sink && (alpha !== 1 || beta !== 0 || !(B instanceof Float32Array))) return false;
  const columns = B instanceof Float32Array ? sink : B;
  if (columns && !spatialOn(mod.memory)) return false;
  const imageFloats = columns ? (columns.samples - 1) * columns.sampleStride + columns.geo.channels * columns.geo.height * columns.geo.width : 0;
  const staging = stagingOf(mod.memory);
  const needed = stagedFloats(M, N, K) + (columns ? 2 * HEAP_SLACK_FLOATS + imageFloats : 0);
  if (needed > limit) return plain && gemmTiles(transA, transB, M, N, K, alpha, A, lda, offA, B as Float32Array, ldb, offB, beta, C as Float32Array, ldc, offC, limit);
  let heap: Float32Array;
  try {
    heap = staging.reserve(needed);
  } catch (error) {
    if (!(error instanceof ResourceError)) throw error;
    // The engine gave fewer pages than the heap's maximum: smaller tiles, else the reference kernel.
    return plain && gemmTiles(transA, transB, M, N, K, alpha, A, lda, offA, B as Float32Array, ldb, offB, beta, C as Float32Array, ldc, offC, Math.floor(needed / 2));
  }
  try {
    return stageAndRun(mod, staging, heap, columns, sink, transA, transB, M, N, K, alpha, A, lda, offA, B, ldb, offB, beta, C, ldc, offC, imageFloats);
  } finally {
    dropLargeSingleThreadHeap(mod, needed);
  }
}

/** Copies the operands into the heap, packs them, multiplies, and copies C out. */
function stageAndRun(
  mod: GemmRunner, staging: StagingHeap, heap: Float32Array, columns: ColumnSource | null, sink: ColumnSource | null,
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, lda: number, offA: number, B: Float32Array | ColumnSource, ldb: number, offB: number,
  beta: number, C: Float32Array | ColumnSource, ldc: number, offC: number, imageFloats: number,
): boolean {
  const Mp = roundUp(M, MR);
  const Np = roundUp(N, NR);
  const apFloats = Mp * K;
  const bpFloats = K * Np;
  const cpFloats = Mp * Np;
  const spatial = columns ? spatialOn(mod.memory) : null;
  const ap = 0;
  const bp = apFloats;
  const cp = bp + bpFloats;
  const rawA = cp + cpFloats;
  const rawB = rawA + M * K;

  // Raw copies of the operands' storage (memcpy per row), then packing inside WebAssembly:
  // op(A) as M x K (or K x M transposed), op(B) as K x N (or N x K transposed).
  copyRows(A, offA, lda, transA ? K : M, transA ? M : K, staging, heap, rawA);
  const images = rawB + K * N + HEAP_SLACK_FLOATS;
  if (columns && !sink) {
    staging.copyIn(images, columns.image, columns.offset, imageFloats);
    const g = columns.geo;
    spatial!.im2col(images * 4, rawB * 4, g.channels, g.height, g.width, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.outH, g.outW, columns.samples, columns.sampleStride);
  } else {
    copyRows(B as Float32Array, offB, ldb, transB ? N : K, transB ? K : N, staging, heap, rawB);
  }
  if (K > 0) mod.pack(M, N, K, transA ? 1 : 0, transB ? 1 : 0, rawA * 4, rawB * 4, ap * 4, bp * 4);
  if (K === 0) heap.fill(0, cp, cp + Mp * Np);
  else mod.run(Mp / MR, Np / NR, K, ap * 4, bp * 4, cp * 4);

  if (beta === 0 && alpha === 1 && (sink || ldc === N)) {
    // The common case as two block moves: close the padding gaps between rows inside the heap
    // (copyWithin allocates nothing), then one copy out. Element loops here cost 2-5 ns a float.
    if (Np !== N) for (let i = 1; i < M; i++) heap.copyWithin(cp + i * N, cp + i * Np, cp + i * Np + N);
    if (sink) {
      // C, now M x N contiguous, is the column buffer: col2im adds it into the images in the heap.
      const g = sink.geo;
      staging.copyIn(images, sink.image, sink.offset, imageFloats);
      spatial!.col2im(images * 4, cp * 4, g.channels, g.height, g.width, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.outH, g.outW, sink.samples, sink.sampleStride);
      staging.copyOut(images, imageFloats, sink.image, sink.offset);
      return true;
    }
    staging.copyOut(cp, M * N, C as Float32Array, offC);
    return true;
  }
  const out = C as Float32Array;
  for (let i = 0; i < M; i++) {
    const src = cp + i * Np;
    const dst = offC + i * ldc;
    if (beta === 0 && alpha === 1) for (let j = 0; j < N; j++) out[dst + j] = heap[src + j]!;
    else if (beta === 0) for (let j = 0; j < N; j++) out[dst + j] = alpha * heap[src + j]!;
    else for (let j = 0; j < N; j++) out[dst + j] = alpha * heap[src + j]! + beta * out[dst + j]!;
  }
  return true;
}
