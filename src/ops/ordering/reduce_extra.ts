/**
 * Reductions with their own formulas: `norm` (MXNet `tensor/broadcast_reduce_norm_value.cc`, L1
 * or L2 over axes) and `moments` (`nn/moments.cc`, mean and population variance over axes).
 * Reducing every axis without keepdims gives shape (1,), as MXNet's legacy shapes do.
 */
import { sizeOf } from '../../base/shape';
import { bool, enumOf, int, intTuple, optional } from '../params';
import { defineOp } from '../registry';
import { typeFromOptionalParam } from '../type_rules';
import type { MaybeShape, ShapeSite } from '../types';
import { reducedMask, reducedShape } from './lanes';

function reductionShape(axes: readonly number[] | null, keepdims: boolean, data: MaybeShape, site: ShapeSite, argument: string): MaybeShape {
  if (!data) return null;
  return reducedShape(data, reducedMask(axes, data.length, site, argument), keepdims);
}

export const normOp = defineOp({
  name: 'norm',
  doc: 'ord 2: y = sqrt(sum x^2), ord 1: y = sum |x| over axis (None: all). dx = g*x/y (ord 2; NaN where y = 0, as MXNet divides) or g*sign(x) (ord 1). out_dtype (None: the input type) is the output type.',
  params: {
    ord: int({ doc: 'order of the norm: 1 or 2', default: 2, min: 1, max: 2 }),
    axis: optional(intTuple({ doc: 'axes to reduce (int or tuple); None reduces all axes' })),
    out_dtype: optional(enumOf({ doc: 'output type (None: the input type)', values: ['float16', 'float32', 'float64', 'int32', 'int64', 'int8'] as const })),
    keepdims: bool({ doc: 'keep reduced axes with size 1', default: false }),
  },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => ({ inputs: [data ?? null], outputs: [reductionShape(p.axis, p.keepdims, data ?? null, site, 'axis')] }),
  inferType: typeFromOptionalParam('out_dtype'),
  workspace: (p, [data]) => sizeOf(reducedShape(data!, reducedMask(p.axis, data!.length), false)),
  forward: (p, [x], [out], [req], ctx) => {
    const reduced = reducedMask(p.axis, x!.shape.length);
    ctx.kernels.normReduce(x!.data, x!.shape, reduced, p.ord as 1 | 2, ctx.workspace.subarray(0, out!.data.length), out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [x], outputs: [y], outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.normGrad(x!.data, x!.shape, reducedMask(p.axis, x!.shape.length), p.ord as 1 | 2, y!.data, g!.data, dx.data, req!);
    },
  },
});

export const momentsOp = defineOp({
  name: 'moments',
  doc: 'mean = sum x / N and var = sum (x - mean)^2 / N over axes (None: all). dx = g_mean/N + g_var*2(x - mean)/N.',
  params: {
    axes: optional(intTuple({ doc: 'axes to reduce (int or tuple); None reduces all axes' })),
    keepdims: bool({ doc: 'keep reduced axes with size 1', default: false }),
  },
  inputs: () => ['data'],
  outputs: () => ['output0', 'output1'], // mean, var (MXNet lists no output names)
  inferShape: (p, [data], _outputs, site) => {
    const out = reductionShape(p.axes, p.keepdims, data ?? null, site, 'axes');
    return { inputs: [data ?? null], outputs: [out, out] };
  },
  workspace: (p, [data]) => 2 * sizeOf(reducedShape(data!, reducedMask(p.axes, data!.length), false)),
  forward: (p, [x], [mean, variance], req, ctx) => {
    const reduced = reducedMask(p.axes, x!.shape.length);
    ctx.kernels.momentsReduce(x!.data, x!.shape, reduced, ctx.workspace, mean!.data, req[0]!, variance!.data, req[1]!);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [x], outputs: [mean], outGrads: [gMean, gVar] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.momentsGrad(x!.data, x!.shape, reducedMask(p.axes, x!.shape.length), mean!.data, gMean!.data, gVar!.data, dx.data, req!);
    },
  },
});

export const reduceExtraOps = [normOp, momentsOp] as const;
