/**
 * Box utilities of MXNet `contrib/bounding_box.cc`: `_contrib_box_iou`, `_contrib_bipartite_matching`,
 * `_contrib_box_encode`, `_contrib_box_decode`.
 *
 * Gradients: MXNet back-propagates zeros through box_iou and bipartite_matching; here they declare
 * no differentiable input, so no gradient flows and binding through them still works (inputs whose
 * only path is through them get zero gradients, as in MXNet). box_encode and box_decode register no
 * gradient in MXNet and have none here (binding a gradient through them fails).
 */
import { shapeToString } from '../../base/shape';
import { bool, enumOf, float, int } from '../params';
import { defineOp } from '../registry';
import type { BackwardDef, MaybeShape, ShapeSite } from '../types';

/** The backward of an op whose gradient MXNet defines as zero: nothing flows through it. */
export const ZERO_GRADIENT: BackwardDef<unknown> = { usesOutGrads: false, differentiable: () => false, compute: () => undefined };

const lastDimIs4 = (shape: readonly number[], name: string, site: ShapeSite, minDims = 2): void => {
  if (shape.length < minDims || shape[shape.length - 1] !== 4) site.fail(name, `shape ${shapeToString(shape)} must have at least ${minDims} dims and 4 coordinates last`);
};
const rowsOf = (shape: readonly number[]) => shape.slice(0, -1).reduce((a, b) => a * b, 1);

export const boxIouOp = defineOp({
  name: '_contrib_box_iou',
  doc: 'out[i..., j...] = |lhs_i n rhs_j| / (|lhs_i| + |rhs_j| - |lhs_i n rhs_j|), 0 without overlap; boxes (..., 4) in format. Zero gradient (MXNet).',
  params: { format: enumOf({ doc: 'corner [xmin, ymin, xmax, ymax] or center [x, y, w, h]', values: ['corner', 'center'], default: 'corner' }) },
  inputs: () => ['lhs', 'rhs'],
  outputs: () => ['output'],
  inferShape: (_p, [lhs, rhs]: readonly MaybeShape[], _outputs, site) => {
    if (!lhs || !rhs) return { inputs: [lhs ?? null, rhs ?? null], outputs: [null] };
    lastDimIs4(lhs, 'lhs', site);
    lastDimIs4(rhs, 'rhs', site);
    return { inputs: [lhs, rhs], outputs: [[...lhs.slice(0, -1), ...rhs.slice(0, -1)]] };
  },
  forward: (p, [lhs, rhs], [out], [req], ctx) => {
    ctx.kernels.boxIou(lhs!.data, rowsOf(lhs!.shape), rhs!.data, rowsOf(rhs!.shape), p.format === 'center', out!.data, req!);
  },
  backward: ZERO_GRADIENT,
});

export const bipartiteMatchingOp = defineOp({
  name: '_contrib_bipartite_matching',
  doc: [
    'Per batch of a (..., N, M) score matrix: greedy matching, best score first (is_ascend: lowest first), pairing a free',
    'row and column while the score passes threshold (strictly); stops at the first free pair that fails or after topk + 1',
    "pairs (MXNet's count check). Outputs: each row's column (-1 unmatched), each column's row. Zero gradient (MXNet).",
  ].join('\n'),
  params: {
    is_ascend: bool({ doc: 'match lowest scores first and require score < threshold', default: false }),
    threshold: float({ doc: 'scores must be above it (below it with is_ascend) to match' }),
    topk: int({ doc: 'limit on matches (see doc); -1 for none', default: -1 }),
  },
  inputs: () => ['data'],
  outputs: () => ['output0', 'output1'],
  inferShape: (_p, [data]: readonly MaybeShape[], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null, null] };
    if (data.length < 2) site.fail('data', `shape ${shapeToString(data)} must have at least 2 dims (..., rows, cols)`);
    return { inputs: [data], outputs: [data.slice(0, -1), [...data.slice(0, -2), data[data.length - 1]!]] };
  },
  workspace: (_p, [data]) => data![data!.length - 1]! * data![data!.length - 2]!,
  forward: (p, [x], [rows, cols], _req, ctx) => {
    const shape = x!.shape;
    const m = shape[shape.length - 1]!;
    const n = shape[shape.length - 2]!;
    const batches = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    ctx.kernels.bipartiteMatching(x!.data, batches, n, m, p.threshold, p.is_ascend, p.topk, rows!.data, cols!.data, ctx.workspace);
  },
  backward: ZERO_GRADIENT,
});

