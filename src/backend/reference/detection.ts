/**
 * Bounding-box kernels (MXNet `contrib/bounding_box-inl.h`, `contrib/multibox_prior.cc`):
 * non-maximum suppression with its index record, IoU, bipartite matching, box encode/decode and
 * anchor generation. Arithmetic on box coordinates is rounded to float32 where MXNet's comparisons
 * (IoU against a threshold) would otherwise flip.
 */
import type { Req } from '../../base/req';

const f = Math.fround;

/** Length of the overlap of [a0, a2] and [b0, b2] along one axis (corner) or of the boxes centred at a0, b0 with widths a2, b2 (center). */
function overlap1d(a: Float32Array, ai: number, b: Float32Array, bi: number, center: boolean): number {
  let w: number;
  if (!center) w = f(Math.min(a[ai + 2]!, b[bi + 2]!) - Math.max(a[ai]!, b[bi]!));
  else {
    const aw = f(a[ai + 2]! / 2);
    const bw = f(b[bi + 2]! / 2);
    w = f(Math.min(f(b[bi]! + bw), f(a[ai]! + aw)) - Math.max(f(b[bi]! - bw), f(a[ai]! - aw)));
  }
  return w > 0 ? w : 0;
}

/** Box area in either encoding; 0 for negative width or height. */
function boxArea(a: Float32Array, i: number, center: boolean): number {
  const w = center ? a[i + 2]! : f(a[i + 2]! - a[i]!);
  const h = center ? a[i + 3]! : f(a[i + 3]! - a[i + 1]!);
  return w < 0 || h < 0 ? 0 : f(w * h);
}

export interface BoxNmsConfig {
  readonly overlapThresh: number;
  readonly validThresh: number;
  readonly topk: number;
  readonly coordStart: number;
  readonly scoreIndex: number;
  readonly idIndex: number;
  readonly backgroundId: number;
  readonly forceSuppress: boolean;
  readonly inCenter: boolean;
  readonly outCenter: boolean;
}

/**
 * box_nms over `batches` groups of `count` boxes of `width` values. out gets the surviving rows
 * per group, best score first, then rows of -1; record[b*count + k] the flat input row (over all
 * groups) that out row k of group b came from, -1 for fill rows. `order` is scratch of batches*count.
 */
function boxNms(data: Float32Array, batches: number, count: number, width: number, cfg: BoxNmsConfig, out: Float32Array, record: Float32Array, order: Float32Array): void {
  const total = batches * count;
  const topk = cfg.topk < 0 ? count : Math.min(count, cfg.topk);
  if (topk < 1) {
    out.set(data.subarray(0, total * width));
    for (let i = 0; i < total; i++) record[i] = i;
    return;
  }
  out.fill(-1);
  record.fill(-1);
  const thresh = f(cfg.overlapThresh);
  const validThresh = f(cfg.validThresh);
  const cs = cfg.coordStart;
  for (let b = 0; b < batches; b++) {
    // Valid rows of this group, sorted by score (descending; ties keep input order as MXNet's stable sort).
    let n = 0;
    for (let k = 0; k < count; k++) {
      const row = (b * count + k) * width;
      const valid = data[row + cfg.scoreIndex]! > validThresh && (cfg.idIndex < 0 || data[row + cfg.idIndex] !== f(cfg.backgroundId));
      if (valid) order[b * count + n++] = b * count + k;
    }
    const group = order.subarray(b * count, b * count + n);
    group.sort((i, j) => data[j * width + cfg.scoreIndex]! - data[i * width + cfg.scoreIndex]! || i - j);
    const limit = Math.min(n, topk);
    for (let ref = 0; ref < limit; ref++) {
      const r = group[ref]!;
      if (r < 0) continue;
      const rArea = boxArea(data, r * width + cs, cfg.inCenter);
      for (let pos = ref + 1; pos < limit; pos++) {
        const q = group[pos]!;
        if (q < 0) continue;
        if (!cfg.forceSuppress && cfg.idIndex >= 0 && Math.trunc(data[r * width + cfg.idIndex]!) !== Math.trunc(data[q * width + cfg.idIndex]!)) continue;
        const inter = f(overlap1d(data, r * width + cs, data, q * width + cs, cfg.inCenter) * overlap1d(data, r * width + cs + 1, data, q * width + cs + 1, cfg.inCenter));
        const iou = f(inter / f(f(rArea + boxArea(data, q * width + cs, cfg.inCenter)) - inter));
        if (iou > thresh) group[pos] = -1;
      }
    }
    let kept = 0;
    for (let k = 0; k < limit; k++) {
      const src = group[k]!;
      if (src < 0) continue;
      const dst = b * count + kept++;
      out.set(data.subarray(src * width, src * width + width), dst * width);
      record[dst] = src;
    }
  }
  if (cfg.inCenter !== cfg.outCenter) {
    for (let i = 0; i < total; i++) {
      const c = i * width + cs;
      const [a0, a1, a2, a3] = [out[c]!, out[c + 1]!, out[c + 2]!, out[c + 3]!];
      if (a0 < 0) continue; // MXNet leaves rows whose first coordinate is negative untouched (the -1 fill, but not only)
      if (cfg.outCenter) {
        out[c] = (a0 + a2) / 2;
        out[c + 1] = (a1 + a3) / 2;
        out[c + 2] = a2 - a0;
        out[c + 3] = a3 - a1;
      } else {
        out[c] = a0 - a2 / 2;
        out[c + 1] = a1 - a3 / 2;
        out[c + 2] = a0 + a2 / 2;
        out[c + 3] = a1 + a3 / 2;
      }
    }
  }
}

