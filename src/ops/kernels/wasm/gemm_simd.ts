/**
 * The WebAssembly SIMD GEMM (gemm.wat) behind a BLAS-style call. Operands are packed into the
 * module's memory as the kernel wants them (A in panels of 4 rows, B in panels of 8 columns, both
 * zero-padded), so transposes, strides and ragged edges cost one copy instead of kernel variants.
 */
import { decodeBase64 } from './base64';
import { threadedGemm } from './gemm_threads';
import { WASM_BASE64 } from './gemm_wasm';

/**
 * The register tile (rows x columns) the kernel was generated for (scripts/gen_gemm_wat.ts reads
 * these). 4x8 keeps 11 v128 values live, within the 16 SIMD registers V8 has on x64.
 */
export const MR = 4;
export const NR = 8;
const PAGE = 65536;

/** The module's exports (byte pointers throughout). */
export interface GemmModule {
  readonly memory: WebAssembly.Memory;
  readonly gemm: (mPanels: number, nPanels: number, K: number, ap: number, bp: number, cp: number) => void;
  readonly packA: (raw: number, M: number, K: number, trans: number, p0: number, p1: number, dst: number) => void;
  readonly packB: (raw: number, K: number, N: number, trans: number, p0: number, p1: number, dst: number) => void;
}

/** Where the operands sit in the heap for one product (byte pointers). */
export interface PackJob {
  readonly M: number;
  readonly N: number;
  readonly K: number;
  readonly transA: number;
  readonly transB: number;
  readonly rawA: number;
  readonly rawB: number;
  readonly ap: number;
  readonly bp: number;
}

let loaded: GemmModule | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is unavailable (callers fall back to JS). */
export function gemmModule(): GemmModule | null {
  if (loaded !== undefined) return loaded;
  try {
    const bytes = decodeBase64(WASM_BASE64);
    if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(bytes)) return (loaded = null);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    loaded = instance.exports as unknown as GemmModule;
  } catch {
    loaded = null;
  }
  return loaded;
}

/** For tests: pretend WebAssembly is missing (true) or restore detection (false). */
export function disableSimdForTesting(disabled: boolean): void {
  loaded = disabled ? null : undefined;
  simdDisabled = disabled;
}

let simdDisabled = false;

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

const heaps = new WeakMap<WebAssembly.Memory, Float32Array>();

/**
 * A float view of `memory` holding at least `bytes`, growing the memory when needed. The view is
 * cached per memory and renewed only after growth, so a product allocates no view objects.
 */
function heapOf(memory: WebAssembly.Memory, bytes: number): Float32Array {
  let heap = heaps.get(memory);
  if (!heap || heap.byteLength < bytes) {
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
    heap = new Float32Array(memory.buffer);
    heaps.set(memory, heap);
  }
  return heap;
}

/** Copies `rows` rows of `width` floats, `stride` apart in `src`, contiguously into the heap. */
function copyRows(src: Float32Array, offset: number, stride: number, rows: number, width: number, heap: Float32Array, dst: number): void {
  if (stride === width || rows <= 1) {
    heap.set(src.subarray(offset, offset + rows * width), dst);
    return;
  }
  // Row by row with plain loops: a subarray per row would allocate on every product.
  for (let r = 0; r < rows; r++) {
    const from = offset + r * stride;
    const to = dst + r * width;
    for (let c = 0; c < width; c++) heap[to + c] = src[from + c]!;
  }
}

/**
 * C = alpha * op(A) * op(B) + beta * C with the BLAS row-major conventions of `gemm` in
 * ../gemm.ts. Returns false (doing nothing) when the WebAssembly module cannot be used.
 */
/** Products of at least this many multiply-adds are split across threads when threads exist. */
const THREAD_MIN_WORK = 1 << 21;

interface Backend {
  readonly memory: WebAssembly.Memory;
  /** Packs both operands' panels (all of them). */
  readonly pack: (job: PackJob) => void;
  readonly run: GemmModule['gemm'];
}

function backendFor(work: number): Backend | null {
  if (simdDisabled) return null;
  const threaded = work >= THREAD_MIN_WORK && threadsAllowed ? threadedGemm() : null;
  if (threaded) return threaded;
  const single = gemmModule();
  if (!single) return null;
  const pack = (j: PackJob) => {
    single.packA(j.rawA, j.M, j.K, j.transA, 0, Math.ceil(j.M / MR), j.ap);
    single.packB(j.rawB, j.K, j.N, j.transB, 0, Math.ceil(j.N / NR), j.bp);
  };
  return { memory: single.memory, pack, run: single.gemm };
}

let threadsAllowed = true;

/** For tests: run on the calling thread only (true) or allow worker threads again (false). */
export function disableThreadsForTesting(disabled: boolean): void {
  threadsAllowed = !disabled;
}

export function gemmSimd(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, lda: number, offA: number, B: Float32Array, ldb: number, offB: number,
  beta: number, C: Float32Array, ldc: number, offC: number,
): boolean {
  const mod = backendFor(M * N * K);
  if (!mod) return false;
  const Mp = roundUp(M, MR);
  const Np = roundUp(N, NR);
  const apFloats = Mp * K;
  const bpFloats = K * Np;
  const cpFloats = Mp * Np;
  const bytes = (apFloats + bpFloats + cpFloats + M * K + K * N) * 4;
  const heap = heapOf(mod.memory, bytes);
  const ap = 0;
  const bp = apFloats;
  const cp = bp + bpFloats;
  const rawA = cp + cpFloats;
  const rawB = rawA + M * K;

  // Raw copies of the operands' storage (memcpy per row), then packing inside WebAssembly:
  // op(A) as M x K (or K x M transposed), op(B) as K x N (or N x K transposed).
  copyRows(A, offA, lda, transA ? K : M, transA ? M : K, heap, rawA);
  copyRows(B, offB, ldb, transB ? N : K, transB ? K : N, heap, rawB);
  if (K > 0) mod.pack({ M, N, K, transA: transA ? 1 : 0, transB: transB ? 1 : 0, rawA: rawA * 4, rawB: rawB * 4, ap: ap * 4, bp: bp * 4 });
  if (K === 0) heap.fill(0, cp, cp + Mp * Np);
  else mod.run(Mp / MR, Np / NR, K, ap * 4, bp * 4, cp * 4);

  if (beta === 0 && alpha === 1 && ldc === N) {
    // The common case as two block moves: close the padding gaps between rows inside the heap
    // (copyWithin allocates nothing), then one copy out. Element loops here cost 2-5 ns a float.
    if (Np !== N) for (let i = 1; i < M; i++) heap.copyWithin(cp + i * N, cp + i * Np, cp + i * Np + N);
    C.set(heap.subarray(cp, cp + M * N), offC);
    return true;
  }
  for (let i = 0; i < M; i++) {
    const src = cp + i * Np;
    const dst = offC + i * ldc;
    if (beta === 0 && alpha === 1) for (let j = 0; j < N; j++) C[dst + j] = heap[src + j]!;
    else if (beta === 0) for (let j = 0; j < N; j++) C[dst + j] = alpha * heap[src + j]!;
    else for (let j = 0; j < N; j++) C[dst + j] = alpha * heap[src + j]! + beta * C[dst + j]!;
  }
  return true;
}
