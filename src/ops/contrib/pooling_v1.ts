/**
 * `Pooling_v1` (MXNet `pooling_v1-inl.h`), the legacy mshadow pooling over 4-d NCHW data. No
 * count_include_pad, p_value, cudnn_off or layout. Where it differs from Pooling it follows v1:
 * the input is padded with zeros that max windows see (an all-negative window touching the padding
 * gives 0); avg always divides by kh*kw, also for `full` windows hanging past the padded input; a
 * max window's gradient goes to every position equal to its maximum. The forward runs Pooling
 * (unpadded, avg as sum) on the zero-padded data.
 */
import { ParamError } from '../../base/errors';
import { Shape, shapeToString } from '../../base/shape';
import type { PoolV1Window } from '../../backend/reference/contrib_v1';
import type { ForwardContext, ShapeSite, Tensor } from '../types';
import { poolingOp } from '../nn/pooling';
import { bool, enumOf, intTuple, ParamsOf } from '../params';
import { defineOp } from '../registry';
import { modernParamsOf } from './v1_params';

const PARAMS = {
  kernel: intTuple({ doc: 'window size (y, x); ignored with global_pool', default: [], min: 1 }),
  pool_type: enumOf({ doc: 'max, avg or sum over each window', values: ['max', 'avg', 'sum'], default: 'max' }),
  global_pool: bool({ doc: 'pool over the whole spatial extent (kernel, stride and pad ignored)', default: false }),
  pooling_convention: enumOf({ doc: 'valid rounds the output size down, full rounds it up', values: ['full', 'valid'], default: 'valid' }),
  stride: intTuple({ doc: 'window step (y, x); () means 1', default: [], min: 1 }),
  pad: intTuple({ doc: 'zero padding on both sides (y, x); () means 0', default: [], min: 0 }),
};
type Params = ParamsOf<typeof PARAMS>;

/** Checks the window parameters (ParamError) and fills v1's defaults: stride 1, pad 0. */
function resolved(p: Params, site: { readonly op: string; readonly node?: string | undefined }): { kernel: readonly number[]; stride: readonly number[]; pad: readonly number[] } {
  const fail = (argument: string, problem: string): never => {
    throw new ParamError({ op: site.op, node: site.node, argument }, problem);
  };
  if (p.global_pool) return { kernel: [], stride: [1, 1], pad: [0, 0] };
  if (p.kernel.length !== 2) fail('kernel', `must have 2 axes (y, x): Pooling_v1 has only 2-d pooling, got (${p.kernel.join(', ')})`);
  const stride = p.stride.length ? p.stride : [1, 1];
  const pad = p.pad.length ? p.pad : [0, 0];
  if (stride.length !== 2) fail('stride', `must have as many axes as kernel (2), got (${stride.join(', ')})`);
  if (pad.length !== 2) fail('pad', `must have as many axes as kernel (2), got (${pad.join(', ')})`);
  return { kernel: p.kernel, stride, pad };
}

/** Pooling's parameters for the padded data: no padding, avg computed as sum and scaled here. */
const modern = modernParamsOf(poolingOp.params, 'Pooling_v1', (p: Params) => {
  const { kernel, stride } = resolved(p, { op: 'Pooling_v1' });
  return { kernel, stride, global_pool: p.global_pool, pooling_convention: p.pooling_convention, pool_type: p.pool_type === 'avg' ? 'sum' : p.pool_type };
});

interface Geometry {
  readonly window: PoolV1Window;
  readonly planes: number;
  readonly padded: Shape;
  readonly outSize: number;
  /** avg's 1/(kh*kw) in float32, as MXNet's scalar<DType>. */
  readonly scale: number;
}

function outCount(p: Params, size: number, k: number, s: number): number {
  return 1 + (p.pooling_convention === 'full' ? Math.ceil((size - k) / s) : Math.floor((size - k) / s));
}

function geometryOf(p: Params, shape: Shape): Geometry {
  const { kernel, stride, pad } = resolved(p, { op: 'Pooling_v1' });
  const [n, c, height, width] = shape as [number, number, number, number];
  const [kh, kw] = p.global_pool ? [height, width] : [kernel[0]!, kernel[1]!];
  const [ph, pw] = [pad[0]!, pad[1]!];
  const [outH, outW] = p.global_pool ? [1, 1] : [outCount(p, height + 2 * ph, kh, stride[0]!), outCount(p, width + 2 * pw, kw, stride[1]!)];
  const window = { height, width, kh, kw, sh: stride[0]!, sw: stride[1]!, ph, pw, outH, outW };
  return { window, planes: n * c, padded: [n, c, height + 2 * ph, width + 2 * pw], outSize: n * c * outH * outW, scale: Math.fround(1 / (kh * kw)) };
}