/** dx (req)= g moved back to the input rows `record` names; suppressed rows get 0. */
function boxNmsGrad(g: Float32Array, record: Float32Array, rows: number, width: number, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') dx.fill(0);
  for (let i = 0; i < rows; i++) {
    const src = record[i]!;
    if (src < 0) continue;
    for (let j = 0; j < width; j++) dx[src * width + j]! += g[i * width + j]!;
  }
}

/** out[i, j] (req)= IoU of lhs box i and rhs box j (0 without overlap). */
function boxIou(lhs: Float32Array, numL: number, rhs: Float32Array, numR: number, center: boolean, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let i = 0; i < numL; i++) {
    for (let j = 0; j < numR; j++) {
      const inter = f(overlap1d(lhs, i * 4, rhs, j * 4, center) * overlap1d(lhs, i * 4 + 1, rhs, j * 4 + 1, center));
      const v = inter <= 0 ? 0 : f(inter / f(f(boxArea(lhs, i * 4, center) + boxArea(rhs, j * 4, center)) - inter));
      const o = i * numR + j;
      out[o] = req === 'add' ? out[o]! + v : v;
    }
  }
}

/**
 * Greedy matching per batch of a (rows x cols) score matrix: visits scores best first (ties in
 * index order), pairs a free row with a free column while the score passes the threshold, stops at
 * the first free pair that fails it or once more than topk pairs are made. rowMatch / colMatch get
 * the partner index or -1. `order` is scratch of rows*cols.
 */
function bipartiteMatching(scores: Float32Array, batches: number, rows: number, cols: number, threshold: number, isAscend: boolean, topk: number, rowMatch: Float32Array, colMatch: Float32Array, order: Float32Array): void {
  const cells = rows * cols;
  const t = f(threshold);
  rowMatch.fill(-1);
  colMatch.fill(-1);
  for (let b = 0; b < batches; b++) {
    const s = scores.subarray(b * cells, (b + 1) * cells);
    for (let k = 0; k < cells; k++) order[k] = k;
    const idx = order.subarray(0, cells);
    idx.sort((i, j) => (isAscend ? s[i]! - s[j]! : s[j]! - s[i]!) || i - j);
    let matched = 0;
    for (let k = 0; k < cells; k++) {
      const r = Math.floor(idx[k]! / cols);
      const c = idx[k]! % cols;
      if (rowMatch[b * rows + r] !== -1 || colMatch[b * cols + c] !== -1) continue;
      const v = s[idx[k]!]!;
      if (!(isAscend ? v < t : v > t)) break;
      rowMatch[b * rows + r] = c;
      colMatch[b * cols + c] = r;
      // NOTE: MXNet checks after counting, so topk allows topk + 1 pairs; kept for identical results.
      if (topk > 0 && ++matched > topk) break;
    }
  }
}

/**
 * box_encode: for anchor i of batch b with sample > 0.5, targets = ((ref centre - anchor centre) /
 * anchor size - means[0..1]) / stds[0..1] and (log(ref size / anchor size) - means[2..3]) / stds[2..3]
 * for the ref box `matches` names; masks 1 there, targets and masks 0 elsewhere.
 */
