/**
 * Element-wise unary math: every function against a float64 reference on seeded inputs and edge
 * values, its gradient against the float64 derivative and against central differences, MXNet's
 * docstring examples, and mx.nd agreeing with mx.sym, on every backend.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { F32, NUMERIC, expectFrontEndsAgree, forwardBackward, mapValues, nd, sym, uniform } from './helpers';

interface Reference {
  readonly f: (x: number) => number;
  /** The derivative MXNet's backward computes. */
  readonly df: (x: number) => number;
  /** Where seeded inputs are drawn (inside the domain, away from poles). */
  readonly domain: readonly [number, number];
  /** Inputs at the domain's edges and beyond, with the value MXNet gives there. */
  readonly edges?: readonly (readonly [number, number])[];
}

const LN10 = Math.log(10);
const LN2 = Math.log(2);
const asinh = (x: number) => (x < 0 ? -1 : 1) * Math.log(Math.abs(x) + Math.sqrt(x * x + 1));

/** Written from the textbook formulas, not from the implementation's table. */
const REFERENCES: Record<string, Reference> = {
  sin: { f: Math.sin, df: Math.cos, domain: [-7, 7], edges: [[0, 0], [NaN, NaN], [Infinity, NaN]] },
  cos: { f: Math.cos, df: (x) => -Math.sin(x), domain: [-7, 7], edges: [[0, 1], [-Infinity, NaN]] },
  tan: { f: Math.tan, df: (x) => 1 / (Math.cos(x) * Math.cos(x)), domain: [-1.4, 1.4], edges: [[0, 0]] },
  arcsin: { f: Math.asin, df: (x) => 1 / Math.sqrt(1 - x * x), domain: [-0.95, 0.95], edges: [[1, Math.PI / 2], [-1, -Math.PI / 2], [1.5, NaN]] },
  arccos: { f: Math.acos, df: (x) => -1 / Math.sqrt(1 - x * x), domain: [-0.95, 0.95], edges: [[1, 0], [-1, Math.PI], [-2, NaN]] },
  arctan: { f: Math.atan, df: (x) => 1 / (1 + x * x), domain: [-10, 10], edges: [[Infinity, Math.PI / 2], [-Infinity, -Math.PI / 2]] },
  degrees: { f: (x) => (x * 180) / Math.PI, df: () => 180 / Math.PI, domain: [-7, 7], edges: [[0, 0]] },
  radians: { f: (x) => (x * Math.PI) / 180, df: () => Math.PI / 180, domain: [-400, 400], edges: [[180, Math.PI]] },
  sinh: { f: (x) => (Math.exp(x) - Math.exp(-x)) / 2, df: (x) => (Math.exp(x) + Math.exp(-x)) / 2, domain: [-5, 5], edges: [[100, Infinity], [-100, -Infinity]] },
  cosh: { f: (x) => (Math.exp(x) + Math.exp(-x)) / 2, df: (x) => (Math.exp(x) - Math.exp(-x)) / 2, domain: [-5, 5], edges: [[0, 1], [-100, Infinity]] },
  tanh: { f: (x) => 1 - 2 / (Math.exp(2 * x) + 1), df: (x) => 1 / (Math.cosh(x) * Math.cosh(x)), domain: [-4, 4], edges: [[30, 1], [-30, -1]] },
  arcsinh: { f: asinh, df: (x) => 1 / Math.sqrt(x * x + 1), domain: [-10, 10], edges: [[0, 0], [-Infinity, -Infinity]] },
  arccosh: { f: (x) => Math.log(x + Math.sqrt(x * x - 1)), df: (x) => 1 / Math.sqrt(x * x - 1), domain: [1.1, 10], edges: [[1, 0], [0.5, NaN]] },
  arctanh: { f: (x) => 0.5 * Math.log((1 + x) / (1 - x)), df: (x) => 1 / (1 - x * x), domain: [-0.9, 0.9], edges: [[1, Infinity], [-1, -Infinity], [2, NaN]] },
  exp: { f: Math.exp, df: Math.exp, domain: [-10, 10], edges: [[0, 1], [100, Infinity], [-200, 0]] },
  log: { f: Math.log, df: (x) => 1 / x, domain: [0.01, 100], edges: [[0, -Infinity], [-1, NaN], [1, 0]] },
  log10: { f: (x) => Math.log(x) / LN10, df: (x) => 1 / (x * LN10), domain: [0.01, 100], edges: [[1000, 3], [0, -Infinity], [-1, NaN]] },
  log2: { f: (x) => Math.log(x) / LN2, df: (x) => 1 / (x * LN2), domain: [0.01, 100], edges: [[1024, 10], [0, -Infinity], [-1, NaN]] },
  log1p: { f: Math.log1p, df: (x) => 1 / (1 + x), domain: [-0.9, 10], edges: [[1e-10, 1e-10], [-1, -Infinity], [-2, NaN]] },
  expm1: { f: Math.expm1, df: Math.exp, domain: [-5, 5], edges: [[1e-10, 1e-10], [-Infinity, -1]] },
  sqrt: { f: Math.sqrt, df: (x) => 0.5 / Math.sqrt(x), domain: [0.01, 100], edges: [[0, 0], [-1, NaN]] },
  rsqrt: { f: (x) => 1 / Math.sqrt(x), df: (x) => -0.5 * Math.pow(x, -1.5), domain: [0.01, 100], edges: [[0, Infinity], [-1, NaN]] },
  cbrt: { f: (x) => Math.sign(x) * Math.pow(Math.abs(x), 1 / 3), df: (x) => 1 / (3 * Math.pow(Math.abs(x), 2 / 3)), domain: [0.1, 100], edges: [[-27, -3], [0, 0]] },
  rcbrt: { f: (x) => Math.sign(x) * Math.pow(Math.abs(x), -1 / 3), df: (x) => (-1 / 3) * Math.pow(x, -4 / 3), domain: [0.1, 100], edges: [[-8, -0.5], [0, Infinity]] },
  reciprocal: { f: (x) => 1 / x, df: (x) => -1 / (x * x), domain: [0.1, 10], edges: [[0, Infinity], [-4, -0.25]] },
  square: { f: (x) => x * x, df: (x) => 2 * x, domain: [-10, 10], edges: [[1e20, Infinity]] },
  abs: { f: Math.abs, df: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), domain: [-10, 10], edges: [[-0, 0], [-Infinity, Infinity]] },
  negative: { f: (x) => -x, df: () => -1, domain: [-10, 10], edges: [[Infinity, -Infinity]] },
  sigmoid: { f: (x) => 1 / (1 + Math.exp(-x)), df: (x) => Math.exp(-x) / ((1 + Math.exp(-x)) * (1 + Math.exp(-x))), domain: [-8, 8], edges: [[0, 0.5], [100, 1], [-100, 0]] },
  softsign: { f: (x) => x / (1 + Math.abs(x)), df: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))), domain: [-10, 10], edges: [[0, 0], [1e30, 1], [Infinity, NaN]] }, // inf/(1+inf) as MXNet
  relu: { f: (x) => Math.max(x, 0), df: (x) => (x > 0 ? 1 : 0), domain: [-10, 10], edges: [[0, 0], [-Infinity, 0]] },
};

