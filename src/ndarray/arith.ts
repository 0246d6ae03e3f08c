/**
 * MXNet's `_ufunc_helper` (ndarray.py): a binary function of arrays and numbers dispatches to the
 * broadcast op for two arrays, the scalar op for array-number, and the reflected scalar op for
 * number-array (the same scalar op when the function is symmetric); two numbers compute in JS.
 */
import { ValueError } from '../base/errors';
import { invokeByName } from './invoke';
import { NDArray } from './ndarray';

export interface UfuncSpec {
  /** The function's name for errors (`add`, `greater`...). */
  name: string;
  broadcastOp: string;
  scalarOp: string;
  /** `number op array` as `reflectedOp(array, scalar)`; defaults to scalarOp (symmetric functions). */
  reflectedOp?: string;
  numbers: (a: number, b: number) => number;
}

const bool = (v: boolean) => (v ? 1 : 0);

/** MXNet's mx.nd.<name> ufuncs, keyed by name. */
export const UFUNCS = {
  add: { name: 'add', broadcastOp: 'broadcast_add', scalarOp: '_plus_scalar', numbers: (a, b) => a + b },
  subtract: { name: 'subtract', broadcastOp: 'broadcast_sub', scalarOp: '_minus_scalar', reflectedOp: '_rminus_scalar', numbers: (a, b) => a - b },
  multiply: { name: 'multiply', broadcastOp: 'broadcast_mul', scalarOp: '_mul_scalar', numbers: (a, b) => a * b },
  divide: { name: 'divide', broadcastOp: 'broadcast_div', scalarOp: '_div_scalar', reflectedOp: '_rdiv_scalar', numbers: (a, b) => a / b },
  modulo: { name: 'modulo', broadcastOp: 'broadcast_mod', scalarOp: '_mod_scalar', reflectedOp: '_rmod_scalar', numbers: (a, b) => a - Math.floor(a / b) * b },
  power: { name: 'power', broadcastOp: 'broadcast_power', scalarOp: '_power_scalar', reflectedOp: '_rpower_scalar', numbers: (a, b) => a ** b },
  maximum: { name: 'maximum', broadcastOp: 'broadcast_maximum', scalarOp: '_maximum_scalar', numbers: (a, b) => (a > b ? a : b) },
  minimum: { name: 'minimum', broadcastOp: 'broadcast_minimum', scalarOp: '_minimum_scalar', numbers: (a, b) => (a < b ? a : b) },
  hypot: { name: 'hypot', broadcastOp: 'broadcast_hypot', scalarOp: '_hypot_scalar', numbers: (a, b) => Math.hypot(a, b) },
  equal: { name: 'equal', broadcastOp: 'broadcast_equal', scalarOp: '_equal_scalar', numbers: (a, b) => bool(a === b) },
  not_equal: { name: 'not_equal', broadcastOp: 'broadcast_not_equal', scalarOp: '_not_equal_scalar', numbers: (a, b) => bool(a !== b) },
  greater: { name: 'greater', broadcastOp: 'broadcast_greater', scalarOp: '_greater_scalar', reflectedOp: '_lesser_scalar', numbers: (a, b) => bool(a > b) },
  greater_equal: { name: 'greater_equal', broadcastOp: 'broadcast_greater_equal', scalarOp: '_greater_equal_scalar', reflectedOp: '_lesser_equal_scalar', numbers: (a, b) => bool(a >= b) },
  lesser: { name: 'lesser', broadcastOp: 'broadcast_lesser', scalarOp: '_lesser_scalar', reflectedOp: '_greater_scalar', numbers: (a, b) => bool(a < b) },
  lesser_equal: { name: 'lesser_equal', broadcastOp: 'broadcast_lesser_equal', scalarOp: '_lesser_equal_scalar', reflectedOp: '_greater_equal_scalar', numbers: (a, b) => bool(a <= b) },
} as const satisfies Record<string, UfuncSpec>;

export type UfuncName = keyof typeof UFUNCS;

export function ufunc(spec: UfuncSpec, lhs: NDArray | number, rhs: NDArray | number): NDArray | number {
  const isArray = (v: unknown): v is NDArray => v instanceof NDArray;
  if (isArray(lhs) && isArray(rhs)) return invokeByName(spec.broadcastOp, [lhs, rhs], {}) as NDArray;
  if (isArray(lhs) && typeof rhs === 'number') return invokeByName(spec.scalarOp, [lhs], { scalar: rhs }) as NDArray;
  if (typeof lhs === 'number' && isArray(rhs)) return invokeByName(spec.reflectedOp ?? spec.scalarOp, [rhs], { scalar: lhs }) as NDArray;
  if (typeof lhs === 'number' && typeof rhs === 'number') return spec.numbers(lhs, rhs);
  throw new ValueError({ op: spec.name, argument: isArray(lhs) || typeof lhs === 'number' ? 'rhs' : 'lhs' }, 'must be an NDArray or a number');
}

/** `mx.nd.<name>(lhs, rhs)`: an NDArray when either side is one, a number for two numbers. */
type Ufunc = {
  (lhs: NDArray, rhs: NDArray | number): NDArray;
  (lhs: NDArray | number, rhs: NDArray): NDArray;
  (lhs: number, rhs: number): number;
  (lhs: NDArray | number, rhs: NDArray | number): NDArray | number;
};

function makeUfunc(spec: UfuncSpec): Ufunc {
  return ((lhs: NDArray | number, rhs: NDArray | number) => ufunc(spec, lhs, rhs)) as Ufunc;
}

export const ndUfuncs: { readonly [K in UfuncName]: Ufunc } = Object.fromEntries(
  Object.entries(UFUNCS).map(([name, spec]) => [name, makeUfunc(spec)]),
) as { readonly [K in UfuncName]: Ufunc };
