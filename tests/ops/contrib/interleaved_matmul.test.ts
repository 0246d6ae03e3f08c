/**
 * The interleaved multi-head attention products (MXNet contrib/transformer.cc): float64 references
 * built from the docstrings' "equivalent code" (reshape to (seq, batch, heads, parts, dim), batch_dot),
 * MXNet's test_multihead_attention_selfatt graph comparison re-derived with mxts ops, numeric
 * gradients, req 'add', shape rules and errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

const F32 = { rtol: 1e-4, atol: 1e-5 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

/** v[s][i][d]: part `part` of `parts` of a (seq, batch, heads*parts*dim) array, i = b*heads + h. */
function split(x: mx.NDArray, heads: number, parts: number, part: number): number[][][] {
  const [seq, batch, width] = x.shape as [number, number, number];
  const dim = width / (heads * parts);
  const out: number[][][] = [];
  for (let s = 0; s < seq; s++) {
    const row: number[][] = [];
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < heads; h++) {
        const base = (s * batch + b) * width + (h * parts + part) * dim;
        row.push(Array.from(x.data.subarray(base, base + dim)));
      }
    }
    out.push(row);
  }
  return out;
}

/** scores[i][s][t] = q[s][i] . k[t][i] / sqrt(dim), flattened. */
function scoresRef(q: number[][][], k: number[][][]): number[] {
  const out: number[] = [];
  const batches = q[0]!.length;
  const dim = q[0]![0]!.length;
  for (let i = 0; i < batches; i++) {
    for (let s = 0; s < q.length; s++) {
      for (let t = 0; t < k.length; t++) out.push(q[s]![i]!.reduce((sum, v, d) => sum + v * k[t]![i]![d]!, 0) / Math.sqrt(dim));
    }
  }
  return out;
}

/** out[s][i][d] = sum_t att[i][s][t] v[t][i][d], flattened as (seq, batch, heads*dim). */
function applyRef(att: mx.NDArray, v: number[][][]): number[] {
  const [batches, seqQ, seqK] = att.shape as [number, number, number];
  const dim = v[0]![0]!.length;
  const out: number[] = [];
  for (let s = 0; s < seqQ; s++) {
    for (let i = 0; i < batches; i++) {
      for (let d = 0; d < dim; d++) {
        let sum = 0;
        for (let t = 0; t < seqK; t++) sum += att.data[(i * seqQ + s) * seqK + t]! * v[t]![i]![d]!;
        out.push(sum);
      }
    }
  }
  return out;
}

beforeEach(() => mx.random.seed(23));

