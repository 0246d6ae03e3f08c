/** The operator registry: canonical names and aliases to definitions. Duplicates are errors. */
import { didYouMean, ValueError } from '../base/errors';
import type { ParamSchema } from './params';
import type { AnyOpDef, TypedOpDef } from './types';

const byName = new Map<string, AnyOpDef>();

/** Typed constructor for an op definition: infers the params type from the schema. */
export function defineOp<S extends ParamSchema, St = undefined>(def: TypedOpDef<S, St>): TypedOpDef<S, St> {
  return Object.freeze(def);
}

export function registerOp(def: AnyOpDef): void {
  for (const name of [def.name, ...(def.aliases ?? [])]) {
    if (byName.has(name)) throw new ValueError({ op: name }, `is registered twice`);
    byName.set(name, def);
  }
}

export function findOp(name: string): AnyOpDef | undefined {
  return byName.get(name);
}

export function getOp(name: string): AnyOpDef {
  const def = byName.get(name);
  if (!def) throw new ValueError({ op: name }, `is not a registered operator${didYouMean(name, [...byName.keys()])}`);
  return def;
}

/** Every registered name (aliases included), each with its definition. */
export function registeredNames(): ReadonlyMap<string, AnyOpDef> {
  return byName;
}
