/**
 * The Faster R-CNN region proposal layer (MXNet `contrib/proposal.cc`, `contrib/multi_proposal.cc`).
 * Box arithmetic is rounded to float32 step by step, as MXNet computes it.
 */
const f = Math.fround;

export interface ProposalConfig {
  readonly preNmsTopN: number;
  readonly postNmsTopN: number;
  readonly threshold: number;
  readonly minSize: number;
  readonly scales: readonly number[];
  readonly ratios: readonly number[];
  readonly featureStride: number;
  readonly iouLoss: boolean;
}

/** Faster R-CNN base anchors (ratios outer, scales inner) around a stride x stride cell, float32 as MXNet. */
function baseAnchors(cfg: ProposalConfig): number[][] {
  const side = f(cfg.featureStride);
  const ctr = f(0.5 * f(side - 1));
  const anchors: number[][] = [];
  for (const ratio of cfg.ratios.map(f)) {
    for (const scale of cfg.scales.map(f)) {
      const sizeRatio = Math.floor(f(f(side * side) / ratio));
      const w = f(Math.floor(f(f(Math.sqrt(sizeRatio)) + 0.5)) * scale);
      const h = f(Math.floor(f(f(f(w / scale) * ratio) + 0.5)) * scale);
      anchors.push([f(ctr - f(0.5 * f(w - 1))), f(ctr - f(0.5 * f(h - 1))), f(ctr + f(0.5 * f(w - 1))), f(ctr + f(0.5 * f(h - 1)))]);
    }
  }
  return anchors;
}

/**
 * RPN proposals per image: shifted anchors decoded by bbox_pred (or offset by it with iou_loss),
 * clipped to the image; boxes in padded cells or smaller than min_size * scale get score -1; the best
 * pre_nms_top_n by foreground score go through NMS (IoU > threshold, +1 pixel convention) keeping
 * post_nms_top_n. out rows [image, x1, y1, x2, y2] (kept rows repeat cyclically to fill
 * outRowsPerImage), score rows the matching scores. `scratch`: count * 6 + pre * 8 floats, count = A*H*W,
 * pre = min(pre_nms_top_n > 0 ? pre_nms_top_n : count, count).
 */
