/**
 * Kernels of softmin, softmax_cross_entropy, SVMOutput and IdentityAttachKLSparseReg. Softmax
 * rows are computed stably (maximum subtracted) in float64 and recomputed rather than stored.
 */
import type { Req } from '../../base/req';

function put(out: Float32Array, i: number, v: number, req: Req): void {
  if (req === 'write') out[i] = v;
  else if (req === 'add') out[i]! += v;
}

/** out = softmax(-x / T) along the middle axis of an (outer, n, inner) view. */
function softminForward(x: Float32Array, outer: number, n: number, inner: number, temperature: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      let min = Infinity;
      for (let j = 0; j < n; j++) min = Math.min(min, x[base + j * inner]!);
      let sum = 0;
      for (let j = 0; j < n; j++) sum += Math.exp((min - x[base + j * inner]!) / temperature);
      for (let j = 0; j < n; j++) put(out, base + j * inner, Math.exp((min - x[base + j * inner]!) / temperature) / sum, req);
    }
  }
}

/** From the output y: dx = -y * (g - sum(g * y)) / T. */
function softminBackward(y: Float32Array, g: Float32Array, outer: number, n: number, inner: number, temperature: number, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      let dot = 0;
      for (let j = 0; j < n; j++) dot += g[base + j * inner]! * y[base + j * inner]!;
      for (let j = 0; j < n; j++) {
        const i = base + j * inner;
        put(dx, i, (-y[i]! * (g[i]! - dot)) / temperature, req);
      }
    }
  }
}

/** Row r's maximum and log-sum-exp of x - max. */
function rowLogSumExp(x: Float32Array, r: number, classes: number): { max: number; logSum: number } {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, x[r * classes + c]!);
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += Math.exp(x[r * classes + c]! - max);
  return { max, logSum: Math.log(sum) };
}

/** out[0] = sum over rows of -log(max(softmax(x_r)[trunc(label_r)], 1e-8)). */
function softmaxCrossEntropyForward(x: Float32Array, label: Float32Array, rows: number, classes: number, out: Float32Array, req: Req): void {
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const { max, logSum } = rowLogSumExp(x, r, classes);
    const k = Math.trunc(label[r]!);
    const p = k >= 0 && k < classes ? Math.exp(x[r * classes + k]! - max - logSum) : 0;
    loss -= Math.log(Math.max(p, 1e-8));
  }
  put(out, 0, loss, req);
}

/** dx = head * (softmax(x_r) - onehot(trunc(label_r))). */
function softmaxCrossEntropyBackward(x: Float32Array, label: Float32Array, head: number, rows: number, classes: number, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let r = 0; r < rows; r++) {
    const { max, logSum } = rowLogSumExp(x, r, classes);
    const k = Math.trunc(label[r]!);
    for (let c = 0; c < classes; c++) {
      const i = r * classes + c;
      put(dx, i, head * (Math.exp(x[i]! - max - logSum) - (c === k ? 1 : 0)), req);
    }
  }
}

export interface SvmSettings {
  readonly margin: number;
  readonly regularization_coefficient: number;
  readonly use_linear: boolean;
}

/**
 * Hinge gradient per (row, class), k = trunc(label[row]). L2-SVM: -2 * reg * (margin - out) at k
 * when margin > out, 2 * reg * (margin + out) elsewhere when margin > -out. L1-SVM (use_linear):
 * -reg at k when margin > out, reg elsewhere when margin > -out. Zero otherwise.
 */
function svmOutputGrad(out: Float32Array, label: Float32Array, rows: number, classes: number, s: SvmSettings, grad: Float32Array, req: Req): void {
  if (req === 'null') return;
  const m = Math.fround(s.margin);
  const reg = Math.fround(s.regularization_coefficient);
  for (let r = 0; r < rows; r++) {
    const k = Math.trunc(label[r]!);
    for (let c = 0; c < classes; c++) {
      const i = r * classes + c;
      const o = out[i]!;
      let v: number;
      if (c === k) v = m > o ? -reg * (s.use_linear ? 1 : 2 * (m - o)) : 0;
      else v = m > -o ? reg * (s.use_linear ? 1 : 2 * (m + o)) : 0;
      put(grad, i, v, req);
    }
  }
}

export interface KlSparseSettings {
  readonly sparseness_target: number;
  readonly penalty: number;
  readonly momentum: number;
}

/**
 * x is (rows, cols). Updates movingAvg[c] = momentum * movingAvg[c] + (1 - momentum) * mean over
 * rows of x[., c], then dx = g + penalty * (-target / movingAvg[c] + (1 - target) / (1 - movingAvg[c])).
 */
function klSparseRegBackward(x: Float32Array, g: Float32Array, rows: number, cols: number, s: KlSparseSettings, movingAvg: Float32Array, dx: Float32Array, req: Req): void {
  for (let c = 0; c < cols; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += x[r * cols + c]!;
    movingAvg[c] = s.momentum * movingAvg[c]! + (1 - s.momentum) * (sum / rows);
    const avg = movingAvg[c]!;
    const penalty = s.penalty * (-s.sparseness_target / avg + (1 - s.sparseness_target) / (1 - avg));
    for (let r = 0; r < rows; r++) put(dx, r * cols + c, g[r * cols + c]! + penalty, req);
  }
}

export const layersLossKernels = {
  softminForward, softminBackward, softmaxCrossEntropyForward, softmaxCrossEntropyBackward, svmOutputGrad, klSparseRegBackward,
};
