/**
 * The WebAssembly backend: SIMD kernels (and, in Node, worker threads) where they pay; every other
 * kernel is the reference backend's.
 */
import type { Backend, Kernels } from '../backend';
import { referenceKernels } from '../reference/index';
import type { BinaryFunction } from '../reference/binary_math';
import type { UnaryFunction } from '../reference/unary_math';
import type { AxisView, PoolGeometry } from '../geometry';
import type { PoolType } from '../reference/pooling';
import type { Req } from '../../base/req';
import { Arena } from './arena';
import { RELAXED_SIMD, wasmSimdAvailable } from './features';
import { configuredThreads } from './gemm_threads';
import { SCALAR_CODES, type GradActivation, type VectorMap } from './codes';
import { gemm, gemmColumns, gemmIntoImages } from './gemm';
import { col2im, im2col } from './im2col';
import {
  activationGradInto, addBiasRows as addBiasRowsSimd, axpby as axpbySimd, binaryInto, channelAffine as channelAffineSimd,
  channelSums as channelSumsSimd, columnSums as columnSumsSimd, reluInto,
} from './level1_simd';
import { gatherBlocksSimd, maxPoolBackwardSimd, poolSimd, scatterBlocksSimd, sumPoolBackwardSimd } from './spatial_simd';
import { logSoftmaxRows, mapInto, softmaxRows } from './vector_simd';

const isVectorMap = (fn: UnaryFunction): fn is VectorMap => fn in SCALAR_CODES.vectorMap;
/** Gradients level1.wat computes, all from the output (relu's y > 0 exactly where x > 0). */
const isGradActivation = (fn: UnaryFunction): fn is GradActivation => fn in SCALAR_CODES.activationGrad;

/**
 * Each kernel below tries its SIMD path, which returns false (doing nothing) where the reference
 * kernel should run instead: small arrays, layouts the SIMD code does not take, hosts without it.
 */
const wasmKernels: Kernels = Object.freeze({
  ...referenceKernels,
  unaryMap(fn: UnaryFunction, x: Float32Array, out: Float32Array, req: Req): void {
    const done = isVectorMap(fn) ? mapInto(fn, x, out, req) : fn === 'relu' && reluInto(x, out, req);
    if (!done) referenceKernels.unaryMap(fn, x, out, req);
  },
  unaryGrad(fn: UnaryFunction, x: Float32Array, y: Float32Array, g: Float32Array, dx: Float32Array, req: Req): void {
    if (isGradActivation(fn)) activationGradInto(fn, y, g, dx, req);
    else referenceKernels.unaryGrad(fn, x, y, g, dx, req);
  },
  binaryMap(fn: BinaryFunction, a: Float32Array, b: Float32Array, out: Float32Array, req: Req): void {
    if (fn === 'add' || fn === 'sub' || fn === 'mul' || fn === 'div') binaryInto(fn, a, b, out, req);
    else referenceKernels.binaryMap(fn, a, b, out, req);
  },
  gemm,
  gemmColumns,
  gemmIntoImages,
  im2col,
  col2im,
  axpby(a: number, x: Float32Array, b: number, y: Float32Array): void {
    if (!axpbySimd(a, x, b, y)) referenceKernels.axpby(a, x, b, y);
  },
  addBiasRows(out: Float32Array, rows: number, cols: number, bias: Float32Array): void {
    if (!addBiasRowsSimd(out, rows, cols, bias)) referenceKernels.addBiasRows(out, rows, cols, bias);
  },
  columnSums(src: Float32Array, rows: number, cols: number, out: Float32Array, req: Req): void {
    if (!columnSumsSimd(src, rows, cols, out, req)) referenceKernels.columnSums(src, rows, cols, out, req);
  },
  channelAffine(x: Float32Array, out: Float32Array, view: AxisView, mean: Float64Array, scale: Float64Array, shift: Float64Array, req: Req): void {
    if (!channelAffineSimd(x, out, view, mean, scale, shift, req)) referenceKernels.channelAffine(x, out, view, mean, scale, shift, req);
  },
  channelSums(x: Float32Array, view: AxisView, centers: Float64Array | null, sums: Float64Array): void {
    if (!channelSumsSimd(x, view, centers, sums)) referenceKernels.channelSums(x, view, centers, sums);
  },
  scatterBlocks(matrix: Float32Array, batch: Float32Array, first: number, count: number, filters: number, positions: number, add: boolean, bias: Float32Array | null): void {
    if (!scatterBlocksSimd(matrix, batch, first, count, filters, positions, add, bias)) referenceKernels.scatterBlocks(matrix, batch, first, count, filters, positions, add, bias);
  },
  gatherBlocks(batch: Float32Array, matrix: Float32Array, first: number, count: number, filters: number, positions: number): void {
    if (!gatherBlocksSimd(batch, matrix, first, count, filters, positions)) referenceKernels.gatherBlocks(batch, matrix, first, count, filters, positions);
  },
  poolForward(type: PoolType, w: PoolGeometry, planes: number, x: Float32Array, out: Float32Array, add: boolean, includePad: boolean): void {
    if (!poolSimd(type, w, planes, x, out, add, includePad)) referenceKernels.poolForward(type, w, planes, x, out, add, includePad);
  },
  poolBackward(type: PoolType, w: PoolGeometry, planes: number, x: Float32Array, y: Float32Array, head: Float32Array, grad: Float32Array, includePad: boolean): void {
    const done = type === 'max' ? maxPoolBackwardSimd(w, planes, x, y, head, grad) : sumPoolBackwardSimd(w, planes, head, grad, type === 'avg', includePad);
    if (!done) referenceKernels.poolBackward(type, w, planes, x, y, head, grad, includePad);
  },
  /** Contiguous rows (inner 1, temperature 1, write) run in SIMD, softmax rows split across threads. */
  softmaxForward(x: Float32Array, out: Float32Array, view: AxisView, temperature: number, log: boolean, add: boolean): void {
    const rows = view.inner === 1 && temperature === 1 && !add && (log ? logSoftmaxRows : softmaxRows)(x, out, view.outer, view.n);
    if (!rows) referenceKernels.softmaxForward(x, out, view, temperature, log, add);
  },
});

export const wasmBackend: Backend = Object.freeze({ name: 'wasm', kernels: wasmKernels, reserveMemory: (floats: number) => Arena.attempt(floats) });

export { wasmSimdAvailable } from './features';

/** What the wasm backend runs on this host (mx.backendInfo()). */
export function wasmBackendInfo(): { simd: boolean; relaxedSimd: boolean; fma: boolean; threads: number } {
  return { simd: wasmSimdAvailable(), relaxedSimd: RELAXED_SIMD.engine, fma: RELAXED_SIMD.fused, threads: configuredThreads() };
}