function rpnProposal(clsProb: Float32Array, bboxPred: Float32Array, imInfo: Float32Array, images: number, numAnchors: number, height: number, width: number,
  cfg: ProposalConfig, outRowsPerImage: number, out: Float32Array, score: Float32Array, scratch: Float32Array): void {
  const count = numAnchors * height * width;
  const pre = Math.min(cfg.preNmsTopN > 0 ? cfg.preNmsTopN : count, count);
  const post = Math.min(cfg.postNmsTopN, pre);
  const boxes = scratch.subarray(0, count * 5);
  const order = scratch.subarray(count * 5, count * 6);
  const sorted = scratch.subarray(count * 6, count * 6 + pre * 5);
  const area = scratch.subarray(count * 6 + pre * 5, count * 6 + pre * 6);
  const suppressed = scratch.subarray(count * 6 + pre * 6, count * 6 + pre * 7);
  const keep = scratch.subarray(count * 6 + pre * 7, count * 6 + pre * 8);
  const base = baseAnchors(cfg);
  const stride = cfg.featureStride;
  const plane = height * width;
  for (let b = 0; b < images; b++) {
    const [imH, imW, imScale] = [imInfo[b * 3]!, imInfo[b * 3 + 1]!, imInfo[b * 3 + 2]!];
    const realH = Math.trunc(imH / stride);
    const realW = Math.trunc(imW / stride);
    for (let a = 0; a < numAnchors; a++) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * numAnchors + a;
          const r = i * 5;
          const [x1, y1, x2, y2] = [f(base[a]![0]! + x * stride), f(base[a]![1]! + y * stride), f(base[a]![2]! + x * stride), f(base[a]![3]! + y * stride)];
          const d = (k: number) => bboxPred[((b * 4 * numAnchors + a * 4 + k) * height + y) * width + x]!;
          let px1: number, py1: number, px2: number, py2: number;
          if (cfg.iouLoss) {
            [px1, py1, px2, py2] = [f(x1 + d(0)), f(y1 + d(1)), f(x2 + d(2)), f(y2 + d(3))];
          } else {
            const w = f(f(x2 - x1) + 1);
            const h = f(f(y2 - y1) + 1);
            const cx = f(x1 + f(0.5 * f(w - 1)));
            const cy = f(y1 + f(0.5 * f(h - 1)));
            const pcx = f(f(d(0) * w) + cx);
            const pcy = f(f(d(1) * h) + cy);
            const pw = f(f(Math.exp(d(2))) * w);
            const ph = f(f(Math.exp(d(3))) * h);
            [px1, py1, px2, py2] = [f(pcx - f(0.5 * f(pw - 1))), f(pcy - f(0.5 * f(ph - 1))), f(pcx + f(0.5 * f(pw - 1))), f(pcy + f(0.5 * f(ph - 1)))];
          }
          const clipX = (v: number) => Math.max(Math.min(v, f(imW - 1)), 0);
          const clipY = (v: number) => Math.max(Math.min(v, f(imH - 1)), 0);
          boxes[r] = clipX(px1);
          boxes[r + 1] = clipY(py1);
          boxes[r + 2] = clipX(px2);
          boxes[r + 3] = clipY(py2);
          boxes[r + 4] = y >= realH || x >= realW ? -1 : clsProb[(b * 2 * numAnchors + numAnchors + a) * plane + y * width + x]!;
        }
      }
    }
    const minSize = f(cfg.minSize * imScale);
    for (let i = 0; i < count; i++) {
      const r = i * 5;
      const iw = f(f(boxes[r + 2]! - boxes[r]!) + 1);
      const ih = f(f(boxes[r + 3]! - boxes[r + 1]!) + 1);
      if (iw < minSize || ih < minSize) {
        const half = f(minSize / 2);
        boxes[r] = f(boxes[r]! - half);
        boxes[r + 1] = f(boxes[r + 1]! - half);
        boxes[r + 2] = f(boxes[r + 2]! + half);
        boxes[r + 3] = f(boxes[r + 3]! + half);
        boxes[r + 4] = -1;
      }
      order[i] = i;
    }
    // NOTE: MXNet sorts with std::sort (unstable); ties keep index order here.
    order.sort((p, q) => boxes[q * 5 + 4]! - boxes[p * 5 + 4]! || p - q);
    for (let i = 0; i < pre; i++) sorted.set(boxes.subarray(order[i]! * 5, order[i]! * 5 + 5), i * 5);
    for (let i = 0; i < pre; i++) area[i] = f(f(f(sorted[i * 5 + 2]! - sorted[i * 5]!) + 1) * f(f(sorted[i * 5 + 3]! - sorted[i * 5 + 1]!) + 1));
    suppressed.fill(0);
    let kept = 0;
    const thresh = f(cfg.threshold);
    for (let i = 0; i < pre && kept < post; i++) {
      if (suppressed[i]! > 0) continue;
      keep[kept++] = i;
      const p = i * 5;
      for (let j = i + 1; j < pre; j++) {
        if (suppressed[j]! > 0) continue;
        const q = j * 5;
        const w = Math.max(0, f(f(Math.min(sorted[p + 2]!, sorted[q + 2]!) - Math.max(sorted[p]!, sorted[q]!)) + 1));
        const h = Math.max(0, f(f(Math.min(sorted[p + 3]!, sorted[q + 3]!) - Math.max(sorted[p + 1]!, sorted[q + 1]!)) + 1));
        const inter = f(w * h);
        if (f(inter / f(f(area[i]! + area[j]!) - inter)) > thresh) suppressed[j] = 1;
      }
    }
    for (let i = 0; i < outRowsPerImage; i++) {
      const src = keep[i < kept ? i : i % kept]! * 5;
      const o = b * outRowsPerImage + i;
      out[o * 5] = b;
      out.set(sorted.subarray(src, src + 4), o * 5 + 1);
      score[o] = sorted[src + 4]!;
    }
  }
}

export const detectionProposalKernels = { rpnProposal };
