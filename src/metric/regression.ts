/**
 * Regression metrics (MXNet `metric.py`). MAE, MSE and RMSE add the mean error of each *batch*
 * and count one instance per batch, so `get()` averages over batches, not samples, as MXNet does.
 */
import type { NDArray } from '../ndarray/ndarray';
import { shapesEqual } from '../base/shape';
import { EvalMetric, MetricInput, MetricOptions, pairUp, shapeMismatch } from './base';

/** Labels and predictions of one pair must hold the same number of values (1-D is (n,1)). */
function checkSameSize(label: NDArray, pred: NDArray, metric: string): void {
  if (label.size !== pred.size) throw shapeMismatch(metric, label.shape, pred.shape, `${label.size} labels for ${pred.size} predictions`);
}

abstract class BatchMeanError extends EvalMetric {
  protected abstract readonly opName: string;
  protected abstract batchValue(label: Float32Array, pred: Float32Array): number;

  update(labels: MetricInput, preds: MetricInput): void {
    for (const [label, pred] of pairUp(labels, preds, this.opName)) {
      checkSameSize(label, pred, this.opName);
      this.accumulate(this.batchValue(label.data, pred.data), 1);
    }
  }
}

function meanOf(label: Float32Array, pred: Float32Array, f: (d: number) => number): number {
  let sum = 0;
  for (let i = 0; i < label.length; i++) sum += f(label[i]! - pred[i]!);
  return sum / label.length;
}

/** Mean absolute error, averaged over batches. */
export class MAE extends BatchMeanError {
  protected readonly opName = 'MAE';
  constructor(options: MetricOptions = {}) {
    super('mae', options);
  }
  protected batchValue(label: Float32Array, pred: Float32Array): number {
    return meanOf(label, pred, Math.abs);
  }
}

/** Mean squared error, averaged over batches. */
export class MSE extends BatchMeanError {
  protected readonly opName = 'MSE';
  constructor(options: MetricOptions = {}) {
    super('mse', options);
  }
  protected batchValue(label: Float32Array, pred: Float32Array): number {
    return meanOf(label, pred, (d) => d * d);
  }
}

/** Root mean squared error of each batch, averaged over batches. */
export class RMSE extends BatchMeanError {
  protected readonly opName = 'RMSE';
  constructor(options: MetricOptions = {}) {
    super('rmse', options);
  }
  protected batchValue(label: Float32Array, pred: Float32Array): number {
    return Math.sqrt(meanOf(label, pred, (d) => d * d));
  }
}

/** Pearson correlation of flattened predictions and labels (same shape), averaged over batches. */
export class PearsonCorrelation extends EvalMetric {
  constructor(options: MetricOptions = {}) {
    super('pearsonr', options);
  }

  update(labels: MetricInput, preds: MetricInput): void {
    for (const [label, pred] of pairUp(labels, preds, 'PearsonCorrelation')) {
      if (!shapesEqual(label.shape, pred.shape)) throw shapeMismatch('PearsonCorrelation', label.shape, pred.shape, 'the shapes must be equal');
      this.accumulate(pearson(pred.data, label.data), 1);
    }
  }
}

function pearson(x: Float32Array, y: Float32Array): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}
