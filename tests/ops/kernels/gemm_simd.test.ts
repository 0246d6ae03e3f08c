/**
 * The WebAssembly SIMD GEMM against a float64 reference on seeded inputs: sizes below, at and
 * above the 4x8 register tile and the 256-deep K block, every transpose, strides and offsets,
 * alpha/beta; the SIMD path itself, the wasm backend's `gemm` kernel and the reference backend's,
 * on the worker pool and on a single-threaded instance of the backend (MXTS_NUM_THREADS=1). Also
 * checks the committed wasm bytes are the compilation of gemm.wat.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { compileWat, sharedVariant, WASM_DIR } from '../../../scripts/build_wasm';
import { GEMM_SOURCES, gemmWat } from '../../../scripts/gen_gemm_wat';
import { referenceKernels } from '../../../src/backend/reference/index';
import { decodeBase64 } from '../../../src/backend/wasm/base64';
import { gemmModule, gemmSimd } from '../../../src/backend/wasm/gemm_simd';
import { threadedGemm } from '../../../src/backend/wasm/gemm_threads';
import { WASM_BASE64 } from '../../../src/backend/wasm/generated/gemm_wasm';
import { WASM_BASE64 as SHARED_BASE64 } from '../../../src/backend/wasm/generated/gemm_shared_wasm';
import { WASM_BASE64 as FMA_BASE64 } from '../../../src/backend/wasm/generated/gemm_fma_wasm';
import { WASM_BASE64 as FMA_SHARED_BASE64 } from '../../../src/backend/wasm/generated/gemm_fma_shared_wasm';
import { RELAXED_SIMD } from '../../../src/backend/wasm/features';
import { wasmBackend } from '../../../src/backend/wasm/index';
import { GEMM_MIN_WORK } from '../../../src/backend/wasm/tuning';
import { loadWasmWith, singleThreadedWasm } from '../../helpers/isolated_wasm';

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
}

interface Case { M: number; N: number; K: number; transA: boolean; transB: boolean; alpha: number; beta: number; pad: number }

type Gemm = typeof referenceKernels.gemm;

/** The SIMD path itself (which must take the product, whatever its size). */
const simdPath: Gemm = (...args) => expect(gemmSimd(...args)).toBe(true);

/**
 * Runs `gemm` (default: the SIMD path, then the wasm and the reference backends' kernels) on padded,
 * offset buffers and compares with a float64 triple loop.
 */
function check(c: Case, seed: number, gemms: readonly Gemm[] = [simdPath, wasmBackend.kernels.gemm, referenceKernels.gemm]): void {
  for (const gemm of gemms) checkOne(gemm, c, seed);
}

function checkOne(gemm: Gemm, { M, N, K, transA, transB, alpha, beta, pad }: Case, seed: number): void {
  const rand = seeded(seed);
  const lda = (transA ? M : K) + pad;
  const ldb = (transB ? K : N) + pad;
  const ldc = N + pad;
  const offA = pad, offB = 2 * pad, offC = 3 * pad;
  const A = Float32Array.from({ length: offA + (transA ? K : M) * lda }, rand);
  const B = Float32Array.from({ length: offB + (transB ? N : K) * ldb }, rand);
  const C = Float32Array.from({ length: offC + M * ldc }, rand);
  const before = C.slice();
  gemm(transA, transB, M, N, K, alpha, A, lda, offA, B, ldb, offB, beta, C, ldc, offC);
  let worst = 0;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const a = transA ? A[offA + k * lda + i]! : A[offA + i * lda + k]!;
        const b = transB ? B[offB + j * ldb + k]! : B[offB + k * ldb + j]!;
        sum += a * b;
      }
      const c = offC + i * ldc + j;
      const expected = alpha * sum + (beta === 0 ? 0 : beta * before[c]!);
      // float32 accumulation error grows like sqrt(K); the ratio must stay below 1.
      worst = Math.max(worst, Math.abs(C[c]! - expected) / (1e-5 * Math.sqrt(K + 1) + 1e-5 * Math.abs(expected)));
    }
  }
  expect(worst).toBeLessThanOrEqual(1);
  // Padding between rows of C is never touched.
  for (let i = 0; i < M; i++) for (let j = N; j < ldc && offC + i * ldc + j < C.length; j++) expect(C[offC + i * ldc + j]).toBe(before[offC + i * ldc + j]);
}

