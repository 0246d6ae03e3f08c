/** The `mx.nd` namespace: creation functions, arithmetic, and one function per registered op. */
import '../ops/all';
import { getOp } from '../ops/registry';
import { MULTI_OUTPUT_OPS, MultiOutputOpName, SINGLE_OUTPUT_OPS, SingleOutputOpName } from '../ops/op_names';
import { array, arange, empty, full, ones, onesLike, zeros, zerosLike } from './creation';
import { random } from './random';
import { invoke } from './invoke';
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

const add = (a: NDArray, b: NDArray | number) => a.add(b);
const sub = (a: NDArray, b: NDArray | number) => a.sub(b);
const mul = (a: NDArray, b: NDArray | number) => a.mul(b);
const div = (a: NDArray, b: NDArray | number) => a.div(b);

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
  sub,
  mul,
  div,
  subtract: sub,
  multiply: mul,
  divide: div,
  save,
  load,
  saveBytes,
  loadBytes,
};
