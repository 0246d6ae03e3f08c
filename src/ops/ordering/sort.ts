/**
 * Ordering ops (MXNet `tensor/ordering_op-inl.h`): `topk`, `sort`, `argsort`. All three rank each
 * lane along `axis` (None: the flattened input). Ties keep the lower index first (MXNet's CPU
 * std::sort leaves tie order unspecified; a stable order is the deterministic choice).
 * `sort` and `topk` with ret_typ value/both route the head gradient back to the chosen positions.
 */
import { shapeToString, type Shape } from '../../base/shape';
import { bool, enumOf, int, optional } from '../params';
import { defineOp } from '../registry';
import type { BackwardIO, ForwardContext, InferredShapes, MaybeShape, Req, ShapeSite, Tensor } from '../types';
import { checkedAxis, resolvedAxis } from '../tensor/axes';
import { flatLanes, indexDtype, lanesAround, type Lanes } from './lanes';

type ReturnType = 'value' | 'indices' | 'mask' | 'both';

interface RankParams {
  readonly axis: number | null;
  readonly k: number;
  readonly ret_typ: ReturnType;
  readonly is_ascend: boolean;
}

/** MXNet's ParseTopKParam: lanes, the effective k (k < 1 means all), and the output shape. */
function plan(p: RankParams, shape: Shape, site?: ShapeSite): { lanes: Lanes; k: number; outShape: Shape } {
  const axis = p.axis === null ? null : site ? checkedAxis(p.axis, shape.length, site) : resolvedAxis(p.axis, shape.length);
  const lanes = axis === null ? flatLanes(shape) : lanesAround(shape, axis);
  const k = p.k <= 0 ? lanes.n : p.k;
  if (site && k > lanes.n) site.fail('k', `${k} is larger than the ${lanes.n} elements ${axis === null ? 'of the flattened input' : `along axis ${axis}`} (data ${shapeToString(shape)})`, lanes.n, k);
  let outShape: Shape = shape;
  if (p.ret_typ !== 'mask') outShape = axis === null ? [k] : shape.map((d, i) => (i === axis ? k : d));
  return { lanes, k, outShape };
}

function rankShapes(p: RankParams, [data]: readonly MaybeShape[], outputs: readonly MaybeShape[], site: ShapeSite): InferredShapes {
  if (!data) return { inputs: [null], outputs: outputs.map(() => null) };
  const { outShape } = plan(p, data, site);
  return { inputs: [data], outputs: outputs.map(() => outShape) };
}

function rankForward(p: RankParams, x: Float32Array, shape: Shape, outputs: readonly Tensor[], r: readonly Req[], ctx: ForwardContext): void {
  const { lanes, k } = plan(p, shape);
  const { outer, n, inner } = lanes;
  if (p.ret_typ === 'mask') return ctx.kernels.topkMask(x, outer, n, inner, k, p.is_ascend, ctx.workspace, outputs[0]!.data, r[0]!);
  if (p.ret_typ === 'indices') return ctx.kernels.topkLanes(x, outer, n, inner, k, p.is_ascend, ctx.workspace, null, 'null', outputs[0]!.data, r[0]!);
  // value and both keep the indices as a second output (hidden for value) for the backward pass
  ctx.kernels.topkLanes(x, outer, n, inner, k, p.is_ascend, ctx.workspace, outputs[0]!.data, r[0]!, outputs[1]!.data, r[1]!);
}

/** The gradient of the ranked values (value/both): g goes back to the positions output 1 recorded. */
function scatterValueGrad(p: RankParams, { inputs: [x], outputs: [, indices], outGrads: [g] }: BackwardIO, dx: Tensor | null, req: Req, ctx: ForwardContext): void {
  if (!dx || !indices) return;
  const { lanes, k } = plan(p, x!.shape);
  ctx.kernels.topkScatterGrad(g!.data, indices.data, lanes.outer, lanes.n, lanes.inner, k, dx.data, req);
}

/** sort and argsort are topk over whole lanes (k = 0) returning the values or the indices. */
const asSort = (p: { axis: number | null; is_ascend: boolean }): RankParams => ({ ...p, k: 0, ret_typ: 'value' });
const asArgsort = (p: { axis: number | null; is_ascend: boolean }): RankParams => ({ ...p, k: 0, ret_typ: 'indices' });

