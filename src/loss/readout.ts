/**
 * Loss readout: the loss value each loss head implies, defined so that its gradient with respect
 * to the head's data is what the op's backward writes (the loss the gradient descends). MXNet's
 * loss heads compute no loss in forward (they output predictions); this recovers it from the
 * output, the label and the op's parameters. Formulas and their exceptions: docs/loss_readout.md.
 *
 * Logarithms clip probabilities to [eps, 1 - eps] (eps = 1e-12 by default, as MXNet's
 * CrossEntropy metric) so a float32 output that underflowed to 0 or rounded to 1 gives a large
 * finite loss instead of Infinity; a clipped head is reported with `exact: false`.
 */
import { ValueError } from '../base/errors';
import { Shape, shapesEqual } from '../base/shape';
import type { Executor } from '../executor/executor';
import type { NDArray } from '../ndarray/ndarray';
import { AxisView, axisView } from '../backend/geometry';
import type { OpNode } from '../symbol/node';
import { outputName } from '../symbol/node';
import type { Symbol } from '../symbol/symbol';

/** The smallest probability the log-losses take a logarithm of (MXNet's metrics use the same guard). */
export const DEFAULT_EPS = 1e-12;

/** The heads that imply a loss; BlockGrad (gradient 0) and ordinary outputs imply none. */
export const LOSS_OPS: readonly string[] = ['SoftmaxOutput', 'LogisticRegressionOutput', 'LinearRegressionOutput', 'MAERegressionOutput', 'MakeLoss', 'make_loss'];
const LABELLED_OPS: readonly string[] = ['SoftmaxOutput', 'LogisticRegressionOutput', 'LinearRegressionOutput', 'MAERegressionOutput'];

/** A loss head of a symbol: which output, which op, its parameters and its label variable. */
export interface LossHead {
  /** The output's name as `listOutputs()` prints it (`softmax_output`). */
  readonly head: string;
  /** Index among the symbol's outputs. */
  readonly output: number;
  readonly op: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Name of the label variable (input 1), or null for MakeLoss / make_loss. */
  readonly labelName: string | null;
}

/** The loss one head implies for a batch: its total, the sample count and the per-sample mean. */
export interface HeadLossValue {
  readonly head: string;
  readonly output: number;
  readonly op: string;
  /** The loss whose gradient the backward computes, summed over the batch with the op's scaling. */
  readonly value: number;
  /** `value / batchSize`: the objective Module's SGD descends (its rescale_grad is 1/batchSize). */
  readonly perSample: number;
  /**
   * False when no function of the output has the backward as its gradient (probability labels
   * whose class sums are not 1, out-of-range class indices, out_grad) or when the eps clip was hit.
   */
  readonly exact: boolean;
}

/** Options of the loss readout. */
export interface ReadoutOptions {
  /** Probabilities are clipped to [eps, 1 - eps] inside logarithms (default 1e-12). */
  eps?: number;
}

/** The loss heads among the symbol's outputs, in output order. */
export function lossHeads(symbol: Symbol): LossHead[] {
  const heads: LossHead[] = [];
  symbol.outputs.forEach((entry, output) => {
    const node = entry.node;
    if (node.kind !== 'op' || !LOSS_OPS.includes(node.op.name)) return;
    heads.push(Object.freeze({ head: outputName(node, entry.index), output, op: node.op.name, params: node.params, labelName: labelVariable(node) }));
  });
  return heads;
}

function labelVariable(node: OpNode): string | null {
  if (!LABELLED_OPS.includes(node.op.name)) return null;
  const label = node.inputs[1]?.node;
  if (!label || label.kind !== 'variable') {
    throw new ValueError({ op: node.op.name, node: node.name, argument: 'label' }, 'is computed by another op; the loss readout needs the label to be a variable');
  }
  return label.name;
}

