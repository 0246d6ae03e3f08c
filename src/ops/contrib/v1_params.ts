/**
 * Maps a legacy `_v1` op's parameters onto the parameter object of its modern counterpart, once
 * per params object: the modern ops cache derived geometry by the identity of their params.
 */
import type { ParamSchema, ParamsOf } from '../params';
import { parseParams } from '../params';

export function modernParamsOf<V extends object, S extends ParamSchema>(
  schema: S,
  op: string,
  map: (v1: V) => Readonly<Record<string, unknown>>,
): (v1: V) => ParamsOf<S> {
  const cache = new WeakMap<V, ParamsOf<S>>();
  return (v1) => {
    let modern = cache.get(v1);
    if (!modern) cache.set(v1, (modern = parseParams(schema, map(v1), { op })));
    return modern;
  };
}
