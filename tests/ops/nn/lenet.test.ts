/**
 * A small LeNet built with mx.sym (Convolution, tanh Activation, max Pooling, Flatten,
 * FullyConnected, SoftmaxOutput): shapes from simpleBind, forward and backward, the gradient of
 * every argument against central differences of the cross-entropy the head implies, and SGD
 * steps that lower that loss.
 */
import * as mx from 'mxts';
import { uniform } from './reference';

const BATCH = 4;
const CLASSES = 3;
const DATA_SHAPE = [BATCH, 1, 12, 12];

function lenet(poolType: 'max' | 'avg' = 'max'): mx.Symbol {
  const data = mx.sym.Variable('data');
  const conv1 = mx.sym.Convolution({ data, kernel: [3, 3], num_filter: 4, name: 'conv1' });
  const tanh = (x: mx.Symbol) => mx.sym.Activation({ data: x, act_type: 'tanh' });
  const pool1 = mx.sym.Pooling({ data: tanh(conv1), kernel: [2, 2], stride: [2, 2], pool_type: poolType, name: 'pool1' });
  const conv2 = mx.sym.Convolution({ data: pool1, kernel: [2, 2], num_filter: 3, name: 'conv2' });
  const pool2 = mx.sym.Pooling({ data: tanh(conv2), kernel: [2, 2], stride: [2, 2], pool_type: poolType, name: 'pool2' });
  const fc1 = mx.sym.FullyConnected({ data: mx.sym.Flatten(pool2), num_hidden: 8, name: 'fc1' });
  const fc2 = mx.sym.FullyConnected({ data: tanh(fc1), num_hidden: CLASSES, name: 'fc2' });
  return mx.sym.SoftmaxOutput({ data: fc2, label: mx.sym.Variable('softmax_label'), name: 'softmax' });
}

/** Sum over the batch of -log p[label]: the loss whose gradient SoftmaxOutput's backward is. */
function crossEntropy(labels: ArrayLike<number>) {
  return (outputs: readonly Float64Array[]) => {
    let loss = 0;
    for (let i = 0; i < BATCH; i++) loss -= Math.log(outputs[0]![i * CLASSES + labels[i]!]!);
    return loss;
  };
}

const LABELS = [0, 2, 1, 2];

/** Seeded arguments: data in [0, 1), weights in [-0.5, 0.5), the labels above. */
function location(net: mx.Symbol): Record<string, mx.NDArray> {
  const { argShapes } = net.inferShape({ data: DATA_SHAPE });
  return Object.fromEntries(net.listArguments().map((name, i) => {
    if (name === 'softmax_label') return [name, mx.nd.array(LABELS)];
    return [name, name === 'data' ? uniform(DATA_SHAPE, 0, 1) : uniform([...argShapes[i]!], -0.5, 0.5)];
  }));
}

beforeEach(() => mx.random.seed(2024));

describe('LeNet', () => {
  test('simpleBind infers every parameter shape from the data shape', () => {
    const net = lenet();
    const exec = net.simpleBind(mx.cpu(), { shapes: { data: DATA_SHAPE } });
    const shapes = Object.fromEntries(Object.entries(exec.argDict).map(([name, array]) => [name, array.shape]));
    expect(shapes).toEqual({
      data: [4, 1, 12, 12],
      conv1_weight: [4, 1, 3, 3], conv1_bias: [4],
      conv2_weight: [3, 4, 2, 2], conv2_bias: [3],
      fc1_weight: [8, 12], fc1_bias: [8],
      fc2_weight: [3, 8], fc2_bias: [3],
      softmax_label: [4],
    });
    expect(exec.outputs[0]!.shape).toEqual([BATCH, CLASSES]);
  });

  test('forward gives probability rows and backward fills every parameter gradient', () => {
    const net = lenet();
    const exec = net.bind(mx.cpu(), location(net), { gradReq: { data: 'null', softmax_label: 'null', conv1_weight: 'write', conv1_bias: 'write', conv2_weight: 'write', conv2_bias: 'write', fc1_weight: 'write', fc1_bias: 'write', fc2_weight: 'write', fc2_bias: 'write' } });
    const [probs] = exec.forward(true);
    for (let i = 0; i < BATCH; i++) expect(probs!.data.slice(i * CLASSES, (i + 1) * CLASSES).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    exec.backward();
    for (const [name, grad] of Object.entries(exec.gradDict)) {
      expect(grad.data.every(Number.isFinite)).toBe(true);
      expect({ name, nonzero: grad.data.some((v) => v !== 0) }).toEqual({ name, nonzero: true });
    }
  });

  // NOTE: with max pooling, a 1e-3 step in conv1_weight moves many pre-pool values at once and
  // can switch a window's maximum, a kink central differences cannot see across; max pooling's
  // gradient is checked on well-separated inputs in pooling.test.ts, so this check pools by average.
  test('every argument gradient matches central differences of the cross-entropy (average pooling)', () => {
    const net = lenet('avg');
    const gradNodes = net.listArguments().filter((name) => name !== 'softmax_label');
    mx.testUtils.checkNumericGradient(net, location(net), { gradNodes, objective: crossEntropy(LABELS), numericEps: 1e-3, rtol: 1e-2, atol: 1e-3 });
  });

  test('a few SGD steps on a fixed batch lower the cross-entropy', () => {
    const net = lenet();
    const params = net.listArguments().filter((name) => name !== 'data' && name !== 'softmax_label');
    const gradReq = Object.fromEntries(net.listArguments().map((name) => [name, params.includes(name) ? 'write' : 'null'] as const));
    const exec = net.bind(mx.cpu(), location(net), { gradReq });
    const loss = () => crossEntropy(LABELS)([Float64Array.from(exec.forward(true)[0]!.data)]);
    const initial = loss();
    for (let step = 0; step < 30; step++) {
      loss();
      exec.backward();
      for (const name of params) {
        const value = exec.argDict[name]!.data;
        const grad = exec.gradDict[name]!.data;
        for (let i = 0; i < value.length; i++) value[i]! -= 0.02 * grad[i]!;
      }
    }
    expect(loss()).toBeLessThan(initial * 0.85);
  });
});
