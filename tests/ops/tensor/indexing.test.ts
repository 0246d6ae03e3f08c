/**
 * one_hot and argmax (index-valued, no gradient), Cast, zeros_like and ones_like: MXNet docstring
 * examples, seeded references, what flows back through them, and errors.
 */
import * as mx from 'mxts';

const EXACT = { rtol: 0, atol: 0 };

beforeEach(() => mx.random.seed(53));

describe('one_hot', () => {
  test('MXNet docstring: depth 3, custom on/off values, 2-d indices', () => {
    const idx = mx.nd.array([1, 0, 2, 0]);
    mx.testUtils.assertAlmostEqual(mx.nd.one_hot(idx, { depth: 3 }), [[0, 1, 0], [1, 0, 0], [0, 0, 1], [1, 0, 0]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.one_hot(idx, { depth: 3, on_value: 8, off_value: 1 }), [[1, 8, 1], [8, 1, 1], [1, 1, 8], [8, 1, 1]], EXACT);
    const two = mx.nd.one_hot(mx.nd.array([[1, 0], [1, 0], [2, 0]]), { depth: 3 });
    expect(two.shape).toEqual([3, 2, 3]);
    mx.testUtils.assertAlmostEqual(two, [[[0, 1, 0], [1, 0, 0]], [[0, 1, 0], [1, 0, 0]], [[0, 0, 1], [1, 0, 0]]], EXACT);
  });

  test('indices outside [0, depth) give a row of off_value; fractional indices are truncated', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.one_hot(mx.nd.array([-1, 3, 1.9]), { depth: 3 }), [[0, 0, 0], [0, 0, 0], [0, 1, 0]], EXACT);
  });

  test('indices get no gradient; a weight multiplied by the one-hot gets it', () => {
    const s = mx.sym.elemwise_mul(mx.sym.one_hot({ indices: mx.sym.Variable('i'), depth: 3 }), mx.sym.Variable('w'));
    mx.testUtils.checkSymbolicBackward(s, { i: [2, 0], w: [[1, 1, 1], [1, 1, 1]] }, [[[1, 1, 1], [1, 1, 1]]], { i: [0, 0], w: [[0, 0, 1], [1, 0, 0]] }, EXACT);
  });

  test('depth is required', () => {
    // @ts-expect-error depth is required
    expect(() => mx.nd.one_hot(mx.nd.array([1]))).toThrow(mx.ParamError);
    // @ts-expect-error depth is required
    expect(() => mx.nd.one_hot(mx.nd.array([1]))).toThrow(/depth is required/);
  });
});

describe('argmax', () => {
  const x = mx.nd.array([[0, 1, 2], [3, 4, 5]]);

  test('MXNet docstring: axis 0, axis 1, keepdims; axis None gives one index of the flattened input', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.argmax(x, { axis: 0 }), [1, 1, 1], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.argmax(x, { axis: 1 }), [2, 2], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.argmax(x, { axis: 1, keepdims: true }), [[2], [2]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.argmax(x), [5], EXACT);
    expect(mx.nd.argmax(x, { keepdims: true }).shape).toEqual([1, 1]);
  });

  test('ties give the first index; a seeded (3, 4, 5) input along axis -2 matches a reference', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.argmax(mx.nd.array([[2, 7, 7, 1]]), { axis: 1 }), [1], EXACT);
    const y = mx.nd.random.uniform(-1, 1, [3, 4, 5]);
    const ref: number[] = [];
    for (let a = 0; a < 3; a++) {
      for (let c = 0; c < 5; c++) {
        let best = 0;
        for (let b = 1; b < 4; b++) if (y.data[a * 20 + b * 5 + c]! > y.data[a * 20 + best * 5 + c]!) best = b;
        ref.push(best);
      }
    }
    mx.testUtils.assertAlmostEqual(mx.nd.argmax(y, { axis: -2 }).data, ref, EXACT);
  });

  test('the input gets no gradient (zero)', () => {
    const s = mx.sym.elemwise_add(mx.sym.argmax({ data: mx.sym.Variable('x'), axis: 1 }), mx.sym.Variable('b'));
    mx.testUtils.checkSymbolicBackward(s, { x: [[1, 3], [4, 2]], b: [1, 1] }, [[1, 2]], { x: [[0, 0], [0, 0]], b: [1, 2] }, EXACT);
  });

  test('an axis out of range is a shape error', () => {
    expect(() => mx.nd.argmax(x, { axis: 2 })).toThrow(mx.ShapeError);
    expect(() => mx.nd.argmax(x, { axis: 2 })).toThrow('axis 2 is out of range for 2-d input');
  });
});

describe('Cast, zeros_like, ones_like', () => {
  test('float types copy; integer types truncate toward zero and wrap; bool gives 0/1', () => {
    const x = mx.nd.array([-1.7, 0.5, 2.9, 300]);
    mx.testUtils.assertAlmostEqual(mx.nd.Cast(x, { dtype: 'float32' }), x, EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.cast(x, { dtype: 'float64' }), x, EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.Cast(x, { dtype: 'int32' }), [-1, 0, 2, 300], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.Cast(x, { dtype: 'uint8' }), [255, 0, 2, 44], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.Cast(x, { dtype: 'int8' }), [-1, 0, 2, 44], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.Cast(mx.nd.array([0, -0.5, 3]), { dtype: 'bool' }), [0, 1, 1], EXACT);
  });

  test('Cast passes the gradient through (central differences); dtype is required and checked', () => {
    mx.testUtils.checkNumericGradient(mx.sym.Cast({ data: mx.sym.Variable('x'), dtype: 'float32' }), { x: mx.nd.random.uniform(-1, 1, [2, 3]) });
    // @ts-expect-error dtype is required
    expect(() => mx.nd.Cast(mx.nd.ones([1]))).toThrow(/dtype is required/);
    // @ts-expect-error misspelt dtype
    expect(() => mx.nd.Cast(mx.nd.ones([1]), { dtype: 'float33' })).toThrow(/did you mean 'float32'/);
  });

  test('zeros_like / ones_like take the input shape and give it no gradient', () => {
    const v = mx.sym.Variable('x');
    const s = mx.sym.elemwise_add(mx.sym.ones_like({ data: v }), mx.sym.zeros_like({ data: v }));
    const exec = s.simpleBind(mx.cpu(), { shapes: { x: [2, 3] } });
    mx.testUtils.assertAlmostEqual(exec.forward(true)[0]!, mx.nd.ones([2, 3]), EXACT);
    exec.gradDict['x']!.data.fill(7);
    exec.backward([mx.nd.ones([2, 3])]);
    mx.testUtils.assertAlmostEqual(exec.gradDict['x']!, mx.nd.zeros([2, 3]), EXACT);
  });
});
