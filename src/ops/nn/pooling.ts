/**
 * Pooling: max, avg or sum over 1-D (NCW) or 2-D (NCHW) windows, as MXNet's `pool.h` CPU kernels.
 * Windows start at o*stride - pad; `full` convention rounds the output size up (the last window
 * may hang past the padding and is clipped). avg divides by the window's size within the padded
 * input (count_include_pad) or within the data.
 */
import { ParamError } from '../../base/errors';
import { Shape, shapeToString } from '../../base/shape';
import { maxPoolBackwardSimd, poolSimd, sumPoolBackwardSimd } from '../../backend/wasm/spatial_simd';
import { bool, enumOf, int, intTuple, optional, ParamsOf } from '../params';
import { perShape } from '../memo';
import { defineOp } from '../registry';
import type { InferredShapes, MaybeShape, Req, ShapeSite, Tensor } from '../types';

const PARAMS = {
  kernel: intTuple({ doc: 'window size: (w,) or (h, w); ignored with global_pool', default: [], min: 1 }),
  pool_type: enumOf({ doc: 'max, avg or sum over each window (lp is accepted in JSON but not supported by mxts)', values: ['max', 'avg', 'sum', 'lp'], default: 'max' }),
  global_pool: bool({ doc: 'pool over the whole spatial extent (kernel, stride and pad ignored)', default: false }),
  cudnn_off: bool({ doc: 'disable cuDNN (accepted, unused by mxts)', default: false }),
  pooling_convention: enumOf({ doc: 'valid rounds the output size down, full rounds it up (same is not supported by mxts)', values: ['valid', 'full', 'same'], default: 'valid' }),
  stride: intTuple({ doc: 'window step: (w,) or (h, w); () means 1', default: [], min: 1 }),
  pad: intTuple({ doc: 'implicit padding on both sides: (w,) or (h, w); () means 0', default: [], min: 0 }),
  p_value: optional(int({ doc: 'power of lp pooling (accepted and ignored: lp pooling is not supported by mxts)' })),
  count_include_pad: optional(bool({ doc: 'avg: count padded positions in the divisor (None means true)', default: true })),
  layout: optional(enumOf({ doc: 'data layout; mxts supports only NCW (1-D) and NCHW (2-D)', values: ['NCW', 'NCHW', 'NCDHW', 'NWC', 'NHWC', 'NDHWC'] })),
};
type Params = ParamsOf<typeof PARAMS>;

/** The resolved (height, width) window of one plane; 1-D pools use height 1. */
interface PoolWindow {
  readonly height: number; readonly width: number;
  readonly kh: number; readonly kw: number;
  readonly sh: number; readonly sw: number;
  readonly ph: number; readonly pw: number;
  readonly outH: number; readonly outW: number;
}

function outSize(p: Params, size: number, k: number, s: number, pad: number): number {
  const span = size + 2 * pad - k;
  return 1 + (p.pooling_convention === 'full' ? Math.ceil(span / s) : Math.floor(span / s));
}

