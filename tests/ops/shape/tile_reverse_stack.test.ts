/**
 * tile, repeat, reverse (flip), SwapAxis (swapaxes) and stack: MXNet docstring examples,
 * index-arithmetic references on seeded inputs, gradients, errors, and fast-check properties.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { build, EXACT, flatOf, forwardSym, NUMERIC } from './reference';

const X = [[1, 2], [3, 4]];

describeEachBackend('tile, repeat, reverse, SwapAxis, stack', () => {
  beforeEach(() => mx.random.seed(23));

  test('tile: MXNet docstring (reps equal, shorter, longer than ndim)', () => {
    const x = mx.nd.array(X);
    mx.testUtils.assertAlmostEqual(mx.nd.tile(x, { reps: [2, 3] }), [[1, 2, 1, 2, 1, 2], [3, 4, 3, 4, 3, 4], [1, 2, 1, 2, 1, 2], [3, 4, 3, 4, 3, 4]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.tile(x, { reps: '(2,)' }), [[1, 2, 1, 2], [3, 4, 3, 4]], EXACT);
    const deep = mx.nd.tile(x, { reps: [2, 1, 3] });
    expect(deep.shape).toEqual([2, 2, 6]);
    mx.testUtils.assertAlmostEqual(deep.data, build([2, 2, 6], ([, r, c]) => X[r!]![c! % 2]!), EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.tile(x, { reps: [] }), X, EXACT);
  });

  test('tile: seeded reference, gradient sums the tiles, mx.nd and mx.sym agree', () => {
    const x = mx.nd.random.uniform(-1, 1, [2, 3]);
    const out = mx.nd.tile(x, { reps: [3, 1, 2] });
    expect(out.shape).toEqual([3, 2, 6]);
    mx.testUtils.assertAlmostEqual(out.data, build([3, 2, 6], ([, r, c]) => x.data[r! * 3 + (c! % 3)]!), EXACT);
    const s = mx.sym.tile({ data: mx.sym.Variable('x'), reps: [3, 1, 2] });
    mx.testUtils.assertAlmostEqual(forwardSym(s, { x })[0]!, out, EXACT);
    mx.testUtils.checkSymbolicBackward(s, { x }, [mx.nd.ones([3, 2, 6])], { x: mx.nd.full([2, 3], 6) }, EXACT);
    mx.testUtils.checkNumericGradient(s, { x }, NUMERIC);
  });

  test('repeat: MXNet docstring (flattened, axis 1, axis 0, axis -1)', () => {
    const x = mx.nd.array(X);
    mx.testUtils.assertAlmostEqual(mx.nd.repeat(x, { repeats: 2 }), [1, 1, 2, 2, 3, 3, 4, 4], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.repeat(x, { repeats: 2, axis: 1 }), [[1, 1, 2, 2], [3, 3, 4, 4]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.repeat(x, { repeats: 2, axis: 0 }), [[1, 2], [1, 2], [3, 4], [3, 4]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.repeat(x, { repeats: 2, axis: -1 }), [[1, 1, 2, 2], [3, 3, 4, 4]], EXACT);
  });

  test('repeat: seeded reference on a middle axis and numeric gradient', () => {
    const x = mx.nd.random.uniform(-1, 1, [2, 3, 2]);
    const out = mx.nd.repeat(x, { repeats: 3, axis: 1 });
    mx.testUtils.assertAlmostEqual(out.data, build([2, 9, 2], ([a, b, c]) => x.data[flatOf([2, 3, 2], [a!, Math.floor(b! / 3), c!])]!), EXACT);
    mx.testUtils.checkNumericGradient(mx.sym.repeat({ data: mx.sym.Variable('x'), repeats: 3, axis: 1 }), { x }, NUMERIC);
    mx.testUtils.checkNumericGradient(mx.sym.repeat({ data: mx.sym.Variable('x'), repeats: 2 }), { x }, NUMERIC);
  });

  test('reverse / flip: MXNet docstring, several axes, and the gradient', () => {
    const x = mx.nd.array([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]);
    mx.testUtils.assertAlmostEqual(mx.nd.reverse(x, { axis: 0 }), [[5, 6, 7, 8, 9], [0, 1, 2, 3, 4]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.flip(x, { axis: 1 }), [[4, 3, 2, 1, 0], [9, 8, 7, 6, 5]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.reverse(x, { axis: [0, 1] }), [[9, 8, 7, 6, 5], [4, 3, 2, 1, 0]], EXACT);
    const y = mx.nd.random.uniform(-1, 1, [2, 3, 4]);
    mx.testUtils.assertAlmostEqual(mx.nd.reverse(y, { axis: [2, 0] }).data, build([2, 3, 4], ([a, b, c]) => y.data[flatOf([2, 3, 4], [1 - a!, b!, 3 - c!])]!), EXACT);
    mx.testUtils.checkNumericGradient(mx.sym.reverse({ data: mx.sym.Variable('x'), axis: [1, 2] }), { x: y }, NUMERIC);
  });

  test('SwapAxis / swapaxes: MXNet docstring and the gradient', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.swapaxes(mx.nd.array([[1, 2, 3]]), { dim1: 0, dim2: 1 }), [[1], [2], [3]], EXACT);
    const x = mx.nd.array([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]);
    mx.testUtils.assertAlmostEqual(mx.nd.SwapAxis(x, { dim1: 0, dim2: 2 }), [[[0, 4], [2, 6]], [[1, 5], [3, 7]]], EXACT);
    const y = mx.nd.random.uniform(-1, 1, [2, 3, 4]);
    const out = mx.nd.SwapAxis(y, { dim1: -1, dim2: 0 });
    expect(out.shape).toEqual([4, 3, 2]);
    mx.testUtils.assertAlmostEqual(out.data, build([4, 3, 2], ([a, b, c]) => y.data[flatOf([2, 3, 4], [c!, b!, a!])]!), EXACT);
    mx.testUtils.checkNumericGradient(mx.sym.SwapAxis({ data: mx.sym.Variable('x'), dim1: 1, dim2: 2 }), { x: y }, NUMERIC);
  });

  test('stack: MXNet docstring (axis 0 and 1), variadic inputs, gradient splits back', () => {
    const x = mx.nd.array([1, 2]);
    const y = mx.nd.array([3, 4]);
    mx.testUtils.assertAlmostEqual(mx.nd.stack(x, y), [[1, 2], [3, 4]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.stack([x, y], { axis: 1 }), [[1, 3], [2, 4]], EXACT);
    const a = mx.sym.Variable('a');
    const b = mx.sym.Variable('b');
    const c = mx.sym.Variable('c');
    const s = mx.sym.stack(a, b, c, { axis: -1, name: 'st' });
    expect(s.listArguments()).toEqual(['a', 'b', 'c']);
    expect(JSON.parse(s.toJSON()).nodes[3].attrs).toEqual({ axis: '-1', num_args: '3' });
    const loc = { a: mx.nd.random.uniform(-1, 1, [2, 3]), b: mx.nd.random.uniform(-1, 1, [2, 3]), c: mx.nd.random.uniform(-1, 1, [2, 3]) };
    const out = forwardSym(s, loc)[0]!;
    expect(out.shape).toEqual([2, 3, 3]);
    const parts = [loc.a, loc.b, loc.c];
    mx.testUtils.assertAlmostEqual(out.data, build([2, 3, 3], ([i, j, k]) => parts[k!]!.data[i! * 3 + j!]!), EXACT);
    mx.testUtils.checkNumericGradient(s, loc, NUMERIC);
  });
});

describe('tile, repeat, reverse, SwapAxis, stack errors and properties', () => {
  test('bad reps, repeats, axes and unequal stack inputs are errors naming op, node and argument', () => {
    expect(() => mx.sym.tile({ data: mx.sym.Variable('x'), reps: [2, -1], name: 't' }).inferShape({ x: [2, 2] })).toThrow("tile 't': reps (2,-1) must be positive");
    expect(() => mx.nd.repeat(mx.nd.ones([2]), { repeats: -1 })).toThrow(/repeats must not be negative/);
    expect(() => mx.nd.repeat(mx.nd.ones([2]), { repeats: 2, axis: 1 })).toThrow(/axis 1 is out of range/);
    expect(() => mx.sym.reverse({ data: mx.sym.Variable('x'), axis: [2], name: 'r' }).inferShape({ x: [2, 2] })).toThrow("reverse 'r': axis 2 is out of range for the 2-d input [2,2]");
    expect(() => mx.nd.SwapAxis(mx.nd.ones([2, 2]), { dim1: 0, dim2: 3 })).toThrow(/dim2 3 is out of range/);
    const st = mx.sym.stack(mx.sym.Variable('a'), mx.sym.Variable('b'), { name: 'st' });
    expect(() => st.inferShape({ a: [2, 3], b: [3, 2] })).toThrow("stack 'st': arg1 shape [3,2] does not match [2,3]: stacked inputs must have one shape");
    expect(() => mx.nd.stack(mx.nd.ones([2]), mx.nd.ones([2]), { axis: 2 })).toThrow(/axis 2 is out of range for the 2-d output/);
  });

  test('property: tile output dims multiply the right-aligned dims and reps', () => {
    const dims = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 });
    fc.assert(fc.property(dims, dims, (shape, reps) => {
      const out = mx.nd.tile(mx.nd.zeros(shape), { reps }).shape;
      const n = Math.max(shape.length, reps.length);
      const pad = (v: number[]) => [...new Array<number>(n - v.length).fill(1), ...v];
      expect(out).toEqual(pad(shape).map((d, i) => d * pad(reps)[i]!));
    }), { numRuns: 60 });
  });

  test('property: reversing the same axes twice and swapping twice restore the input', () => {
    const shapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 });
    fc.assert(fc.property(shapes, fc.nat(), (shape, seed) => {
      const x = mx.nd.random.uniform(-1, 1, shape);
      const axes = shape.map((_, i) => i).filter((i) => (seed >> i) & 1);
      expect(Array.from(mx.nd.reverse(mx.nd.reverse(x, { axis: axes }), { axis: axes }).data)).toEqual(Array.from(x.data));
      const swapped = mx.nd.SwapAxis(mx.nd.SwapAxis(x, { dim1: 0, dim2: -1 }), { dim1: 0, dim2: -1 });
      expect(Array.from(swapped.data)).toEqual(Array.from(x.data));
    }), { numRuns: 60 });
  });
});
