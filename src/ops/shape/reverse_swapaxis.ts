/**
 * Axis reorderings as strided views: `reverse` (alias `flip`, MXNet `tensor/matrix_op-inl.h`)
 * reads reversed axes with negative strides; `SwapAxis` (alias `swapaxes`, `swapaxis-inl.h`)
 * exchanges two strides. Both are bijections, so their gradients are the inverse copies.
 */
import { Shape, shapeToString, stridesOf } from '../../base/shape';
import { int, intTuple } from '../params';
import { defineOp } from '../registry';
import type { ShapeSite } from '../types';

interface AxisView {
  readonly offset: number;
  readonly inputStrides: readonly number[];
  readonly shape: Shape;
  readonly strides: readonly number[];
}

function resolveAxis(a: number, data: Shape, argument: string, site?: ShapeSite): number {
  const axis = a < 0 ? a + data.length : a;
  if (site && (axis < 0 || axis >= data.length)) site.fail(argument, `${a} is out of range for the ${data.length}-d input ${shapeToString(data)}`, data.length, a);
  return axis;
}

function reverseView(axes: readonly number[], data: Shape, site?: ShapeSite): AxisView {
  const own = stridesOf(data);
  const inputStrides = own.slice();
  let offset = 0;
  for (const a of axes) {
    const axis = resolveAxis(a, data, 'axis', site);
    // Listing an axis twice reverses it twice, as MXNet's loop over the axes does.
    offset += inputStrides[axis]! > 0 ? (data[axis]! - 1) * own[axis]! : -(data[axis]! - 1) * own[axis]!;
    inputStrides[axis] = -inputStrides[axis]!;
  }
  return { offset, inputStrides, shape: data, strides: own };
}

export const reverseOp = defineOp({
  name: 'reverse',
  aliases: ['flip'],
  doc: 'out = data with the order of entries reversed along each axis in `axis`; dx = g reversed the same way.',
  params: { axis: intTuple({ doc: 'the axes to reverse (required)' }) },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], [output], site) => {
    const shape = data ?? output ?? null;
    if (shape) reverseView(p.axis, shape, site);
    return { inputs: [shape], outputs: [shape] };
  },
  createState: (p, [data]) => reverseView(p.axis, data!),
  forward: (_p, [x], [out], [req], ctx) => {
    const v = ctx.state;
    ctx.kernels.stridedCopy(x!.data, v.offset, v.inputStrides, out!.data, 0, v.strides, v.shape, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (_p, { outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx) return;
      const v = ctx.state;
      ctx.kernels.stridedCopy(g!.data, 0, v.strides, dx.data, v.offset, v.inputStrides, v.shape, req!);
    },
  },
});

function swapView(dim1: number, dim2: number, data: Shape, site?: ShapeSite): AxisView {
  const a = resolveAxis(dim1, data, 'dim1', site);
  const b = resolveAxis(dim2, data, 'dim2', site);
  const own = stridesOf(data);
  const swap = <T>(items: readonly T[]) => items.map((v, i) => (i === a ? items[b]! : i === b ? items[a]! : v));
  const shape = swap(data);
  return { offset: 0, inputStrides: swap(own), shape, strides: stridesOf(shape) };
}

export const swapAxisOp = defineOp({
  name: 'SwapAxis',
  aliases: ['swapaxes'],
  doc: 'out = data with axes dim1 and dim2 exchanged; dx = g with them exchanged back.',
  params: {
    dim1: int({ doc: 'the first axis', default: 0 }),
    dim2: int({ doc: 'the second axis', default: 0 }),
  },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => ({ inputs: [data ?? null], outputs: [data ? swapView(p.dim1, p.dim2, data, site).shape : null] }),
  createState: (p, [data]) => swapView(p.dim1, p.dim2, data!),
  forward: (_p, [x], [out], [req], ctx) => {
    const v = ctx.state;
    ctx.kernels.stridedCopy(x!.data, 0, v.inputStrides, out!.data, 0, v.strides, v.shape, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (_p, { outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx) return;
      const v = ctx.state;
      ctx.kernels.stridedCopy(g!.data, 0, v.strides, dx.data, 0, v.inputStrides, v.shape, req!);
    },
  },
});
