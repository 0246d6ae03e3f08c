/**
 * Mask R-CNN mask targets (MXNet `contrib/mrcnn_mask_target.cu`): for each sampled RoI, the matched
 * ground-truth mask cropped and resized by RoIAlign (average of bilinear samples per bin), repeated
 * for every class, and a one-hot class indicator broadcast over the mask.
 */
import type { Req } from '../../base/req';

export interface MaskTargetDims {
  readonly batch: number;
  readonly rois: number;
  /** Ground-truth masks per image, each height x width. */
  readonly masks: number;
  readonly height: number;
  readonly width: number;
  readonly classes: number;
  readonly maskH: number;
  readonly maskW: number;
  /** Samples per bin along each axis; <= 0 adapts to ceil(roi size / mask size). */
  readonly sampleRatio: number;
  /** Detectron2's center-aligned boxes: shift by -0.5 and keep sub-pixel sizes. */
  readonly aligned: boolean;
}

function put(out: Float32Array, i: number, v: number, req: Req): void {
  if (req === 'write') out[i] = v;
  else if (req === 'add') out[i]! += v;
}

/** Bilinear sample of a (height, width) plane at (y, x): 0 beyond one pixel outside, edges clamped. */
function bilinear(plane: Float32Array, base: number, height: number, width: number, y: number, x: number): number {
  if (y < -1 || y > height || x < -1 || x > width) return 0;
  y = Math.max(y, 0);
  x = Math.max(x, 0);
  let [y0, x0] = [Math.trunc(y), Math.trunc(x)];
  let [y1, x1] = [y0 + 1, x0 + 1];
  if (y0 >= height - 1) [y0, y1, y] = [height - 1, height - 1, height - 1];
  if (x0 >= width - 1) [x0, x1, x] = [width - 1, width - 1, width - 1];
  const [ly, lx] = [y - y0, x - x0];
  const [hy, hx] = [1 - ly, 1 - lx];
  const at = (r: number, c: number) => plane[base + r * width + c]!;
  return hy * hx * at(y0, x0) + hy * lx * at(y0, x1) + ly * hx * at(y1, x0) + ly * lx * at(y1, x1);
}

/**
 * masks[b, n, c] (req)= RoIAlign of gtMasks[b, matches[b, n]] over rois[b, n] = (x1, y1, x2, y2), for every class c;
 * classes[b, n, c] (req)= 1 where c == clsTargets[b, n], else 0, over the whole mask.
 */
function mrcnnMaskTarget(rois: Float32Array, gtMasks: Float32Array, matches: Float32Array, clsTargets: Float32Array, d: MaskTargetDims,
  masks: Float32Array, masksReq: Req, classes: Float32Array, classesReq: Req): void {
  const plane = d.maskH * d.maskW;
  const offset = d.aligned ? 0.5 : 0;
  for (let b = 0; b < d.batch; b++) {
    for (let n = 0; n < d.rois; n++) {
      const r = (b * d.rois + n) * 4;
      const [x1, y1] = [rois[r]! - offset, rois[r + 1]! - offset];
      let [roiW, roiH] = [rois[r + 2]! - offset - x1, rois[r + 3]! - offset - y1];
      if (!d.aligned) [roiW, roiH] = [Math.max(roiW, 1), Math.max(roiH, 1)];
      const [binH, binW] = [roiH / d.maskH, roiW / d.maskW];
      const gridH = d.sampleRatio > 0 ? d.sampleRatio : Math.ceil(roiH / d.maskH);
      const gridW = d.sampleRatio > 0 ? d.sampleRatio : Math.ceil(roiW / d.maskW);
      const source = (b * d.masks + Math.trunc(matches[b * d.rois + n]!)) * d.height * d.width;
      const target = clsTargets[b * d.rois + n]!;
      for (let ph = 0; ph < d.maskH; ph++) {
        for (let pw = 0; pw < d.maskW; pw++) {
          let sum = 0;
          for (let iy = 0; iy < gridH; iy++) {
            const y = y1 + ph * binH + ((iy + 0.5) * binH) / gridH;
            for (let ix = 0; ix < gridW; ix++) sum += bilinear(gtMasks, source, d.height, d.width, y, x1 + pw * binW + ((ix + 0.5) * binW) / gridW);
          }
          const value = sum / (gridH * gridW);
          for (let c = 0; c < d.classes; c++) {
            const o = ((b * d.rois + n) * d.classes + c) * plane + ph * d.maskW + pw;
            put(masks, o, value, masksReq);
            put(classes, o, target === c ? 1 : 0, classesReq);
          }
        }
      }
    }
  }
}

export const contribMaskKernels = { mrcnnMaskTarget };
