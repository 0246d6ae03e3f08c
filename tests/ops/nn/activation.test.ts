/**
 * Activation (MXNet's act_type table, reference 3.6), SoftmaxActivation (3.5), the element-wise
 * unary ops relu/tanh/exp/log/sqrt/square/abs and clip: goldens, float64 references on seeded
 * inputs, numeric gradients, gradReq 'add', and parameter errors.
 */
import * as mx from 'mxts';

const F32 = { rtol: 1e-5, atol: 1e-6 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3, numericEps: 1e-3 };

/** Seeded uniform values in [lo, hi) kept at least `gap` away from zero (no kinks in gradient checks). */
function awayFromZero(shape: number[], lo = -2, hi = 2, gap = 0.05): mx.NDArray {
  const x = mx.nd.random.uniform(lo, hi, shape);
  x.data.forEach((v, i) => (x.data[i] = Math.abs(v) < gap ? (v < 0 ? -gap : gap) : v));
  return x;
}

/** Values shaped like `x` (expected arrays of the same shape). */
function like(x: mx.NDArray, values: ArrayLike<number>): mx.NDArray {
  return mx.nd.array(Float32Array.from(values), { shape: x.shape });
}

const ACT: Record<string, { f: (x: number) => number; d: (x: number) => number }> = {
  relu: { f: (x) => Math.max(x, 0), d: (x) => (x > 0 ? 1 : 0) },
  sigmoid: { f: (x) => 1 / (1 + Math.exp(-x)), d: (x) => Math.exp(-x) / (1 + Math.exp(-x)) ** 2 },
  tanh: { f: Math.tanh, d: (x) => 1 - Math.tanh(x) ** 2 },
  softrelu: { f: (x) => Math.log(1 + Math.exp(x)), d: (x) => 1 / (1 + Math.exp(-x)) },
  softsign: { f: (x) => x / (1 + Math.abs(x)), d: (x) => 1 / (1 + Math.abs(x)) ** 2 },
};
const ACT_TYPES = Object.keys(ACT) as mx.OpParams<'Activation'>['act_type'][];

beforeEach(() => mx.random.seed(11));

describe('Activation', () => {
  test('act_type table values at [-2, -0.5, 0, 0.5, 2] (reference 3.6)', () => {
    const x = mx.nd.array([-2, -0.5, 0, 0.5, 2]);
    const golden: Record<string, number[]> = {
      relu: [0, 0, 0, 0.5, 2],
      sigmoid: [0.11920292, 0.37754067, 0.5, 0.62245933, 0.88079708],
      tanh: [-0.96402758, -0.46211716, 0, 0.46211716, 0.96402758],
      softrelu: [0.12692801, 0.47407698, 0.69314718, 0.97407698, 2.12692801],
      softsign: [-0.66666667, -0.33333333, 0, 0.33333333, 0.66666667],
    };
    for (const act of ACT_TYPES) mx.testUtils.assertAlmostEqual(mx.nd.Activation(x, { act_type: act }), golden[act]!, F32);
  });

  test.each(ACT_TYPES)('%s matches a float64 reference on seeded (4, 3, 5) input, through mx.nd and mx.sym', (act) => {
    const x = mx.nd.random.uniform(-30, 30, [4, 3, 5]);
    const expected = like(x, Array.from(x.data, ACT[act]!.f));
    mx.testUtils.assertAlmostEqual(mx.nd.Activation(x, { act_type: act }), expected, F32);
    const s = mx.sym.Activation({ data: mx.sym.Variable('x'), act_type: act });
    mx.testUtils.checkSymbolicForward(s, { x }, [expected], F32);
  });

  test('softrelu returns x above 20 and stays finite at 1e4', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.Activation(mx.nd.array([25, 1e4, -1e4]), { act_type: 'softrelu' }), [25, 1e4, 0], F32);
  });

  test.each(ACT_TYPES)('%s: backward is g * f\'(x) and matches central differences', (act) => {
    const x = awayFromZero([3, 4]);
    const g = mx.nd.random.uniform(-1, 1, [3, 4]);
    const s = mx.sym.Activation({ data: mx.sym.Variable('x'), act_type: act });
    const expected = like(x, Array.from(x.data, (v, i) => g.data[i]! * ACT[act]!.d(v)));
    mx.testUtils.checkSymbolicBackward(s, { x }, [g], { x: expected }, { rtol: 1e-4, atol: 1e-6 });
    mx.testUtils.checkSymbolicBackward(s, { x }, [g], { x: expected }, { rtol: 1e-4, atol: 1e-6, gradReq: 'add' });
    mx.testUtils.checkNumericGradient(s, { x }, NUMERIC);
  });

  test('act_type is required', () => {
    // @ts-expect-error act_type is required
    expect(() => mx.nd.Activation(mx.nd.ones([2]))).toThrow(mx.ParamError);
    // @ts-expect-error act_type is required
    expect(() => mx.nd.Activation(mx.nd.ones([2]))).toThrow(/act_type is required/);
  });

  test('an unknown act_type lists the allowed ones with a did-you-mean', () => {
    // @ts-expect-error misspelt enum value
    expect(() => mx.sym.Activation({ data: mx.sym.Variable('x'), act_type: 'rleu' })).toThrow(mx.ParamError);
    // @ts-expect-error misspelt enum value
    expect(() => mx.sym.Activation({ data: mx.sym.Variable('x'), act_type: 'rleu' })).toThrow(/act_type must be one of 'relu', .*'softsign', got 'rleu' \(did you mean 'relu'\?\)/);
  });
});

