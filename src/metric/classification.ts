/** Classification metrics: Accuracy, TopKAccuracy, F1 (MXNet `metric.py`). */
import { ShapeError, ValueError } from '../base/errors';
import { shapeToString, shapesEqual } from '../base/shape';
import type { NDArray } from '../ndarray/ndarray';
import { EvalMetric, MetricInput, MetricOptions, argmaxAlong, checkLabelRange, normalizeAxis, pairUp, shapeMismatch, toInt32 } from './base';

/**
 * Fraction of correct predictions. A prediction whose shape differs from its label's is reduced
 * by argmax over `axis`; a single-column prediction (shape[axis] = 1, as a logistic head gives)
 * is thresholded instead: class 1 when > 0.5. MXNet would argmax it (always class 0). Labels and
 * class predictions are truncated to int32, as MXNet does.
 *
 * Out-of-range labels: with class scores (argmax or threshold), a label outside [0, classes - 1]
 * (negative, too large, NaN) is a ValueError, as in every class metric (`checkLabelRange`); MXNet
 * counts it as a wrong prediction. When predictions are class indices (same shape as the
 * labels), there is no class count and labels are compared as they are.
 */
export class Accuracy extends EvalMetric {
  readonly axis: number;

  constructor(options: MetricOptions & { axis?: number } = {}) {
    super('accuracy', options);
    this.axis = options.axis ?? 1;
  }

  update(labels: MetricInput, preds: MetricInput): void {
    for (const [label, pred] of pairUp(labels, preds, 'Accuracy')) {
      const predicted = this.predictedClasses(label, pred);
      const truth = toInt32(label.data);
      if (predicted.length !== truth.length) {
        throw shapeMismatch('Accuracy', label.shape, pred.shape, `${predicted.length} predicted classes for ${truth.length} labels`);
      }
      let correct = 0;
      for (let i = 0; i < truth.length; i++) if (predicted[i] === truth[i]) correct++;
      this.accumulate(correct, truth.length);
    }
  }

  private predictedClasses(label: NDArray, pred: NDArray): Int32Array {
    if (pred.ndim >= 2) {
      const axis = normalizeAxis(this.axis, pred.ndim, 'Accuracy');
      if (pred.shape[axis] === 1) {
        checkLabelRange(label, 2, 'Accuracy');
        return Int32Array.from(pred.data, (p) => (p > 0.5 ? 1 : 0));
      }
      if (!shapesEqual(pred.shape, label.shape)) {
        checkLabelRange(label, pred.shape[axis]!, 'Accuracy');
        return argmaxAlong(pred, axis);
      }
    }
    return toInt32(pred.data);
  }
}

/**
 * The label is among the `topK` largest predictions of its row. Name `top_k_accuracy_<k>`.
 * A label outside [0, classes - 1] is a ValueError (`checkLabelRange`); MXNet counts it a miss.
 */
export class TopKAccuracy extends EvalMetric {
  readonly topK: number;

  constructor(options: MetricOptions & { topK?: number } = {}) {
    super('top_k_accuracy', options);
    this.topK = options.topK ?? 1;
    if (!Number.isInteger(this.topK) || this.topK <= 1) {
      throw new ValueError({ op: 'TopKAccuracy', argument: 'topK' }, `must be an integer above 1 (use Accuracy for 1), got ${this.topK}`);
    }
    this.name += `_${this.topK}`;
  }

  update(labels: MetricInput, preds: MetricInput): void {
    for (const [label, pred] of pairUp(labels, preds, 'TopKAccuracy')) {
      if (pred.ndim !== 2) throw new ShapeError({ op: 'TopKAccuracy', argument: 'preds', actual: pred.shape }, `must be (batch, classes), got ${shapeToString(pred.shape)}`);
      const [n, classes] = pred.shape as [number, number];
      const truth = toInt32(label.data);
      if (truth.length !== n) throw shapeMismatch('TopKAccuracy', label.shape, pred.shape, `${truth.length} labels for ${n} rows`);
      checkLabelRange(label, classes, 'TopKAccuracy');
      const k = Math.min(classes, this.topK);
      const order = Array.from({ length: classes }, (_, c) => c);
      let hits = 0;
      for (let r = 0; r < n; r++) {
        const row = pred.data.subarray(r * classes, (r + 1) * classes);
        // Ascending stable order, as argsort; the top k are the last k.
        const sorted = order.slice().sort((a, b) => row[a]! - row[b]! || a - b);
        for (let j = 0; j < k; j++) if (sorted[classes - 1 - j] === truth[r]) hits += 1;
      }
      this.accumulate(hits, n);
    }
  }
}

