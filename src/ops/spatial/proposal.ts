/**
 * Faster R-CNN region proposals (MXNet `contrib/proposal.cc`, `contrib/multi_proposal.cc`):
 * `_contrib_Proposal` for one image, `_contrib_MultiProposal` for a batch. MXNet registers no alias
 * (Python's `mx.sym.contrib.Proposal` is the `_contrib_` name). Gradients are zero in MXNet: here no
 * gradient flows through them.
 */
import { shapeToString } from '../../base/shape';
import { bool, float, int, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape, ShapeSite } from '../types';
import { ZERO_GRADIENT } from './bounding_box';
import { floatTuple } from './multibox_prior';

const PARAMS = {
  rpn_pre_nms_top_n: int({ doc: 'best-scoring boxes kept before NMS; <= 0 keeps all', default: 6000 }),
  rpn_post_nms_top_n: int({ doc: 'boxes kept after NMS: the rows per image of the output', default: 300, min: 1 }),
  threshold: float({ doc: 'NMS IoU above which the weaker box is suppressed', default: 0.7 }),
  rpn_min_size: int({ doc: 'boxes narrower or shorter than this (times im_info scale) are scored -1', default: 16 }),
  scales: floatTuple({ doc: 'anchor scales (multiples of feature_stride)', default: [4, 8, 16, 32] }),
  ratios: floatTuple({ doc: 'anchor height/width ratios', default: [0.5, 1, 2] }),
  feature_stride: int({ doc: 'image pixels per feature-map cell', default: 16, min: 1 }),
  output_score: bool({ doc: 'also return the scores of the proposals', default: false }),
  iou_loss: bool({ doc: 'bbox_pred holds corner offsets (IoU loss) instead of centre/size deltas', default: false }),
};
type Params = ParamsOf<typeof PARAMS>;

const configOf = (p: Params) => ({
  preNmsTopN: p.rpn_pre_nms_top_n, postNmsTopN: p.rpn_post_nms_top_n, threshold: p.threshold, minSize: p.rpn_min_size,
  scales: p.scales, ratios: p.ratios, featureStride: p.feature_stride, iouLoss: p.iou_loss,
});

/** cls_prob (B, 2A, H, W) with A = len(scales) * len(ratios); fills bbox_pred (B, 4A, H, W) and im_info (B, 3). */
function inferProposal(single: boolean) {
  return (p: Params, [cls, bbox, info]: readonly MaybeShape[], _outputs: readonly MaybeShape[], site: ShapeSite) => {
    if (p.scales.length === 0 || p.ratios.length === 0) site.fail(p.scales.length === 0 ? 'scales' : 'ratios', 'must not be empty');
    if (!cls) return { inputs: [null, bbox ?? null, info ?? null], outputs: [null, null] };
    const anchors = p.scales.length * p.ratios.length;
    if (cls.length !== 4 || cls[1] !== 2 * anchors) site.fail('cls_prob', `shape ${shapeToString(cls)} must be (batch, 2 x ${anchors} anchors, height, width)`);
    if (single && cls[0] !== 1) site.fail('cls_prob', `shape ${shapeToString(cls)} must have batch 1 (use _contrib_MultiProposal for several images)`);
    const rows = single ? p.rpn_post_nms_top_n : cls[0]! * p.rpn_post_nms_top_n;
    return { inputs: [cls, [cls[0]!, 4 * anchors, cls[2]!, cls[3]!], [cls[0]!, 3]], outputs: [[rows, 5], [rows, 1]] };
  };
}

function proposalOp(name: string, single: boolean) {
  return defineOp({
    name,
    doc: [
      'Anchors (ratios x scales around a feature_stride cell, shifted over the H x W map) decoded by bbox_pred, clipped to',
      'im_info (height, width, scale); boxes in padding or below rpn_min_size * scale score -1; the best rpn_pre_nms_top_n',
      'foreground scores (cls_prob channels A..2A) go through NMS (IoU > threshold) keeping rpn_post_nms_top_n per image.',
      'output rows [image, x1, y1, x2, y2] (kept rows repeat to fill), score rows their scores (visible with output_score).',
      'No gradient flows (MXNet: zeros).',
    ].join('\n'),
    params: PARAMS,
    inputs: () => ['cls_prob', 'bbox_pred', 'im_info'],
    outputs: () => ['output', 'score'],
    numVisibleOutputs: (p) => (p.output_score ? 2 : 1),
    inferShape: inferProposal(single),
    workspace: (p, [cls]) => {
      const count = (cls![1]! / 2) * cls![2]! * cls![3]!;
      const pre = Math.min(p.rpn_pre_nms_top_n > 0 ? p.rpn_pre_nms_top_n : count, count);
      return count * 6 + pre * 8;
    },
    forward: (p, [cls, bbox, info], [out, score], _req, ctx) => {
      const [images, channels, height, width] = cls!.shape as [number, number, number, number];
      ctx.kernels.rpnProposal(cls!.data, bbox!.data, info!.data, images, channels / 2, height, width, configOf(p), p.rpn_post_nms_top_n, out!.data, score!.data, ctx.workspace);
    },
    backward: ZERO_GRADIENT,
  });
}

export const proposalOps = [proposalOp('_contrib_Proposal', true), proposalOp('_contrib_MultiProposal', false)];
