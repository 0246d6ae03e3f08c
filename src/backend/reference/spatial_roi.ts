/**
 * Region-of-interest kernels on NCHW feature maps, rois (R, 5) = [batch, x1, y1, x2, y2] in image
 * coordinates: max pooling over rounded bins (MXNet `roi_pooling.cc`) and bilinear-sampled average
 * pooling (`contrib/roi_align.cc`), each with its gradient to the data.
 */
import type { Shape } from '../../base/shape';
import type { Req } from '../../base/req';

/** C's round(): halves away from zero (Math.round rounds -2.5 to -2). */
function roundHalfAway(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/**
 * out[r, c, ph, pw] (req)= max of data[batch(r), c] over bin (ph, pw) of the roi scaled by
 * spatialScale and rounded; argmax holds the flat h*W+w of the max, -1 for an empty bin (value 0).
 */
function roiPool(data: Float32Array, dataShape: Shape, rois: Float32Array, numRois: number, spatialScale: number, pooledH: number, pooledW: number, out: Float32Array, argmax: Float32Array, req: Req): void {
  const [batch, channels, height, width] = dataShape as [number, number, number, number];
  const f = Math.fround;
  for (let r = 0; r < numRois; r++) {
    const roi = rois.subarray(r * 5, r * 5 + 5);
    const b = Math.trunc(roi[0]!);
    const startW = roundHalfAway(f(roi[1]! * spatialScale));
    const startH = roundHalfAway(f(roi[2]! * spatialScale));
    const endW = roundHalfAway(f(roi[3]! * spatialScale));
    const endH = roundHalfAway(f(roi[4]! * spatialScale));
    const binH = f(Math.max(endH - startH + 1, 1) / pooledH);
    const binW = f(Math.max(endW - startW + 1, 1) / pooledW);
    const valid = b >= 0 && b < batch;
    for (let c = 0; c < channels; c++) {
      const plane = (b * channels + c) * height * width;
      for (let ph = 0; ph < pooledH; ph++) {
        const h0 = Math.min(Math.max(Math.floor(f(ph * binH)) + startH, 0), height);
        const h1 = Math.min(Math.max(Math.ceil(f((ph + 1) * binH)) + startH, 0), height);
        for (let pw = 0; pw < pooledW; pw++) {
          const w0 = Math.min(Math.max(Math.floor(f(pw * binW)) + startW, 0), width);
          const w1 = Math.min(Math.max(Math.ceil(f((pw + 1) * binW)) + startW, 0), width);
          const o = ((r * channels + c) * pooledH + ph) * pooledW + pw;
          let best = 0;
          let where = -1;
          if (valid && h1 > h0 && w1 > w0) {
            best = -Infinity;
            for (let h = h0; h < h1; h++) {
              for (let w = w0; w < w1; w++) {
                const v = data[plane + h * width + w]!;
                if (v > best) {
                  best = v;
                  where = h * width + w;
                }
              }
            }
          }
          argmax[o] = where;
          if (req === 'write') out[o] = best;
          else if (req === 'add') out[o]! += best;
        }
      }
    }
  }
}

/** dx (req)= for every pooled cell, its head gradient added at the data position that won the max. */
function roiPoolGrad(g: Float32Array, argmax: Float32Array, rois: Float32Array, numRois: number, pooledSize: number, dx: Float32Array, dxShape: Shape, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') dx.fill(0);
  const [batch, channels, height, width] = dxShape as [number, number, number, number];
  for (let r = 0; r < numRois; r++) {
    const b = Math.trunc(rois[r * 5]!);
    if (b < 0 || b >= batch) continue;
    for (let c = 0; c < channels; c++) {
      const plane = (b * channels + c) * height * width;
      for (let k = 0; k < pooledSize; k++) {
        const o = (r * channels + c) * pooledSize + k;
        const where = argmax[o]!;
        if (where >= 0) dx[plane + where]! += g[o]!;
      }
    }
  }
}

/** The four taps and weights of one bilinear sample, MXNet's clamping rules; weights 0 outside [-1, size]. */
interface Taps { i1: number; i2: number; i3: number; i4: number; w1: number; w2: number; w3: number; w4: number }

function bilinearTaps(y: number, x: number, height: number, width: number, taps: Taps): void {
  if (y < -1 || y > height || x < -1 || x > width) {
    taps.i1 = taps.i2 = taps.i3 = taps.i4 = 0;
    taps.w1 = taps.w2 = taps.w3 = taps.w4 = 0;
    return;
  }
  if (y <= 0) y = 0;
  if (x <= 0) x = 0;
  let yLow = Math.trunc(y);
  let xLow = Math.trunc(x);
  let yHigh: number;
  let xHigh: number;
  if (yLow >= height - 1) {
    yHigh = yLow = height - 1;
    y = yLow;
  } else yHigh = yLow + 1;
  if (xLow >= width - 1) {
    xHigh = xLow = width - 1;
    x = xLow;
  } else xHigh = xLow + 1;
  const ly = y - yLow;
  const lx = x - xLow;
  const hy = 1 - ly;
  const hx = 1 - lx;
  taps.i1 = yLow * width + xLow;
  taps.i2 = yLow * width + xHigh;
  taps.i3 = yHigh * width + xLow;
  taps.i4 = yHigh * width + xHigh;
  taps.w1 = hy * hx;
  taps.w2 = hy * lx;
  taps.w3 = ly * hx;
  taps.w4 = ly * lx;
}

export interface RoiAlignGeometry {
  readonly pooledH: number;
  readonly pooledW: number;
  readonly spatialScale: number;
  readonly sampleRatio: number;
  readonly positionSensitive: boolean;
  readonly aligned: boolean;
}

/**
 * Visits every (roi, output channel, bin) with its data plane offset and each bilinear sample of
 * the bin, scaled by 1/count: the one traversal both directions of ROIAlign share.
 */
function forEachRoiAlignSample(dataShape: Shape, rois: Float32Array, numRois: number, outChannels: number, geo: RoiAlignGeometry, taps: Taps,
  visit: (o: number, plane: number, scale: number) => void): void {
  const [batch, , height, width] = dataShape as [number, number, number, number];
  const { pooledH, pooledW, spatialScale } = geo;
  const offset = geo.aligned ? 0.5 : 0;
  for (let r = 0; r < numRois; r++) {
    const roi = rois.subarray(r * 5, r * 5 + 5);
    const b = Math.trunc(roi[0]!);
    const startW = roi[1]! * spatialScale - offset;
    const startH = roi[2]! * spatialScale - offset;
    let roiW = roi[3]! * spatialScale - offset - startW;
    let roiH = roi[4]! * spatialScale - offset - startH;
    if (!geo.aligned) {
      roiW = Math.max(roiW, 1);
      roiH = Math.max(roiH, 1);
    }
    const binH = roiH / pooledH;
    const binW = roiW / pooledW;
    const gridH = geo.sampleRatio > 0 ? geo.sampleRatio : Math.ceil(roiH / pooledH);
    const gridW = geo.sampleRatio > 0 ? geo.sampleRatio : Math.ceil(roiW / pooledW);
    const scale = 1 / Math.max(gridH * gridW, 1);
    for (let c = 0; c < outChannels; c++) {
      for (let ph = 0; ph < pooledH; ph++) {
        for (let pw = 0; pw < pooledW; pw++) {
          const o = ((r * outChannels + c) * pooledH + ph) * pooledW + pw;
          if (b < 0 || b >= batch) continue;
          const inChannel = geo.positionSensitive ? (c * pooledH + ph) * pooledW + pw : c;
          const inChannels = geo.positionSensitive ? outChannels * pooledH * pooledW : outChannels;
          const plane = (b * inChannels + inChannel) * height * width;
          for (let iy = 0; iy < gridH; iy++) {
            const y = startH + ph * binH + ((iy + 0.5) * binH) / gridH;
            for (let ix = 0; ix < gridW; ix++) {
              const x = startW + pw * binW + ((ix + 0.5) * binW) / gridW;
              bilinearTaps(y, x, height, width, taps);
              visit(o, plane, scale);
            }
          }
        }
      }
    }
  }
}

const newTaps = (): Taps => ({ i1: 0, i2: 0, i3: 0, i4: 0, w1: 0, w2: 0, w3: 0, w4: 0 });

/** out (req)= ROIAlign: each bin the mean of gridH x gridW bilinear samples (rois with a batch index outside the data give 0). */
function roiAlign(data: Float32Array, dataShape: Shape, rois: Float32Array, numRois: number, geo: RoiAlignGeometry, out: Float32Array, outChannels: number, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') out.fill(0);
  const taps = newTaps();
  forEachRoiAlignSample(dataShape, rois, numRois, outChannels, geo, taps, (o, plane, scale) => {
    out[o]! += scale * (taps.w1 * data[plane + taps.i1]! + taps.w2 * data[plane + taps.i2]! + taps.w3 * data[plane + taps.i3]! + taps.w4 * data[plane + taps.i4]!);
  });
}

/** dx (req)= each bin's head gradient spread back over its samples' taps. */
function roiAlignGrad(g: Float32Array, dataShape: Shape, rois: Float32Array, numRois: number, geo: RoiAlignGeometry, outChannels: number, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') dx.fill(0);
  const taps = newTaps();
  forEachRoiAlignSample(dataShape, rois, numRois, outChannels, geo, taps, (o, plane, scale) => {
    const gv = g[o]! * scale;
    dx[plane + taps.i1]! += taps.w1 * gv;
    dx[plane + taps.i2]! += taps.w2 * gv;
    dx[plane + taps.i3]! += taps.w3 * gv;
    dx[plane + taps.i4]! += taps.w4 * gv;
  });
}

export const spatialRoiKernels = { roiPool, roiPoolGrad, roiAlign, roiAlignGrad };
