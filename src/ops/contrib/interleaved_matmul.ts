/**
 * The fused multi-head attention products of MXNet's `contrib/transformer.cc` (GluonNLP's BERT and
 * transformer exports). Projections are interleaved per head: self-attention input is
 * (seq, batch, heads * 3 * dim) holding [q | k | v] for each head in turn, encoder-decoder keys_values
 * is (seq, batch, heads * 2 * dim) holding [k | v]. Attention maps are (batch * heads, seq_q, seq_k)
 * with attention batch i = b * heads + h.
 */
import { shapeToString, Shape } from '../../base/shape';
import type { ProjectionView } from '../../backend/reference/contrib_attention';
import { int } from '../params';
import { defineOp } from '../registry';
import type { AnyOpDef, MaybeShape, ShapeSite } from '../types';

const PARAMS = { heads: int({ doc: 'number of attention heads (required)', min: 1 }) };

/** The part-th of `parts` vectors per head of a (seq, batch, heads * parts * dim) tensor. */
function view(shape: Shape, heads: number, parts: number, part: number): ProjectionView {
  return { seq: shape[0]!, batches: shape[1]! * heads, dim: shape[2]! / (heads * parts), parts, part };
}

/** MXNet scales by 1/sqrt(head_dim) computed in float32. */
const scaleOf = (dim: number) => Math.fround(1 / Math.sqrt(dim));

function check3d(shape: Shape, name: string, layout: string, site: ShapeSite): void {
  if (shape.length !== 3) site.fail(name, `must be 3-d (${layout}), got ${shapeToString(shape)}`);
}

/** Checks that the last axis splits into heads * parts vectors (MXNet does not check; it would read past the data). */
function checkHeads(shape: Shape, name: string, heads: number, parts: number, site: ShapeSite): void {
  if (shape[2]! % (heads * parts) !== 0) {
    site.fail(name, `last axis ${shape[2]} is not divisible by heads * ${parts} = ${heads * parts} (shape ${shapeToString(shape)})`);
  }
}

const known = (shapes: readonly MaybeShape[]): shapes is readonly Shape[] => shapes.every((s) => s !== null);

export const selfAttQkOp = defineOp({
  name: '_contrib_interleaved_matmul_selfatt_qk',
  doc: [
    'out[b*heads+h, s, t] = q[s, b, h] . k[t, b, h] / sqrt(dim), dim = qkv.shape[2] / (3*heads); out is (batch*heads, seq, seq).',
    'd qkv: q part = g . k / sqrt(dim), k part = g^T . q / sqrt(dim), v part 0.',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['queries_keys_values'],
  outputs: () => ['output'],
  inferShape: (p, inputs, outputs, site) => {
    if (!known(inputs)) return { inputs, outputs };
    const [qkv] = inputs;
    check3d(qkv!, 'queries_keys_values', 'seq_length, batch, 3*heads*head_dim', site);
    checkHeads(qkv!, 'queries_keys_values', p.heads, 3, site);
    return { inputs, outputs: [[p.heads * qkv![1]!, qkv![0]!, qkv![0]!]] };
  },
  forward: (p, [qkv], [out], [req], ctx) => {
    const [q, k] = [view(qkv!.shape, p.heads, 3, 0), view(qkv!.shape, p.heads, 3, 1)];
    ctx.kernels.interleavedScores(qkv!.data, q, qkv!.data, k, scaleOf(q.dim), out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [qkv], outGrads: [g] }, [dqkv], [req], ctx) => {
      if (!dqkv || req === 'null') return;
      const [q, k] = [view(qkv!.shape, p.heads, 3, 0), view(qkv!.shape, p.heads, 3, 1)];
      ctx.kernels.zeroGradient(dqkv.data, req!);
      ctx.kernels.interleavedScoresBackward(g!.data, qkv!.data, q, qkv!.data, k, scaleOf(q.dim), dqkv.data, dqkv.data);
    },
  },
});

export const selfAttValAttOp = defineOp({
  name: '_contrib_interleaved_matmul_selfatt_valatt',
  doc: [
    'out[s, b, h*dim + d] = sum_t attention[b*heads+h, s, t] * v[t, b, h, d]; out is (seq, batch, heads*dim).',
    'd attention[i, s, t] = g[s, i] . v[t, i]; d qkv: v part = attention^T . g, q and k parts 0.',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['queries_keys_values', 'attention'],
  outputs: () => ['output'],
  inferShape: (p, inputs, outputs, site) => {
    if (!known(inputs)) return { inputs, outputs };
    const [qkv, att] = inputs;
    check3d(qkv!, 'queries_keys_values', 'seq_length, batch, 3*heads*head_dim', site);
    check3d(att!, 'attention', 'batch*heads, seq_length, seq_length', site);
    if (att![1] !== qkv![0] || att![2] !== qkv![0]) {
      site.fail('attention', `shape ${shapeToString(att!)} must be (batch*heads, ${qkv![0]}, ${qkv![0]}) to match queries_keys_values.shape[0] = ${qkv![0]}`);
    }
    checkHeads(qkv!, 'queries_keys_values', p.heads, 3, site);
    if (att![0] !== qkv![1]! * p.heads) site.fail('attention', `shape[0] ${att![0]} must be batch * heads = ${qkv![1]! * p.heads}`);
    return { inputs, outputs: [[qkv![0]!, qkv![1]!, qkv![2]! / 3]] };
  },
  forward: (p, [qkv, att], [out], [req], ctx) => {
    const v = view(qkv!.shape, p.heads, 3, 2);
    ctx.kernels.interleavedApply(att!.data, v.seq, qkv!.data, v, out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [qkv, att], outGrads: [g] }, [dqkv, datt], [reqQkv, reqAtt], ctx) => {
      const v = view(qkv!.shape, p.heads, 3, 2);
      const wantQkv = dqkv !== null && reqQkv !== 'null';
      if (wantQkv) ctx.kernels.zeroGradient(dqkv!.data, reqQkv!);
      ctx.kernels.interleavedApplyBackward(g!.data, att!.data, v.seq, qkv!.data, v, datt ? datt.data : null, reqAtt ?? 'null', wantQkv ? dqkv!.data : null);
    },
  },
});