/** True/false positive/negative counts of a binary problem (class 1 is positive). */
class BinaryStats {
  tp = 0;
  fp = 0;
  fn = 0;
  tn = 0;

  add(label: NDArray, pred: NDArray, metric: string): void {
    if (pred.ndim !== 2) throw new ShapeError({ op: metric, argument: 'preds', actual: pred.shape }, `must be (batch, classes), got ${shapeToString(pred.shape)}`);
    const truth = toInt32(label.data);
    if (truth.length !== pred.shape[0]) throw shapeMismatch(metric, label.shape, pred.shape, `${truth.length} labels for ${pred.shape[0]} rows`);
    if (new Set(truth).size > 2) throw new ValueError({ op: metric, argument: 'labels' }, `${metric} currently only supports binary classification: the labels hold ${new Set(truth).size} classes`);
    checkLabelRange(label, pred.shape[1]!, metric);
    const predicted = argmaxAlong(pred, 1);
    for (let i = 0; i < truth.length; i++) {
      const p = predicted[i] === 1;
      const t = truth[i] === 1;
      if (p && t) this.tp++;
      else if (p) this.fp++;
      else if (t) this.fn++;
      else this.tn++;
    }
  }

  get fscore(): number {
    const precision = this.tp + this.fp > 0 ? this.tp / (this.tp + this.fp) : 0;
    const recall = this.tp + this.fn > 0 ? this.tp / (this.tp + this.fn) : 0;
    return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  }

  get total(): number {
    return this.tp + this.fp + this.fn + this.tn;
  }

  clear(): void {
    this.tp = this.fp = this.fn = this.tn = 0;
  }
}

/**
 * Binary F1 of argmax predictions. A label outside the prediction's classes [0, classes - 1] is a
 * ValueError (`checkLabelRange`), and so are labels of more than two classes (as MXNet).
 * `average: 'macro'` (default) averages the F1 of each update
 * call; `'micro'` computes one F1 over every sample seen.
 */
export class F1 extends EvalMetric {
  readonly average: 'macro' | 'micro';
  private readonly stats = new BinaryStats();
  /** Micro averaging since `reset()` (global), while `stats` runs since `resetLocal()`. */
  private readonly globalStats = new BinaryStats();

  constructor(options: MetricOptions & { average?: 'macro' | 'micro' } = {}) {
    super('f1', options);
    const average = options.average ?? 'macro';
    if (average !== 'macro' && average !== 'micro') throw new ValueError({ op: 'F1', argument: 'average' }, `must be 'macro' or 'micro', got ${String(average)}`);
    this.average = average;
  }

  update(labels: MetricInput, preds: MetricInput): void {
    for (const [label, pred] of pairUp(labels, preds, 'F1')) {
      this.stats.add(label, pred, 'F1');
      this.globalStats.add(label, pred, 'F1');
    }
    if (this.average === 'macro') {
      this.accumulate(this.stats.fscore, 1);
      this.stats.clear();
      this.globalStats.clear();
    } else {
      this.sumMetric = this.stats.fscore * this.stats.total;
      this.numInst = this.stats.total;
      this.globalSumMetric = this.globalStats.fscore * this.globalStats.total;
      this.globalNumInst = this.globalStats.total;
    }
  }

  override reset(): void {
    super.reset();
    this.stats.clear();
    this.globalStats.clear();
  }

  override resetLocal(): void {
    super.resetLocal();
    this.stats.clear();
  }
}
