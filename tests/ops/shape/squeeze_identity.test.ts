/**
 * squeeze, reshape_like, _copy/identity, _identity_with_attr_like_rhs, shape_array, size_array:
 * MXNet docstring examples, gradients, errors, and a fast-check property of squeeze's shape rule.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { EXACT, forwardSym, NUMERIC } from './reference';

describeEachBackend('squeeze and reshape_like', () => {
  beforeEach(() => mx.random.seed(11));

  test('squeeze: MXNet docstring on data of shape (1, 3, 1)', () => {
    const x = mx.nd.array([[[0], [1], [2]]]);
    mx.testUtils.assertAlmostEqual(mx.nd.squeeze(x), [0, 1, 2], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.squeeze(x, { axis: 0 }), [[0], [1], [2]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.squeeze(x, { axis: 2 }), [[0, 1, 2]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.squeeze(x, { axis: '(0, 2)' }), [0, 1, 2], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.squeeze(x, { axis: -1 }), [[0, 1, 2]], EXACT);
    // Squeezing every axis of an all-ones shape leaves [1] (MXNet's corner case).
    expect(mx.nd.squeeze(mx.nd.ones([1, 1, 1])).shape).toEqual([1]);
  });

  test('squeeze: gradient is the head gradient reshaped back; mx.nd and mx.sym agree', () => {
    const s = mx.sym.squeeze({ data: mx.sym.Variable('x'), axis: [1] });
    const x = mx.nd.random.uniform(-1, 1, [3, 1, 4]);
    mx.testUtils.checkNumericGradient(s, { x }, NUMERIC);
    mx.testUtils.assertAlmostEqual(forwardSym(s, { x })[0]!, mx.nd.squeeze(x, { axis: [1] }), EXACT);
  });

  test('reshape_like: MXNet docstring ranges, including negative and None bounds', () => {
    const shapeOf = (l: number[], r: number[], p: Record<string, unknown>) =>
      mx.sym.reshape_like(mx.sym.Variable('l'), mx.sym.Variable('r'), p).inferShape({ l, r }).outShapes[0];
    expect(shapeOf([30, 7], [15, 2, 4], { lhs_begin: 0, lhs_end: 1, rhs_begin: 0, rhs_end: 2 })).toEqual([15, 2, 7]);
    expect(shapeOf([3, 5], [1, 15, 4], { lhs_begin: 0, lhs_end: 2, rhs_begin: 1, rhs_end: 2 })).toEqual([15]);
    expect(shapeOf([30, 12], [4, 2, 2, 3], { lhs_begin: -1, lhs_end: 'None', rhs_begin: 1, rhs_end: 'None' })).toEqual([30, 2, 2, 3]);
    expect(shapeOf([2, 6], [3, 4], {})).toEqual([3, 4]);
    const x = mx.nd.random.uniform(-1, 1, [2, 6]);
    const out = mx.nd.reshape_like(x, mx.nd.zeros([4, 3]));
    expect(out.shape).toEqual([4, 3]);
    mx.testUtils.assertAlmostEqual(out.data, x.data, EXACT);
  });

  test('reshape_like: lhs gets the head gradient, rhs none', () => {
    const s = mx.sym.reshape_like(mx.sym.Variable('l'), mx.sym.Variable('r'));
    const g = mx.nd.random.uniform(-1, 1, [3, 2]);
    mx.testUtils.checkSymbolicBackward(s, { l: mx.nd.ones([2, 3]), r: mx.nd.ones([3, 2]) }, [g], { l: mx.nd.array(g.data, { shape: [2, 3] }), r: mx.nd.zeros([3, 2]) }, EXACT);
  });

  test('_copy / identity and _identity_with_attr_like_rhs copy lhs and pass the gradient to it only', () => {
    const x = mx.nd.random.uniform(-1, 1, [2, 3]);
    mx.testUtils.assertAlmostEqual(mx.nd._copy(x), x, EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.identity(x), x, EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._identity_with_attr_like_rhs(x, mx.nd.zeros([5])), x, EXACT);
    mx.testUtils.checkNumericGradient(mx.sym.identity(mx.sym.Variable('x')), { x }, NUMERIC);
    const s = mx.sym._identity_with_attr_like_rhs(mx.sym.Variable('l'), mx.sym.Variable('r'));
    mx.testUtils.checkSymbolicBackward(s, { l: x, r: mx.nd.ones([5]) }, [mx.nd.ones([2, 3])], { l: mx.nd.ones([2, 3]), r: mx.nd.zeros([5]) }, EXACT);
  });

  test('shape_array and size_array: MXNet docstring (int64 values)', () => {
    const x = mx.nd.array([[1, 2, 3, 4], [5, 6, 7, 8]]);
    mx.testUtils.assertAlmostEqual(mx.nd.shape_array(x), [2, 4], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.size_array(x), [8], EXACT);
    expect([mx.nd.shape_array(x).dtype, mx.nd.size_array(x).dtype]).toEqual(['int64', 'int64']);
    mx.testUtils.assertAlmostEqual(forwardSym(mx.sym.shape_array(mx.sym.Variable('x')), { x: mx.nd.zeros([3, 1, 2]) })[0]!, [3, 1, 2], EXACT);
  });
});

describe('squeeze and reshape_like errors and properties', () => {
  test('squeezing an axis whose size is not 1, out of range or twice is a shape error', () => {
    const sq = (axis: unknown) => (mx.sym.squeeze as mx.SymOp)({ data: mx.sym.Variable('x'), axis, name: 'sq' }).inferShape({ x: [1, 3, 1] });
    expect(() => sq(1)).toThrow(mx.ShapeError);
    expect(() => sq(1)).toThrow("squeeze 'sq': axis 1 selects an axis of size 3: only axes of size 1 can be squeezed (data [1,3,1])");
    expect(() => sq(3)).toThrow(/axis 3 is out of bounds/);
    expect(() => sq([0, -3])).toThrow(/lists axis 0 twice/);
  });

  test('reshape_like with a different element count or bad bounds is a shape error', () => {
    const rl = (r: number[], p: Record<string, unknown> = {}) =>
      mx.sym.reshape_like(mx.sym.Variable('l'), mx.sym.Variable('r'), { name: 'rl', ...p }).inferShape({ l: [2, 3], r });
    expect(() => rl([4, 2])).toThrow("reshape_like 'rl': rhs gives the shape [4,2] with 8 elements, but lhs [2,3] has 6");
    expect(() => rl([6], { lhs_begin: 3 })).toThrow(/lhs_begin 3 is out of range/);
    expect(() => rl([6], { lhs_begin: 1, lhs_end: 0 })).toThrow(/lhs_begin 1 comes after lhs_end 0/);
  });

  test('property: squeeze keeps the order of values and drops exactly the size-1 axes', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 5 }), (shape) => {
      const x = mx.nd.random.uniform(-1, 1, shape);
      const out = mx.nd.squeeze(x);
      const kept = shape.filter((d) => d !== 1);
      expect(out.shape).toEqual(kept.length ? kept : [1]);
      expect(Array.from(out.data)).toEqual(Array.from(x.data));
    }), { numRuns: 50 });
  });
});