/** One head's loss from its output (what forward wrote) and its label. */
export function headLoss(head: LossHead, output: NDArray, label: NDArray | null, options: ReadoutOptions = {}): HeadLossValue {
  const eps = options.eps ?? DEFAULT_EPS;
  if (head.labelName !== null && !label) throw new ValueError({ op: head.op, node: head.head, argument: 'label' }, `'${head.labelName}' is needed for the loss readout`);
  const { value, exact } = lossOf(head, output, label!, eps);
  const batchSize = output.ndim > 0 ? output.shape[0]! : 1;
  return Object.freeze({ head: head.head, output: head.output, op: head.op, value, perSample: batchSize > 0 ? value / batchSize : NaN, exact });
}

/**
 * After `forward`: the loss of every loss head of the executor, labels read from its arguments.
 *
 * @example
 * ```ts
 * const exec = net.simpleBind(mx.cpu(), { shapes: { data: [8, 4] } });
 * exec.forward(true);
 * mx.loss.headLosses(exec); // [{ head: 'softmax_output', op: 'SoftmaxOutput', value, perSample, exact, ... }]
 * ```
 */
export function headLosses(exec: Executor, options: ReadoutOptions = {}): HeadLossValue[] {
  const args = exec.argDict;
  return lossHeads(exec.symbol).map((head) => headLoss(head, exec.outputs[head.output]!, head.labelName === null ? null : args[head.labelName]!, options));
}

interface Loss {
  value: number;
  exact: boolean;
}

function lossOf(head: LossHead, out: NDArray, label: NDArray, eps: number): Loss {
  const p = head.params;
  switch (head.op) {
    case 'SoftmaxOutput': return softmaxLoss(p as unknown as SoftmaxParams, out, label, eps);
    case 'LogisticRegressionOutput': return regressionLoss(p, out, label, (o, y, c) => bce(o, y, eps, c));
    case 'LinearRegressionOutput': return regressionLoss(p, out, label, (o, y) => 0.5 * (o - y) * (o - y));
    case 'MAERegressionOutput': return regressionLoss(p, out, label, (o, y) => Math.abs(o - y));
    case 'MakeLoss': return makeLoss(p as unknown as MakeLossParams, out);
    case 'make_loss': return { value: sum(out.data), exact: true };
    default: throw new ValueError({ op: head.op, node: head.head }, 'implies no loss');
  }
}

function sum(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s;
}

/** log(clip(x, eps, 1 - eps)), counting clips. */
function clippedLog(x: number, eps: number, clips: { n: number }): number {
  if (x < eps) {
    clips.n++;
    return Math.log(eps);
  }
  if (x > 1 - eps) {
    clips.n++;
    return Math.log(1 - eps);
  }
  return Math.log(x);
}

// ---- regression outputs: grad_scale / num_output * sum f(out, label) ----

/** MXNet's num_output = label.size / label.shape[0]. */
function outputsPerSample(label: Shape): number {
  let size = 1;
  for (let i = 1; i < label.length; i++) size *= label[i]!;
  return size;
}

function bce(p: number, y: number, eps: number, clips: { n: number }): number {
  const logP = clippedLog(p, eps, clips);
  const log1mP = clippedLog(1 - p, eps, clips);
  return -(y * logP + (1 - y) * log1mP);
}

function regressionLoss(p: Readonly<Record<string, unknown>>, out: NDArray, label: NDArray, f: (o: number, y: number, clips: { n: number }) => number): Loss {
  const clips = { n: 0 };
  let total = 0;
  for (let i = 0; i < out.size; i++) total += f(out.data[i]!, label.data[i]!, clips);
  return { value: ((p['grad_scale'] as number) / outputsPerSample(label.shape)) * total, exact: clips.n === 0 };
}

// ---- MakeLoss: grad_scale * sum(data) / norm ----

interface MakeLossParams {
  grad_scale: number;
  valid_thresh: number;
  normalization: 'null' | 'batch' | 'valid';
}

