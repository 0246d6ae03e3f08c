/**
 * Cholesky factorization `_linalg_potrf` and inversion from the factor `_linalg_potri` (MXNet
 * `tensor/la_op.cc`), batched over the leading axes. A matrix that is not positive definite is
 * an error from the forward (MXNet's LAPACK check fails there too), never NaN.
 */
import { ValueError } from '../../base/errors';
import { bool } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape, ShapeSite } from '../types';
import { batchOf, f64WorkspaceFloats, lastDim, requireSquare } from './common';

const lowerParam = { lower: bool({ doc: 'the factor is lower triangular (true) or upper triangular (false)', default: true }) };

/** Square matrices in, the same shape out (either side fills the other). */
function squareSameShape(_p: unknown, [a]: readonly MaybeShape[], [out]: readonly MaybeShape[], site: ShapeSite) {
  const shape = a ?? out ?? null;
  if (a) requireSquare(a, site, 'A');
  return { inputs: [shape], outputs: [shape] };
}

const squareWorkspace = (copies: number) => (_p: unknown, [a]: readonly (readonly number[])[]) => f64WorkspaceFloats(copies * lastDim(a!) ** 2);

export const linalgPotrfOp = defineOp({
  name: '_linalg_potrf',
  aliases: ['linalg_potrf'],
  doc: 'B = the Cholesky factor of each symmetric positive definite A: A = B B^T (lower) or B^T B (upper), zeros off the triangle. dA = 0.5 B^-T sym(B^T g) B^-1 (lower; sym copies the lower triangle up).',
  params: lowerParam,
  inputs: () => ['A'],
  outputs: () => ['output'],
  inferShape: squareSameShape,
  workspace: squareWorkspace(3),
  forward: (p, [a], [out], [req], ctx) => {
    const n = lastDim(a!.shape);
    const bad = ctx.kernels.linalgPotrf(a!.data, n, p.lower, batchOf(a!.shape), out!.data, req!, ctx.workspace);
    if (bad >= 0) {
      throw new ValueError({ op: '_linalg_potrf', argument: 'A', actual: bad }, `matrix ${bad} of the batch is not symmetric positive definite: its Cholesky factorization failed`);
    }
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { outputs: [b], outGrads: [g] }, [da], [req], ctx) => {
      if (da) ctx.kernels.linalgPotrfBackward(b!.data, g!.data, lastDim(b!.shape), p.lower, batchOf(b!.shape), da.data, req!, ctx.workspace);
    },
  },
});

export const linalgPotriOp = defineOp({
  name: '_linalg_potri',
  aliases: ['linalg_potri'],
  doc: 'out = (A A^T)^-1 (lower) or (A^T A)^-1 (upper) from the triangular Cholesky factor A. dA = -tril(out (g + g^T) A^-T) (lower; triu(A^-T (g + g^T) out) upper).',
  params: lowerParam,
  inputs: () => ['A'],
  outputs: () => ['output'],
  inferShape: squareSameShape,
  workspace: squareWorkspace(3),
  forward: (p, [a], [out], [req], ctx) => {
    const n = lastDim(a!.shape);
    const bad = ctx.kernels.linalgPotri(a!.data, n, p.lower, batchOf(a!.shape), out!.data, req!, ctx.workspace);
    if (bad >= 0) {
      throw new ValueError({ op: '_linalg_potri', argument: 'A', actual: bad }, `matrix ${bad} of the batch has a zero on its diagonal: it is not the Cholesky factor of a positive definite matrix`);
    }
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [b], outputs: [a], outGrads: [g] }, [db], [req], ctx) => {
      if (db) ctx.kernels.linalgPotriBackward(g!.data, b!.data, a!.data, lastDim(b!.shape), p.lower, batchOf(b!.shape), db.data, req!, ctx.workspace);
    },
  },
});
