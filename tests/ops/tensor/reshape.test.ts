/**
 * Reshape (every documented special code, reverse, legacy target_shape), Flatten and expand_dims:
 * MXNet docstring goldens, gradients, errors for codes that do not fit the input, and fast-check
 * properties of the shape rule.
 */
import fc from 'fast-check';
import * as mx from 'mxts';

const reshapeOf = (input: number[], params: Record<string, unknown>): readonly number[] =>
  mx.sym.Reshape({ data: mx.sym.Variable('x'), name: 'r', ...params }).inferShape({ x: input }).outShapes[0]!;

beforeEach(() => mx.random.seed(41));

describe('Reshape: MXNet docstring examples', () => {
  test.each([
    [[2, 3, 4], [4, 0, 2], [4, 3, 2]],
    [[2, 3, 4], [2, 0, 0], [2, 3, 4]],
    [[2, 3, 4], [6, 1, -1], [6, 1, 4]],
    [[2, 3, 4], [3, -1, 8], [3, 1, 8]],
    [[2, 3, 4], [-1], [24]],
    [[2, 3, 4], [-2], [2, 3, 4]],
    [[2, 3, 4], [2, -2], [2, 3, 4]],
    [[2, 3, 4], [-2, 1, 1], [2, 3, 4, 1, 1]],
    [[2, 3, 4], [-3, 4], [6, 4]],
    [[2, 3, 4, 5], [-3, -3], [6, 20]],
    [[2, 3, 4], [0, -3], [2, 12]],
    [[2, 3, 4], [-3, -2], [6, 4]],
    [[2, 3, 4], [-4, 1, 2, -2], [1, 2, 3, 4]],
    [[2, 3, 4], [2, -4, -1, 3, -2], [2, 1, 3, 4]],
  ])('input %j with shape %j gives %j', (input, shape, expected) => {
    expect(reshapeOf(input, { shape })).toEqual(expected);
  });

  test('reverse: (10, 5, 4) with (-1, 0) gives (40, 5), reversed (50, 4)', () => {
    expect(reshapeOf([10, 5, 4], { shape: [-1, 0] })).toEqual([40, 5]);
    expect(reshapeOf([10, 5, 4], { shape: [-1, 0], reverse: true })).toEqual([50, 4]);
  });

  test('legacy target_shape infers its one 0; keep_highest keeps the first input dim', () => {
    expect(reshapeOf([2, 3, 4], { target_shape: [4, 0] })).toEqual([4, 6]);
    expect(reshapeOf([2, 3, 4], { target_shape: [7, 3, 0], keep_highest: true })).toEqual([2, 3, 4]);
  });

  test('values keep their row-major order, through mx.nd and mx.sym; the string form "(-1, 0)" is read (0 copies input dim 1 here)', () => {
    const x = mx.nd.arange(0, 24).reshape([2, 3, 4]);
    const out = mx.nd.Reshape(x, { shape: [4, 0, 2] });
    expect(out.shape).toEqual([4, 3, 2]);
    expect(Array.from(out.data)).toEqual(Array.from(x.data));
    mx.testUtils.checkSymbolicForward(mx.sym.reshape({ data: mx.sym.Variable('x'), shape: '(-1, 0)' }), { x }, [mx.nd.arange(0, 24).reshape([8, 3])]);
  });

  test('the gradient is the head gradient reshaped back (central differences)', () => {
    const s = mx.sym.Reshape({ data: mx.sym.Variable('x'), shape: [-3, -1] });
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(-1, 1, [2, 3, 2]) }, { rtol: 1e-2, atol: 1e-3 });
  });
});

