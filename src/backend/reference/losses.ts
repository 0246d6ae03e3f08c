/**
 * The gradients of MXNet's output heads: SoftmaxOutput (class-index labels with smoothing and an
 * ignored class, or probability labels) and the regression outputs, each honouring a request.
 */
import type { AxisView } from '../geometry';
import type { Req } from '../../base/req';

/** Count of labels whose truncated value is not `ignore`, at least 1 (SoftmaxOutput's 'valid'). */
function countValidLabels(label: Float32Array, ignore: number): number {
  let valid = 0;
  for (let i = 0; i < label.length; i++) if (Math.trunc(label[i]!) !== ignore) valid++;
  return Math.max(valid, 1);
}

/**
 * grad = scale * (out - target) [* head] where target is the (smoothed by alpha) one-hot of
 * trunc(label) along the view's class axis. Positions whose label is `ignore` get 0; an
 * out-of-range class index is not an error (as in MXNet): no class gets the -1 there.
 */
function softmaxIndexGrad(out: Float32Array, label: Float32Array, head: Float32Array | null, grad: Float32Array, view: AxisView, scale: number, alpha: number, ignore: number | null, add: boolean): void {
  const { outer, n: classes, inner } = view;
  const offTarget = alpha > 0 ? alpha / (classes - 1) : 0;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      // Row mode reads label[row] (inner = 1); with 3-d data and neither flag MXNet reads only the first n labels.
      const k = Math.trunc(label[o * inner + j]!);
      const ignored = ignore !== null && k === ignore;
      for (let c = 0; c < classes; c++) {
        const i = (o * classes + c) * inner + j;
        let v = ignored ? 0 : (out[i]! - (c === k ? 1 - alpha : offTarget)) * scale;
        if (head) v *= head[i]!;
        grad[i] = add ? grad[i]! + v : v;
      }
    }
  }
}

/** Probability labels: grad = scale * (out - label) [* head]. */
function softmaxProbabilityGrad(out: Float32Array, label: Float32Array, head: Float32Array | null, grad: Float32Array, scale: number, add: boolean): void {
  for (let i = 0; i < grad.length; i++) {
    let v = (out[i]! - label[i]!) * scale;
    if (head) v *= head[i]!;
    grad[i] = add ? grad[i]! + v : v;
  }
}

/** The regression heads' gradient before scaling: out - label, or MXNet's minus_sign (-1 at equality). */
export type RegressionLoss = 'squared' | 'absolute';

/** grad (req)= B(out, label) * scale, B the head's loss gradient. */
function regressionGrad(loss: RegressionLoss, out: Float32Array, label: Float32Array, grad: Float32Array, scale: number, req: Req): void {
  if (req === 'null') return;
  for (let i = 0; i < grad.length; i++) {
    const d = out[i]! - label[i]!;
    const v = (loss === 'squared' ? d : d > 0 ? 1 : -1) * scale;
    grad[i] = req === 'add' ? grad[i]! + v : v;
  }
}

/** How many elements of data are greater than threshold (MakeLoss's 'valid' normalization). */
function countAbove(data: Float32Array, threshold: number): number {
  let count = 0;
  for (let i = 0; i < data.length; i++) if (data[i]! > threshold) count++;
  return count;
}

export const lossKernels = { countAbove, countValidLabels, softmaxIndexGrad, softmaxProbabilityGrad, regressionGrad };