describeEachBackend('interleaved attention products', () => {
  test('selfatt_qk: (seq 4, batch 2, 3 heads of dim 5) matches the docstring reference, output (6, 4, 4)', () => {
    const qkv = mx.nd.random.uniform(-1, 1, [4, 2, 3 * 3 * 5]);
    const out = mx.nd._contrib_interleaved_matmul_selfatt_qk(qkv, { heads: 3 });
    expect(out.shape).toEqual([6, 4, 4]);
    mx.testUtils.assertAlmostEqual(out.data, scoresRef(split(qkv, 3, 3, 0), split(qkv, 3, 3, 1)), F32);
  });

  test('selfatt_valatt: attention (6, 4, 4) applied to the v parts gives (4, 2, 15)', () => {
    const qkv = mx.nd.random.uniform(-1, 1, [4, 2, 45]);
    const att = mx.nd.random.uniform(0, 1, [6, 4, 4]);
    const out = mx.nd._contrib_interleaved_matmul_selfatt_valatt(qkv, att, { heads: 3 });
    expect(out.shape).toEqual([4, 2, 15]);
    mx.testUtils.assertAlmostEqual(out.data, applyRef(att, split(qkv, 3, 3, 2)), F32);
  });

  test('encdec_qk and encdec_valatt: queries (3, 2, 8), keys_values (5, 2, 16), 2 heads', () => {
    const q = mx.nd.random.uniform(-1, 1, [3, 2, 8]);
    const kv = mx.nd.random.uniform(-1, 1, [5, 2, 16]);
    const scores = mx.nd._contrib_interleaved_matmul_encdec_qk(q, kv, { heads: 2 });
    expect(scores.shape).toEqual([4, 3, 5]);
    mx.testUtils.assertAlmostEqual(scores.data, scoresRef(split(q, 2, 1, 0), split(kv, 2, 2, 0)), F32);
    const att = mx.nd.softmax(scores, { axis: -1 });
    const out = mx.nd._contrib_interleaved_matmul_encdec_valatt(kv, att, { heads: 2 });
    expect(out.shape).toEqual([3, 2, 8]);
    mx.testUtils.assertAlmostEqual(out.data, applyRef(att, split(kv, 2, 2, 1)), F32);
  });

  test('numeric gradients of all four ops (every input)', () => {
    const qkv = mx.sym.Variable('qkv');
    const att = mx.sym.Variable('att');
    const q = mx.sym.Variable('q');
    const kv = mx.sym.Variable('kv');
    const u = (shape: number[]) => mx.nd.random.uniform(-1, 1, shape);
    mx.testUtils.checkNumericGradient(mx.sym._contrib_interleaved_matmul_selfatt_qk(qkv, { heads: 2 }), { qkv: u([3, 2, 12]) }, NUMERIC);
    mx.testUtils.checkNumericGradient(mx.sym._contrib_interleaved_matmul_selfatt_valatt(qkv, att, { heads: 2 }), { qkv: u([3, 2, 12]), att: u([4, 3, 3]) }, NUMERIC);
    mx.testUtils.checkNumericGradient(mx.sym._contrib_interleaved_matmul_encdec_qk(q, kv, { heads: 2 }), { q: u([2, 2, 4]), kv: u([3, 2, 8]) }, NUMERIC);
    mx.testUtils.checkNumericGradient(mx.sym._contrib_interleaved_matmul_encdec_valatt(kv, att, { heads: 2 }), { kv: u([3, 2, 8]), att: u([4, 2, 3]) }, NUMERIC);
  });

  test("gradReq 'add' accumulates onto the existing gradient (twice 'write')", () => {
    const s = mx.sym._contrib_interleaved_matmul_selfatt_valatt(mx.sym.Variable('qkv'), mx.sym.Variable('att'), { heads: 1 });
    const args = { qkv: mx.nd.random.uniform(-1, 1, [3, 2, 6]), att: mx.nd.random.uniform(-1, 1, [2, 3, 3]) };
    const head = mx.nd.random.uniform(-1, 1, [3, 2, 2]);
    const once = s.bind(mx.cpu(), args, { gradReq: 'write' });
    once.forward(true);
    once.backward([head]);
    const twice = s.bind(mx.cpu(), args, { gradReq: 'add' });
    for (let r = 0; r < 2; r++) {
      twice.forward(true);
      twice.backward([head]);
    }
    for (const name of ['qkv', 'att']) {
      mx.testUtils.assertAlmostEqual(twice.gradDict[name]!.data, Array.from(once.gradDict[name]!.data, (v) => 2 * v), F32);
    }
  });

  test('MXNet test_multihead_attention_selfatt: the fused graph equals the batch_dot graph, outputs and gradients', () => {
    const [batch, seq, qkvDim, heads, headDim] = [2, 7, 9, 3, 5];
    const units = heads * headDim;
    const outDim = 13 * heads;
    const vars = new Map<string, mx.Symbol>();
    const v = (name: string) => vars.get(name) ?? vars.set(name, mx.sym.Variable(name)).get(name)!;
    const fc = (data: mx.Symbol, w: string, b: string, hidden: number) =>
      mx.sym.FullyConnected(data, v(w), v(b), { num_hidden: hidden, flatten: false, no_bias: false });
    const toHeads = (x: mx.Symbol) => mx.sym.reshape(mx.sym.transpose(mx.sym.reshape(x, { shape: [0, 0, heads, -1] }), { axes: [0, 2, 1, 3] }), { shape: [-1, 0, 0], reverse: true });

    // The fused graph: weights interleaved per head as in MXNet's convert_weight / convert_bias.
    const perHead = (name: string) => mx.sym.reshape(v(name), { shape: [heads, -1, 0], reverse: true });
    const qkvWeight = mx.sym.reshape(mx.sym.concat(perHead('q_weight'), perHead('k_weight'), perHead('v_weight'), { dim: -2 }), { shape: [-1, 0], reverse: true });
    const biasHead = (name: string) => mx.sym.reshape(v(name), { shape: [heads, -1] });
    const qkvBias = mx.sym.reshape(mx.sym.stack(biasHead('q_bias'), biasHead('k_bias'), biasHead('v_bias'), { axis: 1 }), { shape: [-1] });
    const proj = mx.sym.FullyConnected(mx.sym.transpose(v('qkv'), { axes: [1, 0, 2] }), qkvWeight, qkvBias, { num_hidden: units * 3, flatten: false, no_bias: false });
    const score = mx.sym._contrib_interleaved_matmul_selfatt_qk(proj, { heads });
    const weighted = mx.sym._contrib_interleaved_matmul_selfatt_valatt(proj, score, { heads });
    const fused = mx.sym.transpose(fc(weighted, 'out_weight', 'out_bias', outDim), { axes: [1, 0, 2] });

    // The reference graph from separate projections and batch_dot.
    const q = mx.sym._contrib_div_sqrt_dim(toHeads(fc(v('qkv'), 'q_weight', 'q_bias', units)));
    const k = toHeads(fc(v('qkv'), 'k_weight', 'k_bias', units));
    const val = toHeads(fc(v('qkv'), 'v_weight', 'v_bias', units));
    const refScore = mx.sym.batch_dot(q, k, { transpose_b: true });
    const refWeighted = mx.sym.reshape(
      mx.sym.transpose(mx.sym.reshape(mx.sym.batch_dot(refScore, val), { shape: [-1, heads, 0, 0], reverse: true }), { axes: [0, 2, 1, 3] }),
      { shape: [0, 0, -1] });
    const reference = fc(refWeighted, 'out_weight', 'out_bias', outDim);

    const u = (shape: number[]) => mx.nd.random.uniform(0, 0.1, shape);
    const args = {
      qkv: u([batch, seq, qkvDim]), q_weight: u([units, qkvDim]), k_weight: u([units, qkvDim]), v_weight: u([units, qkvDim]),
      q_bias: u([units]), k_bias: u([units]), v_bias: u([units]), out_weight: u([outDim, units]), out_bias: u([outDim]),
    };
    const head = u([batch, seq, outDim]);
    const run = (s: mx.Symbol) => {
      const exec = s.bind(mx.cpu(), { ...args }, { gradReq: 'write' });
      exec.forward(true);
      exec.backward([head]);
      return exec;
    };
    const [a, b] = [run(fused), run(reference)];
    mx.testUtils.assertAlmostEqual(a.outputs[0]!.data, b.outputs[0]!.data, F32);
    for (const name of Object.keys(args)) mx.testUtils.assertAlmostEqual(a.gradDict[name]!.data, b.gradDict[name]!.data, { rtol: 1e-3, atol: 1e-5 });
  });

  test('mx.nd and mx.sym + bind agree', () => {
    const qkv = mx.nd.random.uniform(-1, 1, [2, 3, 12]);
    const exec = mx.sym._contrib_interleaved_matmul_selfatt_qk(mx.sym.Variable('x'), { heads: 2 }).bind(mx.cpu(), { x: qkv });
    mx.testUtils.assertAlmostEqual(exec.forward()[0]!.data, mx.nd._contrib_interleaved_matmul_selfatt_qk(qkv, { heads: 2 }).data, { rtol: 0, atol: 0 });
  });
});

