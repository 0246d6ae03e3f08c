/**
 * Shape checks and sizes shared by the linalg ops (MXNet `tensor/la_op.h`): every op works on
 * the trailing two axes and batches over the leading ones.
 */
import { shapeToString, type Shape } from '../../base/shape';
import type { ShapeSite } from '../types';

/** Float32 workspace floats that hold `doubles` float64 values (the kernels view them aligned). */
export const f64WorkspaceFloats = (doubles: number): number => 2 * doubles + 2;

/** How many matrices (trailing = 2) or vectors (trailing = 1) the shape holds. */
export const batchOf = (shape: Shape, trailing = 2): number => shape.slice(0, shape.length - trailing).reduce((p, d) => p * d, 1);

export const lastDim = (shape: Shape): number => shape[shape.length - 1]!;
export const rowDim = (shape: Shape): number => shape[shape.length - 2]!;

/** Fails unless `shape` has at least `minDims` dimensions. */
export function requireDims(shape: Shape, minDims: number, site: ShapeSite, argument: string): void {
  if (shape.length < minDims) {
    const what = minDims === 2 ? 'a tensor of matrices' : 'a tensor of vectors';
    site.fail(argument, `shape ${shapeToString(shape)} must have at least ${minDims} dimensions (${what})`, minDims, shape.length);
  }
}

/** Fails unless `shape` is a tensor of square matrices. */
export function requireSquare(shape: Shape, site: ShapeSite, argument: string): void {
  requireDims(shape, 2, site, argument);
  if (rowDim(shape) !== lastDim(shape)) {
    site.fail(argument, `shape ${shapeToString(shape)} must hold square matrices (its last two dimensions differ)`, 'square', shape);
  }
}

/** Fails unless two tensors of matrices have the same number of dimensions and the same leading ones. */
export function requireSameBatch(a: Shape, aName: string, b: Shape, bName: string, site: ShapeSite): void {
  requireDims(b, 2, site, bName);
  const same = a.length === b.length && a.slice(0, -2).every((d, i) => d === b[i]);
  if (!same) {
    site.fail(bName, `shape ${shapeToString(b)} must have the leading dimensions of ${aName} ${shapeToString(a)} (all but the last two)`, a, b);
  }
}

/** The output shape of a reduction of each matrix to a scalar: the leading dims, or [1] for one matrix. */
export const perMatrixShape = (shape: Shape): Shape => (shape.length === 2 ? [1] : shape.slice(0, -2));
