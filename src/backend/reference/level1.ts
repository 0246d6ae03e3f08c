/**
 * Memory-bound loops around the products: SGD's y = a*x + b*y, bias rows and column sums
 * (FullyConnected), BatchNorm's per-channel sums and affine map (in float64, rounded once), and the
 * block moves between a batch (n, filters, positions) and a GEMM's (filters, n * positions) matrix.
 */
import type { AxisView } from '../geometry';
import type { Req } from '../../base/req';

/** y = a * x + b * y in float32 arithmetic (a and b rounded to float32), as MXNet's kernels compute. */
function axpby(a: number, x: Float32Array, b: number, y: Float32Array): void {
  const fa = Math.fround(a);
  const fb = Math.fround(b);
  for (let i = 0; i < y.length; i++) y[i] = Math.fround(fa * x[i]!) + Math.fround(fb * y[i]!);
}

/** out[r * cols + j] += bias[j] over `rows` contiguous rows of `cols` floats. */
function addBiasRows(out: Float32Array, rows: number, cols: number, bias: Float32Array): void {
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) out[r * cols + j]! += bias[j]!;
}

/** out[n, f, i] += bias[f] over a (batch, filters, spatial) buffer (convolution-like biases). */
function addChannelBias(out: Float32Array, bias: Float32Array, batch: number, spatial: number): void {
  const filters = bias.length;
  for (let n = 0; n < batch; n++) {
    for (let f = 0; f < filters; f++) {
      const b = bias[f]!;
      const at = (n * filters + f) * spatial;
      for (let i = 0; i < spatial; i++) out[at + i]! += b;
    }
  }
}

/** out[j] (req)= sum over r of src[r * cols + j], summed in float64 and rounded once. */
function columnSums(src: Float32Array, rows: number, cols: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let j = 0; j < cols; j++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += src[r * cols + j]!;
    out[j] = req === 'add' ? out[j]! + sum : sum;
  }
}

/**
 * out (req)= (x - mean[c]) * scale[c] + shift[c] per channel of an (outer, channels, inner) view,
 * in float64, rounded once (BatchNorm's normalization).
 */
function channelAffine(x: Float32Array, out: Float32Array, view: AxisView, mean: Float64Array, scale: Float64Array, shift: Float64Array, req: Req): void {
  if (req === 'null') return;
  const { outer, n: channels, inner } = view;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const m = mean[c]!;
      const s = scale[c]!;
      const b = shift[c]!;
      const base = (o * channels + c) * inner;
      if (req === 'add') for (let k = base; k < base + inner; k++) out[k]! += (x[k]! - m) * s + b;
      else for (let k = base; k < base + inner; k++) out[k] = (x[k]! - m) * s + b;
    }
  }
}

/**
 * sums[c] = sum over channel c of x (centers null) or of (x - centers[c])^2, in float64 in element
 * order (BatchNorm's batch mean and variance, convolution bias gradients).
 */
function channelSums(x: Float32Array, view: AxisView, centers: Float64Array | null, sums: Float64Array): void {
  const { outer, n: channels, inner } = view;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    const m = centers ? centers[c]! : 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      if (centers) for (let k = base; k < base + inner; k++) sum += (x[k]! - m) * (x[k]! - m);
      else for (let k = base; k < base + inner; k++) sum += x[k]!;
    }
    sums[c] = sum;
  }
}

/**
 * Samples first..first+count of a (n, filters, positions) batch from a (filters, count * positions)
 * matrix: batch (add: +=) matrix + bias[f], the sum rounded to float32 before accumulating.
 */
function scatterBlocks(matrix: Float32Array, batch: Float32Array, first: number, count: number, filters: number, positions: number, add: boolean, bias: Float32Array | null): void {
  const width = count * positions;
  for (let i = 0; i < count; i++) {
    for (let f = 0; f < filters; f++) {
      const at = ((first + i) * filters + f) * positions;
      const from = f * width + i * positions;
      const b = bias ? bias[f]! : 0;
      if (add) for (let k = 0; k < positions; k++) batch[at + k]! += Math.fround(matrix[from + k]! + b);
      else for (let k = 0; k < positions; k++) batch[at + k] = matrix[from + k]! + b;
    }
  }
}

