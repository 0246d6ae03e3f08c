/** Shape helpers shared by the ordering, indexing and reduction ops of this family. */
import type { Shape } from '../../base/shape';
import { enumOf, ParamSpec } from '../params';
import type { ShapeSite } from '../types';

/** A tensor seen as (outer, n, inner) around `axis`, the layout the ordering kernels use. */
export interface Lanes {
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
}

export function lanesAround(shape: Shape, axis: number): Lanes {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return { outer, n: shape[axis]!, inner };
}

/** The whole tensor as one lane (axis=None). */
export function flatLanes(shape: Shape): Lanes {
  return { outer: 1, n: shape.reduce((p, d) => p * d, 1), inner: 1 };
}

/**
 * Which axes a reduction folds: `axes` null or empty means all; negative axes count from the end.
 * Out-of-range or repeated axes fail at `site` (kernels call it without a site, after inference).
 */
export function reducedMask(axes: readonly number[] | null, ndim: number, site?: ShapeSite, argument = 'axis'): boolean[] {
  if (axes === null || axes.length === 0) return new Array<boolean>(ndim).fill(true);
  const marked = new Array<boolean>(ndim).fill(false);
  for (const a of axes) {
    const axis = a < 0 ? a + ndim : a;
    if (axis < 0 || axis >= ndim) site?.fail(argument, `${a} is out of range for ${ndim}-d input (allowed: ${-ndim} to ${ndim - 1})`, ndim, axes);
    else if (marked[axis]) site?.fail(argument, `(${axes.join(',')}) names axis ${axis} twice`, ndim, axes);
    marked[axis] = true;
  }
  return marked;
}

/** MXNet's reduced shape: reduced axes dropped (or kept as 1); all dropped gives (1,). */
export function reducedShape(shape: Shape, reduced: readonly boolean[], keepdims: boolean): Shape {
  const out = keepdims ? shape.map((d, i) => (reduced[i] ? 1 : d)) : shape.filter((_, i) => !reduced[i]);
  return out.length === 0 ? [1] : out;
}

/** The dtype of index outputs (argsort, topk): MXNet's values, float32 by default. */
const INDEX_DTYPES = ['uint8', 'int32', 'int64', 'float16', 'float32', 'float64'] as const;

export function indexDtype(doc: string): ParamSpec<(typeof INDEX_DTYPES)[number]> {
  return enumOf({ doc, values: INDEX_DTYPES, default: 'float32' });
}
