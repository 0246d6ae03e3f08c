/**
 * erf, erfinv, gamma, gammaln against SciPy's float64 values (special_golden.ts), their edge values
 * (C's erff / tgammaf / lgammaf), their gradients, identities on seeded inputs, and hard_sigmoid
 * against MXNet's test_hard_sigmoid formulas, on every backend.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { F32, NUMERIC, expectFrontEndsAgree, forwardBackward, nd, sym, uniform } from './helpers';
import { SPECIAL_GOLDEN } from './special_golden';

const FUNCTIONS = ['erf', 'erfinv', 'gamma', 'gammaln'] as const;

/** float32 rounding of a value that overflows float32 is inf: compare against the float32 value. */
const toF32 = (v: number) => Math.fround(v);

describeEachBackend('special functions', () => {
  describe.each(FUNCTIONS)('%s', (op) => {
    const golden = SPECIAL_GOLDEN[op];
    const x = mx.nd.array(golden.map(([v]) => v));

    test('matches SciPy at float32 inputs to float32 precision', () => {
      mx.testUtils.assertAlmostEqual(nd[op]!(x).data, golden.map(([, y]) => toF32(y)), { rtol: 4e-7, atol: 1e-37 });
    });

    test("the gradient is MXNet's formula at the same inputs", () => {
      const g = uniform(-2, 2, [golden.length], 31);
      const [, dx] = forwardBackward(op, x, g);
      mx.testUtils.assertAlmostEqual(dx.data, golden.map(([, , d], i) => toF32(g.data[i]! * d)), { rtol: 2e-6, atol: 1e-30 });
    });

    test('mx.nd and mx.sym agree', () => {
      expectFrontEndsAgree(op, [x]);
    });
  });

  test('MXNet docstrings: erf([0, -1, 10]) = [0, -0.8427, 1]; erfinv([0, 0.5, -1]) = [0, 0.4769, -inf]', () => {
    mx.testUtils.assertAlmostEqual(nd['erf']!(mx.nd.array([0, -1, 10])).data, [0, -0.8427, 1], { rtol: 0, atol: 1e-4 });
    mx.testUtils.assertAlmostEqual(nd['erfinv']!(mx.nd.array([0, 0.5, -1])).data, [0, 0.4769, -Infinity], { rtol: 0, atol: 1e-4 });
  });

  test('edge values: NaN passes, erf saturates, erfinv is infinite at +-1 and NaN beyond, gamma has poles', () => {
    const at = (op: string, xs: number[]) => Array.from(nd[op]!(mx.nd.array(xs)).data);
    expect(at('erf', [NaN, Infinity, -Infinity, -0])).toEqual([NaN, 1, -1, -0]);
    expect(at('erfinv', [1, -1, 1.5, -1.0000001, NaN, -0])).toEqual([Infinity, -Infinity, NaN, NaN, NaN, -0]);
    // tgammaf: +-inf at +-0, NaN at negative integers and -inf, overflow past 35.04.
    expect(at('gamma', [0, -0, -1, -7, -Infinity, Infinity, 36, NaN])).toEqual([Infinity, -Infinity, NaN, NaN, NaN, Infinity, Infinity, NaN]);
    // lgammaf: +inf at the poles and at +-inf.
    expect(at('gammaln', [0, -1, -7, Infinity, -Infinity, 1, 2, NaN])).toEqual([Infinity, Infinity, Infinity, Infinity, Infinity, 0, 0, NaN]);
  });

  test('identities on seeded inputs: erf(erfinv(y)) = y, gamma(x + 1) = x gamma(x), gammaln = log|gamma|', () => {
    const y = uniform(-0.999, 0.999, [200], 32);
    mx.testUtils.assertAlmostEqual(nd['erf']!(nd['erfinv']!(y)).data, y.data, { rtol: 1e-6, atol: 1e-7 });
    const x = uniform(-5.5, 20, [200], 33);
    const lhs = nd['gamma']!(x.add(1)).data;
    const rhs = Array.from(nd['gamma']!(x).data, (v, i) => v * x.data[i]!);
    mx.testUtils.assertAlmostEqual(lhs, rhs, { rtol: 2e-5, atol: 1e-30 });
    mx.testUtils.assertAlmostEqual(nd['gammaln']!(x).data, Array.from(nd['gamma']!(x).data, (v) => Math.log(Math.abs(v))), { rtol: 1e-5, atol: 2e-6 });
  });

  test('erf, gamma and gammaln gradients agree with central differences', () => {
    for (const [op, low, high] of [['erf', -2, 2], ['gamma', 0.5, 4], ['gammaln', 0.5, 6]] as const) {
      mx.testUtils.checkNumericGradient(sym[op]!(mx.sym.Variable('x')), { x: uniform(low, high, [2, 3], 34) }, NUMERIC);
    }
  });

  test("erfinv's gradient is MXNet 1.9.1's sqrt(pi)/2 exp(x^2) at the input, which equals the true derivative only at 0", () => {
    const x = mx.nd.array([0, 0.5]);
    const [y, dx] = forwardBackward('erfinv', x, mx.nd.ones([2]));
    const mxnet = [Math.sqrt(Math.PI) / 2, (Math.sqrt(Math.PI) / 2) * Math.exp(0.25)];
    mx.testUtils.assertAlmostEqual(dx.data, mxnet, F32);
    const trueDerivativeAtHalf = (Math.sqrt(Math.PI) / 2) * Math.exp(y.data[1]! * y.data[1]!);
    expect(Math.abs(dx.data[1]! - trueDerivativeAtHalf)).toBeGreaterThan(0.02);
  });
});

