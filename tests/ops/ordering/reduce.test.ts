/**
 * prod, nansum, nanprod, norm, moments and add_n: MXNet docstring examples
 * (broadcast_reduce_prod_value.cc, broadcast_reduce_norm_value.cc, elemwise_sum.cc), float64
 * references on seeded inputs (as test_norm, test_moments and test_reduce do), gradients (numeric
 * and exact, NaN handling included), errors and shape properties.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

const EXACT = { rtol: 0, atol: 0 };
const F32 = { rtol: 1e-5, atol: 1e-6 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

beforeEach(() => mx.random.seed(79));

/** Reduces a (2, 3, 4) array over the flagged axes in float64 with `f` on each group. */
function reduceRef(x: mx.NDArray, reduced: boolean[], f: (group: number[]) => number): number[] {
  const [a, b, c] = x.shape as [number, number, number];
  const groups = new Map<number, number[]>();
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      for (let k = 0; k < c; k++) {
        const key = ((reduced[0] ? 0 : i) * b + (reduced[1] ? 0 : j)) * c + (reduced[2] ? 0 : k);
        groups.set(key, [...(groups.get(key) ?? []), x.data[(i * b + j) * c + k]!]);
      }
    }
  }
  return [...groups.keys()].sort((p, q) => p - q).map((key) => f(groups.get(key)!));
}

const AXIS_CASES: [number[], boolean[]][] = [[[0], [true, false, false]], [[1, 2], [false, true, true]], [[-1], [false, false, true]], [[0, 2], [true, false, true]]];

describeEachBackend('prod, nansum, nanprod', () => {
  const data = mx.nd.array([[[1, 2], [2, 3], [1, 3]], [[1, 4], [4, 3], [5, 2]], [[7, 1], [7, 2], [7, 3]]]);

  test('MXNet docstring: prod over axis 1 and axes (1, 2)', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.prod(data, { axis: 1 }), [[2, 18], [20, 24], [343, 6]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.prod(data, { axis: [1, 2] }), [36, 480, 2058], EXACT);
  });

  test('NaN counts as 0 in nansum and as 1 in nanprod', () => {
    const x = mx.nd.array([[1, NaN], [2, 4]]);
    mx.testUtils.assertAlmostEqual(mx.nd.nansum(x, { axis: 0 }), [3, 4], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.nansum(x), [7], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.nanprod(x, { axis: 1 }), [1, 8], EXACT);
    expect(Number.isNaN(mx.nd.prod(x, { axis: 1 }).data[0]!)).toBe(true);
  });

  test('seeded (2, 3, 4) inputs match float64 references over several axis sets', () => {
    const x = mx.nd.random.uniform(0.5, 1.5, [2, 3, 4]);
    for (const [axis, reduced] of AXIS_CASES) {
      mx.testUtils.assertAlmostEqual(mx.nd.prod(x, { axis }).data, reduceRef(x, reduced, (g) => g.reduce((p, v) => p * v, 1)), F32);
      mx.testUtils.assertAlmostEqual(mx.nd.nansum(x, { axis, keepdims: true }).data, reduceRef(x, reduced, (g) => g.reduce((p, v) => p + v, 0)), F32);
    }
  });

  test('gradients: prod g*y/x, nansum and nanprod skip NaN entries (exact and numeric)', () => {
    const v = mx.sym.Variable('x');
    mx.testUtils.checkSymbolicBackward(mx.sym.prod({ data: v, axis: 1 }), { x: [[1, 2, 3], [4, 5, 6]] }, [[1, 2]], { x: [[6, 3, 2], [60, 48, 40]] }, F32);
    mx.testUtils.checkSymbolicBackward(mx.sym.nansum({ data: v, axis: 1 }), { x: [[1, NaN, 3]] }, [[2]], { x: [[2, 0, 2]] }, EXACT);
    mx.testUtils.checkSymbolicBackward(mx.sym.nanprod({ data: v, axis: 1 }), { x: [[2, NaN, 3]] }, [[2]], { x: [[6, 0, 4]] }, EXACT);
    mx.testUtils.checkSymbolicBackward(mx.sym.nanprod({ data: v, axis: 1 }), { x: [[2, NaN, 3]] }, [[2]], { x: [[6, 0, 4]] }, { ...EXACT, gradReq: 'add' });
    for (const op of ['prod', 'nansum', 'nanprod'] as const) {
      mx.testUtils.checkNumericGradient(mx.sym[op]({ data: v, axis: [0, 2] }), { x: mx.nd.random.uniform(0.5, 1.5, [2, 3, 2]) }, NUMERIC);
    }
  });
});

