/** The `mx.nd` namespace: creation functions, arithmetic, and one function per registered op. */
import '../ops/all';
import { getOp } from '../ops/registry';
import { MULTI_OUTPUT_OPS, SINGLE_OUTPUT_OPS } from '../ops/op_names';
import type { NdOps as TypedNdOps } from '../ops/op_call_types';
import { array, arange, empty, full, ones, onesLike, zeros, zerosLike } from './creation';
import { random } from './random';
import { invoke, invokeByName } from './invoke';
import { ndUfuncs } from './arith';
import { NDArray } from './ndarray';
import { load, loadBytes, save, saveBytes } from './serialize';

export { NDArray } from './ndarray';
export type { DType, DTypeArray, NestedArray } from './ndarray';

/** Inputs positionally, then one trailing object of parameters (or inputs by name). */
export type NdArg = NDArray | readonly NDArray[] | Readonly<Record<string, unknown>>;
export type NdOp = (...args: NdArg[]) => NDArray;
export type NdMultiOp = (...args: NdArg[]) => NDArray[];

/** Each op with its parameters typed from the registry (src/ops/op_call_types.ts, generated types). */
type NdOps = TypedNdOps;

function generateOps(): NdOps {
  const ops: Record<string, unknown> = {};
  for (const name of SINGLE_OUTPUT_OPS) ops[name] = (...args: NdArg[]) => invoke(getOp(name), name, args);
  for (const name of MULTI_OUTPUT_OPS as readonly string[]) {
    ops[name] = (...args: NdArg[]) => {
      const result = invoke(getOp(name), name, args);
      return Array.isArray(result) ? result : [result];
    };
  }
  return ops as unknown as NdOps;
}

const { add, subtract, multiply, divide, modulo, power, maximum, minimum, hypot, equal, not_equal, greater, greater_equal, lesser, lesser_equal } = ndUfuncs;

/** `mx.nd.eye(N, M=0, k=0)`: ones on diagonal k of an N x (M or N) array. */
function eye(N: number, M = 0, k = 0): NDArray {
  return invokeByName('_eye', [], { N, M, k }) as NDArray;
}

/** `mx.nd.linspace(start, stop, num, endpoint=True)`. */
function linspace(start: number, stop: number, num: number, endpoint = true): NDArray {
  return invokeByName('_linspace', [], { start, stop, num, endpoint }) as NDArray;
}

/**
 * `mx.nd`: NDArray creation, arithmetic, file I/O and every registered operator run imperatively
 * (MXNet's `mx.nd`). Operators return an NDArray, or an array of them for multi-output operators;
 * [the operator list](../../docs/operators.md) gives each one's inputs and parameters.
 *
 * @example
 * ```ts
 * const a = mx.nd.array([[1, 2], [3, 4]]);
 * const b = mx.nd.ones([2, 2]).mul(10);
 * console.log(a.add(b).toString());      // array([[11., 12.], [13., 14.]], dtype=float32)
 * const probs = mx.nd.softmax(a, { axis: 1 });
 * mx.nd.save('/tmp/arrays.params', { a, probs });
 * ```
 */
export const nd = {
  ...generateOps(),
  NDArray,
  array,
  arange,
  empty,
  full,
  ones,
  zeros,
  onesLike,
  zerosLike,
  ones_like: onesLike,
  zeros_like: zerosLike,
  random,
  uniform: random.uniform,
  normal: random.normal,
  add,
  sub: subtract,
  mul: multiply,
  div: divide,
  subtract,
  multiply,
  divide,
  modulo,
  mod: modulo,
  power,
  pow: power,
  maximum,
  minimum,
  hypot,
  equal,
  not_equal,
  notEqual: not_equal,
  greater,
  greater_equal,
  greaterEqual: greater_equal,
  lesser,
  lesser_equal,
  lesserEqual: lesser_equal,
  eye,
  linspace,
  save,
  load,
  saveBytes,
  loadBytes,
};