describe('Reshape errors', () => {
  test.each([
    [[2, 3, 4], [5, -1], /shape \(5,-1\) cannot infer the -1: 24 elements are not a multiple of 5 for input \[2,3,4\]/],
    [[2, 3, 4], [-1, -1], /has more than one -1/],
    [[2, 3], [0, 0, 0], /copies \(0\) an input dimension that does not exist/],
    [[2, 3, 4], [-3, -3], /merges \(-3\) two input dimensions where fewer than two remain/],
    [[2, 3, 4], [-4, -1, -1, -2], /at most one part can be -1/],
    [[2, 3, 4], [-4, 3, 2, -2], /splits \(-4\) 2 into 3 x 2 = 6/],
    [[2, 3, 4], [-4, 2], /does not give the two parts after it/],
    [[2, 3, 4], [5, 5], /gives \[5,5\] with 25 elements, but the input has 24/],
    [[2, 3, 4], [-5, 24], /has the code -5/],
  ])('input %j with shape %j fails', (input, shape, message) => {
    expect(() => reshapeOf(input, { shape })).toThrow(mx.ShapeError);
    expect(() => reshapeOf(input, { shape })).toThrow(message);
  });

  test("errors name op, node and argument: Reshape 'r': shape ...", () => {
    expect(() => reshapeOf([4], { shape: [3] })).toThrow("Reshape 'r': shape (3) gives [3] with 3 elements, but the input has 4 for input [4]");
  });

  test('neither shape nor target_shape is an error', () => {
    expect(() => reshapeOf([4], {})).toThrow(/shape is required/);
  });
});

describe('Reshape properties', () => {
  const shapes = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

  test('(-1) flattens; (0, ..., 0) and (-2) are identities; (-3, -2) merges the first two', () => {
    fc.assert(fc.property(shapes, (s) => {
      expect(reshapeOf(s, { shape: [-1] })).toEqual([size(s)]);
      expect(reshapeOf(s, { shape: s.map(() => 0) })).toEqual(s);
      expect(reshapeOf(s, { shape: [-2] })).toEqual(s);
      if (s.length >= 2) expect(reshapeOf(s, { shape: [-3, -2] })).toEqual([s[0]! * s[1]!, ...s.slice(2)]);
    }));
  });

  test('any target with one -1 keeps the size, and reverse gives the mirror of the forward rule', () => {
    fc.assert(fc.property(shapes, fc.integer({ min: 0, max: 3 }), (s, at) => {
      const target = s.slice();
      target[at % s.length] = -1;
      const out = reshapeOf(s, { shape: target });
      expect(out).toEqual(s);
      expect(reshapeOf(s.slice().reverse(), { shape: target.slice().reverse(), reverse: true })).toEqual(s.slice().reverse());
    }));
  });

  test('(-4, a, -1, -2) splits the first dim for every divisor a', () => {
    fc.assert(fc.property(shapes, (s) => {
      for (let a = 1; a <= s[0]!; a++) {
        if (s[0]! % a === 0) expect(reshapeOf(s, { shape: [-4, a, -1, -2] })).toEqual([a, s[0]! / a, ...s.slice(1)]);
      }
    }));
  });
});

describe('Flatten and expand_dims', () => {
  test('Flatten gives (d0, prod(rest)), also for 1-d input; the gradient flows back', () => {
    const x = mx.nd.arange(0, 24).reshape([2, 3, 4]);
    const out = mx.nd.Flatten(x);
    expect(out.shape).toEqual([2, 12]);
    expect(Array.from(out.data)).toEqual(Array.from(x.data));
    expect(mx.nd.flatten(mx.nd.ones([5])).shape).toEqual([5, 1]);
    mx.testUtils.checkNumericGradient(mx.sym.Flatten({ data: mx.sym.Variable('x') }), { x: mx.nd.random.uniform(-1, 1, [2, 2, 2]) });
  });

  test('expand_dims inserts an axis of size 1 at axis in [-ndim-1, ndim]', () => {
    const x = mx.nd.ones([2, 3]);
    expect(mx.nd.expand_dims(x, { axis: 0 }).shape).toEqual([1, 2, 3]);
    expect(mx.nd.expand_dims(x, { axis: 2 }).shape).toEqual([2, 3, 1]);
    expect(mx.nd.expand_dims(x, { axis: -1 }).shape).toEqual([2, 3, 1]);
    expect(mx.nd.expand_dims(x, { axis: -3 }).shape).toEqual([1, 2, 3]);
    expect(() => mx.nd.expand_dims(x, { axis: 3 })).toThrow(mx.ShapeError);
    expect(() => mx.nd.expand_dims(x, { axis: -4 })).toThrow('axis -4 is out of range for 2-d input (allowed: -3 to 2)');
    mx.testUtils.checkNumericGradient(mx.sym.expand_dims({ data: mx.sym.Variable('x'), axis: 1 }), { x: mx.nd.random.uniform(-1, 1, [2, 2]) });
  });
});
