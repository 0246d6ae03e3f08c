/**
 * Normalizations by a line's mean and standard deviation (MXNet `nn/layer_norm.cc`,
 * `instance_norm-inl.h`, `nn/group_norm.cc`): LayerNorm along one axis, InstanceNorm over each
 * (sample, channel)'s spatial values, GroupNorm over each (sample, channel group).
 */
import { Shape, shapeToString } from '../../base/shape';
import type { AffineIndex, LineView } from '../../backend/reference/layers_norm';
import { bool, float, int, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { AnyOpDef, BackwardDef, ForwardContext, MaybeShape, Req, ShapeSite, Tensor } from '../types';
import { checkedAxis, resolvedAxis } from '../tensor/axes';

function product(shape: Shape, from: number, to = shape.length): number {
  let size = 1;
  for (let i = from; i < to; i++) size *= shape[i]!;
  return size;
}

/** The shape-independent part of each op: its line view, affine indexing and shape rule. */
interface MomentNorm<P> {
  readonly view: (p: P, shape: Shape) => LineView;
  readonly affine: AffineIndex;
  /** InstanceNorm keeps the variance in its hidden output, the others sqrt(var + eps). */
  readonly storeVariance: boolean;
  /** (gamma/beta shape, mean/spread shape) for known data, after validating it. */
  readonly shapes: (p: P, data: Shape, site: ShapeSite) => readonly [Shape, Shape];
}

function forward<P extends { eps: number }>(norm: MomentNorm<P>) {
  return (p: P, [x, gamma, beta]: readonly Tensor[], [out, mean, spread]: readonly Tensor[], req: readonly Req[], ctx: ForwardContext) =>
    ctx.kernels.momentNormForward(x!.data, gamma!.data, beta!.data, norm.view(p, x!.shape), p.eps, norm.affine, norm.storeVariance, out!.data, mean!.data, spread!.data, req);
}

function inferShape<P>(norm: MomentNorm<P>) {
  return (p: P, inputs: readonly MaybeShape[], outputs: readonly MaybeShape[], site: ShapeSite) => {
    const data = inputs[0] ?? outputs[0] ?? null;
    if (!data) return { inputs, outputs };
    const [param, moments] = norm.shapes(p, data, site);
    return { inputs: [data, param, param], outputs: [data, moments, moments] };
  };
}

function backward<P extends { eps: number }>(norm: MomentNorm<P>): BackwardDef<P> {
  return {
    usesOutGrads: true,
    compute: (p, { inputs: [x, gamma], outputs: [, mean, spread], outGrads: [g] }, [dx, dgamma, dbeta], req, ctx) =>
      ctx.kernels.momentNormBackward(x!.data, g!.data, gamma!.data, mean!.data, spread!.data, norm.view(p, x!.shape), p.eps, norm.affine, norm.storeVariance, dx?.data ?? null, dgamma?.data ?? null, dbeta?.data ?? null, req),
  };
}

const LAYER_NORM_PARAMS = {
  axis: int({ doc: 'the axis to normalize over; negative counts from the end', default: -1 }),
  eps: float({ doc: 'added to the variance before the square root', default: 1e-5, min: 0 }),
  output_mean_var: bool({ doc: 'expose the mean and std outputs', default: false }),
};

const layerNorm: MomentNorm<ParamsOf<typeof LAYER_NORM_PARAMS>> = {
  view: (p, shape) => {
    const axis = resolvedAxis(p.axis, shape.length);
    return { outer: product(shape, 0, axis), n: shape[axis]!, inner: product(shape, axis + 1) };
  },
  affine: 'element',
  storeVariance: false,
  shapes: (p, data, site) => {
    const axis = checkedAxis(p.axis, data.length, site);
    return [[data[axis]!], data.map((d, i) => (i === axis ? 1 : d))];
  },
};

export const layerNormOp = defineOp({
  name: 'LayerNorm',
  doc: [
    'out = (x - mean) / std * gamma + beta, mean and std = sqrt(var + eps) (biased var) along axis; gamma, beta indexed along axis.',
    'Outputs out, mean, std (mean/std keep axis as size 1); the last two are visible with output_mean_var.',
    'dx = (h - mean(h) - xhat*mean(h*xhat)) / std with h = g*gamma, xhat = (x-mean)/std; dgamma = sum(g*xhat), dbeta = sum(g).',
    'Only the gradient of out flows back (as MXNet).',
  ].join('\n'),
  params: LAYER_NORM_PARAMS,
  inputs: () => ['data', 'gamma', 'beta'],
  outputs: () => ['output', 'mean', 'std'],
  numVisibleOutputs: (p) => (p.output_mean_var ? 3 : 1),
  inferShape: inferShape(layerNorm),
  forward: forward(layerNorm),
  backward: backward(layerNorm),
});

const INSTANCE_NORM_PARAMS = {
  eps: float({ doc: 'added to the variance before the square root', default: 1e-3, min: 0 }),
};

function requireSpatial(data: Shape, site: ShapeSite, op: string): void {
  if (data.length < 3) site.fail('data', `shape ${shapeToString(data)} needs at least 3 axes (batch, channel, spatial...) for ${op}`, 3, data.length);
}

const instanceNorm: MomentNorm<ParamsOf<typeof INSTANCE_NORM_PARAMS>> = {
  view: (_p, shape) => ({ outer: shape[0]! * shape[1]!, n: product(shape, 2), inner: 1 }),
  affine: 'line',
  storeVariance: true,
  shapes: (_p, data, site) => {
    requireSpatial(data, site, 'InstanceNorm');
    return [[data[1]!], [data[0]!, data[1]!]];
  },
};

export const instanceNormOp = defineOp({
  name: 'InstanceNorm',
  doc: [
    'out[n,c,...] = (x - mean[n,c]) / sqrt(var[n,c] + eps) * gamma[c] + beta[c], statistics over the spatial axes (biased var).',
    'Hidden outputs mean and var, shape (N, C). Gradients as LayerNorm\'s, per (n, c) line; dgamma/dbeta sum over n and space.',
  ].join('\n'),
  params: INSTANCE_NORM_PARAMS,
  inputs: () => ['data', 'gamma', 'beta'],
  outputs: () => ['output', 'mean', 'var'],
  numVisibleOutputs: () => 1,
  inferShape: inferShape(instanceNorm),
  forward: forward(instanceNorm),
  backward: backward(instanceNorm),
});

const GROUP_NORM_PARAMS = {
  num_groups: int({ doc: 'number of channel groups; must divide the channel count', default: 1, min: 1 }),
  eps: float({ doc: 'added to the variance before the square root', default: 1e-5, min: 0 }),
  output_mean_var: bool({ doc: 'expose the mean and std outputs', default: false }),
};

const groupNorm: MomentNorm<ParamsOf<typeof GROUP_NORM_PARAMS>> = {
  view: (p, shape) => ({ outer: shape[0]! * p.num_groups, n: product(shape, 1) / p.num_groups, inner: 1 }),
  affine: 'line',
  storeVariance: false,
  shapes: (p, data, site) => {
    requireSpatial(data, site, 'GroupNorm');
    if (data[1]! % p.num_groups !== 0) site.fail('num_groups', `${p.num_groups} does not divide the ${data[1]} channels of data ${shapeToString(data)}`, data[1], p.num_groups);
    return [[p.num_groups], [data[0]!, p.num_groups]];
  },
};

export const groupNormOp = defineOp({
  name: 'GroupNorm',
  doc: [
    'data viewed as (N, G, C/G * spatial): out = (x - mean[n,g]) / std[n,g] * gamma[g] + beta[g], std = sqrt(var + eps) (biased var).',
    'gamma and beta have shape (num_groups,) as in MXNet 1.x. Outputs out, mean, std (N, G); the last two visible with output_mean_var.',
    'Gradients as LayerNorm\'s per (n, g) line; only the gradient of out flows back.',
  ].join('\n'),
  params: GROUP_NORM_PARAMS,
  inputs: () => ['data', 'gamma', 'beta'],
  outputs: () => ['output', 'mean', 'std'],
  numVisibleOutputs: (p) => (p.output_mean_var ? 3 : 1),
  inferShape: inferShape(groupNorm),
  forward: forward(groupNorm),
  backward: backward(groupNorm),
});

export const momentNormOps: readonly AnyOpDef[] = [layerNormOp, instanceNormOp, groupNormOp];