describeEachBackend('norm', () => {
  const x = mx.nd.array([[[1, 2], [3, 4]], [[2, 2], [5, 6]]]);

  test('MXNet docstring: ord 2 and ord 1 along axis 1, and over every axis', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.norm(x, { ord: 2, axis: 1 }), [[Math.sqrt(10), Math.sqrt(20)], [Math.sqrt(29), Math.sqrt(40)]], F32);
    mx.testUtils.assertAlmostEqual(mx.nd.norm(x, { ord: 1, axis: 1 }), [[4, 6], [7, 8]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.norm(x), [Math.sqrt(99)], F32);
    expect(mx.nd.norm(x, { keepdims: true }).shape).toEqual([1, 1, 1]);
    expect(mx.nd.norm(x, { axis: '(0, 2)', keepdims: 'True', out_dtype: 'float64' }).shape).toEqual([1, 2, 1]);
  });

  test('seeded (2, 3, 4) inputs match float64 references for ord 1 and 2 (test_norm)', () => {
    const data = mx.nd.random.uniform(-1, 1, [2, 3, 4]);
    for (const [axis, reduced] of AXIS_CASES) {
      mx.testUtils.assertAlmostEqual(mx.nd.norm(data, { ord: 1, axis }).data, reduceRef(data, reduced, (g) => g.reduce((p, v) => p + Math.abs(v), 0)), F32);
      mx.testUtils.assertAlmostEqual(mx.nd.norm(data, { axis }).data, reduceRef(data, reduced, (g) => Math.sqrt(g.reduce((p, v) => p + v * v, 0))), F32);
    }
  });

  test('gradients: ord 2 is g*x/y, ord 1 is g*sign(x) (exact and numeric); mx.sym agrees with mx.nd', () => {
    const v = mx.sym.Variable('x');
    mx.testUtils.checkSymbolicBackward(mx.sym.norm({ data: v, axis: 1 }), { x: [[3, -4]] }, [[10]], { x: [[6, -8]] }, F32);
    mx.testUtils.checkSymbolicBackward(mx.sym.norm({ data: v, ord: 1, axis: 1 }), { x: [[3, -4, 0]] }, [[2]], { x: [[2, -2, 0]] }, { ...EXACT, gradReq: 'add' });
    const data = mx.nd.random.uniform(-1, 1, [2, 3, 4]);
    mx.testUtils.checkNumericGradient(mx.sym.norm({ data: v, axis: [0, 2] }), { x: data }, NUMERIC);
    mx.testUtils.checkNumericGradient(mx.sym.norm({ data: v, ord: 1, axis: -1, keepdims: true }), { x: data }, NUMERIC);
    mx.testUtils.checkSymbolicForward(mx.sym.norm({ data: v, axis: 2 }), { x: data }, [mx.nd.norm(data, { axis: 2 })], EXACT);
  });

  test('ord other than 1 or 2 and axes out of range are refused', () => {
    expect(() => mx.nd.norm(x, { ord: 3 })).toThrow(mx.ParamError);
    expect(() => mx.sym.norm({ data: mx.sym.Variable('x'), axis: [0, 3], name: 'nm' }).inferShape({ x: [2, 2, 2] })).toThrow("norm 'nm': axis 3 is out of range for 3-d input");
    expect(() => mx.sym.norm({ data: mx.sym.Variable('x'), axis: [1, -2], name: 'nm' }).inferShape({ x: [2, 2, 2] })).toThrow(/names axis 1 twice/);
  });
});

