/**
 * take, batch_take, pick, gather_nd, scatter_nd: MXNet docstring examples (indexing_op.cc,
 * broadcast_reduce_op_index.cc), numpy-style float64 references on seeded inputs (as test_take,
 * test_pick, test_gather_nd and test_scatter_nd do), accumulating gradients, errors and shape rules.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

const EXACT = { rtol: 0, atol: 0 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

beforeEach(() => mx.random.seed(73));

/** Integer-valued float indices in [lo, hi]. */
function randomIndices(shape: number[], lo: number, hi: number): mx.NDArray {
  const u = mx.nd.random.uniform(0, 1, shape);
  return mx.nd.array(Array.from(u.data, (v) => lo + Math.floor(v * (hi - lo + 1))), { shape });
}

/** numpy.take(a, idx, axis, mode) on flat data, in float64. */
function takeRef(a: mx.NDArray, idx: mx.NDArray, axis: number, mode: 'clip' | 'wrap'): number[] {
  const n = a.shape[axis]!;
  const outer = a.shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const inner = a.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const raw of idx.data) {
      const j = mode === 'clip' ? Math.min(Math.max(raw, 0), n - 1) : ((raw % n) + n) % n;
      for (let i = 0; i < inner; i++) out.push(a.data[(o * n + j) * inner + i]!);
    }
  }
  return out;
}

describeEachBackend('take', () => {
  const x = mx.nd.array([[1, 2], [3, 4], [5, 6]]);

  test('MXNet docstring: 2-d indices along axis 0, axis 1, clip and wrap', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.take(x, mx.nd.array([[0, 1], [1, 2]])), [[[1, 2], [3, 4]], [[3, 4], [5, 6]]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.take(x, mx.nd.array([0, 1]), { axis: 1 }), [[1, 2], [3, 4], [5, 6]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.take(x, mx.nd.array([-1, 5]), { mode: 'clip' }), [[1, 2], [5, 6]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.take(x, mx.nd.array([-1, 4]), { mode: 'wrap' }), [[5, 6], [3, 4]], EXACT);
  });

  test('seeded (2, 3, 4) data with out-of-range indices matches numpy.take on every axis and mode (test_take)', () => {
    const a = mx.nd.random.uniform(-1, 1, [2, 3, 4]);
    for (const axis of [0, 1, 2, -1]) {
      const n = a.shape[(axis + 3) % 3]!;
      const idx = randomIndices([2, 3], -2 * n, 2 * n);
      for (const mode of ['clip', 'wrap'] as const) {
        const out = mx.nd.take(a, idx, { axis, mode });
        const ax = (axis + 3) % 3;
        expect(out.shape).toEqual([...a.shape.slice(0, ax), 2, 3, ...a.shape.slice(ax + 1)]);
        mx.testUtils.assertAlmostEqual(out.data, takeRef(a, idx, ax, mode), EXACT);
      }
    }
  });

  test("mode 'raise' refuses out-of-range indices and takes in-range ones", () => {
    mx.testUtils.assertAlmostEqual(mx.nd.take(x, mx.nd.array([2, 0]), { mode: 'raise' }), [[5, 6], [1, 2]], EXACT);
    expect(() => mx.nd.take(x, mx.nd.array([3]), { mode: 'raise' })).toThrow(mx.ValueError);
    expect(() => mx.nd.take(x, mx.nd.array([-1]), { mode: 'raise' })).toThrow("take: indices holds -1, out of bounds for axis 0 of size 3 (mode 'raise')");
  });

  test('the data gradient accumulates repeated indices; indices get none', () => {
    const s = mx.sym.take({ a: mx.sym.Variable('a'), indices: mx.sym.Variable('i'), axis: 1, mode: 'wrap' });
    mx.testUtils.checkSymbolicBackward(s, { a: x, i: [1, -1, 0] }, [[[1, 2, 3], [4, 5, 6], [7, 8, 9]]], { a: [[3, 3], [6, 9], [9, 15]], i: [0, 0, 0] }, EXACT);
    mx.testUtils.checkSymbolicBackward(s, { a: x, i: [1, 1, 0] }, [[[1, 2, 3], [4, 5, 6], [7, 8, 9]]], { a: [[3, 3], [6, 9], [9, 15]] }, { ...EXACT, gradReq: 'add' });
    const clip = mx.sym.take({ a: mx.sym.Variable('a'), indices: mx.sym.Variable('i') });
    mx.testUtils.checkNumericGradient(clip, { a: mx.nd.random.uniform(-1, 1, [4, 3]), i: mx.nd.array([[0, 3], [7, 0]]) }, { ...NUMERIC, gradNodes: ['a'] });
  });

  test('an axis out of range is a shape error naming it; mx.sym + bind agrees with mx.nd', () => {
    const s = mx.sym.take({ a: mx.sym.Variable('a'), indices: mx.sym.Variable('i'), axis: 2, name: 'tk' });
    expect(() => s.inferShape({ a: [3, 2], i: [4] })).toThrow(mx.ShapeError);
    expect(() => s.inferShape({ a: [3, 2], i: [4] })).toThrow("take 'tk': axis 2 is out of range for 2-d input");
    const ok = mx.sym.take({ a: mx.sym.Variable('a'), indices: mx.sym.Variable('i'), axis: -1 });
    mx.testUtils.checkSymbolicForward(ok, { a: x, i: [[1], [0]] }, [mx.nd.take(x, mx.nd.array([[1], [0]]), { axis: -1 })], EXACT);
  });

  test('property: take output shape is a[:axis] + indices + a[axis+1:]', () => {
    const cases = fc.tuple(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }), fc.nat(5));
    fc.assert(fc.property(cases, ([a, i, axisSeed]) => {
      const axis = axisSeed % a.length;
      const out = mx.sym.take({ a: mx.sym.Variable('a'), indices: mx.sym.Variable('i'), axis }).inferShape({ a, i }).outShapes[0];
      expect(out).toEqual([...a.slice(0, axis), ...i, ...a.slice(axis + 1)]);
    }), { numRuns: 60 });
  });
});

