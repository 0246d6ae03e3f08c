/**
 * diag, khatri_rao, _histogram and the contrib index ops (index_array, index_copy, boolean_mask,
 * allclose): MXNet docstring examples (diag_op.cc, krprod.cc, histogram.cc, contrib/*.cc),
 * float64 references on seeded inputs, gradients, errors, and boolean_mask's mx.nd-only rule.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

const EXACT = { rtol: 0, atol: 0 };
const F32 = { rtol: 1e-5, atol: 1e-6 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

beforeEach(() => mx.random.seed(83));

const pair = (out: mx.NDArray | mx.NDArray[]) => out as unknown as mx.NDArray[];

describeEachBackend('diag', () => {
  test('MXNet docstring: 2-d input with k 0, 1, -1', () => {
    const x = mx.nd.array([[1, 2, 3], [4, 5, 6]]);
    mx.testUtils.assertAlmostEqual(mx.nd.diag(x), [1, 5], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.diag(x, { k: 1 }), [2, 6], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.diag(x, { k: -1 }), [4], EXACT);
    expect(mx.nd.diag(x, { k: 5 }).shape).toEqual([0]);
  });

  test('MXNet docstring: 1-d input makes a square matrix with the values on diagonal k', () => {
    const x = mx.nd.array([1, 2, 3]);
    mx.testUtils.assertAlmostEqual(mx.nd.diag(x), [[1, 0, 0], [0, 2, 0], [0, 0, 3]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.diag(x, { k: 1 }), [[0, 1, 0, 0], [0, 0, 2, 0], [0, 0, 0, 3], [0, 0, 0, 0]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.diag(x, { k: -1 }), [[0, 0, 0, 0], [1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 3, 0]], EXACT);
  });

  test('MXNet docstring: 3-d input, default axes, k 1, axes (-2, -1)', () => {
    const x = mx.nd.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    mx.testUtils.assertAlmostEqual(mx.nd.diag(x), [[1, 7], [2, 8]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.diag(x, { k: 1 }), [[3], [4]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.diag(x, { axis1: -2, axis2: -1 }), [[1, 4], [5, 8]], EXACT);
  });

  test('a seeded (3, 4, 5) input matches numpy.diagonal for several k and axis orders', () => {
    const data = mx.nd.random.uniform(-1, 1, [3, 4, 5]);
    const v = data.toArray() as number[][][];
    for (const k of [-2, 0, 3]) {
      // axis1 = 2, axis2 = 0: out[j, d] = x[d + max(k,0), j, d + max(-k,0)]
      const length = Math.max(0, Math.min(5 - Math.max(-k, 0), 3 - Math.max(k, 0)));
      const ref = [0, 1, 2, 3].map((j) => Array.from({ length }, (_, d) => v[d + Math.max(k, 0)]![j]![d + Math.max(-k, 0)]!));
      mx.testUtils.assertAlmostEqual(mx.nd.diag(data, { k, axis1: 2, axis2: 0 }), ref, EXACT);
    }
  });

  test('gradients place g back on the diagonal (n-d) or read it off (1-d)', () => {
    const v = mx.sym.Variable('x');
    mx.testUtils.checkSymbolicBackward(mx.sym.diag({ data: v, k: 1 }), { x: [[1, 2, 3], [4, 5, 6]] }, [[7, 8]], { x: [[0, 7, 0], [0, 0, 8]] }, EXACT);
    mx.testUtils.checkSymbolicBackward(mx.sym.diag({ data: v, k: -1 }), { x: [1, 2] }, [[[1, 2, 3], [4, 5, 6], [7, 8, 9]]], { x: [4, 8] }, { ...EXACT, gradReq: 'add' });
    mx.testUtils.checkNumericGradient(mx.sym.diag({ data: v, axis1: 1, axis2: 2, k: -1 }), { x: mx.nd.random.uniform(-1, 1, [2, 3, 3]) }, NUMERIC);
    mx.testUtils.checkNumericGradient(mx.sym.diag({ data: v, k: 2 }), { x: mx.nd.random.uniform(-1, 1, [3]) }, NUMERIC);
  });

  test('equal axes and axes out of range are shape errors naming them', () => {
    const s = (params: Record<string, unknown>) => mx.sym.diag({ data: mx.sym.Variable('x'), name: 'dg', ...params }).inferShape({ x: [2, 3, 4] });
    expect(() => s({ axis1: 1, axis2: -2 })).toThrow("diag 'dg': axis2 refers to the same axis as axis1 (1)");
    expect(() => s({ axis1: 3 })).toThrow("diag 'dg': axis1 3 is out of range for 3-d input");
  });

  test('property: the n-d output drops axis1 and axis2 and appends the diagonal length', () => {
    const cases = fc.tuple(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }), fc.integer({ min: -4, max: 4 }));
    fc.assert(fc.property(cases, ([shape, k]) => {
      const out = mx.sym.diag({ data: mx.sym.Variable('x'), k, axis1: 1, axis2: 0 }).inferShape({ x: shape }).outShapes[0];
      const length = Math.max(0, Math.min(shape[1]! - Math.max(-k, 0), shape[0]! - Math.max(k, 0)));
      expect(out).toEqual([...shape.slice(2), length]);
    }), { numRuns: 60 });
  });
});

describeEachBackend('khatri_rao', () => {
  test('MXNet docstring: A (2, 2) and B (3, 2) give the (6, 2) column-wise Kronecker product', () => {
    const a = mx.nd.array([[1, -1], [2, -3]]);
    const b = mx.nd.array([[1, 4], [2, 5], [3, 6]]);
    mx.testUtils.assertAlmostEqual(mx.nd.khatri_rao(a, b), [[1, -4], [2, -5], [3, -6], [2, -12], [4, -15], [6, -18]], EXACT);
  });

  test('three seeded matrices match the float64 reference; symbolic agrees; no gradient', () => {
    const mats = [mx.nd.random.uniform(-1, 1, [2, 3]), mx.nd.random.uniform(-1, 1, [3, 3]), mx.nd.random.uniform(-1, 1, [2, 3])];
    const v = mats.map((m) => m.toArray() as number[][]);
    const ref: number[][] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 2; k++) ref.push([0, 1, 2].map((c) => v[0]![i]![c]! * v[1]![j]![c]! * v[2]![k]![c]!));
    mx.testUtils.assertAlmostEqual(mx.nd.khatri_rao(mats), ref, F32);
    const s = mx.sym.khatri_rao(mx.sym.Variable('a'), mx.sym.Variable('b'), mx.sym.Variable('c'));
    mx.testUtils.checkSymbolicForward(s, { a: mats[0]!, b: mats[1]!, c: mats[2]! }, [ref], F32);
    expect(() => s.bind(mx.cpu(), { a: mats[0]!, b: mats[1]!, c: mats[2]! }, { gradReq: 'write' })).toThrow(mx.MXNetError);
  });

  test('mismatched column counts and non-matrices are shape errors', () => {
    const s = mx.sym.khatri_rao({ num_args: 2, arg0: mx.sym.Variable('a'), arg1: mx.sym.Variable('b'), name: 'kr' });
    expect(() => s.inferShape({ a: [2, 3], b: [4, 2] })).toThrow("khatri_rao 'kr': arg1 shape [4,2] has 2 columns but arg0 has 3");
    expect(() => s.inferShape({ a: [2, 3, 1], b: [4, 3] })).toThrow(/must be a matrix/);
  });
});

describeEachBackend('_histogram', () => {
  test('uniform bins over a range: counts and edges, the last bin closed, values outside ignored', () => {
    const [counts, edges] = pair(mx.nd._histogram(mx.nd.array([0, 1, 2, 3, 4, 5, -1, 6]), { bin_cnt: 5, range: '(0, 5)' }));
    mx.testUtils.assertAlmostEqual(counts!, [1, 1, 1, 1, 2], EXACT);
    mx.testUtils.assertAlmostEqual(edges!, [0, 1, 2, 3, 4, 5], EXACT);
    const [same] = pair(mx.nd._histogram(mx.nd.array([2, 2, 3]), { bin_cnt: 2, range: [2, 2] }));
    mx.testUtils.assertAlmostEqual(same!, [0, 2], EXACT); // lo == hi widens to (1.5, 2.5), as numpy
  });

  test('MXNet docstring: x = [[0, 1], [2, 2], [3, 4]] with bin_cnt 5 over (0, 5), and with bins [0, 2.1, 3]', () => {
    const x = mx.nd.array([[0, 1], [2, 2], [3, 4]]);
    const [counts, edges] = pair(mx.nd._histogram(x, { bin_cnt: 5, range: [0, 5] }));
    mx.testUtils.assertAlmostEqual(counts!, [1, 1, 2, 1, 1], EXACT);
    mx.testUtils.assertAlmostEqual(edges!, [0, 1, 2, 3, 4, 5], EXACT);
    mx.testUtils.assertAlmostEqual(pair(mx.nd._histogram(x, mx.nd.array([0, 2.1, 3])))[0]!, [4, 1], EXACT);
  });

  test('explicit bin edges as an input (numpy.histogram with bins)', () => {
    const [counts, edges] = pair(mx.nd._histogram(mx.nd.array([0, 1, 2, 3, 4, 5, 6, 6.5]), mx.nd.array([0, 2, 4, 6])));
    mx.testUtils.assertAlmostEqual(counts!, [2, 2, 3], EXACT);
    mx.testUtils.assertAlmostEqual(edges!, [0, 2, 4, 6], EXACT);
  });

  test('seeded data matches a float64 count (test_histogram); bin_cnt without range is refused', () => {
    const data = mx.nd.random.uniform(-3, 3, [200]);
    const [counts] = pair(mx.nd._histogram(data, { bin_cnt: 6, range: [-2, 2] }));
    const ref = new Array<number>(6).fill(0);
    for (const v of data.data) if (v >= -2 && v <= 2) ref[Math.min(Math.floor(((v + 2) * 6) / 4), 5)]!++;
    mx.testUtils.assertAlmostEqual(counts!, ref, EXACT);
    const s = mx.sym._histogram({ data: mx.sym.Variable('d'), bin_cnt: 4, name: 'h' });
    expect(() => s.inferShape({ d: [3] })).toThrow("_histogram 'h': bin_cnt and range must be given together");
    expect(s.listArguments()).toEqual(['d']);
    expect(() => mx.nd._histogram(data, { bin_cnt: 2, range: [3, 1] })).toThrow(mx.ParamError);
    const bound = mx.sym._histogram({ data: mx.sym.Variable('d'), bin_cnt: 4, range: [0, 1] });
    expect(() => bound.bind(mx.cpu(), { d: data }, { gradReq: 'write' })).toThrow(mx.MXNetError); // no gradient in MXNet
    expect(mx.sym._histogram(mx.sym.Variable('d'), mx.sym.Variable('b')).listArguments()).toEqual(['d', 'b']);
  });
});

describeEachBackend('contrib index ops', () => {
  test('_contrib_index_array, MXNet docstring: all axes, and axes (1, 0)', () => {
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_index_array(mx.nd.ones([3, 2])), [[[0, 0], [0, 1]], [[1, 0], [1, 1]], [[2, 0], [2, 1]]], EXACT);
    const out = mx.nd._contrib_index_array(mx.nd.ones([3, 2, 2]), { axes: [1, 0] });
    mx.testUtils.assertAlmostEqual(out, [[[[0, 0], [0, 0]], [[1, 0], [1, 0]]], [[[0, 1], [0, 1]], [[1, 1], [1, 1]]], [[[0, 2], [0, 2]], [[1, 2], [1, 2]]]], EXACT);
    // MXNet wraps axes modulo ndim instead of refusing them: axis 2 of a 2-d input is axis 0, -1 is 1
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_index_array(mx.nd.ones([2, 2]), { axes: [2, -1] }), [[[0, 0], [0, 1]], [[1, 0], [1, 1]]], EXACT);
    const s = mx.sym._contrib_index_array({ data: mx.sym.Variable('x') });
    mx.testUtils.checkSymbolicBackward(s, { x: mx.nd.ones([2]) }, [[[1], [1]]], { x: [0, 0] }, EXACT);
  });

  test('_contrib_index_copy, MXNet docstring; gradients to old and new, none to the index', () => {
    const t = mx.nd.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const out = mx.nd._contrib_index_copy(mx.nd.zeros([5, 3]), mx.nd.array([0, 4, 2]), t);
    mx.testUtils.assertAlmostEqual(out, [[1, 2, 3], [0, 0, 0], [7, 8, 9], [0, 0, 0], [4, 5, 6]], EXACT);
    const s = mx.sym._contrib_index_copy(mx.sym.Variable('old'), mx.sym.Variable('i'), mx.sym.Variable('new'));
    const g = [[1, 1], [2, 2], [3, 3]];
    mx.testUtils.checkSymbolicBackward(s, { old: mx.nd.zeros([3, 2]), i: [2, 0], new: mx.nd.ones([2, 2]) }, [g], { old: [[0, 0], [2, 2], [0, 0]], new: [[3, 3], [1, 1]], i: [0, 0] }, EXACT);
    mx.testUtils.checkSymbolicBackward(s, { old: mx.nd.zeros([3, 2]), i: [2, 0], new: mx.nd.ones([2, 2]) }, [g], { old: [[0, 0], [2, 2], [0, 0]], new: [[3, 3], [1, 1]] }, { ...EXACT, gradReq: 'add' });
    mx.testUtils.checkNumericGradient(s, { old: mx.nd.random.uniform(-1, 1, [4, 2]), i: [3, 1], new: mx.nd.random.uniform(-1, 1, [2, 2]) }, { ...NUMERIC, gradNodes: ['old', 'new'] });
    expect(() => mx.nd._contrib_index_copy(mx.nd.zeros([2, 2]), mx.nd.array([2]), mx.nd.ones([1, 2]))).toThrow(mx.ValueError);
    expect(() => s.inferShape({ old: [3, 2], i: [2], new: [3, 2] })).toThrow(/index_vector has 2 entries but new_tensor has 3 rows/);
  });

  test('_contrib_boolean_mask, MXNet docstring, seeded rows, axis 0 only, and its mx.nd-only rule', () => {
    const data = mx.nd.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_boolean_mask(data, mx.nd.array([0, 1, 0])), [[4, 5, 6]], EXACT);
    const cube = mx.nd.random.uniform(-1, 1, [4, 2, 3]);
    const rows = cube.toArray() as number[][][];
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_boolean_mask(cube, mx.nd.array([1, 0, -2, 0.5])), [rows[0]!, rows[2]!, rows[3]!], EXACT);
    expect(() => mx.nd._contrib_boolean_mask(data, mx.nd.array([1, 0, 2]), { axis: 1 })).toThrow("_contrib_boolean_mask '_contrib_boolean_mask': axis 1 is not supported: MXNet's boolean_mask masks axis 0 only");
    expect(mx.nd._contrib_boolean_mask(data, mx.nd.zeros([3])).shape).toEqual([0, 3]);
    expect(() => mx.nd._contrib_boolean_mask(data, mx.nd.zeros([2]))).toThrow(mx.ShapeError);
    const s = mx.sym._contrib_boolean_mask({ data: mx.sym.Variable('d'), index: mx.sym.Variable('i'), name: 'bm' });
    expect(() => s.inferShape({ d: [3, 3], i: [3] })).toThrow("_contrib_boolean_mask 'bm': output shape depends on the values of index");
  });

  test('_contrib_allclose follows |a-b| <= atol + rtol|b| in float32, NaN handling by equal_nan', () => {
    const close = (a: number[], b: number[], params: Record<string, unknown> = {}) => mx.nd._contrib_allclose(mx.nd.array(a), mx.nd.array(b), params).data[0];
    expect(close([100, 1e-8], [100.0001, 1e-9])).toBe(1);
    expect(close([100, 1e-7], [100.0001, 1e-8])).toBe(0);
    expect(close([1, NaN], [1, NaN])).toBe(1);
    expect(close([1, NaN], [1, NaN], { equal_nan: false })).toBe(0);
    expect(close([1, 2], [1.5, 2.5], { atol: 0.5, rtol: 0 })).toBe(1);
    expect(mx.nd._contrib_allclose(mx.nd.ones([2, 2]), mx.nd.ones([2, 2])).shape).toEqual([1]);
    const s = mx.sym._contrib_allclose(mx.sym.Variable('a'), mx.sym.Variable('b'), { name: 'ac' });
    expect(() => s.inferShape({ a: [2], b: [3] })).toThrow("_contrib_allclose 'ac': b shape [3] does not match a [2]");
    mx.testUtils.checkSymbolicForward(s, { a: [1, 2], b: [1, 2.1] }, [[0]], EXACT);
    expect(() => s.bind(mx.cpu(), { a: mx.nd.ones([2]), b: mx.nd.ones([2]) }, { gradReq: 'write' })).toThrow(mx.GradientError);
  });
});
