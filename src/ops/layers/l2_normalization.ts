/**
 * `L2Normalization` (MXNet `l2_normalization-inl.h`): divides by the L2 norm of each instance,
 * of each position across channels, or of each channel across positions.
 */
import { Shape, shapeToString } from '../../base/shape';
import type { LineView } from '../../backend/reference/layers_norm';
import { enumOf, float, ParamsOf } from '../params';
import { defineOp } from '../registry';

const PARAMS = {
  eps: float({ doc: 'added to the sum of squares before the square root', default: 1e-10 }),
  mode: enumOf({ doc: 'instance: one norm per sample; channel: per position across channels; spatial: per channel across positions', values: ['instance', 'channel', 'spatial'], default: 'instance' }),
};
type Params = ParamsOf<typeof PARAMS>;

function product(shape: Shape, from: number): number {
  let size = 1;
  for (let i = from; i < shape.length; i++) size *= shape[i]!;
  return size;
}

function lineView(p: Params, shape: Shape): LineView {
  switch (p.mode) {
    case 'instance': return { outer: shape[0]!, n: product(shape, 1), inner: 1 };
    case 'channel': return { outer: shape[0]!, n: shape[1]!, inner: product(shape, 2) };
    case 'spatial': return { outer: shape[0]! * shape[1]!, n: product(shape, 2), inner: 1 };
    default: { const never: never = p.mode; return never; }
  }
}

export const l2NormalizationOp = defineOp({
  name: 'L2Normalization',
  doc: [
    'out = x / sqrt(sum(x^2) + eps), the sum over all non-batch values (instance), over axis 1 (channel) or over axes 2.. (spatial).',
    'Hidden output norm: (N,) instance, data shape with axis 1 = 1 channel, (N, C) spatial. dx = (g - out * sum(g * out)) / norm.',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data'],
  outputs: () => ['output', 'norm'],
  numVisibleOutputs: () => 1,
  inferShape: (p, inputs, outputs, site) => {
    const data = inputs[0] ?? outputs[0] ?? null;
    if (!data) return { inputs, outputs };
    if (data.length < 1) site.fail('data', 'needs at least 1 axis (the batch)');
    if (p.mode !== 'instance' && data.length < 3) site.fail('data', `shape ${shapeToString(data)} needs at least 3 axes in ${p.mode} mode`, 3, data.length);
    const norm = p.mode === 'instance' ? [data[0]!] : p.mode === 'channel' ? data.map((d, i) => (i === 1 ? 1 : d)) : [data[0]!, data[1]!];
    return { inputs: [data], outputs: [data, norm] };
  },
  forward: (p, [x], [out, norm], [req], ctx) => ctx.kernels.l2NormalizeForward(x!.data, lineView(p, x!.shape), p.eps, out!.data, norm!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (p, { outputs: [y, norm], outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.l2NormalizeBackward(y!.data, g!.data, norm!.data, lineView(p, y!.shape), dx.data, req!);
    },
  },
});