describe('interleaved attention shapes and errors', () => {
  test('property: selfatt_qk gives (heads*batch, seq, seq) and valatt (seq, batch, heads*dim)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), (seq, batch, heads, dim) => {
      const qkv = mx.sym.Variable('qkv');
      const s = mx.sym._contrib_interleaved_matmul_selfatt_valatt(qkv, mx.sym._contrib_interleaved_matmul_selfatt_qk(qkv, { heads }), { heads });
      const shapes = s.getInternals().inferShape({ qkv: [seq, batch, heads * 3 * dim] });
      expect(shapes.outShapes).toContainEqual([heads * batch, seq, seq]);
      expect(shapes.outShapes[shapes.outShapes.length - 1]).toEqual([seq, batch, heads * dim]);
    }), { numRuns: 40 });
  });

  test('bad ranks, mismatched sequence lengths, indivisible widths and heads < 1 are errors naming the argument', () => {
    const qk = mx.sym._contrib_interleaved_matmul_selfatt_qk(mx.sym.Variable('x'), { heads: 2, name: 'att' });
    expect(() => qk.inferShape({ x: [2, 12] })).toThrow(mx.ShapeError);
    expect(() => qk.inferShape({ x: [2, 12] })).toThrow("_contrib_interleaved_matmul_selfatt_qk 'att': queries_keys_values must be 3-d");
    expect(() => qk.inferShape({ x: [2, 1, 9] })).toThrow(/queries_keys_values last axis 9 is not divisible by heads \* 3 = 6/);
    const va = mx.sym._contrib_interleaved_matmul_selfatt_valatt(mx.sym.Variable('x'), mx.sym.Variable('a'), { heads: 1, name: 'va' });
    expect(() => va.inferShape({ x: [3, 2, 6], a: [2, 3, 4] })).toThrow("_contrib_interleaved_matmul_selfatt_valatt 'va': attention shape [2,3,4] must be (batch*heads, 3, 3)");
    expect(() => va.inferShape({ x: [3, 2, 6], a: [4, 3, 3] })).toThrow(/attention shape\[0\] 4 must be batch \* heads = 2/);
    const eq = mx.sym._contrib_interleaved_matmul_encdec_qk(mx.sym.Variable('q'), mx.sym.Variable('kv'), { heads: 1, name: 'eq' });
    expect(() => eq.inferShape({ q: [3, 2, 4], kv: [5, 2, 6] })).toThrow(/keys_values shape\[2\] 6 must be queries.shape\[2\] \* 2 = 8/);
    expect(() => eq.inferShape({ q: [3, 2, 4], kv: [5, 3, 8] })).toThrow(/keys_values shape\[1\] 3 must equal queries.shape\[1\] = 2/);
    const ev = mx.sym._contrib_interleaved_matmul_encdec_valatt(mx.sym.Variable('kv'), mx.sym.Variable('a'), { heads: 2, name: 'ev' });
    expect(() => ev.inferShape({ kv: [5, 2, 8], a: [4, 3, 4] })).toThrow(/attention shape\[2\] 4 must equal keys_values.shape\[0\] = 5/);
    expect(() => mx.sym._contrib_interleaved_matmul_selfatt_qk(mx.sym.Variable('x'), { heads: 0 })).toThrow(mx.ParamError);
    // @ts-expect-error heads is required
    expect(() => mx.sym._contrib_interleaved_matmul_selfatt_qk(mx.sym.Variable('x'))).toThrow(/heads is required/);
  });
});
