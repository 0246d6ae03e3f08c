/**
 * Kernels of the older tensor ops: Embedding's row lookup, clip, Cast's integer conversions,
 * one_hot, argmax, and the axis reductions (sum, mean, max, min, prod, nansum, nanprod) by name.
 */
import { broadcastStrides, Shape, stridesOf } from '../../base/shape';
import type { Req } from '../../base/req';
import type { AxisView } from '../geometry';
import { forEachBroadcast } from './elementwise';

/** MXNet's `take` with mode clip: indices are truncated toward zero, then clipped to [0, rows-1]. */
function clippedRow(index: number, rows: number): number {
  const k = Math.trunc(index);
  return k < 0 ? 0 : k >= rows ? rows - 1 : k;
}

/** out[i, :] (req)= weight[row(indices[i]), :] for a (rows, dim) weight. */
function embeddingLookup(indices: Float32Array, weight: Float32Array, rows: number, dim: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const add = req === 'add';
  for (let i = 0; i < indices.length; i++) {
    const src = clippedRow(indices[i]!, rows) * dim;
    for (let j = 0; j < dim; j++) out[i * dim + j] = add ? out[i * dim + j]! + weight[src + j]! : weight[src + j]!;
  }
}

/** dweight[row(indices[i]), :] += g[i, :] in index order (zeroed first under write). */
function embeddingGrad(indices: Float32Array, g: Float32Array, rows: number, dim: number, dweight: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') dweight.fill(0);
  for (let i = 0; i < indices.length; i++) {
    const dst = clippedRow(indices[i]!, rows) * dim;
    for (let j = 0; j < dim; j++) dweight[dst + j]! += g[i * dim + j]!;
  }
}

/** out (req)= min(max(x, lo), hi); lo and hi already rounded to float32 by the caller. */
function clipValues(x: Float32Array, lo: number, hi: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let i = 0; i < out.length; i++) {
    const v = Math.min(Math.max(x[i]!, lo), hi);
    out[i] = req === 'add' ? out[i]! + v : v;
  }
}

/** dx (req)= g where lo <= x <= hi, else 0. */
function clipGrad(x: Float32Array, lo: number, hi: number, g: Float32Array, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let i = 0; i < dx.length; i++) {
    const v = x[i]! < lo || x[i]! > hi ? 0 : g[i]!;
    dx[i] = req === 'add' ? dx[i]! + v : v;
  }
}

const wrap = (bits: number, signed: boolean) => (x: number) => {
  const span = 2 ** bits;
  let v = Math.trunc(x) % span;
  if (v < 0) v += span;
  return signed && v >= span / 2 ? v - span : v;
};

/** What converting to each integer type does to a float32 value (float types copy). */
const INTEGER_CONVERSIONS = {
  uint8: wrap(8, false),
  int8: wrap(8, true),
  int32: wrap(32, true),
  // NOTE: float32 cannot hold every int64; truncation is all that is visible.
  int64: (x: number) => Math.trunc(x),
  bool: (x: number) => (x !== 0 ? 1 : 0),
} satisfies Record<string, (x: number) => number>;

export type IntegerDType = keyof typeof INTEGER_CONVERSIONS;

/** out (req)= x converted to an integer dtype, stored as float32. */
function castToInteger(dtype: IntegerDType, x: Float32Array, out: Float32Array, req: Req): void {
  const convert = INTEGER_CONVERSIONS[dtype];
  if (req === 'write') for (let i = 0; i < out.length; i++) out[i] = convert(x[i]!);
  else if (req === 'add') for (let i = 0; i < out.length; i++) out[i]! += convert(x[i]!);
}

/** out[i, k] (req)= k == trunc(indices[i]) ? on : off, for k < depth. */
function oneHot(indices: Float32Array, depth: number, on: number, off: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const add = req === 'add';
  for (let i = 0; i < indices.length; i++) {
    const hot = Math.trunc(indices[i]!);
    for (let k = 0; k < depth; k++) {
      const v = k === hot ? on : off;
      out[i * depth + k] = add ? out[i * depth + k]! + v : v;
    }
  }
}