describeEachBackend('batch_take and pick', () => {
  const x = mx.nd.array([[1, 2], [3, 4], [5, 6]]);

  test('MXNet docstring: batch_take(x, [0, 1, 0]) = [1, 4, 5], indices clipped', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.batch_take(x, mx.nd.array([0, 1, 0])), [1, 4, 5], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.batch_take(x, mx.nd.array([-3, 9, 1])), [1, 4, 6], EXACT);
    expect(() => mx.nd.batch_take(x, mx.nd.array([0, 1]))).toThrow(/one index per row/);
  });

  test('MXNet docstring: pick along 0, along 1, keepdims, wrap; choose_element_0index is its alias', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.pick(x, mx.nd.array([0, 1]), { axis: 0 }), [1, 4], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.pick(x, mx.nd.array([0, 1, 0]), { axis: 1 }), [1, 4, 5], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.pick(x, mx.nd.array([0, 1, 0]), { axis: 1, keepdims: true }), [[1], [4], [5]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.pick(x, mx.nd.array([2, -1, -2]), { axis: 1, mode: 'wrap' }), [1, 4, 5], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.choose_element_0index(x, mx.nd.array([5, -1, 1])), [2, 3, 6], EXACT);
  });

  test('seeded (3, 4, 5) data picked along each axis matches the reference (test_pick)', () => {
    const data = mx.nd.random.uniform(-1, 1, [3, 4, 5]);
    const v = data.toArray() as number[][][];
    const idx = randomIndices([3, 5], 0, 3);
    const i2 = idx.toArray() as number[][];
    mx.testUtils.assertAlmostEqual(mx.nd.pick(data, idx, { axis: 1 }), v.map((plane, a) => plane[0]!.map((_, c) => plane[i2[a]![c]!]![c]!)), EXACT);
  });

  test('pick gradient: g at the picked entries, accumulated with add; axis None is refused', () => {
    const s = mx.sym.pick({ data: mx.sym.Variable('x'), index: mx.sym.Variable('i'), axis: 1 });
    mx.testUtils.checkSymbolicBackward(s, { x, i: [1, 0, 1] }, [[7, 8, 9]], { x: [[0, 7], [8, 0], [0, 9]], i: [0, 0, 0] }, EXACT);
    mx.testUtils.checkSymbolicBackward(s, { x, i: [1, 0, 1] }, [[7, 8, 9]], { x: [[0, 7], [8, 0], [0, 9]] }, { ...EXACT, gradReq: 'add' });
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(-1, 1, [3, 4]), i: [3, 0, 2] }, { ...NUMERIC, gradNodes: ['x'] });
    expect(() => mx.sym.pick({ data: mx.sym.Variable('x'), index: mx.sym.Variable('i'), axis: 'None', name: 'pk' }).inferShape({ x: [3, 2] })).toThrow("pick 'pk': axis None is not supported by pick: give an axis");
    expect(() => s.inferShape({ x: [3, 2], i: [2] })).toThrow(mx.ShapeError);
  });
});