/** Resolves the window for data of `shape`, checking parameters (ParamError) and sizes (ShapeError). */
function windowOf(p: Params, shape: readonly number[], site: { readonly op: string; readonly node?: string; fail?: ShapeSite['fail'] }): PoolWindow {
  const paramFail = (argument: string, problem: string): never => {
    throw new ParamError({ op: site.op, node: site.node, argument }, problem);
  };
  const spatial = shape.slice(2);
  const n = spatial.length;
  if (n !== 1 && n !== 2) site.fail?.('data', `shape ${shapeToString(shape)} must be 3-d (batch, channel, width) or 4-d (batch, channel, height, width)`);
  let kernel = p.kernel;
  let stride = p.stride.length ? p.stride : new Array<number>(kernel.length).fill(1);
  let pad = p.pad.length ? p.pad : new Array<number>(kernel.length).fill(0);
  if (p.global_pool) {
    [kernel, stride, pad] = [spatial, spatial.map(() => 1), spatial.map(() => 0)];
  } else {
    if (kernel.length === 0) paramFail('kernel', 'is required unless global_pool is true');
    if (kernel.length !== n) site.fail?.('data', `shape ${shapeToString(shape)} does not fit a ${kernel.length}-d kernel (${kernel.join(', ')}); expected ${kernel.length + 2}-d data`);
    if (stride.length !== n) paramFail('stride', `must have as many axes as kernel (${n}), got (${stride.join(', ')})`);
    if (pad.length !== n) paramFail('pad', `must have as many axes as kernel (${n}), got (${pad.join(', ')})`);
  }
  const expected = n === 1 ? 'NCW' : 'NCHW';
  if (p.layout !== null && p.layout !== expected) paramFail('layout', `'${p.layout}' is not supported by mxts; ${n + 2}-d data needs '${expected}'`);
  kernel.forEach((k, i) => {
    if (k > spatial[i]! + 2 * pad[i]!) site.fail?.('data', `spatial size ${spatial[i]} padded to ${spatial[i]! + 2 * pad[i]!} is smaller than the kernel ${k} on axis ${i + 2}`);
  });
  const at = (list: readonly number[], axis: number, fallback: number) => (n === 2 ? list[axis]! : axis === 0 ? fallback : list[0]!);
  const [height, width, kh, kw, sh, sw, ph, pw] = [at(spatial, 0, 1), at(spatial, 1, 1), at(kernel, 0, 1), at(kernel, 1, 1), at(stride, 0, 1), at(stride, 1, 1), at(pad, 0, 0), at(pad, 1, 0)];
  return { height, width, kh, kw, sh, sw, ph, pw, outH: n === 2 ? outSize(p, height, kh, sh, ph) : 1, outW: outSize(p, width, kw, sw, pw) };
}

/** The window as kernels see it (shapes were checked by inferShape), once per bound node. */
const kernelWindow = perShape((p: Params, shape: Shape) => windowOf(p, shape, { op: 'Pooling' }));

function inferShape(p: Params, inputs: readonly MaybeShape[], outputs: readonly MaybeShape[], site: ShapeSite): InferredShapes {
  const data = inputs[0] ?? null;
  const unsupported = (argument: string, value: string): never => {
    throw new ParamError({ op: site.op, node: site.node, argument }, `'${value}' is not supported by mxts`);
  };
  if (p.pool_type === 'lp') unsupported('pool_type', 'lp');
  if (p.pooling_convention === 'same') unsupported('pooling_convention', 'same');
  if (!data) return { inputs, outputs };
  const w = windowOf(p, data, site);
  const out = data.length === 4 ? [data[0]!, data[1]!, w.outH, w.outW] : [data[0]!, data[1]!, w.outW];
  return { inputs: [data], outputs: [out] };
}

/** Each window's clipped range along one axis, and its length within the padded input. */
interface AxisWindows {
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly padded: Int32Array;
}

function axisWindows(count: number, kernel: number, stride: number, pad: number, size: number): AxisWindows {
  const start = new Int32Array(count);
  const end = new Int32Array(count);
  const padded = new Int32Array(count);
  for (let o = 0; o < count; o++) {
    const from = o * stride - pad;
    const to = Math.min(from + kernel, size + pad);
    padded[o] = to - from;
    start[o] = Math.max(from, 0);
    end[o] = Math.min(to, size);
  }
  return { start, end, padded };
}

/**
 * Visits every window of every plane: `visit(plane offset, output index, hStart, hEnd, wStart, wEnd,
 * divisor)` with the window clipped to the data and the avg divisor per count_include_pad.
 * Window bounds are computed once per axis, not per output.
 */
function forEachWindow(p: Params, w: PoolWindow, planes: number, visit: (base: number, o: number, h0: number, h1: number, w0: number, w1: number, size: number) => void): void {
  const includePad = p.count_include_pad ?? true;
  const rows = axisWindows(w.outH, w.kh, w.sh, w.ph, w.height);
  const cols = axisWindows(w.outW, w.kw, w.sw, w.pw, w.width);
  let o = 0;
  for (let c = 0; c < planes; c++) {
    const base = c * w.height * w.width;
    for (let oy = 0; oy < w.outH; oy++) {
      const h0 = rows.start[oy]!;
      const h1 = rows.end[oy]!;
      for (let ox = 0; ox < w.outW; ox++, o++) {
        const w0 = cols.start[ox]!;
        const w1 = cols.end[ox]!;
        const size = includePad ? rows.padded[oy]! * cols.padded[ox]! : (h1 - h0) * (w1 - w0);
        visit(base, o, h0, h1, w0, w1, size);
      }
    }
  }
}

