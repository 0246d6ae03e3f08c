/**
 * Slicing (MXNet `tensor/matrix_op-inl.h`): `slice` (alias `crop`) with per-axis begin/end/step
 * (None entries, negative indices and steps), `slice_like`, and the assignments `_slice_assign`
 * (alias `_crop_assign`) and `_slice_assign_scalar` (alias `_crop_assign_scalar`). A slice is a
 * strided view of its input, so one strided copy does forward and (with `add`) the gradient.
 */
import { Shape, shapeToString, stridesOf } from '../../base/shape';
import { float, intTuple } from '../params';
import { defineOp } from '../registry';
import type { ForwardContext, Req, ShapeSite, Tensor } from '../types';
import { clearForAdd, optionalIntTuple } from './common';

type Items = readonly (number | null)[];

/** Where a slice sits in its input: offset and strides into the input, and the slice's shape. */
export interface SliceView {
  readonly offset: number;
  readonly inputStrides: readonly number[];
  readonly shape: Shape;
  /** Contiguous strides of the slice itself. */
  readonly strides: readonly number[];
}

/** Forward and backward recompute views that shape inference already validated: never fails. */
const noSite: ShapeSite = {
  op: 'slice',
  node: '',
  fail: (argument, problem) => {
    throw new Error(`${argument} ${problem}`);
  },
};

/** MXNet's GetIndexRange + SetSliceOpOutputDimSize, with its errors. */
export function sliceView(begin: Items, end: Items, step: Items, data: Shape, site: ShapeSite = noSite): SliceView {
  const ndim = data.length;
  const tuple = (t: Items) => `(${t.map((v) => (v === null ? 'None' : v)).join(',')})`;
  if (begin.length > ndim) site.fail('begin', `${tuple(begin)} has more entries than the data ${shapeToString(data)} has axes`, ndim, begin.length);
  if (end.length !== begin.length) site.fail('end', `${tuple(end)} must have as many entries as begin ${tuple(begin)}`, begin.length, end.length);
  if (step.length !== 0 && step.length !== begin.length) site.fail('step', `${tuple(step)} must be empty or have as many entries as begin ${tuple(begin)}`, begin.length, step.length);
  const own = stridesOf(data);
  const shape = data.slice();
  const inputStrides = own.slice();
  let offset = 0;
  for (let i = 0; i < begin.length; i++) {
    const s = step[i] ?? 1;
    if (s === 0) site.fail('step', `${tuple(step)} has a 0 at axis ${i}`);
    const len = data[i]!;
    if (len === 0) continue; // MXNet leaves zero-size axes as they are
    let b = begin[i] ?? (s < 0 ? len - 1 : 0);
    let e = end[i] ?? (s < 0 ? -1 : len);
    if (b < 0) b += len;
    if (b < 0 || b >= len) site.fail('begin', `${tuple(begin)} starts axis ${i} at ${begin[i]}, outside its ${len} entries (data ${shapeToString(data)})`, len, begin[i]);
    if (end[i] !== null && end[i] !== undefined && e < 0) e += len;
    if (e < -1 || (e === -1 && end[i] !== null && end[i] !== undefined) || e > len) {
      site.fail('end', `${tuple(end)} ends axis ${i} at ${end[i]}, outside its ${len} entries (data ${shapeToString(data)})`, len, end[i]);
    }
    if (b === e) site.fail('end', `${tuple(end)} equals begin ${tuple(begin)} at axis ${i}: empty slices are not supported`);
    if (s > 0 ? b > e : e > b) {
      site.fail('begin', `${b}, end ${e} and step ${s} at axis ${i} select nothing`, undefined, [b, e, s]);
    }
    shape[i] = s > 0 ? Math.floor((e - b - 1) / s) + 1 : Math.floor((b - e - 1) / -s) + 1;
    offset += b * own[i]!;
    inputStrides[i] = s * own[i]!;
  }
  return { offset, inputStrides, shape, strides: stridesOf(shape) };
}

const SLICE_PARAMS = {
  begin: optionalIntTuple({ doc: 'first index per axis (None: the start, or the end for negative steps)' }),
  end: optionalIntTuple({ doc: 'end index per axis, exclusive (None: past the last entry)' }),
  step: optionalIntTuple({ doc: 'step per axis (None or empty: 1)', default: [] }),
};

/** The slice of data (shapes were checked by inferShape), made once per node. */
const sliceState = (p: { begin: Items; end: Items; step: Items }, [data]: readonly Shape[]) => sliceView(p.begin, p.end, p.step, data!);

/** out (=|+=) the view of x. */
function gatherView(view: SliceView, x: Tensor, out: Tensor, req: Req, ctx: ForwardContext): void {
  ctx.kernels.stridedCopy(x.data, view.offset, view.inputStrides, out.data, 0, view.strides, view.shape, req);
}

/** The gradient of gatherView: g added into the view of dx (zeroed first on write). */
function scatterView(view: SliceView, g: Tensor, dx: Tensor, req: Req, ctx: ForwardContext): void {
  if (req === 'null') return;
  clearForAdd(dx, req, ctx);
  ctx.kernels.stridedCopy(g.data, 0, view.strides, dx.data, view.offset, view.inputStrides, view.shape, 'add');
}

export const sliceOp = defineOp({
  name: 'slice',
  aliases: ['crop'],
  doc: 'out[i0, i1, ...] = data[begin0 + i0*step0, begin1 + i1*step1, ...] (axes past begin are kept whole); dx = g inside the slice, 0 elsewhere.',
  params: SLICE_PARAMS,
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    return { inputs: [data], outputs: [sliceView(p.begin, p.end, p.step, data, site).shape] };
  },
  createState: sliceState,
  forward: (_p, [x], [out], [req], ctx) => gatherView(ctx.state, x!, out!, req!, ctx),
  backward: {
    usesOutGrads: true,
    compute: (_p, { outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) scatterView(ctx.state, g!, dx, req!, ctx);
    },
  },
});