describe('WebAssembly SIMD GEMM', () => {
  test('the module loads here (Node 20 has WebAssembly SIMD)', () => {
    expect(gemmModule()).not.toBeNull();
  });

  test.each([
    [1, 1, 1], [3, 5, 7], [4, 8, 1], [4, 8, 256], [5, 9, 257], [17, 33, 300], [64, 64, 64], [2, 70, 513],
  ])('M=%i N=%i K=%i in every transpose combination', (M, N, K) => {
    let seed = M * 1000 + N * 10 + K;
    for (const transA of [false, true]) for (const transB of [false, true]) check({ M, N, K, transA, transB, alpha: 1, beta: 0, pad: 0 }, seed++);
  });

  test('products large enough for worker threads match the reference, with and without threads', () => {
    // One thread per core up to four (or MXTS_NUM_THREADS); a single core runs no pool at all.
    const wanted = Number(process.env['MXTS_NUM_THREADS']) || Math.min(4, availableParallelism());
    expect(threadedGemm()?.threads ?? 1).toBe(wanted);
    check({ M: 133, N: 129, K: 261, transA: false, transB: true, alpha: 1, beta: 0, pad: 1 }, 7);
    check({ M: 70, N: 300, K: 200, transA: true, transB: false, alpha: 0.5, beta: 1, pad: 0 }, 8);
    // Few row panels and many column panels: the threads split C by columns (bands of panels).
    check({ M: 9, N: 601, K: 400, transA: false, transB: false, alpha: 1, beta: 0, pad: 1 }, 10);
    check({ M: 3, N: 1500, K: 480, transA: true, transB: true, alpha: 2, beta: 0.5, pad: 0 }, 11);
    // A second instance of the backend, loaded with MXTS_NUM_THREADS=1, has no pool at all.
    const single = singleThreadedWasm();
    expect(single.threads.threadedGemm()).toBeNull();
    const singleSimd: Gemm = (...args) => expect(single.gemmSimd.gemmSimd(...args)).toBe(true);
    check({ M: 133, N: 129, K: 261, transA: true, transB: true, alpha: 1, beta: 0, pad: 2 }, 9, [singleSimd, single.index.wasmBackend.kernels.gemm]);
  });

  test('the wasm kernel gives the reference bits below GEMM_MIN_WORK and agrees within 1e-5 above', () => {
    const rand = seeded(99);
    for (const [M, N, K] of [[40, 37, 50], [7, 9, Math.floor((GEMM_MIN_WORK - 1) / 63)]] as const) {
      const A = Float32Array.from({ length: M * K }, rand);
      const B = Float32Array.from({ length: K * N }, rand);
      const wasm = new Float32Array(M * N);
      const reference = new Float32Array(M * N);
      wasmBackend.kernels.gemm(false, true, M, N, K, 1, A, K, 0, B, K, 0, 0, wasm, N, 0);
      referenceKernels.gemm(false, true, M, N, K, 1, A, K, 0, B, K, 0, 0, reference, N, 0);
      if (M * N * K < GEMM_MIN_WORK) expect(Array.from(wasm)).toEqual(Array.from(reference));
      else for (let i = 0; i < M * N; i++) expect(Math.abs(wasm[i]! - reference[i]!)).toBeLessThanOrEqual(1e-5);
    }
  });

  test('K = 0 gives beta * C', () => {
    check({ M: 3, N: 4, K: 0, transA: false, transB: false, alpha: 2, beta: 0.5, pad: 1 }, 1);
  });

  test('beta = 0 does not read C, so NaN in C does not leak', () => {
    for (const gemm of [simdPath, wasmBackend.kernels.gemm, referenceKernels.gemm]) {
      const C = new Float32Array(4).fill(Number.NaN);
      gemm(false, false, 2, 2, 1, 1, Float32Array.of(1, 2), 1, 0, Float32Array.of(3, 4), 2, 0, 0, C, 2, 0);
      expect(Array.from(C)).toEqual([3, 4, 6, 8]);
    }
  });

  test('property: random sizes, strides, offsets, alpha and beta match the float64 reference', () => {
    fc.assert(fc.property(
      fc.record({
        M: fc.integer({ min: 1, max: 13 }), N: fc.integer({ min: 1, max: 19 }), K: fc.integer({ min: 1, max: 40 }),
        transA: fc.boolean(), transB: fc.boolean(), alpha: fc.constantFrom(1, -0.5, 2), beta: fc.constantFrom(0, 1, 0.25), pad: fc.integer({ min: 0, max: 3 }),
      }),
      fc.integer(),
      (c, seed) => check(c, seed),
    ), { numRuns: 60 });
  });

  test('gemm.wat and gemm_fma.wat are what scripts/gen_gemm_wat.ts generates for the tile gemm_simd.ts packs for (tuning.ts MR x NR)', () => {
    expect(GEMM_SOURCES.map((s) => s.file)).toEqual(['gemm.wat', 'gemm_fma.wat']);
    for (const { file, tile } of GEMM_SOURCES) expect(readFileSync(join(WASM_DIR, file), 'utf8')).toBe(gemmWat(tile));
  });

  test.each([
    ['gemm.wat', WASM_BASE64, SHARED_BASE64],
    ['gemm_fma.wat', FMA_BASE64, FMA_SHARED_BASE64],
  ])('the committed bytes are the compilation of %s and of its shared-memory variant (run npm run build:wasm after editing it)', async (file, own, shared) => {
    const text = readFileSync(join(WASM_DIR, file), 'utf8');
    const bytes = await compileWat(file, text);
    expect(Buffer.from(decodeBase64(own)).equals(Buffer.from(bytes))).toBe(true);
    const sharedBytes = await compileWat(file, sharedVariant(text)!);
    expect(Buffer.from(decodeBase64(shared)).equals(Buffer.from(sharedBytes))).toBe(true);
  });
});

