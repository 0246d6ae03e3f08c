/**
 * _contrib_gradientmultiplier, _contrib_round_ste, _contrib_sign_ste, _contrib_quadratic,
 * _contrib_div_sqrt_dim: docstring values (re-derived), gradients exact and numeric.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { expectAddAccumulates } from '../../helpers/grad_req';

const EXACT = { rtol: 0, atol: 0 };
const F32 = { rtol: 1e-6, atol: 1e-7 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

beforeEach(() => mx.random.seed(3));

describeEachBackend('contrib element-wise ops', () => {
  test('_contrib_quadratic docstring: x [[1, 2], [3, 4]], a 1, b 2, c 3 gives [[6, 11], [18, 27]]; c alone is a constant', () => {
    const x = mx.nd.array([[1, 2], [3, 4]]);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_quadratic(x, { a: 1, b: 2, c: 3 }), [[6, 11], [18, 27]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_quadratic(x, { c: '5.0' }), [[5, 5], [5, 5]], EXACT);
  });

  test('_contrib_quadratic gradient is g * (2a x + b) (numeric check); add accumulates', () => {
    const s = mx.sym._contrib_quadratic({ data: mx.sym.Variable('x'), a: 0.7, b: -1.3, c: 2 });
    const x = mx.nd.random.uniform(-2, 2, [3, 4]);
    mx.testUtils.checkNumericGradient(s, { x }, NUMERIC);
    expectAddAccumulates(s, { x }, [mx.nd.random.uniform(-1, 1, [3, 4])]);
  });

  test('_contrib_gradientmultiplier: identity forward, gradient times scalar (negative reverses it)', () => {
    const s = mx.sym._contrib_gradientmultiplier({ data: mx.sym.Variable('x'), scalar: -0.5 });
    const x = mx.nd.random.uniform(-1, 1, [2, 3]);
    mx.testUtils.checkSymbolicForward(s, { x }, [x], EXACT);
    mx.testUtils.checkSymbolicBackward(s, { x }, [[[2, 4, 6], [-2, 0, 1]]], { x: [[-1, -2, -3], [1, 0, -0.5]] }, EXACT);
  });

  test('_contrib_round_ste rounds halves away from zero and passes the gradient straight through', () => {
    const x = mx.nd.array([-2.5, -1.5, -0.5, -0.4, 0.5, 1.5, 2.5, 2.6]);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_round_ste(x), [-3, -2, -1, -0, 1, 2, 3, 3], EXACT);
    const s = mx.sym._contrib_round_ste({ data: mx.sym.Variable('x') });
    mx.testUtils.checkSymbolicBackward(s, { x }, [[1, 2, 3, 4, 5, 6, 7, 8]], { x: [1, 2, 3, 4, 5, 6, 7, 8] }, EXACT);
  });

  test('_contrib_sign_ste is sign(x) (0 at 0) with the identity gradient', () => {
    const x = mx.nd.array([[-3, 0, 0.2]]);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_sign_ste(x), [[-1, 0, 1]], EXACT);
    const s = mx.sym._contrib_sign_ste({ data: mx.sym.Variable('x') });
    mx.testUtils.checkSymbolicBackward(s, { x }, [[[0.5, -1, 2]]], { x: [[0.5, -1, 2]] }, EXACT);
  });

  test('_contrib_div_sqrt_dim divides by the square root of the last axis, forward and backward', () => {
    const x = mx.nd.random.uniform(-1, 1, [2, 3, 4]);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_div_sqrt_dim(x).data, Array.from(x.data, (v) => v / 2), F32);
    const s = mx.sym._contrib_div_sqrt_dim({ data: mx.sym.Variable('x') });
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(-1, 1, [3, 9]) }, NUMERIC);
  });

  test('unknown parameters are parameter errors naming the op', () => {
    // @ts-expect-error _contrib_quadratic has no parameter d
    expect(() => mx.sym._contrib_quadratic({ data: mx.sym.Variable('x'), d: 1 })).toThrow(mx.ParamError);
    // @ts-expect-error _contrib_quadratic has no parameter d
    expect(() => mx.sym._contrib_quadratic({ data: mx.sym.Variable('x'), d: 1 })).toThrow(/d is not a parameter of _contrib_quadratic/);
  });
});