/** slice_like's begin/end: 0 and shape_like's dim on the chosen axes (all when axes is empty). */
function likeRanges(axes: readonly number[], data: Shape, like: Shape, site: ShapeSite = noSite): { begin: Items; end: Items } {
  const begin: (number | null)[] = data.map(() => null);
  const end: (number | null)[] = data.map(() => null);
  if (axes.length === 0 && data.length !== like.length) {
    site.fail('shape_like', `has ${like.length} axes but data ${shapeToString(data)} has ${data.length}: without axes every axis is sliced`, data.length, like.length);
  }
  for (const a of axes.length === 0 ? data.map((_, i) => i) : axes) {
    const axis = a < 0 ? a + data.length : a;
    if (axis < 0 || axis >= data.length || axis >= like.length) {
      site.fail('axes', `(${axes.join(',')}) holds ${a}, outside data ${shapeToString(data)} or shape_like ${shapeToString(like)}`, data.length, a);
    }
    if (like[axis]! > data[axis]!) {
      site.fail('shape_like', `axis ${axis} has size ${like[axis]}, more than data's ${data[axis]} (data ${shapeToString(data)})`, data[axis], like[axis]);
    }
    begin[axis] = 0;
    end[axis] = like[axis]!;
  }
  return { begin, end };
}

function likeView(axes: readonly number[], data: Shape, like: Shape, site?: ShapeSite): SliceView {
  const { begin, end } = likeRanges(axes, data, like, site);
  return sliceView(begin.map((b) => b ?? 0), end.map((e, i) => e ?? data[i]!), [], data, site);
}

export const sliceLikeOp = defineOp({
  name: 'slice_like',
  doc: 'out = data[0:shape_like.shape[a], ...] on the given axes (all axes when empty); dx = g inside, 0 elsewhere; shape_like gets no gradient.',
  params: { axes: intTuple({ doc: 'the axes to slice; empty slices every axis', default: [] }) },
  inputs: () => ['data', 'shape_like'],
  outputs: () => ['output'],
  inferShape: (p, [data, like], _outputs, site) => {
    if (!data || !like) return { inputs: [data ?? null, like ?? null], outputs: [null] };
    return { inputs: [data, like], outputs: [likeView(p.axes, data, like, site).shape] };
  },
  createState: (p, [data, like]) => likeView(p.axes, data!, like!),
  forward: (_p, [x], [out], [req], ctx) => gatherView(ctx.state, x!, out!, req!, ctx),
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i === 0,
    compute: (_p, { outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) scatterView(ctx.state, g!, dx, req!, ctx);
    },
  },
});

/**
 * out = data with the view replaced by `value` (a tensor or a broadcast scalar). MXNet allows
 * only write/in-place (all the executor asks of a forward); `add` builds the result in a
 * temporary and adds it.
 */
function assignInto(view: SliceView, data: Tensor, value: Float32Array, valueStrides: readonly number[], out: Tensor, req: Req, ctx: ForwardContext): void {
  if (req === 'null') return;
  const target = req === 'add' ? new Float32Array(out.data.length) : out.data;
  ctx.kernels.copyValues(data.data, target, 'write');
  ctx.kernels.stridedCopy(value, 0, valueStrides, target, view.offset, view.inputStrides, view.shape, 'write');
  if (req === 'add') ctx.kernels.copyValues(target, out.data, 'add');
}

export const sliceAssignOp = defineOp({
  name: '_slice_assign',
  aliases: ['_crop_assign'],
  doc: 'out = lhs with lhs[begin:end:step] = rhs (rhs has the slice shape); no gradient.',
  params: SLICE_PARAMS,
  inputs: () => ['lhs', 'rhs'],
  outputs: () => ['output'],
  inferShape: (p, [lhs, rhs], [output], site) => {
    const whole = lhs ?? output ?? null;
    if (!whole) return { inputs: [null, rhs ?? null], outputs: [null] };
    return { inputs: [whole, sliceView(p.begin, p.end, p.step, whole, site).shape], outputs: [whole] };
  },
  inplace: [[0, 0]],
  createState: sliceState,
  forward: (_p, [lhs, rhs], [out], [req], ctx) => {
    const view = ctx.state;
    assignInto(view, lhs!, rhs!.data, view.strides, out!, req!, ctx);
  },
});

export const sliceAssignScalarOp = defineOp({
  name: '_slice_assign_scalar',
  aliases: ['_crop_assign_scalar'],
  doc: 'out = data with data[begin:end:step] = scalar; no gradient.',
  params: { scalar: float({ doc: 'the value to assign', default: 0 }), ...SLICE_PARAMS },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], [output], site) => {
    const whole = data ?? output ?? null;
    if (whole) sliceView(p.begin, p.end, p.step, whole, site);
    return { inputs: [whole], outputs: [whole] };
  },
  inplace: [[0, 0]],
  // The slice, and the scalar as a one-element array read with stride 0 along every axis.
  createState: (p, shapes) => {
    const view = sliceState(p, shapes);
    return { view, value: Float32Array.of(p.scalar), valueStrides: view.shape.map(() => 0) };
  },
  forward: (_p, [x], [out], [req], ctx) => {
    const { view, value, valueStrides } = ctx.state;
    assignInto(view, x!, value, valueStrides, out!, req!, ctx);
  },
});
