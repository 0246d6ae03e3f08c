/**
 * float64 through the executor: every floating-point op mxts lists as computing in float64
 * (src/ops/dtype_support.ts) keeps float64 precision forward and backward. Gradients are checked
 * against float64 central differences at rtol 1e-6, which a single float32 rounding anywhere
 * (kernel, scratch, store) would break by orders of magnitude.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../helpers/backends';
import { checkFloat64Gradient, uniform64 } from './helpers';

const v = (name: string) => mx.sym.Variable(name);
const positive = (shape: number[]) => uniform64(shape, 0.5, 2);
const fresh = <T>(make: () => T): T => {
  mx.random.seed(7);
  return make();
};

/** Each case: a symbol over x (and y, w, ...) and its float64 inputs. */
const CASES: [string, () => mx.Symbol, () => Record<string, mx.NDArray>][] = [
  ['elemwise_add', () => mx.sym.elemwise_add(v('x'), v('y')), () => ({ x: uniform64([2, 3]), y: uniform64([2, 3]) })],
  ['elemwise_mul', () => mx.sym.elemwise_mul(v('x'), v('y')), () => ({ x: uniform64([2, 3]), y: uniform64([2, 3]) })],
  ['elemwise_div', () => mx.sym.elemwise_div(v('x'), v('y')), () => ({ x: uniform64([2, 3]), y: positive([2, 3]) })],
  ['broadcast_sub', () => mx.sym.broadcast_sub(v('x'), v('y')), () => ({ x: uniform64([2, 3]), y: uniform64([1, 3]) })],
  ['broadcast_mul', () => mx.sym.broadcast_mul(v('x'), v('y')), () => ({ x: uniform64([2, 3]), y: uniform64([2, 1]) })],
  ['broadcast_power', () => mx.sym.broadcast_power(v('x'), v('y')), () => ({ x: positive([2, 3]), y: uniform64([2, 3]) })],
  ['_plus_scalar', () => mx.sym._plus_scalar(v('x'), { scalar: 1 / 3 }), () => ({ x: uniform64([2, 3]) })],
  ['_rdiv_scalar', () => mx.sym._rdiv_scalar(v('x'), { scalar: 2 }), () => ({ x: positive([2, 3]) })],
  ['_power_scalar', () => mx.sym._power_scalar(v('x'), { scalar: 3 }), () => ({ x: uniform64([2, 3]) })],
  ['exp', () => mx.sym.exp(v('x')), () => ({ x: uniform64([2, 3]) })],
  ['log', () => mx.sym.log(v('x')), () => ({ x: positive([2, 3]) })],
  ['sqrt', () => mx.sym.sqrt(v('x')), () => ({ x: positive([2, 3]) })],
  ['tanh', () => mx.sym.tanh(v('x')), () => ({ x: uniform64([2, 3]) })],
  ['sigmoid', () => mx.sym.sigmoid(v('x')), () => ({ x: uniform64([2, 3]) })],
  ['sin', () => mx.sym.sin(v('x')), () => ({ x: uniform64([2, 3]) })],
  ['Activation softrelu', () => mx.sym.Activation(v('x'), { act_type: 'softrelu' }), () => ({ x: uniform64([2, 3]) })],
  ['softmax', () => mx.sym.softmax(v('x'), { axis: 1 }), () => ({ x: uniform64([2, 3]) })],
  ['log_softmax', () => mx.sym.log_softmax(v('x')), () => ({ x: uniform64([2, 3]) })],
  ['sum', () => mx.sym.sum(v('x'), { axis: 1 }), () => ({ x: uniform64([2, 3]) })],
  ['mean', () => mx.sym.mean(v('x'), { axis: 0 }), () => ({ x: uniform64([2, 3]) })],
  ['prod', () => mx.sym.prod(v('x'), { axis: 1 }), () => ({ x: positive([2, 3]) })],
  ['max', () => mx.sym.max(v('x'), { axis: 1 }), () => ({ x: uniform64([2, 3]) })],
  ['norm', () => mx.sym.norm(v('x')), () => ({ x: uniform64([2, 3]) })],
  ['dot', () => mx.sym.dot(v('x'), v('y')), () => ({ x: uniform64([2, 3]), y: uniform64([3, 4]) })],
  ['dot transpose_b', () => mx.sym.dot(v('x'), v('y'), { transpose_b: true }), () => ({ x: uniform64([2, 3]), y: uniform64([4, 3]) })],
  ['batch_dot', () => mx.sym.batch_dot(v('x'), v('y')), () => ({ x: uniform64([2, 2, 3]), y: uniform64([2, 3, 2]) })],
  ['FullyConnected', () => mx.sym.FullyConnected({ data: v('x'), weight: v('w'), bias: v('b'), num_hidden: 4 }), () => ({ x: uniform64([2, 3]), w: uniform64([4, 3]), b: uniform64([4]) })],
  ['Convolution', () => mx.sym.Convolution({ data: v('x'), weight: v('w'), bias: v('b'), kernel: [2, 2], num_filter: 2 }), () => ({ x: uniform64([1, 2, 3, 3]), w: uniform64([2, 2, 2, 2]), b: uniform64([2]) })],
  ['Pooling avg', () => mx.sym.Pooling(v('x'), { kernel: [2, 2], pool_type: 'avg' }), () => ({ x: uniform64([1, 1, 3, 3]) })],
  ['transpose + reshape', () => mx.sym.Reshape(mx.sym.transpose(v('x')), { shape: [-1] }), () => ({ x: uniform64([2, 3]) })],
  ['Concat', () => mx.sym.Concat(v('x'), v('y'), { dim: 1 }), () => ({ x: uniform64([2, 3]), y: uniform64([2, 1]) })],
  // test_infer_type.py test_infer_multiout_op: split of float64 data has float64 gradients.
  ['SliceChannel', () => mx.sym.SliceChannel(v('x'), { num_outputs: 2, axis: 0 }), () => ({ x: uniform64([4, 4]) })],
  ['take with int32 indices', () => mx.sym.take(v('x'), v('i')), () => ({ x: uniform64([3, 2]), i: mx.nd.array([2, 0, 2], { dtype: 'int32' }) })],
];

