/**
 * SSD heads (MXNet `contrib/multibox_target.cc`, `contrib/multibox_detection.cc`):
 * `_contrib_MultiBoxTarget` turns anchors and labels into training targets, and
 * `_contrib_MultiBoxDetection` turns class probabilities and box offsets into detections.
 * MXNet back-propagates zeros through both: here no gradient flows through them.
 */
import { shapeToString } from '../../base/shape';
import { bool, float, int, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape, ShapeSite } from '../types';
import { ZERO_GRADIENT } from './bounding_box';
import { floatTuple } from './multibox_prior';

const variances = floatTuple({ doc: 'scales of the (x, y, w, h) box offsets', default: [0.1, 0.1, 0.2, 0.2] });

function checkVariances(v: readonly number[], site: ShapeSite): void {
  if (v.length !== 4) site.fail('variances', `(${v.join(', ')}) must have 4 entries`);
}

/** anchor must be (1, N, 4): anchors shared by the batch. */
function checkAnchor(anchor: readonly number[], site: ShapeSite): void {
  if (anchor.length !== 3 || anchor[0] !== 1 || anchor[2] !== 4 || anchor[1]! < 1) site.fail('anchor', `shape ${shapeToString(anchor)} must be (1, num_anchors, 4)`);
}

const TARGET_PARAMS = {
  overlap_threshold: float({ doc: 'IoU above which an anchor becomes a positive for its best ground truth', default: 0.5 }),
  ignore_label: float({ doc: 'class target of anchors neither positive nor negative', default: -1 }),
  negative_mining_ratio: float({ doc: 'negatives per positive (hardest first); <= 0 takes every other anchor as negative', default: -1 }),
  negative_mining_thresh: float({ doc: 'only anchors with best IoU below this can be mined as negatives', default: 0.5 }),
  minimum_negative_samples: int({ doc: 'accepted; unused by MXNet 1.9.1 CPU code', default: 0 }),
  variances,
};
type TargetParams = ParamsOf<typeof TARGET_PARAMS>;

const targetConfig = (p: TargetParams) => ({
  overlapThreshold: p.overlap_threshold, ignoreLabel: p.ignore_label, negativeMiningRatio: p.negative_mining_ratio,
  negativeMiningThresh: p.negative_mining_thresh, variances: p.variances,
});

export const multiBoxTargetOp = defineOp({
  name: '_contrib_MultiBoxTarget',
  doc: [
    'Per image: every ground truth (label rows [cls, x1, y1, x2, y2] up to the first cls -1) takes its best free anchor, then',
    'anchors with IoU > overlap_threshold take their best ground truth. Positives: cls_target = cls + 1, loc_mask 1, loc_target =',
    '((g_centre - a_centre) / a_size / v_xy, log(g_size / a_size) / v_wh). Negatives (all others, or with mining the',
    'ratio x positives lowest background probabilities among IoU < negative_mining_thresh): cls_target 0. Others: ignore_label.',
    'Outputs loc_target (B, N*4), loc_mask (B, N*4), cls_target (B, N). No gradient flows (MXNet: zeros).',
  ].join('\n'),
  params: TARGET_PARAMS,
  inputs: () => ['anchor', 'label', 'cls_pred'],
  outputs: () => ['loc_target', 'loc_mask', 'cls_target'],
  inferShape: (p, [anchor, label, clsPred]: readonly MaybeShape[], _outputs, site) => {
    checkVariances(p.variances, site);
    if (!anchor || !label || !clsPred) return { inputs: [anchor ?? null, label ?? null, clsPred ?? null], outputs: [null, null, null] };
    checkAnchor(anchor, site);
    if (label.length !== 3 || label[1]! < 1 || label[2]! < 5) site.fail('label', `shape ${shapeToString(label)} must be (batch, num_labels >= 1, label_width >= 5)`);
    if (clsPred.length !== 3 || clsPred[2] !== anchor[1]) site.fail('cls_pred', `shape ${shapeToString(clsPred)} must be (batch, num_classes, ${anchor[1]}) to match the anchors`);
    const loc = [label[0]!, anchor[1]! * 4];
    return { inputs: [anchor, label, clsPred], outputs: [loc, loc, [label[0]!, anchor[1]!]] };
  },
  workspace: (_p, [anchor, label]) => anchor![1]! * (label![1]! + 5) + label![1]!,
  forward: (p, [anchor, label, clsPred], [loc, mask, cls], _req, ctx) => {
    const [batches, numLabels, width] = label!.shape as [number, number, number];
    ctx.kernels.multiboxTarget(anchor!.data, label!.data, clsPred!.data, batches, anchor!.shape[1]!, numLabels, width, clsPred!.shape[1]!,
      targetConfig(p), loc!.data, mask!.data, cls!.data, ctx.workspace);
  },
  backward: ZERO_GRADIENT,
});

