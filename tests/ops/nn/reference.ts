/**
 * Naive float64 references for the nn layer tests, written straight from the definitions
 * (one loop per index, no im2col), for 1-D (n, c, w) and 2-D (n, c, h, w) data.
 */
import * as mx from 'mxts';

export interface WindowSpec {
  kernel: number[];
  stride?: number[];
  pad?: number[];
  dilate?: number[];
}

/** Treats 1-D shapes and windows as 2-D with a height of 1. */
function as2d(shape: readonly number[], w: WindowSpec) {
  const two = shape.length === 4;
  const fill = (list: number[] | undefined, v: number) => list ?? w.kernel.map(() => v);
  const lift = (list: number[], v: number) => (two ? list : [v, list[0]!]);
  return {
    H: two ? shape[2]! : 1,
    W: shape[shape.length - 1]!,
    k: lift(w.kernel, 1),
    s: lift(fill(w.stride, 1), 1),
    p: lift(fill(w.pad, 0), 0),
    d: lift(fill(w.dilate, 1), 1),
  };
}

export function convRef(x: mx.NDArray, weight: mx.NDArray, bias: mx.NDArray | null, w: WindowSpec, groups = 1): { data: Float64Array; shape: number[] } {
  const [N, C] = x.shape as [number, number];
  const F = weight.shape[0]!;
  const { H, W, k, s, p, d } = as2d(x.shape, w);
  const OH = Math.floor((H + 2 * p[0]! - d[0]! * (k[0]! - 1) - 1) / s[0]!) + 1;
  const OW = Math.floor((W + 2 * p[1]! - d[1]! * (k[1]! - 1) - 1) / s[1]!) + 1;
  const cg = C / groups;
  const fg = F / groups;
  const out = new Float64Array(N * F * OH * OW);
  for (let n = 0; n < N; n++) for (let f = 0; f < F; f++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
    let sum = bias ? bias.data[f]! : 0;
    const g = Math.floor(f / fg);
    for (let c = 0; c < cg; c++) for (let ki = 0; ki < k[0]!; ki++) for (let kj = 0; kj < k[1]!; kj++) {
      const iy = oy * s[0]! - p[0]! + ki * d[0]!;
      const ix = ox * s[1]! - p[1]! + kj * d[1]!;
      if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
      sum += weight.data[((f * cg + c) * k[0]! + ki) * k[1]! + kj]! * x.data[((n * C + g * cg + c) * H + iy) * W + ix]!;
    }
    out[((n * F + f) * OH + oy) * OW + ox] = sum;
  }
  return { data: out, shape: x.shape.length === 4 ? [N, F, OH, OW] : [N, F, OW] };
}

/** Transposed convolution: each input value scatters weight-scaled copies into the output. */
export function deconvRef(x: mx.NDArray, weight: mx.NDArray, bias: mx.NDArray | null, w: WindowSpec & { adj?: number[] }, outSpatial: number[], groups = 1): Float64Array {
  const [N, C] = x.shape as [number, number];
  const fg = weight.shape[1]!;
  const F = fg * groups;
  const { H, W, k, s, p, d } = as2d(x.shape, w);
  const [OH, OW] = outSpatial.length === 2 ? outSpatial : [1, outSpatial[0]!];
  const cg = C / groups;
  const out = new Float64Array(N * F * OH! * OW!);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let xx = 0; xx < W; xx++) {
    const g = Math.floor(c / cg);
    const v = x.data[((n * C + c) * H + y) * W + xx]!;
    for (let f = 0; f < fg; f++) for (let ki = 0; ki < k[0]!; ki++) for (let kj = 0; kj < k[1]!; kj++) {
      const oy = y * s[0]! - p[0]! + ki * d[0]!;
      const ox = xx * s[1]! - p[1]! + kj * d[1]!;
      if (oy < 0 || oy >= OH! || ox < 0 || ox >= OW!) continue;
      out[((n * F + g * fg + f) * OH! + oy) * OW! + ox] += v * weight.data[((c * fg + f) * k[0]! + ki) * k[1]! + kj]!;
    }
  }
  if (bias) for (let i = 0; i < out.length; i++) out[i] += bias.data[Math.floor(i / (OH! * OW!)) % F]!;
  return out;
}

export interface PoolSpec extends Partial<WindowSpec> {
  pool_type?: 'max' | 'avg' | 'sum';
  pooling_convention?: 'valid' | 'full';
  count_include_pad?: boolean;
  global_pool?: boolean;
}

/** Pooling by definition: windows clipped to the data; avg divisor per count_include_pad. */
export function poolRef(x: mx.NDArray, spec: PoolSpec): { data: Float64Array; shape: number[] } {
  const [N, C] = x.shape as [number, number];
  const spatial = x.shape.slice(2);
  const w: WindowSpec = spec.global_pool ? { kernel: spatial } : { kernel: spec.kernel!, ...(spec.stride ? { stride: spec.stride } : {}), ...(spec.pad ? { pad: spec.pad } : {}) };
  const { H, W, k, s, p } = as2d(x.shape, w);
  const round = spec.pooling_convention === 'full' ? Math.ceil : Math.floor;
  const OH = x.shape.length === 4 ? 1 + round((H + 2 * p[0]! - k[0]!) / s[0]!) : 1;
  const OW = 1 + round((W + 2 * p[1]! - k[1]!) / s[1]!);
  const out = new Float64Array(N * C * OH * OW);
  for (let nc = 0; nc < N * C; nc++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
    const y0 = oy * s[0]! - p[0]!;
    const x0 = ox * s[1]! - p[1]!;
    const padded = (Math.min(y0 + k[0]!, H + p[0]!) - y0) * (Math.min(x0 + k[1]!, W + p[1]!) - x0);
    let max = -3.4028234663852886e38; // MXNet's max of a window that lies wholly in the padding: float32's lowest
    let sum = 0;
    // MXNet's divisor without count_include_pad: the product of the clipped extents, which can be
    // 0 or negative for windows wholly in the padding (giving NaN or -0, not an error)
    const clipped = (Math.min(y0 + k[0]!, H) - Math.max(y0, 0)) * (Math.min(x0 + k[1]!, W) - Math.max(x0, 0));
    for (let y = Math.max(y0, 0); y < Math.min(y0 + k[0]!, H); y++) for (let xx = Math.max(x0, 0); xx < Math.min(x0 + k[1]!, W); xx++) {
      const v = x.data[(nc * H + y) * W + xx]!;
      max = Math.max(max, v);
      sum += v;
    }
    const type = spec.pool_type ?? 'max';
    out[(nc * OH + oy) * OW + ox] = type === 'max' ? max : type === 'sum' ? sum : sum / (spec.count_include_pad === false ? clipped : padded);
  }
  return { data: out, shape: x.shape.length === 4 ? [N, C, OH, OW] : [N, C, OW] };
}

/** Uniform values in [low, high) of a shape, from the seeded generator. */
export const uniform = (shape: number[], low = -1, high = 1): mx.NDArray => mx.nd.random.uniform(low, high, shape);
