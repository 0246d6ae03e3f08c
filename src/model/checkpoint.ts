/**
 * `mx.model.save_checkpoint` / `load_checkpoint`: `prefix-symbol.json` plus
 * `prefix-%04d.params`, whose names are `arg:<argument>` and `aux:<auxiliary state>`.
 */
import { FormatError, ValueError } from '../base/errors';
import { NDArray } from '../ndarray/ndarray';
import { load as loadArrays, save as saveArrays } from '../ndarray/serialize';
import { load as loadSymbol, save as saveSymbol } from '../symbol/json';
import type { Symbol } from '../symbol/symbol';

/** What {@link loadCheckpoint} returns: the symbol and its parameters, split into arguments and auxiliary states. */
export interface Checkpoint {
  symbol: Symbol;
  /** Prototype-free records, so parameter names such as `__proto__` are ordinary keys. */
  argParams: Record<string, NDArray>;
  auxParams: Record<string, NDArray>;
}

/** Python's `'%04d' % epoch`. */
function epochSuffix(epoch: number): string {
  if (!Number.isInteger(epoch)) throw new ValueError({ op: 'saveCheckpoint', argument: 'epoch' }, `must be an integer, got ${epoch}`);
  const digits = String(Math.abs(epoch));
  return epoch < 0 ? `-${digits.padStart(3, '0')}` : digits.padStart(4, '0');
}

/** MXNet's parameter file name for a checkpoint: `paramsPath('net', 3)` is `'net-0003.params'`. */
export function paramsPath(prefix: string, epoch: number): string {
  return `${prefix}-${epochSuffix(epoch)}.params`;
}

/** MXNet's symbol file name for a checkpoint: `symbolPath('net')` is `'net-symbol.json'`. */
export function symbolPath(prefix: string): string {
  return `${prefix}-symbol.json`;
}

function checkParams(params: Readonly<Record<string, NDArray>>, argument: string): void {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new ValueError({ op: 'saveCheckpoint', argument }, 'must be a record of NDArrays (name -> array)');
  }
  for (const name of Object.keys(params)) {
    if (!(params[name] instanceof NDArray)) throw new ValueError({ op: 'saveCheckpoint', argument: `${argument}.${name}` }, 'must be an NDArray');
  }
}

/**
 * Writes `prefix-symbol.json` and `prefix-%04d.params` (arguments first, then auxiliary states).
 *
 * @example
 * ```ts
 * const [argParams, auxParams] = mod.getParams();
 * mx.model.saveCheckpoint('/tmp/net', 3, net, argParams, auxParams); // net-symbol.json, net-0003.params
 * ```
 */
export function saveCheckpoint(
  prefix: string,
  epoch: number,
  symbol: Symbol,
  argParams: Readonly<Record<string, NDArray>>,
  auxParams: Readonly<Record<string, NDArray>> = {},
): void {
  checkParams(argParams, 'argParams');
  checkParams(auxParams, 'auxParams');
  const path = paramsPath(prefix, epoch);
  saveSymbol(symbol, symbolPath(prefix));
  const entries: [string, NDArray][] = [
    ...Object.keys(argParams).map((k): [string, NDArray] => [`arg:${k}`, argParams[k]!]),
    ...Object.keys(auxParams).map((k): [string, NDArray] => [`aux:${k}`, auxParams[k]!]),
  ];
  const all = Object.create(null) as Record<string, NDArray>;
  for (const [k, v] of entries) all[k] = v;
  saveArrays(path, all);
}

/** Splits a loaded `.params` record at the first `:` into arguments and auxiliary states. */
export function splitParams(loaded: NDArray[] | Record<string, NDArray>, source: string): { argParams: Record<string, NDArray>; auxParams: Record<string, NDArray> } {
  if (Array.isArray(loaded)) throw new FormatError({ op: 'loadCheckpoint' }, `${source}: holds an unnamed list of arrays, not arg:/aux: parameters`);
  const argParams = Object.create(null) as Record<string, NDArray>;
  const auxParams = Object.create(null) as Record<string, NDArray>;
  for (const key of Object.keys(loaded)) {
    const colon = key.indexOf(':');
    if (colon < 0) throw new FormatError({ op: 'loadCheckpoint', argument: key }, `${source}: parameter name '${key}' has no arg:/aux: prefix`);
    const kind = key.slice(0, colon);
    if (kind === 'arg') argParams[key.slice(colon + 1)] = loaded[key]!;
    else if (kind === 'aux') auxParams[key.slice(colon + 1)] = loaded[key]!;
  }
  return { argParams, auxParams };
}

/**
 * Reads what `saveCheckpoint` (or MXNet's `save_checkpoint`) wrote.
 *
 * @example
 * ```ts
 * const { symbol, argParams, auxParams } = mx.model.loadCheckpoint('/tmp/net', 3);
 * const exec = symbol.bind(mx.cpu(), { ...argParams, data: mx.nd.ones([1, 4]) }, { auxStates: auxParams, gradReq: 'null' });
 * ```
 */
export function loadCheckpoint(prefix: string, epoch: number): Checkpoint {
  const symbol = loadSymbol(symbolPath(prefix));
  const path = paramsPath(prefix, epoch);
  return { symbol, ...splitParams(loadArrays(path), path) };
}