describeEachBackend('float64 ops keep float64 precision', () => {
  test.each(CASES)('%s: forward is float64 and gradients match float64 central differences (rtol 1e-6)', (_name, build, inputs) => {
    checkFloat64Gradient(build(), fresh(inputs));
  });

  test('1/3 stays the float64 1/3 (not its float32 rounding) through elemwise ops', () => {
    const x = mx.nd.array([1, 2], { dtype: 'float64' });
    expect(Array.from(x.div(3).values)).toEqual([1 / 3, 2 / 3]);
    expect(Array.from(mx.nd.exp(x).values)).toEqual([Math.exp(1), Math.exp(2)]);
  });

  test('softmax with dtype float64 on a float32 input computes and returns float64 (MXNet`s softmax dtype)', () => {
    const p = mx.nd.softmax(mx.nd.array([[0, Math.log(2)]]), { dtype: 'float64' });
    expect(p.dtype).toBe('float64');
    const e = Math.exp(Math.fround(Math.log(2)));
    mx.testUtils.assertAlmostEqual(p, [[1 / (1 + e), e / (1 + e)]], { rtol: 1e-14, atol: 0 });
  });

  test('sum of float64 keeps digits float32 would lose (scratch is float64)', () => {
    const x = mx.nd.array([1e8, 1, -1e8, 1e-8], { dtype: 'float64' });
    expect(mx.nd.sum(x).values[0]).toBe(1e8 + 1 - 1e8 + 1e-8);
  });

  test('LinearRegressionOutput and SoftmaxOutput train in float64', () => {
    const lin = mx.sym.LinearRegressionOutput(mx.sym.FullyConnected({ data: v('x'), num_hidden: 1, name: 'fc' }), v('y'));
    const exec = lin.simpleBind(mx.cpu(), { shapes: { x: [2, 3], y: [2, 1] }, typeDict: { x: 'float64', y: 'float64' } });
    exec.argDict.x!.set([1, 2, 3, 4, 5, 6]);
    exec.argDict.fc_weight!.set([0.1, 0.2, 0.3]);
    exec.argDict.y!.set([1, 2]);
    exec.forward(true);
    exec.backward();
    // pred = [1.4, 3.2]; d/dw = sum_i (pred_i - y_i) x_i = 0.4*[1,2,3] + 1.2*[4,5,6]
    mx.testUtils.assertAlmostEqual(exec.gradDict.fc_weight!, [[5.2, 6.8, 8.4]], { rtol: 1e-12, atol: 1e-12 });
    expect(exec.gradDict.fc_weight!.dtype).toBe('float64');
    const sm = mx.sym.SoftmaxOutput(v('z'), v('label'));
    const e2 = sm.simpleBind(mx.cpu(), { shapes: { z: [1, 3] }, typeDict: { z: 'float64' } });
    e2.argDict.z!.set([1, 2, 3]);
    e2.argDict.label!.set([2]);
    const [p] = e2.forward(true);
    const total = Math.exp(1) + Math.exp(2) + Math.exp(3);
    mx.testUtils.assertAlmostEqual(p!, [[Math.exp(1) / total, Math.exp(2) / total, Math.exp(3) / total]], { rtol: 1e-14, atol: 0 });
  });
});
