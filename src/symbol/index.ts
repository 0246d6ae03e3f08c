/** The `mx.sym` namespace: Variable, Group, and one function per registered op. */
import '../ops/all';
import { getOp } from '../ops/registry';
import { MULTI_OUTPUT_OPS, SINGLE_OUTPUT_OPS } from '../ops/op_names';
import type { SymOps as TypedSymOps } from '../ops/op_call_types';
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

/** Each op with its parameters typed from the registry (src/ops/op_call_types.ts, generated types). */
type SymOps = TypedSymOps;

function generateOps(): SymOps {
  const ops: Record<string, SymOp> = {};
  for (const name of [...SINGLE_OUTPUT_OPS, ...(MULTI_OUTPUT_OPS as readonly string[])]) {
    ops[name] = (...args: SymArg[]) => applyOp(getOp(name), name, args);
  }
  return ops as unknown as SymOps;
}

/**
 * `mx.sym` (also `mx.symbol`): variables, every operator symbolically, `Group`, and symbol JSON
 * I/O (MXNet's `mx.sym`). Each operator's inputs, parameters and defaults are listed in
 * [the operator list](../../docs/operators.md).
 *
 * @example
 * ```ts
 * const data = mx.sym.Variable('data');
 * const fc = mx.sym.FullyConnected(data, { num_hidden: 3, name: 'fc' });
 * const net = mx.sym.SoftmaxOutput(fc, { name: 'softmax' });
 * net.listArguments();                         // ['data', 'fc_weight', 'fc_bias', 'softmax_label']
 * net.inferShape({ data: [8, 4] }).outShapes;  // [[8, 3]]
 * const again = mx.sym.fromJSON(net.toJSON());
 * ```
 */
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
