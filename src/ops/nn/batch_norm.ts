/**
 * `BatchNorm` (MXNet `nn/batch_norm-inl.h`, `batch_norm.cc`): normalizes each channel (the `axis`
 * of data) with the batch statistics while training and the moving statistics otherwise.
 */
import type { Shape } from '../../base/shape';
import { axisView, AxisView } from '../../backend/geometry';
import { bool, float, int, optional, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { Req } from '../types';
import { checkedAxis, resolvedAxis } from '../tensor/axes';

const PARAMS = {
  eps: float({ doc: 'added to the variance before the square root', default: 1e-3, min: 0 }),
  momentum: float({ doc: 'moving = moving*momentum + batch*(1-momentum)', default: 0.9 }),
  fix_gamma: bool({ doc: 'use gamma = 1 and give gamma a zero gradient', default: true }),
  use_global_stats: bool({ doc: 'normalize with the moving statistics in training too', default: false }),
  output_mean_var: bool({ doc: 'expose the mean and var outputs', default: false }),
  axis: int({ doc: 'the channel axis; negative counts from the end', default: 1 }),
  cudnn_off: bool({ doc: 'no effect in mxts', default: false }),
  min_calib_range: optional(float({ doc: 'quantization calibration (no effect in mxts)' })),
  max_calib_range: optional(float({ doc: 'quantization calibration (no effect in mxts)' })),
};
type Params = ParamsOf<typeof PARAMS>;

function channelView(p: Params, shape: Shape): AxisView {
  return axisView(shape, resolvedAxis(p.axis, shape.length));
}

/** Per-channel statistics and coefficients in float64: a node's state (no per-call arrays). */
function scratchOf(p: Params, shape: Shape) {
  const view = channelView(p, shape);
  const doubles = () => new Float64Array(view.n);
  return { view, means: doubles(), variances: doubles(), scales: doubles(), shifts: doubles() };
}

function put(out: Float32Array, i: number, v: number, req: Req): void {
  if (req === 'write') out[i] = v;
  else if (req === 'add') out[i]! += v;
}

export const batchNormOp = defineOp({
  name: 'BatchNorm',
  inputVarInit: { 3: '["zero", {}]', 4: '["one", {}]' },
  doc: [
    'out = (x - mean[c]) / sqrt(var[c] + eps) * gamma[c] + beta[c], c = index along axis; gamma = 1 with fix_gamma.',
    'Training (isTrain and not use_global_stats): mean/var are the batch statistics (biased variance, divided by N),',
    'and forward updates moving_mean/moving_var = moving*momentum + batch*(1-momentum) (biased variance, as MXNet CPU).',
    'Otherwise mean/var are moving_mean/moving_var. Backward (training): with xhat = (x-mean)*invstd, N items per channel,',
    'dx = gamma*invstd*(g - mean(g) - xhat*mean(g*xhat)); dgamma = sum(g*xhat) (0 with fix_gamma); dbeta = sum(g).',
    'With use_global_stats: dx = g*gamma*invstd. The hidden outputs mean, var hold the statistics used.',
    'mxts differs: the moving update happens in forward (as MXNet with MKLDNN/cuDNN; MXNet native CPU does it in backward);',
    'the var output is the variance (MXNet CPU stores 1/sqrt(var+eps) there); gamma is not overwritten with 1 under fix_gamma.',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data', 'gamma', 'beta', 'moving_mean', 'moving_var'],
  numAux: () => 2,
  outputs: () => ['output', 'mean', 'var'],
  numVisibleOutputs: (p) => (p.output_mean_var ? 3 : 1),
  inferShape: (p, inputs, outputs, site) => {
    const data = inputs[0] ?? outputs[0] ?? null;
    if (!data) return { inputs, outputs };
    const axis = checkedAxis(p.axis, data.length, site);
    const channels = [data[axis]!];
    return { inputs: [data, channels, channels, channels, channels], outputs: [data, channels, channels] };
  },
  // MXNet's BatchNormType: parameters, statistics and moving averages are float32 for float16 data.
  inferType: (_p, inputs, outputs) => {
    const data = inputs[0] ?? outputs[0] ?? null;
    const param = data === 'float16' ? 'float32' : data;
    return { inputs: [data, param, param, param, param], outputs: [data, param, param] };
  },
  createState: (p, [data]) => scratchOf(p, data!),
  forward: (p, [x, gamma, beta, movingMean, movingVar], [out, mean, variance], req, ctx) => {
    const { view, means, variances, scales, shifts } = ctx.state;
    const xs = x!.data;
    const count = view.outer * view.inner;
    if (ctx.isTrain && !p.use_global_stats) {
      ctx.kernels.channelSums(xs, view, null, means);
      for (let c = 0; c < view.n; c++) means[c]! /= count;
      ctx.kernels.channelSums(xs, view, means, variances);
      for (let c = 0; c < view.n; c++) {
        variances[c]! /= count;
        movingMean!.data[c] = movingMean!.data[c]! * p.momentum + means[c]! * (1 - p.momentum);
        movingVar!.data[c] = movingVar!.data[c]! * p.momentum + variances[c]! * (1 - p.momentum);
      }
    } else {
      means.set(movingMean!.data);
      variances.set(movingVar!.data);
    }
    for (let c = 0; c < view.n; c++) {
      put(mean!.data, c, means[c]!, req[1]!);
      put(variance!.data, c, variances[c]!, req[2]!);
      scales[c] = (p.fix_gamma ? 1 : gamma!.data[c]!) / Math.sqrt(variances[c]! + p.eps);
      shifts[c] = beta!.data[c]!;
    }
    ctx.kernels.channelAffine(xs, out!.data, view, means, scales, shifts, req[0]!);
  },
  backward: {
    usesOutGrads: true,
    // data and gamma, and the batch statistics kept in the hidden outputs; not the normalized output.
    reads: () => ({ inputs: [0, 1], outputs: [1, 2] }),
    compute: (p, { inputs: [x, gamma], outputs: [, mean, variance], outGrads: [g] }, [dx, dgamma, dbeta], req, ctx) => {
      const gammaUsed = p.fix_gamma ? null : gamma!.data;
      ctx.kernels.batchNormBackward(
        x!.data, g!.data, channelView(p, x!.shape), mean!.data, variance!.data, gammaUsed, p.eps, p.use_global_stats,
        dx?.data ?? null, req[0]!, dgamma?.data ?? null, req[1]!, dbeta?.data ?? null, req[2]!,
      );
    },
  },
});
