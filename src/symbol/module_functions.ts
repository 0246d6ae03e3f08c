/**
 * symbol.py's module-level functions: `pow`/`power`, `maximum`, `minimum`, `hypot` dispatch on
 * symbol and number arguments (two numbers compute in JS), and the creation functions `zeros`,
 * `ones`, `full`, `arange`, `linspace`, `eye` build the `_zeros`... nodes with MXNet's defaults.
 */
import { ValueError } from '../base/errors';
import { pyNumberStr } from '../base/pystr';
import { getOp } from '../ops/registry';
import { applyOp } from './apply_op';
import { Symbol } from './symbol';

type Params = Readonly<Record<string, unknown>>;

function call(op: string, args: readonly unknown[]): Symbol {
  return applyOp(getOp(op), op, args);
}

interface BinarySpec {
  name: string;
  symbolOp: string;
  scalarOp: string;
  /** `number op symbol` as `reflectedOp(symbol, scalar)`; scalarOp when symmetric. */
  reflectedOp?: string;
  numbers: (a: number, b: number) => number;
}

type Binary = {
  (lhs: Symbol, rhs: Symbol | number): Symbol;
  (lhs: Symbol | number, rhs: Symbol): Symbol;
  (lhs: number, rhs: number): number;
  (lhs: Symbol | number, rhs: Symbol | number): Symbol | number;
};

function binary(spec: BinarySpec): Binary {
  return ((lhs: Symbol | number, rhs: Symbol | number): Symbol | number => {
    if (lhs instanceof Symbol && rhs instanceof Symbol) return call(spec.symbolOp, [lhs, rhs]);
    if (lhs instanceof Symbol && typeof rhs === 'number') return call(spec.scalarOp, [lhs, { scalar: rhs }]);
    if (typeof lhs === 'number' && rhs instanceof Symbol) return call(spec.reflectedOp ?? spec.scalarOp, [rhs, { scalar: lhs }]);
    if (typeof lhs === 'number' && typeof rhs === 'number') return spec.numbers(lhs, rhs);
    throw new ValueError({ op: spec.name, argument: lhs instanceof Symbol || typeof lhs === 'number' ? 'rhs' : 'lhs' }, 'must be a Symbol or a number');
  }) as Binary;
}

export const pow = binary({ name: 'pow', symbolOp: '_Power', scalarOp: '_PowerScalar', reflectedOp: '_RPowerScalar', numbers: (a, b) => a ** b });
export const maximum = binary({ name: 'maximum', symbolOp: '_Maximum', scalarOp: '_MaximumScalar', numbers: (a, b) => (a > b ? a : b) });
export const minimum = binary({ name: 'minimum', symbolOp: '_Minimum', scalarOp: '_MinimumScalar', numbers: (a, b) => (a < b ? a : b) });
export const hypot = binary({ name: 'hypot', symbolOp: '_Hypot', scalarOp: '_HypotScalar', numbers: (a, b) => Math.hypot(a, b) });

/** Python's `str(float(v))`: `2.0`, `0.5`, `1e+16`. */
function pyFloat(value: number): string {
  const text = pyNumberStr(value);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

/** MXNet passes `dtype=None` as float32. */
const dtypeOf = (dtype: string | undefined) => dtype ?? 'float32';

/** `mx.sym.zeros(shape, dtype)`: a `_zeros` node (`_zeros0`). */
export function zeros(shape: readonly number[] | number, dtype?: string, params: Params = {}): Symbol {
  return call('_zeros', [{ shape, dtype: dtypeOf(dtype), ...params }]);
}

export function ones(shape: readonly number[] | number, dtype?: string, params: Params = {}): Symbol {
  return call('_ones', [{ shape, dtype: dtypeOf(dtype), ...params }]);
}

/** `mx.sym.full(shape, val, dtype)`: `_full` with `value` stored as Python's float (`"2.0"`). */
export function full(shape: readonly number[] | number, value: number, dtype?: string, params: Params = {}): Symbol {
  if (typeof value !== 'number') throw new ValueError({ op: 'full', argument: 'val' }, `must be a number, got ${typeof value}`);
  return call('_full', [{ shape, dtype: dtypeOf(dtype), value: pyFloat(value), ...params }]);
}

export interface ArangeOptions {
  repeat?: number;
  inferRange?: boolean;
  name?: string;
  dtype?: string;
}

/** `mx.sym.arange(start, stop=None, step=1.0, repeat=1, infer_range=False, name, dtype)`. */
export function arange(start: number, stop: number | null = null, step?: number, options: ArangeOptions = {}): Symbol {
  const name = options.name === undefined ? {} : { name: options.name };
  return call('_arange', [{
    start, stop, step: step ?? '1.0', repeat: options.repeat ?? 1,
    infer_range: options.inferRange ?? false, ...name, dtype: dtypeOf(options.dtype),
  }]);
}

/** `mx.sym.linspace(start, stop, num, endpoint=True, name, dtype)`. */
export function linspace(start: number, stop: number, num: number, endpoint = true, options: { name?: string; dtype?: string } = {}): Symbol {
  const name = options.name === undefined ? {} : { name: options.name };
  return call('_linspace', [{ start, stop, num, endpoint, ...name, dtype: dtypeOf(options.dtype) }]);
}

/** `mx.sym.eye(N, M=0, k=0, dtype)`. */
export function eye(N: number, M = 0, k = 0, dtype?: string, params: Params = {}): Symbol {
  return call('_eye', [{ N, M, k, dtype: dtypeOf(dtype), ...params }]);
}
