/**
 * SSD head kernels: MultiBoxTarget (training targets, MXNet `contrib/multibox_target.cc`) and
 * MultiBoxDetection (decode + NMS, `contrib/multibox_detection.cc`). Box arithmetic is rounded to
 * float32 step by step, as MXNet computes it, so threshold comparisons agree.
 */
const f = Math.fround;

/** MXNet's corner-box IoU for targets: union from signed areas, 0 when the union is 0. */
function targetIou(a: Float32Array, ai: number, b: Float32Array, bi: number): number {
  const iw = Math.max(0, f(Math.min(a[ai + 2]!, b[bi + 2]!) - Math.max(a[ai]!, b[bi]!)));
  const ih = Math.max(0, f(Math.min(a[ai + 3]!, b[bi + 3]!) - Math.max(a[ai + 1]!, b[bi + 1]!)));
  const inter = f(iw * ih);
  const areaA = f(f(a[ai + 2]! - a[ai]!) * f(a[ai + 3]! - a[ai + 1]!));
  const areaB = f(f(b[bi + 2]! - b[bi]!) * f(b[bi + 3]! - b[bi + 1]!));
  const union = f(f(areaA + areaB) - inter);
  return union === 0 ? 0 : f(inter / union);
}

export interface MultiBoxTargetConfig {
  readonly overlapThreshold: number;
  readonly ignoreLabel: number;
  readonly negativeMiningRatio: number;
  readonly negativeMiningThresh: number;
  readonly variances: readonly number[];
}

/**
 * Per batch: each ground truth (label rows [cls, x1, y1, x2, y2, ...] until a cls of -1) claims its
 * best-overlapping free anchor, then anchors above overlap_threshold join their best ground truth;
 * the rest are negatives (all, or the hardest ratio x positives below negative_mining_thresh by
 * background probability). Unassigned anchors keep cls ignore_label and zero loc/mask.
 * `scratch`: numAnchors * (numLabels + 5) + numLabels floats.
 */
