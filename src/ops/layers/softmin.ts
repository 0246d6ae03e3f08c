/** `softmin` (MXNet `nn/softmin.cc`): softmax of the negated input along an axis, with temperature. */
import { bool, enumOf, float, int, optional } from '../params';
import { defineOp } from '../registry';
import { sameShapeAll } from '../shape_rules';
import { typeFromOptionalParam } from '../type_rules';
import { checkedAxis, resolvedAxis } from '../tensor/axes';
import type { Tensor } from '../types';

function lineOf(t: Tensor, axis: number): { outer: number; n: number; inner: number } {
  const a = resolvedAxis(axis, t.shape.length);
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < a; i++) outer *= t.shape[i]!;
  for (let i = a + 1; i < t.shape.length; i++) inner *= t.shape[i]!;
  return { outer, n: t.shape[a]!, inner };
}

export const softminOp = defineOp({
  name: 'softmin',
  doc: 'out = exp(-x/T) / sum(exp(-x/T)) along axis (computed from min(x) for stability); dx = -out * (g - sum(g * out)) / T.',
  params: {
    axis: int({ doc: 'the axis to normalize over; negative counts from the end', default: -1 }),
    temperature: optional(float({ doc: 'divides the input before exponentiation (None means 1)' })),
    dtype: optional(enumOf({ doc: 'output type (None: the input type)', values: ['float16', 'float32', 'float64'] })),
    use_length: optional(bool({ doc: 'mask positions beyond a length input (not supported by mxts)', default: false })),
  },
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
    const { outer, n, inner } = lineOf(x!, p.axis);
    ctx.kernels.softminForward(x!.data, outer, n, inner, p.temperature ?? 1, out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { outputs: [y], outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx) return;
      const { outer, n, inner } = lineOf(y!, p.axis);
      ctx.kernels.softminBackward(y!.data, g!.data, outer, n, inner, p.temperature ?? 1, dx.data, req!);
    },
  },
});
