/**
 * where, slice (alias crop), slice_like, _slice_assign, _slice_assign_scalar: MXNet docstring
 * examples, index-arithmetic references on seeded inputs, gradients, errors, and a fast-check
 * property of slice's shape rule against Python-style range counting.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { sliceAssignScalarOp } from '../../../src/ops/shape/slice';
import { describeEachBackend, testContext } from '../../helpers/backends';
import { build, EXACT, flatOf, forwardSym, NUMERIC, values } from './reference';

const X = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]];

/** Python's range(b, e, s) entries for one axis of length len with MXNet's None defaults. */
function axisEntries(len: number, b: number | null, e: number | null, s: number): number[] {
  let begin = b ?? (s < 0 ? len - 1 : 0);
  let end = e ?? (s < 0 ? -1 : len);
  if (begin < 0) begin += len;
  if (e !== null && end < 0) end += len;
  const out: number[] = [];
  for (let i = begin; s > 0 ? i < end : i > end; i += s) out.push(i);
  return out;
}

describeEachBackend('where and slice', () => {
  beforeEach(() => mx.random.seed(5));

  test('where: MXNet docstring, and a 1-d condition over the first axis', () => {
    const x = mx.nd.array([[1, 2], [3, 4]]);
    const y = mx.nd.array([[5, 6], [7, 8]]);
    mx.testUtils.assertAlmostEqual(mx.nd.where(mx.nd.array([[0, 1], [-1, 0]]), x, y), [[5, 2], [3, 8]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.where(mx.nd.array([1, 0]), x, y), [[1, 2], [7, 8]], EXACT);
  });

  test('where: gradient goes to x where the condition holds and to y elsewhere, none to the condition', () => {
    const s = mx.sym.where(mx.sym.Variable('c'), mx.sym.Variable('x'), mx.sym.Variable('y'));
    const c = mx.nd.array([[1, 0, 2], [0, 0, -1]]);
    const g = mx.nd.array([[1, 2, 3], [4, 5, 6]]);
    const loc = { c, x: mx.nd.random.uniform(-1, 1, [2, 3]), y: mx.nd.random.uniform(-1, 1, [2, 3]) };
    mx.testUtils.checkSymbolicBackward(s, loc, [g], { x: [[1, 0, 3], [0, 0, 6]], y: [[0, 2, 0], [4, 5, 0]], c: [[0, 0, 0], [0, 0, 0]] }, EXACT);
    mx.testUtils.checkNumericGradient(s, { ...loc, c: mx.nd.array([1, 0]) }, { ...NUMERIC, gradNodes: ['x', 'y'] });
  });

  test('slice: MXNet docstring, including None entries and negative steps', () => {
    const x = mx.nd.array(X);
    mx.testUtils.assertAlmostEqual(mx.nd.slice(x, { begin: [0, 1], end: [2, 4] }), [[2, 3, 4], [6, 7, 8]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.slice(x, { begin: '(None, 0)', end: '(None, 3)', step: '(-1, 2)' }), [[9, 11], [5, 7], [1, 3]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.crop(x, { begin: [-2], end: [null] }), [[5, 6, 7, 8], [9, 10, 11, 12]], EXACT);
  });

  test('slice: a seeded (4, 5, 6) input with mixed begin/end/step matches Python-range indexing', () => {
    const x = mx.nd.random.uniform(-1, 1, [4, 5, 6]);
    const params = { begin: [3, null, -1], end: [0, 4, 0], step: [-2, null, -2] };
    const axes = [axisEntries(4, 3, 0, -2), axisEntries(5, null, 4, 1), axisEntries(6, -1, 0, -2)];
    const out = mx.nd.slice(x, params);
    const shape = axes.map((a) => a.length);
    expect(out.shape).toEqual(shape);
    mx.testUtils.assertAlmostEqual(out.data, build(shape, (i) => x.data[flatOf(x.shape, i.map((v, k) => axes[k]![v]!))]!), EXACT);
    mx.testUtils.assertAlmostEqual(forwardSym(mx.sym.slice({ data: mx.sym.Variable('x'), ...params }), { x })[0]!, out, EXACT);
  });

  test('slice: gradient is the head gradient scattered into the slice (write and add)', () => {
    const s = mx.sym.slice({ data: mx.sym.Variable('x'), begin: [null, 3], end: [null, 0], step: [null, -2] });
    const x = mx.nd.array(X);
    mx.testUtils.checkSymbolicBackward(s, { x }, [[[1, 2], [3, 4], [5, 6]]], { x: [[0, 2, 0, 1], [0, 4, 0, 3], [0, 6, 0, 5]] }, EXACT);
    mx.testUtils.checkSymbolicBackward(s, { x }, [[[1, 2], [3, 4], [5, 6]]], { x: [[0, 2, 0, 1], [0, 4, 0, 3], [0, 6, 0, 5]] }, { ...EXACT, gradReq: 'add' });
    mx.testUtils.checkNumericGradient(mx.sym.slice({ data: mx.sym.Variable('x'), begin: [1, 0], end: [3, 5], step: [1, 2] }), { x: mx.nd.random.uniform(-1, 1, [3, 5, 2]) }, NUMERIC);
  });

  test('slice_like: MXNet docstring (all axes, axes (0, 1), (0), (-1)); gradient to data only', () => {
    const x = mx.nd.array(X);
    const y = mx.nd.zeros([2, 3]);
    mx.testUtils.assertAlmostEqual(mx.nd.slice_like(x, y), [[1, 2, 3], [5, 6, 7]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.slice_like(x, y, { axes: [0, 1] }), [[1, 2, 3], [5, 6, 7]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.slice_like(x, y, { axes: '(0,)' }), [[1, 2, 3, 4], [5, 6, 7, 8]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.slice_like(x, y, { axes: [-1] }), [[1, 2, 3], [5, 6, 7], [9, 10, 11]], EXACT);
    const s = mx.sym.slice_like(mx.sym.Variable('x'), mx.sym.Variable('y'));
    mx.testUtils.checkSymbolicBackward(s, { x, y }, [[[1, 1, 1], [1, 1, 1]]], { x: [[1, 1, 1, 0], [1, 1, 1, 0], [0, 0, 0, 0]], y: [[0, 0, 0], [0, 0, 0]] }, EXACT);
  });

  test('_slice_assign / _crop_assign and _slice_assign_scalar replace the slice and keep the rest', () => {
    const x = mx.nd.array(X);
    const out = mx.nd._slice_assign(x, mx.nd.array([[-1, -2], [-3, -4]]), { begin: [1, 0], end: [3, 4], step: [1, 2] });
    mx.testUtils.assertAlmostEqual(out, [[1, 2, 3, 4], [-1, 6, -2, 8], [-3, 10, -4, 12]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._crop_assign(x, mx.nd.zeros([1, 1]), { begin: [-1, -1], end: [null, null] }), [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 0]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._slice_assign_scalar(x, { scalar: 7, begin: [0], end: [2] }), [[7, 7, 7, 7], [7, 7, 7, 7], [9, 10, 11, 12]], EXACT);
    expect(values(x)).toEqual(X.flat()); // the input is not modified
    const s = mx.sym._slice_assign(mx.sym.Variable('l'), mx.sym.Variable('r'), { begin: [0, 1], end: [1, 3] });
    expect(s.inferShape({ l: [3, 4] }).argShapes).toEqual([[3, 4], [1, 2]]);
  });

  test('_slice_assign over an intermediate (in-place candidate) and with an add request', () => {
    const s = mx.sym._slice_assign(mx.sym._mul_scalar(mx.sym.Variable('l'), { scalar: 2 }), mx.sym.Variable('r'), { begin: [1], end: [2] });
    const out = forwardSym(s, { l: mx.nd.array(X), r: mx.nd.array([[0, 0, 0, 0]]) })[0]!;
    mx.testUtils.assertAlmostEqual(out, [[2, 4, 6, 8], [0, 0, 0, 0], [18, 20, 22, 24]], EXACT);
    const acc = mx.nd.ones([3, 4]);
    const p = { begin: [0, 0], end: [1, 2], step: [], scalar: 0 };
    const x = mx.nd.array(X);
    sliceAssignScalarOp.forward(p, [x], [acc], ['add'], { ...testContext(), state: sliceAssignScalarOp.createState!(p, [x.shape]) });
    mx.testUtils.assertAlmostEqual(acc, [[1, 1, 4, 5], [6, 7, 8, 9], [10, 11, 12, 13]], EXACT);
  });
});

describe('slice errors and properties', () => {
  const sl = (p: Record<string, unknown>) => (mx.sym.slice as mx.SymOp)({ data: mx.sym.Variable('x'), name: 'sl', ...p }).inferShape({ x: [3, 4] });

  test('out-of-range, empty, mismatched and zero-step slices are shape errors naming the argument', () => {
    expect(() => sl({ begin: [0, 4], end: [1, 4] })).toThrow(mx.ShapeError);
    expect(() => sl({ begin: [0, 4], end: [1, 4] })).toThrow("slice 'sl': begin (0,4) starts axis 1 at 4, outside its 4 entries (data [3,4])");
    expect(() => sl({ begin: [0, 1], end: [1, 5] })).toThrow(/end \(1,5\) ends axis 1 at 5/);
    expect(() => sl({ begin: [1], end: [1] })).toThrow(/empty slices are not supported/);
    expect(() => sl({ begin: [2], end: [1] })).toThrow(/select nothing/);
    expect(() => sl({ begin: [0, 0], end: [1] })).toThrow(/end \(1\) must have as many entries as begin/);
    expect(() => sl({ begin: [0], end: [1], step: [0] })).toThrow(/step \(0\) has a 0 at axis 0/);
    expect(() => sl({ begin: [0, 0, 0], end: [1, 1, 1] })).toThrow(/more entries than the data/);
  });

  test('where with a condition of the wrong shape, and slice_like beyond the data, are shape errors', () => {
    const w = mx.sym.where(mx.sym.Variable('c'), mx.sym.Variable('x'), mx.sym.Variable('y'), { name: 'w' });
    expect(() => w.inferShape({ c: [3], x: [2, 3], y: [2, 3] })).toThrow("where 'w': condition shape [3] must equal x's [2,3] or be 1-d with 2 entries (one per row of x)");
    expect(() => w.inferShape({ c: [2], x: [2, 3], y: [3, 3] })).toThrow(/y shape \[3,3\] does not match x \[2,3\]/);
    const s = mx.sym.slice_like(mx.sym.Variable('x'), mx.sym.Variable('y'), { name: 'sl' });
    expect(() => s.inferShape({ x: [2, 3], y: [3, 3] })).toThrow(/shape_like axis 0 has size 3, more than data's 2/);
  });

  test('property: slice shapes count Python range entries for random begin/end/step', () => {
    const axis = fc.integer({ min: 1, max: 6 }).chain((len) => fc.tuple(
      fc.constant(len), fc.option(fc.integer({ min: -len, max: len - 1 })), fc.option(fc.integer({ min: -len, max: len })), fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0)));
    fc.assert(fc.property(fc.array(axis, { minLength: 1, maxLength: 3 }), (axes) => {
      const shape = axes.map(([len]) => len);
      const entries = axes.map(([len, b, e, s]) => axisEntries(len, b, e, s));
      const params = { begin: axes.map(([, b]) => b), end: axes.map(([, , e]) => e), step: axes.map(([, , , s]) => s) };
      const run = () => mx.nd.slice(mx.nd.zeros(shape), params).shape;
      // MXNet rejects empty results (and begin == end) instead of returning them.
      if (entries.some((a) => a.length === 0)) expect(run).toThrow(mx.ShapeError);
      else expect(run()).toEqual(entries.map((a) => a.length));
    }), { numRuns: 200 });
  });
});
