/**
 * `LeakyReLU` (MXNet `leaky_relu-inl.h`): leaky, prelu (a learned slope per channel), rrelu (a random
 * slope per element while training), elu, selu and gelu, with the formulas of `mshadow_op.h`.
 */
import { shapeToString, sizeOf } from '../../base/shape';
import { fillUniform } from '../../base/random';
import { enumOf, float, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { InferredShapes, MaybeShape, ShapeSite, Tensor } from '../types';

const PARAMS = {
  act_type: enumOf({ doc: 'elu, gelu, leaky, prelu, rrelu or selu', values: ['elu', 'gelu', 'leaky', 'prelu', 'rrelu', 'selu'], default: 'leaky' }),
  slope: float({ doc: 'slope below 0 for leaky; alpha for elu', default: 0.25 }),
  lower_bound: float({ doc: 'lower bound of the random slope (rrelu)', default: 0.125 }),
  upper_bound: float({ doc: 'upper bound of the random slope (rrelu)', default: 0.334 }),
};
type Params = ParamsOf<typeof PARAMS>;

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_LAMBDA = 1.0507009873554804934193349852946;

/** erf(x) from Numerical Recipes' Chebyshev erfc (error below 1.2e-7, enough for float32). */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(-z * z + poly);
  return x >= 0 ? 1 - erfc : erfc - 1;
}

/** The element-wise members: forward f(x) and derivative from input x and output y. */
const POINTWISE = {
  leaky: { f: (x: number, p: Params) => (x > 0 ? x : p.slope * x), d: (x: number, _y: number, p: Params) => (x > 0 ? 1 : p.slope) },
  elu: { f: (x: number, p: Params) => (x > 0 ? x : p.slope * Math.expm1(x)), d: (x: number, y: number, p: Params) => (x > 0 ? 1 : y + p.slope) },
  selu: {
    f: (x: number) => SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
    d: (x: number, y: number) => (x > 0 ? SELU_LAMBDA : y + SELU_ALPHA * SELU_LAMBDA),
  },
  gelu: {
    f: (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
    d: (x: number) => 0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI),
  },
};

/** (outer, channels, inner) of data viewed around axis 1; gamma of size 1 broadcasts everywhere. */
function channelOf(data: Tensor, gammaSize: number): (i: number) => number {
  if (gammaSize === 1 || data.shape.length < 2) return () => 0;
  const channels = data.shape[1]!;
  const inner = sizeOf(data.shape) / (data.shape[0]! * channels);
  return (i) => Math.floor(i / inner) % channels;
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
    const xs = x!.data;
    const ys = out!.data;
    const add = req === 'add';
    const put = (i: number, v: number) => (ys[i] = add ? ys[i]! + v : v);
    switch (p.act_type) {
      case 'prelu': {
        const g = gamma!.data;
        const channel = channelOf(x!, g.length);
        for (let i = 0; i < xs.length; i++) put(i, xs[i]! > 0 ? xs[i]! : g[channel(i)]! * xs[i]!);
        return;
      }
      case 'rrelu': {
        const m = mask!.data;
        if (ctx.isTrain) fillUniform(m, p.lower_bound, p.upper_bound);
        else m.fill((p.lower_bound + p.upper_bound) / 2);
        for (let i = 0; i < xs.length; i++) put(i, xs[i]! > 0 ? xs[i]! : m[i]! * xs[i]!);
        return;
      }
      case 'leaky': case 'elu': case 'selu': case 'gelu': {
        const f = POINTWISE[p.act_type].f;
        for (let i = 0; i < xs.length; i++) put(i, f(xs[i]!, p));
        return;
      }
      default: { const never: never = p.act_type; return never; }
    }
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [x, gamma], outputs: [y, mask], outGrads: [g] }, [dx, dgamma], [reqX, reqGamma]) => {
      const xs = x!.data;
      const gs = g!.data;
      if (p.act_type === 'prelu' && dgamma && reqGamma !== 'null') {
        const dg = dgamma.data;
        const channel = channelOf(x!, dg.length);
        if (reqGamma === 'write') dg.fill(0);
        for (let i = 0; i < xs.length; i++) if (xs[i]! <= 0) dg[channel(i)]! += gs[i]! * xs[i]!;
      }
      if (!dx || reqX === 'null') return;
      const out = dx.data;
      const add = reqX === 'add';
      let slopeAt: (i: number) => number;
      if (p.act_type === 'prelu') {
        const gm = gamma!.data;
        const channel = channelOf(x!, gm.length);
        slopeAt = (i) => (xs[i]! > 0 ? 1 : gm[channel(i)]!);
      } else if (p.act_type === 'rrelu') {
        const m = mask!.data;
        slopeAt = (i) => (xs[i]! > 0 ? 1 : m[i]!);
      } else {
        const d = POINTWISE[p.act_type].d;
        const ys = y!.data;
        slopeAt = (i) => d(xs[i]!, ys[i]!, p);
      }
      for (let i = 0; i < out.length; i++) {
        const v = gs[i]! * slopeAt(i);
        out[i] = add ? out[i]! + v : v;
      }
    },
  },
});
