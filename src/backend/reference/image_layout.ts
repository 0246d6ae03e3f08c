/**
 * Layout kernels of MXNet's image ops (`image/image_random-inl.h`, `image/crop-inl.h`): HWC to CHW
 * conversion, per-channel normalization, flips and crops, with the gradients MXNet defines.
 */
import type { Req } from '../../base/req';

const f32 = Math.fround;

function put(out: Float32Array, i: number, v: number, req: Req): void {
  out[i] = req === 'add' ? out[i]! + v : v;
}

/** out[n, c, i] (req)= x[n, i, c] / 255 for `batch` images of `length` pixels and `channels` channels. */
function imageToTensor(x: Float32Array, batch: number, length: number, channels: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let n = 0; n < batch; n++) {
    const base = n * length * channels;
    for (let c = 0; c < channels; c++) {
      for (let i = 0; i < length; i++) put(out, base + c * length + i, f32(x[base + i * channels + c]! / 255), req);
    }
  }
}

/** out[n, c, i] (req)= (x[n, c, i] - mean[c]) / std[c], in float32 as MXNet computes it. */
function imageNormalize(x: Float32Array, batch: number, channels: number, length: number, mean: readonly number[], std: readonly number[], out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const m = f32(mean[c]!);
      const s = f32(std[c]!);
      const base = (n * channels + c) * length;
      for (let i = 0; i < length; i++) put(out, base + i, f32(f32(x[base + i]! - m) / s), req);
    }
  }
}

/** dx[n, c, i] (req)= g[n, c, i] * (1 / std[c]) (MXNet takes the reciprocal in double). */
function imageNormalizeBackward(g: Float32Array, batch: number, channels: number, length: number, std: readonly number[], dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const inv = 1 / f32(std[c]!);
      const base = (n * channels + c) * length;
      for (let i = 0; i < length; i++) put(dx, base + i, f32(g[base + i]! * inv), req);
    }
  }
}

/**
 * out[o, m, i] (req)= x[o, mid - 1 - m, i]: reverses the middle axis of an (outer, mid, inner) view.
 * A flip is its own inverse, so the same kernel computes the gradient. `x` and `out` must differ.
 */
function imageReverseAxis(x: Float32Array, outer: number, mid: number, inner: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let o = 0; o < outer; o++) {
    for (let m = 0; m < mid; m++) {
      const dst = (o * mid + m) * inner;
      const src = (o * mid + (mid - 1 - m)) * inner;
      for (let i = 0; i < inner; i++) put(out, dst + i, x[src + i]!, req);
    }
  }
}

/** An NHWC window: `batch` images of `height` x `width` x `channels`, cropped at (top, left). */
export interface CropWindow {
  readonly batch: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly top: number;
  readonly left: number;
  readonly cropHeight: number;
  readonly cropWidth: number;
}

/** Calls visit(inputOffset, outputOffset, rowLength) for every row of the window. */
function forEachCropRow(w: CropWindow, visit: (src: number, dst: number, rowLength: number) => void): void {
  const rowLength = w.cropWidth * w.channels;
  for (let n = 0; n < w.batch; n++) {
    for (let y = 0; y < w.cropHeight; y++) {
      const src = ((n * w.height + w.top + y) * w.width + w.left) * w.channels;
      visit(src, (n * w.cropHeight + y) * rowLength, rowLength);
    }
  }
}

/** out (req)= x[:, top:top+cropHeight, left:left+cropWidth, :]. */
function imageCrop(x: Float32Array, window: CropWindow, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  forEachCropRow(window, (src, dst, rowLength) => {
    for (let i = 0; i < rowLength; i++) put(out, dst + i, x[src + i]!, req);
  });
}

/** dx (req)= g inside the window, 0 outside. */
function imageCropBackward(g: Float32Array, window: CropWindow, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') dx.fill(0);
  forEachCropRow(window, (src, dst, rowLength) => {
    for (let i = 0; i < rowLength; i++) dx[src + i]! += g[dst + i]!;
  });
}

export const imageLayoutKernels = { imageToTensor, imageNormalize, imageNormalizeBackward, imageReverseAxis, imageCrop, imageCropBackward };
