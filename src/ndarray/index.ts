/** The `mx.nd` namespace: creation functions, arithmetic, and one function per registered op. */
import '../ops/all';
import { getOp } from '../ops/registry';
import { MULTI_OUTPUT_OPS, MultiOutputOpName, SINGLE_OUTPUT_OPS, SingleOutputOpName } from '../ops/op_names';
import { array, arange, empty, full, ones, onesLike, zeros, zerosLike } from './creation';
import { random } from './random';
import { invoke, invokeByName } from './invoke';
import { ndUfuncs } from './arith';
import { NDArray } from './ndarray';
import { load, loadBytes, save, saveBytes } from './serialize';

export { NDArray } from './ndarray';
export type { DType, NestedArray } from './ndarray';

/** Inputs positionally, then one trailing object of parameters (or inputs by name). */
export type NdArg = NDArray | readonly NDArray[] | Readonly<Record<string, unknown>>;
export type NdOp = (...args: NdArg[]) => NDArray;
export type NdMultiOp = (...args: NdArg[]) => NDArray[];

type NdOps = { readonly [K in SingleOutputOpName]: NdOp } & { readonly [K in MultiOutputOpName]: NdMultiOp };

function generateOps(): NdOps {
  const ops: Record<string, unknown> = {};
  for (const name of SINGLE_OUTPUT_OPS) ops[name] = (...args: NdArg[]) => invoke(getOp(name), name, args);
  for (const name of MULTI_OUTPUT_OPS as readonly string[]) {
    ops[name] = (...args: NdArg[]) => {
      const result = invoke(getOp(name), name, args);
      return Array.isArray(result) ? result : [result];
    };
  }
  return ops as NdOps;
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
