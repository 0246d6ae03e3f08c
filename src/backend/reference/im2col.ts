/**
 * im2col / col2im for 1-D and 2-D convolution windows (Caffe's layout, as MXNet's im2col.h).
 * One image is (channels, height, width); 1-D images use height = 1 with a 1-tall window.
 * The column buffer is (channels * kh * kw, outH * outW): row (c, ki, kj), column (y, x) holds
 * image[c, y*sh - ph + ki*dh, x*sw - pw + kj*dw], or 0 where that falls in the padding.
 */
import type { ConvGeometry } from '../geometry';

/**
 * Output columns x whose input column x*stride - pad + offset falls inside [0, width): the
 * range [lo, hi), so the copy loops need no per-element bounds test.
 */
function validRange(outW: number, stride: number, pad: number, offset: number, width: number): [number, number] {
  const first = offset - pad; // input column of x = 0
  const lo = Math.min(outW, Math.max(0, Math.ceil(-first / stride)));
  const hi = Math.max(lo, Math.min(outW, Math.ceil((width - first) / stride)));
  return [lo, hi];
}

/**
 * Fills the column buffer with the windows of `samples` images, the first at `image[offset...]`
 * and each next one `sampleStride` further. Row r of the buffer starts at
 * `col[colOffset + r * ldCol]` and holds each sample's outH * outW positions side by side, so
 * a batch of images fills one buffer for a single GEMM. Rows are the outer loop: writes run
 * sequentially along each row (a sample-major order writes with a power-of-two stride, which
 * thrashes the cache).
 */
export function im2col(image: Float32Array, offset: number, g: ConvGeometry, col: Float32Array, colOffset = 0, ldCol = g.outH * g.outW, samples = 1, sampleStride = 0): void {
  const { channels, height, width, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW } = g;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, row++) {
        let out = colOffset + row * ldCol;
        const [lo, hi] = validRange(outW, sw, pw, kj * dw, width);
        for (let s = 0; s < samples; s++) {
          const plane = offset + s * sampleStride + c * height * width;
          for (let y = 0; y < outH; y++) {
            const iy = y * sh - ph + ki * dh;
            if (iy < 0 || iy >= height) {
              for (let x = 0; x < outW; x++) col[out++] = 0;
              continue;
            }
            const line = plane + iy * width - pw + kj * dw;
            for (let x = 0; x < lo; x++) col[out++] = 0;
            for (let x = lo; x < hi; x++) col[out++] = image[line + x * sw]!;
            for (let x = hi; x < outW; x++) col[out++] = 0;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: adds every column entry back into its image position (padding dropped). */
export function col2im(col: Float32Array, g: ConvGeometry, image: Float32Array, offset: number, colOffset = 0, ldCol = g.outH * g.outW, samples = 1, sampleStride = 0): void {
  const { channels, height, width, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW } = g;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, row++) {
        let at = colOffset + row * ldCol;
        const [lo, hi] = validRange(outW, sw, pw, kj * dw, width);
        for (let s = 0; s < samples; s++) {
          const plane = offset + s * sampleStride + c * height * width;
          for (let y = 0; y < outH; y++) {
            const iy = y * sh - ph + ki * dh;
            if (iy < 0 || iy >= height) {
              at += outW;
              continue;
            }
            const line = plane + iy * width - pw + kj * dw;
            for (let x = lo; x < hi; x++) image[line + x * sw]! += col[at + x]!;
            at += outW;
          }
        }
      }
    }
  }
}

export const im2colKernels = { im2col, col2im };
