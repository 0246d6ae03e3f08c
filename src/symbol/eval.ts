/**
 * `Symbol.eval({ctx, ...arrays})`: MXNet's bind-then-forward in one call, returning the outputs.
 * No gradients are allocated (gradReq 'null').
 */
import { Context, cpu } from '../base/context';
import { BindError, didYouMean, listNames } from '../base/errors';
import { NDArray } from '../ndarray/ndarray';
import type { Symbol } from './symbol';

/** The context under `ctx` and the input arrays by argument (or auxiliary state) name. */
export type EvalArgs = { readonly ctx?: Context } & { readonly [name: string]: NDArray | Context | undefined };

export function evalSymbol(symbol: Symbol, args: EvalArgs): NDArray[] {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new BindError({ op: 'eval', argument: 'args' }, 'must be a record {ctx?, argument name -> NDArray}');
  }
  const { ctx = cpu(), ...arrays } = args;
  const argNames = symbol.listArguments();
  const auxNames = symbol.listAuxiliaryStates();
  const isAux = new Set(auxNames);
  const known = new Set([...argNames, ...auxNames]);
  const argArrays = Object.create(null) as Record<string, NDArray>;
  const auxArrays = Object.create(null) as Record<string, NDArray>;
  for (const [name, value] of Object.entries(arrays)) {
    // MXNet ignores names it does not need; a misspelt name is far likelier here, so it is an error.
    if (!known.has(name)) throw new BindError({ op: 'eval', argument: name }, `is not an argument of the symbol${didYouMean(name, [...known])}; its arguments are ${listNames(argNames)}`);
    if (!(value instanceof NDArray)) throw new BindError({ op: 'eval', argument: name }, `must be an NDArray, got ${value === null ? 'null' : typeof value}`);
    (isAux.has(name) ? auxArrays : argArrays)[name] = value;
  }
  const exec = symbol.bind(ctx as Context, argArrays, { gradReq: 'null', auxStates: auxArrays });
  return [...exec.forward(false)];
}
