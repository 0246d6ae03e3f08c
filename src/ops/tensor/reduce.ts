/**
 * Reductions over axes (MXNet `tensor/broadcast_reduce_op.h`): `sum`, `mean`, `max`, `min`, `prod`,
 * `nansum`, `nanprod`, with `axis` (int, tuple or None = all), `keepdims` and `exclude` (reduce
 * every axis but those given). The reducers (init, step, finish, gradient) are the backend's
 * `reduce`/`reduceGrad` kernels, chosen by the op's name.
 */
import { Shape, shapeToString, sizeOf } from '../../base/shape';
import type { Kernels } from '../../backend/backend';
import { bool, intTuple, optional, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { AnyOpDef, ShapeSite } from '../types';

const PARAMS = {
  axis: optional(intTuple({ doc: 'axes to reduce (int or tuple); None or () reduces all axes' })),
  keepdims: bool({ doc: 'keep reduced axes with size 1', default: false }),
  exclude: bool({ doc: 'reduce every axis except those in axis', default: false }),
};
type Params = ParamsOf<typeof PARAMS>;

/** Which axes of an ndim input are reduced; axes out of range or repeated fail at `site`. */
function reducedAxes(p: Params, ndim: number, site?: ShapeSite): boolean[] {
  if (p.axis === null || p.axis.length === 0) return new Array<boolean>(ndim).fill(true);
  const marked = new Array<boolean>(ndim).fill(false);
  for (const a of p.axis) {
    const axis = a < 0 ? a + ndim : a;
    if (axis < 0 || axis >= ndim) site?.fail('axis', `${a} is out of range for ${ndim}-d input`, ndim, p.axis);
    else if (marked[axis]) site?.fail('axis', `(${p.axis.join(',')}) names axis ${axis} twice`, ndim, p.axis);
    marked[axis] = true;
  }
  return p.exclude ? marked.map((m) => !m) : marked;
}

/** The output shape with reduced axes kept as 1 (the layout every kernel here uses). */
function keptShape(p: Params, shape: Shape): Shape {
  const reduced = reducedAxes(p, shape.length);
  return shape.map((d, i) => (reduced[i] ? 1 : d));
}

type ReducerName = Parameters<Kernels['reduce']>[0];

/** A reduction op whose reducer (in the backend's table) has the op's name. */
function reduceOp(name: ReducerName, aliases: readonly string[], formula: string): AnyOpDef {
  return defineOp({
    name,
    aliases,
    doc: formula,
    params: PARAMS,
    inputs: () => ['data'],
    outputs: () => ['output'],
    inferShape: (p, [data], _outputs, site) => {
      if (!data) return { inputs: [null], outputs: [null] };
      const reduced = reducedAxes(p, data.length, site);
      if (data.length === 0) site.fail('data', `shape ${shapeToString(data)} has no axis to reduce`);
      const out = p.keepdims ? data.map((d, i) => (reduced[i] ? 1 : d)) : data.filter((_, i) => !reduced[i]);
      return { inputs: [data], outputs: [out.length === 0 ? [1] : out] };
    },
    workspace: (p, [data]) => sizeOf(keptShape(p, data!)),
    forward: (p, [x], [out], [req], ctx) => {
      if (req === 'null') return;
      // The accumulator is float32 scratch: every step rounds, as the op always did.
      const acc = ctx.workspace.subarray(0, out!.data.length);
      ctx.kernels.reduce(name, x!.data, x!.shape, keptShape(p, x!.shape), acc, out!.data, req!);
    },
    backward: {
      usesOutGrads: true,
      // sum and mean need only the head gradient (and shapes); nansum the input; the rest x and y.
      reads: () => (name === 'sum' || name === 'mean' ? { inputs: [], outputs: [] } : name === 'nansum' ? { inputs: [0], outputs: [] } : { inputs: [0], outputs: [0] }),
      compute: (p, { inputs: [x], outputs: [y], outGrads: [g] }, [dx], [req], ctx) => {
        if (dx) ctx.kernels.reduceGrad(name, x!.data, x!.shape, keptShape(p, x!.shape), y!.data, g!.data, dx.data, req!);
      },
    },
  });
}

export const reduceOps: readonly AnyOpDef[] = [
  reduceOp('sum', ['sum_axis'], 'y = sum of x over the reduced axes; dx = g broadcast back.'),
  reduceOp('mean', [], 'y = mean of x over the reduced axes (N elements each); dx = g/N broadcast back.'),
  reduceOp('max', ['max_axis'], 'y = max of x over the reduced axes; dx = g where x == y (every tied maximum gets g, as MXNet), else 0.'),
  reduceOp('min', ['min_axis'], 'y = min of x over the reduced axes; dx = g where x == y (every tied minimum gets g, as MXNet), else 0.'),
  reduceOp('prod', [], 'y = product of x over the reduced axes; dx = g*y/x (MXNet\'s rdiv: inf/NaN where x is 0).'),
  reduceOp('nansum', [], 'y = sum of x over the reduced axes, NaN counted as 0; dx = g where x is not NaN, else 0.'),
  reduceOp('nanprod', [], 'y = product of x over the reduced axes, NaN counted as 1; dx = g*y/x where x is not NaN, else 0.'),
];
