/**
 * Comparisons and logic (elemwise_binary_op_logic.cc, elemwise_binary_broadcast_op_logic.cc):
 * 1 where the relation holds, else 0, as float32. MXNet's gradients are zeros for both inputs.
 * C truthiness: any non-zero value, NaN included, is true; every comparison with NaN is false
 * except not_equal.
 */
import type { BinaryFunction } from '../../backend/reference/binary_math';
import type { AnyOpDef } from '../types';
import { binaryOp } from './binary';

/** Function, elemwise name, its legacy alias, and the relation it tests. */
const LOGIC: readonly (readonly [BinaryFunction, string, string, string])[] = [
  ['equal', '_equal', '_Equal', 'lhs == rhs'],
  ['not_equal', '_not_equal', '_Not_Equal', 'lhs != rhs'],
  ['greater', '_greater', '_Greater', 'lhs > rhs'],
  ['greater_equal', '_greater_equal', '_Greater_Equal', 'lhs >= rhs'],
  ['lesser', '_lesser', '_Lesser', 'lhs < rhs'],
  ['lesser_equal', '_lesser_equal', '_Lesser_Equal', 'lhs <= rhs'],
  ['logical_and', '_logical_and', '_Logical_And', 'lhs and rhs are both non-zero'],
  ['logical_or', '_logical_or', '_Logical_Or', 'lhs or rhs is non-zero'],
  ['logical_xor', '_logical_xor', '_Logical_Xor', 'exactly one of lhs and rhs is non-zero'],
];

export const logicOps: readonly AnyOpDef[] = LOGIC.flatMap(([fn, name, alias, relation]) => {
  const formula = `out = 1 where ${relation}, else 0; gradients are zero`;
  return [binaryOp(name, [alias], fn, formula, false, 'zero'), binaryOp(`broadcast_${fn}`, [], fn, formula, true, 'zero')];
});
