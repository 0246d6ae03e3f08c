/**
 * Sorting kernels for topk / sort / argsort. Every tensor is viewed as lanes: (outer, n, inner),
 * the lane running along the middle axis; results are laid out (outer, k, inner).
 */
import type { Req } from '../../base/req';

function put(out: Float32Array, at: number, v: number, req: Req): void {
  if (req === 'add') out[at]! += v;
  else if (req === 'write') out[at] = v;
}

/**
 * Fills `order[0..n)` with the lane's positions ranked (ascending or descending). Ties keep the
 * lower position first; NaN ranks above every number (last ascending, first descending).
 */
function rankLane(x: Float32Array, base: number, n: number, inner: number, ascending: boolean, order: Float32Array): Float32Array {
  const lane = order.subarray(0, n);
  for (let j = 0; j < n; j++) lane[j] = j;
  const sign = ascending ? 1 : -1;
  return lane.sort((p, q) => {
    const a = x[base + p * inner]!;
    const b = x[base + q * inner]!;
    const an = Number.isNaN(a);
    const bn = Number.isNaN(b);
    if (an || bn) return an === bn ? p - q : (an ? 1 : -1) * sign;
    return a === b ? p - q : (a < b ? -1 : 1) * sign;
  });
}

/** The first k ranked values and/or positions (as floats) of each lane; `order` is n floats of scratch. */
function topkLanes(
  x: Float32Array, outer: number, n: number, inner: number, k: number, ascending: boolean, order: Float32Array,
  values: Float32Array | null, valuesReq: Req, indices: Float32Array | null, indicesReq: Req,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      const ranked = rankLane(x, base, n, inner, ascending, order);
      for (let r = 0; r < k; r++) {
        const at = (o * k + r) * inner + i;
        if (values) put(values, at, x[base + ranked[r]! * inner]!, valuesReq);
        if (indices) put(indices, at, ranked[r]!, indicesReq);
      }
    }
  }
}

/** mask (x's shape) = 1 at each lane's first k ranked positions, 0 elsewhere. */
function topkMask(x: Float32Array, outer: number, n: number, inner: number, k: number, ascending: boolean, order: Float32Array, mask: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      const ranked = rankLane(x, base, n, inner, ascending, order);
      const hit = order.subarray(n, 2 * n).fill(0);
      for (let r = 0; r < k; r++) hit[ranked[r]!] = 1;
      for (let j = 0; j < n; j++) put(mask, base + j * inner, hit[j]!, req);
    }
  }
}

/** dx (n per lane) gets g (k per lane) at the positions `indices` names; zero elsewhere when writing. */
function topkScatterGrad(g: Float32Array, indices: Float32Array, outer: number, n: number, inner: number, k: number, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') dx.fill(0);
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < k; r++) {
      for (let i = 0; i < inner; i++) {
        const at = (o * k + r) * inner + i;
        dx[(o * n + indices[at]!) * inner + i]! += g[at]!;
      }
    }
  }
}

/** Index of each lane's largest (or smallest) value, the first one on ties; NaN wins as MXNet's comparisons let it. */
function argReduceLanes(x: Float32Array, outer: number, n: number, inner: number, largest: boolean, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = 0;
      let bestValue = x[base]!;
      for (let j = 1; j < n && !Number.isNaN(bestValue); j++) {
        const v = x[base + j * inner]!;
        if (Number.isNaN(v) || (largest ? v > bestValue : v < bestValue)) {
          best = j;
          bestValue = v;
        }
      }
      put(out, o * inner + i, best, req);
    }
  }
}

export const orderingSortKernels = { topkLanes, topkMask, topkScatterGrad, argReduceLanes };
