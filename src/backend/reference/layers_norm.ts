/**
 * Normalization kernels (LayerNorm, InstanceNorm, GroupNorm, L2Normalization, LRN). Every op views
 * its data as (outer, n, inner) and normalizes each (outer, inner) line of n values, whose
 * elements are `inner` apart; statistics are accumulated in float64.
 */
import type { Req } from '../../base/req';

export interface LineView {
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
}

/**
 * Which affine parameter scales an element: `element` indexes gamma by the position along the
 * line (LayerNorm), `line` by the line's outer index modulo gamma's length (InstanceNorm's channel,
 * GroupNorm's group).
 */
export type AffineIndex = 'element' | 'line';

function put(out: Float32Array, i: number, v: number, req: Req): void {
  if (req === 'write') out[i] = v;
  else if (req === 'add') out[i]! += v;
}

function affineAt(index: AffineIndex, o: number, j: number, size: number): number {
  return index === 'element' ? j : o % size;
}

/**
 * out = (x - mean) / sqrt(var + eps) * gamma + beta along each line (biased variance). `mean`
 * receives each line's mean and `spread` its std sqrt(var + eps), or var when `storeVariance`.
 */
function momentNormForward(
  x: Float32Array, gamma: Float32Array, beta: Float32Array, view: LineView, eps: number, index: AffineIndex, storeVariance: boolean,
  out: Float32Array, mean: Float32Array, spread: Float32Array, req: readonly Req[],
): void {
  const { outer, n, inner } = view;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      let sum = 0;
      for (let j = 0; j < n; j++) sum += x[base + j * inner]!;
      const m = sum / n;
      let squares = 0;
      for (let j = 0; j < n; j++) squares += (x[base + j * inner]! - m) ** 2;
      const variance = squares / n;
      const std = Math.sqrt(variance + eps);
      put(mean, o * inner + k, m, req[1]!);
      put(spread, o * inner + k, storeVariance ? variance : std, req[2]!);
      if (req[0] === 'null') continue;
      for (let j = 0; j < n; j++) {
        const i = base + j * inner;
        const a = affineAt(index, o, j, gamma.length);
        put(out, i, ((x[i]! - m) / std) * gamma[a]! + beta[a]!, req[0]!);
      }
    }
  }
}

/**
 * With xhat = (x - mean)/std and h = g * gamma: dx = (h - mean(h) - xhat * mean(h * xhat)) / std,
 * dgamma = sum(g * xhat), dbeta = sum(g) over the elements each parameter scales.
 */
function momentNormBackward(
  x: Float32Array, g: Float32Array, gamma: Float32Array, mean: Float32Array, spread: Float32Array, view: LineView, eps: number,
  index: AffineIndex, storedVariance: boolean, dx: Float32Array | null, dgamma: Float32Array | null, dbeta: Float32Array | null, req: readonly Req[],
): void {
  const { outer, n, inner } = view;
  if (dgamma && req[1] === 'write') dgamma.fill(0);
  if (dbeta && req[2] === 'write') dbeta.fill(0);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      const m = mean[o * inner + k]!;
      const std = storedVariance ? Math.sqrt(spread[o * inner + k]! + eps) : spread[o * inner + k]!;
      let sumH = 0;
      let sumHXhat = 0;
      for (let j = 0; j < n; j++) {
        const i = base + j * inner;
        const a = affineAt(index, o, j, gamma.length);
        const xhat = (x[i]! - m) / std;
        const h = g[i]! * gamma[a]!;
        sumH += h;
        sumHXhat += h * xhat;
        if (dgamma && req[1] !== 'null') dgamma[a]! += g[i]! * xhat;
        if (dbeta && req[2] !== 'null') dbeta[a]! += g[i]!;
      }
      if (!dx || req[0] === 'null') continue;
      for (let j = 0; j < n; j++) {
        const i = base + j * inner;
        const a = affineAt(index, o, j, gamma.length);
        const xhat = (x[i]! - m) / std;
        put(dx, i, (g[i]! * gamma[a]! - sumH / n - (xhat * sumHXhat) / n) / std, req[0]!);
      }
    }
  }
}

/** out = x / norm with norm = sqrt(sum(x^2) + eps) along each line, stored per line in `norm`. */
function l2NormalizeForward(x: Float32Array, view: LineView, eps: number, out: Float32Array, norm: Float32Array, req: Req): void {
  const { outer, n, inner } = view;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      let squares = 0;
      for (let j = 0; j < n; j++) squares += x[base + j * inner]! ** 2;
      const length = Math.sqrt(squares + eps);
      norm[o * inner + k] = length;
      for (let j = 0; j < n; j++) put(out, base + j * inner, x[base + j * inner]! / length, req);
    }
  }
}

/** From the output y and the norm: dx = (g - y * sum(g * y)) / norm along each line. */
function l2NormalizeBackward(y: Float32Array, g: Float32Array, norm: Float32Array, view: LineView, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  const { outer, n, inner } = view;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      let dot = 0;
      for (let j = 0; j < n; j++) dot += g[base + j * inner]! * y[base + j * inner]!;
      const length = norm[o * inner + k]!;
      for (let j = 0; j < n; j++) {
        const i = base + j * inner;
        put(dx, i, (g[i]! - y[i]! * dot) / length, req);
      }
    }
  }
}

export interface LrnSettings {
  readonly alpha: number;
  readonly beta: number;
  readonly knorm: number;
  readonly nsize: number;
}

/** Sum over channels c' in [c - nsize/2, c + nsize/2] (clipped) of f(c') at one position. */
function channelWindowSum(view: LineView, o: number, c: number, k: number, nsize: number, f: (i: number) => number): number {
  const half = Math.floor(nsize / 2);
  let sum = 0;
  for (let d = Math.max(0, c - half); d <= Math.min(view.n - 1, c + half); d++) sum += f((o * view.n + d) * view.inner + k);
  return sum;
}

/** norm = knorm + alpha/nsize * window sum of x^2 across channels; out = x * norm^-beta. */
function lrnForward(x: Float32Array, view: LineView, s: LrnSettings, out: Float32Array, norm: Float32Array, req: Req): void {
  const scale = s.alpha / s.nsize;
  for (let o = 0; o < view.outer; o++) {
    for (let c = 0; c < view.n; c++) {
      for (let k = 0; k < view.inner; k++) {
        const i = (o * view.n + c) * view.inner + k;
        norm[i] = s.knorm + scale * channelWindowSum(view, o, c, k, s.nsize, (t) => x[t]! * x[t]!);
        put(out, i, x[i]! * Math.pow(norm[i]!, -s.beta), req);
      }
    }
  }
}

/** dx = g * norm^-beta - 2 * beta * alpha/nsize * x * window sum of g * x * norm^(-beta-1). */
function lrnBackward(x: Float32Array, g: Float32Array, norm: Float32Array, view: LineView, s: LrnSettings, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  const scale = s.alpha / s.nsize;
  const term = (t: number) => g[t]! * x[t]! * Math.pow(norm[t]!, -s.beta - 1);
  for (let o = 0; o < view.outer; o++) {
    for (let c = 0; c < view.n; c++) {
      for (let k = 0; k < view.inner; k++) {
        const i = (o * view.n + c) * view.inner + k;
        const cross = channelWindowSum(view, o, c, k, s.nsize, term);
        put(dx, i, g[i]! * Math.pow(norm[i]!, -s.beta) - 2 * s.beta * scale * x[i]! * cross, req);
      }
    }
  }
}

export const layersNormKernels = { momentNormForward, momentNormBackward, l2NormalizeForward, l2NormalizeBackward, lrnForward, lrnBackward };