/** The inverse move: a (filters, count * positions) matrix from samples first..first+count of the batch. */
function gatherBlocks(batch: Float32Array, matrix: Float32Array, first: number, count: number, filters: number, positions: number): void {
  const width = count * positions;
  for (let i = 0; i < count; i++) {
    for (let f = 0; f < filters; f++) {
      const at = ((first + i) * filters + f) * positions;
      const to = f * width + i * positions;
      for (let k = 0; k < positions; k++) matrix[to + k] = batch[at + k]!;
    }
  }
}

/** Rows of at least this many floats move as block copies (memcpy speed; element loops cost 2-5 ns a float). */
const BLOCK_COPY_MIN = 64;

/**
 * dst[dstAt + o * dstRow + j] (req)= src[srcAt + o * srcRow + j] for `rows` rows of `width` floats:
 * the moves of Concat, SliceChannel and slice_axis.
 */
function copyRows(src: Float32Array, srcAt: number, srcRow: number, dst: Float32Array, dstAt: number, dstRow: number, rows: number, width: number, req: Req): void {
  if (req === 'null') return;
  if (req === 'write' && width >= BLOCK_COPY_MIN) {
    for (let o = 0; o < rows; o++) dst.set(src.subarray(srcAt + o * srcRow, srcAt + o * srcRow + width), dstAt + o * dstRow);
    return;
  }
  for (let o = 0; o < rows; o++) {
    const s = srcAt + o * srcRow;
    const d = dstAt + o * dstRow;
    if (req === 'add') for (let j = 0; j < width; j++) dst[d + j]! += src[s + j]!;
    else for (let j = 0; j < width; j++) dst[d + j] = src[s + j]!;
  }
}

/**
 * BatchNorm's backward per channel of an (outer, channels, inner) view, in float64: with sumG and
 * dot = sum((x - mean) * g) over the channel, dx = g*gamma*invstd under global statistics, else
 * (g - sumG/N - (x - mean)*dot*invstd^2/N)*gamma*invstd; dgamma = dot*invstd (0 when gamma is
 * null, i.e. fixed); dbeta = sumG. Null outputs are skipped.
 */
function batchNormBackward(
  x: Float32Array, g: Float32Array, view: AxisView, mean: Float32Array, variance: Float32Array, gamma: Float32Array | null, eps: number, globalStats: boolean,
  dx: Float32Array | null, reqDx: Req, dgamma: Float32Array | null, reqGamma: Req, dbeta: Float32Array | null, reqBeta: Req,
): void {
  const { outer, n: channels, inner } = view;
  const count = outer * inner;
  for (let c = 0; c < channels; c++) {
    const m = mean[c]!;
    const invstd = 1 / Math.sqrt(variance[c]! + eps);
    const w = gamma ? gamma[c]! : 1;
    let sumG = 0;
    let dot = 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = base; i < base + inner; i++) {
        sumG += g[i]!;
        dot += (x[i]! - m) * g[i]!;
      }
    }
    if (dx && reqDx !== 'null') {
      const meanG = globalStats ? 0 : sumG / count;
      const k = globalStats ? 0 : (dot * invstd * invstd) / count;
      const add = reqDx === 'add';
      for (let o = 0; o < outer; o++) {
        const base = (o * channels + c) * inner;
        for (let i = base; i < base + inner; i++) {
          const d = globalStats ? g[i]! * w * invstd : (g[i]! - meanG - (x[i]! - m) * k) * w * invstd;
          if (add) dx[i]! += d;
          else dx[i] = d;
        }
      }
    }
    if (dgamma) putChannel(dgamma, c, gamma ? dot * invstd : 0, reqGamma);
    if (dbeta) putChannel(dbeta, c, sumG, reqBeta);
  }
}

function putChannel(out: Float32Array, c: number, v: number, req: Req): void {
  if (req === 'write') out[c] = v;
  else if (req === 'add') out[c]! += v;
}

export const level1Kernels = { axpby, addBiasRows, addChannelBias, copyRows, columnSums, channelAffine, channelSums, batchNormBackward, scatterBlocks, gatherBlocks };