function multiboxTarget(anchors: Float32Array, labels: Float32Array, clsPreds: Float32Array, batches: number, numAnchors: number, numLabels: number, labelWidth: number, numClasses: number,
  cfg: MultiBoxTargetConfig, locTarget: Float32Array, locMask: Float32Array, clsTarget: Float32Array, scratch: Float32Array): void {
  locTarget.fill(0);
  locMask.fill(0);
  clsTarget.fill(cfg.ignoreLabel);
  const n = numAnchors;
  const region = (k: number) => scratch.subarray(n * (numLabels + k), n * (numLabels + k + 1));
  const overlaps = scratch.subarray(0, n * numLabels);
  const [matchIou, matchGt, flags, mining, background] = [region(0), region(1), region(2), region(3), region(4)];
  const gtTaken = scratch.subarray(n * (numLabels + 5), n * (numLabels + 5) + numLabels);
  const [vx, vy, vw, vh] = cfg.variances.map(f) as [number, number, number, number];
  for (let b = 0; b < batches; b++) {
    const label = labels.subarray(b * numLabels * labelWidth, (b + 1) * numLabels * labelWidth);
    for (let j = 0; j < numAnchors; j++) for (let k = 0; k < numLabels; k++) overlaps[j * numLabels + k] = targetIou(anchors, j * 4, label, k * labelWidth + 1);
    let numGt = 0;
    while (numGt < numLabels && label[numGt * labelWidth] !== -1) numGt++;
    if (numGt === 0) continue;
    matchIou.fill(-1);
    matchGt.fill(-1);
    flags.fill(-1);
    gtTaken.fill(0);
    let positives = 0;
    for (let round = 0; round < numGt; round++) {
      let bestAnchor = -1;
      let bestGt = -1;
      let best = f(1e-6);
      for (let j = 0; j < numAnchors; j++) {
        if (flags[j] === 1) continue;
        for (let k = 0; k < numGt; k++) {
          if (!gtTaken[k] && overlaps[j * numLabels + k]! > best) {
            best = overlaps[j * numLabels + k]!;
            bestAnchor = j;
            bestGt = k;
          }
        }
      }
      if (bestAnchor < 0) break;
      matchIou[bestAnchor] = best;
      matchGt[bestAnchor] = bestGt;
      gtTaken[bestGt] = 1;
      flags[bestAnchor] = 1;
      positives++;
    }
    const bestOf = (j: number) => {
      let bestGt = -1;
      let best = -1;
      for (let k = 0; k < numGt; k++) {
        if (overlaps[j * numLabels + k]! > best) {
          best = overlaps[j * numLabels + k]!;
          bestGt = k;
        }
      }
      if (bestGt >= 0) {
        matchIou[j] = best;
        matchGt[j] = bestGt;
      }
    };
    if (cfg.overlapThreshold > 0) {
      for (let j = 0; j < numAnchors; j++) {
        if (flags[j] === 1) continue;
        bestOf(j);
        if (matchGt[j]! >= 0 && matchIou[j]! > f(cfg.overlapThreshold)) {
          positives++;
          flags[j] = 1;
        }
      }
    }
    if (cfg.negativeMiningRatio > 0) {
      const wanted = Math.min(Math.trunc(positives * f(cfg.negativeMiningRatio)), numAnchors - positives);
      if (wanted > 0) {
        let candidates = 0;
        const preds = clsPreds.subarray(b * numClasses * numAnchors, (b + 1) * numClasses * numAnchors);
        for (let j = 0; j < numAnchors; j++) {
          if (flags[j] === 1) continue;
          if (matchIou[j]! < 0) bestOf(j);
          if (!(matchIou[j]! < f(cfg.negativeMiningThresh) && flags[j] === -1)) continue;
          let max = preds[j]!;
          for (let k = 1; k < numClasses; k++) max = Math.max(max, preds[j + numAnchors * k]!);
          let sum = 0;
          for (let k = 0; k < numClasses; k++) sum = f(sum + f(Math.exp(preds[j + numAnchors * k]! - max)));
          mining[candidates] = j;
          background[candidates++] = f(f(Math.exp(preds[j]! - max)) / sum);
        }
        // Hardest negatives first: lowest background probability, ties in anchor order (stable).
        const ranked = Array.from({ length: candidates }, (_, i) => i).sort((p, q) => background[p]! - background[q]! || p - q);
        for (let i = 0; i < Math.min(wanted, candidates); i++) flags[mining[ranked[i]!]!] = 0;
      }
    } else {
      for (let j = 0; j < numAnchors; j++) if (flags[j] !== 1) flags[j] = 0;
    }
    for (let j = 0; j < numAnchors; j++) {
      const o = b * numAnchors + j;
      if (flags[j] === 0) clsTarget[o] = 0;
      if (flags[j] !== 1) continue;
      const g = matchGt[j]! * labelWidth;
      clsTarget[o] = label[g]! + 1;
      locMask.fill(1, o * 4, o * 4 + 4);
      const a = j * 4;
      const aw = f(anchors[a + 2]! - anchors[a]!);
      const ah = f(anchors[a + 3]! - anchors[a + 1]!);
      const ax = f(f(anchors[a]! + anchors[a + 2]!) * 0.5);
      const ay = f(f(anchors[a + 1]! + anchors[a + 3]!) * 0.5);
      const gw = f(label[g + 3]! - label[g + 1]!);
      const gh = f(label[g + 4]! - label[g + 2]!);
      const gx = f(f(label[g + 1]! + label[g + 3]!) * 0.5);
      const gy = f(f(label[g + 2]! + label[g + 4]!) * 0.5);
      locTarget[o * 4] = f(f(f(gx - ax) / aw) / vx);
      locTarget[o * 4 + 1] = f(f(f(gy - ay) / ah) / vy);
      locTarget[o * 4 + 2] = f(f(Math.log(f(gw / aw))) / vw);
      locTarget[o * 4 + 3] = f(f(Math.log(f(gh / ah))) / vh);
    }
  }
}

export interface MultiBoxDetectionConfig {
  readonly threshold: number;
  readonly clip: boolean;
  readonly variances: readonly number[];
  readonly nmsThreshold: number;
  readonly forceSuppress: boolean;
  readonly nmsTopk: number;
}

/**
 * Per batch: each anchor's best non-background class (class 0 is background) with probability >=
 * threshold becomes a row [class - 1, prob, x1, y1, x2, y2] decoded from loc_pred; rows are sorted
 * by prob (the best nms_topk; rows past it stay in anchor order, as MXNet leaves them), then NMS
 * (IoU >= nms_threshold) marks the weaker row's class -1. Remaining rows are -1. `scratch`: N * 6.
 */
