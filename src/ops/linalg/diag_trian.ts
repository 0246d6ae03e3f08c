/**
 * Diagonal and triangle layout ops (MXNet `tensor/la_op.cc`): `_linalg_sumlogdiag`,
 * `_linalg_extractdiag` / `_linalg_makediag` and `_linalg_extracttrian` / `_linalg_maketrian`
 * (each pair the other's gradient), batched over the leading axes.
 */
import { shapeToString, type Shape } from '../../base/shape';
import { bool, int } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape, ShapeSite } from '../types';
import { batchOf, lastDim, perMatrixShape, requireDims, requireSquare } from './common';

const offsetParam = int({ doc: 'diagonal offset: 0 the main diagonal, > 0 above it, < 0 below it', default: 0 });
const lowerParam = bool({ doc: 'with offset 0, the lower (true) or upper (false) triangle', default: true });

/** Side of the part extracted from an n x n matrix with this offset, failing when nothing is left. */
function extractedSide(a: Shape, offset: number, site: ShapeSite): number {
  requireSquare(a, site, 'A');
  const side = lastDim(a) - Math.abs(offset);
  if (side <= 0) site.fail('offset', `${offset} leaves nothing to extract from ${lastDim(a)} x ${lastDim(a)} matrices (A ${shapeToString(a)})`, `|offset| < ${lastDim(a)}`, offset);
  return side;
}

/** The triangle side m with m (m + 1) / 2 = packed, or a failure naming A. */
function trianSide(a: Shape, site: ShapeSite): number {
  const packed = lastDim(a);
  const m = Math.floor(0.5 + (Math.sqrt(8 * packed + 1) - 1) / 2);
  if ((m * (m + 1)) / 2 !== packed) site.fail('A', `shape ${shapeToString(a)} has ${packed} entries on its last axis, not a triangular number m (m + 1) / 2`, 'a triangular number', packed);
  return m;
}

/** Forward-only shape rule (MXNet infers these in the forward direction only). */
function forwardOnly<P>(rule: (p: P, a: Shape, site: ShapeSite) => Shape) {
  return (p: P, [a]: readonly MaybeShape[], [out]: readonly MaybeShape[], site: ShapeSite) =>
    a ? { inputs: [a], outputs: [rule(p, a, site)] } : { inputs: [null], outputs: [out ?? null] };
}

interface Offset { readonly offset: number }

export const linalgSumlogdiagOp = defineOp({
  name: '_linalg_sumlogdiag',
  aliases: ['linalg_sumlogdiag'],
  doc: 'out = sum_i log(A_ii) per square matrix (shape [1] for a single matrix). dA = g / A_ii on the diagonal, 0 elsewhere.',
  params: {},
  inputs: () => ['A'],
  outputs: () => ['output'],
  inferShape: forwardOnly((_p, a, site) => {
    requireSquare(a, site, 'A');
    return perMatrixShape(a);
  }),
  forward: (_p, [a], [out], [req], ctx) => ctx.kernels.linalgSumLogDiag(a!.data, lastDim(a!.shape), batchOf(a!.shape), out!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (_p, { inputs: [a], outGrads: [g] }, [da], [req], ctx) => {
      if (da) ctx.kernels.linalgSumLogDiagBackward(g!.data, a!.data, lastDim(a!.shape), batchOf(a!.shape), da.data, req!);
    },
  },
});

export const linalgExtractdiagOp = defineOp({
  name: '_linalg_extractdiag',
  aliases: ['linalg_extractdiag'],
  doc: 'out[..., i] = diagonal `offset` of each square matrix. dA = makediag(g, offset).',
  params: { offset: offsetParam },
  inputs: () => ['A'],
  outputs: () => ['output'],
  inferShape: forwardOnly((p: Offset, a, site) => [...a.slice(0, -2), extractedSide(a, p.offset, site)]),
  forward: (p, [a], [out], [req], ctx) => ctx.kernels.linalgExtractDiag(a!.data, lastDim(a!.shape), p.offset, batchOf(a!.shape), out!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [a], outGrads: [g] }, [da], [req], ctx) => {
      if (da) ctx.kernels.linalgMakeDiag(g!.data, lastDim(a!.shape), p.offset, batchOf(a!.shape), da.data, req!);
    },
  },
});

export const linalgMakediagOp = defineOp({
  name: '_linalg_makediag',
  aliases: ['linalg_makediag'],
  doc: 'out = square matrices of side n + |offset|, zeros with A on diagonal `offset`. dA = extractdiag(g, offset).',
  params: { offset: offsetParam },
  inputs: () => ['A'],
  outputs: () => ['output'],
  inferShape: forwardOnly((p: Offset, a, site) => {
    requireDims(a, 1, site, 'A');
    const side = lastDim(a) + Math.abs(p.offset);
    return [...a.slice(0, -1), side, side];
  }),
  forward: (p, [a], [out], [req], ctx) => ctx.kernels.linalgMakeDiag(a!.data, lastDim(out!.shape), p.offset, batchOf(a!.shape, 1), out!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [a], outGrads: [g] }, [da], [req], ctx) => {
      if (da) ctx.kernels.linalgExtractDiag(g!.data, lastDim(g!.shape), p.offset, batchOf(a!.shape, 1), da.data, req!);
    },
  },
});

export const linalgExtracttrianOp = defineOp({
  name: '_linalg_extracttrian',
  aliases: ['linalg_extracttrian'],
  doc: 'out[..., :] = the triangle of each square matrix selected by offset (and lower when offset is 0), packed: lower triangles row by row, upper ones column by column. dA = maketrian(g).',
  params: { offset: offsetParam, lower: lowerParam },
  inputs: () => ['A'],
  outputs: () => ['output'],
  inferShape: forwardOnly((p: Offset, a, site) => {
    const side = extractedSide(a, p.offset, site);
    return [...a.slice(0, -2), (side * (side + 1)) / 2];
  }),
  forward: (p, [a], [out], [req], ctx) => ctx.kernels.linalgExtractTrian(a!.data, lastDim(a!.shape), p.offset, p.lower, batchOf(a!.shape), out!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [a], outGrads: [g] }, [da], [req], ctx) => {
      if (da) ctx.kernels.linalgMakeTrian(g!.data, lastDim(a!.shape), p.offset, p.lower, batchOf(a!.shape), da.data, req!);
    },
  },
});

export const linalgMaketrianOp = defineOp({
  name: '_linalg_maketrian',
  aliases: ['linalg_maketrian'],
  doc: 'out = square matrices of side m + |offset| (m (m + 1) / 2 = the last axis of A), zeros with A unpacked into the triangle extracttrian reads. dA = extracttrian(g).',
  params: { offset: offsetParam, lower: lowerParam },
  inputs: () => ['A'],
  outputs: () => ['output'],
  inferShape: forwardOnly((p: Offset, a, site) => {
    requireDims(a, 1, site, 'A');
    const side = trianSide(a, site) + Math.abs(p.offset);
    return [...a.slice(0, -1), side, side];
  }),
  forward: (p, [a], [out], [req], ctx) => ctx.kernels.linalgMakeTrian(a!.data, lastDim(out!.shape), p.offset, p.lower, batchOf(a!.shape, 1), out!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [a], outGrads: [g] }, [da], [req], ctx) => {
      if (da) ctx.kernels.linalgExtractTrian(g!.data, lastDim(g!.shape), p.offset, p.lower, batchOf(a!.shape, 1), da.data, req!);
    },
  },
});
