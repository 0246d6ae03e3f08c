/**
 * The kernels under the layers, checked directly on every backend's kernel table, so a faster GEMM
 * can replace the plain one: every transpose combination with row strides, offsets, alpha and beta
 * against a float64 triple loop; im2col/col2im as an adjoint pair (<im2col(x), c> = <x, col2im(c)>).
 */
import fc from 'fast-check';
import type { Kernels } from '../../../src/backend/backend';
import { colSize, convGeometry } from '../../../src/backend/geometry';
import { referenceKernels } from '../../../src/backend/reference/index';
import { wasmBackend } from '../../../src/backend/wasm/index';

const TABLES: readonly [string, Kernels][] = [['wasm', wasmBackend.kernels], ['reference', referenceKernels]];

/** Seeded values in [-1, 1) (a small LCG so the test does not depend on the library's generator). */
function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

describe.each(TABLES)('gemm [%s]', (_name, { gemm }) => {
  test('C = alpha op(A) op(B) + beta C for all transposes, with padding in lda/ldb/ldc and offsets', () => {
    fc.assert(
      fc.property(
        fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 6 }),
        fc.constantFrom(1, 0.5, -2), fc.constantFrom(0, 1, 0.25), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1000 }),
        (transA, transB, M, N, K, alpha, beta, extra, seed) => {
          const [aRows, aCols] = transA ? [K, M] : [M, K];
          const [bRows, bCols] = transB ? [N, K] : [K, N];
          const [lda, ldb, ldc] = [aCols + extra, bCols + extra, N + extra];
          const [offA, offB, offC] = [extra, 2 * extra, 3 * extra];
          const A = values(offA + aRows * lda, seed);
          const B = values(offB + bRows * ldb, seed + 1);
          const C = values(offC + M * ldc, seed + 2);
          const before = C.slice();
          gemm(transA, transB, M, N, K, alpha, A, lda, offA, B, ldb, offB, beta, C, ldc, offC);
          const a = (i: number, k: number) => A[offA + (transA ? k * lda + i : i * lda + k)]!;
          const b = (k: number, j: number) => B[offB + (transB ? j * ldb + k : k * ldb + j)]!;
          for (let i = 0; i < M; i++) {
            for (let j = 0; j < N; j++) {
              let sum = 0;
              for (let k = 0; k < K; k++) sum += a(i, k) * b(k, j);
              const expected = alpha * sum + beta * before[offC + i * ldc + j]!;
              expect(Math.abs(C[offC + i * ldc + j]! - expected)).toBeLessThan(1e-5);
            }
            // the padding between rows is untouched
            for (let j = N; j < ldc && i * ldc + j + offC < C.length; j++) expect(C[offC + i * ldc + j]).toBe(before[offC + i * ldc + j]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('beta = 0 overwrites NaN already in C, as BLAS does', () => {
    const C = new Float32Array([NaN, NaN]);
    gemm(false, false, 1, 2, 1, 1, new Float32Array([2]), 1, 0, new Float32Array([3, 4]), 2, 0, 0, C, 2, 0);
    expect(Array.from(C)).toEqual([6, 8]);
  });
});

describe.each(TABLES)('im2col and col2im [%s]', (_name, { col2im, im2col }) => {
  test('are adjoint for random 1-D and 2-D geometries with stride, pad and dilate', () => {
    fc.assert(
      fc.property(
        fc.boolean(), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 1000 }),
        (twoD, channels, h, w, kh, kw, stride, pad, dilate, seed) => {
          const spatial = twoD ? [h, w] : [w];
          const kernel = twoD ? [kh, kw] : [kw];
          const out = spatial.map((size, i) => Math.floor((size + 2 * pad - dilate * (kernel[i]! - 1) - 1) / stride) + 1);
          fc.pre(out.every((o) => o > 0));
          const axes = (v: number) => spatial.map(() => v);
          const g = convGeometry(channels, spatial, kernel, axes(stride), axes(pad), axes(dilate), out);
          const image = values(channels * spatial.reduce((a, b) => a * b, 1), seed);
          const cols = values(colSize(g), seed + 7);
          const unfolded = new Float32Array(colSize(g));
          im2col(image, 0, g, unfolded);
          const folded = new Float32Array(image.length);
          col2im(cols, g, folded, 0);
          const lhs = unfolded.reduce((s, v, i) => s + v * cols[i]!, 0);
          const rhs = folded.reduce((s, v, i) => s + v * image[i]!, 0);
          expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * (1 + Math.abs(lhs)));
        },
      ),
      { numRuns: 200 },
    );
  });

  test('im2col of a 3x3 image with a 2x2 window lays each window out as a column (computed by hand)', () => {
    const g = convGeometry(1, [3, 3], [2, 2], [1, 1], [0, 0], [1, 1], [2, 2]);
    const col = new Float32Array(colSize(g));
    im2col(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), 0, g, col);
    // rows: tap (0,0), (0,1), (1,0), (1,1); columns: windows at (0,0), (0,1), (1,0), (1,1)
    expect(Array.from(col)).toEqual([1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9]);
  });
});
