/**
 * sum, mean, max, min: MXNet docstring examples, float64 references for every axis subset with
 * keepdims and exclude, gradients (ties in max/min), errors, and a fast-check shape property.
 */
import fc from 'fast-check';
import * as mx from 'mxts';

const EXACT = { rtol: 0, atol: 0 };
const F32 = { rtol: 1e-5, atol: 1e-5 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };
type Name = 'sum' | 'mean' | 'max' | 'min';
const NAMES: Name[] = ['sum', 'mean', 'max', 'min'];

const FOLD: Record<Name, (values: number[]) => number> = {
  sum: (v) => v.reduce((a, b) => a + b, 0),
  mean: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  max: (v) => Math.max(...v),
  min: (v) => Math.min(...v),
};

/** Float64 reduction over the axes marked true, keeping them as size 1. */
function reduceRef(x: mx.NDArray, reduced: boolean[], name: Name): { data: number[]; kept: number[] } {
  const kept = x.shape.map((d, i) => (reduced[i] ? 1 : d));
  const groups = new Map<number, number[]>();
  for (let i = 0; i < x.size; i++) {
    let rest = i;
    let key = 0;
    let stride = 1;
    for (let a = x.shape.length - 1; a >= 0; a--) {
      const idx = rest % x.shape[a]!;
      rest = Math.floor(rest / x.shape[a]!);
      if (!reduced[a]) key += idx * stride;
      stride *= kept[a]!;
    }
    groups.set(key, [...(groups.get(key) ?? []), x.data[i]!]);
  }
  return { data: [...groups.keys()].sort((a, b) => a - b).map((k) => FOLD[name](groups.get(k)!)), kept };
}

const call = (name: Name, x: mx.NDArray, params: Record<string, unknown> = {}) => mx.nd[name](x, params);

beforeEach(() => mx.random.seed(59));

describe('reductions: MXNet docstring examples', () => {
  const data = mx.nd.array([[[1, 2], [2, 3], [1, 3]], [[1, 4], [4, 3], [5, 2]], [[7, 1], [7, 2], [7, 3]]]);

  test('sum(data, axis=1) and sum(data, axis=[1, 2])', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.sum(data, { axis: 1 }), [[4, 8], [10, 9], [21, 6]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.sum(data, { axis: [1, 2] }), [12, 19, 27], EXACT);
  });

  test('sum over a 2-d array along axis 0 and 1 (the dense form of the csr example)', () => {
    const m = mx.nd.array([[1, 2, 0], [3, 0, 1], [4, 1, 0]]);
    mx.testUtils.assertAlmostEqual(mx.nd.sum(m, { axis: 0 }), [8, 3, 1], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.sum_axis(m, { axis: 1 }), [3, 4, 5], EXACT);
  });

  test('no axis reduces everything to shape [1]; keepdims keeps [1, 1, 1]; mean/max/min agree', () => {
    expect(mx.nd.sum(data).shape).toEqual([1]);
    mx.testUtils.assertAlmostEqual(mx.nd.sum(data), [58], EXACT);
    expect(mx.nd.mean(data, { keepdims: true }).shape).toEqual([1, 1, 1]);
    mx.testUtils.assertAlmostEqual(mx.nd.max(data, { axis: '(0, 2)' }), [7, 7, 7], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.min(data, { axis: 2, keepdims: true }), [[[1], [2], [1]], [[1], [3], [2]], [[1], [2], [3]]], EXACT);
  });
});

describe('reductions: float64 references', () => {
  test.each(NAMES)('%s over every axis subset of a seeded (2, 3, 4), with keepdims and exclude', (name) => {
    const x = mx.nd.random.uniform(-2, 2, [2, 3, 4]);
    for (let mask = 1; mask < 8; mask++) {
      const axes = [0, 1, 2].filter((a) => mask & (1 << a));
      const reduced = [0, 1, 2].map((a) => axes.includes(a));
      const ref = reduceRef(x, reduced, name);
      const kept = call(name, x, { axis: axes, keepdims: true });
      expect(kept.shape).toEqual(ref.kept);
      mx.testUtils.assertAlmostEqual(kept.data, ref.data, F32);
      const dropped = call(name, x, { axis: axes.map((a) => a - 3) });
      const droppedShape = x.shape.filter((_, i) => !reduced[i]);
      expect(dropped.shape).toEqual(droppedShape.length ? droppedShape : [1]);
      const complement = [0, 1, 2].filter((a) => !axes.includes(a));
      if (complement.length) mx.testUtils.assertAlmostEqual(call(name, x, { axis: complement, exclude: true }).data, ref.data, F32);
    }
  });
});

describe('reductions: gradients', () => {
  test.each(NAMES)('%s: central differences along axis 1 and over everything', (name) => {
    const x = mx.nd.random.uniform(-1, 1, [3, 4, 2]);
    mx.testUtils.checkNumericGradient(mx.sym[name]({ data: mx.sym.Variable('x'), axis: 1 }), { x }, NUMERIC);
    mx.testUtils.checkNumericGradient(mx.sym[name]({ data: mx.sym.Variable('x'), keepdims: true }), { x }, NUMERIC);
  });

  test('sum broadcasts g back, mean divides by the count, max/min give g to every tied extreme', () => {
    const x = [[1, 3, 3], [2, 0, 0]];
    const g = [[10], [20]];
    const grad = (name: Name) => mx.testUtils.checkSymbolicBackward(mx.sym[name]({ data: mx.sym.Variable('x'), axis: 1, keepdims: true }), { x }, [g], {
      x: { sum: [[10, 10, 10], [20, 20, 20]], mean: [[10 / 3, 10 / 3, 10 / 3], [20 / 3, 20 / 3, 20 / 3]], max: [[0, 10, 10], [20, 0, 0]], min: [[10, 0, 0], [0, 20, 20]] }[name],
    }, F32);
    NAMES.forEach(grad);
  });

  test("gradReq 'add' accumulates", () => {
    const s = mx.sym.sum({ data: mx.sym.Variable('x'), axis: 0 });
    mx.testUtils.checkSymbolicBackward(s, { x: [[1, 2], [3, 4]] }, [[1, 2]], { x: [[1, 2], [1, 2]] }, { ...EXACT, gradReq: 'add' });
  });
});

describe('reductions: errors and properties', () => {
  test('an axis out of range and a repeated axis are shape errors naming the node', () => {
    const s = (axis: unknown) => (mx.sym.sum as mx.SymOp)({ data: mx.sym.Variable('x'), axis, name: 'total' });
    expect(() => s(3).inferShape({ x: [2, 3] })).toThrow(mx.ShapeError);
    expect(() => s(3).inferShape({ x: [2, 3] })).toThrow("sum 'total': axis 3 is out of range for 2-d input");
    expect(() => s([1, -1]).inferShape({ x: [2, 3] })).toThrow("sum 'total': axis (1,-1) names axis 1 twice");
  });

  test('property: keepdims keeps the rank and the size equals the product of the kept dims', () => {
    const cases = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
      fc.tuple(fc.constant(shape), fc.subarray(shape.map((_, i) => i), { minLength: 1 })));
    fc.assert(fc.property(cases, ([shape, axes]) => {
      const out = mx.nd.sum(mx.nd.ones(shape), { axis: axes, keepdims: true });
      expect(out.shape).toEqual(shape.map((d, i) => (axes.includes(i) ? 1 : d)));
      const count = axes.reduce((p, a) => p * shape[a]!, 1);
      expect(Array.from(out.data).every((v) => v === count)).toBe(true);
    }), { numRuns: 60 });
  });
});
