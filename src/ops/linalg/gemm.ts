/**
 * `_linalg_gemm` (out = alpha op(A) op(B) + beta C) and `_linalg_gemm2` (out = alpha op(A) op(B))
 * from MXNet `tensor/la_op.cc`. Matrix rows lie on `axis` (default -2), columns on the last
 * axis; every other axis is a batch axis (MXNet's swapaxes-free non-default axis).
 */
import { shapeToString, type Shape } from '../../base/shape';
import { bool, float, int } from '../params';
import { defineOp } from '../registry';
import type { ForwardContext, MaybeShape, Req, ShapeSite, Tensor } from '../types';
import { lastDim, requireDims } from './common';

interface GemmParams {
  readonly transpose_a: boolean;
  readonly transpose_b: boolean;
  readonly alpha: number;
  readonly axis: number;
}

const resolveAxis = (axis: number, ndim: number) => (axis < 0 ? axis + ndim : axis);

/** A and B are (outer..., rows, mid..., cols): the batch is outer x mid matrices. */
function layoutOf(shape: Shape, axis: number) {
  const row = resolveAxis(axis, shape.length);
  let outer = 1;
  let mid = 1;
  for (let i = 0; i < row; i++) outer *= shape[i]!;
  for (let i = row + 1; i < shape.length - 1; i++) mid *= shape[i]!;
  return { layout: { outer, mid }, rows: shape[row]!, cols: lastDim(shape) };
}

/** MXNet's LaMatrixMultMacOpShape: the product's shape, or null while A or B is unknown. */
function productShape(p: GemmParams, a: MaybeShape, b: MaybeShape, site: ShapeSite): Shape | null {
  if (!a || !b) return null;
  requireDims(a, 2, site, 'A');
  requireDims(b, 2, site, 'B');
  const ndim = a.length;
  if (b.length !== ndim) site.fail('B', `shape ${shapeToString(b)} must have as many dimensions as A ${shapeToString(a)}`, ndim, b.length);
  const axis = resolveAxis(p.axis, ndim);
  if (axis < 0 || axis >= ndim - 1) site.fail('axis', `${p.axis} is not a valid row axis for ${ndim}-d inputs (the last axis holds the columns)`, ndim, p.axis);
  for (let i = 0; i < ndim - 1; i++) {
    if (i !== axis && a[i] !== b[i]) site.fail('B', `shape ${shapeToString(b)} must match A ${shapeToString(a)} on every axis but the row and column axes`, a, b);
  }
  const inner = p.transpose_a ? a[axis]! : a[ndim - 1]!;
  const innerB = p.transpose_b ? b[ndim - 1]! : b[axis]!;
  if (inner !== innerB) {
    site.fail('B', `shape ${shapeToString(b)} is incompatible with A ${shapeToString(a)} for multiplication (inner dimensions ${inner} and ${innerB}, transpose_a=${p.transpose_a}, transpose_b=${p.transpose_b})`, inner, innerB);
  }
  const out = [...a];
  out[axis] = p.transpose_a ? a[ndim - 1]! : a[axis]!;
  out[ndim - 1] = p.transpose_b ? b[axis]! : b[ndim - 1]!;
  return out;
}

function gemmForward(p: GemmParams, beta: number, [a, b, c]: readonly Tensor[], out: Tensor, req: Req, ctx: ForwardContext): void {
  const la = layoutOf(a!.shape, p.axis);
  const lb = layoutOf(b!.shape, p.axis);
  ctx.kernels.linalgGemm(a!.data, la.rows, la.cols, p.transpose_a, b!.data, lb.rows, lb.cols, p.transpose_b, c?.data ?? null, p.alpha, beta, out.data, req, la.layout);
}

/** dA = alpha dOut op(B)^T (transposed back when transpose_a), dB = alpha op(A)^T dOut (likewise). */
function gemmBackward(p: GemmParams, [a, b]: readonly Tensor[], g: Tensor, [da, db]: readonly (Tensor | null)[], req: readonly Req[], ctx: ForwardContext): void {
  const la = layoutOf(a!.shape, p.axis);
  const lb = layoutOf(b!.shape, p.axis);
  const lg = layoutOf(g.shape, p.axis);
  const k = ctx.kernels;
  if (da) {
    if (p.transpose_a) k.linalgGemm(b!.data, lb.rows, lb.cols, p.transpose_b, g.data, lg.rows, lg.cols, true, null, p.alpha, 0, da.data, req[0]!, la.layout);
    else k.linalgGemm(g.data, lg.rows, lg.cols, false, b!.data, lb.rows, lb.cols, !p.transpose_b, null, p.alpha, 0, da.data, req[0]!, la.layout);
  }
  if (db) {
    if (p.transpose_b) k.linalgGemm(g.data, lg.rows, lg.cols, true, a!.data, la.rows, la.cols, p.transpose_a, null, p.alpha, 0, db.data, req[1]!, la.layout);
    else k.linalgGemm(a!.data, la.rows, la.cols, !p.transpose_a, g.data, lg.rows, lg.cols, false, null, p.alpha, 0, db.data, req[1]!, la.layout);
  }
}

const matrixParams = {
  transpose_a: bool({ doc: 'multiply with the transpose of A', default: false }),
  transpose_b: bool({ doc: 'multiply with the transpose of B', default: false }),
  alpha: float({ doc: 'scalar factor of op(A) op(B)', default: 1 }),
};
const axisParam = int({ doc: 'axis of the matrix rows (the last axis holds the columns)', default: -2 });

export const linalgGemmOp = defineOp({
  name: '_linalg_gemm',
  aliases: ['linalg_gemm'],
  doc: 'out = alpha op(A) op(B) + beta C per matrix (op = transpose when asked; rows on axis). dA = alpha g op(B)^T, dB = alpha op(A)^T g (transposed back for transposed operands), dC = beta g.',
  params: { ...matrixParams, beta: float({ doc: 'scalar factor of C', default: 1 }), axis: axisParam },
  inputs: () => ['A', 'B', 'C'],
  outputs: () => ['output'],
  inferShape: (p, [a, b, c], [out], site) => {
    const shape = productShape(p, a ?? null, b ?? null, site);
    return { inputs: [a ?? null, b ?? null, shape ?? c ?? null], outputs: [shape ?? out ?? null] };
  },
  forward: (p, inputs, [out], [req], ctx) => gemmForward(p, p.beta, inputs, out!, req!, ctx),
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs, outGrads: [g] }, grads, req, ctx) => {
      gemmBackward(p, inputs, g!, grads, req, ctx);
      if (grads[2]) ctx.kernels.linalgScale(g!.data, p.beta, grads[2].data, req[2]!);
    },
  },
});

export const linalgGemm2Op = defineOp({
  name: '_linalg_gemm2',
  aliases: ['linalg_gemm2'],
  doc: 'out = alpha op(A) op(B) per matrix (op = transpose when asked; rows on axis). dA = alpha g op(B)^T, dB = alpha op(A)^T g (transposed back for transposed operands).',
  params: { ...matrixParams, axis: axisParam },
  inputs: () => ['A', 'B'],
  outputs: () => ['output'],
  inferShape: (p, [a, b], [out], site) => {
    const shape = productShape(p, a ?? null, b ?? null, site);
    return { inputs: [a ?? null, b ?? null], outputs: [shape ?? out ?? null] };
  },
  forward: (p, [a, b], [out], [req], ctx) => gemmForward(p, 0, [a!, b!], out!, req!, ctx),
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs, outGrads: [g] }, grads, req, ctx) => gemmBackward(p, inputs, g!, grads, req, ctx),
  },
});
