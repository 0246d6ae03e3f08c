/**
 * MXNet's keyword-style shapes for `simpleBind`: `simple_bind(ctx, data=(2, 5), grad_req='null')`
 * becomes `simpleBind(ctx, {data: [2, 5], gradReq: 'null'})`. Top-level keys that are not options
 * must name an argument or auxiliary state; anything else is an error naming the key (MXNet
 * silently ignores unknown names, which hides misspellings).
 */
import { BindError, didYouMean, listNames } from '../base/errors';
import type { Shape } from '../base/shape';
import type { Symbol } from '../symbol/symbol';
import type { SimpleBindOptions } from './executor';

/** `simpleBind`'s options, plus shapes by argument name at the top level. */
export type SimpleBindArgs = SimpleBindOptions & { readonly [argumentName: string]: unknown };

/** Every option key of SimpleBindOptions: tsc fails here when an option is added without being listed. */
const OPTION_KEYS: { readonly [K in keyof Required<SimpleBindOptions>]: true } = { shapes: true, typeDict: true, gradReq: true, backend: true };
const OPTIONS: readonly string[] = Object.keys(OPTION_KEYS);

/** The options with top-level shapes moved into `shapes`. */
export function keywordShapes(symbol: Symbol, args: SimpleBindArgs): SimpleBindOptions {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return args; // simpleBind reports it
  const keywords = Object.keys(args).filter((key) => !OPTIONS.includes(key));
  if (keywords.length === 0) return args;
  const names = [...symbol.listArguments(), ...symbol.listAuxiliaryStates()];
  const known = new Set(names);
  const given = args.shapes ?? {};
  const shapes: Record<string, Shape> = Object.assign(Object.create(null) as Record<string, Shape>, given);
  const options: Record<string, unknown> = {};
  for (const key of OPTIONS) if (args[key] !== undefined) options[key] = args[key];
  for (const key of keywords) {
    if (!known.has(key)) {
      throw new BindError({ op: 'simpleBind', argument: key }, `is neither an argument of the symbol nor an option${didYouMean(key, [...names, ...OPTIONS])}; arguments are ${listNames(names)}; options are ${OPTIONS.join(', ')}`);
    }
    if (Object.prototype.hasOwnProperty.call(given, key)) throw new BindError({ op: 'simpleBind', argument: key }, 'is given twice: in shapes and at the top level');
    shapes[key] = args[key] as Shape; // checked by shape inference, which names the argument
  }
  return { ...options, shapes } as SimpleBindOptions;
}