describeEachBackend('hard_sigmoid', () => {
  /** MXNet test_hard_sigmoid: out = max(0, min(1, alpha x + beta)); grad = g alpha where 0 < alpha x + beta < 1. */
  const reference = (x: number, alpha: number, beta: number) => Math.max(0, Math.min(1, alpha * x + beta));
  const gradient = (x: number, alpha: number, beta: number) => (alpha * x + beta > 0 && alpha * x + beta < 1 ? alpha : 0);

  test.each([[0.2, 0.5], [0.5, 0.1], [1.5, -0.3]])('alpha %f, beta %f: forward and backward on seeded inputs', (alpha, beta) => {
    const x = uniform(-5, 5, [4, 9], 35);
    const g = uniform(-1, 1, [4, 9], 36);
    const [y, dx] = forwardBackward('hard_sigmoid', x, g, { alpha, beta });
    mx.testUtils.assertAlmostEqual(y.data, Array.from(x.data, (v) => reference(v, alpha, beta)), F32);
    mx.testUtils.assertAlmostEqual(dx.data, Array.from(x.data, (v, i) => g.data[i]! * gradient(v, alpha, beta)), F32);
    expectFrontEndsAgree('hard_sigmoid', [x], { alpha, beta });
  });

  test('defaults are alpha 0.2, beta 0.5; the flat parts and NaN', () => {
    expect(Array.from(nd['hard_sigmoid']!(mx.nd.array([-3, -2.5, 0, 1, 2.5, 3, NaN])).data)).toEqual([0, 0, 0.5, Math.fround(0.7), 1, 1, NaN]);
  });

  test('the parameters accept the strings MXNet JSON stores; a non-number is a ParamError naming them', () => {
    const s = sym['hard_sigmoid']!(mx.sym.Variable('x'), { alpha: '0.5', beta: '0.25', name: 'hs' });
    expect(s.toJSON()).toContain('"alpha": "0.5"');
    expect(() => sym['hard_sigmoid']!(mx.sym.Variable('x'), { alpha: 'steep', name: 'hs' })).toThrow(mx.ParamError);
    expect(() => sym['hard_sigmoid']!(mx.sym.Variable('x'), { alpha: 'steep', name: 'hs' })).toThrow(/alpha/);
  });

  test('the gradient agrees with central differences away from the kinks', () => {
    mx.testUtils.checkNumericGradient(sym['hard_sigmoid']!(mx.sym.Variable('x')), { x: mx.nd.array([[-1.2, 0.3, 2.2], [-2.1, 1.7, 4]]) }, NUMERIC);
  });
});