describe('SoftmaxActivation', () => {
  function softmaxRef(x: mx.NDArray, axis: number): number[] {
    const shape = x.shape;
    const n = shape[axis]!;
    const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const out = new Array<number>(x.size);
    for (let base = 0; base < x.size; base++) {
      if (Math.floor(base / inner) % n !== 0) continue;
      let sum = 0;
      for (let j = 0; j < n; j++) sum += Math.exp(x.data[base + j * inner]!);
      for (let j = 0; j < n; j++) out[base + j * inner] = Math.exp(x.data[base + j * inner]!) / sum;
    }
    return out;
  }

  test('instance mode is a softmax per row: [[1, 2, 3]] -> [0.09003057, 0.24472847, 0.66524096]', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.SoftmaxActivation(mx.nd.array([[1, 2, 3]])), [[0.09003057, 0.24472847, 0.66524096]], F32);
  });

  test('instance mode on seeded (5, 7) and channel mode on (2, 3, 2, 2) match float64 references', () => {
    const x = mx.nd.random.uniform(-5, 5, [5, 7]);
    mx.testUtils.assertAlmostEqual(mx.nd.SoftmaxActivation(x), like(x, softmaxRef(x, 1)), F32);
    const y = mx.nd.random.uniform(-5, 5, [2, 3, 2, 2]);
    mx.testUtils.assertAlmostEqual(mx.nd.SoftmaxActivation(y, { mode: 'channel' }), like(y, softmaxRef(y, 1)), F32);
  });

  test('stays finite for large magnitudes (1e4 apart)', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.SoftmaxActivation(mx.nd.array([[1e4, 0, -1e4]])), [[1, 0, 0]], F32);
  });

  test.each(['instance', 'channel'] as const)('mode %s: gradient matches central differences', (mode) => {
    const s = mx.sym.SoftmaxActivation({ data: mx.sym.Variable('x'), mode });
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(-2, 2, [2, 3, 4]) }, NUMERIC);
  });

  test('channel mode needs 3 axes', () => {
    const s = mx.sym.SoftmaxActivation({ data: mx.sym.Variable('x'), mode: 'channel', name: 'sa' });
    expect(() => s.inferShape({ x: [2, 3] })).toThrow(mx.ShapeError);
    expect(() => s.inferShape({ x: [2, 3] })).toThrow("SoftmaxActivation 'sa': data shape [2,3] needs at least 3 axes");
  });
});

