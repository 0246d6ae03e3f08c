/**
 * Ops that change only the shape (MXNet `tensor/matrix_op-inl.h` squeeze,
 * `elemwise_unary_op_basic.cc` reshape_like): the values keep their order, so forward and
 * backward are copies.
 */
import { Shape, shapeToString, sizeOf } from '../../base/shape';
import { int, intTuple, optional } from '../params';
import { defineOp } from '../registry';
import type { ShapeSite } from '../types';
import { copyCompute } from './common';

/** Squeezed dims: the listed axes (each of size 1), or every size-1 axis; all gone gives [1]. */
function squeezedShape(axes: readonly number[] | null, data: Shape, site: ShapeSite): Shape {
  const ndim = data.length;
  const drop = new Set<number>();
  if (axes === null) data.forEach((d, i) => d === 1 && drop.add(i));
  for (const a of axes ?? []) {
    const axis = a < 0 ? a + ndim : a;
    if (axis < 0 || axis >= ndim) site.fail('axis', `${a} is out of bounds for the ${ndim}-d input ${shapeToString(data)}`, ndim, a);
    if (data[axis] !== 1) site.fail('axis', `${a} selects an axis of size ${data[axis]}: only axes of size 1 can be squeezed (data ${shapeToString(data)})`, 1, data[axis]);
    if (drop.has(axis)) site.fail('axis', `(${axes!.join(',')}) lists axis ${axis} twice`);
    drop.add(axis);
  }
  const out = data.filter((_, i) => !drop.has(i));
  return out.length === 0 ? [1] : out;
}

export const squeezeOp = defineOp({
  name: 'squeeze',
  doc: 'out = data without the given size-1 axes (all size-1 axes when axis is None; [1] if none remain); dx = g reshaped back.',
  params: { axis: optional(intTuple({ doc: 'the size-1 axes to remove; None removes every size-1 axis' })) },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    return { inputs: [data], outputs: [squeezedShape(p.axis, data, site)] };
  },
  inplace: [[0, 0]],
  ...copyCompute,
});

/** One [begin, end) range of axes of an ndim shape, None meaning the start or the end. */
function axisRange(begin: number | null, end: number | null, ndim: number, names: [string, string], site: ShapeSite): [number, number] {
  const resolve = (v: number | null, fallback: number, name: string) => {
    if (v === null) return fallback;
    if (v < -ndim || v > ndim) site.fail(name, `${v} is out of range for a ${ndim}-d input (allowed: ${-ndim} to ${ndim})`, ndim, v);
    return v < 0 ? v + ndim : v;
  };
  const b = resolve(begin, 0, names[0]);
  const e = resolve(end, ndim, names[1]);
  if (b > e) site.fail(names[0], `${begin} comes after ${names[1]} ${end} (resolved ${b} > ${e})`);
  return [b, e];
}

export const reshapeLikeOp = defineOp({
  name: 'reshape_like',
  doc: 'out = lhs reshaped so that its axes [lhs_begin, lhs_end) take the dims rhs has in [rhs_begin, rhs_end) (None: the whole shape); dlhs = g reshaped back, rhs gets no gradient.',
  params: {
    lhs_begin: optional(int({ doc: 'first lhs axis replaced (None: 0)' })),
    lhs_end: optional(int({ doc: 'end of the replaced lhs axes (None: ndim)' })),
    rhs_begin: optional(int({ doc: 'first rhs axis copied (None: 0)' })),
    rhs_end: optional(int({ doc: 'end of the copied rhs axes (None: ndim)' })),
  },
  inputs: () => ['lhs', 'rhs'],
  outputs: () => ['output'],
  inferShape: (p, [lhs, rhs], _outputs, site) => {
    if (!lhs || !rhs) return { inputs: [lhs ?? null, rhs ?? null], outputs: [null] };
    const [lb, le] = axisRange(p.lhs_begin, p.lhs_end, lhs.length, ['lhs_begin', 'lhs_end'], site);
    const [rb, re] = axisRange(p.rhs_begin, p.rhs_end, rhs.length, ['rhs_begin', 'rhs_end'], site);
    const out = [...lhs.slice(0, lb), ...rhs.slice(rb, re), ...lhs.slice(le)];
    if (sizeOf(out) !== sizeOf(lhs)) {
      site.fail('rhs', `gives the shape ${shapeToString(out)} with ${sizeOf(out)} elements, but lhs ${shapeToString(lhs)} has ${sizeOf(lhs)}`, sizeOf(lhs), sizeOf(out));
    }
    return { inputs: [lhs, rhs], outputs: [out] };
  },
  inplace: [[0, 0]],
  ...copyCompute,
});
