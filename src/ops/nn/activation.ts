/**
 * `Activation` (act_type relu/sigmoid/tanh/softrelu/softsign, MXNet `nn/activation-inl.h`) and the
 * deprecated `SoftmaxActivation` (`nn/softmax_activation-inl.h`). Both use the head gradient.
 */
import { shapeToString } from '../../base/shape';
import { axisView, AxisView } from '../../backend/geometry';
import { enumOf, ParamsOf } from '../params';
import { defineOp } from '../registry';
import { sameShapeAll } from '../shape_rules';
import type { AnyOpDef, Req } from '../types';

/** Each act_type is the backend's scalar function of the same name (mshadow_op.h). */
const ACT_TYPES = ['relu', 'sigmoid', 'tanh', 'softrelu', 'softsign'] as const;

const ACTIVATION_PARAMS = {
  act_type: enumOf({ doc: 'activation function: relu, sigmoid, tanh, softrelu or softsign (required)', values: ACT_TYPES }),
};

export const activationOp = defineOp({
  name: 'Activation',
  doc: [
    'relu: y = max(x,0), dx = g*(y>0); sigmoid: y = 1/(1+exp(-x)), dx = g*y*(1-y); tanh: dx = g*(1-y^2);',
    'softrelu: y = log(1+exp(x)) (x above 20), dx = g*(1-exp(-y)); softsign: y = x/(1+|x|), dx = g/(1+|x|)^2.',
  ].join('\n'),
  params: ACTIVATION_PARAMS,
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: sameShapeAll(['data']),
  inplace: [[0, 0]],
  forward: (p, [x], [out], [req], ctx) => ctx.kernels.unaryMap(p.act_type, x!.data, out!.data, req!),
  backward: {
    usesOutGrads: true,
    // Every act_type's derivative comes from the output, except softsign's from the input.
    reads: (p) => (p.act_type === 'softsign' ? { inputs: [0], outputs: [] } : { inputs: [], outputs: [0] }),
    compute: (p, { inputs: [x], outputs: [y], outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.unaryGrad(p.act_type, x!.data, y!.data, g!.data, dx.data, req!);
    },
  },
});

const SOFTMAX_ACTIVATION_PARAMS = {
  mode: enumOf({ doc: 'instance: softmax over the last axis; channel: over axis 1 at each (n, spatial) position', values: ['instance', 'channel'], default: 'instance' }),
};
type SoftmaxActivationParams = ParamsOf<typeof SOFTMAX_ACTIVATION_PARAMS>;

/** instance: the (size/last, last) view; channel: axis 1 of an (n, c, spatial) view. */
function modeView(p: SoftmaxActivationParams, shape: readonly number[]): AxisView {
  if (shape.length === 0) return { outer: 1, n: 1, inner: 1 };
  return axisView(shape, p.mode === 'channel' ? 1 : shape.length - 1);
}

const isAdd = (req: Req) => req === 'add';

export const softmaxActivationOp = defineOp({
  name: 'SoftmaxActivation',
  doc: [
    'out = softmax(x) over the last axis (instance) or axis 1 (channel, ndim >= 3); dx = out*(g - sum(g*out)) over the same axis.',
    'mxts: instance mode differentiates over the last axis for any ndim (MXNet 1.9.1 reduces over axis 1 in backward,',
    'which only agrees for 2-d input). Deprecated in MXNet in favour of softmax.',
  ].join('\n'),
  params: SOFTMAX_ACTIVATION_PARAMS,
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, inputs, outputs, site) => {
    const data = inputs[0] ?? outputs[0] ?? null;
    if (data && p.mode === 'channel' && data.length < 3) {
      site.fail('data', `shape ${shapeToString(data)} needs at least 3 axes (n, channel, spatial...) with mode 'channel'`);
    }
    return sameShapeAll(['data'])(p, inputs, outputs, site);
  },
  forward: (p, [x], [out], [req], ctx) => {
    if (req === 'null') return;
    ctx.kernels.softmaxForward(x!.data, out!.data, modeView(p, x!.shape), 1, false, isAdd(req!));
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { outputs: [y], outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx || req === 'null') return;
      ctx.kernels.softmaxBackward(y!.data, g!.data, dx.data, modeView(p, y!.shape), 1, false, isAdd(req!));
    },
  },
});

export const activationOps: readonly AnyOpDef[] = [activationOp, softmaxActivationOp];
