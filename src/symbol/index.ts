/** The `mx.sym` namespace: Variable, Group, and one function per registered op. */
import '../ops/all';
import { getOp } from '../ops/registry';
import { MULTI_OUTPUT_OPS, MultiOutputOpName, SINGLE_OUTPUT_OPS, SingleOutputOpName } from '../ops/op_names';
import { Variable, applyOp } from './apply_op';
import { fromJSON, load } from './json';
import { Symbol, group } from './symbol';
import { random } from './random';
import { arange, eye, full, hypot, linspace, maximum, minimum, ones, pow, zeros } from './module_functions';

export { Symbol } from './symbol';
export type { VariableOptions } from './apply_op';

/** Inputs positionally, then one trailing object of parameters (or inputs by name). */
export type SymArg = Symbol | readonly Symbol[] | Readonly<Record<string, unknown>>;
export type SymOp = (...args: SymArg[]) => Symbol;

type SymOps = { readonly [K in SingleOutputOpName | MultiOutputOpName]: SymOp };

function generateOps(): SymOps {
  const ops: Record<string, SymOp> = {};
  for (const name of [...SINGLE_OUTPUT_OPS, ...(MULTI_OUTPUT_OPS as readonly string[])]) {
    ops[name] = (...args: SymArg[]) => applyOp(getOp(name), name, args);
  }
  return ops as SymOps;
}

export const sym = {
  ...generateOps(),
  Symbol,
  Variable,
  var: Variable,
  Group: group,
  fromJSON,
  loadJson: fromJSON,
  load,
  random,
  pow,
  power: pow,
  maximum,
  minimum,
  hypot,
  zeros,
  ones,
  full,
  arange,
  linspace,
  eye,
};
