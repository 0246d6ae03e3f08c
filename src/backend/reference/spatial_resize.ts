/**
 * Resizing kernels on NCHW float32 images: nearest-neighbour upsampling by integer factors
 * (MXNet `nn/upsampling-inl.h`), bilinear resize (`contrib/bilinear_resize.cc`) and adaptive
 * average pooling (`contrib/adaptive_avg_pooling.cc`), each with its gradient.
 */
import type { Shape } from '../../base/shape';
import type { Req } from '../../base/req';

/**
 * out[n, offset + c, y, x] (req)= x[n, c, floor(y / sh), floor(x / sw)]: writes the upsampled input
 * into `out`'s channels [offset, offset + C) (UpSampling's concat mode; sum mode passes offset 0).
 */
function upsampleNearest(x: Float32Array, xShape: Shape, out: Float32Array, outShape: Shape, channelOffset: number, sh: number, sw: number, req: Req): void {
  if (req === 'null') return;
  const [batch, channels, inH, inW] = xShape as [number, number, number, number];
  const [, outC, outH, outW] = outShape as [number, number, number, number];
  const add = req === 'add';
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const src = (n * channels + c) * inH * inW;
      const dst = (n * outC + channelOffset + c) * outH * outW;
      for (let y = 0; y < outH; y++) {
        const row = src + Math.floor(y / sh) * inW;
        const outRow = dst + y * outW;
        for (let xo = 0; xo < outW; xo++) {
          const v = x[row + Math.floor(xo / sw)]!;
          out[outRow + xo] = add ? out[outRow + xo]! + v : v;
        }
      }
    }
  }
}

/** dx[n, c, y, x] (req)= sum of g[n, offset + c] over the sh x sw block that (y, x) was copied to. */
function upsampleNearestGrad(g: Float32Array, gShape: Shape, channelOffset: number, dx: Float32Array, dxShape: Shape, sh: number, sw: number, req: Req): void {
  if (req === 'null') return;
  const [batch, channels, inH, inW] = dxShape as [number, number, number, number];
  const [, gC, outH, outW] = gShape as [number, number, number, number];
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const src = (n * gC + channelOffset + c) * outH * outW;
      const dst = (n * channels + c) * inH * inW;
      for (let y = 0; y < inH; y++) {
        for (let xi = 0; xi < inW; xi++) {
          let sum = 0;
          for (let i = 0; i < sh; i++) {
            const row = src + (y * sh + i) * outW + xi * sw;
            for (let j = 0; j < sw; j++) sum += g[row + j]!;
          }
          const o = dst + y * inW + xi;
          dx[o] = req === 'add' ? dx[o]! + sum : sum;
        }
      }
    }
  }
}

/** One axis of a bilinear resize: for each output index, the lower source index, the step to the upper one (0 at the edge) and the upper weight. */
interface Axis { low: Int32Array; step: Int32Array; lambda: Float32Array }

/** MXNet's source-index rule in float32: align_corners maps corner centres onto corner centres. */
function resizeAxis(inSize: number, outSize: number, alignCorners: boolean): Axis {
  const f = Math.fround;
  const scale = outSize > 1 ? (alignCorners ? f((inSize - 1) / (outSize - 1)) : f(inSize / outSize)) : 0;
  const axis = { low: new Int32Array(outSize), step: new Int32Array(outSize), lambda: new Float32Array(outSize) };
  for (let o = 0; o < outSize; o++) {
    let src = alignCorners ? f(scale * o) : f(f(scale * f(o + 0.5)) - 0.5);
    if (src < 0) src = 0;
    const low = Math.trunc(src);
    axis.low[o] = low;
    axis.step[o] = low < inSize - 1 ? 1 : 0;
    axis.lambda[o] = f(src - low);
  }
  return axis;
}

/** out (req)= bilinear resize of x (N, C, H, W) to out's (OH, OW); same size is a copy. */
function bilinearResize(x: Float32Array, xShape: Shape, out: Float32Array, outShape: Shape, alignCorners: boolean, req: Req): void {
  if (req === 'null') return;
  const [batch, channels, inH, inW] = xShape as [number, number, number, number];
  const [, , outH, outW] = outShape as [number, number, number, number];
  const planes = batch * channels;
  const add = req === 'add';
  const ys = resizeAxis(inH, outH, alignCorners);
  const xs = resizeAxis(inW, outW, alignCorners);
  const same = inH === outH && inW === outW;
  for (let p = 0; p < planes; p++) {
    const src = p * inH * inW;
    const dst = p * outH * outW;
    for (let y = 0; y < outH; y++) {
      const h1 = ys.lambda[y]!;
      const h0 = 1 - h1;
      const top = src + ys.low[y]! * inW;
      const down = ys.step[y]! * inW;
      for (let xo = 0; xo < outW; xo++) {
        const o = dst + y * outW + xo;
        let v: number;
        if (same) v = x[src + y * inW + xo]!;
        else {
          const w1 = xs.lambda[xo]!;
          const w0 = 1 - w1;
          const i = top + xs.low[xo]!;
          const right = xs.step[xo]!;
          v = h0 * (w0 * x[i]! + w1 * x[i + right]!) + h1 * (w0 * x[i + down]! + w1 * x[i + down + right]!);
        }
        out[o] = add ? out[o]! + v : v;
      }
    }
  }
}

