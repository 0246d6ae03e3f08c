/**
 * Rotated ROI align (MXNet `contrib/rroi_align.cc`, after Caffe2's RoIAlignRotated): average of
 * bilinear samples over the bins of rois [batch, centre x, centre y, width, height, degrees]. Rois
 * whose batch index falls outside the data give zeros (MXNet reads out of bounds there).
 */
import type { Shape } from '../../base/shape';
import type { Req } from '../../base/req';

const f32 = Math.fround;

export interface RroiGeometry {
  readonly pooledH: number;
  readonly pooledW: number;
  readonly spatialScale: number;
  readonly samplingRatio: number;
}

/** Bilinear value at (y, x) with ROIAlign's rules: 0 outside [-1, size], clamped into the map otherwise. */
function alignSample(data: Float32Array, plane: number, height: number, width: number, y: number, x: number): number {
  if (y < -1 || y > height || x < -1 || x > width) return 0;
  y = Math.max(y, 0);
  x = Math.max(x, 0);
  let y0 = Math.trunc(y);
  let x0 = Math.trunc(x);
  let y1 = y0 + 1;
  let x1 = x0 + 1;
  if (y0 >= height - 1) [y0, y1, y] = [height - 1, height - 1, height - 1];
  if (x0 >= width - 1) [x0, x1, x] = [width - 1, width - 1, width - 1];
  const ly = y - y0;
  const lx = x - x0;
  const at = (yy: number, xx: number) => data[plane + yy * width + xx]!;
  return (1 - ly) * (1 - lx) * at(y0, x0) + (1 - ly) * lx * at(y0, x1) + ly * (1 - lx) * at(y1, x0) + ly * lx * at(y1, x1);
}

/**
 * out[r, c, ph, pw] (req)= mean over a grid of samples in bin (ph, pw) of the roi [batch, cx, cy, w, h, angle in
 * degrees] (scaled, at least 1x1), each sample rotated by the angle about the centre, then bilinear.
 */
function rroiAlign(data: Float32Array, dataShape: Shape, rois: Float32Array, numRois: number, geo: RroiGeometry, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const [batch, channels, height, width] = dataShape as [number, number, number, number];
  const { pooledH, pooledW } = geo;
  for (let r = 0; r < numRois; r++) {
    const roi = rois.subarray(r * 6, r * 6 + 6);
    const b = Math.trunc(roi[0]!);
    const cx = f32(roi[1]! * geo.spatialScale);
    const cy = f32(roi[2]! * geo.spatialScale);
    const roiW = Math.max(f32(roi[3]! * geo.spatialScale), 1);
    const roiH = Math.max(f32(roi[4]! * geo.spatialScale), 1);
    const theta = f32((roi[5]! * Math.PI) / 180);
    const [cos, sin] = [f32(Math.cos(theta)), f32(Math.sin(theta))];
    const binH = f32(roiH / pooledH);
    const binW = f32(roiW / pooledW);
    const gridH = geo.samplingRatio > 0 ? geo.samplingRatio : Math.ceil(roiH / pooledH);
    const gridW = geo.samplingRatio > 0 ? geo.samplingRatio : Math.ceil(roiW / pooledW);
    for (let c = 0; c < channels; c++) {
      const plane = (b * channels + c) * height * width;
      for (let ph = 0; ph < pooledH; ph++) {
        for (let pw = 0; pw < pooledW; pw++) {
          let sum = 0;
          if (b >= 0 && b < batch) {
            for (let iy = 0; iy < gridH; iy++) {
              const yy = -roiH / 2 + ph * binH + ((iy + 0.5) * binH) / gridH;
              for (let ix = 0; ix < gridW; ix++) {
                const xx = -roiW / 2 + pw * binW + ((ix + 0.5) * binW) / gridW;
                sum += alignSample(data, plane, height, width, yy * cos - xx * sin + cy, xx * cos + yy * sin + cx);
              }
            }
          }
          const o = ((r * channels + c) * pooledH + ph) * pooledW + pw;
          const v = sum / (gridH * gridW);
          out[o] = req === 'add' ? out[o]! + v : v;
        }
      }
    }
  }
}

export const visionRroiKernels = { rroiAlign };
