/**
 * Numeric gradient checks for every arithmetic op: the binary ops (element-wise and broadcast,
 * +, -, *, /, maximum, minimum, power) and the scalar ops, through mx.sym and the executor.
 */
import * as mx from 'mxts';

const BINARY = ['elemwise_add', 'elemwise_sub', 'elemwise_mul', 'elemwise_div', '_maximum', '_minimum', '_power'] as const;
const BROADCAST = ['broadcast_add', 'broadcast_sub', 'broadcast_mul', 'broadcast_div', 'broadcast_maximum', 'broadcast_minimum', 'broadcast_power'] as const;
const SCALAR = ['_plus_scalar', '_minus_scalar', '_rminus_scalar', '_mul_scalar', '_div_scalar', '_rdiv_scalar', '_power_scalar', '_rpower_scalar'] as const;

type SymOps = Record<string, (...args: unknown[]) => mx.Symbol>;
const sym = mx.sym as unknown as SymOps;

/** Positive inputs away from ties, so power, division and max/min are smooth where sampled. */
function positive(shape: number[], seed: number): mx.NDArray {
  mx.random.seed(seed);
  return mx.nd.uniform(0.5, 2, shape);
}

describe('numeric gradients of arithmetic ops', () => {
  test.each(BINARY)('%s: both inputs', (op) => {
    const net = sym[op]!(mx.sym.Variable('a'), mx.sym.Variable('b'));
    const a = positive([3, 4], 1);
    const b = positive([3, 4], 2).add(0.013); // no exact ties for maximum/minimum
    mx.testUtils.checkNumericGradient(net, { a, b }, { numericEps: 1e-3, rtol: 1e-2, atol: 1e-3 });
  });

  test.each(BROADCAST)('%s: broadcasting [3,1] against [1,4] reduces each gradient to its input shape', (op) => {
    const net = sym[op]!(mx.sym.Variable('a'), mx.sym.Variable('b'));
    const a = positive([3, 1], 3);
    const b = positive([1, 4], 4).add(0.017);
    mx.testUtils.checkNumericGradient(net, { a, b }, { numericEps: 1e-3, rtol: 1e-2, atol: 1e-3 });
  });

  test.each(SCALAR)('%s with scalar 1.7', (op) => {
    const net = sym[op]!(mx.sym.Variable('x'), { scalar: 1.7 });
    mx.testUtils.checkNumericGradient(net, { x: positive([2, 5], 5) }, { numericEps: 1e-3, rtol: 1e-2, atol: 1e-3 });
  });

  test('a wrong gradient would be caught: the check fails against an objective that does not match', () => {
    const net = mx.sym.elemwise_mul(mx.sym.Variable('a'), mx.sym.Variable('b'));
    const wrong = (outs: readonly Float64Array[]) => outs[0]!.reduce((s, v) => s + 3 * v, 0);
    expect(() => mx.testUtils.checkNumericGradient(mx.sym.MakeLoss(net), { a: positive([2, 2], 6), b: positive([2, 2], 7) }, { objective: wrong })).toThrow(mx.MXNetError);
  });
});
