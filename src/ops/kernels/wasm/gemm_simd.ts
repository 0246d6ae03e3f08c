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

interface GemmModule {
  readonly memory: WebAssembly.Memory;
  readonly gemm: (mPanels: number, nPanels: number, K: number, ap: number, bp: number, cp: number) => void;
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
}

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

/**
 * C = alpha * op(A) * op(B) + beta * C with the BLAS row-major conventions of `gemm` in
 * ../gemm.ts. Returns false (doing nothing) when the WebAssembly module cannot be used.
 */
/** Products of at least this many multiply-adds are split across threads when threads exist. */
const THREAD_MIN_WORK = 1 << 21;

interface Backend {
  readonly memory: WebAssembly.Memory;
  readonly run: GemmModule['gemm'];
}

function backendFor(work: number): Backend | null {
  const threaded = work >= THREAD_MIN_WORK && threadsAllowed ? threadedGemm() : null;
  if (threaded) return threaded;
  const single = gemmModule();
  return single ? { memory: single.memory, run: single.gemm } : null;
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
  const bytes = (apFloats + bpFloats + Mp * Np) * 4;
  const have = mod.memory.buffer.byteLength;
  if (bytes > have) mod.memory.grow(Math.ceil((bytes - have) / PAGE));
  const heap = new Float32Array(mod.memory.buffer);
  const ap = 0;
  const bp = apFloats;
  const cp = apFloats + bpFloats;

  // A panels: Ap[(panel*K + k)*4 + r] = op(A)(panel*4 + r, k), zero beyond M.
  const aRow = transA ? 1 : lda;
  const aCol = transA ? lda : 1;
  for (let panel = 0; panel < Mp / MR; panel++) {
    for (let r = 0; r < MR; r++) {
      const i = panel * MR + r;
      let dst = ap + panel * K * MR + r;
      if (i >= M) {
        for (let k = 0; k < K; k++, dst += MR) heap[dst] = 0;
        continue;
      }
      let src = offA + i * aRow;
      for (let k = 0; k < K; k++, dst += MR, src += aCol) heap[dst] = A[src]!;
    }
  }
  // B panels: Bp[(panel*K + k)*8 + c] = op(B)(k, panel*8 + c), zero beyond N. The loop order
  // follows op(B)'s memory so reads stay contiguous (columns of B^T are rows in memory).
  const panels = Np / NR;
  if (transB) {
    for (let panel = 0; panel < panels; panel++) {
      for (let c = 0; c < NR; c++) {
        const j = panel * NR + c;
        let dst = bp + panel * K * NR + c;
        if (j >= N) {
          for (let k = 0; k < K; k++, dst += NR) heap[dst] = 0;
          continue;
        }
        let src = offB + j * ldb;
        for (let k = 0; k < K; k++, dst += NR) heap[dst] = B[src++]!;
      }
    }
  } else {
    for (let panel = 0; panel < panels; panel++) {
      const width = Math.min(NR, N - panel * NR);
      for (let k = 0; k < K; k++) {
        const dst = bp + (panel * K + k) * NR;
        const src = offB + k * ldb + panel * NR;
        for (let c = 0; c < width; c++) heap[dst + c] = B[src + c]!;
        for (let c = width; c < NR; c++) heap[dst + c] = 0;
      }
    }
  }
  if (K === 0) heap.fill(0, cp, cp + Mp * Np);
  else mod.run(Mp / MR, Np / NR, K, ap * 4, bp * 4, cp * 4);

  for (let i = 0; i < M; i++) {
    const src = cp + i * Np;
    const dst = offC + i * ldc;
    if (beta === 0 && alpha === 1) C.set(heap.subarray(src, src + N), dst);
    else if (beta === 0) for (let j = 0; j < N; j++) C[dst + j] = alpha * heap[src + j]!;
    else for (let j = 0; j < N; j++) C[dst + j] = alpha * heap[src + j]! + beta * C[dst + j]!;
  }
  return true;
}