const DETECTION_PARAMS = {
  clip: bool({ doc: 'clip boxes to [0, 1]', default: true }),
  threshold: float({ doc: 'minimum class probability of a detection', default: 0.01 }),
  background_id: int({ doc: 'accepted; MXNet 1.9.1 CPU code always treats class 0 as background', default: 0 }),
  nms_threshold: float({ doc: 'IoU at or above which the weaker detection is suppressed; outside (0, 1] no NMS (nor sorting)', default: 0.5 }),
  force_suppress: bool({ doc: 'suppress across classes too', default: false }),
  variances,
  nms_topk: int({ doc: 'sort only the best nms_topk detections before NMS; -1 for all', default: -1 }),
};
type DetectionParams = ParamsOf<typeof DETECTION_PARAMS>;

const detectionConfig = (p: DetectionParams) => ({
  threshold: p.threshold, clip: p.clip, variances: p.variances, nmsThreshold: p.nms_threshold, forceSuppress: p.force_suppress, nmsTopk: p.nms_topk,
});

export const multiBoxDetectionOp = defineOp({
  name: '_contrib_MultiBoxDetection',
  doc: [
    'out (B, N, 6) rows [class - 1, prob, x1, y1, x2, y2]: each anchor with a best non-background probability >= threshold,',
    'decoded as centre a_centre + p_xy * v_xy * a_size, size a_size * exp(p_wh * v_wh) (clipped to [0, 1] with clip), sorted by',
    'prob, then NMS sets the class of suppressed rows to -1; unused rows are -1. No gradient flows (MXNet: zeros).',
  ].join('\n'),
  params: DETECTION_PARAMS,
  inputs: () => ['cls_prob', 'loc_pred', 'anchor'],
  outputs: () => ['output'],
  inferShape: (p, [clsProb, locPred, anchor]: readonly MaybeShape[], _outputs, site) => {
    checkVariances(p.variances, site);
    if (!clsProb || !locPred || !anchor) return { inputs: [clsProb ?? null, locPred ?? null, anchor ?? null], outputs: [null] };
    checkAnchor(anchor, site);
    if (clsProb.length !== 3 || clsProb[2] !== anchor[1]) site.fail('cls_prob', `shape ${shapeToString(clsProb)} must be (batch, num_classes, ${anchor[1]}) to match the anchors`);
    if (locPred.length !== 2 || locPred[1] !== anchor[1]! * 4) site.fail('loc_pred', `shape ${shapeToString(locPred)} must be (batch, ${anchor[1]! * 4}): 4 offsets per anchor`);
    return { inputs: [clsProb, locPred, anchor], outputs: [[clsProb[0]!, anchor[1]!, 6]] };
  },
  workspace: (_p, [, , anchor]) => anchor![1]! * 6,
  forward: (p, [clsProb, locPred, anchor], [out], _req, ctx) => {
    const [batches, classes, anchors] = clsProb!.shape as [number, number, number];
    ctx.kernels.multiboxDetection(clsProb!.data, locPred!.data, anchor!.data, batches, classes, anchors, detectionConfig(p), out!.data, ctx.workspace);
  },
  backward: ZERO_GRADIENT,
});
