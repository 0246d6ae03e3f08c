/**
 * mx.testUtils (reference 9 preamble): assertAlmostEqual with rtol/atol and a report naming the
 * worst element; checkNumericGradient passing on correct graphs and failing on a wrong analytic
 * gradient; checkSymbolicForward / checkSymbolicBackward including gradReq 'add'.
 */
import * as mx from 'mxts';

const { assertAlmostEqual, checkNumericGradient, checkSymbolicBackward, checkSymbolicForward } = mx.testUtils;
const V = (name: string) => mx.sym.Variable(name);
const sigmoid64 = (v: number) => 1 / (1 + Math.exp(-v));

function thrownMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, nothing was thrown');
}

describe('assertAlmostEqual', () => {
  test('passes within atol and fails beyond it', () => {
    expect(() => assertAlmostEqual([1, 2, 3], [1, 2, 3.001], { rtol: 0, atol: 1e-2 })).not.toThrow();
    expect(() => assertAlmostEqual([1, 2, 3], [1, 2, 3.001], { rtol: 0, atol: 1e-4 })).toThrow(mx.testUtils.AssertionError);
  });

  test('the rule is |a - b| <= atol + rtol * |b| (relative to the expected value)', () => {
    expect(() => assertAlmostEqual([101], [100], { rtol: 0.011, atol: 0 })).not.toThrow();
    expect(() => assertAlmostEqual([101], [100], { rtol: 0.009, atol: 0 })).toThrow();
    // |diff| = 1: 0.00995 * |101| = 1.005 passes, 0.00995 * |100| = 0.995 does not
    expect(() => assertAlmostEqual([100], [101], { rtol: 0.00995, atol: 0 })).not.toThrow();
    expect(() => assertAlmostEqual([101], [100], { rtol: 0.00995, atol: 0 })).toThrow();
  });

  test('the failure message names the worst index in the array shape', () => {
    const actual = mx.nd.array([[1, 2.02], [3.5, 4]]);
    const expected = mx.nd.array([[1, 2], [3, 4]]);
    const message = thrownMessage(() => assertAlmostEqual(actual, expected, { rtol: 0, atol: 1e-3 }));
    expect(message).toMatch(/\[1,0\]/);
    expect(message).toMatch(/2 of 4/);
  });

  test('the message uses the names given for the two sides', () => {
    const message = thrownMessage(() => assertAlmostEqual([1], [2], { rtol: 0, atol: 0, names: ['mine', 'golden'] }));
    expect(message).toMatch(/mine/);
    expect(message).toMatch(/golden/);
  });

  test('NaN never equals NaN unless equalNan', () => {
    expect(() => assertAlmostEqual([NaN], [NaN], { rtol: 0, atol: 1 })).toThrow();
    expect(() => assertAlmostEqual([NaN], [NaN], { rtol: 0, atol: 1, equalNan: true })).not.toThrow();
    expect(() => assertAlmostEqual([1], [NaN], { rtol: 1, atol: 1 })).toThrow();
  });

  test('arrays of different shapes fail even with the same size', () => {
    expect(() => assertAlmostEqual(mx.nd.zeros([2, 3]), mx.nd.zeros([3, 2]), { rtol: 1, atol: 1 })).toThrow(/shape/);
  });

  test('accepts NDArrays, nested lists and typed arrays alike', () => {
    expect(() => assertAlmostEqual(mx.nd.array([[1, 2]]), [[1, 2]], { rtol: 0, atol: 0 })).not.toThrow();
    expect(() => assertAlmostEqual(new Float32Array([0.5]), [0.5], { rtol: 0, atol: 0 })).not.toThrow();
  });
});

