/**
 * `where` (MXNet `tensor/control_flow_op.h`): picks x where the condition is non-zero, else y.
 * The condition has x's shape, or is 1-d with one entry per row of x (the first axis).
 */
import { Shape, shapesEqual, shapeToString, sizeOf } from '../../base/shape';
import { defineOp } from '../registry';
import type { MaybeShape } from '../types';

/** Elements of x each condition entry covers: 1 (same shape) or the row size (1-d condition). */
function rowSize(condition: Shape, x: Shape): number {
  return condition.length === x.length ? 1 : sizeOf(x) / x[0]!;
}

export const whereOp = defineOp({
  name: 'where',
  doc: 'out = condition != 0 ? x : y (condition same shape, or 1-d over the first axis); dx = g where condition, dy = g elsewhere; condition gets no gradient.',
  params: {},
  inputs: () => ['condition', 'x', 'y'],
  outputs: () => ['output'],
  inferShape: (_p, [condition, x, y], [output], site) => {
    let value: MaybeShape = null;
    let from = '';
    for (const [shape, name] of [[x, 'x'], [y, 'y'], [output, 'output']] as const) {
      if (!shape) continue;
      if (value && !shapesEqual(value, shape)) site.fail(name, `shape ${shapeToString(shape)} does not match ${from} ${shapeToString(value)}`, value, shape);
      value ??= shape;
      from ||= name;
    }
    if (!value) return { inputs: [condition ?? null, null, null], outputs: [null] };
    if (condition && !shapesEqual(condition, value)) {
      const perRow = condition.length === 1 && value.length >= 1 && condition[0] === value[0];
      if (!perRow) {
        site.fail('condition', `shape ${shapeToString(condition)} must equal x's ${shapeToString(value)} or be 1-d with ${value[0]} entries (one per row of x)`, value, condition);
      }
    }
    return { inputs: [condition ?? null, value, value], outputs: [value] };
  },
  forward: (_p, [c, x, y], [out], [req], ctx) => ctx.kernels.whereSelect(c!.data, x!.data, y!.data, out!.data, rowSize(c!.shape, x!.shape), req!),
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i > 0,
    compute: (_p, { inputs: [c, x], outGrads: [g] }, [, dx, dy], [, reqX, reqY], ctx) => {
      const inner = rowSize(c!.shape, x!.shape);
      if (dx) ctx.kernels.whereGrad(c!.data, g!.data, dx.data, inner, true, reqX!);
      if (dy) ctx.kernels.whereGrad(c!.data, g!.data, dy.data, inner, false, reqY!);
    },
  },
});
