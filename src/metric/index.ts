/**
 * `mx.metric`: the metric classes, CompositeEvalMetric, and `create(name | function | list)`
 * with MXNet's registry names (class names lower-cased plus aliases).
 */
import { ValueError, didYouMean } from '../base/errors';
import { nameRecord } from '../base/records';
import type { NDArray } from '../ndarray/ndarray';
import { EvalMetric, MetricInput, MetricOptions, MetricValue } from './base';
import { Accuracy, F1, TopKAccuracy } from './classification';
import { CustomMetric, CustomMetricOptions, Feval, Loss } from './custom';
import { CrossEntropy, NegativeLogLikelihood, Perplexity } from './probability';
import { MAE, MSE, PearsonCorrelation, RMSE } from './regression';

export { EvalMetric, Accuracy, TopKAccuracy, F1, MAE, MSE, RMSE, PearsonCorrelation, CrossEntropy, NegativeLogLikelihood, Perplexity, CustomMetric, Loss };
export type { MetricInput, MetricOptions, MetricValue, Feval };
export type { CustomMetricOptions } from './custom';
export { HeadLoss } from './head_loss';
export type { HeadLossOptions } from './head_loss';

/** Any metric, single or composite. */
export type AnyMetric = EvalMetric<MetricValue>;
/** What `create` accepts: a registry name, a metric, a `feval`, or a list of these. */
export type MetricSpec = string | AnyMetric | Feval | readonly MetricSpec[];

/** Several metrics updated together; `get()` gives `[names, values]`. */
export class CompositeEvalMetric extends EvalMetric<[string[], number[]]> {
  readonly metrics: AnyMetric[];

  constructor(metrics: readonly MetricSpec[] = [], options: MetricOptions = {}) {
    super('composite', { ...options, name: 'composite' });
    this.metrics = metrics.map((m) => create(m));
  }

  add(metric: MetricSpec): void {
    this.metrics.push(create(metric));
  }

  getMetric(index: number): AnyMetric {
    const metric = this.metrics[index];
    if (!Number.isInteger(index) || !metric) throw new ValueError({ op: 'CompositeEvalMetric', argument: 'index' }, `${index} is out of range 0 and ${this.metrics.length}`);
    return metric;
  }

  update(labels: MetricInput, preds: MetricInput): void {
    for (const metric of this.metrics) metric.update(labels, preds);
  }

  override updateDict(labels: Readonly<Record<string, NDArray>>, preds: Readonly<Record<string, NDArray>>): void {
    const keep = (record: Readonly<Record<string, NDArray>>, names: readonly string[] | null) =>
      names === null ? record : nameRecord(Object.entries(record).filter(([k]) => names.includes(k)));
    const l = keep(labels, this.labelNames);
    const p = keep(preds, this.outputNames);
    for (const metric of this.metrics) metric.updateDict(l, p);
  }

  override reset(): void {
    super.reset();
    for (const metric of this.metrics ?? []) metric.reset();
  }

  override resetLocal(): void {
    super.resetLocal();
    for (const metric of this.metrics) metric.resetLocal();
  }

  override get(): [string[], number[]] {
    return this.collect((m) => m.get());
  }

  override getGlobal(): [string[], number[]] {
    return this.collect((m) => m.getGlobal());
  }

  private collect(read: (m: AnyMetric) => MetricValue): [string[], number[]] {
    const names: string[] = [];
    const values: number[] = [];
    for (const metric of this.metrics) {
      const [name, value] = read(metric);
      names.push(...(Array.isArray(name) ? name : [name]));
      values.push(...(Array.isArray(value) ? value : [value]));
    }
    return [names, values];
  }
}

type MetricFactory = (options: Readonly<Record<string, unknown>>) => AnyMetric;

const COMMON = ['name', 'outputNames', 'labelNames'];

