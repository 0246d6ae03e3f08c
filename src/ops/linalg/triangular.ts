/**
 * Products with a triangular matrix (MXNet `tensor/la_op.cc`): `_linalg_trmm` multiplies by the
 * triangle of A, `_linalg_trsm` solves with it, `_linalg_syrk` forms alpha A A^T. Batches over
 * the leading axes.
 */
import { shapeToString, type Shape } from '../../base/shape';
import { bool, float } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape, ShapeSite } from '../types';
import { batchOf, f64WorkspaceFloats, lastDim, requireDims, requireSameBatch, requireSquare, rowDim } from './common';

interface TriangularParams {
  readonly transpose: boolean;
  readonly rightside: boolean;
  readonly lower: boolean;
  readonly alpha: number;
}

const triangularParams = {
  transpose: bool({ doc: 'use the transpose of the triangular matrix A', default: false }),
  rightside: bool({ doc: 'A multiplies B from the right (B op(A)) instead of the left', default: false }),
  lower: bool({ doc: 'A is lower triangular (true) or upper triangular (false)', default: true }),
  alpha: float({ doc: 'scalar factor of the result', default: 1 }),
};

/** MXNet's LaTriangMatrixMultOpShape: out has B's shape; A is square and must fit B's side. */
function triangularShapes(p: TriangularParams, [a, b]: readonly MaybeShape[], [out]: readonly MaybeShape[], site: ShapeSite) {
  if (a && b) {
    requireSquare(a, site, 'A');
    requireSameBatch(a, 'A', b, 'B', site);
    const side = p.rightside ? lastDim(b) : rowDim(b);
    if (side !== lastDim(a)) {
      const which = p.rightside ? 'columns' : 'rows';
      site.fail('B', `shape ${shapeToString(b)} is incompatible with A ${shapeToString(a)}: B's ${which} (${side}) must equal the order of A (${lastDim(a)})`, lastDim(a), side);
    }
    return { inputs: [a, b], outputs: [b] };
  }
  if (out && out.length >= 2) {
    const n = p.rightside ? lastDim(out) : rowDim(out);
    const square: Shape = [...out.slice(0, -2), n, n];
    return { inputs: [a ?? square, b ?? out], outputs: [out] };
  }
  return { inputs: [a ?? null, b ?? null], outputs: [out ?? null] };
}

/** The kernels' view of a (A, B) pair: order n of A, B rows x cols, batch count. */
function dims(b: Shape) {
  return { rows: rowDim(b), cols: lastDim(b), batch: batchOf(b) };
}

export const linalgTrmmOp = defineOp({
  name: '_linalg_trmm',
  aliases: ['linalg_trmm'],
  doc: 'out = alpha op(A) B (rightside: alpha B op(A)), only the lower/upper triangle of A read. dA = alpha g B^T (arranged by side and transpose) kept on the triangle; dB = trmm(A, g) with op transposed.',
  params: triangularParams,
  inputs: () => ['A', 'B'],
  outputs: () => ['output'],
  inferShape: triangularShapes,
  forward: (p, [a, b], [out], [req], ctx) => {
    const { rows, cols, batch } = dims(b!.shape);
    ctx.kernels.linalgTrmm(a!.data, lastDim(a!.shape), b!.data, rows, cols, p, batch, out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [a, b], outGrads: [g] }, [da, db], req, ctx) => {
      const { rows, cols, batch } = dims(b!.shape);
      const layout = { outer: batch, mid: 1 };
      const keep = p.lower ? 'lower' : 'upper';
      if (da) {
        if (p.rightside === p.transpose) ctx.kernels.linalgGemm(g!.data, rows, cols, p.transpose, b!.data, rows, cols, !p.transpose, null, p.alpha, 0, da.data, req[0]!, layout, keep);
        else ctx.kernels.linalgGemm(b!.data, rows, cols, !p.transpose, g!.data, rows, cols, p.transpose, null, p.alpha, 0, da.data, req[0]!, layout, keep);
      }
      if (db) ctx.kernels.linalgTrmm(a!.data, lastDim(a!.shape), g!.data, rows, cols, { ...p, transpose: !p.transpose }, batch, db.data, req[1]!);
    },
  },
});

export const linalgTrsmOp = defineOp({
  name: '_linalg_trsm',
  aliases: ['linalg_trsm'],
  doc: 'out solves op(A) out = alpha B (rightside: out op(A) = alpha B), only the lower/upper triangle of A read. dB = trsm(A, g) with op transposed; dA = -(1/alpha) dB out^T (arranged by side and transpose) kept on the triangle.',
  params: triangularParams,
  inputs: () => ['A', 'B'],
  outputs: () => ['output'],
  inferShape: triangularShapes,
  workspace: (_p, [, b]) => f64WorkspaceFloats(rowDim(b!) * lastDim(b!)),
  forward: (p, [a, b], [out], [req], ctx) => {
    const { rows, cols, batch } = dims(b!.shape);
    ctx.kernels.linalgTrsm(a!.data, lastDim(a!.shape), b!.data, rows, cols, p, batch, out!.data, req!, ctx.workspace);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [a, b], outputs: [c], outGrads: [g] }, [da, db], req, ctx) => {
      const { rows, cols, batch } = dims(b!.shape);
      ctx.kernels.linalgTrsmBackward(g!.data, a!.data, c!.data, lastDim(a!.shape), rows, cols, p, batch, da?.data ?? null, req[0]!, db?.data ?? null, req[1]!, ctx.workspace);
    },
  },
});

export const linalgSyrkOp = defineOp({
  name: '_linalg_syrk',
  aliases: ['linalg_syrk'],
  doc: 'out = alpha A A^T (transpose: alpha A^T A) per matrix. dA = alpha (g + g^T) A (transpose: alpha A (g + g^T)).',
  params: {
    transpose: bool({ doc: 'form A^T A instead of A A^T', default: false }),
    alpha: float({ doc: 'scalar factor of the result', default: 1 }),
  },
  inputs: () => ['A'],
  outputs: () => ['output'],
  inferShape: (p, [a], [out], site) => {
    if (!a) return { inputs: [null], outputs: [out ?? null] };
    requireDims(a, 2, site, 'A');
    const n = p.transpose ? lastDim(a) : rowDim(a);
    return { inputs: [a], outputs: [[...a.slice(0, -2), n, n]] };
  },
  forward: (p, [a], [out], [req], ctx) => {
    const { rows, cols, batch } = dims(a!.shape);
    ctx.kernels.linalgGemm(a!.data, rows, cols, p.transpose, a!.data, rows, cols, !p.transpose, null, p.alpha, 0, out!.data, req!, { outer: batch, mid: 1 });
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [a], outGrads: [g] }, [da], [req], ctx) => {
      if (!da || req === 'null') return;
      const { rows, cols, batch } = dims(a!.shape);
      const n = lastDim(g!.shape);
      const layout = { outer: batch, mid: 1 };
      // Two products (g and g^T) instead of symmetrizing g, which would need scratch.
      for (const [transG, r] of [[false, req!], [true, 'add']] as const) {
        if (p.transpose) ctx.kernels.linalgGemm(a!.data, rows, cols, false, g!.data, n, n, transG, null, p.alpha, 0, da.data, r, layout);
        else ctx.kernels.linalgGemm(g!.data, n, n, transG, a!.data, rows, cols, false, null, p.alpha, 0, da.data, r, layout);
      }
    },
  },
});
