/**
 * softmin, softmax_cross_entropy, SVMOutput and IdentityAttachKLSparseReg: MXNet docstring values
 * (re-derived), test_operator.py's SVM gradient formulas, float64 references, numeric gradients
 * (loss heads against the loss they imply), shape and parameter errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { expectAddAccumulates } from '../../helpers/grad_req';

const F32 = { rtol: 1e-5, atol: 1e-6 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

beforeEach(() => mx.random.seed(11));

/** Float64 softmin along the last axis of a 2-d array. */
function softminRows(x: mx.NDArray, T: number): Float64Array {
  const [rows, n] = x.shape as [number, number];
  const out = new Float64Array(x.size);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(-x.data[r * n + j]! / T);
    for (let j = 0; j < n; j++) out[r * n + j] = Math.exp(-x.data[r * n + j]! / T) / sum;
  }
  return out;
}

describeEachBackend('softmin', () => {
  test('MXNet docstring: softmin([1, 2, 3]) = [0.66524096, 0.24472848, 0.09003057]', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.softmin(mx.nd.array([1, 2, 3])), [0.66524096, 0.24472848, 0.09003057], F32);
  });

  test('temperature and axis 0 against the float64 reference; large inputs stay finite', () => {
    const x = mx.nd.random.uniform(-3, 3, [4, 5]);
    mx.testUtils.assertAlmostEqual(mx.nd.softmin(x, { temperature: 2.5 }).data, softminRows(x, 2.5), F32);
    const t = mx.nd.transpose(x);
    mx.testUtils.assertAlmostEqual(mx.nd.transpose(mx.nd.softmin(t, { axis: 0 })).data, softminRows(x, 1), F32);
    mx.testUtils.assertAlmostEqual(mx.nd.softmin(mx.nd.array([[-1000, -1001]])), [[Math.exp(-1) / (1 + Math.exp(-1)), 1 / (1 + Math.exp(-1))]], F32);
  });

  test('numeric gradient along the middle axis with a temperature; add accumulates', () => {
    const s = mx.sym.softmin({ data: mx.sym.Variable('x'), axis: 1, temperature: 0.7 });
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(-1, 1, [2, 3, 2]) }, NUMERIC);
    expectAddAccumulates(s, { x: mx.nd.random.uniform(-1, 1, [2, 3, 2]) }, [mx.nd.random.uniform(-1, 1, [2, 3, 2])]);
  });

  test('an axis out of range is a shape error', () => {
    expect(() => mx.sym.softmin({ data: mx.sym.Variable('x'), axis: 2, name: 'sm' }).inferShape({ x: [2, 2] })).toThrow("softmin 'sm': axis 2 is out of range");
  });
});

describeEachBackend('softmax_cross_entropy', () => {
  test('MXNet docstring: data [[1, 2, 3], [11, 7, 5]], label [2, 0] gives 0.4281871 with shape (1,)', () => {
    const out = mx.nd.softmax_cross_entropy(mx.nd.array([[1, 2, 3], [11, 7, 5]]), mx.nd.array([2, 0]));
    expect(out.shape).toEqual([1]);
    mx.testUtils.assertAlmostEqual(out, [0.4281871], F32);
  });

  test('the gradient is head * (softmax - onehot) (numeric check); the label gets none', () => {
    const s = mx.sym.softmax_cross_entropy({ data: mx.sym.Variable('x'), label: mx.sym.Variable('y') });
    const loc = { x: mx.nd.random.uniform(-2, 2, [3, 4]), y: mx.nd.array([0, 3, 1]) };
    mx.testUtils.checkNumericGradient(s, loc, { ...NUMERIC, gradNodes: ['x'] });
    const exec = s.bind(mx.cpu(), { x: loc.x, y: loc.y }, { gradReq: { x: 'write', y: 'null' } });
    exec.forward(true);
    exec.backward([mx.nd.array([2])]);
    const p = mx.nd.softmax(loc.x);
    const expected = Array.from(p.data, (v, i) => 2 * (v - (i % 4 === [0, 3, 1][Math.floor(i / 4)] ? 1 : 0)));
    mx.testUtils.assertAlmostEqual(exec.gradDict['x']!.data, expected, F32);
  });

  test('data must be 2-d and label (batch,)', () => {
    const s = mx.sym.softmax_cross_entropy({ data: mx.sym.Variable('x'), label: mx.sym.Variable('y'), name: 'ce' });
    expect(() => s.inferShape({ x: [2, 3, 4] })).toThrow("softmax_cross_entropy 'ce': data shape [2,3,4] must be 2-d");
    expect(() => s.inferShape({ x: [2, 3], y: [3] })).toThrow(/label shape \[3\] does not match the batch/);
    expect(s.inferShape({ x: [2, 3] }).argShapes).toEqual([[2, 3], [2]]);
  });
});

/** The L2 hinge loss SVMOutput's backward differentiates: reg * sum of squared margins violated. */
function svmLoss(out: Float64Array, label: number[], classes: number, margin: number, reg: number, linear: boolean): number {
  let loss = 0;
  out.forEach((o, i) => {
    const sign = i % classes === label[Math.floor(i / classes)] ? 1 : -1;
    const gap = Math.max(margin - sign * o, 0);
    loss += reg * (linear ? gap : gap * gap);
  });
  return loss;
}

