/**
 * `stack` (MXNet `tensor/matrix_op-inl.h`): joins equal-shaped inputs along a new axis. Input k
 * fills the k-th slot of that axis: one strided copy per input each way.
 */
import { Shape, shapesEqual, shapeToString, sizeOf } from '../../base/shape';
import { int } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape } from '../types';

/**
 * Each input seen as (outer, inner) around the new axis; in the output it is the k-th of
 * num_args blocks per row (offset k * inner, row stride num_args * inner).
 */
function stackView(p: { axis: number; num_args: number }, part: Shape) {
  const a = p.axis < 0 ? p.axis + part.length + 1 : p.axis;
  const inner = sizeOf(part.slice(a));
  const outer = inner === 0 ? 0 : sizeOf(part) / inner;
  return { inner, shape: [outer, inner], partStrides: [inner, 1], wholeStrides: [p.num_args * inner, 1] };
}

export const stackOp = defineOp({
  name: 'stack',
  doc: 'out[..., k, ...] = arg_k (a new axis of size num_args at `axis`); d arg_k = g[..., k, ...].',
  params: {
    axis: int({ doc: 'position of the new axis in the output; negative counts from the end', default: 0 }),
    num_args: int({ doc: 'number of inputs (filled from the inputs given)', min: 1 }),
  },
  variadicParam: 'num_args',
  inputs: (p) => Array.from({ length: p.num_args }, (_, k) => `arg${k}`),
  outputs: () => ['output'],
  inferShape: (p, inputs, [output], site) => {
    let part: MaybeShape = null;
    inputs.forEach((s, k) => {
      if (s && part && !shapesEqual(s, part)) site.fail(`arg${k}`, `shape ${shapeToString(s)} does not match ${shapeToString(part)}: stacked inputs must have one shape`, part, s);
      part ??= s;
    });
    if (!part && output) {
      const a = p.axis < 0 ? p.axis + output.length : p.axis;
      if (a >= 0 && a < output.length) part = output.filter((_, i) => i !== a);
    }
    if (!part) return { inputs, outputs: [null] };
    const known: Shape = part;
    const ndim = known.length + 1;
    if (p.axis < -ndim || p.axis >= ndim) site.fail('axis', `${p.axis} is out of range for the ${ndim}-d output (allowed: ${-ndim} to ${ndim - 1})`, ndim, p.axis);
    const a = p.axis < 0 ? p.axis + ndim : p.axis;
    return { inputs: inputs.map(() => known), outputs: [[...known.slice(0, a), p.num_args, ...known.slice(a)]] };
  },
  createState: (p, [part]) => stackView(p, part!),
  forward: (_p, inputs, [out], [req], ctx) => {
    const v = ctx.state;
    inputs.forEach((x, k) => ctx.kernels.stridedCopy(x.data, 0, v.partStrides, out!.data, k * v.inner, v.wholeStrides, v.shape, req!));
  },
  backward: {
    usesOutGrads: true,
    compute: (_p, { outGrads: [g] }, grads, req, ctx) => {
      const v = ctx.state;
      grads.forEach((dx, k) => {
        if (dx) ctx.kernels.stridedCopy(g!.data, k * v.inner, v.wholeStrides, dx.data, 0, v.partStrides, v.shape, req[k]!);
      });
    },
  },
});
