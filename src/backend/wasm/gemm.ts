/**
 * General matrix multiply on float32 buffers, as BLAS sgemm (row-major):
 * C = alpha * op(A) * op(B) + beta * C, with op(A) of size M x K, op(B) K x N and C M x N.
 * `lda`, `ldb`, `ldc` are row strides and `off*` element offsets, so a kernel can multiply
 * sub-blocks of larger buffers (a group of a weight, one sample of a batch) without copies.
 * NOTE: beta = 0 assigns (stale NaNs in C do not leak), as BLAS does.
 * Products big enough to repay packing run in the WebAssembly SIMD kernel, smaller ones in the
 * reference backend's loops.
 */
import type { ColumnSource } from '../geometry';
import { gemm as gemmReference } from '../reference/gemm';
import { col2im, im2col } from './im2col';
import { gemmSimd } from './gemm_simd';
import { rowDotsInto } from './level1_simd';
import { GEMM_MIN_WORK } from './tuning';

export function gemm(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float32Array,
  lda: number,
  offA: number,
  B: Float32Array,
  ldb: number,
  offB: number,
  beta: number,
  C: Float32Array,
  ldc: number,
  offC: number,
): void {
  // One row times a transposed B (a batch-1 FullyConnected): dot products of B's rows, unpacked.
  if (M === 1 && !transA && transB && N * K >= GEMM_MIN_WORK && rowDotsInto(N, K, alpha, B, ldb, offB, A, offA, beta, C, offC, 1)) return;
  if (M * N * K >= GEMM_MIN_WORK && gemmSimd(transA, transB, M, N, K, alpha, A, lda, offA, B, ldb, offB, beta, C, ldc, offC)) return;
  gemmReference(transA, transB, M, N, K, alpha, A, lda, offA, B, ldb, offB, beta, C, ldc, offC);
}

/**
 * `gemm` with op(B) the im2col column buffer of `source` (K x N, or its transpose with transB),
 * which the WebAssembly path writes straight into its heap; elsewhere the columns are written into
 * `scratch` (at least K * N floats) and multiplied from there.
 */
export function gemmColumns(
  transB: boolean, M: number, N: number, K: number, alpha: number, A: Float32Array, lda: number, offA: number,
  source: ColumnSource, scratch: Float32Array, beta: number, C: Float32Array, ldc: number, offC: number,
): void {
  if (M * N * K >= GEMM_MIN_WORK && gemmSimd(false, transB, M, N, K, alpha, A, lda, offA, source, 0, 0, beta, C, ldc, offC)) return;
  const width = source.samples * source.geo.outH * source.geo.outW;
  im2col(source.image, source.offset, source.geo, scratch, 0, width, source.samples, source.sampleStride);
  gemm(false, transB, M, N, K, alpha, A, lda, offA, scratch, width, 0, beta, C, ldc, offC);
}

/**
 * The product op(A) * op(B) (M x N) taken as im2col columns of `sink` and added into its images
 * (col2im), the WebAssembly path without a column buffer in JavaScript memory; elsewhere the
 * product is written into `scratch` (at least M * N floats) and scattered from there.
 */
export function gemmIntoImages(
  transA: boolean, transB: boolean, M: number, N: number, K: number, A: Float32Array, lda: number, offA: number,
  B: Float32Array, ldb: number, offB: number, sink: ColumnSource, scratch: Float32Array,
): void {
  if (M * N * K >= GEMM_MIN_WORK && gemmSimd(transA, transB, M, N, K, 1, A, lda, offA, B, ldb, offB, 0, sink, 0, 0)) return;
  gemm(transA, transB, M, N, K, 1, A, lda, offA, B, ldb, offB, 0, scratch, N, 0);
  col2im(scratch, sink.geo, sink.image, sink.offset, 0, N, sink.samples, sink.sampleStride);
}
