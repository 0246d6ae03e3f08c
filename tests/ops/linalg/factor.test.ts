/**
 * _linalg_potrf, _linalg_potri, _linalg_gelqf, _linalg_syevd: MXNet docstring examples
 * (la_op.cc), float64 references and defining identities on seeded inputs, numeric gradients
 * (symmetric inputs through 0.5 (X + X^T), as MXNet's test_laop does), shape rules and errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { NUMERIC } from '../../helpers/close';
import { cholesky, flat, identity, inverse, lowerPart, matmul, matricesOf, randomMatrix, randomSpd, transpose, type Mat } from './reference';

const DOC = { rtol: 1e-5, atol: 1e-6 };
/** Factorizations of a float32 input, checked against float64 of the same input. */
const FACTOR = { rtol: 1e-5, atol: 1e-5 };
const x = (name = 'A') => mx.sym.Variable(name);
/** 0.5 (X + X^T) over the last two axes of a 2-d or 3-d variable: gradients of ops on symmetric inputs. */
const symmetric = (v: mx.Symbol, ndim: number) => v.add(mx.sym.transpose(v, { axes: ndim === 2 ? [1, 0] : [0, 2, 1] })).mul(0.5);
const list = (out: mx.NDArray | mx.NDArray[]) => out as mx.NDArray[];

beforeEach(() => mx.random.seed(5));

describeEachBackend('_linalg_potrf', () => {
  test('MXNet docstring: single and batch factorization', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_potrf(mx.nd.array([[4, 1], [1, 4.25]])), [[2, 0], [0.5, 2]], DOC);
    const batch = mx.nd.array([[[4, 1], [1, 4.25]], [[16, 4], [4, 17]]]);
    mx.testUtils.assertAlmostEqual(mx.nd._linalg_potrf(batch), [[[2, 0], [0.5, 2]], [[4, 0], [1, 4]]], DOC);
  });

  test('a seeded SPD batch matches float64 Cholesky; lower=false gives the transposed (upper) factor', () => {
    const spd = [randomSpd(4), randomSpd(4), randomSpd(4)];
    const a = mx.nd.array(spd);
    const ref = spd.map(cholesky);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_potrf(a).data, flat(ref), FACTOR);
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_potrf(a, { lower: false }).data, flat(ref.map(transpose)), FACTOR);
  });

  test('only the lower (upper) triangle of A is read', () => {
    const spd = randomSpd(3);
    const junkUpper = spd.map((row, i) => row.map((v, j) => (j > i ? 99 : v)));
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_potrf(mx.nd.array(junkUpper)).data, flat([cholesky(spd)]), FACTOR);
    const junkLower = spd.map((row, i) => row.map((v, j) => (j < i ? -99 : v)));
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_potrf(mx.nd.array(junkLower), { lower: false }).data, flat([transpose(cholesky(spd))]), FACTOR);
  });

  test('the gradient matches central differences (lower and upper, batch)', () => {
    for (const lower of [true, false]) {
      const s = mx.sym.linalg_potrf(symmetric(x(), 3), { lower });
      mx.testUtils.checkNumericGradient(s, { A: mx.nd.array([randomSpd(3), randomSpd(3)]) }, NUMERIC);
    }
  });

  test('a matrix that is not positive definite is a ValueError from the forward, naming the matrix', () => {
    const bad = mx.nd.array([[[4, 1], [1, 4.25]], [[1, 2], [2, 1]]]);
    expect(() => mx.nd.linalg_potrf(bad)).toThrow(mx.ValueError);
    expect(() => mx.nd.linalg_potrf(bad)).toThrow('_linalg_potrf: A matrix 1 of the batch is not symmetric positive definite: its Cholesky factorization failed');
    const exec = mx.sym.linalg_potrf(x()).bind(mx.cpu(), { A: bad });
    expect(() => exec.forward()).toThrow(mx.ValueError);
    expect(() => mx.nd.linalg_potrf(mx.nd.array([[Number.NaN, 0], [0, 1]]))).toThrow(/not symmetric positive definite/);
  });

  test('non-square input is a shape error naming A; a bad lower is a parameter error', () => {
    expect(() => mx.sym.linalg_potrf(x(), { name: 'c' }).inferShape({ A: [2, 3, 4] })).toThrow("_linalg_potrf 'c': A shape [2,3,4] must hold square matrices (its last two dimensions differ)");
    expect(() => mx.sym.linalg_potrf(x(), { lower: 'maybe' })).toThrow(mx.ParamError);
    expect(mx.sym.linalg_potrf(x(), { lower: 'False' }).inferShape({ A: [3, 3] }).outShapes).toEqual([[3, 3]]);
  });

  test('mx.nd and mx.sym + bind agree', () => {
    const a = mx.nd.array([randomSpd(3)]);
    const exec = mx.sym.linalg_potrf(x()).bind(mx.cpu(), { A: a });
    mx.testUtils.assertAlmostEqual(exec.forward()[0]!, mx.nd.linalg_potrf(a), { rtol: 0, atol: 0 });
  });
});

