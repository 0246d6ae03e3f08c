/**
 * Correlation (MXNet `correlation.cc`, FlowNet's cost volume): for every output position and
 * displacement, the mean over a kernel window and the channels of data1 * data2 (or |data1 - data2|)
 * at the displaced position. The zero-padded inputs are kept as hidden outputs tmp1/tmp2 laid out
 * (N, paddedH, paddedW, C), as MXNet's are.
 */
import type { Req } from '../../base/req';

export interface CorrelationGeometry {
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kernelSize: number;
  readonly maxDisplacement: number;
  readonly stride1: number;
  readonly stride2: number;
  readonly padSize: number;
  readonly isMultiply: boolean;
  /** Output (channels = (2 * (maxDisplacement / stride2) + 1)^2, height, width). */
  readonly topChannels: number;
  readonly topHeight: number;
  readonly topWidth: number;
}

/** Visits every (n, top channel, i, j) with its data1 corner (y1, x1) and data2 corner (y2, x2) in padded coordinates. */
function forEachWindow(g: CorrelationGeometry, visit: (o: number, n: number, y1: number, x1: number, y2: number, x2: number) => void): void {
  const radius = Math.floor(g.maxDisplacement / g.stride2);
  const gridWidth = 2 * radius + 1;
  for (let n = 0; n < g.batch; n++) {
    for (let tc = 0; tc < g.topChannels; tc++) {
      const dx = ((tc % gridWidth) - radius) * g.stride2;
      const dy = (Math.floor(tc / gridWidth) - radius) * g.stride2;
      for (let i = 0; i < g.topHeight; i++) {
        const y1 = i * g.stride1 + g.maxDisplacement;
        for (let j = 0; j < g.topWidth; j++) {
          const x1 = j * g.stride1 + g.maxDisplacement;
          visit(((n * g.topChannels + tc) * g.topHeight + i) * g.topWidth + j, n, y1, x1, y1 + dy, x1 + dx);
        }
      }
    }
  }
}

/** tmp (write)= data (N, C, H, W) zero-padded by padSize and transposed to (N, H + 2p, W + 2p, C). */
function padChannelsLast(data: Float32Array, g: CorrelationGeometry, tmp: Float32Array): void {
  const pw = g.width + 2 * g.padSize;
  const ph = g.height + 2 * g.padSize;
  tmp.fill(0);
  for (let n = 0; n < g.batch; n++) {
    for (let c = 0; c < g.channels; c++) {
      for (let h = 0; h < g.height; h++) {
        for (let w = 0; w < g.width; w++) {
          tmp[((n * ph + h + g.padSize) * pw + w + g.padSize) * g.channels + c] = data[((n * g.channels + c) * g.height + h) * g.width + w]!;
        }
      }
    }
  }
}

/** out (req)= the correlation of data1 and data2; tmp1/tmp2 (write)= the padded, channels-last inputs. */
function correlation(data1: Float32Array, data2: Float32Array, g: CorrelationGeometry, out: Float32Array, tmp1: Float32Array, tmp2: Float32Array, req: Req): void {
  padChannelsLast(data1, g, tmp1);
  padChannelsLast(data2, g, tmp2);
  if (req === 'null') return;
  const pw = g.width + 2 * g.padSize;
  const ph = g.height + 2 * g.padSize;
  const k = g.kernelSize;
  const count = k * k * g.channels;
  forEachWindow(g, (o, n, y1, x1, y2, x2) => {
    let sum = 0;
    for (let h = 0; h < k; h++) {
      for (let w = 0; w < k; w++) {
        const a = ((n * ph + y1 + h) * pw + x1 + w) * g.channels;
        const b = ((n * ph + y2 + h) * pw + x2 + w) * g.channels;
        for (let c = 0; c < g.channels; c++) sum += g.isMultiply ? tmp1[a + c]! * tmp2[b + c]! : Math.abs(tmp1[a + c]! - tmp2[b + c]!);
      }
    }
    out[o] = req === 'add' ? out[o]! + sum / count : sum / count;
  });
}

/**
 * d1, d2 (req)= the head gradient of every window spread over the unpadded positions it read:
 * d1 += g * data2 / count, d2 += g * data1 / count for the product; +-g / count (the sign of
 * data1 - data2, + on ties for d1) for the absolute difference. Either gradient may be null.
 */
function correlationGrad(gOut: Float32Array, tmp1: Float32Array, tmp2: Float32Array, g: CorrelationGeometry,
  d1: Float32Array | null, d2: Float32Array | null, req1: Req, req2: Req): void {
  const grad1 = req1 === 'null' ? null : d1;
  const grad2 = req2 === 'null' ? null : d2;
  if (grad1 && req1 === 'write') grad1.fill(0);
  if (grad2 && req2 === 'write') grad2.fill(0);
  const pw = g.width + 2 * g.padSize;
  const ph = g.height + 2 * g.padSize;
  const k = g.kernelSize;
  const count = k * k * g.channels;
  /** Flat (n, c, h, w) offset of padded (y, x), or -1 in the padding. */
  const unpadded = (n: number, y: number, x: number) => {
    const h = y - g.padSize;
    const w = x - g.padSize;
    return h >= 0 && h < g.height && w >= 0 && w < g.width ? (n * g.channels * g.height + h) * g.width + w : -1;
  };
  const plane = g.height * g.width;
  forEachWindow(g, (o, n, y1, x1, y2, x2) => {
    const head = gOut[o]! / count;
    for (let h = 0; h < k; h++) {
      for (let w = 0; w < k; w++) {
        const a = ((n * ph + y1 + h) * pw + x1 + w) * g.channels;
        const b = ((n * ph + y2 + h) * pw + x2 + w) * g.channels;
        const at1 = unpadded(n, y1 + h, x1 + w);
        const at2 = unpadded(n, y2 + h, x2 + w);
        for (let c = 0; c < g.channels; c++) {
          const v1 = tmp1[a + c]!;
          const v2 = tmp2[b + c]!;
          const sign = v1 >= v2 ? 1 : -1;
          if (grad1 && at1 >= 0) grad1[at1 + c * plane]! += g.isMultiply ? head * v2 : head * sign;
          if (grad2 && at2 >= 0) grad2[at2 + c * plane]! += g.isMultiply ? head * v1 : -head * sign;
        }
      }
    }
  });
}

export const visionCorrelationKernels = { correlation, correlationGrad };