function multiboxDetection(clsProb: Float32Array, locPred: Float32Array, anchors: Float32Array, batches: number, numClasses: number, numAnchors: number,
  cfg: MultiBoxDetectionConfig, out: Float32Array, scratch: Float32Array): void {
  out.fill(-1);
  const [vx, vy, vw, vh] = cfg.variances.map(f) as [number, number, number, number];
  const clamp = (v: number) => (cfg.clip ? Math.max(0, Math.min(1, v)) : v);
  for (let b = 0; b < batches; b++) {
    const probs = clsProb.subarray(b * numClasses * numAnchors);
    const rows = out.subarray(b * numAnchors * 6, (b + 1) * numAnchors * 6);
    let valid = 0;
    for (let i = 0; i < numAnchors; i++) {
      let score = -1;
      let id = 0;
      for (let j = 1; j < numClasses; j++) {
        const p = probs[j * numAnchors + i]!;
        if (p > score) {
          score = p;
          id = j;
        }
      }
      if (id === 0 || score < f(cfg.threshold)) continue;
      const r = valid++ * 6;
      rows[r] = id - 1;
      rows[r + 1] = score;
      const a = i * 4;
      const l = (b * numAnchors + i) * 4;
      const aw = f(anchors[a + 2]! - anchors[a]!);
      const ah = f(anchors[a + 3]! - anchors[a + 1]!);
      const ax = f(f(anchors[a]! + anchors[a + 2]!) / 2);
      const ay = f(f(anchors[a + 1]! + anchors[a + 3]!) / 2);
      const ox = f(f(f(locPred[l]! * vx) * aw) + ax);
      const oy = f(f(f(locPred[l + 1]! * vy) * ah) + ay);
      const ow = f(f(f(Math.exp(f(locPred[l + 2]! * vw))) * aw) / 2);
      const oh = f(f(f(Math.exp(f(locPred[l + 3]! * vh))) * ah) / 2);
      rows[r + 2] = clamp(f(ox - ow));
      rows[r + 3] = clamp(f(oy - oh));
      rows[r + 4] = clamp(f(ox + ow));
      rows[r + 5] = clamp(f(oy + oh));
    }
    if (valid < 1 || cfg.nmsThreshold <= 0 || cfg.nmsThreshold > 1) continue;
    scratch.set(rows.subarray(0, valid * 6));
    const order = Array.from({ length: valid }, (_, i) => i).sort((p, q) => scratch[q * 6 + 1]! - scratch[p * 6 + 1]! || p - q);
    const keep = cfg.nmsTopk > 0 && cfg.nmsTopk < valid ? cfg.nmsTopk : valid;
    for (let i = 0; i < keep; i++) rows.set(scratch.subarray(order[i]! * 6, order[i]! * 6 + 6), i * 6);
    const thresh = f(cfg.nmsThreshold);
    for (let i = 0; i < valid; i++) {
      if (rows[i * 6]! < 0) continue;
      for (let j = i + 1; j < valid; j++) {
        if (rows[j * 6]! < 0) continue;
        if (!cfg.forceSuppress && rows[i * 6] !== rows[j * 6]) continue;
        const p = i * 6 + 2;
        const q = j * 6 + 2;
        const w = Math.max(0, f(Math.min(rows[p + 2]!, rows[q + 2]!) - Math.max(rows[p]!, rows[q]!)));
        const h = Math.max(0, f(Math.min(rows[p + 3]!, rows[q + 3]!) - Math.max(rows[p + 1]!, rows[q + 1]!)));
        const inter = f(w * h);
        const union = f(f(f(f(rows[p + 2]! - rows[p]!) * f(rows[p + 3]! - rows[p + 1]!)) + f(f(rows[q + 2]! - rows[q]!) * f(rows[q + 3]! - rows[q + 1]!))) - inter);
        const iou = union <= 0 ? 0 : f(inter / union);
        if (iou >= thresh) rows[j * 6] = -1;
      }
    }
  }
}

export const detectionMultiboxKernels = { multiboxTarget, multiboxDetection };
