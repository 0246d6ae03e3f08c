/**
 * Matrix products (MXNet `tensor/dot-inl.h`): `dot` of N-d arrays (lhs flattened to a matrix over
 * its last axis, rhs over its first) and `batch_dot` of 3-d batches, each with optional transposes.
 */
import { Shape, shapeToString, sizeOf } from '../../base/shape';
import type { Kernels } from '../../backend/backend';
import { bool, enumOf } from '../params';
import { defineOp } from '../registry';
import type { Req, ShapeSite, Tensor } from '../types';

const PARAMS = {
  transpose_a: bool({ doc: 'use the transpose of lhs', default: false }),
  transpose_b: bool({ doc: 'use the transpose of rhs', default: false }),
  forward_stype: enumOf({ doc: 'storage type (dense only in mxts)', values: ['None', 'default', 'csr', 'row_sparse'], default: 'None' }),
};
interface Flags { readonly transpose_a: boolean; readonly transpose_b: boolean }

/** dot's matrix view: lhs as (M, K) (or its transpose), rhs as (K, N), and the output shape. */
interface DotView { M: number; N: number; K: number; out: Shape }

function dotView(p: Flags, lhs: Shape, rhs: Shape, site?: ShapeSite): DotView {
  if (site && (lhs.length === 0 || rhs.length === 0)) site.fail(lhs.length === 0 ? 'lhs' : 'rhs', 'must have at least 1 axis');
  const lhsK = p.transpose_a ? lhs[0]! : lhs[lhs.length - 1]!;
  const lhsRest = p.transpose_a ? lhs.slice(1) : lhs.slice(0, -1);
  const rhsK = p.transpose_b ? rhs[rhs.length - 1]! : rhs[0]!;
  const rhsRest = p.transpose_b ? rhs.slice(0, -1) : rhs.slice(1);
  if (site && lhsK !== rhsK) {
    site.fail('rhs', `shape ${shapeToString(rhs)} does not fit lhs ${shapeToString(lhs)}: the reduced dimensions are ${lhsK} and ${rhsK} (transpose_a=${p.transpose_a}, transpose_b=${p.transpose_b})`, lhs, rhs);
  }
  const out = [...lhsRest, ...rhsRest];
  return { M: sizeOf(lhsRest), N: sizeOf(rhsRest), K: lhsK, out: out.length === 0 ? [1] : out };
}

/**
 * C (=|+=) op(A) op(B) for one matrix triple at element offsets, and the two input gradients:
 * dA = g op(B)^T (transposed back when transpose_a), dB = op(A)^T g (transposed back when transpose_b).
 */
function product(k: Kernels, p: Flags, v: DotView, a: Tensor, b: Tensor, c: Float32Array, offs: readonly [number, number, number], req: Req): void {
  if (req === 'null') return;
  const lda = p.transpose_a ? v.M : v.K;
  const ldb = p.transpose_b ? v.K : v.N;
  k.gemm(p.transpose_a, p.transpose_b, v.M, v.N, v.K, 1, a.data, lda, offs[0], b.data, ldb, offs[1], req === 'add' ? 1 : 0, c, v.N, offs[2]);
}

function productGrads(k: Kernels, p: Flags, v: DotView, a: Tensor, b: Tensor, g: Tensor, da: Tensor | null, db: Tensor | null, offs: readonly [number, number, number], req: readonly Req[]): void {
  const lda = p.transpose_a ? v.M : v.K;
  const ldb = p.transpose_b ? v.K : v.N;
  const betaA = req[0] === 'add' ? 1 : 0;
  const betaB = req[1] === 'add' ? 1 : 0;
  if (da && req[0] !== 'null') {
    // dA (M x K) = g (M x N) * op(B)^T; stored transposed (K x M) = op(B) * g^T.
    if (p.transpose_a) k.gemm(p.transpose_b, true, v.K, v.M, v.N, 1, b.data, ldb, offs[1], g.data, v.N, offs[2], betaA, da.data, lda, offs[0]);
    else k.gemm(false, !p.transpose_b, v.M, v.K, v.N, 1, g.data, v.N, offs[2], b.data, ldb, offs[1], betaA, da.data, lda, offs[0]);
  }
  if (db && req[1] !== 'null') {
    // dB (K x N) = op(A)^T * g; stored transposed (N x K) = g^T * op(A).
    if (p.transpose_b) k.gemm(true, p.transpose_a, v.N, v.K, v.M, 1, g.data, v.N, offs[2], a.data, lda, offs[0], betaB, db.data, ldb, offs[1]);
    else k.gemm(!p.transpose_a, false, v.K, v.N, v.M, 1, a.data, lda, offs[0], g.data, v.N, offs[2], betaB, db.data, ldb, offs[1]);
  }
}

