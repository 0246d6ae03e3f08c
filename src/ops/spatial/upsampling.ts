/**
 * UpSampling (MXNet `nn/upsampling.cc`). `nearest` repeats pixels by integer factors and takes
 * 1..N inputs (arg0..; concat or sum); `bilinear` is MXNet's Deconvolution with a (C, 1, k, k)
 * weight, k = 2s - s % 2, stride s, pad ceil((s - 1) / 2), one group per channel, no bias: it runs
 * through the Deconvolution op itself, so both compute the same numbers.
 */
import { shapeToString } from '../../base/shape';
import { deconvolutionOp } from '../nn/deconvolution';
import { enumOf, int, intTuple, parseParams, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { InferredShapes, MaybeShape, ShapeSite } from '../types';

const PARAMS = {
  scale: intTuple({ doc: 'upsampling factor: s, (sh, sw) or (1, 1, sh, sw); () means 1; bilinear needs sh = sw', default: [], min: 1 }),
  num_filter: int({ doc: 'channels of the input (bilinear only: the Deconvolution groups and filters)', default: 0, min: 0 }),
  sample_type: enumOf({ doc: 'nearest (pixel repeat) or bilinear (Deconvolution with the weight input)', values: ['nearest', 'bilinear'] }),
  multi_input_mode: enumOf({ doc: 'nearest with several inputs: concat along channels, or sum (same channels)', values: ['concat', 'sum'], default: 'concat' }),
  num_args: int({ doc: 'number of inputs (nearest: 1..N, filled from the inputs given; bilinear: data and weight)', min: 1 }),
  workspace: int({ doc: 'MXNet workspace limit in MB (accepted, unused by mxts)', default: 512, min: 0, max: 8192 }),
};
type Params = ParamsOf<typeof PARAMS>;

/** (sh, sw) from `scale` as MXNet's scaleComp reads it. */
function scaleHW(p: Params): [number, number] {
  const s = p.scale;
  if (s.length === 1) return [s[0]!, s[0]!];
  if (s.length === 2) return [s[0]!, s[1]!];
  if (s.length === 4) return [s[2]!, s[3]!];
  return [1, 1];
}

/** The Deconvolution a bilinear UpSampling runs (MXNet's GetDeconvolutionParam). */
function deconvParams(p: Params) {
  const [s] = scaleHW(p);
  const kernel = 2 * s - (s % 2);
  const pad = Math.ceil((s - 1) / 2);
  return parseParams(deconvolutionOp.params, {
    kernel: [kernel, kernel], stride: [s, s], pad: [pad, pad], num_filter: p.num_filter, num_group: p.num_filter, no_bias: true, workspace: p.workspace,
  }, { op: 'UpSampling' });
}

function check4d(shape: readonly number[], name: string, kind: string, site: ShapeSite): void {
  if (shape.length !== 4) site.fail(name, `shape ${shapeToString(shape)} must be 4-d (batch, channel, y, x) for ${kind} upsampling`);
}

function inferShape(p: Params, inputs: readonly MaybeShape[], _outputs: readonly MaybeShape[], site: ShapeSite): InferredShapes {
  const [sh, sw] = scaleHW(p);
  const data = inputs[0] ?? null;
  if (p.sample_type === 'bilinear') {
    if (sh !== sw) site.fail('scale', `(${p.scale.join(', ')}) must be the same along both axes for bilinear upsampling`);
    if (!data) return { inputs, outputs: [null] };
    check4d(data, 'data', 'bilinear', site);
    if (p.num_filter !== data[1]) site.fail('num_filter', `${p.num_filter} must equal the channels of data ${shapeToString(data)} for bilinear upsampling`, data[1], p.num_filter);
    const k = 2 * sh - (sh % 2);
    return { inputs: [data, [data[1]!, 1, k, k]], outputs: [[data[0]!, data[1]!, data[2]! * sh, data[3]! * sw]] };
  }
  if (inputs.some((s) => !s)) return { inputs, outputs: [null] };
  const shapes = inputs as readonly (readonly number[])[];
  const first = shapes[0]!;
  shapes.forEach((s, i) => check4d(s, `arg${i}`, 'nearest', site));
  const outH = first[2]! * sh;
  const outW = first[3]! * sw;
  let channels = 0;
  shapes.forEach((s, i) => {
    if (outH % s[2]! !== 0 || outW % s[3]! !== 0) site.fail(`arg${i}`, `spatial size ${s[2]}x${s[3]} does not divide the output size ${outH}x${outW}`);
    if (s[0] !== first[0]) site.fail(`arg${i}`, `batch ${s[0]} does not match arg0's ${first[0]}`);
    if (p.multi_input_mode === 'sum') {
      if (channels !== 0 && channels !== s[1]) site.fail(`arg${i}`, `has ${s[1]} channels, but multi_input_mode 'sum' needs all inputs to have ${channels}`);
      channels = s[1]!;
    } else channels += s[1]!;
  });
  return { inputs, outputs: [[first[0]!, channels, outH, outW]] };
}

export const upSamplingOp = defineOp({
  name: 'UpSampling',
  doc: [
    "nearest: out[n, c, y, x] = arg[n, c, y / s_h, x / s_w] (integer division); several inputs are each scaled to arg0's",
    "output size and concatenated along channels ('concat') or added ('sum'); d arg = sum of g over each s_h x s_w block.",
    'bilinear: out = Deconvolution(data, weight, kernel 2s - s%2, stride s, pad ceil((s-1)/2), num_group = num_filter),',
    "weight (C, 1, k, k) initialized '[\"bilinear\", {}]'; gradients to data and weight are Deconvolution's.",
  ].join('\n'),
  params: PARAMS,
  variadicParam: 'num_args',
  inputs: (p) => (p.sample_type === 'bilinear' ? ['data', 'weight'] : Array.from({ length: p.num_args }, (_, i) => `arg${i}`)),
  inputVarInit: { 1: '["bilinear", {}]' },
  outputs: () => ['output'],
  inferShape,
  workspace: (p, shapes) => (p.sample_type === 'bilinear' ? deconvolutionOp.workspace!(deconvParams(p), shapes) : 0),
  // bilinear runs Deconvolution with these params and Deconvolution's state (this state extends
  // it, so the context passes through as is); nearest needs neither.
  createState: (p, shapes) => {
    if (p.sample_type !== 'bilinear') return { channelTotals: new Float64Array(0), deconv: null };
    const deconv = deconvParams(p);
    return { ...deconvolutionOp.createState!(deconv, shapes), deconv };
  },
  forward: (p, inputs, [out], [req], ctx) => {
    const { deconv } = ctx.state;
    if (deconv) return deconvolutionOp.forward(deconv, inputs, [out!], [req!], ctx);
    let offset = 0;
    inputs.forEach((x, i) => {
      const sh = out!.shape[2]! / x.shape[2]!;
      const sw = out!.shape[3]! / x.shape[3]!;
      const r = p.multi_input_mode === 'sum' && i > 0 && req !== 'null' ? 'add' : req!;
      ctx.kernels.upsampleNearest(x.data, x.shape, out!.data, out!.shape, offset, sh, sw, r);
      if (p.multi_input_mode === 'concat') offset += x.shape[1]!;
    });
  },
  backward: {
    usesOutGrads: true,
    compute: (p, io, inGrads, req, ctx) => {
      const { deconv } = ctx.state;
      if (deconv) return deconvolutionOp.backward!.compute(deconv, io, inGrads, req, ctx);
      const g = io.outGrads[0]!;
      let offset = 0;
      io.inputs.forEach((x, i) => {
        const dx = inGrads[i];
        if (dx) ctx.kernels.upsampleNearestGrad(g.data, g.shape, offset, dx.data, dx.shape, g.shape[2]! / x.shape[2]!, g.shape[3]! / x.shape[3]!, req[i]!);
        if (p.multi_input_mode === 'concat') offset += x.shape[1]!;
      });
    },
  },
});
