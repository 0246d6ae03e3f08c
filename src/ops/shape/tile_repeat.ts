/**
 * `tile` and `repeat` (MXNet `tensor/matrix_op-inl.h`). Both are broadcasts of the input seen with
 * an extra stride-0 axis per repetition, so forward is one strided copy and the gradient the same
 * copy accumulating (summing the repetitions).
 */
import { Shape, shapeToString, sizeOf, stridesOf } from '../../base/shape';
import { int, intTuple, optional } from '../params';
import { defineOp } from '../registry';
import type { ShapeSite } from '../types';
import { clearForAdd } from './common';

/** An output seen as `shape` (row-major, so contiguous) reading the input with `inputStrides`. */
interface RepeatView {
  readonly shape: Shape;
  readonly inputStrides: readonly number[];
  readonly strides: readonly number[];
  readonly output: Shape;
}

function checkReps(reps: readonly number[], site?: ShapeSite): void {
  if (site && reps.some((r) => r <= 0)) site.fail('reps', `(${reps.join(',')}) must be positive`, '> 0', reps);
}

/** Tile: pad the shorter of shape and reps with leading 1s; view (r0, d0, r1, d1, ...). */
function tileView(reps: readonly number[], data: Shape, site?: ShapeSite): RepeatView {
  checkReps(reps, site);
  if (reps.length === 0) return { shape: data, inputStrides: stridesOf(data), strides: stridesOf(data), output: data };
  const n = Math.max(data.length, reps.length);
  const dims = [...new Array<number>(n - data.length).fill(1), ...data];
  const times = [...new Array<number>(n - reps.length).fill(1), ...reps];
  const own = stridesOf(dims);
  const shape = dims.flatMap((d, i) => [times[i]!, d]);
  return { shape, inputStrides: own.flatMap((s) => [0, s]), strides: stridesOf(shape), output: dims.map((d, i) => d * times[i]!) };
}

export const tileOp = defineOp({
  name: 'tile',
  doc: 'out = data repeated reps[i] times along axis i (reps or shape padded with leading 1s to the same length); dx = sum of g over the tiles.',
  params: { reps: intTuple({ doc: 'repetitions per axis (required); empty returns the input' }) },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => ({ inputs: [data ?? null], outputs: [data ? tileView(p.reps, data, site).output : null] }),
  createState: (p, [data]) => tileView(p.reps, data!),
  forward: (_p, [x], [out], [req], ctx) => {
    const v = ctx.state;
    ctx.kernels.stridedCopy(x!.data, 0, v.inputStrides, out!.data, 0, v.strides, v.shape, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (_p, { outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx || req === 'null') return;
      const v = ctx.state;
      clearForAdd(dx, req!, ctx);
      ctx.kernels.stridedCopy(g!.data, 0, v.strides, dx.data, 0, v.inputStrides, v.shape, 'add');
    },
  },
});

/** Repeat: each element along `axis` (of the flattened data when None) repeated in place. */
function repeatView(repeats: number, axisParam: number | null, data: Shape, site?: ShapeSite): RepeatView {
  if (site && repeats < 0) site.fail('repeats', `must not be negative, got ${repeats}`, '>= 0', repeats);
  const dims = axisParam === null ? [sizeOf(data)] : data;
  const axis = axisParam === null ? 0 : axisParam < 0 ? axisParam + data.length : axisParam;
  if (site && (axis < 0 || axis >= dims.length)) site.fail('axis', `${axisParam} is out of range for the ${data.length}-d input ${shapeToString(data)}`, data.length, axisParam);
  const own = stridesOf(dims);
  const shape = [...dims.slice(0, axis + 1), repeats, ...dims.slice(axis + 1)];
  const inputStrides = [...own.slice(0, axis + 1), 0, ...own.slice(axis + 1)];
  const output = repeats === 0 ? [0] : dims.map((d, i) => (i === axis ? d * repeats : d));
  return { shape, inputStrides, strides: stridesOf(shape), output };
}

export const repeatOp = defineOp({
  name: 'repeat',
  doc: 'out = each element of data repeated `repeats` times along axis (None: over the flattened data, giving a 1-d output); dx = sum of g over the repeats.',
  params: {
    repeats: int({ doc: 'repetitions of each element (required)' }),
    axis: optional(int({ doc: 'the axis to repeat along; None flattens the input first' })),
  },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => ({ inputs: [data ?? null], outputs: [data ? repeatView(p.repeats, p.axis, data, site).output : null] }),
  createState: (p, [data]) => repeatView(p.repeats, p.axis, data!),
  forward: (_p, [x], [out], [req], ctx) => {
    const v = ctx.state;
    ctx.kernels.stridedCopy(x!.data, 0, v.inputStrides, out!.data, 0, v.strides, v.shape, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (_p, { outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx || req === 'null') return;
      const v = ctx.state;
      clearForAdd(dx, req!, ctx);
      ctx.kernels.stridedCopy(g!.data, 0, v.strides, dx.data, 0, v.inputStrides, v.shape, 'add');
    },
  },
});
