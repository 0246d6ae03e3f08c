/**
 * LeakyReLU's members (MXNet `leaky_relu-inl.h`, formulas of `mshadow_op.h`): the element-wise
 * leaky/elu/selu/gelu, prelu's per-channel slope and rrelu's per-element slope (the mask).
 * Values are computed in float64 and rounded once when stored, as the op always did.
 */
import type { Req } from '../../base/req';

export type PointwiseLeaky = 'leaky' | 'elu' | 'selu' | 'gelu';

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_LAMBDA = 1.0507009873554804934193349852946;

/** erf(x) from Numerical Recipes' Chebyshev erfc (error below 1.2e-7, enough for float32). */
function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(-z * z + poly);
  return x >= 0 ? 1 - erfc : erfc - 1;
}

/** Forward f(x) and derivative from input x and output y; `slope` is leaky's slope and elu's alpha. */
const POINTWISE: Record<PointwiseLeaky, { f: (x: number, slope: number) => number; d: (x: number, y: number, slope: number) => number }> = {
  leaky: { f: (x, slope) => (x > 0 ? x : slope * x), d: (x, _y, slope) => (x > 0 ? 1 : slope) },
  elu: { f: (x, slope) => (x > 0 ? x : slope * Math.expm1(x)), d: (x, y, slope) => (x > 0 ? 1 : y + slope) },
  selu: {
    f: (x) => SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
    d: (x, y) => (x > 0 ? SELU_LAMBDA : y + SELU_ALPHA * SELU_LAMBDA),
  },
  gelu: {
    f: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
    d: (x) => 0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI),
  },
};

/** out (req)= f(x) for leaky, elu, selu or gelu. */
function leakyPointwise(act: PointwiseLeaky, x: Float32Array, slope: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const f = POINTWISE[act].f;
  for (let i = 0; i < x.length; i++) {
    const v = f(x[i]!, slope);
    out[i] = req === 'add' ? out[i]! + v : v;
  }
}

/** dx (req)= g * f'(x) from x and the forward output y. */
function leakyPointwiseGrad(act: PointwiseLeaky, x: Float32Array, y: Float32Array, g: Float32Array, slope: number, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  const d = POINTWISE[act].d;
  for (let i = 0; i < dx.length; i++) {
    const v = g[i]! * d(x[i]!, y[i]!, slope);
    dx[i] = req === 'add' ? dx[i]! + v : v;
  }
}

/**
 * The slope of element i is slopes[floor(i / inner) % channels]: prelu's gamma per channel of an
 * (outer, channels, inner) view (channels = inner = 1 for one shared slope); rrelu passes its
 * mask with inner = 1, channels = size.
 */
function slopedRelu(x: Float32Array, slopes: Float32Array, inner: number, channels: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]! > 0 ? x[i]! : slopes[Math.floor(i / inner) % channels]! * x[i]!;
    out[i] = req === 'add' ? out[i]! + v : v;
  }
}

/** dx (req)= g * (x > 0 ? 1 : slope of element i), slopes laid out as in slopedRelu. */
function slopedReluGrad(x: Float32Array, slopes: Float32Array, inner: number, channels: number, g: Float32Array, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let i = 0; i < dx.length; i++) {
    const v = g[i]! * (x[i]! > 0 ? 1 : slopes[Math.floor(i / inner) % channels]!);
    dx[i] = req === 'add' ? dx[i]! + v : v;
  }
}

/** prelu's dgamma[c] (req)= sum over the elements of channel c with x <= 0 of g * x, in element order. */
function preluGammaGrad(x: Float32Array, g: Float32Array, inner: number, channels: number, dgamma: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') dgamma.fill(0);
  for (let i = 0; i < x.length; i++) if (x[i]! <= 0) dgamma[Math.floor(i / inner) % channels]! += g[i]! * x[i]!;
}

export const activationKernels = { leakyPointwise, leakyPointwiseGrad, slopedRelu, slopedReluGrad, preluGammaGrad };