describeEachBackend('_linalg_potri', () => {
  test('MXNet docstring: single and batch inverse from the factor (exact values of its rounded examples)', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.linalg_potri(mx.nd.array([[2, 0], [0.5, 2]])), [[0.265625, -0.0625], [-0.0625, 0.25]], DOC);
    const batch = mx.nd.array([[[2, 0], [0.5, 2]], [[4, 0], [1, 4]]]);
    mx.testUtils.assertAlmostEqual(mx.nd._linalg_potri(batch), [[[0.265625, -0.0625], [-0.0625, 0.25]], [[0.06640625, -0.015625], [-0.015625, 0.0625]]], DOC);
  });

  test('potri(potrf(A)) is the float64 inverse of a seeded SPD batch, lower and upper', () => {
    const spd = [randomSpd(4), randomSpd(4)];
    const a = mx.nd.array(spd);
    for (const lower of [true, false]) {
      mx.testUtils.assertAlmostEqual(mx.nd.linalg_potri(mx.nd.linalg_potrf(a, { lower }), { lower }).data, flat(spd.map(inverse)), FACTOR);
    }
  });

  test('the gradient matches central differences (lower and upper factors)', () => {
    for (const lower of [true, false]) {
      const factor = cholesky(randomSpd(3));
      mx.testUtils.checkNumericGradient(mx.sym.linalg_potri(x(), { lower }), { A: lower ? factor : transpose(factor) }, NUMERIC);
    }
  });

  test('a zero on the diagonal of the factor is a ValueError', () => {
    expect(() => mx.nd.linalg_potri(mx.nd.array([[1, 0], [3, 0]]))).toThrow('_linalg_potri: A matrix 0 of the batch has a zero on its diagonal');
  });
});

describeEachBackend('_linalg_gelqf', () => {
  test('MXNet docstring: single and batch LQ factorization, LAPACK signs', () => {
    const [q, l] = list(mx.nd.linalg_gelqf(mx.nd.array([[1, 2, 3], [4, 5, 6]])));
    mx.testUtils.assertAlmostEqual(q!, [[-0.26726124, -0.53452248, -0.80178373], [0.87287156, 0.21821789, -0.43643578]], DOC);
    mx.testUtils.assertAlmostEqual(l!, [[-3.74165739, 0], [-8.55235974, 1.96396101]], DOC);
    const [bq, bl] = list(mx.nd._linalg_gelqf(mx.nd.array([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]])));
    mx.testUtils.assertAlmostEqual(bq!.data.slice(6), [-0.50257071, -0.57436653, -0.64616234, 0.7620735, 0.05862104, -0.64483142], DOC);
    mx.testUtils.assertAlmostEqual(bl!.data.slice(4), [-13.92838828, 0, -19.09768702, 0.52758934], { rtol: 1e-5, atol: 1e-5 });
  });

  test('on a seeded batch L is lower triangular, Q has orthonormal rows and L Q = A (float64 check)', () => {
    const a = mx.nd.random.uniform(-1, 1, [3, 3, 5]);
    const [q, l] = list(mx.nd.linalg_gelqf(a));
    expect(q!.shape).toEqual([3, 3, 5]);
    expect(l!.shape).toEqual([3, 3, 3]);
    const qs = matricesOf(q!);
    const ls = matricesOf(l!);
    ls.forEach((lm) => expect(lowerPart(lm)).toEqual(lm));
    mx.testUtils.assertAlmostEqual(flat(qs.map((qm) => matmul(qm, transpose(qm)))), flat(qs.map(() => identity(3))), FACTOR);
    mx.testUtils.assertAlmostEqual(flat(ls.map((lm, i) => matmul(lm, qs[i]!))), a.data, FACTOR);
  });

  test('the gradient through Q and L matches central differences', () => {
    mx.testUtils.checkNumericGradient(mx.sym.linalg_gelqf(x()), { A: mx.nd.array([randomMatrix(2, 4), randomMatrix(2, 4)]) }, NUMERIC);
  });

  test('more rows than columns is a shape error naming A; two outputs are listed', () => {
    const s = mx.sym.linalg_gelqf(x(), { name: 'lq' });
    expect(() => s.inferShape({ A: [4, 3] })).toThrow("_linalg_gelqf 'lq': A shape [4,3] must have at least as many columns as rows");
    expect(s.listOutputs()).toEqual(['lq_output0', 'lq_output1']);
    expect(s.inferShape({ A: [5, 2, 3] }).outShapes).toEqual([[5, 2, 3], [5, 2, 2]]);
  });
});