const hasPad = (g: Geometry) => g.window.ph > 0 || g.window.pw > 0;

function checkData(p: Params, data: Shape, site: ShapeSite): void {
  if (data.length !== 4) site.fail('data', `must be 4-d (batch, channel, y, x), got ${shapeToString(data)}`);
  if (p.global_pool) return;
  const { kernel, pad } = resolved(p, site);
  for (const axis of [0, 1]) {
    const size = data[axis + 2]!;
    if (kernel[axis]! > size + 2 * pad[axis]!) {
      site.fail('data', `kernel size ${kernel[axis]} exceeds the input ${size} (padded to ${size + 2 * pad[axis]!}) on axis ${axis + 2}`);
    }
  }
}

/** A Pooling_v1 node's state (Pooling's params and state inside, and a context to run Pooling with, made once). */
interface PoolV1State {
  readonly geometry: Geometry;
  readonly params: ReturnType<typeof modern>;
  readonly pooling: ReturnType<NonNullable<typeof poolingOp.createState>>;
  inner: ForwardContext<PoolV1State['pooling']> | null;
}

export const poolingV1Op = defineOp({
  name: 'Pooling_v1',
  doc: [
    'out[n, c, oy, ox] = max / sum / (sum / (kh*kw)) of the zero-padded data over rows [oy*sh, oy*sh+kh) and columns [ox*sw, ox*sw+kw),',
    'clipped to the padded input. Output size 1 + floor((size + 2*pad - k) / s) (valid) or ceil (full); global_pool gives 1x1.',
    'd data: max sends the head gradient to every position equal to the window maximum; sum copies it; avg copies it / (kh*kw).',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, inputs, outputs, site) => {
    resolved(p, site);
    const data = inputs[0] ?? null;
    if (!data) return { inputs, outputs };
    checkData(p, data, site);
    const g = geometryOf(p, data);
    const inferred = poolingOp.inferShape(modern(p), [g.padded], outputs, site);
    return { inputs: [data], outputs: inferred.outputs };
  },
  workspace: (p, [data]) => {
    const g = geometryOf(p, data!);
    return (hasPad(g) ? g.planes * g.padded[2]! * g.padded[3]! : 0) + (p.pool_type === 'avg' ? g.outSize : 0);
  },
  // The geometry, Pooling's params and own state for the padded planes, and the context Pooling runs with.
  createState: (p, [data]): PoolV1State => {
    const geometry = geometryOf(p, data!);
    const params = modern(p);
    return { geometry, params, pooling: poolingOp.createState!(params, [geometry.padded]), inner: null };
  },
  forward: (p, [x], [out], [req], ctx) => {
    if (req === 'null') return;
    const g = ctx.state.geometry;
    const inner = (ctx.state.inner ??= { ...ctx, state: ctx.state.pooling });
    const w = g.window;
    const paddedSize = hasPad(g) ? g.planes * g.padded[2]! * g.padded[3]! : 0;
    let source: Tensor = x!;
    if (hasPad(g)) {
      source = { data: ctx.workspace.subarray(0, paddedSize), shape: g.padded };
      ctx.kernels.padPlanes(x!.data, g.planes, w.height, w.width, w.ph, w.pw, source.data);
    }
    if (p.pool_type !== 'avg') {
      poolingOp.forward(ctx.state.params, [source], [out!], [req!], inner);
      return;
    }
    // avg = sum * (1/(kh*kw)), as MXNet's scalar times a sum pool.
    const sums = req === 'write' ? out! : { data: ctx.workspace.subarray(paddedSize, paddedSize + g.outSize), shape: out!.shape };
    poolingOp.forward(ctx.state.params, [source], [sums], ['write'], inner);
    ctx.kernels.mapUnary(sums.data, out!.data, (v) => v * g.scale, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [x], outputs: [y], outGrads: [head] }, [dx], [req], ctx) => {
      if (!dx || req === 'null') return;
      const g = ctx.state.geometry;
      ctx.kernels.poolV1Backward(p.pool_type, x!.data, g.planes, g.window, y!.data, head!.data, g.scale, dx.data, req!);
    },
  },
});
