/**
 * Maps a legacy `_v1` op's parameters onto the parameter object of its modern counterpart. The v1
 * ops make it once per node in their state and run the modern op with it.
 */
import type { ParamSchema, ParamsOf } from '../params';
import { parseParams } from '../params';

export function modernParamsOf<V extends object, S extends ParamSchema>(
  schema: S,
  op: string,
  map: (v1: V) => Readonly<Record<string, unknown>>,
): (v1: V) => ParamsOf<S> {
  return (v1) => parseParams(schema, map(v1), { op });
}
