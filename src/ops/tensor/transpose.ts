/**
 * Ops that move values around (MXNet `tensor/matrix_op-inl.h`): `transpose` permutes axes,
 * `slice_axis` takes a range along one axis.
 */
import { Shape, shapeToString, stridesOf } from '../../base/shape';
import { int, intTuple, optional } from '../params';
import type { Kernels } from '../../backend/backend';
import { defineOp } from '../registry';
import type { Req, ShapeSite } from '../types';
import { checkedAxis, resolvedAxis } from './axes';

/** The permutation transpose applies: `axes` resolved, or all axes reversed when empty. */
function permutation(axes: readonly number[], ndim: number, site?: ShapeSite): number[] {
  if (axes.length === 0) return Array.from({ length: ndim }, (_, i) => ndim - 1 - i);
  const resolved = axes.map((a) => (a < 0 ? a + ndim : a));
  const valid = axes.length === ndim && resolved.every((a) => a >= 0 && a < ndim) && new Set(resolved).size === ndim;
  if (!valid && site) site.fail('axes', `(${axes.join(',')}) is not a permutation of the ${ndim} axes of the input`, ndim, axes);
  return resolved;
}

/** out = x with axes permuted (out axis i is x axis perm[i]), as a strided copy. */
function permute(kernels: Kernels, x: Float32Array, shape: Shape, perm: readonly number[], out: Float32Array, req: Req): void {
  const inStrides = stridesOf(shape);
  const outShape = perm.map((a) => shape[a]!);
  kernels.stridedCopy(x, 0, perm.map((a) => inStrides[a]!), out, 0, stridesOf(outShape), outShape, req);
}

function inverse(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((a, i) => (inv[a] = i));
  return inv;
}

export const transposeOp = defineOp({
  name: 'transpose',
  doc: 'out.shape[i] = data.shape[axes[i]] (axes empty: reversed); dx = transpose(g, inverse(axes)).',
  params: { axes: intTuple({ doc: 'the permutation; empty reverses the axes', default: [] }) },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    return { inputs: [data], outputs: [permutation(p.axes, data.length, site).map((a) => data[a]!)] };
  },
  forward: (p, [x], [out], [req], ctx) => permute(ctx.kernels, x!.data, x!.shape, permutation(p.axes, x!.shape.length), out!.data, req!),
  backward: {
    usesOutGrads: true,
    reads: () => ({ inputs: [], outputs: [] }),
    compute: (p, { outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) permute(ctx.kernels, g!.data, g!.shape, inverse(permutation(p.axes, g!.shape.length)), dx.data, req!);
    },
  },
});

interface Range { axis: number; begin: number; end: number; outer: number; size: number; after: number }

function sliceRange(p: { axis: number; begin: number; end: number | null }, shape: Shape, site?: ShapeSite): Range {
  const axis = site ? checkedAxis(p.axis, shape.length, site) : resolvedAxis(p.axis, shape.length);
  const size = shape[axis]!;
  const begin = p.begin < 0 ? p.begin + size : p.begin;
  const end = p.end === null ? size : p.end < 0 ? p.end + size : p.end;
  if (site && !(begin >= 0 && begin < end && end <= size)) {
    site.fail('begin', `and end give [${begin}, ${end}), which is not a non-empty range inside axis ${axis} of size ${size} (data ${shapeToString(shape)})`);
  }
  let outer = 1;
  let after = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) after *= shape[i]!;
  return { axis, begin, end, outer, size, after };
}

export const sliceAxisOp = defineOp({
  name: 'slice_axis',
  doc: 'out = data[..., begin:end, ...] along axis (negative begin/end count from the end; end None = the size); dx = g inside the range, 0 outside.',
  params: {
    axis: int({ doc: 'the axis to slice (required)' }),
    begin: int({ doc: 'first index, inclusive (required)' }),
    end: optional(int({ doc: 'last index, exclusive; None means the axis size' })),
  },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    const r = sliceRange(p, data, site);
    return { inputs: [data], outputs: [data.map((d, i) => (i === r.axis ? r.end - r.begin : d))] };
  },
  forward: (p, [x], [out], [req], ctx) => {
    const r = sliceRange(p, x!.shape);
    const width = (r.end - r.begin) * r.after;
    ctx.kernels.copyRows(x!.data, r.begin * r.after, r.size * r.after, out!.data, 0, width, r.outer, width, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx || req === 'null') return;
      const r = sliceRange(p, dx.shape);
      const width = (r.end - r.begin) * r.after;
      if (req === 'write') dx.data.fill(0);
      ctx.kernels.copyRows(g!.data, 0, width, dx.data, r.begin * r.after, r.size * r.after, r.outer, width, 'add');
    },
  },
});
