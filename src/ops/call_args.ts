/**
 * How front-end calls are read, for `mx.nd.X` and `mx.sym.X` alike:
 * `Op(a, b, {param: 1})`, `Op({data: a, label: b, param: 1})` or a mix of both.
 */
import { ValueError, listNames } from '../base/errors';
import type { AnyOpDef } from './types';

export interface CallArgs<T> {
  positional: T[];
  named: Record<string, T>;
  options: Record<string, unknown>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function splitCallArgs<T>(op: string, args: readonly unknown[], isInput: (v: unknown) => v is T, inputNames: readonly string[]): CallArgs<T> {
  const positional: T[] = [];
  const named: Record<string, T> = {};
  const options: Record<string, unknown> = {};
  args.forEach((arg, position) => {
    if (isInput(arg)) {
      positional.push(arg);
    } else if (isPlainObject(arg) && position === args.length - 1) {
      for (const [key, value] of Object.entries(arg)) {
        if (isInput(value)) named[key] = value;
        else if (value !== undefined) options[key] = value;
      }
    } else if (Array.isArray(arg) && arg.every((item) => isInput(item))) {
      positional.push(...arg); // variadic ops take their inputs as a list too
    } else {
      throw new ValueError({ op, argument: inputNames[position] ?? `argument ${position}` }, `must be an input array or symbol (parameters go in one trailing object), got ${arg === null ? 'null' : typeof arg}`);
    }
  });
  return { positional, named, options };
}

export function resolveInputs<T>(def: AnyOpDef, callName: string, params: unknown, positional: T[], named: Record<string, T>, node: string | undefined): (T | undefined)[] {
  const names = def.inputs(params);
  if (positional.length > names.length) {
    throw new ValueError({ op: callName, node }, `takes ${names.length} inputs (${listNames(names)}) but ${positional.length} were given`);
  }
  const resolved: (T | undefined)[] = names.map((_, i) => positional[i]);
  for (const [key, value] of Object.entries(named)) {
    const index = names.indexOf(key);
    if (index < 0) throw new ValueError({ op: callName, node, argument: key }, `is not an input of ${callName}; its inputs are ${listNames(names)}`);
    if (resolved[index] !== undefined) throw new ValueError({ op: callName, node, argument: key }, `is given twice (by position and by name)`);
    resolved[index] = value;
  }
  return resolved;
}

/** Fills the count parameter of variadic ops (Concat's num_args) from the inputs given. */
export function withVariadicCount(def: AnyOpDef, options: Record<string, unknown>, count: number): Record<string, unknown> {
  if (def.variadicParam === undefined || options[def.variadicParam] !== undefined) return options;
  return { ...options, [def.variadicParam]: count };
}

