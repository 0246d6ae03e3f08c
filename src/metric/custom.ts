/** CustomMetric (a user function) and Loss (the mean of the outputs themselves). */
import { ValueError } from '../base/errors';
import { NDArray } from '../ndarray/ndarray';
import { EvalMetric, MetricInput, MetricOptions, asArrayList, pairUp } from './base';

/** `feval(label, pred)`: a value (one instance), or `[sum, count]`. */
export type Feval = (label: NDArray, pred: NDArray) => number | readonly [number, number];

/** Options of {@link CustomMetric}. */
export interface CustomMetricOptions extends MetricOptions {
  /** Allow more predictions than labels (extra outputs such as RNN states are ignored). */
  allowExtraOutputs?: boolean;
  /**
   * The API's rule (on by default, docs/api.md): a 2-D prediction with two columns is reduced to
   * its second column (`pred[:, 1]`, the positive-class probability) before `feval` sees it.
   * This is MXNet 0.7-0.9.3 behaviour; MXNet removed it in 0.11 (PR #4938, commit 6f08c0c2c4),
   * so 1.9.1 passes the prediction whole: pass `twoColumnRule: false` for that.
   */
  twoColumnRule?: boolean;
}

/**
 * A metric from `feval(label, pred)`: label first, each a copy of one array of the batch.
 * Named after the function, or `custom(<lambda>)` for an anonymous one. By default a (n, 2)
 * prediction reaches `feval` as its second column, shape (n,) (the contract's rule, from MXNet
 * <= 0.9.3; MXNet >= 0.11 dropped it, reference 8.3): `twoColumnRule: false` passes it whole,
 * as MXNet 1.9.1 does. Other shapes always pass whole.
 *
 * @example
 * ```ts
 * const meanError = new mx.metric.CustomMetric((label, pred) => Math.abs(pred.data[0]! - label.data[0]!), { name: 'first-error' });
 * ```
 */
export class CustomMetric extends EvalMetric {
  readonly feval: Feval;
  readonly allowExtraOutputs: boolean;
  readonly twoColumnRule: boolean;

  constructor(feval: Feval, options: CustomMetricOptions = {}) {
    if (typeof feval !== 'function') throw new ValueError({ op: 'CustomMetric', argument: 'feval' }, 'must be a function (label, pred) => number | [sum, count]');
    super(feval.name ? feval.name : 'custom(<lambda>)', options);
    this.feval = feval;
    this.allowExtraOutputs = options.allowExtraOutputs ?? false;
    this.twoColumnRule = options.twoColumnRule ?? true;
  }

  update(labels: MetricInput, preds: MetricInput): void {
    let pairs: [NDArray, NDArray][];
    if (this.allowExtraOutputs) {
      const l = asArrayList(labels, 'CustomMetric', 'labels');
      const p = asArrayList(preds, 'CustomMetric', 'preds');
      pairs = l.slice(0, p.length).map((label, i) => [label, p[i]!]);
    } else {
      pairs = pairUp(labels, preds, 'CustomMetric');
    }
    for (const [label, pred] of pairs) {
      const result = this.feval(label.copy(), this.twoColumnRule ? secondColumn(pred) : pred.copy());
      if (typeof result === 'number') {
        this.accumulate(result, 1);
      } else if (Array.isArray(result) && result.length === 2 && typeof result[0] === 'number' && typeof result[1] === 'number') {
        this.accumulate(result[0], result[1]);
      } else {
        throw new ValueError({ op: 'CustomMetric', node: this.name, argument: 'feval' }, `must return a number or [sum, count], got ${JSON.stringify(result)}`);
      }
    }
  }
}

/** `pred[:, 1]` for a (n, 2) prediction; other shapes pass through (copied). */
function secondColumn(pred: NDArray): NDArray {
  if (pred.ndim !== 2 || pred.shape[1] !== 2) return pred.copy();
  const n = pred.shape[0]!;
  return new NDArray(Float32Array.from({ length: n }, (_, i) => pred.data[2 * i + 1]!), [n]);
}

/** Mean of every element of the predictions (for outputs that are losses). Labels are ignored. */
export class Loss extends EvalMetric {
  constructor(options: MetricOptions = {}) {
    super('loss', options);
  }

  update(_labels: MetricInput, preds: MetricInput): void {
    for (const pred of asArrayList(preds, 'Loss', 'preds')) {
      let sum = 0;
      for (let i = 0; i < pred.size; i++) sum += pred.data[i]!;
      this.accumulate(sum, pred.size);
    }
  }
}
