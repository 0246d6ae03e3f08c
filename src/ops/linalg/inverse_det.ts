/**
 * `_linalg_inverse`, `_linalg_det` and `_linalg_slogdet` (MXNet `tensor/la_op.cc`), batched over
 * the leading axes. det and slogdet keep MXNet's hidden outputs (the LU factors and the 1-based
 * pivots), so their symbols list one and two outputs as MXNet's do.
 */
import type { Shape } from '../../base/shape';
import { defineOp } from '../registry';
import type { MaybeShape, ShapeSite } from '../types';
import { batchOf, f64WorkspaceFloats, lastDim, perMatrixShape, requireSquare } from './common';

/** Inputs [A]; outputs: `visible` per-matrix values, then LU (A's shape) and pivots (A without its last axis). */
function determinantShapes(visible: number) {
  return (_p: unknown, [a]: readonly MaybeShape[], outputs: readonly MaybeShape[], site: ShapeSite) => {
    if (!a) return { inputs: [null], outputs: outputs.map((o) => o ?? null) };
    requireSquare(a, site, 'A');
    const value: Shape = perMatrixShape(a);
    return { inputs: [a], outputs: [...new Array<Shape>(visible).fill(value), a, a.slice(0, -1)] };
  };
}

const squareWorkspace = (doubles: (n: number) => number) => (_p: unknown, [a]: readonly Shape[]) => f64WorkspaceFloats(doubles(lastDim(a!)));

export const linalgInverseOp = defineOp({
  name: '_linalg_inverse',
  aliases: ['linalg_inverse'],
  doc: 'out = A^-1 per square matrix (LU with partial pivoting). dA = -out^T g out^T.',
  params: {},
  inputs: () => ['A'],
  outputs: () => ['output'],
  inferShape: (_p, [a], [out], site) => {
    if (a) requireSquare(a, site, 'A');
    const shape = a ?? out ?? null;
    return { inputs: [shape], outputs: [shape] };
  },
  workspace: squareWorkspace((n) => 3 * n * n + n),
  forward: (_p, [a], [out], [req], ctx) => ctx.kernels.linalgInverse(a!.data, lastDim(a!.shape), batchOf(a!.shape), out!.data, req!, ctx.workspace),
  backward: {
    usesOutGrads: true,
    compute: (_p, { outputs: [b], outGrads: [g] }, [da], [req], ctx) => {
      if (da) ctx.kernels.linalgInverseBackward(g!.data, b!.data, lastDim(b!.shape), batchOf(b!.shape), da.data, req!, ctx.workspace);
    },
  },
});

export const linalgDetOp = defineOp({
  name: '_linalg_det',
  aliases: ['linalg_det'],
  doc: 'out = det(A) per square matrix (shape [1] for a single matrix), from an LU factorization: sign * exp(sum log|U_ii|). dA = g det(A) A^-T, 0 where det(A) = 0.',
  params: {},
  inputs: () => ['A'],
  outputs: () => ['output0', 'output1', 'output2'],
  numVisibleOutputs: () => 1,
  inferShape: determinantShapes(1),
  workspace: squareWorkspace((n) => 2 * n * n + n),
  forward: (_p, [a], [det, lu, pivots], req, ctx) => {
    ctx.kernels.linalgDeterminant(a!.data, lastDim(a!.shape), batchOf(a!.shape), 'det', det!.data, null, lu!.data, pivots!.data, req, ctx.workspace);
  },
  backward: {
    usesOutGrads: true,
    compute: (_p, { inputs: [a], outputs: [det], outGrads: [g] }, [da], [req], ctx) => {
      if (da) ctx.kernels.linalgDeterminantBackward('det', g!.data, det!.data, a!.data, lastDim(a!.shape), batchOf(a!.shape), da.data, req!, ctx.workspace);
    },
  },
});

export const linalgSlogdetOp = defineOp({
  name: '_linalg_slogdet',
  aliases: ['linalg_slogdet'],
  doc: '(sign, logabsdet) = sign(det(A)), log|det(A)| per square matrix (0 and -inf when singular). dA = g_logabsdet A^-T (no gradient through sign), 0 where logabsdet = -inf.',
  params: {},
  inputs: () => ['A'],
  outputs: () => ['output0', 'output1', 'output2', 'output3'],
  numVisibleOutputs: () => 2,
  inferShape: determinantShapes(2),
  workspace: squareWorkspace((n) => 2 * n * n + n),
  forward: (_p, [a], [sign, logabs, lu, pivots], req, ctx) => {
    ctx.kernels.linalgDeterminant(a!.data, lastDim(a!.shape), batchOf(a!.shape), 'slogdet', sign!.data, logabs!.data, lu!.data, pivots!.data, req, ctx.workspace);
  },
  backward: {
    usesOutGrads: true,
    compute: (_p, { inputs: [a], outputs: [, logabs], outGrads: [, g] }, [da], [req], ctx) => {
      if (da) ctx.kernels.linalgDeterminantBackward('slogdet', g!.data, logabs!.data, a!.data, lastDim(a!.shape), batchOf(a!.shape), da.data, req!, ctx.workspace);
    },
  },
});
