/**
 * Reductions over axes (MXNet `tensor/broadcast_reduce_op.h`): `sum`, `mean`, `max`, `min`, `prod`,
 * `nansum`, `nanprod`, with `axis` (int, tuple or None = all), `keepdims` and `exclude` (reduce
 * every axis but those given).
 */
import { broadcastStrides, Shape, shapeToString, sizeOf, stridesOf } from '../../base/shape';
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

interface Reducer {
  readonly init: number;
  readonly step: (acc: number, x: number) => number;
  /** Turns the accumulator into the result given the count of reduced elements. */
  readonly finish: (acc: number, count: number) => number;
  /** dx at one element from x, the result y, the head gradient g and the count. */
  readonly grad: (x: number, y: number, g: number, count: number) => number;
  readonly formula: string;
}

/** Visits every input index i with the flat index k of its reduced output position. */
function visitReduced(kernels: Kernels, shape: Shape, kept: Shape, visit: (i: number, k: number) => void): void {
  kernels.forEachBroadcast(shape, stridesOf(shape), broadcastStrides(kept, shape), (i, _same, k) => visit(i, k));
}

function reduceOp(name: string, aliases: readonly string[], r: Reducer): AnyOpDef {
  return defineOp({
    name,
    aliases,
    doc: r.formula,
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
      const kept = keptShape(p, x!.shape);
      const acc = ctx.workspace.subarray(0, out!.data.length).fill(r.init);
      const xs = x!.data;
      visitReduced(ctx.kernels, x!.shape, kept, (i, k) => (acc[k] = r.step(acc[k]!, xs[i]!)));
      const count = xs.length / acc.length;
      for (let k = 0; k < acc.length; k++) {
        const v = r.finish(acc[k]!, count);
        out!.data[k] = req === 'add' ? out!.data[k]! + v : v;
      }
    },
    backward: {
      usesOutGrads: true,
      compute: (p, { inputs: [x], outputs: [y], outGrads: [g] }, [dx], [req], ctx) => {
        if (!dx || req === 'null') return;
        const xs = x!.data;
        const ys = y!.data;
        const gs = g!.data;
        const count = xs.length / ys.length;
        visitReduced(ctx.kernels, x!.shape, keptShape(p, x!.shape), (i, k) => {
          const v = r.grad(xs[i]!, ys[k]!, gs[k]!, count);
          dx.data[i] = req === 'add' ? dx.data[i]! + v : v;
        });
      },
    },
  });
}

export const reduceOps: readonly AnyOpDef[] = [
  reduceOp('sum', ['sum_axis'], { init: 0, step: (a, x) => a + x, finish: (a) => a, grad: (_x, _y, g) => g, formula: 'y = sum of x over the reduced axes; dx = g broadcast back.' }),
  reduceOp('mean', [], { init: 0, step: (a, x) => a + x, finish: (a, n) => a / n, grad: (_x, _y, g, n) => g / n, formula: 'y = mean of x over the reduced axes (N elements each); dx = g/N broadcast back.' }),
  reduceOp('max', ['max_axis'], {
    init: -Infinity, step: (a, x) => (x > a || Number.isNaN(x) ? x : a), finish: (a) => a, grad: (x, y, g) => (x === y ? g : 0),
    formula: 'y = max of x over the reduced axes; dx = g where x == y (every tied maximum gets g, as MXNet), else 0.',
  }),
  reduceOp('min', ['min_axis'], {
    init: Infinity, step: (a, x) => (x < a || Number.isNaN(x) ? x : a), finish: (a) => a, grad: (x, y, g) => (x === y ? g : 0),
    formula: 'y = min of x over the reduced axes; dx = g where x == y (every tied minimum gets g, as MXNet), else 0.',
  }),
  reduceOp('prod', [], {
    init: 1, step: (a, x) => a * x, finish: (a) => a, grad: (x, y, g) => (g * y) / x,
    formula: 'y = product of x over the reduced axes; dx = g*y/x (MXNet\'s rdiv: inf/NaN where x is 0).',
  }),
  reduceOp('nansum', [], {
    init: 0, step: (a, x) => (Number.isNaN(x) ? a : a + x), finish: (a) => a, grad: (x, _y, g) => (Number.isNaN(x) ? 0 : g),
    formula: 'y = sum of x over the reduced axes, NaN counted as 0; dx = g where x is not NaN, else 0.',
  }),
  reduceOp('nanprod', [], {
    init: 1, step: (a, x) => (Number.isNaN(x) ? a : a * x), finish: (a) => a, grad: (x, y, g) => (Number.isNaN(x) ? 0 : (g * y) / x),
    formula: 'y = product of x over the reduced axes, NaN counted as 1; dx = g*y/x where x is not NaN, else 0.',
  }),
];