describe('checkNumericGradient', () => {
  const x = [[0.3, -0.8, 1.1], [-0.4, 0.6, 0.2]];
  const y = [[0.7, 1.3, -0.9], [1.2, -0.6, 0.8]];

  test.each([
    ['sigmoid', () => mx.sym.sigmoid(V('x'))],
    ['softmax', () => mx.sym.softmax(V('x'))],
    ['softmax along axis 0', () => mx.sym.softmax(V('x'), { axis: 0 })],
    ['log_softmax', () => mx.sym.log_softmax(V('x'))],
    ['x * y + x / (y * y + 1)', () => {
      const [a, b] = [V('x'), V('y')];
      return a.mul(b).add(a.div(b.mul(b).add(1)));
    }],
    ['broadcast_mul with a row', () => mx.sym.broadcast_mul(V('x'), V('y'))],
  ])('passes on %s with the default random projection', (name, build) => {
    const s = build();
    const loc: Record<string, number[][]> = { x };
    if (s.listArguments().includes('y')) loc['y'] = name.startsWith('broadcast') ? [y[0]!] : y;
    expect(() => checkNumericGradient(s, loc, { rtol: 1e-2, atol: 1e-3 })).not.toThrow();
  });

  test('passes on a loss head checked against the loss it implies (binary cross-entropy / 3 outputs)', () => {
    const label = [[1, 0, 1], [0, 0, 1]];
    const s = mx.sym.LogisticRegressionOutput(V('x'), V('label'));
    const bce = (outs: readonly Float64Array[]) =>
      outs[0]!.reduce((sum, p, i) => sum - (label.flat()[i]! * Math.log(p) + (1 - label.flat()[i]!) * Math.log(1 - p)), 0) / 3;
    expect(() => checkNumericGradient(s, { x, label }, { objective: bce, gradNodes: ['x'] })).not.toThrow();
  });

  test('passes on SoftmaxOutput against cross-entropy of the index labels', () => {
    const label = [2, 0];
    const s = mx.sym.SoftmaxOutput(V('x'), V('label'));
    const ce = (outs: readonly Float64Array[]) => -Math.log(outs[0]![0 * 3 + 2]!) - Math.log(outs[0]![1 * 3 + 0]!);
    expect(() => checkNumericGradient(s, { x, label }, { objective: ce, gradNodes: ['x'] })).not.toThrow();
  });

  test('FAILS when the analytic gradient does not match the objective (LogisticRegressionOutput vs sum of outputs)', () => {
    const label = [[1, 0, 1], [0, 0, 1]];
    const s = mx.sym.LogisticRegressionOutput(V('x'), V('label'));
    const sum = (outs: readonly Float64Array[]) => outs[0]!.reduce((a, b) => a + b, 0);
    expect(() => checkNumericGradient(s, { x, label }, { objective: sum, gradNodes: ['x'] })).toThrow(mx.testUtils.AssertionError);
  });

  test('MakeLoss(x * x) matches sum(x * x), but with grad_scale 3 the check FAILS naming x', () => {
    const v = V('x');
    const sum = (outs: readonly Float64Array[]) => outs[0]!.reduce((a, b) => a + b, 0);
    expect(() => checkNumericGradient(mx.sym.MakeLoss(v.mul(v)), { x }, { objective: sum })).not.toThrow();
    expect(() => checkNumericGradient(mx.sym.MakeLoss(v.mul(v), { grad_scale: 3 }), { x }, { objective: sum })).toThrow(/gradient of x/);
  });

  test('leaves the caller location untouched', () => {
    const loc = { x: mx.nd.array(x) };
    checkNumericGradient(mx.sym.sigmoid(V('x')), loc);
    expect(loc.x.toArray()).toEqual(mx.nd.array(x).toArray());
  });
});

describe('checkSymbolicForward / checkSymbolicBackward', () => {
  const xs = [0.5, -1, 2];
  const s = () => mx.sym.sigmoid(V('x'));

  test('checkSymbolicForward passes on the float64 sigmoid and fails on a wrong expectation', () => {
    expect(() => checkSymbolicForward(s(), { x: xs }, [xs.map(sigmoid64)], { rtol: 1e-5, atol: 1e-6 })).not.toThrow();
    expect(() => checkSymbolicForward(s(), { x: xs }, [xs.map((v) => sigmoid64(v) + 0.01)], { rtol: 1e-5, atol: 1e-6 })).toThrow();
  });

  test('checkSymbolicForward takes locations as a list in listArguments order', () => {
    const sum = V('a').add(V('b'));
    expect(() => checkSymbolicForward(sum, [[1, 2], [3, 4]], [[4, 6]], { rtol: 0, atol: 0 })).not.toThrow();
  });

  test.each(['write', 'add'] as const)("checkSymbolicBackward with gradReq '%s' passes on g y (1 - y)", (gradReq) => {
    const head = [1, 2, -3];
    const expected = xs.map((v, i) => head[i]! * sigmoid64(v) * (1 - sigmoid64(v)));
    expect(() => checkSymbolicBackward(s(), { x: xs }, [head], { x: expected }, { gradReq, rtol: 1e-5, atol: 1e-6 })).not.toThrow();
  });

  test.each(['write', 'add'] as const)("checkSymbolicBackward with gradReq '%s' fails on a wrong gradient", (gradReq) => {
    const expected = xs.map((v) => 2 * sigmoid64(v) * (1 - sigmoid64(v)));
    expect(() => checkSymbolicBackward(s(), { x: xs }, [[1, 1, 1]], { x: expected }, { gradReq, rtol: 1e-5, atol: 1e-6 })).toThrow();
  });

  test("checkSymbolicBackward with gradReq 'add' on a loss head (SoftmaxOutput, probability label)", () => {
    const sm = mx.sym.SoftmaxOutput(V('x'), V('label'));
    const data = [[1, 2, 3], [0, 0, 0]];
    const label = [[0, 0, 1], [0.5, 0.5, 0]];
    const expected = data.map((row, r) => {
      const e = row.map(Math.exp);
      const z = e.reduce((a, b) => a + b, 0);
      return e.map((v, c) => v / z - label[r]![c]!);
    });
    for (const gradReq of ['write', 'add'] as const) {
      expect(() => checkSymbolicBackward(sm, { x: data, label }, undefined, { x: expected }, { gradReq, rtol: 1e-5, atol: 1e-6 })).not.toThrow();
    }
  });
});
