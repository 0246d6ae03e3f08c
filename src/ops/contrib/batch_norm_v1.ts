/**
 * `BatchNorm_v1` (MXNet `batch_norm_v1-inl.h`), the legacy batch normalization: channel axis 1 of
 * 2-d or 4-d data, no axis/cudnn_off parameters. It computes through BatchNorm's definition; where
 * the two differ it follows v1: the moving statistics are updated in backward (v1 updates them
 * only when a backward pass runs), not in a training forward.
 */
import { shapeToString } from '../../base/shape';
import { batchNormOp } from '../nn/batch_norm';
import { bool, float } from '../params';
import { defineOp } from '../registry';
import { modernParamsOf } from './v1_params';

const PARAMS = {
  eps: float({ doc: 'added to the variance before the square root', default: 1e-3 }),
  momentum: float({ doc: 'moving = moving*momentum + batch*(1-momentum), applied in backward', default: 0.9 }),
  fix_gamma: bool({ doc: 'use gamma = 1 and give gamma a zero gradient', default: true }),
  use_global_stats: bool({ doc: 'normalize with the moving statistics in training too', default: false }),
  output_mean_var: bool({ doc: 'expose the mean and var outputs', default: false }),
};

const modern = modernParamsOf(batchNormOp.params, 'BatchNorm_v1', (p: { eps: number; momentum: number; fix_gamma: boolean; use_global_stats: boolean; output_mean_var: boolean }) => ({
  eps: p.eps, momentum: p.momentum, fix_gamma: p.fix_gamma, use_global_stats: p.use_global_stats, output_mean_var: p.output_mean_var, axis: 1,
}));

/** Whether forward normalizes with the batch statistics (and backward then updates the moving ones). */
const usesBatchStats = (p: { use_global_stats: boolean }, isTrain: boolean) => isTrain && !p.use_global_stats;

export const batchNormV1Op = defineOp({
  name: 'BatchNorm_v1',
  // MXNet 1.9.1 gives the moving statistics' variables the same __init__ as BatchNorm's.
  inputVarInit: { 3: '["zero", {}]', 4: '["one", {}]' },
  doc: [
    'out = (x - mean[c]) / sqrt(var[c] + eps) * gamma[c] + beta[c] over channel axis 1 (gamma = 1 with fix_gamma), as BatchNorm;',
    'training uses the batch statistics (biased variance), inference moving_mean/moving_var. Gradients as BatchNorm.',
    'v1 updates moving = moving*momentum + batch*(1-momentum) in backward, so a training forward alone leaves them unchanged.',
    'Differs from MXNet: gamma is not overwritten with 1 under fix_gamma (v1 writes 1 into the gamma array).',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data', 'gamma', 'beta', 'moving_mean', 'moving_var'],
  numAux: () => 2,
  outputs: () => ['output', 'mean', 'var'],
  numVisibleOutputs: (p) => (p.output_mean_var ? 3 : 1),
  inferShape: (p, inputs, outputs, site) => {
    const data = inputs[0] ?? outputs[0] ?? null;
    if (data && data.length !== 2 && data.length !== 4) site.fail('data', `must be 2-d (batch, channel) or 4-d (batch, channel, height, width), got ${shapeToString(data)}`);
    return batchNormOp.inferShape(modern(p), inputs, outputs, site);
  },
  // Room for stand-in moving statistics, so a training forward leaves the real ones alone.
  workspace: (_p, [data]) => 2 * data![1]!,
  // BatchNorm's state plus its params (the context then passes through as is).
  createState: (p, shapes) => {
    const params = modern(p);
    return { ...batchNormOp.createState!(params, shapes), params };
  },
  forward: (p, inputs, outputs, req, ctx) => {
    if (!usesBatchStats(p, ctx.isTrain)) {
      batchNormOp.forward(ctx.state.params, inputs, outputs, req, ctx);
      return;
    }
    const channels = inputs[0]!.shape[1]!;
    const standIn = (k: number) => ({ data: ctx.workspace.subarray(k * channels, (k + 1) * channels), shape: inputs[3]!.shape });
    batchNormOp.forward(ctx.state.params, [inputs[0]!, inputs[1]!, inputs[2]!, standIn(0), standIn(1)], outputs, req, ctx);
  },
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i < 3,
    compute: (p, io, inGrads, req, ctx) => {
      batchNormOp.backward!.compute(ctx.state.params, io, inGrads, req, ctx);
      // NOTE: backward runs after a training forward, so mean/var hold this batch's statistics.
      if (p.use_global_stats) return;
      const [movingMean, movingVar] = [io.inputs[3]!, io.inputs[4]!];
      const [mean, variance] = [io.outputs[1]!, io.outputs[2]!];
      const m = p.momentum;
      ctx.kernels.mapBinary(movingMean.data, mean.data, movingMean.data, (a, b) => a * m + b * (1 - m), 'write');
      ctx.kernels.mapBinary(movingVar.data, variance.data, movingVar.data, (a, b) => a * m + b * (1 - m), 'write');
    },
  },
});
