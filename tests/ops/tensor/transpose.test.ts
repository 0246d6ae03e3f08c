/**
 * transpose and slice_axis: MXNet docstring examples, float64 references on seeded inputs,
 * gradients, errors, and fast-check properties of the transpose shape rule.
 */
import fc from 'fast-check';
import * as mx from 'mxts';

const EXACT = { rtol: 0, atol: 0 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

/** Reference transpose by explicit index arithmetic. */
function transposeRef(x: mx.NDArray, perm: number[]): { data: number[]; shape: number[] } {
  const shape = perm.map((a) => x.shape[a]!);
  const inStrides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const data: number[] = [];
  const index = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < x.size; o++) {
    let rest = o;
    for (let i = shape.length - 1; i >= 0; i--) {
      index[i] = rest % shape[i]!;
      rest = Math.floor(rest / shape[i]!);
    }
    data.push(x.data[perm.reduce((sum, a, i) => sum + index[i]! * inStrides[a]!, 0)]!);
  }
  return { data, shape };
}

beforeEach(() => mx.random.seed(47));

describe('transpose', () => {
  test('MXNet docstring: 2-d, 3-d reversed, and axes (1, 0, 2)', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.transpose(mx.nd.array([[1, 2], [3, 4]])), [[1, 3], [2, 4]], EXACT);
    const x = mx.nd.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    mx.testUtils.assertAlmostEqual(mx.nd.transpose(x), [[[1, 5], [3, 7]], [[2, 6], [4, 8]]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.transpose(x, { axes: [1, 0, 2] }), [[[1, 2], [5, 6]], [[3, 4], [7, 8]]], EXACT);
  });

  test('a seeded (2, 3, 4, 5) input with axes (2, 0, 3, 1) and negative axes matches the reference', () => {
    const x = mx.nd.random.uniform(-1, 1, [2, 3, 4, 5]);
    const ref = transposeRef(x, [2, 0, 3, 1]);
    const out = mx.nd.transpose(x, { axes: [2, 0, -1, 1] });
    expect(out.shape).toEqual(ref.shape);
    mx.testUtils.assertAlmostEqual(out.data, ref.data, EXACT);
  });

  test('the gradient is the inverse permutation of the head gradient (central differences)', () => {
    const s = mx.sym.transpose({ data: mx.sym.Variable('x'), axes: [1, 2, 0] });
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(-1, 1, [2, 3, 2]) }, NUMERIC);
  });

  test('axes that are not a permutation of the input axes are a shape error', () => {
    const s = mx.sym.transpose({ data: mx.sym.Variable('x'), axes: [0, 0, 1], name: 't' });
    expect(() => s.inferShape({ x: [2, 3, 4] })).toThrow(mx.ShapeError);
    expect(() => s.inferShape({ x: [2, 3, 4] })).toThrow("transpose 't': axes (0,0,1) is not a permutation of the 3 axes of the input");
    expect(() => mx.nd.transpose(mx.nd.ones([2, 3]), { axes: [0, 1, 2] })).toThrow(/not a permutation/);
  });

  test('property: output dims are the permuted input dims, and the inverse permutation restores the input', () => {
    const cases = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 }).chain((shape) =>
      fc.tuple(fc.constant(shape), fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length, maxLength: shape.length })));
    fc.assert(fc.property(cases, ([shape, perm]) => {
      const x = mx.nd.random.uniform(-1, 1, shape);
      const out = mx.nd.transpose(x, { axes: perm });
      expect(out.shape).toEqual(perm.map((a) => shape[a]!));
      const inverse = perm.map((_, i) => perm.indexOf(i));
      expect(Array.from(mx.nd.transpose(out, { axes: inverse }).data)).toEqual(Array.from(x.data));
    }), { numRuns: 60 });
  });
});

describe('slice_axis', () => {
  const x = mx.nd.array([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);

  test('MXNet docstring: axis 0 [1, 3), axis 1 [0, 2), axis 1 [-3, -1); end None runs to the end', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.slice_axis(x, { axis: 0, begin: 1, end: 3 }), [[5, 6, 7, 8], [9, 10, 11, 12]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.slice_axis(x, { axis: 1, begin: 0, end: 2 }), [[1, 2], [5, 6], [9, 10]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.slice_axis(x, { axis: 1, begin: -3, end: -1 }), [[2, 3], [6, 7], [10, 11]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.slice_axis(x, { axis: -1, begin: 2, end: 'None' }), [[3, 4], [7, 8], [11, 12]], EXACT);
  });

  test('the gradient is the head gradient inside the range, 0 outside', () => {
    const s = mx.sym.slice_axis({ data: mx.sym.Variable('x'), axis: 1, begin: 1, end: 3 });
    mx.testUtils.checkSymbolicBackward(s, { x }, [[[1, 2], [3, 4], [5, 6]]], { x: [[0, 1, 2, 0], [0, 3, 4, 0], [0, 5, 6, 0]] }, EXACT);
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(-1, 1, [2, 4, 2]) }, NUMERIC);
  });

  test('an empty or out-of-range slice and an axis out of range are shape errors', () => {
    const slice = (params: Record<string, unknown>) => (mx.sym.slice_axis as mx.SymOp)({ data: mx.sym.Variable('x'), name: 'sl', ...params }).inferShape({ x: [3, 4] });
    expect(() => slice({ axis: 1, begin: 3, end: 2 })).toThrow(mx.ShapeError);
    expect(() => slice({ axis: 1, begin: 3, end: 2 })).toThrow("slice_axis 'sl': begin and end give [3, 2), which is not a non-empty range inside axis 1 of size 4");
    expect(() => slice({ axis: 1, begin: 0, end: 5 })).toThrow(/\[0, 5\)/);
    expect(() => slice({ axis: 2, begin: 0, end: 1 })).toThrow("slice_axis 'sl': axis 2 is out of range for 2-d input");
  });
});
