/**
 * `LeakyReLU` (MXNet `leaky_relu-inl.h`): leaky, prelu (a learned slope per channel), rrelu (a random
 * slope per element while training), elu, selu and gelu, with the formulas of `mshadow_op.h`.
 */
import { Shape, shapeToString, sizeOf } from '../../base/shape';
import { fillUniform } from '../../base/random';
import { enumOf, float, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { InferredShapes, MaybeShape, ShapeSite } from '../types';

const PARAMS = {
  act_type: enumOf({ doc: 'elu, gelu, leaky, prelu, rrelu or selu', values: ['elu', 'gelu', 'leaky', 'prelu', 'rrelu', 'selu'], default: 'leaky' }),
  slope: float({ doc: 'slope below 0 for leaky; alpha for elu', default: 0.25 }),
  lower_bound: float({ doc: 'lower bound of the random slope (rrelu)', default: 0.125 }),
  upper_bound: float({ doc: 'upper bound of the random slope (rrelu)', default: 0.334 }),
};
type Params = ParamsOf<typeof PARAMS>;

/**
 * Where prelu's slope of element i sits: gamma[floor(i / inner) % channels] over data's axis 1;
 * one shared slope (gamma of size 1, or data without a channel axis) is inner = channels = 1.
 */
function channelLayout(shape: Shape, gammaSize: number): { inner: number; channels: number } {
  if (gammaSize === 1 || shape.length < 2) return { inner: 1, channels: 1 };
  const channels = shape[1]!;
  return { inner: sizeOf(shape) / (shape[0]! * channels), channels };
}

function inferShape(p: Params, inputs: readonly MaybeShape[], outputs: readonly MaybeShape[], site: ShapeSite): InferredShapes {
  const data = inputs[0] ?? outputs[0] ?? null;
  const outs = p.act_type === 'rrelu' ? [data, data] : [data];
  if (p.act_type !== 'prelu') return { inputs: [data], outputs: outs };
  const gamma = inputs[1] ?? null;
  if (!data) return { inputs: [null, gamma], outputs: outs };
  if (data.length < 2) site.fail('data', `shape ${shapeToString(data)} needs a channel axis 1 for act_type 'prelu'`);
  const channels = data[1]!;
  if (gamma && !(gamma.length === 1 && (gamma[0] === channels || gamma[0] === 1))) {
    site.fail('gamma', `shape ${shapeToString(gamma)} should be [${channels}] (one slope per channel of data ${shapeToString(data)}) or [1]`, [channels], gamma);
  }
  return { inputs: [data, gamma ?? [channels]], outputs: outs };
}

export const leakyReluOp = defineOp({
  name: 'LeakyReLU',
  inputVarInit: { 1: '["Constant", {"value": 0.25}]' },
  doc: [
    'leaky: y = x>0 ? x : slope*x; prelu: the same with gamma[channel] (channel = axis 1), dgamma = sum over x<=0 of g*x;',
    'rrelu: slope ~ U[lower_bound, upper_bound) per element in training (kept in the hidden `mask` output), (lower+upper)/2 otherwise;',
    'elu: y = x>0 ? x : slope*(exp(x)-1), dx = g*(x>0 ? 1 : y+slope); selu: lambda*(x>0 ? x : alpha*(exp(x)-1));',
    'gelu: y = x*(1+erf(x/sqrt2))/2, dx = g*((1+erf(x/sqrt2))/2 + x*N(x)). Derivatives use x (MXNet tests y > 0, the same for positive slopes).',
  ].join('\n'),
  params: PARAMS,
  inputs: (p) => (p.act_type === 'prelu' ? ['data', 'gamma'] : ['data']),
  outputs: (p) => (p.act_type === 'rrelu' ? ['output', 'mask'] : ['output']),
  numVisibleOutputs: () => 1,
  inferShape,
  forward: (p, [x, gamma], [out, mask], [req], ctx) => {
    if (req === 'null') return;
    switch (p.act_type) {
      case 'prelu': {
        const { inner, channels } = channelLayout(x!.shape, gamma!.data.length);
        ctx.kernels.slopedRelu(x!.data, gamma!.data, inner, channels, out!.data, req!);
        return;
      }
      case 'rrelu': {
        // The random slopes are drawn here (kernels take no random state); the mask keeps them for backward.
        const m = mask!.data;
        if (ctx.isTrain) fillUniform(m, p.lower_bound, p.upper_bound);
        else ctx.kernels.fillConstant(m, (p.lower_bound + p.upper_bound) / 2, 'write');
        ctx.kernels.slopedRelu(x!.data, m, 1, m.length, out!.data, req!);
        return;
      }
      case 'leaky': case 'elu': case 'selu': case 'gelu':
        ctx.kernels.leakyPointwise(p.act_type, x!.data, p.slope, out!.data, req!);
        return;
      default: { const never: never = p.act_type; return never; }
    }
  },
  backward: {
    usesOutGrads: true,
    // The output only for elu and selu (their derivative uses y); the mask for rrelu.
    reads: (p) => ({
      inputs: p.act_type === 'prelu' ? [0, 1] : [0],
      outputs: p.act_type === 'elu' || p.act_type === 'selu' ? [0] : p.act_type === 'rrelu' ? [1] : [],
    }),
    compute: (p, { inputs: [x, gamma], outputs: [y, mask], outGrads: [g] }, [dx, dgamma], [reqX, reqGamma], ctx) => {
      if (p.act_type === 'prelu' && dgamma && reqGamma !== 'null') {
        const { inner, channels } = channelLayout(x!.shape, dgamma.data.length);
        ctx.kernels.preluGammaGrad(x!.data, g!.data, inner, channels, dgamma.data, reqGamma!);
      }
      if (!dx || reqX === 'null') return;
      if (p.act_type === 'prelu') {
        const { inner, channels } = channelLayout(x!.shape, gamma!.data.length);
        ctx.kernels.slopedReluGrad(x!.data, gamma!.data, inner, channels, g!.data, dx.data, reqX!);
      } else if (p.act_type === 'rrelu') {
        const m = mask!.data;
        ctx.kernels.slopedReluGrad(x!.data, m, 1, m.length, g!.data, dx.data, reqX!);
      } else {
        ctx.kernels.leakyPointwiseGrad(p.act_type, x!.data, y!.data, g!.data, p.slope, dx.data, reqX!);
      }
    },
  },
});
