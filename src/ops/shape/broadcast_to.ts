/**
 * Explicit broadcasts (MXNet `tensor/broadcast_reduce_op.h`): `broadcast_to`, `broadcast_like`,
 * `broadcast_axis` (alias `broadcast_axes`). The input is read with stride 0 along its size-1
 * axes; the gradient sums the head gradient back over them (the same copy, accumulating).
 */
import { Shape, shapeToString, stridesOf } from '../../base/shape';
import { intTuple, optional } from '../params';
import { defineOp } from '../registry';
import type { AnyOpDef, BackwardDef, ForwardContext, Req, Tensor } from '../types';
import { clearForAdd } from './common';

/**
 * A node's strides: reading the input along its own axes, 0 along its size-1 (broadcast) axes;
 * and the output's contiguous strides, filled on the first call (state sees only input shapes).
 */
interface BroadcastState {
  readonly input: readonly number[];
  output: readonly number[] | null;
}

function broadcastState(_p: unknown, [input]: readonly Shape[]): BroadcastState {
  const own = stridesOf(input!);
  return { input: input!.map((d, i) => (d === 1 ? 0 : own[i]!)), output: null };
}

function broadcastForward(x: Tensor, out: Tensor, req: Req, ctx: ForwardContext<BroadcastState>): void {
  const outStrides = (ctx.state.output ??= stridesOf(out.shape));
  ctx.kernels.stridedCopy(x.data, 0, ctx.state.input, out.data, 0, outStrides, out.shape, req);
}

/** dx = g summed over the broadcast axes; only the first input is differentiable. */
const broadcastBackward: BackwardDef<unknown, BroadcastState> = {
  usesOutGrads: true,
  differentiable: (_p, i) => i === 0,
  compute: (_p, { outGrads: [g] }, [dx], [req], ctx) => {
    if (!dx || req === 'null') return;
    clearForAdd(dx, req!, ctx);
    const outStrides = (ctx.state.output ??= stridesOf(g!.shape));
    ctx.kernels.stridedCopy(g!.data, 0, outStrides, dx.data, 0, ctx.state.input, g!.shape, 'add');
  },
};

export const broadcastToOp = defineOp({
  name: 'broadcast_to',
  doc: 'out = data broadcast to `shape` (a 0 keeps the input dim; other dims must equal the input dim or the input dim must be 1); dx = g summed over the broadcast axes.',
  params: { shape: intTuple({ doc: 'the target shape; 0 keeps the input dimension', default: [] }) },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    const target = `(${p.shape.join(',')})`;
    if (p.shape.length !== data.length) site.fail('shape', `${target} cannot be broadcast from data ${shapeToString(data)}: the number of axes differs`, p.shape, data);
    const out = p.shape.map((d, i) => {
      if (d === 0) return data[i]!;
      if (d < 0) site.fail('shape', `${target} has a negative size at axis ${i}: sizes must be positive, or 0 to keep the input's`, p.shape, data);
      if (data[i] !== d && data[i] !== 1) site.fail('shape', `${target} cannot be broadcast from data ${shapeToString(data)}: axis ${i} has size ${data[i]}, neither 1 nor ${d}`, p.shape, data);
      return d;
    });
    return { inputs: [data], outputs: [out] };
  },
  createState: broadcastState,
  forward: (_p, [x], [out], [req], ctx) => broadcastForward(x!, out!, req!, ctx),
  backward: broadcastBackward,
});

export const broadcastLikeOp = defineOp({
  name: 'broadcast_like',
  doc: 'out = lhs broadcast to the shape of rhs (or only lhs_axes to the sizes of rhs_axes); dlhs = g summed over the broadcast axes, rhs gets no gradient.',
  params: {
    lhs_axes: optional(intTuple({ doc: 'the lhs axes to broadcast (None: all)' })),
    rhs_axes: optional(intTuple({ doc: 'the rhs axes giving the sizes (None: all)' })),
  },
  inputs: () => ['lhs', 'rhs'],
  outputs: () => ['output'],
  inferShape: (p, [lhs, rhs], _outputs, site) => {
    if (!lhs || !rhs) return { inputs: [lhs ?? null, rhs ?? null], outputs: [null] };
    if (p.lhs_axes === null || p.rhs_axes === null) {
      const ok = lhs.length === rhs.length && lhs.every((d, i) => d === rhs[i] || d === 1);
      if (!ok) site.fail('lhs', `shape ${shapeToString(lhs)} cannot be broadcast to rhs ${shapeToString(rhs)}`, rhs, lhs);
      return { inputs: [lhs, rhs], outputs: [rhs] };
    }
    const { lhs_axes: from, rhs_axes: to } = p;
    if (from.length !== to.length) site.fail('rhs_axes', `(${to.join(',')}) must have as many entries as lhs_axes (${from.join(',')})`, from.length, to.length);
    if (from.length === 0) site.fail('lhs_axes', 'must not be empty');
    const out = lhs.slice();
    from.forEach((a, i) => {
      const la = a < 0 ? a + lhs.length : a;
      if (la < 0 || la >= lhs.length) site.fail('lhs_axes', `holds ${a}, outside the ${lhs.length} axes of lhs ${shapeToString(lhs)}`, lhs.length, a);
      const ra = to[i]! < 0 ? to[i]! + rhs.length : to[i]!;
      if (ra < 0 || ra >= rhs.length) site.fail('rhs_axes', `holds ${to[i]}, outside the ${rhs.length} axes of rhs ${shapeToString(rhs)}`, rhs.length, to[i]);
      if (lhs[la] !== 1) site.fail('lhs_axes', `axis ${a} of lhs ${shapeToString(lhs)} has size ${lhs[la]}: only size-1 axes can be broadcast to ${rhs[ra]}`, 1, lhs[la]);
      out[la] = rhs[ra]!;
    });
    return { inputs: [lhs, rhs], outputs: [out] };
  },
  createState: broadcastState,
  forward: (_p, [x], [out], [req], ctx) => broadcastForward(x!, out!, req!, ctx),
  backward: broadcastBackward,
});

export const broadcastAxisOp = defineOp({
  name: 'broadcast_axis',
  aliases: ['broadcast_axes'],
  doc: 'out = data with each size-1 axis in `axis` broadcast to the matching `size`; dx = g summed over those axes.',
  params: {
    axis: intTuple({ doc: 'the size-1 axes to broadcast', default: [] }),
    size: intTuple({ doc: 'the target size of each axis', default: [] }),
  },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    if (p.axis.length !== p.size.length) site.fail('size', `(${p.size.join(',')}) must have as many entries as axis (${p.axis.join(',')})`, p.axis.length, p.size.length);
    const out = data.slice();
    p.axis.forEach((a, i) => {
      const axis = a < 0 ? a + data.length : a;
      if (axis < 0 || axis >= data.length) site.fail('axis', `${a} is out of range for the ${data.length}-d input ${shapeToString(data)}`, data.length, a);
      if (data[axis] !== 1) site.fail('axis', `${a} has size ${data[axis]} in data ${shapeToString(data)}: only size-1 axes can be broadcast`, 1, data[axis]);
      out[axis] = p.size[i]!;
    });
    return { inputs: [data], outputs: [out] };
  },
  createState: broadcastState,
  forward: (_p, [x], [out], [req], ctx) => broadcastForward(x!, out!, req!, ctx),
  backward: broadcastBackward,
});

export const broadcastOps: readonly AnyOpDef[] = [broadcastToOp, broadcastLikeOp, broadcastAxisOp];