/** dx (req)= the adjoint of bilinearResize applied to g: each output spreads its gradient over its four sources. */
function bilinearResizeGrad(g: Float32Array, gShape: Shape, dx: Float32Array, dxShape: Shape, alignCorners: boolean, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') dx.fill(0);
  const [batch, channels, inH, inW] = dxShape as [number, number, number, number];
  const [, , outH, outW] = gShape as [number, number, number, number];
  const planes = batch * channels;
  const ys = resizeAxis(inH, outH, alignCorners);
  const xs = resizeAxis(inW, outW, alignCorners);
  const same = inH === outH && inW === outW;
  for (let p = 0; p < planes; p++) {
    const src = p * outH * outW;
    const dst = p * inH * inW;
    for (let y = 0; y < outH; y++) {
      const h1 = ys.lambda[y]!;
      const h0 = 1 - h1;
      const top = dst + ys.low[y]! * inW;
      const down = ys.step[y]! * inW;
      for (let xo = 0; xo < outW; xo++) {
        const gv = g[src + y * outW + xo]!;
        if (same) {
          dx[dst + y * inW + xo]! += gv;
          continue;
        }
        const w1 = xs.lambda[xo]!;
        const w0 = 1 - w1;
        const i = top + xs.low[xo]!;
        const right = xs.step[xo]!;
        dx[i]! += h0 * w0 * gv;
        dx[i + right]! += h0 * w1 * gv;
        dx[i + down]! += h1 * w0 * gv;
        dx[i + down + right]! += h1 * w1 * gv;
      }
    }
  }
}

/** The input window [start, end) that output index o of `outSize` averages over `inSize`. */
function adaptiveStart(o: number, outSize: number, inSize: number): number {
  return Math.floor((o * inSize) / outSize);
}
function adaptiveEnd(o: number, outSize: number, inSize: number): number {
  return Math.ceil(((o + 1) * inSize) / outSize);
}

/** out[n, c, i, j] (req)= mean of x over rows [floor(i*H/OH), ceil((i+1)*H/OH)) and the same for columns. */
function adaptiveAvgPool(x: Float32Array, xShape: Shape, out: Float32Array, outShape: Shape, req: Req): void {
  if (req === 'null') return;
  const [batch, channels, inH, inW] = xShape as [number, number, number, number];
  const [, , outH, outW] = outShape as [number, number, number, number];
  for (let p = 0; p < batch * channels; p++) {
    const src = p * inH * inW;
    for (let i = 0; i < outH; i++) {
      const h0 = adaptiveStart(i, outH, inH);
      const h1 = adaptiveEnd(i, outH, inH);
      for (let j = 0; j < outW; j++) {
        const w0 = adaptiveStart(j, outW, inW);
        const w1 = adaptiveEnd(j, outW, inW);
        let sum = 0;
        for (let y = h0; y < h1; y++) for (let xi = w0; xi < w1; xi++) sum += x[src + y * inW + xi]!;
        const v = sum / (h1 - h0) / (w1 - w0);
        const o = (p * outH + i) * outW + j;
        out[o] = req === 'add' ? out[o]! + v : v;
      }
    }
  }
}

/** dx (req)= each output's gradient divided evenly over its window (windows may overlap). */
function adaptiveAvgPoolGrad(g: Float32Array, gShape: Shape, dx: Float32Array, dxShape: Shape, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') dx.fill(0);
  const [batch, channels, inH, inW] = dxShape as [number, number, number, number];
  const [, , outH, outW] = gShape as [number, number, number, number];
  for (let p = 0; p < batch * channels; p++) {
    const dst = p * inH * inW;
    for (let i = 0; i < outH; i++) {
      const h0 = adaptiveStart(i, outH, inH);
      const h1 = adaptiveEnd(i, outH, inH);
      for (let j = 0; j < outW; j++) {
        const w0 = adaptiveStart(j, outW, inW);
        const w1 = adaptiveEnd(j, outW, inW);
        const share = g[(p * outH + i) * outW + j]! / (h1 - h0) / (w1 - w0);
        for (let y = h0; y < h1; y++) for (let xi = w0; xi < w1; xi++) dx[dst + y * inW + xi]! += share;
      }
    }
  }
}

export const spatialResizeKernels = {
  upsampleNearest,
  upsampleNearestGrad,
  bilinearResize,
  bilinearResizeGrad,
  adaptiveAvgPool,
  adaptiveAvgPoolGrad,
};
