/** Array and argument helpers of Module: shape specs, padded rows, concatenation. */
import { ValueError } from '../base/errors';
import { Shape, sizeOf } from '../base/shape';
import { NDArray } from '../ndarray/ndarray';
import type { ShapeSpec } from './types';

export const asList = <T>(x: T | readonly T[] | undefined): readonly T[] => (x === undefined ? [] : Array.isArray(x) ? (x as readonly T[]) : [x as T]);

export function shapeEntries(spec: ShapeSpec | null | undefined, what: string): [string, Shape][] {
  if (spec === null || spec === undefined) return [];
  if (Array.isArray(spec)) {
    return spec.map((item) => {
      if (Array.isArray(item)) return [item[0] as string, item[1] as Shape];
      const desc = item as { name: string; shape: Shape };
      if (typeof desc.name !== 'string' || !Array.isArray(desc.shape)) throw new ValueError({ op: 'Module.bind', argument: what }, 'entries must be {name, shape} or [name, shape]');
      return [desc.name, desc.shape];
    });
  }
  return Object.entries(spec as Readonly<Record<string, Shape>>);
}

/** The first `rows` rows of an array, as a view. */
export function headRows(arr: NDArray, rows: number): NDArray {
  if (arr.ndim === 0 || rows === arr.shape[0]) return arr;
  const rowSize = sizeOf(arr.shape.slice(1));
  return new NDArray(arr.data.subarray(0, rows * rowSize), [rows, ...arr.shape.slice(1)]);
}

export function concatRows(parts: readonly NDArray[]): NDArray {
  const first = parts[0]!;
  const total = parts.reduce((n, p) => n + p.shape[0]!, 0);
  const out = new Float32Array(parts.reduce((n, p) => n + p.size, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p.data, offset);
    offset += p.size;
  }
  return new NDArray(out, [total, ...first.shape.slice(1)]);
}
