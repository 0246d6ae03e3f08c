/**
 * Deformable convolution's column kernels (MXNet `contrib/nn/deformable_im2col`): im2col whose
 * taps move by learned offsets and are read bilinearly, its adjoint into the image, the gradient
 * with respect to the offsets, and the per-filter bias of the convolution's output.
 */
import type { Req } from '../../base/req';

const f32 = Math.fround;

/** One sample's geometry: NCHW image, 2-D kernel window, deformable groups, output size. */
export interface DeformableGeometry {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly padH: number;
  readonly padW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilateH: number;
  readonly dilateW: number;
  readonly deformableGroups: number;
  readonly outH: number;
  readonly outW: number;
}

/** The four taps of one in-map sample and its fractional position (0 along an axis clamped to the last row/column). */
interface Tap { i00: number; i01: number; i10: number; i11: number; lh: number; lw: number }

const tap: Tap = { i00: 0, i01: 0, i10: 0, i11: 0, lh: 0, lw: 0 };

/**
 * Visits every column entry (channel c, kernel tap k, output position q) of one sample with the flat
 * index of its h offset (w follows one plane later) and, when the moved tap lands in [0, H) x [0, W),
 * its bilinear taps in `tap`.
 */
function forEachColumn(g: DeformableGeometry, offset: Float32Array, offsetOff: number,
  visit: (at: number, offH: number, inMap: boolean) => void): void {
  const taps = g.kernelH * g.kernelW;
  const outSize = g.outH * g.outW;
  const perGroup = g.channels / g.deformableGroups;
  for (let c = 0; c < g.channels; c++) {
    const group = Math.floor(c / perGroup);
    for (let i = 0; i < g.kernelH; i++) {
      for (let j = 0; j < g.kernelW; j++) {
        const k = i * g.kernelW + j;
        const offH = offsetOff + (group * 2 * taps + 2 * k) * outSize;
        for (let oh = 0; oh < g.outH; oh++) {
          const hIn = oh * g.strideH - g.padH;
          for (let ow = 0; ow < g.outW; ow++) {
            const q = oh * g.outW + ow;
            const wIn = ow * g.strideW - g.padW;
            const dh = offset[offH + q]!;
            const dw = offset[offH + outSize + q]!;
            const h = f32(hIn + i * g.dilateH + dh);
            const w = f32(wIn + j * g.dilateW + dw);
            const inMap = h >= 0 && w >= 0 && h < g.height && w < g.width;
            if (inMap) {
              // As MXNet: positions relative to the window corner, clamped on the last row/column.
              const mapH = f32(i * g.dilateH + dh);
              const mapW = f32(j * g.dilateW + dw);
              let hLow = Math.floor(mapH);
              let wLow = Math.floor(mapW);
              let hHigh = hLow + 1;
              let wHigh = wLow + 1;
              tap.lh = mapH - hLow;
              tap.lw = mapW - wLow;
              if (hIn + hLow >= g.height - 1) [hLow, hHigh, tap.lh] = [g.height - 1 - hIn, g.height - 1 - hIn, 0];
              if (wIn + wLow >= g.width - 1) [wLow, wHigh, tap.lw] = [g.width - 1 - wIn, g.width - 1 - wIn, 0];
              const plane = c * g.height * g.width;
              tap.i00 = plane + (hIn + hLow) * g.width + wIn + wLow;
              tap.i01 = plane + (hIn + hLow) * g.width + wIn + wHigh;
              tap.i10 = plane + (hIn + hHigh) * g.width + wIn + wLow;
              tap.i11 = plane + (hIn + hHigh) * g.width + wIn + wHigh;
            }
            visit((c * taps + k) * outSize + q, offH + q, inMap);
          }
        }
      }
    }
  }
}

/** col (write, (C*kh*kw, outH*outW))= the image of one sample read bilinearly at the moved taps (0 off the map). */
function deformableIm2col(data: Float32Array, dataOff: number, offset: Float32Array, offsetOff: number, g: DeformableGeometry, col: Float32Array): void {
  forEachColumn(g, offset, offsetOff, (at, _offH, inMap) => {
    if (!inMap) {
      col[at] = 0;
      return;
    }
    const { lh, lw } = tap;
    col[at] = (1 - lh) * (1 - lw) * data[dataOff + tap.i00]! + (1 - lh) * lw * data[dataOff + tap.i01]!
      + lh * (1 - lw) * data[dataOff + tap.i10]! + lh * lw * data[dataOff + tap.i11]!;
  });
}

/** dData[dataOff..] += each column entry spread over its taps with the forward weights (the adjoint of deformableIm2col). */
function deformableCol2im(col: Float32Array, offset: Float32Array, offsetOff: number, g: DeformableGeometry, dData: Float32Array, dataOff: number): void {
  forEachColumn(g, offset, offsetOff, (at, _offH, inMap) => {
    if (!inMap) return;
    const v = col[at]!;
    const { lh, lw } = tap;
    dData[dataOff + tap.i00]! += (1 - lh) * (1 - lw) * v;
    dData[dataOff + tap.i01]! += (1 - lh) * lw * v;
    dData[dataOff + tap.i10]! += lh * (1 - lw) * v;
    dData[dataOff + tap.i11]! += lh * lw * v;
  });
}

/**
 * dOffset[offsetOff..] (req)= for each offset pair, the sum over its group's channels of the column
 * gradient times the slope of the bilinear read along h and w (0 off the map and along a clamped axis).
 */
function deformableCol2imCoord(col: Float32Array, data: Float32Array, dataOff: number, offset: Float32Array, offsetOff: number,
  g: DeformableGeometry, dOffset: Float32Array, req: Req): void {
  if (req === 'null') return;
  const size = g.deformableGroups * 2 * g.kernelH * g.kernelW * g.outH * g.outW;
  if (req === 'write') dOffset.fill(0, offsetOff, offsetOff + size);
  const outSize = g.outH * g.outW;
  forEachColumn(g, offset, offsetOff, (at, offH, inMap) => {
    if (!inMap) return;
    const [v00, v01, v10, v11] = [data[dataOff + tap.i00]!, data[dataOff + tap.i01]!, data[dataOff + tap.i10]!, data[dataOff + tap.i11]!];
    const { lh, lw } = tap;
    dOffset[offH]! += col[at]! * ((1 - lw) * (v10 - v00) + lw * (v11 - v01));
    dOffset[offH + outSize]! += col[at]! * ((1 - lh) * (v01 - v00) + lh * (v11 - v10));
  });
}

/** out[n, f, q] += bias[f]. */
function addFilterBias(out: Float32Array, bias: Float32Array, batch: number, filters: number, spatial: number): void {
  for (let n = 0; n < batch; n++) {
    for (let f = 0; f < filters; f++) {
      const base = (n * filters + f) * spatial;
      for (let q = 0; q < spatial; q++) out[base + q]! += bias[f]!;
    }
  }
}

/** dBias[f] (req)= sum of g[n, f, q] over samples and positions. */
function filterBiasGrad(g: Float32Array, batch: number, filters: number, spatial: number, dBias: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let f = 0; f < filters; f++) {
    let sum = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * filters + f) * spatial;
      for (let q = 0; q < spatial; q++) sum += g[base + q]!;
    }
    dBias[f] = req === 'add' ? dBias[f]! + sum : sum;
  }
}

export const visionDeformableKernels = { deformableIm2col, deformableCol2im, deformableCol2imCoord, addFilterBias, filterBiasGrad };