/** Sign rule MXNet applies to each row of U: the largest-magnitude entry (first on a tie) is positive. */
const signedByLargest = (row: number[]) => row.reduce((best, v, i) => (Math.abs(v) > Math.abs(row[best]!) ? i : best), 0);

describeEachBackend('_linalg_syevd', () => {
  test('MXNet docstring: single and batch symmetric eigendecomposition', () => {
    const [u, l] = list(mx.nd._linalg_syevd(mx.nd.array([[1, 2], [2, 4]])));
    mx.testUtils.assertAlmostEqual(u!, [[0.89442719, -0.4472136], [0.4472136, 0.89442719]], DOC);
    mx.testUtils.assertAlmostEqual(l!, [0, 5], DOC);
    const [bu, bl] = list(mx.nd._linalg_syevd(mx.nd.array([[[1, 2], [2, 4]], [[1, 2], [2, 5]]])));
    mx.testUtils.assertAlmostEqual(bu!.data.slice(4), [0.92387953, -0.38268343, 0.38268343, 0.92387953], DOC);
    mx.testUtils.assertAlmostEqual(bl!, [[0, 5], [0.17157288, 5.82842712]], DOC);
  });

  test('on seeded symmetric matrices U A U^T = diag(lambda), U is orthonormal, lambda ascends, signs follow MXNet', () => {
    const mats = [0, 1].map(() => {
      const m = randomMatrix(4, 4);
      return matmul(m, transpose(m)).map((row, i) => row.map((v, j) => v - (i === j ? 1 : 0)));
    });
    const [u, lambda] = list(mx.nd._linalg_syevd(mx.nd.array(mats)));
    const us = matricesOf(u!);
    const ls = [Array.from(lambda!.data.slice(0, 4)), Array.from(lambda!.data.slice(4))];
    us.forEach((um, b) => {
      const diag = ls[b]!.map((v, i) => ls[b]!.map((_, j) => (i === j ? v : 0)));
      mx.testUtils.assertAlmostEqual(flat([matmul(matmul(um, mats[b]!), transpose(um))]), flat([diag]), FACTOR);
      mx.testUtils.assertAlmostEqual(flat([matmul(um, transpose(um))]), flat([identity(4)]), FACTOR);
      ls[b]!.slice(1).forEach((v, i) => expect(v).toBeGreaterThanOrEqual(ls[b]![i]!));
      um.forEach((row) => expect(row[signedByLargest(row)]!).toBeGreaterThan(0));
    });
  });

  test('only the lower triangle is read', () => {
    const sym: Mat = [[2, -1, 0.5], [-1, 3, 0.25], [0.5, 0.25, 1]];
    const junk = sym.map((row, i) => row.map((v, j) => (j > i ? 7 : v)));
    const [u1, l1] = list(mx.nd._linalg_syevd(mx.nd.array(sym)));
    const [u2, l2] = list(mx.nd._linalg_syevd(mx.nd.array(junk)));
    mx.testUtils.assertAlmostEqual(u2!, u1!, { rtol: 0, atol: 0 });
    mx.testUtils.assertAlmostEqual(l2!, l1!, { rtol: 0, atol: 0 });
  });

  test('the gradient matches central differences on matrices with distinct eigenvalues', () => {
    const a: Mat = [[2, 0.3, -0.2], [0.3, 0.5, 0.1], [-0.2, 0.1, -1.5]];
    const b: Mat = [[1, 0.4, 0], [0.4, 3, -0.6], [0, -0.6, -2]];
    mx.testUtils.checkNumericGradient(mx.sym._linalg_syevd(symmetric(x(), 3)), { A: [a, b] }, NUMERIC);
  });

  test('shape rule: U has the shape of A, lambda drops the last axis; non-square names A', () => {
    const s = mx.sym._linalg_syevd(x(), { name: 'e' });
    expect(s.inferShape({ A: [2, 3, 3] }).outShapes).toEqual([[2, 3, 3], [2, 3]]);
    expect(() => s.inferShape({ A: [3, 2] })).toThrow("_linalg_syevd 'e': A shape [3,2] must hold square matrices");
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }), fc.integer({ min: 1, max: 5 }), (batch, n) => {
      expect(s.inferShape({ A: [...batch, n, n] }).outShapes).toEqual([[...batch, n, n], [...batch, n]]);
    }), { numRuns: 30 });
  });

  test('mx.nd and mx.sym + bind agree', () => {
    const a = mx.nd.array([randomSpd(3)]);
    const exec = mx.sym._linalg_syevd(x()).bind(mx.cpu(), { A: a });
    const [u, l] = list(mx.nd._linalg_syevd(a));
    const outs = exec.forward();
    mx.testUtils.assertAlmostEqual(outs[0]!, u!, { rtol: 0, atol: 0 });
    mx.testUtils.assertAlmostEqual(outs[1]!, l!, { rtol: 0, atol: 0 });
  });
});
