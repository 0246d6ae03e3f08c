/**
 * Index-driven selection (MXNet `tensor/indexing_op.h`, `broadcast_reduce_op.h`): `take` slices
 * along an axis, `pick` takes one entry per lane, `batch_take` one entry per row. Indices are
 * floats truncated toward zero; the index inputs get no gradient, the data gradient accumulates.
 */
import { ValueError } from '../../base/errors';
import { shapeToString, sizeOf } from '../../base/shape';
import type { IndexMode } from '../../backend/reference/ordering_gather';
import { bool, enumOf, int, optional } from '../params';
import { defineOp } from '../registry';
import { sameTypeExcept } from '../type_rules';
import { checkedAxis, resolvedAxis } from '../tensor/axes';
import { lanesAround, reducedShape } from './lanes';

/** 'raise' checks the range in forward, then indexes like 'wrap' (MXNet's CPU path). */
const gatherMode = (mode: 'raise' | 'wrap' | 'clip'): IndexMode => (mode === 'clip' ? 'clip' : 'wrap');

export const takeOp = defineOp({
  name: 'take',
  doc: 'out[..., i, ...] = a[..., indices[i], ...] along axis (out shape a.shape[:axis] + indices.shape + a.shape[axis+1:]); out-of-range indices clip, wrap, or raise. da accumulates g at each taken slice.',
  params: {
    axis: int({ doc: 'the axis to take along; negative counts from the end', default: 0 }),
    mode: enumOf({ doc: 'out-of-range indices: clip to the ends, wrap around, or raise an error', values: ['raise', 'wrap', 'clip'] as const, default: 'clip' }),
  },
  inputs: () => ['a', 'indices'],
  outputs: () => ['output'],
  inferShape: (p, [a, indices], _outputs, site) => {
    if (!a || !indices) return { inputs: [a ?? null, indices ?? null], outputs: [null] };
    const axis = checkedAxis(p.axis, a.length, site);
    return { inputs: [a, indices], outputs: [[...a.slice(0, axis), ...indices, ...a.slice(axis + 1)]] };
  },
  inferType: sameTypeExcept([1]),
  forward: (p, [a, indices], [out], [req], ctx) => {
    const axis = resolvedAxis(p.axis, a!.shape.length);
    const { outer, n, inner } = lanesAround(a!.shape, axis);
    if (p.mode === 'raise') {
      const bad = indices!.data.find((v) => !(v >= 0 && v <= n - 1));
      if (bad !== undefined) throw new ValueError({ op: 'take', argument: 'indices', actual: bad }, `holds ${bad}, out of bounds for axis ${axis} of size ${n} (mode 'raise')`);
    }
    ctx.kernels.takeAxis(a!.data, outer, n, inner, indices!.data, gatherMode(p.mode), out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    differentiable: (_p, input) => input === 0,
    compute: (p, { inputs: [a, indices], outGrads: [g] }, [da], [req], ctx) => {
      if (!da) return;
      const { outer, n, inner } = lanesAround(a!.shape, resolvedAxis(p.axis, a!.shape.length));
      ctx.kernels.takeAxisGrad(g!.data, outer, n, inner, indices!.data, gatherMode(p.mode), da.data, req!);
    },
  },
});

export const pickOp = defineOp({
  name: 'pick',
  aliases: ['choose_element_0index'],
  doc: 'out = data[..., index[...], ...] along axis, one entry per lane (index has the reduced shape); clip or wrap out-of-range indices. dx = g at the picked entries, 0 elsewhere.',
  params: {
    axis: optional(int({ doc: 'the axis to pick along (None is refused, as in MXNet)', default: -1 })),
    keepdims: bool({ doc: 'keep the picked axis with size 1', default: false }),
    mode: enumOf({ doc: 'out-of-range indices: clip to the ends or wrap around', values: ['wrap', 'clip'] as const, default: 'clip' }),
  },
  inputs: () => ['data', 'index'],
  outputs: () => ['output'],
  inferShape: (p, [data, index], _outputs, site) => {
    if (p.axis === null) return site.fail('axis', 'None is not supported by pick: give an axis');
    if (!data) return { inputs: [null, index ?? null], outputs: [null] };
    const axis = checkedAxis(p.axis, data.length, site);
    // index has the reduced shape without keepdims, even when the output keeps the axis
    const lane = data.map((_, i) => i === axis);
    const index1 = data.length === 1 ? [1] : reducedShape(data, lane, false);
    return { inputs: [data, index1], outputs: [data.length === 1 ? [1] : reducedShape(data, lane, p.keepdims)] };
  },
  inferType: sameTypeExcept([1]),
  forward: (p, [x, index], [out], [req], ctx) => {
    const { outer, n, inner } = lanesAround(x!.shape, resolvedAxis(p.axis!, x!.shape.length));
    ctx.kernels.pickAxis(x!.data, outer, n, inner, index!.data, p.mode, out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    differentiable: (_p, input) => input === 0,
    compute: (p, { inputs: [x, index], outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx) return;
      const { outer, n, inner } = lanesAround(x!.shape, resolvedAxis(p.axis!, x!.shape.length));
      ctx.kernels.pickAxisGrad(g!.data, outer, n, inner, index!.data, p.mode, dx.data, req!);
    },
  },
});

export const batchTakeOp = defineOp({
  name: 'batch_take',
  doc: 'out[i] = a[i, indices[i]] over rows of a\'s last axis, indices clipped (deprecated in MXNet for pick). No gradient, as in MXNet.',
  params: {},
  inputs: () => ['a', 'indices'],
  outputs: () => ['output'],
  inferShape: (_p, [a, indices], [output], site) => {
    const out = indices ?? output ?? null;
    if (!a || !out) return { inputs: [a ?? null, out], outputs: [out] };
    if (a.length < 2) site.fail('a', `shape ${shapeToString(a)} must have at least 2 dimensions`);
    const rows = sizeOf(a) / a[a.length - 1]!;
    if (sizeOf(out) !== rows) site.fail('indices', `shape ${shapeToString(out)} must hold one index per row of a ${shapeToString(a)} (${rows})`, rows, out);
    return { inputs: [a, out], outputs: [out] };
  },
  forward: (_p, [a, indices], [out], [req], ctx) => ctx.kernels.batchTakeRows(a!.data, a!.shape[a!.shape.length - 1]!, indices!.data, out!.data, req!),
});

export const takeOps = [takeOp, pickOp, batchTakeOp] as const;
