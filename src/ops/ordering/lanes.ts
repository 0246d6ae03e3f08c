/** Shape helpers shared by the ordering, indexing and reduction ops of this family. */
import type { Shape } from '../../base/shape';
import { ParamError } from '../../base/errors';
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

/**
 * Index outputs are float32 until mxts has dtypes: the dtype parameter takes MXNet's values, and
 * anything but float32 is refused with a ParamError rather than silently ignored.
 */
const INDEX_DTYPES = ['uint8', 'int32', 'int64', 'float16', 'float32', 'float64'] as const;

export function indexDtype(doc: string): ParamSpec<'float32'> {
  const spec = enumOf({ doc, values: INDEX_DTYPES, default: 'float32' });
  return {
    doc,
    default: 'float32',
    parse: (raw, site) => {
      const value = spec.parse(raw, site);
      if (value !== 'float32') {
        throw new ParamError({ ...site, actual: value, expected: 'float32' }, `'${value}' is not supported yet: mxts stores index outputs as float32 until dtypes land`);
      }
      return value;
    },
  };
}