describe('the GEMM kernel chosen at load: mul+add, or relaxed SIMD fused multiply-add', () => {
  const cases: Case[] = [
    { M: 133, N: 129, K: 261, transA: false, transB: true, alpha: 1, beta: 0, pad: 1 },
    { M: 70, N: 300, K: 200, transA: true, transB: false, alpha: 0.5, beta: 1, pad: 0 },
    { M: 17, N: 33, K: 300, transA: true, transB: true, alpha: 1, beta: 0.25, pad: 2 },
    { M: 9, N: 601, K: 400, transA: false, transB: true, alpha: 1, beta: 0, pad: 1 },
  ];
  const checkInstance = (loaded: ReturnType<typeof loadWasmWith>, seed: number) => {
    const simd: Gemm = (...args) => expect(loaded.gemmSimd.gemmSimd(...args)).toBe(true);
    cases.forEach((c, i) => check(c, seed + i, [simd, loaded.index.wasmBackend.kernels.gemm]));
  };

  test('this instance runs the fused kernel exactly where the engine has relaxed SIMD (unless MXTS_RELAXED_SIMD=0)', () => {
    expect(RELAXED_SIMD.fused).toBe(RELAXED_SIMD.engine && process.env['MXTS_RELAXED_SIMD'] !== '0');
    expect(wasmBackend.kernels.gemm).toBeDefined();
  });

  test('MXTS_RELAXED_SIMD=0: the mul+add kernel, on the worker pool and on one thread, within the same tolerance', () => {
    const mulAdd = loadWasmWith({ MXTS_RELAXED_SIMD: '0' });
    expect(mulAdd.index.wasmBackendInfo().fma).toBe(false);
    checkInstance(mulAdd, 40);
    checkInstance(loadWasmWith({ MXTS_RELAXED_SIMD: '0', MXTS_NUM_THREADS: '1' }), 50);
  });

  test('MXTS_RELAXED_SIMD=1 (switching V8\'s flag on under Node 20): the relaxed_madd kernel, on the worker pool and on one thread, within the same tolerance', () => {
    const fused = loadWasmWith({ MXTS_RELAXED_SIMD: '1' });
    // Node 20 has relaxed SIMD behind a flag mxts sets on request; Node >= 22 has it on.
    expect(fused.index.wasmBackendInfo()).toMatchObject({ relaxedSimd: true, fma: true });
    checkInstance(fused, 60);
    checkInstance(loadWasmWith({ MXTS_RELAXED_SIMD: '1', MXTS_NUM_THREADS: '1' }), 70);
  });
});
