/**
 * General matrix multiply on float32 buffers, as BLAS sgemm (row-major):
 * C = alpha * op(A) * op(B) + beta * C, with op(A) of size M x K, op(B) K x N and C M x N.
 * `lda`, `ldb`, `ldc` are row strides and `off*` element offsets, so a kernel can multiply
 * sub-blocks of larger buffers (a group of a weight, one sample of a batch) without copies.
 * NOTE: beta = 0 assigns (stale NaNs in C do not leak), as BLAS does.
 */
import type { ColumnSource } from '../geometry';
import { col2im, im2col } from './im2col';

/** The plain triple loop: the definition faster backends are tested against. */
export function gemm(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, lda: number, offA: number, B: Float32Array, ldb: number, offB: number,
  beta: number, C: Float32Array, ldc: number, offC: number,
): void {
  // A(i, k) is at offA + i*lda + k, or offA + k*lda + i when transposed; likewise B(k, j).
  const aRow = transA ? 1 : lda;
  const aCol = transA ? lda : 1;
  for (let i = 0; i < M; i++) {
    const c = offC + i * ldc;
    if (beta === 0) for (let j = 0; j < N; j++) C[c + j] = 0;
    else if (beta !== 1) for (let j = 0; j < N; j++) C[c + j]! *= beta;
    if (transB) {
      // B(k, j) = B[offB + j*ldb + k]: a dot product per element keeps the inner loop contiguous.
      for (let j = 0; j < N; j++) {
        const b = offB + j * ldb;
        let sum = 0;
        for (let k = 0; k < K; k++) sum += A[offA + i * aRow + k * aCol]! * B[b + k]!;
        C[c + j]! += alpha * sum;
      }
    } else {
      // i-k-j: the inner loop walks one row of B and one row of C.
      for (let k = 0; k < K; k++) {
        const a = alpha * A[offA + i * aRow + k * aCol]!;
        const b = offB + k * ldb;
        for (let j = 0; j < N; j++) C[c + j]! += a * B[b + j]!;
      }
    }
  }
}

/**
 * `gemm` with op(B) the im2col columns of `source` (K x N, or its transpose with transB), written
 * into `scratch` (at least K * N floats) and multiplied from there.
 */
export function gemmColumns(
  transB: boolean, M: number, N: number, K: number, alpha: number, A: Float32Array, lda: number, offA: number,
  source: ColumnSource, scratch: Float32Array, beta: number, C: Float32Array, ldc: number, offC: number,
): void {
  const width = source.samples * source.geo.outH * source.geo.outW;
  im2col(source.image, source.offset, source.geo, scratch, 0, width, source.samples, source.sampleStride);
  gemm(false, transB, M, N, K, alpha, A, lda, offA, scratch, width, 0, beta, C, ldc, offC);
}

/**
 * The product op(A) * op(B) (M x N) taken as im2col columns of `sink` and added into its images
 * (col2im), through `scratch` (at least M * N floats).
 */
export function gemmIntoImages(
  transA: boolean, transB: boolean, M: number, N: number, K: number, A: Float32Array, lda: number, offA: number,
  B: Float32Array, ldb: number, offB: number, sink: ColumnSource, scratch: Float32Array,
): void {
  gemm(transA, transB, M, N, K, 1, A, lda, offA, B, ldb, offB, 0, scratch, N, 0);
  col2im(scratch, sink.geo, sink.image, sink.offset, 0, N, sink.samples, sink.sampleStride);
}

export const gemmKernels = { gemm, gemmColumns, gemmIntoImages };
