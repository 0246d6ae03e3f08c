/**
 * Reduction kernels for norm and moments (over any set of axes), add_n, and the counting kernels
 * of _histogram and _contrib_allclose. `reduced[axis]` marks the axes folded away; results are
 * laid out in the input's order with reduced axes kept as size 1.
 */
import type { Req } from '../../base/req';

function put(out: Float32Array, at: number, v: number, req: Req): void {
  if (req === 'add') out[at]! += v;
  else if (req === 'write') out[at] = v;
}

/** Calls visit(i, k) for every input element i with k its reduced (output) position. */
function forEachReduced(shape: readonly number[], reduced: readonly boolean[], visit: (i: number, k: number) => void): void {
  const ndim = shape.length;
  const outStrides = new Array<number>(ndim);
  let stride = 1;
  for (let axis = ndim - 1; axis >= 0; axis--) {
    outStrides[axis] = reduced[axis] ? 0 : stride;
    if (!reduced[axis]) stride *= shape[axis]!;
  }
  const coord = new Array<number>(ndim).fill(0);
  const size = shape.reduce((p, d) => p * d, 1);
  let k = 0;
  for (let i = 0; i < size; i++) {
    visit(i, k);
    for (let axis = ndim - 1; axis >= 0; axis--) {
      k += outStrides[axis]!;
      if (++coord[axis]! < shape[axis]!) break;
      k -= outStrides[axis]! * shape[axis]!;
      coord[axis] = 0;
    }
  }
}

/** out = (sum |x|) for ord 1 or sqrt(sum x^2) for ord 2 over the reduced axes; `acc` has out's size. */
function normReduce(x: Float32Array, shape: readonly number[], reduced: readonly boolean[], ord: 1 | 2, acc: Float32Array, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  acc.fill(0);
  forEachReduced(shape, reduced, (i, k) => (acc[k]! += ord === 1 ? Math.abs(x[i]!) : x[i]! * x[i]!));
  for (let k = 0; k < out.length; k++) put(out, k, ord === 1 ? acc[k]! : Math.sqrt(acc[k]!), req);
}

/** dx = g * sign(x) (ord 1) or g * x / y (ord 2, NaN where y is 0, as MXNet divides). */
function normGrad(x: Float32Array, shape: readonly number[], reduced: readonly boolean[], ord: 1 | 2, y: Float32Array, g: Float32Array, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  forEachReduced(shape, reduced, (i, k) => put(dx, i, ord === 1 ? g[k]! * Math.sign(x[i]!) : (g[k]! * x[i]!) / y[k]!, req));
}

/** mean and (population) variance over the reduced axes; `scratch` has twice the output size. */
function momentsReduce(x: Float32Array, shape: readonly number[], reduced: readonly boolean[], scratch: Float32Array, mean: Float32Array, meanReq: Req, variance: Float32Array, varReq: Req): void {
  const m = mean.length;
  const mu = scratch.subarray(0, m).fill(0);
  const sq = scratch.subarray(m, 2 * m).fill(0);
  const count = x.length / m;
  forEachReduced(shape, reduced, (i, k) => (mu[k]! += x[i]!));
  for (let k = 0; k < m; k++) mu[k] = mu[k]! / count;
  forEachReduced(shape, reduced, (i, k) => {
    const d = x[i]! - mu[k]!;
    sq[k]! += d * d;
  });
  for (let k = 0; k < m; k++) {
    put(mean, k, mu[k]!, meanReq);
    put(variance, k, sq[k]! / count, varReq);
  }
}

/** dx = gMean / N + gVar * 2 (x - mean) / N, N the count of reduced elements. */
function momentsGrad(x: Float32Array, shape: readonly number[], reduced: readonly boolean[], mean: Float32Array, gMean: Float32Array, gVar: Float32Array, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  const count = x.length / mean.length;
  forEachReduced(shape, reduced, (i, k) => put(dx, i, (gMean[k]! + 2 * gVar[k]! * (x[i]! - mean[k]!)) / count, req));
}

/** out = the element-wise sum of every term (add_n). */
function sumArrays(terms: readonly Float32Array[], out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let e = 0; e < out.length; e++) {
    let s = 0;
    for (const t of terms) s += t[e]!;
    put(out, e, Math.fround(s), req);
  }
}

/** out (req)= src, element by element (gradients that pass through unchanged). */
function copyInto(src: Float32Array, out: Float32Array, req: Req): void {
  if (req === 'write') out.set(src);
  else if (req === 'add') for (let e = 0; e < out.length; e++) out[e]! += src[e]!;
}

/**
 * counts[b] = how many values fall in [edges[b], edges[b+1]) (the last bin includes its right
 * edge); values outside [edges[0], edges[last]] and NaN are not counted. `uniform` = [lo, hi]
 * locates the bin as MXNet does for bin_cnt: (v - lo) * bins / (hi - lo), then nudged by one
 * where the float32 edges disagree.
 */
function histogramCount(data: Float32Array, edges: Float32Array, uniform: readonly [number, number] | null, counts: Float32Array, req: Req): void {
  if (req === 'null') return;
  const bins = edges.length - 1;
  const lo = uniform ? uniform[0] : edges[0]!;
  const hi = uniform ? uniform[1] : edges[bins]!;
  const tally = new Array<number>(bins).fill(0);
  for (const v of data) {
    if (!(v >= lo && v <= hi)) continue;
    let b: number;
    if (uniform) {
      b = Math.min(Math.trunc(((v - lo) * bins) / (hi - lo)), bins - 1);
      if (v < edges[b]!) b -= 1;
      if (v >= edges[b + 1]! && b !== bins - 1) b += 1;
    } else {
      b = 0;
      while (b < bins && v >= edges[b + 1]!) b++;
      b = Math.min(b, bins - 1);
    }
    if (b >= 0) tally[b]!++; // below the first float32 edge: not counted, as in MXNet
  }
  for (let b = 0; b < bins; b++) put(counts, b, tally[b]!, req);
}

/** edges = bins + 1 evenly spaced values from lo to hi, each (hi*b + lo*(bins-b)) / bins as MXNet computes them. */
function linspaceEdges(lo: number, hi: number, edges: Float32Array, req: Req): void {
  const bins = edges.length - 1;
  for (let b = 0; b <= bins; b++) put(edges, b, (hi * b + (bins - b) * lo) / bins, req);
}

/** out[0] = 1 when every |a - b| <= atol + rtol |b| (in float32, NaNs equal when equalNan), else 0. */
function allCloseCheck(a: Float32Array, b: Float32Array, rtol: number, atol: number, equalNan: boolean, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  let all = true;
  for (let e = 0; e < a.length && all; e++) {
    const x = a[e]!;
    const y = b[e]!;
    if (Number.isNaN(x) || Number.isNaN(y)) all = equalNan && Number.isNaN(x) === Number.isNaN(y);
    else all = x === y || Math.fround(Math.abs(x - y)) <= Math.fround(atol + Math.fround(rtol * Math.abs(y)));
  }
  put(out, 0, all ? 1 : 0, req);
}

export const orderingReduceKernels = {
  normReduce, normGrad, momentsReduce, momentsGrad, sumArrays, copyInto, histogramCount, linspaceEdges, allCloseCheck,
};
