/**
 * Array-scalar ops (_plus_scalar ... _rpower_scalar, _mod_scalar, _rmod_scalar, _hypot_scalar,
 * _maximum_scalar, _minimum_scalar, smooth_l1): float64 references on seeded inputs, gradients,
 * MXNet docstrings, NaN and negative operands, aliases, parameter strings; on every backend.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { EXACT, F32, NUMERIC, expectFrontEndsAgree, forwardBackward, nd, sym, uniform } from './helpers';

/** Python's % with the divisor's sign (0 for a zero divisor): C's exact fmod moved to the divisor's side. */
function pythonMod(a: number, b: number): number {
  if (b === 0) return 0;
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** smooth_l1 with sigma s (MXNet's docstring): 0.5 (s x)^2 for |x| < 1/s^2, else |x| - 0.5/s^2. */
const smoothL1 = (x: number, s: number) => (Math.abs(x) < 1 / (s * s) ? 0.5 * (s * x) * (s * x) : Math.abs(x) - 0.5 / (s * s));
const smoothL1Grad = (x: number, s: number) => (Math.abs(x) < 1 / (s * s) ? s * s * x : Math.sign(x));

interface Case {
  readonly alias: string;
  readonly f: (x: number, s: number) => number;
  readonly df: (x: number, s: number) => number;
  /** Input range where the gradient is smooth for the scalars tested. */
  readonly domain: readonly [number, number];
}

const CASES: Record<string, Case> = {
  _plus_scalar: { alias: '_PlusScalar', f: (x, s) => x + s, df: () => 1, domain: [-5, 5] },
  _minus_scalar: { alias: '_MinusScalar', f: (x, s) => x - s, df: () => 1, domain: [-5, 5] },
  _rminus_scalar: { alias: '_RMinusScalar', f: (x, s) => s - x, df: () => -1, domain: [-5, 5] },
  _mul_scalar: { alias: '_MulScalar', f: (x, s) => x * s, df: (_x, s) => s, domain: [-5, 5] },
  _div_scalar: { alias: '_DivScalar', f: (x, s) => x / s, df: (_x, s) => 1 / s, domain: [-5, 5] },
  _rdiv_scalar: { alias: '_RDivScalar', f: (x, s) => s / x, df: (x, s) => -s / (x * x), domain: [0.5, 5] },
  _power_scalar: { alias: '_PowerScalar', f: Math.pow, df: (x, s) => s * Math.pow(x, s - 1), domain: [0.5, 3] },
  _rpower_scalar: { alias: '_RPowerScalar', f: (x, s) => Math.pow(s, x), df: (x, s) => Math.pow(s, x) * Math.log(s), domain: [-2, 2] },
  _mod_scalar: { alias: '_ModScalar', f: pythonMod, df: () => 1, domain: [-5, 5] },
  _rmod_scalar: { alias: '_RModScalar', f: (x, s) => pythonMod(s, x), df: (x, s) => -Math.floor(s / x), domain: [0.7, 4] },
  _hypot_scalar: { alias: '_HypotScalar', f: Math.hypot, df: (x, s) => x / Math.hypot(x, s), domain: [-5, 5] },
  _maximum_scalar: { alias: '_MaximumScalar', f: Math.max, df: (x, s) => (x >= s ? 1 : 0), domain: [-5, 5] },
  _minimum_scalar: { alias: '_MinimumScalar', f: Math.min, df: (x, s) => (x <= s ? 1 : 0), domain: [-5, 5] },
  smooth_l1: { alias: 'smooth_l1', f: smoothL1, df: smoothL1Grad, domain: [-3, 3] },
};

const SCALARS = [1.7, -2.3, 0.5];

describeEachBackend('scalar ops', () => {
  describe.each(Object.keys(CASES))('%s', (op) => {
    const c = CASES[op]!;

    test.each(SCALARS)('scalar %f: values and gradient match the float64 reference, alias agrees', (scalar) => {
      if (op === '_rpower_scalar' && scalar < 0) return; // a negative base has no real power
      const s = Math.fround(scalar);
      const x = uniform(c.domain[0], c.domain[1], [4, 10], 61);
      const g = uniform(-1, 1, [4, 10], 62);
      const [y, dx] = forwardBackward(op, x, g, { scalar });
      mx.testUtils.assertAlmostEqual(y.data, Array.from(x.data, (v) => c.f(v, s)), F32);
      mx.testUtils.assertAlmostEqual(dx.data, Array.from(x.data, (v, i) => g.data[i]! * c.df(v, s)), { rtol: 1e-5, atol: 1e-6 });
      mx.testUtils.assertAlmostEqual(nd[c.alias]!(x, { scalar }).data, y.data, EXACT);
      expectFrontEndsAgree(op, [x], { scalar });
    });

    test('numeric gradient with scalar 1.7', () => {
      const x = uniform(c.domain[0], c.domain[1], [2, 5], 63);
      // Keep samples off the kinks of max/min/smooth_l1 and the jumps of mod.
      x.data.forEach((v, i) => (x.data[i] = Math.abs(v - 1.7) < 0.05 || Math.abs(Math.abs(v) - 1 / (1.7 * 1.7)) < 0.05 ? v + 0.2 : v));
      if (op.includes('mod')) x.data.forEach((v, i) => (x.data[i] = Math.round(v * 4) / 4 + 0.13));
      mx.testUtils.checkNumericGradient(sym[op]!(mx.sym.Variable('x'), { scalar: 1.7 }), { x }, NUMERIC);
    });
  });

  test("MXNet's mod with a scalar: the divisor's sign, and 0 for a zero divisor", () => {
    const x = mx.nd.array([7, -7, 0, 2.5, NaN]);
    mx.testUtils.assertAlmostEqual(nd['_mod_scalar']!(x, { scalar: 3 }).data, [1, 2, 0, 2.5, NaN], EXACT);
    mx.testUtils.assertAlmostEqual(nd['_mod_scalar']!(x, { scalar: -3 }).data, [-2, -1, 0, -0.5, NaN], EXACT);
    mx.testUtils.assertAlmostEqual(nd['_mod_scalar']!(x, { scalar: 0 }).data, [0, 0, 0, 0, 0], EXACT);
    // _rmod_scalar computes scalar mod x: 0 where x is 0.
    mx.testUtils.assertAlmostEqual(nd['_rmod_scalar']!(mx.nd.array([3, -3, 0, 4]), { scalar: 7 }).data, [1, -2, 0, 3], EXACT);
  });

  test('maximum/minimum with a scalar propagate NaN, and the gradient goes to x on ties', () => {
    mx.testUtils.assertAlmostEqual(nd['_maximum_scalar']!(mx.nd.array([NaN, 1, 3]), { scalar: 2 }).data, [NaN, 2, 3], EXACT);
    mx.testUtils.assertAlmostEqual(nd['_minimum_scalar']!(mx.nd.array([NaN, 1, 3]), { scalar: 2 }).data, [NaN, 1, 2], EXACT);
    const [, dx] = forwardBackward('_maximum_scalar', mx.nd.array([2, 1, 3]), mx.nd.ones([3]), { scalar: 2 });
    expect(Array.from(dx.data)).toEqual([1, 0, 1]);
  });

  test('MXNet docstring: smooth_l1([1, 2, 3, 4]) = [0.5, 1.5, 2.5, 3.5], also with scalar=1', () => {
    const x = mx.nd.array([1, 2, 3, 4]);
    expect(Array.from(nd['smooth_l1']!(x).data)).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect(Array.from(nd['smooth_l1']!(x, { scalar: 1 }).data)).toEqual([0.5, 1.5, 2.5, 3.5]);
  });

  test('smooth_l1 with sigma 2: the quadratic part inside |x| < 1/4 and the threshold itself is quadratic', () => {
    const x = mx.nd.array([-1, -0.25, -0.1, 0, 0.1, 0.25, 1]);
    mx.testUtils.assertAlmostEqual(nd['smooth_l1']!(x, { scalar: 2 }).data, [0.875, 0.125, 0.02, 0, 0.02, 0.125, 0.875], F32);
    const [, dx] = forwardBackward('smooth_l1', x, mx.nd.ones([7]), { scalar: 2 });
    mx.testUtils.assertAlmostEqual(dx.data, [-1, -1, -0.4, 0, 0.4, 1, 1], F32);
  });

  test('the parameters take the strings MXNet JSON stores and round-trip through toJSON', () => {
    const s = sym['_hypot_scalar']!(mx.sym.Variable('x'), { scalar: '4.0', is_int: 'False', name: 'h' });
    expect(s.toJSON()).toContain('"scalar": "4.0"');
    const exec = s.bind(mx.cpu(), { x: mx.nd.array([3]) });
    expect(exec.forward()[0]!.data[0]).toBe(5);
    expect(() => sym['smooth_l1']!(mx.sym.Variable('x'), { sigma: 2, name: 's' })).toThrow(mx.ParamError);
  });
});
