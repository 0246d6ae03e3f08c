/**
 * The WebAssembly SIMD GEMM against a float64 reference on seeded inputs: sizes below, at and
 * above the 4x8 register tile and the 256-deep K block, every transpose, strides and offsets,
 * alpha/beta. Also checks the committed wasm bytes are the compilation of gemm.wat.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { compileWat, sharedVariant, WASM_DIR } from '../../../scripts/build_wasm';
import { gemmWat } from '../../../scripts/gen_gemm_wat';
import { decodeBase64 } from '../../../src/backend/wasm/base64';
import { disableSimdForTesting, disableThreadsForTesting, gemmModule, gemmSimd } from '../../../src/backend/wasm/gemm_simd';
import { gemm } from '../../../src/backend/wasm/gemm';
import { threadedGemm } from '../../../src/backend/wasm/gemm_threads';
import { WASM_BASE64 } from '../../../src/backend/wasm/gemm_wasm';
import { WASM_BASE64 as SHARED_BASE64 } from '../../../src/backend/wasm/gemm_shared_wasm';

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
}

interface Case { M: number; N: number; K: number; transA: boolean; transB: boolean; alpha: number; beta: number; pad: number }

/** Runs gemmSimd on padded, offset buffers and compares with a float64 triple loop. */
function check({ M, N, K, transA, transB, alpha, beta, pad }: Case, seed: number): void {
  const rand = seeded(seed);
  const lda = (transA ? M : K) + pad;
  const ldb = (transB ? K : N) + pad;
  const ldc = N + pad;
  const offA = pad, offB = 2 * pad, offC = 3 * pad;
  const A = Float32Array.from({ length: offA + (transA ? K : M) * lda }, rand);
  const B = Float32Array.from({ length: offB + (transB ? N : K) * ldb }, rand);
  const C = Float32Array.from({ length: offC + M * ldc }, rand);
  const before = C.slice();
  expect(gemmSimd(transA, transB, M, N, K, alpha, A, lda, offA, B, ldb, offB, beta, C, ldc, offC)).toBe(true);
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
    disableThreadsForTesting(true);
    try {
      check({ M: 133, N: 129, K: 261, transA: true, transB: true, alpha: 1, beta: 0, pad: 2 }, 9);
    } finally {
      disableThreadsForTesting(false);
    }
  });

  test('without WebAssembly the dispatcher falls back to the plain loops with the same results', () => {
    const rand = seeded(99);
    const [M, N, K] = [40, 37, 50];
    const A = Float32Array.from({ length: M * K }, rand);
    const B = Float32Array.from({ length: K * N }, rand);
    const withSimd = new Float32Array(M * N);
    const withoutSimd = new Float32Array(M * N);
    gemm(false, true, M, N, K, 1, A, K, 0, B, K, 0, 0, withSimd, N, 0);
    disableSimdForTesting(true);
    try {
      expect(gemmSimd(false, true, M, N, K, 1, A, K, 0, B, K, 0, 0, withoutSimd, N, 0)).toBe(false);
      gemm(false, true, M, N, K, 1, A, K, 0, B, K, 0, 0, withoutSimd, N, 0);
    } finally {
      disableSimdForTesting(false);
    }
    for (let i = 0; i < M * N; i++) expect(Math.abs(withSimd[i]! - withoutSimd[i]!)).toBeLessThanOrEqual(1e-5);
  });

  test('K = 0 gives beta * C', () => {
    check({ M: 3, N: 4, K: 0, transA: false, transB: false, alpha: 2, beta: 0.5, pad: 1 }, 1);
  });

  test('beta = 0 does not read C, so NaN in C does not leak', () => {
    const C = new Float32Array(4).fill(Number.NaN);
    gemmSimd(false, false, 2, 2, 1, 1, Float32Array.of(1, 2), 1, 0, Float32Array.of(3, 4), 2, 0, 0, C, 2, 0);
    expect(Array.from(C)).toEqual([3, 4, 6, 8]);
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

  test('gemm.wat is what scripts/gen_gemm_wat.ts generates for the tile gemm_simd.ts packs for', () => {
    expect(readFileSync(join(WASM_DIR, 'gemm.wat'), 'utf8')).toBe(gemmWat());
  });

  test('the committed bytes are the compilation of gemm.wat and of its shared-memory variant (run npm run build:wasm after editing it)', async () => {
    const text = readFileSync(join(WASM_DIR, 'gemm.wat'), 'utf8');
    const bytes = await compileWat('gemm.wat', text);
    expect(Buffer.from(decodeBase64(WASM_BASE64)).equals(Buffer.from(bytes))).toBe(true);
    const shared = await compileWat('gemm.wat', sharedVariant(text)!);
    expect(Buffer.from(decodeBase64(SHARED_BASE64)).equals(Buffer.from(shared))).toBe(true);
  });
});
