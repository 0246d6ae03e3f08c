/**
 * broadcast_to, broadcast_like, broadcast_axis (broadcast_axes): MXNet docstring examples, a
 * seeded reference, gradients that sum over the broadcast axes, errors, and a shape property.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { build, EXACT, flatOf, forwardSym, NUMERIC } from './reference';

describeEachBackend('broadcast ops', () => {
  beforeEach(() => mx.random.seed(3));

  test('broadcast_to: MXNet docstring, 0 keeps the input dim', () => {
    const x = mx.nd.array([[1, 2, 3]]);
    mx.testUtils.assertAlmostEqual(mx.nd.broadcast_to(x, { shape: [2, 3] }), [[1, 2, 3], [1, 2, 3]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.broadcast_to(x, { shape: '(2, 0)' }), [[1, 2, 3], [1, 2, 3]], EXACT);
  });

  test('broadcast_axis / broadcast_axes: MXNet docstring on (1, 2, 1)', () => {
    const x = mx.nd.array([[[1], [2]]]);
    mx.testUtils.assertAlmostEqual(mx.nd.broadcast_axis(x, { axis: 2, size: 3 }), [[[1, 1, 1], [2, 2, 2]]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.broadcast_axes(x, { axis: [0, 2], size: [2, 3] }), [[[1, 1, 1], [2, 2, 2]], [[1, 1, 1], [2, 2, 2]]], EXACT);
  });

  test('broadcast_like: MXNet docstring, whole shape and lhs_axes/rhs_axes', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.broadcast_like(mx.nd.array([[1, 2, 3]]), mx.nd.array([[5, 6, 7], [7, 8, 9]])), [[1, 2, 3], [1, 2, 3]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.broadcast_like(mx.nd.array([9]), mx.nd.array([1, 2, 3, 4, 5]), { lhs_axes: [0], rhs_axes: [-1] }), [9, 9, 9, 9, 9], EXACT);
  });

  test('a seeded (3, 1, 4, 1) input broadcast to (3, 2, 4, 5) matches the reference; gradients sum', () => {
    const x = mx.nd.random.uniform(-1, 1, [3, 1, 4, 1]);
    const out = mx.nd.broadcast_to(x, { shape: [0, 2, 4, 5] });
    mx.testUtils.assertAlmostEqual(out.data, build([3, 2, 4, 5], ([a, , c]) => x.data[a! * 4 + c!]!), EXACT);
    const s = mx.sym.broadcast_to({ data: mx.sym.Variable('x'), shape: [3, 2, 4, 5] });
    mx.testUtils.assertAlmostEqual(forwardSym(s, { x })[0]!, out, EXACT);
    mx.testUtils.checkSymbolicBackward(s, { x }, [mx.nd.ones([3, 2, 4, 5])], { x: mx.nd.full([3, 1, 4, 1], 10) }, EXACT);
    mx.testUtils.checkNumericGradient(s, { x }, NUMERIC);
    mx.testUtils.checkNumericGradient(mx.sym.broadcast_axis({ data: mx.sym.Variable('x'), axis: [1, 3], size: [2, 3] }), { x }, NUMERIC);
    const like = mx.sym.broadcast_like(mx.sym.Variable('x'), mx.sym.Variable('y'));
    mx.testUtils.checkNumericGradient(like, { x, y: mx.nd.zeros([3, 2, 4, 2]) }, { ...NUMERIC, gradNodes: ['x'] });
    mx.testUtils.checkSymbolicBackward(like, { x, y: mx.nd.zeros([3, 2, 4, 2]) }, [mx.nd.ones([3, 2, 4, 2])], { x: mx.nd.full([3, 1, 4, 1], 4), y: mx.nd.zeros([3, 2, 4, 2]) }, EXACT);
  });
});

describe('broadcast op errors and properties', () => {
  test('incompatible shapes and bad axes are shape errors naming op, node and argument', () => {
    const to = mx.sym.broadcast_to({ data: mx.sym.Variable('x'), shape: [2, 4], name: 'b' });
    expect(() => to.inferShape({ x: [1, 3] })).toThrow("broadcast_to 'b': shape (2,4) cannot be broadcast from data [1,3]: axis 1 has size 3, neither 1 nor 4");
    expect(() => mx.nd.broadcast_to(mx.nd.ones([3]), { shape: [2, 3] })).toThrow(/number of axes differs/);
    // MXNet would make a negative-size output here (found by fuzzing): refused before any memory is asked for.
    expect(() => mx.nd.broadcast_to(mx.nd.ones([1]), { shape: '-3' })).toThrow("broadcast_to 'broadcast_to': shape (-3) has a negative size at axis 0: sizes must be positive, or 0 to keep the input's");
    expect(() => mx.nd.broadcast_axis(mx.nd.ones([2, 1]), { axis: 0, size: 3 })).toThrow(/axis 0 has size 2 in data \[2,1\]: only size-1 axes can be broadcast/);
    expect(() => mx.nd.broadcast_axis(mx.nd.ones([2, 1]), { axis: [1], size: [3, 4] })).toThrow(/size \(3,4\) must have as many entries as axis/);
    const like = mx.sym.broadcast_like(mx.sym.Variable('x'), mx.sym.Variable('y'), { name: 'bl' });
    expect(() => like.inferShape({ x: [2, 3], y: [4, 3] })).toThrow("broadcast_like 'bl': lhs shape [2,3] cannot be broadcast to rhs [4,3]");
    expect(() => mx.nd.broadcast_like(mx.nd.ones([2]), mx.nd.ones([3]), { lhs_axes: [0], rhs_axes: [0] })).toThrow(/only size-1 axes can be broadcast to 3/);
  });

  test('property: broadcast_to a random target reads the source at index 0 of its size-1 axes; the gradient sums the repetitions', () => {
    const dims = fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 4 });
    fc.assert(fc.property(dims, (spec) => {
      const shape = spec.map(([one, d]) => (one ? 1 : d));
      const target = spec.map(([, d]) => d);
      const x = mx.nd.random.uniform(-1, 1, shape);
      const out = mx.nd.broadcast_to(x, { shape: target });
      expect(out.shape).toEqual(target);
      mx.testUtils.assertAlmostEqual(out.data, build(target, (idx) => x.data[flatOf(shape, idx.map((v, i) => (shape[i] === 1 ? 0 : v)))]!), EXACT);
      // Summing the broadcast back (the gradient rule) gives x times the repetition count.
      const reps = target.reduce((p, d, i) => p * (shape[i] === 1 ? d : 1), 1);
      const s = mx.sym.broadcast_to({ data: mx.sym.Variable('x'), shape: target });
      mx.testUtils.checkSymbolicBackward(s, { x }, [mx.nd.ones(target)], { x: mx.nd.full(shape, reps) }, EXACT);
    }), { numRuns: 40 });
  });
});