const laneScratch = (p: RankParams, [data]: readonly Shape[]) => 2 * plan(p, data!).lanes.n;

export const topkOp = defineOp({
  name: 'topk',
  doc: 'The k largest (is_ascend: smallest) entries of each lane along axis (None: flattened): their indices, values, both, or a 0/1 mask of them. dx = g at the chosen positions (value/both), else no gradient.',
  params: {
    axis: optional(int({ doc: 'axis to rank along; None ranks the flattened input', default: -1 })),
    k: int({ doc: 'how many entries to return; k < 1 returns all of them', default: 1 }),
    ret_typ: enumOf({ doc: 'what to return', values: ['value', 'indices', 'mask', 'both'] as const, default: 'indices' }),
    is_ascend: bool({ doc: 'take the smallest entries instead of the largest', default: false }),
    dtype: indexDtype('type of the returned indices'),
  },
  inputs: () => ['data'],
  outputs: (p) => (p.ret_typ === 'value' || p.ret_typ === 'both' ? ['output0', 'output1'] : ['output']),
  numVisibleOutputs: (p) => (p.ret_typ === 'both' ? 2 : 1),
  inferShape: rankShapes,
  // Values (and the mask) keep data's dtype; indices have `dtype` (MXNet's TopKType).
  inferType: (p, [data]) => ({ inputs: [data ?? null], outputs: p.ret_typ === 'indices' ? [p.dtype] : p.ret_typ === 'mask' ? [data ?? null] : [data ?? null, p.dtype] }),
  workspace: laneScratch,
  forward: (p, [x], outputs, req, ctx) => rankForward(p, x!.data, x!.shape, outputs, req, ctx),
  backward: {
    usesOutGrads: true,
    differentiable: (p) => p.ret_typ === 'value' || p.ret_typ === 'both',
    compute: (p, io, [dx], [req], ctx) => scatterValueGrad(p, io, dx ?? null, req!, ctx),
  },
});

export const sortOp = defineOp({
  name: 'sort',
  doc: 'A sorted copy of data along axis (None: flattened), ascending unless is_ascend is false. dx = g routed back to where each value came from.',
  params: {
    axis: optional(int({ doc: 'axis to sort along; None sorts the flattened input', default: -1 })),
    is_ascend: bool({ doc: 'sort ascending (true) or descending', default: true }),
  },
  inputs: () => ['data'],
  // MXNet's sort has a hidden second output, the indices, which its gradient reads.
  outputs: () => ['output0', 'output1'],
  numVisibleOutputs: () => 1,
  inferShape: (p, inputs, outputs, site) => rankShapes(asSort(p), inputs, outputs, site),
  inferType: (_p, [data]) => ({ inputs: [data ?? null], outputs: [data ?? null, 'float32'] }),
  workspace: (p, shapes) => laneScratch(asSort(p), shapes),
  forward: (p, [x], outputs, req, ctx) => rankForward(asSort(p), x!.data, x!.shape, outputs, req, ctx),
  backward: { usesOutGrads: true, compute: (p, io, [dx], [req], ctx) => scatterValueGrad(asSort(p), io, dx ?? null, req!, ctx) },
});

export const argsortOp = defineOp({
  name: 'argsort',
  doc: 'The indices that sort data along axis (None: flattened), as float32. No gradient.',
  params: {
    axis: optional(int({ doc: 'axis to sort along; None sorts the flattened input', default: -1 })),
    is_ascend: bool({ doc: 'sort ascending (true) or descending', default: true }),
    dtype: indexDtype('type of the returned indices'),
  },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, inputs, outputs, site) => rankShapes(asArgsort(p), inputs, outputs, site),
  inferType: (p, [data]) => ({ inputs: [data ?? null], outputs: [p.dtype] }),
  workspace: (p, shapes) => laneScratch(asArgsort(p), shapes),
  forward: (p, [x], outputs, req, ctx) => rankForward(asArgsort(p), x!.data, x!.shape, outputs, req, ctx),
  backward: { usesOutGrads: false, differentiable: () => false, compute: () => undefined },
});

export const sortOps = [topkOp, sortOp, argsortOp] as const;
