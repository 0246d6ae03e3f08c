/** Metrics on predicted probabilities: CrossEntropy, NegativeLogLikelihood, Perplexity. */
import { ShapeError } from '../base/errors';
import { shapeToString, sizeOf } from '../base/shape';
import type { NDArray } from '../ndarray/ndarray';
import { EvalMetric, MetricInput, MetricOptions, checkLabelRange, normalizeAxis, pairUp, shapeMismatch } from './base';

/** Sum over rows of -log(pred[row, label] + eps) for (batch, classes) predictions. */
function sumNegLogProb(label: NDArray, pred: NDArray, eps: number, metric: string): number {
  if (pred.ndim !== 2) throw new ShapeError({ op: metric, argument: 'preds', actual: pred.shape }, `must be (batch, classes), got ${shapeToString(pred.shape)}`);
  const [n, classes] = pred.shape as [number, number];
  if (label.size !== n) throw shapeMismatch(metric, label.shape, pred.shape, `${label.size} labels for ${n} rows`);
  checkLabelRange(label, classes, metric);
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const c = Math.trunc(label.data[r]!);
    sum += -Math.log(pred.data[r * classes + c]! + eps);
  }
  return sum;
}

/**
 * Mean over samples of -log(p_label + eps). Name `cross-entropy`. A label outside
 * [0, classes - 1] is a ValueError (`checkLabelRange`); MXNet raises numpy's IndexError for a
 * too-large label but reads a negative one from the end of the row.
 */
export class CrossEntropy extends EvalMetric {
  readonly eps: number;
  protected readonly opName: string = 'CrossEntropy';

  constructor(options: MetricOptions & { eps?: number } = {}, defaultName = 'cross-entropy') {
    super(defaultName, options);
    this.eps = options.eps ?? 1e-12;
  }

  update(labels: MetricInput, preds: MetricInput): void {
    for (const [label, pred] of pairUp(labels, preds, this.opName)) {
      this.accumulate(sumNegLogProb(label, pred, this.eps, this.opName), pred.shape[0]!);
    }
  }
}

/** The same quantity as CrossEntropy under the name `nll-loss`, with the same label rule. */
export class NegativeLogLikelihood extends CrossEntropy {
  protected override readonly opName: string = 'NegativeLogLikelihood';

  constructor(options: MetricOptions & { eps?: number } = {}) {
    super(options, 'nll-loss');
  }
}

/**
 * exp(mean over labels of -log max(1e-10, p_label)), picking p along `axis` (default last).
 * Labels equal to `ignoreLabel` are left out (null keeps every label), whatever their value.
 * Any other label outside [0, classes - 1] is a ValueError (`checkLabelRange`); MXNet's `pick`
 * clips it into range instead.
 */
export class Perplexity extends EvalMetric {
  readonly ignoreLabel: number | null;
  readonly axis: number;

  constructor(options: MetricOptions & { ignoreLabel?: number | null; axis?: number } = {}) {
    super('perplexity', options);
    this.ignoreLabel = options.ignoreLabel ?? null;
    this.axis = options.axis ?? -1;
  }

  update(labels: MetricInput, preds: MetricInput): void {
    let loss = 0;
    let count = 0;
    for (const [label, pred] of pairUp(labels, preds, 'Perplexity')) {
      const axis = normalizeAxis(this.axis, pred.ndim, 'Perplexity');
      const classes = pred.shape[axis]!;
      if (label.size * classes !== pred.size) throw shapeMismatch('Perplexity', label.shape, pred.shape, `expected ${pred.size / classes} labels`);
      const inner = sizeOf(pred.shape.slice(axis + 1));
      checkLabelRange(label, classes, 'Perplexity', (value) => this.ignoreLabel !== null && value === this.ignoreLabel);
      for (let j = 0; j < label.size; j++) {
        const value = label.data[j]!;
        if (this.ignoreLabel !== null && value === this.ignoreLabel) continue;
        const c = Math.trunc(value);
        const outer = Math.floor(j / inner);
        const p = pred.data[outer * classes * inner + c * inner + (j % inner)]!;
        loss -= Math.log(Math.max(1e-10, p));
        count += 1;
      }
    }
    this.accumulate(loss, count);
  }

  override get(): [string, number] {
    return [this.name, this.numInst === 0 ? NaN : Math.exp(this.sumMetric / this.numInst)];
  }

  override getGlobal(): [string, number] {
    return [this.name, this.globalNumInst === 0 ? NaN : Math.exp(this.globalSumMetric / this.globalNumInst)];
  }
}
