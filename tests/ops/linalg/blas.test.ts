/**
 * _linalg_gemm, _linalg_gemm2, _linalg_syrk, _linalg_trmm, _linalg_trsm: MXNet docstring examples
 * (la_op.cc), float64 references on seeded inputs, numeric gradients, shape rules and errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { getOp } from '../../../src/ops/registry';
import { describeEachBackend } from '../../helpers/backends';
import { F32, NUMERIC } from '../../helpers/close';
import { flat, lowerPart, matmul, matricesOf, randomMatrix, scale, transpose, upperPart, type Mat } from './reference';

const DOC = { rtol: 1e-5, atol: 1e-6 };
const x = (name = 'A') => mx.sym.Variable(name);

beforeEach(() => mx.random.seed(23));

describeEachBackend('_linalg_gemm and _linalg_gemm2', () => {
  test('MXNet docstring: single and batch multiply-add (gemm) and multiply (gemm2)', () => {
    const a = mx.nd.ones([2, 2]);
    const b = mx.nd.ones([3, 2]);
    const c = mx.nd.ones([2, 3]);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_gemm(a, b, c, { transpose_b: true, alpha: 2, beta: 10 }), [[14, 14, 14], [14, 14, 14]], DOC);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_gemm2(a, b, { transpose_b: true, alpha: 2 }), [[4, 4, 4], [4, 4, 4]], DOC);
    const ba = mx.nd.array([[[1, 1]], [[0.1, 0.1]]]);
    mx.testUtils.assertAlmostEqual(mx.nd._linalg_gemm(ba, ba, mx.nd.array([[[10]], [[0.01]]]), { transpose_b: true, alpha: 2, beta: 10 }), [[[104]], [[0.14]]], DOC);
    mx.testUtils.assertAlmostEqual(mx.nd._linalg_gemm2(ba, ba, { transpose_b: true, alpha: 2 }), [[[4]], [[0.04]]], DOC);
  });

  test('every transpose combination of a seeded batch matches the float64 reference', () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const a = mx.nd.random.uniform(-1, 1, ta ? [2, 4, 3] : [2, 3, 4]);
      const b = mx.nd.random.uniform(-1, 1, tb ? [2, 5, 4] : [2, 4, 5]);
      const c = mx.nd.random.uniform(-1, 1, [2, 3, 5]);
      const out = mx.nd.linalg_gemm(a, b, c, { transpose_a: ta, transpose_b: tb, alpha: 0.7, beta: -1.5 });
      const as = matricesOf(a);
      const bs = matricesOf(b);
      const cs = matricesOf(c);
      const ref = as.map((am, i) => {
        const prod = matmul(ta ? transpose(am) : am, tb ? transpose(bs[i]!) : bs[i]!);
        return prod.map((row, r) => row.map((v, k) => 0.7 * v - 1.5 * cs[i]![r]![k]!));
      });
      expect(out.shape).toEqual([2, 3, 5]);
      mx.testUtils.assertAlmostEqual(out.data, flat(ref), F32);
    }
  });

  test('axis=1 multiplies the (axis, last) planes: the same as swapaxes, gemm2, swapaxes', () => {
    const a = mx.nd.random.uniform(-1, 1, [2, 3, 4, 5]);
    const b = mx.nd.random.uniform(-1, 1, [2, 5, 4, 6]);
    const out = mx.nd.linalg_gemm2(a, b, { axis: 1 });
    expect(out.shape).toEqual([2, 3, 4, 6]);
    const swapped = mx.nd.linalg_gemm2(mx.nd.swapaxes(a, { dim1: 1, dim2: 2 }), mx.nd.swapaxes(b, { dim1: 1, dim2: 2 }));
    mx.testUtils.assertAlmostEqual(out, mx.nd.swapaxes(swapped, { dim1: 1, dim2: 2 }), F32);
  });

  test('gradients of A, B and C match central differences (transposes, batch, axis)', () => {
    const gemm = mx.sym.linalg_gemm(x('A'), x('B'), x('C'), { transpose_a: true, alpha: 1.5, beta: 0.5 });
    mx.testUtils.checkNumericGradient(gemm, { A: mx.nd.random.uniform(-1, 1, [2, 3, 2]), B: mx.nd.random.uniform(-1, 1, [2, 3, 4]), C: mx.nd.random.uniform(-1, 1, [2, 2, 4]) }, NUMERIC);
    const gemm2 = mx.sym.linalg_gemm2(x('A'), x('B'), { transpose_b: true, alpha: -2 });
    mx.testUtils.checkNumericGradient(gemm2, { A: mx.nd.random.uniform(-1, 1, [3, 4]), B: mx.nd.random.uniform(-1, 1, [2, 4]) }, NUMERIC);
    const axis = mx.sym.linalg_gemm2(x('A'), x('B'), { axis: 0, transpose_a: true });
    mx.testUtils.checkNumericGradient(axis, { A: mx.nd.random.uniform(-1, 1, [3, 2, 2]), B: mx.nd.random.uniform(-1, 1, [3, 2, 4]) }, NUMERIC);
  });

  test("gradReq 'add' accumulates the same gradient onto what the arrays held", () => {
    const a = mx.nd.random.uniform(-1, 1, [2, 3]);
    const b = mx.nd.random.uniform(-1, 1, [3, 2]);
    const g = [[1, 2], [3, 4]];
    const gm: Mat = g;
    const expected = { A: matmul(gm, transpose(b.toArray() as Mat)), B: matmul(transpose(a.toArray() as Mat), gm) };
    const s = mx.sym.linalg_gemm2(x('A'), x('B'));
    mx.testUtils.checkSymbolicBackward(s, { A: a, B: b }, [g], expected, { ...F32, gradReq: 'add' });
    mx.testUtils.checkSymbolicBackward(s, { A: a, B: b }, [g], expected, F32);
  });

  test('mismatched shapes name the argument; a bad axis names axis', () => {
    const gemm2 = (a: number[], b: number[], params: Record<string, unknown> = {}) =>
      mx.sym.linalg_gemm2(x('A'), x('B'), { name: 'g', ...params }).inferShape({ A: a, B: b });
    expect(() => gemm2([2, 3], [4, 5])).toThrow(mx.ShapeError);
    expect(() => gemm2([2, 3], [4, 5])).toThrow(/^_linalg_gemm2 'g': B shape \[4,5\] is incompatible with A \[2,3\] for multiplication/);
    expect(() => gemm2([2, 2, 3], [3, 3, 5])).toThrow(/_linalg_gemm2 'g': B shape \[3,3,5\] must match A \[2,2,3\] on every axis but the row and column axes/);
    expect(() => gemm2([2, 3], [2, 3, 5])).toThrow(/B shape \[2,3,5\] must have as many dimensions as A/);
    expect(() => gemm2([3], [3, 5])).toThrow(/A shape \[3\] must have at least 2 dimensions/);
    expect(() => gemm2([2, 3, 4], [2, 4, 5], { axis: 2 })).toThrow(/_linalg_gemm2 'g': axis 2 is not a valid row axis/);
    const gemm = mx.sym.linalg_gemm(x('A'), x('B'), x('C'), { name: 'm' });
    expect(() => gemm.inferShape({ A: [2, 3], B: [3, 4], C: [2, 5] })).toThrow(/_linalg_gemm 'm': C shape \[2,5\] does not match the inferred shape \[2,4\]/);
    expect(() => mx.nd.linalg_gemm2(mx.nd.ones([2, 3]), mx.nd.ones([2, 3]))).toThrow(mx.ShapeError);
  });

  test('property: gemm2 output is (batch..., op(A) rows, op(B) cols), and C gets that shape', () => {
    const dims = fc.record({
      batch: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
      m: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 4 }),
      ta: fc.boolean(), tb: fc.boolean(),
    });
    fc.assert(fc.property(dims, ({ batch, m, k, n, ta, tb }) => {
      const a = [...batch, ...(ta ? [k, m] : [m, k])];
      const b = [...batch, ...(tb ? [n, k] : [k, n])];
      const s = mx.sym.linalg_gemm(x('A'), x('B'), x('C'), { transpose_a: ta, transpose_b: tb });
      const { argShapes, outShapes } = s.inferShape({ A: a, B: b });
      expect(outShapes[0]).toEqual([...batch, m, n]);
      expect(argShapes[2]).toEqual([...batch, m, n]);
    }), { numRuns: 50 });
  });

  test('MXNet symbol JSON with string attributes ("2.0", "True") loads and runs', () => {
    const json = JSON.stringify({
      nodes: [
        { op: 'null', name: 'A', inputs: [] },
        { op: 'null', name: 'B', inputs: [] },
        { op: '_linalg_gemm2', name: 'g', attrs: { alpha: '2.0', transpose_b: 'True', axis: '-2' }, inputs: [[0, 0, 0], [1, 0, 0]] },
      ],
      arg_nodes: [0, 1], node_row_ptr: [0, 1, 2, 3], heads: [[2, 0, 0]], attrs: { mxnet_version: ['int', 10901] },
    });
    const s = mx.sym.fromJSON(json);
    expect(s.inferShape({ A: [2, 2], B: [3, 2] }).outShapes).toEqual([[2, 3]]);
    const out = s.bind(mx.cpu(), { A: mx.nd.ones([2, 2]), B: mx.nd.ones([3, 2]) }).forward()[0]!;
    mx.testUtils.assertAlmostEqual(out, [[4, 4, 4], [4, 4, 4]], DOC);
  });

  test('mx.nd and mx.sym + bind agree', () => {
    const a = mx.nd.random.uniform(-1, 1, [2, 3, 4]);
    const b = mx.nd.random.uniform(-1, 1, [2, 4, 2]);
    const exec = mx.sym.linalg_gemm2(x('A'), x('B'), { alpha: 3 }).bind(mx.cpu(), { A: a, B: b });
    mx.testUtils.assertAlmostEqual(exec.forward()[0]!, mx.nd.linalg_gemm2(a, b, { alpha: 3 }), { rtol: 0, atol: 0 });
  });
});

describeEachBackend('_linalg_syrk', () => {
  test('MXNet docstring: A A^T, A^T A, and a batch with alpha 2', () => {
    const a = mx.nd.array([[1, 2, 3], [4, 5, 6]]);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_syrk(a, { alpha: 1, transpose: false }), [[14, 32], [32, 77]], DOC);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_syrk(a, { alpha: 1, transpose: true }), [[17, 22, 27], [22, 29, 36], [27, 36, 45]], DOC);
    mx.testUtils.assertAlmostEqual(mx.nd._linalg_syrk(mx.nd.array([[[1, 1]], [[0.1, 0.1]]]), { alpha: 2 }), [[[4]], [[0.04]]], DOC);
  });

  test('a seeded batch matches alpha A A^T in float64, and the gradient matches central differences', () => {
    const a = mx.nd.random.uniform(-1, 1, [3, 2, 4]);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_syrk(a, { alpha: 0.5 }).data, flat(matricesOf(a).map((m) => scale(matmul(m, transpose(m)), 0.5))), F32);
    for (const transpose of [false, true]) {
      mx.testUtils.checkNumericGradient(mx.sym.linalg_syrk(x(), { transpose, alpha: 1.5 }), { A: mx.nd.random.uniform(-1, 1, [2, 3, 2]) }, NUMERIC);
    }
  });

  test('a 1-d input is a shape error naming A', () => {
    expect(() => mx.sym.linalg_syrk(x(), { name: 's' }).inferShape({ A: [4] })).toThrow("_linalg_syrk 's': A shape [4] must have at least 2 dimensions (a tensor of matrices)");
  });
});

/** Reference trmm/trsm operand: the triangle of A, transposed when asked. */
function opTriangle(a: Mat, lower: boolean, trans: boolean): Mat {
  const t = lower ? lowerPart(a) : upperPart(a);
  return trans ? transpose(t) : t;
}

