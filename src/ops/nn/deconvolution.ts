/**
 * Deconvolution (transposed convolution), 1-D (NCW) and 2-D (NCHW): the data-gradient of a
 * Convolution whose input has this op's output shape, as MXNet's `deconvolution-inl.h`.
 * weight (C, num_filter/num_group, *kernel); out = (in-1)*stride - 2*pad + dilate*(k-1) + 1 + adj,
 * or target_shape, from which pad and adj are derived as MXNet's InferPad does.
 */
import { ParamError } from '../../base/errors';
import { Shape } from '../../base/shape';
import { colSize, ConvGeometry, convGeometry } from '../../backend/geometry';
import { int, intTuple, bool, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { InferredShapes, MaybeShape, ShapeSite } from '../types';
import { biasGrad, checkData, GroupedGemm, resolveWindow, resultTimesColT, WINDOW_PARAMS, weightTimesCol, weightTTimesResult } from './convolution';

const PARAMS = {
  ...WINDOW_PARAMS,
  adj: intTuple({ doc: 'extra output size at the end of each axis, below stride: (w,) or (h, w); ignored with target_shape', default: [], min: 0 }),
  target_shape: intTuple({ doc: 'output spatial size: (w,) or (h, w); sets pad and adj; () or zeros means unset', default: [], min: 0 }),
  num_filter: int({ doc: 'number of output channels', min: 1, max: 100000 }),
  workspace: int({ doc: 'MXNet workspace limit in MB (accepted, unused by mxts)', default: 512, min: 0, max: 8192 }),
  no_bias: bool({ doc: 'omit the bias input (true by default, unlike Convolution)', default: true }),
};
type Params = ParamsOf<typeof PARAMS>;
type Site = { readonly op: string; readonly node?: string };

interface Setup {
  /** The convolution this op transposes: its input is our output, its output our data. */
  readonly geometry: ConvGeometry;
  readonly outSpatial: readonly number[];
}

function setup(p: Params, data: Shape, site: Site): Setup {
  const w = resolveWindow(p, site);
  const n = w.kernel.length;
  const fail = (argument: string, problem: string): never => {
    throw new ParamError({ op: site.op, node: site.node, argument }, problem);
  };
  for (const name of ['adj', 'target_shape'] as const) {
    if (p[name].length !== 0 && p[name].length !== n) fail(name, `must have as many axes as kernel (${n}), got (${p[name].join(', ')})`);
  }
  const inSpatial = data.slice(2);
  const useTarget = p.target_shape.some((t) => t !== 0);
  const pad: number[] = [];
  const adj: number[] = [];
  const outSpatial = w.kernel.map((k, i) => {
    const full = w.stride[i]! * (inSpatial[i]! - 1) + w.dilate[i]! * (k - 1) + 1;
    if (useTarget) {
      const target = p.target_shape[i]!;
      if (target > full) fail('target_shape', `(${p.target_shape.join(', ')}) is too big: axis ${i + 2} can reach at most ${full} from input size ${inSpatial[i]}`);
      pad.push((full - target + 1) >> 1);
      adj.push((full - target) % 2);
    } else {
      pad.push(w.pad[i]!);
      adj.push(p.adj[i] ?? 0);
    }
    if (adj[i]! >= w.stride[i]!) {
      if (useTarget) fail('target_shape', `needs adj ${adj[i]} on axis ${i + 2}, not smaller than the stride ${w.stride[i]}`);
      fail('adj', `${adj[i]} on axis ${i + 2} must be smaller than the stride ${w.stride[i]}`);
    }
    return full - 2 * pad[i]! + adj[i]!;
  });
  const geometry = convGeometry(p.num_filter, outSpatial, w.kernel, w.stride, pad, w.dilate, inSpatial);
  return { geometry, outSpatial };
}

function inferShape(p: Params, inputs: readonly MaybeShape[], outputs: readonly MaybeShape[], site: ShapeSite): InferredShapes {
  const w = resolveWindow(p, site);
  const data = inputs[0] ?? null;
  if (!data) return { inputs, outputs };
  checkData(data, w, p.num_group, site);
  const { outSpatial } = setup(p, data, site);
  outSpatial.forEach((size, i) => {
    if (size <= 0) site.fail('data', `gives an empty output (size ${size} on axis ${i + 2}); reduce pad`);
  });
  const weight = [data[1]!, p.num_filter / p.num_group, ...w.kernel];
  const out = [data[0]!, p.num_filter, ...outSpatial];
  return { inputs: p.no_bias ? [data, weight] : [data, weight, [p.num_filter]], outputs: [out] };
}

/** Per group: weight (C/G, F/G*K), column buffer (F/G*K, H*W), data (C/G, H*W). */
function groupedOf(p: Params, data: Shape, g: ConvGeometry): GroupedGemm {
  return { groups: p.num_group, rows: data[1]! / p.num_group, depth: (p.num_filter / p.num_group) * g.kh * g.kw, positions: g.outH * g.outW };
}

export const deconvolutionOp = defineOp({
  name: 'Deconvolution',
  doc: [
    'out = col2im(weight^T . data) + bias: every input position scatters weight[c, f, ki, kj] * data[n, c, y, x] to',
    'out[n, f, y*s - p + ki*d, x*s - p + kj*d] (dropped outside out). The adjoint of Convolution with the same weight.',
    'd data = weight . im2col(head); d weight = sum_n data . im2col(head)^T; d bias = sum of head over batch and positions.',
  ].join('\n'),
  params: PARAMS,
  inputs: (p) => (p.no_bias ? ['data', 'weight'] : ['data', 'weight', 'bias']),
  outputs: () => ['output'],
  inferShape,
  workspace: (p, [data]) => colSize(setup(p, data!, { op: 'Deconvolution' }).geometry),
  /** Per-filter float64 sums for the bias gradient. */
  createState: (p) => ({ channelTotals: new Float64Array(p.num_filter) }),
  forward: (p, [x, w, b], [out], [req], ctx) => {
    if (req === 'null') return;
    const geo = setup(p, x!.shape, { op: 'Deconvolution' }).geometry;
    const s = groupedOf(p, x!.shape, geo);
    const batch = x!.shape[0]!;
    const outSize = geo.channels * geo.height * geo.width;
    if (req === 'write') out!.data.fill(0);
    for (let n = 0; n < batch; n++) {
      weightTTimesResult(ctx.kernels, s, w!.data, x!.data, n * x!.shape[1]! * s.positions, ctx.workspace);
      ctx.kernels.col2im(ctx.workspace, geo, out!.data, n * outSize);
    }
    if (b) ctx.kernels.addChannelBias(out!.data, b.data, batch, geo.height * geo.width);
  },
  backward: {
    usesOutGrads: true,
    reads: () => ({ inputs: [0, 1], outputs: [] }),
    compute: (p, { inputs: [x, w], outGrads: [head] }, [dx, dw, db], [reqX, reqW, reqB], ctx) => {
      const geo = setup(p, x!.shape, { op: 'Deconvolution' }).geometry;
      const s = groupedOf(p, x!.shape, geo);
      const batch = x!.shape[0]!;
      const outSize = geo.channels * geo.height * geo.width;
      const inSize = x!.shape[1]! * s.positions;
      if (dw && reqW === 'write' && batch === 0) dw.data.fill(0);
      for (let n = 0; n < batch; n++) {
        ctx.kernels.im2col(head!.data, n * outSize, geo, ctx.workspace);
        if (dx && reqX !== 'null') weightTimesCol(ctx.kernels, s, w!.data, ctx.workspace, dx.data, n * inSize, reqX === 'add' ? 1 : 0);
        if (dw && reqW !== 'null') resultTimesColT(ctx.kernels, s, x!.data, n * inSize, ctx.workspace, dw.data, n === 0 && reqW === 'write' ? 0 : 1);
      }
      if (db && reqB !== undefined && reqB !== 'null') biasGrad(ctx.kernels, head!.data, db.data, batch, geo.height * geo.width, reqB, ctx.state.channelTotals);
    },
  },
});