function makeLoss(p: MakeLossParams, out: NDArray): Loss {
  let norm: number;
  switch (p.normalization) {
    case 'null': norm = 1; break;
    case 'batch': norm = out.shape.slice(0, -1).reduce((a, b) => a * b, 1); break;
    case 'valid': {
      const thresh = Math.fround(p.valid_thresh);
      let count = 0;
      for (let i = 0; i < out.size; i++) if (out.data[i]! > thresh) count++;
      norm = Math.max(1, count);
      break;
    }
    default: { const never: never = p.normalization; return never; }
  }
  return { value: (p.grad_scale * sum(out.data)) / norm, exact: true };
}

// ---- SoftmaxOutput ----

interface SoftmaxParams {
  grad_scale: number;
  ignore_label: number;
  multi_output: boolean;
  use_ignore: boolean;
  preserve_shape: boolean;
  normalization: 'null' | 'batch' | 'valid';
  out_grad: boolean;
  smooth_alpha: number;
}

/** The (outer, classes, inner) view the op's softmax runs over (as softmax_output.ts). */
function classView(shape: Shape, p: SoftmaxParams): AxisView {
  if (shape.length === 0) return { outer: 1, n: 1, inner: 1 };
  if (p.multi_output) return axisView(shape, 1);
  if (p.preserve_shape) return axisView(shape, shape.length - 1);
  return { outer: shape[0]!, n: shape.slice(1).reduce((a, b) => a * b, 1), inner: 1 };
}

/** The index-mode divisor, MXNet's table (softmax_output.ts `indexNormalizer`). */
function indexNormalizer(p: SoftmaxParams, label: Float32Array, view: AxisView): number {
  const spatial = p.multi_output ? view.inner : 1;
  switch (p.normalization) {
    case 'null': return spatial;
    case 'batch': return p.multi_output ? spatial * view.outer : label.length;
    case 'valid': {
      const ignore = Math.trunc(Math.fround(p.ignore_label));
      let valid = 0;
      for (let i = 0; i < label.length; i++) if (Math.trunc(label[i]!) !== ignore) valid++;
      return Math.max(valid, 1);
    }
    default: { const never: never = p.normalization; return never; }
  }
}

function softmaxLoss(p: SoftmaxParams, out: NDArray, label: NDArray, eps: number): Loss {
  const view = classView(out.shape, p);
  const { outer, n: classes, inner } = view;
  const clips = { n: 0 };
  const x = out.data;
  const y = label.data;
  let total = 0;
  let exact = !p.out_grad;
  if (shapesEqual(out.shape, label.shape)) {
    // Probability mode: grad_scale * sum -y log p, never normalized. Its gradient is
    // p * sum(y) - y, the backward's p - y only where each softmax's labels sum to 1.
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        let labelSum = 0;
        for (let c = 0; c < classes; c++) {
          const i = (o * classes + c) * inner + j;
          labelSum += y[i]!;
          if (y[i] !== 0) total -= y[i]! * clippedLog(x[i]!, eps, clips);
        }
        if (Math.abs(labelSum - 1) > 1e-4) exact = false;
      }
    }
    return { value: p.grad_scale * total, exact: exact && clips.n === 0 };
  }
  // Index modes: cross-entropy against the (smoothed) one-hot of trunc(label), ignored positions
  // left out, divided as the gradient is. Row mode reads label[o] (inner = 1), as the op does.
  const alpha = p.multi_output ? 0 : p.smooth_alpha;
  const offTarget = alpha > 0 ? alpha / (classes - 1) : 0;
  const ignore = p.use_ignore ? Math.trunc(Math.fround(p.ignore_label)) : null;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const k = Math.trunc(y[o * inner + j]!);
      if (ignore !== null && k === ignore) continue;
      // NOTE: an out-of-range class gets no -1 in the backward (gradient p, not the gradient of
      // any function of p); it adds only its smoothing term here and marks the readout inexact.
      if (k < 0 || k >= classes) exact = false;
      for (let c = 0; c < classes; c++) {
        const target = c === k ? 1 - alpha : offTarget;
        if (target !== 0) total -= target * clippedLog(x[(o * classes + c) * inner + j]!, eps, clips);
      }
    }
  }
  return { value: (p.grad_scale / indexNormalizer(p, y, view)) * total, exact: exact && clips.n === 0 };
}