export const dotOp = defineOp({
  name: 'dot',
  doc: [
    'out = op(lhs) . op(rhs): lhs viewed as (prod(shape[:-1]), shape[-1]) (transpose_a: (shape[0], rest) transposed),',
    'rhs as (shape[0], rest) (transpose_b: (rest, shape[-1]) transposed); out shape lhs rest + rhs rest ([1] for two vectors).',
    'dlhs = g . op(rhs)^T, drhs = op(lhs)^T . g (each transposed back when its flag is set).',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['lhs', 'rhs'],
  outputs: () => ['output'],
  inferShape: (p, [lhs, rhs], _outputs, site) => {
    if (!lhs || !rhs) return { inputs: [lhs ?? null, rhs ?? null], outputs: [null] };
    return { inputs: [lhs, rhs], outputs: [dotView(p, lhs, rhs, site).out] };
  },
  forward: (p, [a, b], [out], [req], ctx) => product(ctx.kernels, p, dotView(p, a!.shape, b!.shape), a!, b!, out!.data, [0, 0, 0], req!),
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [a, b], outGrads: [g] }, [da, db], req, ctx) => productGrads(ctx.kernels, p, dotView(p, a!.shape, b!.shape), a!, b!, g!, da ?? null, db ?? null, [0, 0, 0], req),
  },
});

function batchView(p: Flags, lhs: Shape, rhs: Shape, site?: ShapeSite): DotView & { batch: number } {
  if (site && (lhs.length !== 3 || rhs.length !== 3)) site.fail(lhs.length !== 3 ? 'lhs' : 'rhs', `must be 3-d (batch, rows, cols), got lhs ${shapeToString(lhs)} and rhs ${shapeToString(rhs)}`);
  if (site && lhs[0] !== rhs[0]) site.fail('rhs', `batch size ${rhs[0]} does not match lhs ${shapeToString(lhs)}`, lhs, rhs);
  const v = dotView(p, lhs.slice(1), rhs.slice(1), site);
  return { ...v, batch: lhs[0]!, out: [lhs[0]!, v.M, v.N] };
}

export const batchDotOp = defineOp({
  name: 'batch_dot',
  doc: 'out[i] = op(lhs[i]) . op(rhs[i]) for 3-d lhs (B, M, K) and rhs (B, K, N) (or transposed per flag); gradients per batch as dot.',
  params: PARAMS,
  inputs: () => ['lhs', 'rhs'],
  outputs: () => ['output'],
  inferShape: (p, [lhs, rhs], _outputs, site) => {
    if (!lhs || !rhs) return { inputs: [lhs ?? null, rhs ?? null], outputs: [null] };
    return { inputs: [lhs, rhs], outputs: [batchView(p, lhs, rhs, site).out] };
  },
  forward: (p, [a, b], [out], [req], ctx) => {
    const v = batchView(p, a!.shape, b!.shape);
    for (let i = 0; i < v.batch; i++) product(ctx.kernels, p, v, a!, b!, out!.data, [i * v.M * v.K, i * v.K * v.N, i * v.M * v.N], req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [a, b], outGrads: [g] }, [da, db], req, ctx) => {
      const v = batchView(p, a!.shape, b!.shape);
      for (let i = 0; i < v.batch; i++) productGrads(ctx.kernels, p, v, a!, b!, g!, da ?? null, db ?? null, [i * v.M * v.K, i * v.K * v.N, i * v.M * v.N], req);
    },
  },
});
