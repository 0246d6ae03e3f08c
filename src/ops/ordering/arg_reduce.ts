/**
 * Index-valued reductions (MXNet `tensor/broadcast_reduce_op_index.cc`): `argmin` and
 * `argmax_channel` (argmax over the last axis). Indices are float32; the first extremum wins ties.
 * No gradient (MXNet gives the input a zero gradient).
 */
import type { Shape } from '../../base/shape';
import { bool, int, optional } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape, ShapeSite } from '../types';
import { checkedAxis, resolvedAxis } from '../tensor/axes';
import { flatLanes, lanesAround } from './lanes';

const noGradient = { usesOutGrads: false, differentiable: () => false, compute: () => undefined } as const;

/** MXNet's ReduceAxisShapeImpl: no axis or a 1-d input reduce to (1,) (all ones with keepdims). */
function reduceAxisShape(axis: number | null, keepdims: boolean, [data]: readonly MaybeShape[], site: ShapeSite) {
  if (!data) return { inputs: [null], outputs: [null] };
  if (axis === null || data.length === 1) {
    if (axis !== null) checkedAxis(axis, data.length, site);
    return { inputs: [data], outputs: [keepdims ? data.map(() => 1) : [1]] };
  }
  const a = checkedAxis(axis, data.length, site);
  return { inputs: [data], outputs: [keepdims ? data.map((d, i) => (i === a ? 1 : d)) : data.filter((_, i) => i !== a)] };
}

function lanesFor(axis: number | null, shape: Shape) {
  return axis === null ? flatLanes(shape) : lanesAround(shape, resolvedAxis(axis, shape.length));
}

export const argminOp = defineOp({
  name: 'argmin',
  doc: 'out = index of the smallest value along axis (the first one on ties; None: over the flattened input), as float. No gradient.',
  params: {
    axis: optional(int({ doc: 'the axis to reduce; None reduces all axes' })),
    keepdims: bool({ doc: 'keep the reduced axis with size 1', default: false }),
  },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, inputs, _outputs, site) => reduceAxisShape(p.axis, p.keepdims, inputs, site),
  forward: (p, [x], [out], [req], ctx) => {
    const { outer, n, inner } = lanesFor(p.axis, x!.shape);
    ctx.kernels.argReduceLanes(x!.data, outer, n, inner, false, out!.data, req!);
  },
  backward: noGradient,
});

export const argmaxChannelOp = defineOp({
  name: 'argmax_channel',
  doc: 'out = index of the largest value along the last axis (the first one on ties), as float. No gradient.',
  params: {},
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (_p, inputs, _outputs, site) => reduceAxisShape(-1, false, inputs, site),
  forward: (_p, [x], [out], [req], ctx) => {
    const { outer, n, inner } = lanesFor(-1, x!.shape);
    ctx.kernels.argReduceLanes(x!.data, outer, n, inner, true, out!.data, req!);
  },
  backward: noGradient,
});

export const argReduceOps = [argminOp, argmaxChannelOp] as const;