describe('element-wise unary ops', () => {
  const UNARY: Record<string, { f: (x: number) => number; d: (x: number) => number; lo: number; hi: number }> = {
    relu: { f: (x) => Math.max(x, 0), d: (x) => (x > 0 ? 1 : 0), lo: -2, hi: 2 },
    tanh: { f: Math.tanh, d: (x) => 1 - Math.tanh(x) ** 2, lo: -3, hi: 3 },
    exp: { f: Math.exp, d: Math.exp, lo: -3, hi: 3 },
    log: { f: Math.log, d: (x) => 1 / x, lo: 0.5, hi: 4 },
    sqrt: { f: Math.sqrt, d: (x) => 0.5 / Math.sqrt(x), lo: 0.5, hi: 4 },
    square: { f: (x) => x * x, d: (x) => 2 * x, lo: -3, hi: 3 },
    abs: { f: Math.abs, d: Math.sign, lo: -3, hi: 3 },
  };

  test.each(Object.keys(UNARY))('%s: forward and backward against float64, and central differences', (name) => {
    const u = UNARY[name]!;
    const x = awayFromZero([2, 5], u.lo, u.hi);
    const fn = (mx.nd as unknown as Record<string, (a: mx.NDArray) => mx.NDArray>)[name]!;
    mx.testUtils.assertAlmostEqual(fn(x), like(x, Array.from(x.data, u.f)), F32);
    const s = (mx.sym as unknown as Record<string, (a: Record<string, unknown>) => mx.Symbol>)[name]!({ data: mx.sym.Variable('x') });
    const g = mx.nd.random.uniform(-1, 1, [2, 5]);
    mx.testUtils.checkSymbolicBackward(s, { x }, [g], { x: like(x, Array.from(x.data, (v, i) => g.data[i]! * u.d(v))) }, { rtol: 1e-4, atol: 1e-6 });
    mx.testUtils.checkNumericGradient(s, { x }, NUMERIC);
  });

  test('golden values: log(0) = -inf, sqrt(-1) = NaN, abs(-0.5) = 0.5, relu(-0) = 0', () => {
    expect(Array.from(mx.nd.log(mx.nd.array([0, 1])).data)).toEqual([-Infinity, 0]);
    expect(Number.isNaN(mx.nd.sqrt(mx.nd.array([-1])).data[0])).toBe(true);
    expect(Array.from(mx.nd.abs(mx.nd.array([-0.5, 2])).data)).toEqual([0.5, 2]);
    expect(Array.from(mx.nd.relu(mx.nd.array([-0, -3, 3])).data)).toEqual([0, 0, 3]);
  });
});

describe('clip', () => {
  test('MXNet docstring: clip([0..9], 1, 8) = [1, 1, 2, 3, 4, 5, 6, 7, 8, 8]', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.clip(mx.nd.arange(0, 10), { a_min: 1, a_max: 8 }), [1, 1, 2, 3, 4, 5, 6, 7, 8, 8], { rtol: 0, atol: 0 });
  });

  test('gradient passes inside [a_min, a_max] (bounds included) and is 0 outside', () => {
    const s = mx.sym.clip({ data: mx.sym.Variable('x'), a_min: -1, a_max: 1 });
    mx.testUtils.checkSymbolicBackward(s, { x: [-2, -1, 0.5, 1, 3] }, [[1, 2, 3, 4, 5]], { x: [0, 2, 3, 4, 0] }, { rtol: 0, atol: 0 });
    mx.testUtils.checkNumericGradient(s, { x: [-2.5, -0.5, 0.2, 0.7, 1.8] }, NUMERIC);
  });

  test('a_min and a_max are required', () => {
    // @ts-expect-error a_max is required
    expect(() => mx.nd.clip(mx.nd.ones([2]), { a_min: 0 })).toThrow(mx.ParamError);
    // @ts-expect-error a_max is required
    expect(() => mx.nd.clip(mx.nd.ones([2]), { a_min: 0 })).toThrow(/a_max is required/);
  });
});