const FLAGS = [false, true].flatMap((lower) => [false, true].flatMap((transpose) => [false, true].map((rightside) => ({ lower, transpose, rightside }))));

/** A triangular-friendly seeded batch: A with a dominant diagonal (well conditioned) and B. */
function triangularInputs(rightside: boolean) {
  const a = mx.nd.array([0, 1].map(() => {
    const m = randomMatrix(3, 3);
    return m.map((row, i) => row.map((v, j) => (i === j ? 2 + Math.abs(v) : v)));
  }));
  const b = mx.nd.random.uniform(-1, 1, rightside ? [2, 4, 3] : [2, 3, 4]);
  return { a, b };
}

describeEachBackend('_linalg_trmm and _linalg_trsm', () => {
  test('MXNet docstring: single and batch triangular multiply and solve', () => {
    const a = mx.nd.array([[1, 0], [1, 1]]);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_trmm(a, mx.nd.ones([2, 3]), { alpha: 2 }), [[2, 2, 2], [4, 4, 4]], DOC);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_trsm(a, mx.nd.array([[2, 2, 2], [4, 4, 4]]), { alpha: 0.5 }), [[1, 1, 1], [1, 1, 1]], DOC);
    const ba = mx.nd.array([[[1, 0], [1, 1]], [[1, 0], [1, 1]]]);
    const bb = mx.nd.array([[[1, 1, 1], [1, 1, 1]], [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]]);
    mx.testUtils.assertAlmostEqual(mx.nd._linalg_trmm(ba, bb, { alpha: 2 }), [[[2, 2, 2], [4, 4, 4]], [[1, 1, 1], [2, 2, 2]]], DOC);
    const bs = mx.nd.array([[[2, 2, 2], [4, 4, 4]], [[4, 4, 4], [8, 8, 8]]]);
    mx.testUtils.assertAlmostEqual(mx.nd._linalg_trsm(ba, bs, { alpha: 0.5 }), [[[1, 1, 1], [1, 1, 1]], [[2, 2, 2], [2, 2, 2]]], DOC);
  });

  test('all lower/transpose/rightside combinations match float64 references (only the triangle of A is read)', () => {
    for (const flags of FLAGS) {
      const { a, b } = triangularInputs(flags.rightside);
      const mm = mx.nd.linalg_trmm(a, b, { ...flags, alpha: 1.5 });
      const solved = mx.nd.linalg_trsm(a, b, { ...flags, alpha: 1.5 });
      const as = matricesOf(a);
      const bs = matricesOf(b);
      const refMm = as.map((am, i) => {
        const t = opTriangle(am, flags.lower, flags.transpose);
        return scale(flags.rightside ? matmul(bs[i]!, t) : matmul(t, bs[i]!), 1.5);
      });
      const refSolve = as.map((am, i) => {
        const tInv = inverseTriangular(opTriangle(am, flags.lower, flags.transpose));
        return scale(flags.rightside ? matmul(bs[i]!, tInv) : matmul(tInv, bs[i]!), 1.5);
      });
      mx.testUtils.assertAlmostEqual(mm.data, flat(refMm), F32);
      mx.testUtils.assertAlmostEqual(solved.data, flat(refSolve), { rtol: 1e-5, atol: 1e-5 });
    }
  });

  test('gradients of A and B match central differences for every flag combination', () => {
    for (const flags of FLAGS) {
      const { a, b } = triangularInputs(flags.rightside);
      const location = { A: mx.nd.array(matricesOf(a).slice(0, 1)), B: mx.nd.array(matricesOf(b).slice(0, 1)) };
      mx.testUtils.checkNumericGradient(mx.sym.linalg_trmm(x('A'), x('B'), { ...flags, alpha: 0.8 }), location, NUMERIC);
      mx.testUtils.checkNumericGradient(mx.sym.linalg_trsm(x('A'), x('B'), { ...flags, alpha: 0.8 }), location, NUMERIC);
    }
  });

  test('shape rules: A must be square and fit B on its side; the output shape infers A and B backwards', () => {
    const trsm = (a: number[], b: number[], rightside = false) => mx.sym.linalg_trsm(x('A'), x('B'), { rightside, name: 't' }).inferShape({ A: a, B: b });
    expect(() => trsm([3, 2], [3, 4])).toThrow("_linalg_trsm 't': A shape [3,2] must hold square matrices (its last two dimensions differ)");
    expect(() => trsm([3, 3], [4, 3])).toThrow(/_linalg_trsm 't': B shape \[4,3\] is incompatible with A \[3,3\]: B's rows \(4\)/);
    expect(() => trsm([3, 3], [3, 4], true)).toThrow(/B's columns \(4\) must equal the order of A \(3\)/);
    expect(() => trsm([2, 3, 3], [3, 3, 4])).toThrow(/B shape \[3,3,4\] must have the leading dimensions of A \[2,3,3\]/);
    expect(trsm([2, 3, 3], [2, 4, 3], true).outShapes[0]).toEqual([2, 4, 3]);
    // MXNet's rule also runs backwards: a known output fixes A (square on B's side) and B.
    const site = { op: '_linalg_trmm', node: 't', fail: () => { throw new Error('unexpected'); } };
    const params = { transpose: false, rightside: true, lower: true, alpha: 1 };
    expect(getOp('_linalg_trmm').inferShape(params, [null, null], [[2, 4, 3]], site)).toEqual({ inputs: [[2, 3, 3], [2, 4, 3]], outputs: [[2, 4, 3]] });
    expect(getOp('_linalg_trmm').inferShape({ ...params, rightside: false }, [null, null], [[2, 4, 3]], site).inputs[0]).toEqual([2, 4, 4]);
  });

  test('mx.nd and mx.sym + bind agree', () => {
    const { a, b } = triangularInputs(false);
    const exec = mx.sym.linalg_trsm(x('A'), x('B'), { lower: false }).bind(mx.cpu(), { A: a, B: b });
    mx.testUtils.assertAlmostEqual(exec.forward()[0]!, mx.nd.linalg_trsm(a, b, { lower: false }), { rtol: 0, atol: 0 });
  });
});

/** Inverse of a triangular matrix by substitution on the identity columns (float64). */
function inverseTriangular(t: Mat): Mat {
  const n = t.length;
  const lower = t.every((row, i) => row.every((v, j) => j <= i || v === 0));
  const inv: Mat = t.map(() => new Array<number>(n).fill(0));
  for (let c = 0; c < n; c++) {
    const order = lower ? [...Array(n).keys()] : [...Array(n).keys()].reverse();
    for (const i of order) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < n; k++) if (k !== i && (lower ? k < i : k > i)) s -= t[i]![k]! * inv[k]![c]!;
      inv[i]![c] = s / t[i]![i]!;
    }
  }
  return inv;
}