describeEachBackend('SVMOutput', () => {
  const label = [3, 0, 9, 5, 1, 1];
  const build = (params: Record<string, unknown>) => mx.sym.SVMOutput({ data: mx.sym.Variable('x'), label: mx.sym.Variable('l'), ...params });

  test('forward is the identity; the label shape is the data shape without the last axis', () => {
    const x = mx.nd.random.uniform(-2, 2, [6, 10]);
    mx.testUtils.assertAlmostEqual(mx.nd.SVMOutput(x, mx.nd.array(label)), x, { rtol: 0, atol: 0 });
    expect(build({}).inferShape({ x: [2, 3, 4] }).argShapes).toEqual([[2, 3, 4], [2, 3]]);
    expect(() => build({ name: 'svm' }).inferShape({ x: [6, 10], l: [10] })).toThrow("SVMOutput 'svm': label shape [10] must be the data shape without its last axis, [6]");
  });

  test.each([[false], [true]])('test_support_vector_machine (use_linear %s): the gradient ignores the head and follows the hinge', (linear) => {
    const x = mx.nd.random.uniform(-2, 2, [6, 10]);
    const expected = Array.from(x.data, (v, i) => {
      const l = i % 10 === label[Math.floor(i / 10)] ? 1 : -1;
      return linear ? -l * (1 - l * v > 0 ? 1 : 0) : -2 * l * Math.max(1 - l * v, 0);
    });
    mx.testUtils.checkSymbolicBackward(build({ use_linear: linear }), { x, l: label }, undefined, { x: mx.nd.array(Float32Array.from(expected), { shape: [6, 10] }) }, F32);
    expectAddAccumulates(build({ use_linear: linear }), { x, l: mx.nd.array(label) }, [mx.nd.ones([6, 10])]);
  });

  test('margin and regularization_coefficient: the gradient is that of reg * sum(max(margin -/+ out, 0)^2)', () => {
    const s = build({ margin: 0.5, regularization_coefficient: 0.3 });
    const x = mx.nd.random.uniform(-1.5, 1.5, [6, 10]);
    mx.testUtils.checkNumericGradient(s, { x, l: label }, { ...NUMERIC, gradNodes: ['x'], objective: ([out]) => svmLoss(out!, label, 10, 0.5, 0.3, false) });
  });
});

describeEachBackend('IdentityAttachKLSparseReg', () => {
  test('moving_avg is an aux state of shape (units,); forward is the identity', () => {
    const s = mx.sym.IdentityAttachKLSparseReg({ data: mx.sym.Variable('x'), name: 'kl' });
    expect(s.listAuxiliaryStates()).toEqual(['kl_moving_avg']);
    expect(s.inferShape({ x: [4, 3] }).auxShapes).toEqual([[3]]);
    expect(() => s.inferShape({ x: [4, 3, 2] })).toThrow(mx.ShapeError);
    const x = mx.nd.random.uniform(0, 1, [4, 3]);
    mx.testUtils.assertAlmostEqual(mx.nd.IdentityAttachKLSparseReg(x, mx.nd.zeros([3])), x, { rtol: 0, atol: 0 });
  });

  test('backward updates moving_avg with the batch mean and adds the KL penalty gradient', () => {
    const s = mx.sym.IdentityAttachKLSparseReg({ data: mx.sym.Variable('x'), sparseness_target: 0.2, penalty: 0.5, momentum: 0.8, name: 'kl' });
    const x = mx.nd.random.uniform(0.1, 0.9, [5, 3]);
    const moving = mx.nd.array([0.3, 0.5, 0.7]);
    const head = mx.nd.random.uniform(-1, 1, [5, 3]);
    const exec = s.bind(mx.cpu(), { x }, { gradReq: 'write', auxStates: { kl_moving_avg: moving } });
    exec.forward(true);
    exec.backward([head]);
    const avg = [0, 1, 2].map((c) => 0.8 * [0.3, 0.5, 0.7][c]! + 0.2 * [0, 1, 2, 3, 4].reduce((sum, r) => sum + x.data[r * 3 + c]! / 5, 0));
    mx.testUtils.assertAlmostEqual(exec.auxDict['kl_moving_avg']!.data, avg, F32);
    const expected = Array.from(head.data, (g, i) => g + 0.5 * (-0.2 / avg[i % 3]! + 0.8 / (1 - avg[i % 3]!)));
    mx.testUtils.assertAlmostEqual(exec.gradDict['x']!.data, expected, F32);
  });
});

describe('softmin property', () => {
  test('rows sum to 1 and order is reversed: the smallest input gets the largest weight', () => {
    fc.assert(fc.property(fc.array(fc.float({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 8 }), (values) => {
      const out = mx.nd.softmin(mx.nd.array(values)).data;
      expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      const argmin = values.indexOf(Math.min(...values));
      expect(out[argmin]).toBe(Math.max(...out));
    }), { numRuns: 60 });
  });
});
