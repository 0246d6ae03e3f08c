/** `LRN` (MXNet `nn/lrn-inl.h`): local response normalization across channels of 4-d data. */
import { shapeToString } from '../../base/shape';
import type { LineView } from '../../backend/reference/layers_norm';
import { float, int } from '../params';
import { defineOp } from '../registry';
import type { Tensor } from '../types';

const channelView = (x: Tensor): LineView => ({ outer: x.shape[0]!, n: x.shape[1]!, inner: x.shape[2]! * x.shape[3]! });

export const lrnOp = defineOp({
  name: 'LRN',
  doc: [
    'norm[n,c,h,w] = knorm + alpha/nsize * sum of x[n,c\',h,w]^2 over c\' in [c - floor(nsize/2), c + floor(nsize/2)] (clipped);',
    'out = x * norm^-beta (norm is the hidden output tmp_norm).',
    'dx = g * norm^-beta - 2*beta*alpha/nsize * x * (window sum of g * x * norm^(-beta-1)).',
  ].join('\n'),
  params: {
    alpha: float({ doc: 'scale of the sum of squares (divided by nsize)', default: 1e-4 }),
    beta: float({ doc: 'exponent', default: 0.75 }),
    knorm: float({ doc: 'offset added to the scaled sum', default: 2 }),
    nsize: int({ doc: 'window size across channels (required)', min: 1 }),
  },
  inputs: () => ['data'],
  outputs: () => ['output', 'tmp_norm'],
  numVisibleOutputs: () => 1,
  inferShape: (_p, inputs, outputs, site) => {
    const data = inputs[0] ?? outputs[0] ?? null;
    if (!data) return { inputs, outputs };
    if (data.length !== 4) site.fail('data', `shape ${shapeToString(data)} must be 4-d (batch, channel, height, width)`, 4, data.length);
    return { inputs: [data], outputs: [data, data] };
  },
  forward: (p, [x], [out, norm], [req], ctx) => ctx.kernels.lrnForward(x!.data, channelView(x!), p, out!.data, norm!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [x], outputs: [, norm], outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.lrnBackward(x!.data, g!.data, norm!.data, channelView(x!), p, dx.data, req!);
    },
  },
});
