/**
 * Index-valued ops, not differentiable (MXNet gives their inputs a zero gradient): `one_hot`
 * (`tensor/indexing_op.h`) and `argmax` (`tensor/broadcast_reduce_op_index.cc`).
 */
import { sizeOf } from '../../base/shape';
import { axisView } from '../../backend/geometry';
import { bool, enumOf, float, int, optional } from '../params';
import { defineOp } from '../registry';
import { typeFromParam } from '../type_rules';
import { checkedAxis, resolvedAxis } from './axes';

const DTYPES = ['float32', 'float16', 'float64', 'uint8', 'int8', 'int32', 'int64'] as const;

/** No input gradient: binding treats the inputs as constants (their gradients stay 0). */
const noGradient = { usesOutGrads: false, differentiable: () => false, compute: () => undefined } as const;

export const oneHotOp = defineOp({
  name: 'one_hot',
  doc: 'out[..., k] = on_value if k == trunc(indices[...]) else off_value; out shape indices.shape + [depth]; out-of-range indices give a row of off_value. No gradient.',
  params: {
    depth: int({ doc: 'size of the one-hot dimension (required)', min: 0 }),
    on_value: float({ doc: 'value at the index', default: 1 }),
    off_value: float({ doc: 'value elsewhere', default: 0 }),
    dtype: enumOf({ doc: 'output type', values: DTYPES, default: 'float32' }),
  },
  inputs: () => ['indices'],
  outputs: () => ['output'],
  inferShape: (p, [indices]) => ({ inputs: [indices ?? null], outputs: [indices ? [...indices, p.depth] : null] }),
  inferType: typeFromParam(),
  forward: (p, [indices], [out], [req], ctx) => ctx.kernels.oneHot(indices!.data, p.depth, p.on_value, p.off_value, out!.data, req!),
  backward: noGradient,
});

export const argmaxOp = defineOp({
  name: 'argmax',
  doc: 'out = index of the largest value along axis (the first one on ties; None: over the flattened input), as float. No gradient.',
  params: {
    axis: optional(int({ doc: 'the axis to reduce; None reduces all axes' })),
    keepdims: bool({ doc: 'keep the reduced axis with size 1', default: false }),
  },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    if (p.axis === null) return { inputs: [data], outputs: [p.keepdims ? data.map(() => 1) : [1]] };
    const axis = checkedAxis(p.axis, data.length, site);
    const out = p.keepdims ? data.map((d, i) => (i === axis ? 1 : d)) : data.filter((_, i) => i !== axis);
    return { inputs: [data], outputs: [out] };
  },
  forward: (p, [x], [out], [req], ctx) => {
    const shape = x!.shape;
    const view = p.axis === null ? { outer: 1, n: sizeOf(shape), inner: 1 } : axisView(shape, resolvedAxis(p.axis, shape.length));
    ctx.kernels.argmaxAxis(x!.data, view, out!.data, req!);
  },
  backward: noGradient,
});