describeEachBackend('moments', () => {
  test('mean and population variance over axes match float64 references (test_moments)', () => {
    const data = mx.nd.random.uniform(-1, 1, [2, 3, 4]);
    for (const [axes, reduced] of AXIS_CASES) {
      for (const keepdims of [false, true]) {
        const [mean, variance] = mx.nd.moments(data, { axes, keepdims });
        const mu = reduceRef(data, reduced, (g) => g.reduce((p, v) => p + v, 0) / g.length);
        const va = reduceRef(data, reduced, (g) => g.reduce((p, v) => p + (v - g.reduce((s, w) => s + w, 0) / g.length) ** 2, 0) / g.length);
        expect(mean!.shape).toEqual(keepdims ? data.shape.map((d, i) => (reduced[i] ? 1 : d)) : data.shape.filter((_, i) => !reduced[i]));
        mx.testUtils.assertAlmostEqual(mean!.data, mu, F32);
        mx.testUtils.assertAlmostEqual(variance!.data, va, F32);
      }
    }
    expect(mx.nd.moments(data)[0]!.shape).toEqual([1]);
  });

  test('MXNet docstring: axes [0], [1] and [0, 1] of [[1, 2, 3], [4, 5, 6]]', () => {
    const x = mx.nd.array([[1, 2, 3], [4, 5, 6]]);
    const check = (axes: number[], mean: number[], variance: number[]) => {
      const [m, v] = mx.nd.moments(x, { axes });
      mx.testUtils.assertAlmostEqual(m!, mean, F32);
      mx.testUtils.assertAlmostEqual(v!, variance, F32);
    };
    check([0], [2.5, 3.5, 4.5], [2.25, 2.25, 2.25]);
    check([1], [2, 5], [2 / 3, 2 / 3]);
    check([0, 1], [3.5], [2.9166667]);
  });

  test('outputs are output0 (mean) and output1 (var); gradient dx = gm/N + gv*2(x-mean)/N', () => {
    const s = mx.sym.moments({ data: mx.sym.Variable('x'), axes: [1], name: 'mo' });
    expect(s.listOutputs()).toEqual(['mo_output0', 'mo_output1']);
    mx.testUtils.checkSymbolicBackward(s, { x: [[1, 3]] }, [[2], [1]], { x: [[0, 2]] }, F32);
    mx.testUtils.checkNumericGradient(mx.sym.moments({ data: mx.sym.Variable('x'), axes: [0, 2] }), { x: mx.nd.random.uniform(-1, 1, [2, 3, 2]) }, NUMERIC);
  });
});

describeEachBackend('add_n', () => {
  test('sums any number of inputs; ElementWiseSum is its alias; num_args comes from the inputs', () => {
    const a = mx.nd.array([1, 2]);
    const b = mx.nd.array([10, 20]);
    mx.testUtils.assertAlmostEqual(mx.nd.add_n(a, b, a), [12, 24], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.ElementWiseSum([a, b]), [11, 22], EXACT);
    const s = mx.sym.add_n(mx.sym.Variable('p'), mx.sym.Variable('q'), mx.sym.Variable('r'));
    expect(s.listArguments()).toEqual(['p', 'q', 'r']);
    expect(JSON.parse(s.toJSON()).nodes[3].attrs).toEqual({ num_args: '3' });
  });

  test('each input gets the head gradient; shapes must agree', () => {
    const s = mx.sym.add_n({ num_args: 2, arg0: mx.sym.Variable('p'), arg1: mx.sym.Variable('q'), name: 'an' });
    mx.testUtils.checkSymbolicBackward(s, { p: [1, 2], q: [3, 4] }, [[5, 6]], { p: [5, 6], q: [5, 6] }, { ...EXACT, gradReq: 'add' });
    mx.testUtils.checkNumericGradient(s, { p: mx.nd.random.uniform(-1, 1, [2, 3]), q: mx.nd.random.uniform(-1, 1, [2, 3]) }, NUMERIC);
    expect(() => s.inferShape({ p: [2], q: [3] })).toThrow("add_n 'an': arg1 shape [3] does not match arg0 [2]");
  });

  test('property: add_n of k copies is k times the input', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 6 }), (k, values) => {
      const x = mx.nd.array(values);
      mx.testUtils.assertAlmostEqual(mx.nd.add_n(Array.from({ length: k }, () => x)), values.map((v) => k * v), EXACT);
    }), { numRuns: 40 });
  });
});
