/**
 * `_contrib_DeformableConvolution` (MXNet `contrib/deformable_convolution-inl.h`): a 2-D grouped
 * convolution whose kernel taps move by per-position offsets (N, 2*kh*kw*deformable_groups, OH, OW),
 * read bilinearly: deformable im2col per sample, then one GEMM per group, as MXNet's kernel.
 */
import type { DeformableGeometry } from '../../backend/reference/vision_deformable';
import { Shape, shapeToString } from '../../base/shape';
import { bool, enumOf, int, intTuple, optional, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { ShapeSite } from '../types';

const PARAMS = {
  kernel: intTuple({ doc: 'kernel size (h, w)', min: 1 }),
  stride: intTuple({ doc: 'stride (h, w); () means 1', default: [], min: 1 }),
  dilate: intTuple({ doc: 'dilation (h, w); () means 1', default: [], min: 1 }),
  pad: intTuple({ doc: 'zero padding (h, w); () means 0', default: [], min: 0 }),
  num_filter: int({ doc: 'output channels', min: 1, max: 100000 }),
  num_group: int({ doc: 'channel groups', default: 1, min: 1 }),
  num_deformable_group: int({ doc: 'groups of input channels sharing one set of offsets', default: 1, min: 1 }),
  workspace: int({ doc: 'MXNet workspace limit in MB (accepted, unused by mxts)', default: 1024, min: 0, max: 8192 }),
  no_bias: bool({ doc: 'omit the bias input', default: false }),
  layout: optional(enumOf({ doc: "data layout; a 2-d kernel needs 'NCHW'", values: ['NCW', 'NCHW', 'NCDHW'] })),
};
type Params = ParamsOf<typeof PARAMS>;

/** The window with defaults filled in; fails (naming the parameter) unless the kernel is 2-D. */
function windowOf(p: Params, site?: ShapeSite) {
  if (site && p.kernel.length !== 2) site.fail('kernel', `(${p.kernel.join(', ')}) must be (h, w): only 2-D deformable convolution is implemented`);
  if (site && p.layout !== null && p.layout !== 'NCHW') site.fail('layout', `'${p.layout}' is not supported; a 2-D kernel needs 'NCHW'`);
  const axes = (name: 'stride' | 'dilate' | 'pad', fallback: number) => {
    const given = p[name];
    if (given.length === 0) return [fallback, fallback];
    if (site && given.length !== 2) site.fail(name, `(${given.join(', ')}) must have 2 axes, as kernel`);
    return given;
  };
  return { kernel: p.kernel, stride: axes('stride', 1), dilate: axes('dilate', 1), pad: axes('pad', 0) };
}

function geometryOf(p: Params, data: Shape, site?: ShapeSite): DeformableGeometry {
  const w = windowOf(p, site);
  const [, channels, height, width] = data as [number, number, number, number];
  const out = [0, 1].map((i) => {
    const padded = data[i + 2]! + 2 * w.pad[i]!;
    const dilated = w.dilate[i]! * (w.kernel[i]! - 1) + 1;
    if (site && dilated > padded) site.fail('data', `spatial size ${data[i + 2]} padded to ${padded} is smaller than the dilated kernel ${dilated} on axis ${i + 2}`);
    return Math.floor((padded - dilated) / w.stride[i]!) + 1;
  });
  return {
    channels, height, width, kernelH: w.kernel[0]!, kernelW: w.kernel[1]!, padH: w.pad[0]!, padW: w.pad[1]!,
    strideH: w.stride[0]!, strideW: w.stride[1]!, dilateH: w.dilate[0]!, dilateW: w.dilate[1]!,
    deformableGroups: p.num_deformable_group, outH: out[0]!, outW: out[1]!,
  };
}

/** GEMM sizes per group: M filters, K column rows, N output positions. */
const gemmSizes = (p: Params, g: DeformableGeometry) => ({
  M: p.num_filter / p.num_group, K: (g.channels / p.num_group) * g.kernelH * g.kernelW, N: g.outH * g.outW,
});

export const deformableConvolutionOp = defineOp({
  name: '_contrib_DeformableConvolution',
  doc: [
    'out[n, f] = sum over c, tap (i, j) of weight[f, c, i, j] * bilinear(data[n, c]) at (oh*sh - ph + i*dh + offset_h, ow*sw - pw + j*dw + offset_w)',
    '(0 off the map) + bias[f]; offsets of tap (i, j) for deformable group d at channels d*2*kh*kw + 2(i*kw + j) (h) and + 1 (w).',
    'Gradients: data by the transposed bilinear reads, offset by their slopes, weight = g . col^T, bias = sums of g.',
  ].join('\n'),
  params: PARAMS,
  inputs: (p) => (p.no_bias ? ['data', 'offset', 'weight'] : ['data', 'offset', 'weight', 'bias']),
  outputs: () => ['output'],
  inferShape: (p, inputs, _outputs, site) => {
    windowOf(p, site);
    const data = inputs[0] ?? null;
    if (!data) return { inputs, outputs: [null] };
    if (data.length !== 4) site.fail('data', `shape ${shapeToString(data)} must be 4-d (batch, channel, height, width)`);
    const g = geometryOf(p, data, site);
    const check = (ok: boolean, argument: string, problem: string) => {
      if (!ok) site.fail(argument, problem);
    };
    check(g.channels % p.num_group === 0, 'data', `has ${g.channels} channels, not divisible by num_group=${p.num_group}`);
    check(g.channels % p.num_deformable_group === 0, 'data', `has ${g.channels} channels, not divisible by num_deformable_group=${p.num_deformable_group}`);
    check(p.num_filter % p.num_group === 0, 'num_filter', `${p.num_filter} is not divisible by num_group=${p.num_group}`);
    check(p.num_filter % p.num_deformable_group === 0, 'num_filter', `${p.num_filter} is not divisible by num_deformable_group=${p.num_deformable_group}`);
    const offset = [data[0]!, 2 * g.kernelH * g.kernelW * p.num_deformable_group, g.outH, g.outW];
    const weight = [p.num_filter, g.channels / p.num_group, g.kernelH, g.kernelW];
    return { inputs: p.no_bias ? [data, offset, weight] : [data, offset, weight, [p.num_filter]], outputs: [[data[0]!, p.num_filter, g.outH, g.outW]] };
  },
  workspace: (p, [data]) => {
    const g = geometryOf(p, data!);
    return g.channels * g.kernelH * g.kernelW * g.outH * g.outW;
  },
  forward: (p, inputs, [out], [req], ctx) => {
    if (req === 'null') return;
    const [data, offset, weight] = [inputs[0]!, inputs[1]!, inputs[2]!];
    const g = geometryOf(p, data.shape);
    const { M, K, N } = gemmSizes(p, g);
    const batch = data.shape[0]!;
    const col = ctx.workspace;
    for (let n = 0; n < batch; n++) {
      ctx.kernels.deformableIm2col(data.data, n * g.channels * g.height * g.width, offset.data, n * offset.shape[1]! * N, g, col);
      for (let grp = 0; grp < p.num_group; grp++) {
        ctx.kernels.gemm(false, false, M, N, K, 1, weight.data, K, grp * M * K, col, N, grp * K * N, req === 'add' ? 1 : 0, out!.data, N, (n * p.num_filter + grp * M) * N);
      }
    }
    if (!p.no_bias) ctx.kernels.addFilterBias(out!.data, inputs[3]!.data, batch, p.num_filter, N);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs, outGrads: [gOut] }, grads, req, ctx) => {
      const [data, offset, weight] = [inputs[0]!, inputs[1]!, inputs[2]!];
      const [dData, dOffset, dWeight] = [grads[0] ?? null, grads[1] ?? null, grads[2] ?? null];
      const g = geometryOf(p, data.shape);
      const { M, K, N } = gemmSizes(p, g);
      const batch = data.shape[0]!;
      const [inSize, offSize] = [g.channels * g.height * g.width, offset.shape[1]! * N];
      const col = ctx.workspace;
      if (dData && req[0] === 'write') dData.data.fill(0);
      for (let n = 0; n < batch; n++) {
        const head = n * p.num_filter * N;
        if (dData || dOffset) {
          for (let grp = 0; grp < p.num_group; grp++) {
            ctx.kernels.gemm(true, false, K, N, M, 1, weight.data, K, grp * M * K, gOut!.data, N, head + grp * M * N, 0, col, N, grp * K * N);
          }
          if (dOffset) ctx.kernels.deformableCol2imCoord(col, data.data, n * inSize, offset.data, n * offSize, g, dOffset.data, req[1]!);
          if (dData && req[0] !== 'null') ctx.kernels.deformableCol2im(col, offset.data, n * offSize, g, dData.data, n * inSize);
        }
        if (dWeight && req[2] !== 'null') {
          ctx.kernels.deformableIm2col(data.data, n * inSize, offset.data, n * offSize, g, col);
          const beta = n === 0 && req[2] === 'write' ? 0 : 1;
          for (let grp = 0; grp < p.num_group; grp++) {
            ctx.kernels.gemm(false, true, M, K, N, 1, gOut!.data, N, head + grp * M * N, col, N, grp * K * N, beta, dWeight.data, K, grp * M * K);
          }
        }
      }
      const dBias = p.no_bias ? null : grads[3] ?? null;
      if (dBias) ctx.kernels.filterBiasGrad(gOut!.data, batch, p.num_filter, N, dBias.data, req[3]!);
    },
  },
});
