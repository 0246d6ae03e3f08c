/**
 * Creating symbols: variables, and op application with MXNet's naming rules. Missing inputs
 * become variables named `<node>_<input>` that carry a copy of the op's attributes.
 */
import { ParamError, ValueError, listNames } from '../base/errors';
import { currentAttrScope, current as currentNameManager } from '../base/naming';
import { checkShape } from '../base/shape';
import { resolveInputs, splitCallArgs, withVariadicCount } from '../ops/call_args';
import { parseParams } from '../ops/params';
import type { AnyOpDef } from '../ops/types';
import { attrString, hiddenAttrFor, normalizeAttrs } from './attrs';
import { Entry, entry, opNode, variableNode } from './node';
import { Symbol, symbolOf } from './symbol';

/** MXNet's dtype codes as stored in `__dtype__`. */
const DTYPE_CODES: Readonly<Record<string, string>> = { float32: '0', float64: '1', float16: '2', uint8: '3', int32: '4', int8: '5', int64: '6', bool: '7' };

export interface VariableOptions {
  shape?: readonly number[];
  dtype?: string;
  /** An initializer name/JSON string, or an object with `dumps()` (mx.init classes). */
  init?: string | { dumps(): string };
  lr_mult?: number;
  wd_mult?: number;
  attr?: Readonly<Record<string, string>>;
  /** Any other `__x__` attribute. */
  [hidden: `__${string}__`]: unknown;
}

export function Variable(name: string, options: VariableOptions = {}): Symbol {
  if (typeof name !== 'string' || name === '') throw new ValueError({ op: 'Variable', argument: 'name' }, 'must be a non-empty string');
  const site = { op: 'Variable', node: name };
  const attrs: Record<string, string> = normalizeAttrs({ ...currentAttrScope(), ...(options.attr ?? {}) }, site);
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || key === 'attr') continue;
    switch (key) {
      case 'shape':
        attrs['__shape__'] = attrString(checkShape(value, { ...site, argument: 'shape' }));
        break;
      case 'dtype': {
        const code = DTYPE_CODES[String(value)];
        if (code === undefined) throw new ParamError({ ...site, argument: 'dtype' }, `must be one of ${Object.keys(DTYPE_CODES).join(', ')}, got ${String(value)}`);
        attrs['__dtype__'] = code;
        break;
      }
      case 'init':
        attrs['__init__'] = typeof value === 'string' ? value : (value as { dumps(): string }).dumps();
        break;
      case 'lr_mult':
      case 'wd_mult':
        if (typeof value !== 'number' || !Number.isFinite(value)) throw new ParamError({ ...site, argument: key }, `must be a finite number, got ${String(value)}`);
        attrs[`__${key}__`] = attrString(value);
        break;
      default:
        if (!/^__.+__$/.test(key)) throw new ParamError({ ...site, argument: key }, 'is not a Variable option (shape, dtype, init, lr_mult, wd_mult, attr, or __x__ attributes)');
        attrs[key] = attrString(value);
    }
  }
  return symbolOf(variableNode(name, attrs));
}

const isSymbol = (v: unknown): v is Symbol => v instanceof Symbol;

function singleEntry(symbol: Symbol, op: string, input: string): Entry {
  if (symbol.outputs.length !== 1) {
    throw new ValueError({ op, argument: input }, `must be a symbol with one output, got ${symbol.outputs.length} (${listNames(symbol.listOutputs())})`);
  }
  return symbol.outputs[0]!;
}

/** `mx.sym.<callName>(...)`: the hint for automatic names is the lower-cased call name. */
export function applyOp(def: AnyOpDef, callName: string, args: readonly unknown[]): Symbol {
  const { positional, named, options } = splitCallArgs(callName, args, isSymbol, []);
  const requestedName = options['name'];
  if (requestedName !== undefined && typeof requestedName !== 'string') throw new ValueError({ op: callName, argument: 'name' }, 'must be a string');
  const hiddenSite = { op: callName, node: requestedName as string | undefined };
  const userAttr = (options['attr'] ?? {}) as Record<string, unknown>;
  const paramValues: Record<string, unknown> = {};
  const attrs: Record<string, string> = normalizeAttrs({ ...currentAttrScope(), ...userAttr }, hiddenSite);
  for (const [key, value] of Object.entries(withVariadicCount(def, options, positional.length))) {
    if (key === 'name' || key === 'attr') continue;
    const hidden = Object.prototype.hasOwnProperty.call(def.params, key) ? undefined : hiddenAttrFor(key, hiddenSite);
    if (hidden !== undefined) attrs[hidden] = attrString(value);
    else paramValues[key] = value;
  }
  const name = currentNameManager().get(requestedName as string | undefined, callName.toLowerCase());
  const params = parseParams(def.params, paramValues, { op: callName, node: name });
  for (const key of Object.keys(paramValues)) attrs[key] = attrString(paramValues[key]);
  const inputs = resolveInputs(def, callName, params, positional, named, name);
  const inputNames = def.inputs(params);
  // Implicit inputs copy the op's attributes; some ops add an initializer (MXNet's
  // FSetInputVarAttrOnCompose). Variables the user passed are left as they are (nodes are frozen).
  const entries = inputs.map((input, i) => {
    if (input) return singleEntry(input, callName, inputNames[i]!);
    const init = def.inputVarInit?.[i];
    const varAttrs = init !== undefined && attrs['__init__'] === undefined ? { ...attrs, __init__: init } : attrs;
    return entry(variableNode(name ? `${name}_${inputNames[i]}` : inputNames[i]!, varAttrs));
  });
  return symbolOf(opNode(def, name, attrs, params, entries));
}
