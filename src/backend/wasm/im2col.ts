/**
 * im2col / col2im: large calls run the reference loops' exact order of operations in WebAssembly
 * (spatial.wat, identical results); small ones, and hosts where that cannot run, the loops themselves.
 */
import type { ConvGeometry } from '../geometry';
import { col2im as col2imReference, im2col as im2colReference } from '../reference/im2col';
import { col2imSimd, im2colSimd } from './spatial_simd';

export function im2col(image: Float32Array, offset: number, g: ConvGeometry, col: Float32Array, colOffset = 0, ldCol = g.outH * g.outW, samples = 1, sampleStride = 0): void {
  if (!im2colSimd(image, offset, g, col, colOffset, ldCol, samples, sampleStride)) im2colReference(image, offset, g, col, colOffset, ldCol, samples, sampleStride);
}

export function col2im(col: Float32Array, g: ConvGeometry, image: Float32Array, offset: number, colOffset = 0, ldCol = g.outH * g.outW, samples = 1, sampleStride = 0): void {
  if (!col2imSimd(col, g, image, offset, colOffset, ldCol, samples, sampleStride)) col2imReference(col, g, image, offset, colOffset, ldCol, samples, sampleStride);
}
