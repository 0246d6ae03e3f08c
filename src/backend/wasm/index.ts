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
import { gemm, gemmColumns, gemmIntoImages } from './gemm';
import { col2im, im2col } from './im2col';
import { activationGradInto, addBiasRows, axpby, binaryInto, channelAffine, channelSums, columnSums, reluInto } from './level1_simd';
import { gatherBlocksSimd, maxPoolBackwardSimd, poolSimd, scatterBlocksSimd, sumPoolBackwardSimd } from './spatial_simd';
import { expInto, logSoftmaxRows, sigmoidInto, softmaxRows, tanhInto } from './vector_simd';

const SIMD_MAPS: Partial<Record<UnaryFunction, (x: Float32Array, out: Float32Array, req: Req) => void>> = {
  exp: expInto,
  sigmoid: sigmoidInto,
  tanh: tanhInto,
  relu: reluInto,
};

/** Gradients level1.wat computes, all from the output (relu's y > 0 exactly where x > 0). */
const SIMD_GRADS: Partial<Record<UnaryFunction, 'input' | 'output'>> = { relu: 'output', tanh: 'output', sigmoid: 'output' };

const wasmKernels: Kernels = Object.freeze({
  ...referenceKernels,
  unaryMap(fn: UnaryFunction, x: Float32Array, out: Float32Array, req: Req): void {
    const simd = SIMD_MAPS[fn];
    if (simd) simd(x, out, req);
    else referenceKernels.unaryMap(fn, x, out, req);
  },
  unaryGrad(fn: UnaryFunction, x: Float32Array, y: Float32Array, g: Float32Array, dx: Float32Array, req: Req): void {
    const reads = SIMD_GRADS[fn];
    if (reads) activationGradInto(fn as 'relu' | 'tanh' | 'sigmoid', reads === 'input' ? x : y, g, dx, req);
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
  axpby,
  addBiasRows,
  columnSums,
  channelAffine,
  channelSums,
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

export const wasmBackend: Backend = Object.freeze({ name: 'wasm', kernels: wasmKernels, reserveMemory: (floats: number) => Arena.reserve(floats) });

/** Whether this host runs WebAssembly with the SIMD extension (a tiny module that uses v128). */
export function wasmSimdAvailable(): boolean {
  if (typeof WebAssembly === 'undefined') return false;
  // (module (func (result v128) i32.const 0 i8x16.splat))
  const probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 15, 11]);
  try {
    return WebAssembly.validate(probe);
  } catch {
    return false;
  }
}
