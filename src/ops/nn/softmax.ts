/**
 * `softmax` and `log_softmax` (lower case): differentiable activations along `axis`, with an
 * optional temperature T. Unlike SoftmaxOutput they use the head gradient.
 */
import { axisView } from '../../backend/geometry';
import { checkedAxis, resolvedAxis } from '../tensor/axes';
import { enumOf, float, int, optional, bool } from '../params';
import { defineOp } from '../registry';
import { sameShapeAll } from '../shape_rules';
import { typeFromOptionalParam } from '../type_rules';
import type { AnyOpDef, Tensor } from '../types';

const PARAMS = {
  axis: int({ doc: 'the axis to normalize over; negative counts from the end', default: -1 }),
  temperature: optional(float({ doc: 'divides the input before exponentiation (None means 1)' })),
  dtype: optional(enumOf({ doc: 'output type (None: the input type)', values: ['float16', 'float32', 'float64'] })),
  use_length: optional(bool({ doc: 'mask positions beyond a length input (not supported by mxts)', default: false })),
};

function viewOf(tensor: Tensor, axis: number) {
  return axisView(tensor.shape, resolvedAxis(axis, tensor.shape.length));
}

function softmaxFamily(name: string, log: boolean): AnyOpDef {
  return defineOp({
    name,
    doc: log
      ? 'out = (x - max)/T - log(sum(exp((x - max)/T))) along axis; dx = (g - exp(out) * sum(g)) / T'
      : 'out = exp((x - max)/T) / sum(exp((x - max)/T)) along axis; dx = out * (g - sum(g * out)) / T',
    params: PARAMS,
    inputs: () => ['data'],
    outputs: () => ['output'],
    inferShape: (p, inputs, outputs, site) => {
      const data = inputs[0] ?? outputs[0];
      if (data) checkedAxis(p.axis, data.length, site);
      if (p.use_length) site.fail('use_length', 'is not supported by mxts');
      return sameShapeAll(['data'])(p, inputs, outputs, site);
    },
    inferType: typeFromOptionalParam('dtype'),
    forward: (p, [x], [out], [req], ctx) => {
      if (req === 'null') return;
      ctx.kernels.softmaxForward(x!.data, out!.data, viewOf(x!, p.axis), p.temperature ?? 1, log, req === 'add');
    },
    backward: {
      usesOutGrads: true,
      reads: () => ({ inputs: [], outputs: [0] }),
      compute: (p, { outputs: [y], outGrads: [g] }, [dx], [req], ctx) => {
        if (!dx || req === 'null') return;
        ctx.kernels.softmaxBackward(y!.data, g!.data, dx.data, viewOf(y!, p.axis), p.temperature ?? 1, log, req === 'add');
      },
    },
  });
}

export const softmaxOps: readonly AnyOpDef[] = [softmaxFamily('softmax', false), softmaxFamily('log_softmax', true)];