export const boxEncodeOp = defineOp({
  name: '_contrib_box_encode',
  doc: [
    'For anchors (B, N, 4) with samples (B, N) > 0.5: targets = ((ref centre - anchor centre) / anchor size - means[:2]) / stds[:2],',
    '(log(ref size / anchor size) - means[2:]) / stds[2:], ref = refs[b, matches[b, n]] (corner boxes); masks 1 there, 0 and 0',
    'elsewhere. No gradient (MXNet registers none).',
  ].join('\n'),
  params: {},
  inputs: () => ['samples', 'matches', 'anchors', 'refs', 'means', 'stds'],
  outputs: () => ['output0', 'output1'],
  inferShape: (_p, inputs: readonly MaybeShape[], _outputs, site) => {
    const [samples, matches, anchors, refs] = inputs;
    const filled = [samples ?? null, matches ?? null, anchors ?? null, refs ?? null, [4], [4]];
    if (samples && samples.length !== 2) site.fail('samples', `shape ${shapeToString(samples)} must be 2-d (batch, num_anchors)`);
    if (matches && matches.length < 2) site.fail('matches', `shape ${shapeToString(matches)} must be 2-d (batch, num_anchors)`);
    if (refs) lastDimIs4(refs, 'refs', site, 3);
    if (!anchors) return { inputs: filled, outputs: [null, null] };
    lastDimIs4(anchors, 'anchors', site, 3);
    return { inputs: filled, outputs: [anchors, anchors] };
  },
  forward: (_p, [samples, matches, anchors, refs, means, stds], [targets, masks], [req], ctx) => {
    if (req === 'null') return;
    ctx.kernels.boxEncode(samples!.data, matches!.data, anchors!.data, refs!.data, means!.data, stds!.data, anchors!.shape[0]!, anchors!.shape[1]!, refs!.shape[1]!, targets!.data, masks!.data);
  },
});

export const boxDecodeOp = defineOp({
  name: '_contrib_box_decode',
  doc: [
    'Corner boxes from offsets data (B, N, 4) on anchors (1, N, 4) (format: how anchors are encoded): centre = (d0*std0*aw + ax,',
    'd1*std1*ah + ay), size = (exp(min(d2*std2, clip))*aw, exp(min(d3*std3, clip))*ah), no clipping when clip <= 0. No gradient (MXNet registers none).',
  ].join('\n'),
  params: {
    std0: float({ doc: 'scale of the 1st offset', default: 1 }),
    std1: float({ doc: 'scale of the 2nd offset', default: 1 }),
    std2: float({ doc: 'scale of the 3rd offset', default: 1 }),
    std3: float({ doc: 'scale of the 4th offset', default: 1 }),
    clip: float({ doc: 'upper bound of the scaled size offsets when > 0', default: -1 }),
    format: enumOf({ doc: 'anchor encoding: corner or center', values: ['corner', 'center'], default: 'center' }),
  },
  inputs: () => ['data', 'anchors'],
  outputs: () => ['output'],
  inferShape: (_p, [data, anchors]: readonly MaybeShape[], _outputs, site) => {
    if (anchors) lastDimIs4(anchors, 'anchors', site, 3);
    if (!data) return { inputs: [null, anchors ?? null], outputs: [null] };
    if (data.length !== 3 || data[2] !== 4) site.fail('data', `shape ${shapeToString(data)} must be (batch, num_anchors, 4)`);
    if (anchors && rowsOf(anchors) !== data[1]) site.fail('anchors', `shape ${shapeToString(anchors)} must hold ${data[1]} anchors, one per box of data ${shapeToString(data)}`);
    return { inputs: [data, anchors ?? null], outputs: [data] };
  },
  forward: (p, [x, anchors], [out], [req], ctx) => {
    if (req === 'null') return;
    ctx.kernels.boxDecode(x!.data, anchors!.data, x!.shape[0]!, x!.shape[1]!, [p.std0, p.std1, p.std2, p.std3], p.clip, p.format === 'corner', out!.data);
  },
});