function boxEncode(samples: Float32Array, matches: Float32Array, anchors: Float32Array, refs: Float32Array, means: Float32Array, stds: Float32Array, batches: number, numAnchors: number, numRefs: number, targets: Float32Array, masks: Float32Array): void {
  for (let i = 0; i < batches * numAnchors; i++) {
    const b = Math.floor(i / numAnchors);
    const a = i * 4;
    const valid = samples[i]! > 0.5;
    masks.fill(valid ? 1 : 0, a, a + 4);
    if (!valid) {
      targets.fill(0, a, a + 4);
      continue;
    }
    const r = (b * numRefs + Math.trunc(matches[i]!)) * 4;
    const refW = refs[r + 2]! - refs[r]!;
    const refH = refs[r + 3]! - refs[r + 1]!;
    const aW = anchors[a + 2]! - anchors[a]!;
    const aH = anchors[a + 3]! - anchors[a + 1]!;
    const dx = (refs[r]! + refW * 0.5 - (anchors[a]! + aW * 0.5)) / aW;
    const dy = (refs[r + 1]! + refH * 0.5 - (anchors[a + 1]! + aH * 0.5)) / aH;
    targets[a] = (dx - means[0]!) / stds[0]!;
    targets[a + 1] = (dy - means[1]!) / stds[1]!;
    targets[a + 2] = (Math.log(refW / aW) - means[2]!) / stds[2]!;
    targets[a + 3] = (Math.log(refH / aH) - means[3]!) / stds[3]!;
  }
}

/**
 * box_decode: out = corner box of centre (x0*std0*aw + ax, x1*std1*ah + ay) and size
 * (exp(min(x2*std2, clip))*aw, exp(min(x3*std3, clip))*ah) (no clip when clip <= 0); anchors are
 * shared by every batch, given as centres (`cornerAnchors` false) or corners.
 */
function boxDecode(x: Float32Array, anchors: Float32Array, batches: number, numAnchors: number, stds: readonly number[], clip: number, cornerAnchors: boolean, out: Float32Array): void {
  for (let i = 0; i < batches * numAnchors; i++) {
    const o = i * 4;
    const a = (i % numAnchors) * 4;
    let ax = anchors[a]!;
    let ay = anchors[a + 1]!;
    let aw = anchors[a + 2]!;
    let ah = anchors[a + 3]!;
    if (cornerAnchors) {
      aw -= ax;
      ah -= ay;
      ax += aw * 0.5;
      ay += ah * 0.5;
    }
    const cx = x[o]! * stds[0]! * aw + ax;
    const cy = x[o + 1]! * stds[1]! * ah + ay;
    let dw = x[o + 2]! * stds[2]!;
    let dh = x[o + 3]! * stds[3]!;
    if (clip > 0) {
      dw = Math.min(dw, clip);
      dh = Math.min(dh, clip);
    }
    const hw = Math.exp(dw) * aw * 0.5;
    const hh = Math.exp(dh) * ah * 0.5;
    out[o] = cx - hw;
    out[o + 1] = cy - hh;
    out[o + 2] = cx + hw;
    out[o + 3] = cy + hh;
  }
}

export interface PriorConfig {
  readonly sizes: readonly number[];
  readonly ratios: readonly number[];
  readonly steps: readonly [number, number];
  readonly offsets: readonly [number, number];
  readonly clip: boolean;
}

/**
 * MultiBoxPrior anchors for an (H, W) map, row-major over cells: per cell first every size at ratio
 * 1, then sizes[0] at each further ratio; half width size*H/W*sqrt(ratio)/2, half height
 * size/sqrt(ratio)/2, centre ((x + offset_x) * step_x, (y + offset_y) * step_y), float32 as MXNet.
 */
function multiboxPrior(height: number, width: number, cfg: PriorConfig, out: Float32Array): void {
  const stepY = f(cfg.steps[0] > 0 ? cfg.steps[0] : 1 / height);
  const stepX = f(cfg.steps[1] > 0 ? cfg.steps[1] : 1 / width);
  let o = 0;
  const put = (cx: number, cy: number, w: number, h: number) => {
    out[o++] = f(cx - w);
    out[o++] = f(cy - h);
    out[o++] = f(cx + w);
    out[o++] = f(cy + h);
  };
  for (let r = 0; r < height; r++) {
    const cy = f(f(r + cfg.offsets[0]) * stepY);
    for (let c = 0; c < width; c++) {
      const cx = f(f(c + cfg.offsets[1]) * stepX);
      for (const size of cfg.sizes) put(cx, cy, f(f(f(f(size) * height) / width) / 2), f(f(size) / 2));
      const size = f(cfg.sizes[0]!);
      for (let j = 1; j < cfg.ratios.length; j++) {
        const ratio = f(Math.sqrt(f(cfg.ratios[j]!)));
        put(cx, cy, f(f(f(f(size * height) / width) * ratio) / 2), f(f(size / ratio) / 2));
      }
    }
  }
  if (cfg.clip) for (let i = 0; i < o; i++) out[i] = Math.min(Math.max(out[i]!, 0), 1);
}

export const detectionKernels = { boxNms, boxNmsGrad, boxIou, bipartiteMatching, boxEncode, boxDecode, multiboxPrior };
