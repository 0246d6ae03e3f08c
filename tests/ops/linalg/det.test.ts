/**
 * _linalg_inverse, _linalg_det, _linalg_slogdet: MXNet docstring examples (la_op.cc), float64
 * references on seeded inputs, Jacobi's formula for the gradient (closed form and central
 * differences), MXNet's zero gradient at singular matrices, shape rules and errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { F32, NUMERIC } from '../../helpers/close';
import { det, flat, identity, inverse, plus, randomMatrix, scale, type Mat } from './reference';

const DOC = { rtol: 1e-5, atol: 1e-6 };
const x = (name = 'A') => mx.sym.Variable(name);
const list = (out: mx.NDArray | mx.NDArray[]) => out as mx.NDArray[];
/** A seeded n x n matrix kept away from singular: uniform plus 2 I. */
const wellConditioned = (n: number): Mat => plus(randomMatrix(n, n), scale(identity(n), 2));

beforeEach(() => mx.random.seed(11));

describeEachBackend('_linalg_inverse', () => {
  test('MXNet docstring: single and batch inverse', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_inverse(mx.nd.array([[1, 4], [2, 3]])), [[-0.6, 0.8], [0.4, -0.2]], DOC);
    const batch = mx.nd.array([[[1, 4], [2, 3]], [[1, 3], [2, 4]]]);
    mx.testUtils.assertAlmostEqual(mx.nd._linalg_inverse(batch), [[[-0.6, 0.8], [0.4, -0.2]], [[-2, 1.5], [1, -0.5]]], DOC);
  });

  test('a seeded (2, 2, 4, 4) batch matches the float64 Gauss-Jordan inverse', () => {
    const mats = [0, 1, 2, 3].map(() => wellConditioned(4));
    const out = mx.nd.linalg_inverse(mx.nd.array([mats.slice(0, 2), mats.slice(2)]));
    expect(out.shape).toEqual([2, 2, 4, 4]);
    mx.testUtils.assertAlmostEqual(out.data, flat(mats.map(inverse)), { rtol: 1e-5, atol: 1e-5 });
  });

  test('the gradient is -B^T g B^T (central differences)', () => {
    mx.testUtils.checkNumericGradient(mx.sym.linalg_inverse(x()), { A: [wellConditioned(3), wellConditioned(3)] }, NUMERIC);
  });

  test('non-square input is a shape error naming A', () => {
    expect(() => mx.sym.linalg_inverse(x(), { name: 'inv' }).inferShape({ A: [2, 3] })).toThrow("_linalg_inverse 'inv': A shape [2,3] must hold square matrices");
    expect(() => mx.nd.linalg_inverse(mx.nd.ones([4]))).toThrow(/A shape \[4\] must have at least 2 dimensions/);
  });
});

describeEachBackend('_linalg_det', () => {
  test('MXNet docstring: det [[1, 4], [2, 3]] = [-5] (shape [1]) and a batch', () => {
    const single = mx.nd.linalg_det(mx.nd.array([[1, 4], [2, 3]]));
    expect(single.shape).toEqual([1]);
    mx.testUtils.assertAlmostEqual(single, [-5], DOC);
    mx.testUtils.assertAlmostEqual(mx.nd._linalg_det(mx.nd.array([[[1, 4], [2, 3]], [[2, 3], [1, 4]]])), [-5, 5], DOC);
  });

  test('a seeded (2, 3, 3, 3) batch matches Laplace expansion in float64', () => {
    const mats = Array.from({ length: 6 }, () => randomMatrix(3, 3));
    const out = mx.nd.linalg_det(mx.nd.array([mats.slice(0, 3), mats.slice(3)]));
    expect(out.shape).toEqual([2, 3]);
    mx.testUtils.assertAlmostEqual(out.data, mats.map(det), { rtol: 1e-5, atol: 1e-6 });
  });

  test("Jacobi's formula: d det / dA = det(A) A^-T (the cofactors), and 0 at a singular matrix as MXNet stops it", () => {
    const s = mx.sym.linalg_det(x());
    mx.testUtils.checkSymbolicBackward(s, { A: [[1, 4], [2, 3]] }, [[2]], { A: [[6, -4], [-8, 2]] }, F32);
    mx.testUtils.checkSymbolicBackward(s, { A: [[1, 2], [2, 4]] }, [[1]], { A: [[0, 0], [0, 0]] }, F32);
    mx.testUtils.checkNumericGradient(s, { A: [wellConditioned(3), wellConditioned(3)] }, NUMERIC);
  });

  test('one visible output (LU and pivots stay hidden), as MXNet lists it', () => {
    const s = mx.sym.linalg_det(x(), { name: 'd' });
    expect(s.listOutputs()).toEqual(['d_output0']);
    expect(s.inferShape({ A: [4, 2, 2] }).outShapes).toEqual([[4]]);
    expect(() => s.inferShape({ A: [2, 3] })).toThrow("_linalg_det 'd': A shape [2,3] must hold square matrices");
  });
});

