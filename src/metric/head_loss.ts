/**
 * HeadLoss: the loss readout (src/loss/readout.ts) as a metric. Built from the symbol, it knows
 * each loss head's op, parameters, output name and label name, so it needs only what Module
 * feeds every metric: `updateDict(labels, outputs)`. Reports the summed head losses per sample
 * (`sum of values / samples`), the objective Module's SGD descends with rescale_grad 1/batch.
 */
import { ValueError, listNames } from '../base/errors';
import { ownValue } from '../base/records';
import { HeadLossValue, LossHead, headLoss, lossHeads } from '../loss/readout';
import type { NDArray } from '../ndarray/ndarray';
import { Symbol } from '../symbol/symbol';
import { EvalMetric, MetricInput, MetricOptions, asArrayList } from './base';

/** Options of {@link HeadLoss}. */
export interface HeadLossOptions extends MetricOptions {
  /** Probabilities are clipped to [eps, 1 - eps] inside logarithms (default 1e-12). */
  eps?: number;
}

/**
 * The loss that a network's output heads imply (SoftmaxOutput: cross-entropy, LogisticRegressionOutput:
 * binary cross-entropy, LinearRegressionOutput: half the squared error, ...), averaged per sample:
 * the quantity whose gradient the heads return (see the Loss readout page).
 *
 * @example
 * ```ts
 * mod.fit(train, { numEpoch: 10, evalMetric: ['acc', new mx.metric.HeadLoss(net)] });
 * ```
 */
export class HeadLoss extends EvalMetric {
  readonly heads: readonly LossHead[];
  /** The per-head values of the last batch. */
  last: readonly HeadLossValue[] = [];
  private readonly eps: number | undefined;
  private readonly numOutputs: number;
  private readonly headLabels: readonly string[];

  constructor(symbol: Symbol, options: HeadLossOptions = {}) {
    if (!(symbol instanceof Symbol)) throw new ValueError({ op: 'HeadLoss', argument: 'symbol' }, 'must be the Symbol whose outputs the metric receives');
    super('head_loss', options);
    this.heads = lossHeads(symbol);
    if (this.heads.length === 0) throw new ValueError({ op: 'HeadLoss', argument: 'symbol' }, `has no loss head (outputs ${listNames(symbol.listOutputs())}); loss heads are SoftmaxOutput, *RegressionOutput, MakeLoss and make_loss`);
    this.eps = options.eps;
    this.numOutputs = symbol.outputs.length;
    this.headLabels = [...new Set(this.heads.flatMap((h) => (h.labelName === null ? [] : [h.labelName])))];
  }

  /** Outputs in the symbol's order; labels in the order the heads first name them. */
  update(labels: MetricInput, preds: MetricInput): void {
    const p = asArrayList(preds, 'HeadLoss', 'preds');
    const l = asArrayList(labels, 'HeadLoss', 'labels');
    if (p.length !== this.numOutputs) throw new ValueError({ op: 'HeadLoss', argument: 'preds', expected: this.numOutputs, actual: p.length }, `must hold one array per output of the symbol (${this.numOutputs}), got ${p.length}`);
    if (l.length < this.headLabels.length) throw new ValueError({ op: 'HeadLoss', argument: 'labels', expected: this.headLabels.length, actual: l.length }, `must hold ${listNames(this.headLabels)}`);
    this.add((head) => p[head.output]!, (name) => l[this.headLabels.indexOf(name)]!);
  }

  /** Picks each head's output and label by name (what Module.updateMetric passes). */
  override updateDict(labels: Readonly<Record<string, NDArray>>, preds: Readonly<Record<string, NDArray>>): void {
    const pick = (record: Readonly<Record<string, NDArray>>, name: string, what: string) => {
      const value = ownValue(record, name);
      if (!value) throw new ValueError({ op: 'HeadLoss', argument: `${what} '${name}'` }, `is not among the ${what}s given (${listNames(Object.keys(record)) || 'none'})`);
      return value;
    };
    this.add((head) => pick(preds, head.head, 'output'), (name) => pick(labels, name, 'label'));
  }

  private add(output: (head: LossHead) => NDArray, label: (name: string) => NDArray): void {
    const options = this.eps === undefined ? {} : { eps: this.eps };
    this.last = this.heads.map((head) => headLoss(head, output(head), head.labelName === null ? null : label(head.labelName), options));
    const first = output(this.heads[0]!);
    const samples = first.ndim > 0 ? first.shape[0]! : 1;
    this.accumulate(this.last.reduce((s, v) => s + v.value, 0), samples);
  }
}
