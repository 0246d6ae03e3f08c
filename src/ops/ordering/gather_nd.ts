/**
 * `gather_nd` and `scatter_nd` (MXNet `tensor/indexing_op.h`): indices of shape (M, Y...) address
 * points in the first M axes; each point selects (gather) or receives (scatter) a slice of the
 * remaining axes. Each op's gradient is the other (gather_nd's accumulates repeated points).
 */
import { ValueError } from '../../base/errors';
import { Shape, shapeToString } from '../../base/shape';
import { intTuple } from '../params';
import { defineOp } from '../registry';
import type { ShapeSite } from '../types';

/** Checks the index tensor against the shape it addresses (M <= ndim, at least 2-d). */
function checkIndexShape(indices: Shape, target: Shape, targetName: string, site: ShapeSite): number {
  if (indices.length < 2) site.fail('indices', `shape ${shapeToString(indices)} must have at least 2 dimensions (M, N...)`);
  const m = indices[0]!;
  if (m > target.length) site.fail('indices', `addresses ${m} axes but ${targetName} ${shapeToString(target)} has ${target.length}`, target.length, m);
  return m;
}

/** Refuses index values outside [-dim, dim) (gather) or [0, dim) (scatter), naming the axis. */
function checkIndexValues(op: string, indices: Float32Array, shape: Shape, m: number, allowNegative: boolean): void {
  const count = indices.length / m;
  for (let axis = 0; axis < m; axis++) {
    const dim = shape[axis]!;
    for (let p = 0; p < count; p++) {
      const j = Math.trunc(indices[axis * count + p]!);
      if (!(j < dim && j >= (allowNegative ? -dim : 0))) {
        throw new ValueError({ op, argument: 'indices', actual: j }, `holds ${j}, out of bounds for axis ${axis} of size ${dim}`);
      }
    }
  }
}

export const gatherNdOp = defineOp({
  name: 'gather_nd',
  doc: 'out[y...] = data[indices[0, y...], ..., indices[M-1, y...], :...] (out shape indices.shape[1:] + data.shape[M:]; negative indices count from the end). d data = g scattered back, repeated points adding up.',
  params: {},
  inputs: () => ['data', 'indices'],
  outputs: () => ['output'],
  inferShape: (_p, [data, indices], _outputs, site) => {
    if (!data || !indices) return { inputs: [data ?? null, indices ?? null], outputs: [null] };
    const m = checkIndexShape(indices, data, 'data', site);
    return { inputs: [data, indices], outputs: [[...indices.slice(1), ...data.slice(m)]] };
  },
  forward: (_p, [data, indices], [out], [req], ctx) => {
    const m = indices!.shape[0]!;
    checkIndexValues('gather_nd', indices!.data, data!.shape, m, true);
    ctx.kernels.gatherNd(data!.data, data!.shape, indices!.data, m, out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    differentiable: (_p, input) => input === 0,
    compute: (_p, { inputs: [data, indices], outGrads: [g] }, [dData], [req], ctx) => {
      if (dData) ctx.kernels.scatterNd(g!.data, indices!.data, indices!.shape[0]!, data!.shape, true, dData.data, req!);
    },
  },
});

export const scatterNdOp = defineOp({
  name: 'scatter_nd',
  doc: 'out (shape) = zeros with out[indices[0, y...], ..., indices[M-1, y...], :...] = data[y..., :...] (a repeated point keeps the last value). d data = gather_nd(g, indices).',
  params: { shape: intTuple({ doc: 'shape of the output (required)', min: 0 }) },
  inputs: () => ['data', 'indices'],
  outputs: () => ['output'],
  inferShape: (p, [data, indices], _outputs, site) => {
    const out = p.shape;
    if (!data || !indices) return { inputs: [data ?? null, indices ?? null], outputs: [out] };
    const m = checkIndexShape(indices, out, 'shape', site);
    const expected = [...indices.slice(1), ...out.slice(m)];
    if (shapeToString(expected) !== shapeToString(data)) {
      site.fail('data', `shape ${shapeToString(data)} does not fit indices ${shapeToString(indices)} and shape ${shapeToString(out)}: expected ${shapeToString(expected)}`, expected, data);
    }
    return { inputs: [data, indices], outputs: [out] };
  },
  forward: (p, [data, indices], [out], [req], ctx) => {
    const m = indices!.shape[0]!;
    checkIndexValues('scatter_nd', indices!.data, p.shape, m, false);
    ctx.kernels.scatterNd(data!.data, indices!.data, m, p.shape, false, out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    differentiable: (_p, input) => input === 0,
    compute: (p, { inputs: [, indices], outGrads: [g] }, [dData], [req], ctx) => {
      if (dData) ctx.kernels.gatherNd(g!.data, p.shape, indices!.data, indices!.shape[0]!, dData.data, req!);
    },
  },
});

export const gatherNdOps = [gatherNdOp, scatterNdOp] as const;