/** Reference gather_nd in float64: indices (M, N) over data's first M axes. */
function gatherRef(data: mx.NDArray, indices: number[][]): number[] {
  const m = indices.length;
  const count = indices[0]!.length;
  const slice = data.shape.slice(m).reduce((p, d) => p * d, 1);
  const out: number[] = [];
  for (let p = 0; p < count; p++) {
    let offset = 0;
    for (let axis = 0; axis < m; axis++) {
      const dim = data.shape[axis]!;
      offset = offset * dim + ((indices[axis]![p]! + dim) % dim);
    }
    for (let j = 0; j < slice; j++) out.push(data.data[offset * slice + j]!);
  }
  return out;
}

describeEachBackend('gather_nd and scatter_nd', () => {
  test('MXNet docstring: gather_nd points and rows, scatter_nd', () => {
    const data = mx.nd.array([[0, 1], [2, 3]]);
    mx.testUtils.assertAlmostEqual(mx.nd.gather_nd(data, mx.nd.array([[1, 1, 0], [0, 1, 0]])), [2, 3, 0], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.gather_nd(data, mx.nd.array([[1, 0]])), [[2, 3], [0, 1]], EXACT);
    const cube = mx.nd.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    mx.testUtils.assertAlmostEqual(mx.nd.gather_nd(cube, mx.nd.array([[0, 1], [1, 0]])), [[3, 4], [5, 6]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.scatter_nd(mx.nd.array([2, 3, 0]), mx.nd.array([[1, 1, 0], [0, 1, 0]]), { shape: [2, 2] }), [[0, 0], [2, 3]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.scatter_nd(mx.nd.array([[1, 2], [3, 4]]), mx.nd.array([[1, 0]]), { shape: '(2, 2)' }), [[3, 4], [1, 2]], EXACT);
  });

  test('seeded (3, 4, 5) data with negative indices matches the reference; scatter_nd inverts it', () => {
    const data = mx.nd.random.uniform(-1, 1, [3, 4, 5]);
    const indices = [[0, 2, -1, 1], [3, -4, 0, 2]];
    const out = mx.nd.gather_nd(data, mx.nd.array(indices));
    expect(out.shape).toEqual([4, 5]);
    mx.testUtils.assertAlmostEqual(out.data, gatherRef(data, indices), EXACT);
    const back = mx.nd.scatter_nd(out, mx.nd.array([[0, 2, 2, 1], [3, 0, 0, 2]]), { shape: [3, 4, 5] });
    mx.testUtils.assertAlmostEqual(mx.nd.gather_nd(back, mx.nd.array([[0, 2, 1], [3, 0, 2]])).data, gatherRef(data, [[0, 2, 1], [3, -4, 2]]), EXACT);
  });

  test('gather_nd gradient adds repeated points; scatter_nd gradient gathers (numeric checks)', () => {
    const g = mx.sym.gather_nd({ data: mx.sym.Variable('x'), indices: mx.sym.Variable('i') });
    mx.testUtils.checkSymbolicBackward(g, { x: [[0, 1], [2, 3]], i: [[1, 1, 0], [0, 0, 1]] }, [[1, 2, 4]], { x: [[0, 4], [3, 0]], i: [[0, 0, 0], [0, 0, 0]] }, EXACT);
    mx.testUtils.checkSymbolicBackward(g, { x: [[0, 1], [2, 3]], i: [[1, 1, 0], [0, 0, 1]] }, [[1, 2, 4]], { x: [[0, 4], [3, 0]] }, { ...EXACT, gradReq: 'add' });
    mx.testUtils.checkNumericGradient(g, { x: mx.nd.random.uniform(-1, 1, [3, 4]), i: [[0, 2, 2], [1, 3, 3]] }, { ...NUMERIC, gradNodes: ['x'] });
    const s = mx.sym.scatter_nd({ data: mx.sym.Variable('d'), indices: mx.sym.Variable('i'), shape: [3, 2] });
    mx.testUtils.checkSymbolicBackward(s, { d: [[1, 2], [3, 4]], i: [[2, 0]] }, [[[1, 2], [3, 4], [5, 6]]], { d: [[5, 6], [1, 2]] }, EXACT);
    mx.testUtils.checkNumericGradient(s, { d: mx.nd.random.uniform(-1, 1, [2, 2]), i: [[2, 0]] }, { ...NUMERIC, gradNodes: ['d'] });
  });

  test('MXNet test_scatter_gather_nd: arange(360) as (3, 4, 5, 6), and the gather gradient summing repeats', () => {
    const data = mx.nd.array(Array.from({ length: 360 }, (_, i) => i), { shape: [3, 4, 5, 6] });
    const slice = (a: number, b: number, c: number) => Array.from({ length: 6 }, (_, j) => ((a * 4 + b) * 5 + c) * 6 + j);
    mx.testUtils.assertAlmostEqual(mx.nd.gather_nd(data, mx.nd.array([[1, 1, 2], [3, 3, 0], [3, 2, 1]])), [slice(1, 3, 3), slice(1, 3, 2), slice(2, 0, 1)], EXACT);
    const g = mx.sym.gather_nd({ data: mx.sym.Variable('x'), indices: mx.sym.Variable('i') });
    mx.testUtils.checkSymbolicBackward(g, { x: mx.nd.zeros([2, 2]), i: [[1, 1, 0], [1, 1, 0]] }, [[2, 3, 0]], { x: [[0, 0], [0, 5]] }, EXACT);
    const values = Array.from({ length: 100 }, (_, i) => (i * 7) % 10);
    mx.testUtils.checkSymbolicBackward(g, { x: mx.nd.zeros([1]), i: mx.nd.zeros([1, 100]) }, [values], { x: [values.reduce((a, b) => a + b, 0)] }, EXACT);
  });

  test('bad index shapes and out-of-range values are errors naming indices', () => {
    const g = mx.sym.gather_nd({ data: mx.sym.Variable('x'), indices: mx.sym.Variable('i'), name: 'gn' });
    expect(() => g.inferShape({ x: [2, 2], i: [3, 1] })).toThrow("gather_nd 'gn': indices addresses 3 axes but data [2,2] has 2");
    expect(() => g.inferShape({ x: [2, 2], i: [2] })).toThrow(/at least 2 dimensions/);
    expect(() => mx.nd.gather_nd(mx.nd.ones([2, 2]), mx.nd.array([[2], [0]]))).toThrow(mx.ValueError);
    expect(() => mx.nd.scatter_nd(mx.nd.ones([1]), mx.nd.array([[-1], [0]]), { shape: [2, 2] })).toThrow('scatter_nd: indices holds -1, out of bounds for axis 0 of size 2');
    const s = mx.sym.scatter_nd({ data: mx.sym.Variable('d'), indices: mx.sym.Variable('i'), shape: [3, 2], name: 'sn' });
    expect(() => s.inferShape({ d: [2, 3], i: [1, 2] })).toThrow("scatter_nd 'sn': data shape [2,3] does not fit indices [1,2] and shape [3,2]: expected [2,2]");
  });
});
