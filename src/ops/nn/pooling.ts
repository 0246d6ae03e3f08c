/**
 * Pooling: max, avg or sum over 1-D (NCW) or 2-D (NCHW) windows, as MXNet's `pool.h` CPU kernels.
 * Windows start at o*stride - pad; `full` convention rounds the output size up (the last window
 * may hang past the padding and is clipped). avg divides by the window's size within the padded
 * input (count_include_pad) or within the data.
 */
import { ParamError } from '../../base/errors';
import { shapeToString } from '../../base/shape';
import { bool, enumOf, int, intTuple, optional, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { PoolGeometry } from '../../backend/geometry';
import type { InferredShapes, MaybeShape, ShapeSite } from '../types';

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

function outSize(p: Params, size: number, k: number, s: number, pad: number): number {
  const span = size + 2 * pad - k;
  return 1 + (p.pooling_convention === 'full' ? Math.ceil(span / s) : Math.floor(span / s));
}

/** Resolves the window for data of `shape`, checking parameters (ParamError) and sizes (ShapeError). */
function windowOf(p: Params, shape: readonly number[], site: { readonly op: string; readonly node?: string; fail?: ShapeSite['fail'] }): PoolGeometry {
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

/** The pool type a kernel runs ('lp' never reaches one: inferShape refuses it). */
const poolType = (p: Params) => p.pool_type as 'max' | 'avg' | 'sum';

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
  createState: (p, [data]) => windowOf(p, data!, { op: 'Pooling' }),
  forward: (p, [x], [out], [req], ctx) => {
    if (req === 'null') return;
    const planes = x!.shape[0]! * x!.shape[1]!;
    ctx.kernels.poolForward(poolType(p), ctx.state, planes, x!.data, out!.data, req === 'add', p.count_include_pad ?? true);
  },
  backward: {
    usesOutGrads: true,
    // Max pooling finds each window's maximum again; average and sum need only the head gradient.
    reads: (p) => (p.pool_type === 'max' ? { inputs: [0], outputs: [0] } : { inputs: [], outputs: [] }),
    compute: (p, { inputs: [x], outputs: [y], outGrads: [head] }, [grad], [req], ctx) => {
      if (!grad || req === 'null') return;
      if (req === 'write') grad.data.fill(0);
      const planes = x!.shape[0]! * x!.shape[1]!;
      ctx.kernels.poolBackward(poolType(p), ctx.state, planes, x!.data, y!.data, head!.data, grad.data, p.count_include_pad ?? true);
    },
  },
});