const LOWEST = -3.4028234663852886e38; // MXNet starts max windows at float32's lowest value

function poolForward(p: Params, x: Tensor, out: Float32Array, add: boolean): void {
  const w = kernelWindow(p, x.shape);
  const xs = x.data;
  const width = w.width;
  const planes = x.shape[0]! * x.shape[1]!;
  const includePad = p.count_include_pad ?? true;
  if (p.pool_type !== 'lp' && poolSimd(p.pool_type, w, planes, xs, out, add, includePad)) return;
  // The plain loops (no per-window callback), with the pool type decided once per call.
  const isMax = p.pool_type === 'max';
  const isAvg = p.pool_type === 'avg';
  const rows = axisWindows(w.outH, w.kh, w.sh, w.ph, w.height);
  const cols = axisWindows(w.outW, w.kw, w.sw, w.pw, width);
  let o = 0;
  for (let c = 0; c < planes; c++) {
    const base = c * w.height * width;
    for (let oy = 0; oy < w.outH; oy++) {
      const h0 = rows.start[oy]!;
      const h1 = rows.end[oy]!;
      for (let ox = 0; ox < w.outW; ox++, o++) {
        const w0 = cols.start[ox]!;
        const w1 = cols.end[ox]!;
        let v = isMax ? LOWEST : 0;
        for (let y = h0; y < h1; y++) {
          const row = base + y * width;
          if (isMax) {
            for (let xi = w0; xi < w1; xi++) if (xs[row + xi]! > v) v = xs[row + xi]!;
          } else {
            for (let xi = w0; xi < w1; xi++) v += xs[row + xi]!;
          }
        }
        if (isAvg) v /= includePad ? rows.padded[oy]! * cols.padded[ox]! : (h1 - h0) * (w1 - w0);
        out[o] = add ? out[o]! + v : v;
      }
    }
  }
}

/** max: the head gradient goes to the first position holding the window's max; avg: spread / size; sum: copied. */
function poolBackward(p: Params, x: Tensor, y: Float32Array, head: Float32Array, grad: Float32Array, req: Req): void {
  if (req === 'write') grad.fill(0);
  const w = kernelWindow(p, x.shape);
  const xs = x.data;
  const planes = x.shape[0]! * x.shape[1]!;
  if (p.pool_type === 'max' ? maxPoolBackwardSimd(w, planes, xs, y, head, grad) : sumPoolBackwardSimd(w, planes, head, grad, p.pool_type === 'avg', p.count_include_pad ?? true)) return;
  forEachWindow(p, w, planes, (base, o, h0, h1, w0, w1, size) => {
    if (p.pool_type === 'max') {
      for (let yy = h0; yy < h1; yy++) {
        for (let xi = w0; xi < w1; xi++) {
          const at = base + yy * w.width + xi;
          if (xs[at] === y[o]) {
            grad[at]! += head[o]!;
            return;
          }
        }
      }
      return;
    }
    const g = p.pool_type === 'avg' ? head[o]! / size : head[o]!;
    for (let yy = h0; yy < h1; yy++) for (let xi = w0; xi < w1; xi++) grad[base + yy * w.width + xi]! += g;
  });
}

export const poolingOp = defineOp({
  name: 'Pooling',
  doc: [
    'out[n, c, oy, ox] = max / sum / mean of data[n, c] over the window starting at (oy*sh - ph, ox*sw - pw), clipped to the data;',
    'avg divides by the window size within the padded input (count_include_pad, default) or within the data.',
    'd data: max sends the head gradient to the first maximum of each window; sum copies it; avg spreads head/size.',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape,
  forward: (p, [x], [out], [req]) => {
    if (req !== 'null') poolForward(p, x!, out!.data, req === 'add');
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [x], outputs: [y], outGrads: [head] }, [grad], [req]) => {
      if (grad && req !== 'null') poolBackward(p, x!, y!.data, head!.data, grad.data, req);
    },
  },
});