/** A factory that rejects options its metric does not take (MXNet raises TypeError there). */
function entry<O>(make: (options: O) => AnyMetric, own: readonly string[]): MetricFactory {
  const allowed = [...COMMON, ...own];
  return (options) => {
    for (const key of Object.keys(options)) {
      if (!allowed.includes(key)) throw new ValueError({ op: 'metric.create', argument: key }, `is not an option of this metric${didYouMean(key, allowed)}; it takes ${allowed.join(', ')}`);
    }
    return make(options as O);
  };
}

const accuracy = entry((o: MetricOptions & { axis?: number }) => new Accuracy(o), ['axis']);
const topK = entry((o: MetricOptions & { topK?: number }) => new TopKAccuracy(o), ['topK']);
const crossEntropy = entry((o: MetricOptions & { eps?: number }) => new CrossEntropy(o), ['eps']);
const nll = entry((o: MetricOptions & { eps?: number }) => new NegativeLogLikelihood(o), ['eps']);
const pearson = entry((o: MetricOptions) => new PearsonCorrelation(o), []);
const composite = entry((o: MetricOptions) => new CompositeEvalMetric([], o), []);

const REGISTRY: Readonly<Record<string, MetricFactory>> = {
  accuracy,
  acc: accuracy,
  topkaccuracy: topK,
  top_k_accuracy: topK,
  top_k_acc: topK,
  f1: entry((o: MetricOptions & { average?: 'macro' | 'micro' }) => new F1(o), ['average']),
  mae: entry((o: MetricOptions) => new MAE(o), []),
  mse: entry((o: MetricOptions) => new MSE(o), []),
  rmse: entry((o: MetricOptions) => new RMSE(o), []),
  crossentropy: crossEntropy,
  ce: crossEntropy,
  negativeloglikelihood: nll,
  nll_loss: nll,
  perplexity: entry((o: MetricOptions & { ignoreLabel?: number | null; axis?: number }) => new Perplexity(o), ['ignoreLabel', 'axis']),
  pearsoncorrelation: pearson,
  pearsonr: pearson,
  loss: entry((o: MetricOptions) => new Loss(o), []),
  compositeevalmetric: composite,
  composite,
};

/** MXNet's `mx.metric.np(feval, name, allowExtraOutputs)`: a CustomMetric from a function. */
export function np(feval: Feval, name?: string, allowExtraOutputs = false): CustomMetric {
  return new CustomMetric(feval, name === undefined ? { allowExtraOutputs } : { name, allowExtraOutputs });
}

/** The names `create` knows, sorted. */
export const knownMetrics: readonly string[] = Object.keys(REGISTRY).sort();

/**
 * A metric from a registry name (case-insensitive; `options` go to its constructor), a function
 * (CustomMetric), a list (CompositeEvalMetric), or a metric instance (returned as is).
 *
 * @example
 * ```ts
 * const metric = mx.metric.create(['acc', 'ce']);   // a CompositeEvalMetric
 * metric.update([label], [probabilities]);
 * metric.getNameValue();                            // [['accuracy', ...], ['cross-entropy', ...]]
 * ```
 */
export function create(metric: MetricSpec, options: Readonly<Record<string, unknown>> = {}): AnyMetric {
  if (metric instanceof EvalMetric) return metric;
  if (typeof metric === 'function') return entry((o: CustomMetricOptions) => new CustomMetric(metric, o), ['allowExtraOutputs', 'twoColumnRule'])(options);
  if (Array.isArray(metric)) {
    const composite = new CompositeEvalMetric();
    for (const child of metric as readonly MetricSpec[]) composite.add(create(child, options));
    return composite;
  }
  if (typeof metric !== 'string') throw new ValueError({ op: 'metric.create', argument: 'metric' }, 'must be a metric name, an EvalMetric, a function (label, pred) or a list of these');
  const factory = REGISTRY[metric.toLowerCase()];
  if (!factory) {
    throw new ValueError({ op: 'metric.create', argument: 'metric', actual: metric }, `'${metric}' is not a known metric${didYouMean(metric, knownMetrics)}; known metrics are ${knownMetrics.join(', ')}`);
  }
  return factory(options);
}
