/**
 * _linalg_sumlogdiag, _linalg_extractdiag, _linalg_makediag, _linalg_extracttrian,
 * _linalg_maketrian: MXNet docstring examples (la_op.cc), float64 references on seeded input,
 * round-trip properties, numeric gradients, shape rules and errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { NUMERIC } from '../../helpers/close';
import { matricesOf } from './reference';

const EXACT = { rtol: 0, atol: 0 };
const x = (name = 'A') => mx.sym.Variable(name);
const docA = () => mx.nd.array([[1, 2], [3, 4]]);
const docBatch = () => mx.nd.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);

beforeEach(() => mx.random.seed(3));

describeEachBackend('_linalg_sumlogdiag', () => {
  test('MXNet docstring: [1.9459] for one matrix and [1.9459, 3.9318] for a batch (exact: log 7, log 51)', () => {
    const single = mx.nd.linalg_sumlogdiag(mx.nd.array([[1, 1], [1, 7]]));
    expect(single.shape).toEqual([1]);
    mx.testUtils.assertAlmostEqual(single, [Math.log(7)], { rtol: 1e-6, atol: 0 });
    mx.testUtils.assertAlmostEqual(mx.nd._linalg_sumlogdiag(mx.nd.array([[[1, 1], [1, 7]], [[3, 0], [0, 17]]])), [Math.log(7), Math.log(51)], { rtol: 1e-6, atol: 0 });
  });

  test('a seeded (2, 3, 4, 4) input matches the float64 sum of log diagonals; the gradient is g / A_ii', () => {
    const a = mx.nd.random.uniform(0.5, 2, [2, 3, 4, 4]);
    const out = mx.nd.linalg_sumlogdiag(a);
    expect(out.shape).toEqual([2, 3]);
    mx.testUtils.assertAlmostEqual(out.data, matricesOf(a).map((m) => m.reduce((s, row, i) => s + Math.log(row[i]!), 0)), { rtol: 1e-6, atol: 1e-6 });
    mx.testUtils.checkNumericGradient(mx.sym.linalg_sumlogdiag(x()), { A: mx.nd.random.uniform(0.5, 2, [2, 3, 3]) }, NUMERIC);
  });

  test('non-square input is a shape error naming A', () => {
    expect(() => mx.sym.linalg_sumlogdiag(x(), { name: 's' }).inferShape({ A: [3, 4] })).toThrow("_linalg_sumlogdiag 's': A shape [3,4] must hold square matrices");
  });
});

describeEachBackend('_linalg_extractdiag and _linalg_makediag', () => {
  test('MXNet docstring examples (offset 0 and 1, single and batch)', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_extractdiag(docA()), [1, 4], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_extractdiag(docA(), { offset: 1 }), [2], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._linalg_extractdiag(docBatch()), [[1, 4], [5, 8]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_makediag(mx.nd.array([1, 2])), [[1, 0], [0, 2]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_makediag(mx.nd.array([1, 2]), { offset: 1 }), [[0, 1, 0], [0, 0, 2], [0, 0, 0]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._linalg_makediag(docA()), [[[1, 0], [0, 2]], [[3, 0], [0, 4]]], EXACT);
  });

  test('negative offsets select diagonals below the main one; gradients match central differences', () => {
    const a = mx.nd.random.uniform(-1, 1, [2, 4, 4]);
    const mats = matricesOf(a);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_extractdiag(a, { offset: -2 }).data, mats.flatMap((m) => [m[2]![0]!, m[3]![1]!]), EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_makediag(mx.nd.array([[5, 6]]), { offset: -1 }), [[[0, 0, 0], [5, 0, 0], [0, 6, 0]]], EXACT);
    mx.testUtils.checkNumericGradient(mx.sym.linalg_extractdiag(x(), { offset: 1 }), { A: a }, NUMERIC);
    mx.testUtils.checkNumericGradient(mx.sym.linalg_makediag(x(), { offset: -1 }), { A: mx.nd.random.uniform(-1, 1, [2, 3]) }, NUMERIC);
  });

  test('an offset that leaves no diagonal is a shape error naming offset', () => {
    expect(() => mx.sym.linalg_extractdiag(x(), { offset: -3, name: 'e' }).inferShape({ A: [3, 3] })).toThrow("_linalg_extractdiag 'e': offset -3 leaves nothing to extract from 3 x 3 matrices (A [3,3])");
  });
});

describeEachBackend('_linalg_extracttrian and _linalg_maketrian', () => {
  test('MXNet docstring examples: lower, upper, offsets, batch', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_extracttrian(docA()), [1, 3, 4], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_extracttrian(docA(), { lower: false }), [1, 2, 4], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_extracttrian(docA(), { offset: 1 }), [2], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_extracttrian(docA(), { offset: -1 }), [3], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._linalg_extracttrian(docBatch()), [[1, 3, 4], [5, 7, 8]], EXACT);
    const v = mx.nd.array([1, 2, 3]);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_maketrian(v), [[1, 0], [2, 3]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_maketrian(v, { lower: 'false' }), [[1, 2], [0, 3]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_maketrian(v, { offset: 1 }), [[0, 1, 2], [0, 0, 3], [0, 0, 0]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_maketrian(v, { offset: -1 }), [[0, 0, 0], [1, 0, 0], [2, 3, 0]], EXACT);
    const batch = mx.nd.array([[1, 2, 3], [4, 5, 6]]);
    mx.testUtils.assertAlmostEqual(mx.nd._linalg_maketrian(batch), [[[1, 0], [2, 3]], [[4, 0], [5, 6]]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._linalg_maketrian(batch, { offset: 1 }), [[[0, 1, 2], [0, 0, 3], [0, 0, 0]], [[0, 4, 5], [0, 0, 6], [0, 0, 0]]], EXACT);
  });

  test('the upper triangle packs column by column (MXNet order) on a 3 x 3 matrix', () => {
    const a = mx.nd.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_extracttrian(a, { lower: false }), [1, 2, 5, 3, 6, 9], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_extracttrian(a), [1, 4, 5, 7, 8, 9], EXACT);
  });

  test('property: maketrian inverts extracttrian and extracttrian(maketrian(v)) = v, for any offset and side', () => {
    const cases = fc.record({ n: fc.integer({ min: 1, max: 5 }), offset: fc.integer({ min: -4, max: 4 }), lower: fc.boolean(), batch: fc.integer({ min: 1, max: 3 }) })
      .filter(({ n, offset }) => Math.abs(offset) < n);
    fc.assert(fc.property(cases, ({ n, offset, lower, batch }) => {
      const a = mx.nd.random.uniform(-1, 1, [batch, n, n]);
      const packed = mx.nd.linalg_extracttrian(a, { offset, lower });
      const side = n - Math.abs(offset);
      expect(packed.shape).toEqual([batch, (side * (side + 1)) / 2]);
      const rebuilt = mx.nd.linalg_maketrian(packed, { offset, lower });
      expect(rebuilt.shape).toEqual([batch, n, n]);
      const upper = offset > 0 || (offset === 0 && !lower);
      const kept = (r: number, c: number) => (upper ? c - r >= offset : r - c >= -offset);
      const expected = matricesOf(a).map((m) => m.map((row, r) => row.map((v, c) => (kept(r, c) ? v : 0))));
      mx.testUtils.assertAlmostEqual(rebuilt.data, expected.flat(2), EXACT);
      mx.testUtils.assertAlmostEqual(mx.nd.linalg_extracttrian(rebuilt, { offset, lower }), packed, EXACT);
    }), { numRuns: 40 });
  });

  test('gradients match central differences', () => {
    mx.testUtils.checkNumericGradient(mx.sym.linalg_extracttrian(x(), { offset: -1 }), { A: mx.nd.random.uniform(-1, 1, [2, 3, 3]) }, NUMERIC);
    mx.testUtils.checkNumericGradient(mx.sym.linalg_maketrian(x(), { lower: false }), { A: mx.nd.random.uniform(-1, 1, [2, 6]) }, NUMERIC);
  });

  test('a last axis that is not a triangular number, and a too-large offset, are shape errors', () => {
    expect(() => mx.sym.linalg_maketrian(x(), { name: 'm' }).inferShape({ A: [2, 4] })).toThrow("_linalg_maketrian 'm': A shape [2,4] has 4 entries on its last axis, not a triangular number m (m + 1) / 2");
    expect(() => mx.sym.linalg_extracttrian(x(), { offset: 2, name: 't' }).inferShape({ A: [2, 2] })).toThrow(/_linalg_extracttrian 't': offset 2 leaves nothing to extract/);
    expect(() => mx.nd.linalg_extracttrian(mx.nd.ones([2, 3]))).toThrow(mx.ShapeError);
  });

  test('mx.nd and mx.sym + bind agree', () => {
    const a = mx.nd.random.uniform(-1, 1, [2, 4, 4]);
    const exec = mx.sym.linalg_extracttrian(x(), { offset: 1 }).bind(mx.cpu(), { A: a });
    mx.testUtils.assertAlmostEqual(exec.forward()[0]!, mx.nd.linalg_extracttrian(a, { offset: 1 }), EXACT);
  });
});
