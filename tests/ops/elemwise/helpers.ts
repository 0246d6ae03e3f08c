/** Shared helpers of the element-wise op tests: untyped op access, both front ends, seeded inputs. */
import * as mx from 'mxts';

type NdOp = (...args: unknown[]) => mx.NDArray;
type SymOp = (...args: unknown[]) => mx.Symbol;

export const nd = mx.nd as unknown as Record<string, NdOp>;
export const sym = mx.sym as unknown as Record<string, SymOp>;

/** Float32 results against float64 references. */
export const F32 = { rtol: 2e-6, atol: 1e-6, equalNan: true } as const;
export const EXACT = { rtol: 0, atol: 0, equalNan: true } as const;
export const NUMERIC = { rtol: 1e-2, atol: 1e-3 } as const;

/** Uniform float32 values in [low, high) from mx.random with a fixed seed. */
export function uniform(low: number, high: number, shape: readonly number[], seed: number): mx.NDArray {
  mx.random.seed(seed);
  return mx.nd.random.uniform(low, high, shape);
}

/** Runs `op` through mx.sym + bind (forward only) with inputs named a, b, ... */
export function symForward(op: string, inputs: readonly mx.NDArray[], params: Record<string, unknown> = {}): mx.NDArray {
  const names = inputs.map((_, i) => String.fromCharCode(97 + i));
  const s = sym[op]!(...names.map((n) => mx.sym.Variable(n)), params);
  const args: Record<string, mx.NDArray> = {};
  names.forEach((n, i) => (args[n] = inputs[i]!));
  return s.bind(mx.cpu(), args).forward()[0]!;
}

/** mx.nd.op and mx.sym.op + bind give the same bits (NaN where NaN). */
export function expectFrontEndsAgree(op: string, inputs: readonly mx.NDArray[], params: Record<string, unknown> = {}): mx.NDArray {
  const imperative = nd[op]!(...inputs, params);
  const symbolic = symForward(op, inputs, params);
  expect(symbolic.shape).toEqual(imperative.shape);
  mx.testUtils.assertAlmostEqual(symbolic, imperative, EXACT);
  return imperative;
}

/**
 * Forward and backward of `op` on one input through the executor, head gradient `g`: returns
 * [output, input gradient].
 */
export function forwardBackward(op: string, x: mx.NDArray, g: mx.NDArray, params: Record<string, unknown> = {}): [mx.NDArray, mx.NDArray] {
  const exec = sym[op]!(mx.sym.Variable('x'), params).bind(mx.cpu(), { x }, { gradReq: 'write' });
  const out = exec.forward(true)[0]!;
  exec.backward([g]);
  return [out, exec.gradDict['x']!];
}

/** Maps a float64 function over an array's (float32) values. */
export function mapValues(x: mx.NDArray, f: (v: number) => number): number[] {
  return Array.from(x.data, f);
}