describeEachBackend('_linalg_slogdet', () => {
  test('MXNet docstring: sign and log|det| for a single matrix and a batch with a singular one', () => {
    const [sign, logabs] = list(mx.nd.linalg_slogdet(mx.nd.array([[2, 3], [1, 4]])));
    mx.testUtils.assertAlmostEqual(sign!, [1], DOC);
    mx.testUtils.assertAlmostEqual(logabs!, [1.609438], DOC);
    const batch = mx.nd.array([[[2, 3], [1, 4]], [[1, 2], [2, 4]], [[1, 2], [4, 3]]]);
    const [bs, bl] = list(mx.nd._linalg_slogdet(batch));
    mx.testUtils.assertAlmostEqual(bs!, [1, 0, -1], DOC);
    mx.testUtils.assertAlmostEqual(bl!, [1.609438, -Infinity, 1.609438], DOC);
  });

  test('on seeded matrices sign * exp(logabsdet) is the float64 determinant', () => {
    const mats = Array.from({ length: 5 }, () => randomMatrix(4, 4));
    const [sign, logabs] = list(mx.nd.linalg_slogdet(mx.nd.array(mats)));
    mx.testUtils.assertAlmostEqual(mats.map((_, i) => sign!.data[i]! * Math.exp(logabs!.data[i]!)), mats.map(det), { rtol: 1e-5, atol: 1e-6 });
    mx.testUtils.assertAlmostEqual(sign!.data, mats.map((m) => Math.sign(det(m))), { rtol: 0, atol: 0 });
  });

  test('the gradient flows from logabsdet only: A^-T g, zero at a singular matrix', () => {
    const s = mx.sym.linalg_slogdet(x());
    mx.testUtils.checkSymbolicBackward(s, { A: [[1, 4], [2, 3]] }, [[5], [1]], { A: [[-0.6, 0.4], [0.8, -0.2]] }, F32);
    mx.testUtils.checkSymbolicBackward(s, { A: [[1, 2], [2, 4]] }, [[1], [1]], { A: [[0, 0], [0, 0]] }, F32);
    mx.testUtils.checkNumericGradient(s, { A: [wellConditioned(3), scale(wellConditioned(3), -1)] }, NUMERIC);
  });

  test('two visible outputs with the per-matrix shape (property over batch shapes)', () => {
    const s = mx.sym.linalg_slogdet(x(), { name: 'sl' });
    expect(s.listOutputs()).toEqual(['sl_output0', 'sl_output1']);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }), fc.integer({ min: 1, max: 5 }), (batch, n) => {
      const expected = batch.length === 0 ? [1] : batch;
      expect(s.inferShape({ A: [...batch, n, n] }).outShapes).toEqual([expected, expected]);
    }), { numRuns: 30 });
  });

  test('mx.nd and mx.sym + bind agree for inverse, det and slogdet', () => {
    const a = mx.nd.array([wellConditioned(3), wellConditioned(3)]);
    const inv = mx.sym.linalg_inverse(x()).bind(mx.cpu(), { A: a }).forward()[0]!;
    mx.testUtils.assertAlmostEqual(inv, mx.nd.linalg_inverse(a), { rtol: 0, atol: 0 });
    const d = mx.sym.linalg_det(x()).bind(mx.cpu(), { A: a }).forward();
    expect(d.length).toBe(1);
    mx.testUtils.assertAlmostEqual(d[0]!, mx.nd.linalg_det(a), { rtol: 0, atol: 0 });
    const sl = mx.sym.linalg_slogdet(x()).bind(mx.cpu(), { A: a }).forward();
    const [sign, logabs] = list(mx.nd.linalg_slogdet(a));
    mx.testUtils.assertAlmostEqual(sl[0]!, sign!, { rtol: 0, atol: 0 });
    mx.testUtils.assertAlmostEqual(sl[1]!, logabs!, { rtol: 0, atol: 0 });
  });
});