export const encDecQkOp = defineOp({
  name: '_contrib_interleaved_matmul_encdec_qk',
  doc: [
    'out[b*heads+h, s, t] = queries[s, b, h] . k[t, b, h] / sqrt(dim), dim = queries.shape[2] / heads; out is (batch*heads, seq_q, seq_kv).',
    'd queries = g . k / sqrt(dim); d keys_values: k part = g^T . queries / sqrt(dim), v part 0.',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['queries', 'keys_values'],
  outputs: () => ['output'],
  inferShape: (p, inputs, outputs, site) => {
    if (!known(inputs)) return { inputs, outputs };
    const [q, kv] = inputs;
    check3d(q!, 'queries', 'seq_length, batch, heads*head_dim', site);
    check3d(kv!, 'keys_values', 'seq_length, batch, 2*heads*head_dim', site);
    if (kv![2] !== q![2]! * 2) site.fail('keys_values', `shape[2] ${kv![2]} must be queries.shape[2] * 2 = ${q![2]! * 2}`);
    if (kv![1] !== q![1]) site.fail('keys_values', `shape[1] ${kv![1]} must equal queries.shape[1] = ${q![1]}`);
    checkHeads(q!, 'queries', p.heads, 1, site);
    return { inputs, outputs: [[q![1]! * p.heads, q![0]!, kv![0]!]] };
  },
  forward: (p, [q, kv], [out], [req], ctx) => {
    const [qv, kView] = [view(q!.shape, p.heads, 1, 0), view(kv!.shape, p.heads, 2, 0)];
    ctx.kernels.interleavedScores(q!.data, qv, kv!.data, kView, scaleOf(qv.dim), out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [q, kv], outGrads: [g] }, [dq, dkv], [reqQ, reqKv], ctx) => {
      const [qv, kView] = [view(q!.shape, p.heads, 1, 0), view(kv!.shape, p.heads, 2, 0)];
      const wantQ = dq !== null && reqQ !== 'null';
      const wantKv = dkv !== null && reqKv !== 'null';
      if (wantQ) ctx.kernels.zeroGradient(dq!.data, reqQ!);
      if (wantKv) ctx.kernels.zeroGradient(dkv!.data, reqKv!);
      ctx.kernels.interleavedScoresBackward(g!.data, q!.data, qv, kv!.data, kView, scaleOf(qv.dim), wantQ ? dq!.data : null, wantKv ? dkv!.data : null);
    },
  },
});

export const encDecValAttOp = defineOp({
  name: '_contrib_interleaved_matmul_encdec_valatt',
  doc: [
    'out[s, b, h*dim + d] = sum_t attention[b*heads+h, s, t] * v[t, b, h, d]; out is (seq_q, batch, heads*dim), dim = keys_values.shape[2] / (2*heads).',
    'd attention[i, s, t] = g[s, i] . v[t, i]; d keys_values: v part = attention^T . g, k part 0.',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['keys_values', 'attention'],
  outputs: () => ['output'],
  inferShape: (p, inputs, outputs, site) => {
    if (!known(inputs)) return { inputs, outputs };
    const [kv, att] = inputs;
    check3d(kv!, 'keys_values', 'seq_length, batch, 2*heads*head_dim', site);
    check3d(att!, 'attention', 'batch*heads, seq_q, seq_kv', site);
    if (att![2] !== kv![0]) site.fail('attention', `shape[2] ${att![2]} must equal keys_values.shape[0] = ${kv![0]}`);
    if (att![0] !== kv![1]! * p.heads) site.fail('attention', `shape[0] ${att![0]} must be keys_values.shape[1] * heads = ${kv![1]! * p.heads}`);
    checkHeads(kv!, 'keys_values', p.heads, 2, site);
    return { inputs, outputs: [[att![1]!, kv![1]!, kv![2]! / 2]] };
  },
  forward: (p, [kv, att], [out], [req], ctx) => {
    const v = view(kv!.shape, p.heads, 2, 1);
    ctx.kernels.interleavedApply(att!.data, att!.shape[1]!, kv!.data, v, out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [kv, att], outGrads: [g] }, [dkv, datt], [reqKv, reqAtt], ctx) => {
      const v = view(kv!.shape, p.heads, 2, 1);
      const wantKv = dkv !== null && reqKv !== 'null';
      if (wantKv) ctx.kernels.zeroGradient(dkv!.data, reqKv!);
      ctx.kernels.interleavedApplyBackward(g!.data, att!.data, att!.shape[1]!, kv!.data, v, datt ? datt.data : null, reqAtt ?? 'null', wantKv ? dkv!.data : null);
    },
  },
});

export const interleavedMatmulOps: readonly AnyOpDef[] = [selfAttQkOp, selfAttValAttOp, encDecQkOp, encDecValAttOp];