/** Differentiable ops whose gradient sampling needs inputs away from a kink at zero. */
const KINKED = new Set(['abs', 'relu']);

describeEachBackend('unary math', () => {
  describe.each(Object.keys(REFERENCES))('%s', (op) => {
    const ref = REFERENCES[op]!;

    test('matches the float64 reference on seeded inputs and at its edge values', () => {
      const x = uniform(ref.domain[0], ref.domain[1], [4, 25], 11);
      mx.testUtils.assertAlmostEqual(nd[op]!(x).data, mapValues(x, ref.f), F32);
      for (const [input, expected] of ref.edges ?? []) {
        mx.testUtils.assertAlmostEqual(nd[op]!(mx.nd.array([input])), [expected], F32);
      }
    });

    test('the gradient is head gradient times the float64 derivative; it agrees with central differences', () => {
      const x = uniform(ref.domain[0], ref.domain[1], [3, 7], 12);
      if (KINKED.has(op)) x.data.forEach((v, i) => (x.data[i] = Math.abs(v) < 0.05 ? 0.5 : v));
      const g = uniform(-2, 2, [3, 7], 13);
      const [, dx] = forwardBackward(op, x, g);
      mx.testUtils.assertAlmostEqual(dx.data, Array.from(x.data, (v, i) => g.data[i]! * ref.df(v)), { rtol: 1e-5, atol: 1e-6 });
      const small = uniform(ref.domain[0], ref.domain[1], [2, 3], 14);
      if (KINKED.has(op)) small.data.forEach((v, i) => (small.data[i] = Math.abs(v) < 0.05 ? 0.5 : v));
      mx.testUtils.checkNumericGradient(sym[op]!(mx.sym.Variable('x')), { x: small }, { ...NUMERIC, numericEps: 1e-3 * Math.min(1, ref.domain[1] - ref.domain[0]) });
    });

    test('mx.nd and mx.sym agree', () => {
      expectFrontEndsAgree(op, [uniform(ref.domain[0], ref.domain[1], [2, 3, 4], 15)]);
    });
  });

  test('MXNet docstrings: trigonometry, powers and roots', () => {
    const pi = Math.PI;
    mx.testUtils.assertAlmostEqual(nd['sin']!(mx.nd.array([0, pi / 4, pi / 2])), [0, 0.707, 1], { rtol: 0, atol: 1e-3 });
    mx.testUtils.assertAlmostEqual(nd['cos']!(mx.nd.array([0, pi / 4, pi / 2])), [1, 0.707, 0], { rtol: 0, atol: 1e-3 });
    mx.testUtils.assertAlmostEqual(nd['arcsin']!(mx.nd.array([-1, -0.707, 0, 0.707, 1])), [-pi / 2, -pi / 4, 0, pi / 4, pi / 2], { rtol: 0, atol: 1e-3 });
    mx.testUtils.assertAlmostEqual(nd['arccos']!(mx.nd.array([-1, -0.707, 0, 0.707, 1])), [pi, (3 * pi) / 4, pi / 2, pi / 4, 0], { rtol: 0, atol: 1e-3 });
    mx.testUtils.assertAlmostEqual(nd['arctan']!(mx.nd.array([-1, 0, 1])), [-pi / 4, 0, pi / 4], F32);
    mx.testUtils.assertAlmostEqual(nd['degrees']!(mx.nd.array([0, pi / 2, pi, (3 * pi) / 2, 2 * pi])), [0, 90, 180, 270, 360], F32);
    mx.testUtils.assertAlmostEqual(nd['radians']!(mx.nd.array([0, 90, 180, 270, 360])), [0, pi / 2, pi, (3 * pi) / 2, 2 * pi], F32);
    mx.testUtils.assertAlmostEqual(nd['reciprocal']!(mx.nd.array([-2, 1, 3, 1.6, 0.2])), [-0.5, 1.0, 0.33333334, 0.625, 5.0], F32);
    mx.testUtils.assertAlmostEqual(nd['rsqrt']!(mx.nd.array([4, 9, 16])), [0.5, 0.33333334, 0.25], F32);
    mx.testUtils.assertAlmostEqual(nd['cbrt']!(mx.nd.array([1, 8, -125])), [1, 2, -5], F32);
    mx.testUtils.assertAlmostEqual(nd['rcbrt']!(mx.nd.array([1, 8, -125])), [1.0, 0.5, -0.2], F32);
    mx.testUtils.assertAlmostEqual(nd['exp']!(mx.nd.array([0, 1, 2])), [1, 2.71828175, 7.38905621], F32);
    mx.testUtils.assertAlmostEqual(nd['abs']!(mx.nd.array([-2, 0, 3])), [2, 0, 3], F32);
  });

  test('degrees and radians use float32 pi as MXNet (180.0f / PI), bit for bit', () => {
    const piF = Math.fround(Math.PI);
    const x = mx.nd.array([1, -3.5, 1234.5]);
    expect(Array.from(nd['degrees']!(x).data)).toEqual(Array.from(x.data, (v) => Math.fround(Math.fround(180 / piF) * v)));
    expect(Array.from(nd['radians']!(x).data)).toEqual(Array.from(x.data, (v) => Math.fround(Math.fround(piF / 180) * v)));
  });

  test('rsqrt and rcbrt take the reciprocal of the float32 root, as MXNet (1.0f / sqrtf(x)), bit for bit', () => {
    const x = uniform(0.01, 1000, [500], 16);
    expect(Array.from(nd['rsqrt']!(x).data)).toEqual(Array.from(x.data, (v) => Math.fround(1 / Math.fround(Math.sqrt(v)))));
    expect(Array.from(nd['rcbrt']!(x).data)).toEqual(Array.from(x.data, (v) => Math.fround(1 / Math.fround(Math.cbrt(v)))));
  });
});

describe('unary shape rule', () => {
  test('property: every unary op keeps the shape of its input', () => {
    const ops = [...Object.keys(REFERENCES), 'round', 'floor', 'sign', 'erf', 'gammaln', 'hard_sigmoid', 'logical_not'];
    fc.assert(fc.property(fc.constantFrom(...ops), fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 4 }), (op, shape) => {
      expect(sym[op]!(mx.sym.Variable('x')).inferShape({ x: shape }).outShapes[0]).toEqual(shape);
    }), { numRuns: 80 });
  });

  test("a unary op's output shape flows on: a mismatch downstream is a ShapeError naming op, node and input", () => {
    const s = mx.sym.elemwise_add(sym['erf']!(mx.sym.Variable('x'), { name: 'e' }), mx.sym.Variable('y'), { name: 'sum' });
    expect(() => s.inferShape({ x: [2, 3], y: [3, 2] })).toThrow(mx.ShapeError);
    expect(() => s.inferShape({ x: [2, 3], y: [3, 2] })).toThrow("elemwise_add 'sum': rhs shape [3,2] does not match lhs [2,3]");
    expect(sym['erf']!(mx.sym.Variable('x')).inferShapePartial({}).outShapes[0]).toBeNull();
  });
});
