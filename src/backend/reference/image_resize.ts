/**
 * `_image_resize` kernels on NHWC float32 images, following OpenCV's cv::resize (which MXNet calls)
 * for 32-bit float images: INTER_NEAREST and INTER_LINEAR with the pixel-centre convention
 * src = (dst + 0.5) * in / out - 0.5, in OpenCV's float32 order of operations.
 */
import type { Req } from '../../base/req';

const f32 = Math.fround;

/** NHWC sizes of a resize: `batch` images of inH x inW x channels to outH x outW x channels. */
export interface ResizeDims {
  readonly batch: number;
  readonly channels: number;
  readonly inH: number;
  readonly inW: number;
  readonly outH: number;
  readonly outW: number;
}

function put(out: Float32Array, i: number, v: number, req: Req): void {
  out[i] = req === 'add' ? out[i]! + v : v;
}

/** OpenCV's nearest source index: floor(dst * (1 / (out / in))), capped at in - 1. */
function nearestIndex(dst: number, inSize: number, outSize: number): number {
  const inverseScale = 1 / (outSize / inSize);
  return Math.min(Math.floor(dst * inverseScale), inSize - 1);
}

/** out[n, y, x, c] (req)= x[n, sy(y), sx(x), c] with OpenCV's INTER_NEAREST indices. */
function imageResizeNearest(x: Float32Array, d: ResizeDims, out: Float32Array, req: Req, scratch: Float32Array): void {
  if (req === 'null') return;
  const C = d.channels;
  const sxs = scratch.subarray(0, d.outW);
  for (let ox = 0; ox < d.outW; ox++) sxs[ox] = nearestIndex(ox, d.inW, d.outW);
  for (let n = 0; n < d.batch; n++) {
    for (let oy = 0; oy < d.outH; oy++) {
      const srcRow = (n * d.inH + nearestIndex(oy, d.inH, d.outH)) * d.inW * C;
      const dstRow = (n * d.outH + oy) * d.outW * C;
      for (let ox = 0; ox < d.outW; ox++) {
        for (let c = 0; c < C; c++) put(out, dstRow + ox * C + c, x[srcRow + sxs[ox]! * C + c]!, req);
      }
    }
  }
}

/**
 * One axis of OpenCV's linear resize into `index` and `weight`: the lower source index (exact in
 * float32) and the float32 weight of the upper one.
 */
function linearTaps(inSize: number, outSize: number, index: Float32Array, weight: Float32Array): void {
  const scale = 1 / (outSize / inSize);
  for (let o = 0; o < outSize; o++) {
    const f = f32((o + 0.5) * scale - 0.5);
    const s = Math.floor(f);
    index[o] = s;
    weight[o] = f32(f - s);
  }
}

/**
 * INTER_LINEAR: a horizontal pass (edge columns clamped with their weight reset to 0, as OpenCV
 * does) then a vertical blend of the two source rows (clamped rows, weights kept).
 */
function imageResizeBilinear(x: Float32Array, d: ResizeDims, out: Float32Array, req: Req, scratch: Float32Array): void {
  if (req === 'null') return;
  const C = d.channels;
  const rowLength = d.outW * C;
  // scratch: x0 and fx (outW each), rowIndex and rowWeight (outH each), two row buffers.
  const x0 = scratch.subarray(0, d.outW);
  const fx = scratch.subarray(d.outW, 2 * d.outW);
  const rowIndex = scratch.subarray(2 * d.outW, 2 * d.outW + d.outH);
  const rowWeight = scratch.subarray(2 * d.outW + d.outH, 2 * d.outW + 2 * d.outH);
  const top = scratch.subarray(2 * d.outW + 2 * d.outH, 2 * d.outW + 2 * d.outH + rowLength);
  const bottom = scratch.subarray(2 * d.outW + 2 * d.outH + rowLength, 2 * d.outW + 2 * d.outH + 2 * rowLength);
  linearTaps(d.inW, d.outW, x0, fx);
  for (let ox = 0; ox < d.outW; ox++) {
    if (x0[ox]! < 0) x0[ox] = fx[ox] = 0;
    if (x0[ox]! >= d.inW - 1) {
      x0[ox] = d.inW - 1;
      fx[ox] = 0;
    }
  }
  linearTaps(d.inH, d.outH, rowIndex, rowWeight);
  for (let n = 0; n < d.batch; n++) {
    for (let oy = 0; oy < d.outH; oy++) {
      for (let k = 0; k < 2; k++) {
        const buffer = k === 0 ? top : bottom;
        const srcY = Math.min(Math.max(rowIndex[oy]! + k, 0), d.inH - 1);
        const src = (n * d.inH + srcY) * d.inW * C;
        for (let ox = 0; ox < d.outW; ox++) {
          const left = src + x0[ox]! * C;
          const a1 = fx[ox]!;
          const a0 = f32(1 - a1);
          // Past the last column OpenCV copies the edge pixel instead of blending.
          const edge = x0[ox]! >= d.inW - 1;
          for (let c = 0; c < C; c++) {
            buffer[ox * C + c] = edge ? x[left + c]! : f32(f32(x[left + c]! * a0) + f32(x[left + C + c]! * a1));
          }
        }
      }
      const b1 = rowWeight[oy]!;
      const b0 = f32(1 - b1);
      const dst = (n * d.outH + oy) * rowLength;
      for (let i = 0; i < rowLength; i++) put(out, dst + i, f32(f32(top[i]! * b0) + f32(bottom[i]! * b1)), req);
    }
  }
}

export const imageResizeKernels = { imageResizeNearest, imageResizeBilinear };