/** out[o, k] (req)= the first index j of the largest x[o, j, k] along the view's axis. */
function argmaxAxis(x: Float32Array, view: AxisView, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const { outer, n, inner } = view;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      let best = 0;
      for (let j = 1; j < n; j++) if (x[(o * n + j) * inner + k]! > x[(o * n + best) * inner + k]!) best = j;
      const at = o * inner + k;
      out[at] = req === 'add' ? out[at]! + best : best;
    }
  }
}

interface Reducer {
  readonly init: number;
  readonly step: (acc: number, x: number) => number;
  /** Turns the accumulator into the result given the count of reduced elements. */
  readonly finish: (acc: number, count: number) => number;
  /** dx at one element from x, the result y, the head gradient g and the count. */
  readonly grad: (x: number, y: number, g: number, count: number) => number;
}

/** The reducers by op name; each step's accumulator is rounded to float32 (a float32 workspace). */
const REDUCERS = {
  sum: { init: 0, step: (a, x) => a + x, finish: (a) => a, grad: (_x, _y, g) => g },
  mean: { init: 0, step: (a, x) => a + x, finish: (a, n) => a / n, grad: (_x, _y, g, n) => g / n },
  max: { init: -Infinity, step: (a, x) => (x > a || Number.isNaN(x) ? x : a), finish: (a) => a, grad: (x, y, g) => (x === y ? g : 0) },
  min: { init: Infinity, step: (a, x) => (x < a || Number.isNaN(x) ? x : a), finish: (a) => a, grad: (x, y, g) => (x === y ? g : 0) },
  prod: { init: 1, step: (a, x) => a * x, finish: (a) => a, grad: (x, y, g) => (g * y) / x },
  nansum: { init: 0, step: (a, x) => (Number.isNaN(x) ? a : a + x), finish: (a) => a, grad: (x, _y, g) => (Number.isNaN(x) ? 0 : g) },
  nanprod: { init: 1, step: (a, x) => (Number.isNaN(x) ? a : a * x), finish: (a) => a, grad: (x, y, g) => (Number.isNaN(x) ? 0 : (g * y) / x) },
} satisfies Record<string, Reducer>;

export type ReducerName = keyof typeof REDUCERS;

/** Visits every input index i of `shape` with the flat index k of its position in `kept` (reduced axes 1). */
function visitReduced(shape: Shape, kept: Shape, visit: (i: number, k: number) => void): void {
  forEachBroadcast(shape, stridesOf(shape), broadcastStrides(kept, shape), (i, _same, k) => visit(i, k));
}

/**
 * out (req)= the reduction of x over the axes where `kept` is 1; `acc` is float32 scratch of
 * out's size (the accumulator rounds to float32 at every step).
 */
function reduce(name: ReducerName, x: Float32Array, shape: Shape, kept: Shape, acc: Float32Array, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const r: Reducer = REDUCERS[name];
  acc.fill(r.init);
  visitReduced(shape, kept, (i, k) => (acc[k] = r.step(acc[k]!, x[i]!)));
  const count = x.length / acc.length;
  for (let k = 0; k < acc.length; k++) {
    const v = r.finish(acc[k]!, count);
    out[k] = req === 'add' ? out[k]! + v : v;
  }
}

/** dx (req)= the reducer's gradient at every element of x, from the result y and head gradient g. */
function reduceGrad(name: ReducerName, x: Float32Array, shape: Shape, kept: Shape, y: Float32Array, g: Float32Array, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  const r: Reducer = REDUCERS[name];
  const count = x.length / y.length;
  visitReduced(shape, kept, (i, k) => {
    const v = r.grad(x[i]!, y[k]!, g[k]!, count);
    dx[i] = req === 'add' ? dx[i]! + v : v;
  });
}

export const tensorOpKernels = { embeddingLookup, embeddingGrad, clipValues, clipGrad, castToInteger, oneHot, argmaxAxis, reduce, reduceGrad };
