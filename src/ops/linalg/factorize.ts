/**
 * Two-output factorizations (MXNet `tensor/la_op.cc`): `_linalg_gelqf` (A = L Q) and
 * `_linalg_syevd` (U A = diag(lambda) U), batched over the leading axes. Their gradients read
 * the outputs and both head gradients (zeros for an unused output).
 */
import { shapeToString } from '../../base/shape';
import { defineOp } from '../registry';
import { batchOf, f64WorkspaceFloats, lastDim, requireDims, requireSquare, rowDim } from './common';

export const linalgGelqfOp = defineOp({
  name: '_linalg_gelqf',
  aliases: ['linalg_gelqf'],
  doc: '(Q, L) with A = L Q per m x n matrix (m <= n, full rank): L m x m lower triangular, Q with orthonormal rows (LAPACK gelqf + orglq signs). dA = L^-T (dQ + sym(M) Q), M = L^T dL - dQ Q^T (sym copies the lower triangle up).',
  params: {},
  inputs: () => ['A'],
  outputs: () => ['output0', 'output1'],
  inferShape: (_p, [a], [q, l], site) => {
    const shape = a ?? q ?? null;
    if (!shape) return { inputs: [null], outputs: [null, l ?? null] };
    const argument = a ? 'A' : 'output0';
    requireDims(shape, 2, site, argument);
    if (rowDim(shape) > lastDim(shape)) {
      site.fail(argument, `shape ${shapeToString(shape)} must have at least as many columns as rows (LQ factorization of m x n with m <= n)`, 'rows <= columns', shape);
    }
    return { inputs: [shape], outputs: [shape, [...shape.slice(0, -1), rowDim(shape)]] };
  },
  workspace: (_p, [a]) => {
    const m = rowDim(a!);
    const n = lastDim(a!);
    return f64WorkspaceFloats(3 * m * n + 3 * m * m + m);
  },
  forward: (_p, [a], [q, l], req, ctx) => {
    const shape = a!.shape;
    ctx.kernels.linalgGelqf(a!.data, rowDim(shape), lastDim(shape), batchOf(shape), q!.data, req[0]!, l!.data, req[1]!, ctx.workspace);
  },
  backward: {
    usesOutGrads: true,
    compute: (_p, { outputs: [q, l], outGrads: [dq, dl] }, [da], [req], ctx) => {
      if (!da) return;
      const shape = q!.shape;
      ctx.kernels.linalgGelqfBackward(dq!.data, dl!.data, q!.data, l!.data, rowDim(shape), lastDim(shape), batchOf(shape), da.data, req!, ctx.workspace);
    },
  },
});

export const linalgSyevdOp = defineOp({
  name: '_linalg_syevd',
  doc: '(U, lambda) with U A = diag(lambda) U per symmetric matrix (lower triangle read): U orthonormal rows, lambda ascending, each row of U signed so its largest-magnitude entry is positive. dA = U^T Y U with X = dU U^T, Y_ij = (X_ij - X_ji) / (2 max(lambda_i - lambda_j, 1e-30)) (i > j, mirrored), Y_ii = dlambda_i.',
  params: {},
  inputs: () => ['A'],
  outputs: () => ['output0', 'output1'],
  inferShape: (_p, [a], [u, l], site) => {
    const shape = a ?? u ?? null;
    if (!shape) return { inputs: [null], outputs: [null, l ?? null] };
    requireSquare(shape, site, a ? 'A' : 'output0');
    return { inputs: [shape], outputs: [shape, shape.slice(0, -1)] };
  },
  workspace: (_p, [a]) => f64WorkspaceFloats(4 * lastDim(a!) ** 2 + 2 * lastDim(a!)),
  forward: (_p, [a], [u, lambda], req, ctx) => {
    const shape = a!.shape;
    ctx.kernels.linalgSyevd(a!.data, lastDim(shape), batchOf(shape), u!.data, req[0]!, lambda!.data, req[1]!, ctx.workspace);
  },
  backward: {
    usesOutGrads: true,
    compute: (_p, { outputs: [u, lambda], outGrads: [du, dlambda] }, [da], [req], ctx) => {
      if (!da) return;
      const shape = u!.shape;
      ctx.kernels.linalgSyevdBackward(du!.data, dlambda!.data, u!.data, lambda!.data, lastDim(shape), batchOf(shape), da.data, req!, ctx.workspace);
    },
  },
});
