/**
 * EvalMetric: MXNet's online metric protocol (`python/mxnet/metric.py`). A metric accumulates
 * `sumMetric` and `numInst` over `update(labels, preds)` calls; `get()` reports their ratio.
 * Values are accumulated in float64 from the float32 arrays.
 */
import { ShapeError, ValueError, listNames } from '../base/errors';
import { ownValue } from '../base/records';
import { Shape, shapeToString, sizeOf } from '../base/shape';
import { NDArray } from '../ndarray/ndarray';

/** One array or a list of arrays (MXNet wraps a single NDArray into a list). */
export type MetricInput = NDArray | readonly NDArray[];
/** `[name, value]` for a single metric, `[names, values]` for a composite. */
export type MetricValue = [string, number] | [string[], number[]];

/** Options shared by every metric: its name and which outputs and labels it reads. */
export interface MetricOptions {
  name?: string;
  /** Outputs `updateDict` uses, by name (default: all, in order). */
  outputNames?: readonly string[] | null;
  /** Labels `updateDict` uses, by name (default: all, in order). */
  labelNames?: readonly string[] | null;
}

/**
 * The base of every metric (MXNet's `EvalMetric`): `update(labels, preds)` accumulates, `get()`
 * returns `[name, value]`, `reset()` starts over. The local counters (reset by Speedometer) and the
 * global ones (the whole epoch) are kept apart, as in MXNet.
 *
 * @example
 * ```ts
 * const acc = mx.metric.create('acc');
 * acc.update([mx.nd.array([0, 1])], [mx.nd.array([[0.9, 0.1], [0.2, 0.8]])]);
 * acc.get(); // ['accuracy', 1]
 * ```
 */
export abstract class EvalMetric<V extends MetricValue = [string, number]> {
  name: string;
  readonly outputNames: readonly string[] | null;
  readonly labelNames: readonly string[] | null;
  /** Number of instances (samples, batches or elements, as each metric counts them). */
  numInst = 0;
  /** Running sum whose ratio to `numInst` is the metric. */
  sumMetric = 0;
  /** The same counters, cleared only by `reset()` (not `resetLocal()`): MXNet's global stats. */
  globalNumInst = 0;
  globalSumMetric = 0;

  constructor(defaultName: string, options: MetricOptions = {}) {
    this.name = String(options.name ?? defaultName);
    this.outputNames = options.outputNames ?? null;
    this.labelNames = options.labelNames ?? null;
  }

  /** Adds one batch: `labels[i]` goes with `preds[i]`. */
  abstract update(labels: MetricInput, preds: MetricInput): void;

  /** Picks `preds[outputNames]` and `labels[labelNames]` (all values when unset), then `update`. */
  updateDict(labels: Readonly<Record<string, NDArray>>, preds: Readonly<Record<string, NDArray>>): void {
    this.update(pickNamed(labels, this.labelNames, this.name, 'label'), pickNamed(preds, this.outputNames, this.name, 'output'));
  }

  /** Adds to both the local and the global counters. */
  protected accumulate(sum: number, count: number): void {
    this.sumMetric += sum;
    this.numInst += count;
    this.globalSumMetric += sum;
    this.globalNumInst += count;
  }

  /** Clears local and global counters. */
  reset(): void {
    this.numInst = 0;
    this.sumMetric = 0;
    this.globalNumInst = 0;
    this.globalSumMetric = 0;
  }

  /** Clears the local counters only (Speedometer does this between its reports). */
  resetLocal(): void {
    this.numInst = 0;
    this.sumMetric = 0;
  }

  /** `[name, sumMetric / numInst]`, or `[name, NaN]` before any instance. */
  get(): V {
    return [this.name, this.numInst === 0 ? NaN : this.sumMetric / this.numInst] as V;
  }

  /** Like `get()`, over everything since the last `reset()`. */
  getGlobal(): V {
    return [this.name, this.globalNumInst === 0 ? NaN : this.globalSumMetric / this.globalNumInst] as V;
  }

  /** A list of `[name, value]` pairs. */
  getNameValue(): [string, number][] {
    return zipNameValue(this.get());
  }

  getGlobalNameValue(): [string, number][] {
    return zipNameValue(this.getGlobal());
  }

  toString(): string {
    return `EvalMetric: {${this.getNameValue().map(([n, v]) => `'${n}': ${v}`).join(', ')}}`;
  }
}

function zipNameValue([name, value]: MetricValue): [string, number][] {
  const names = Array.isArray(name) ? name : [name];
  const values = Array.isArray(value) ? value : [value];
  return names.map((n, i) => [n, values[i]!]);
}

function pickNamed(record: Readonly<Record<string, NDArray>>, names: readonly string[] | null, metric: string, what: string): NDArray[] {
  if (names === null) return Object.values(record);
  return names.map((name) => {
    const value = ownValue(record, name);
    if (!value) throw new ValueError({ op: metric, argument: `${what} '${name}'` }, `is not among the ${what}s given (${listNames(Object.keys(record))})`);
    return value;
  });
}

/** A single array becomes a one-item list; anything else must be a list of NDArrays. */
export function asArrayList(value: MetricInput, metric: string, argument: string): readonly NDArray[] {
  if (value instanceof NDArray) return [value];
  if (!Array.isArray(value) || !value.every((v) => v instanceof NDArray)) {
    throw new ValueError({ op: metric, argument }, 'must be an NDArray or a list of NDArrays');
  }
  return value;
}

/** MXNet's `check_label_shapes(labels, preds, wrap=True)`: as many labels as predictions. */
export function pairUp(labels: MetricInput, preds: MetricInput, metric: string): [NDArray, NDArray][] {
  const l = asArrayList(labels, metric, 'labels');
  const p = asArrayList(preds, metric, 'preds');
  if (l.length !== p.length) {
    throw new ValueError({ op: metric, argument: 'labels', expected: p.length, actual: l.length }, `count ${l.length} does not match the number of predictions ${p.length}`);
  }
  return l.map((label, i) => [label, p[i]!]);
}

export function shapeMismatch(metric: string, label: Shape, pred: Shape, problem: string): ShapeError {
  return new ShapeError({ op: metric, argument: 'labels', expected: pred, actual: label }, `of shape ${shapeToString(label)} do not fit predictions of shape ${shapeToString(pred)}: ${problem}`);
}

/** Normalizes a possibly negative axis, naming the metric on failure. */
export function normalizeAxis(axis: number, ndim: number, metric: string): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= ndim) throw new ValueError({ op: metric, argument: 'axis' }, `${axis} is out of range for predictions with ${ndim} dimensions`);
  return a;
}

/** Index of the largest value along `axis` (first on ties, as numpy), flattened in row-major order. */
export function argmaxAlong(x: NDArray, axis: number): Int32Array {
  const n = x.shape[axis]!;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const outer = sizeOf(x.shape.slice(0, axis));
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = 0;
      let bestValue = x.data[base]!;
      for (let k = 1; k < n; k++) {
        const v = x.data[base + k * inner]!;
        if (v > bestValue || (Number.isNaN(v) && !Number.isNaN(bestValue))) {
          best = k;
          bestValue = v;
        }
      }
      out[o * inner + i] = best;
    }
  }
  return out;
}

/**
 * The one rule for class-index labels, shared by every metric that reads classes (Accuracy on
 * scores, TopKAccuracy, F1, CrossEntropy, NegativeLogLikelihood, Perplexity): a label, truncated
 * toward zero as MXNet's `astype('int32')`, must be a class of the predictions, in
 * [0, classes - 1]. Anything else (negative, too large, NaN) is a ValueError naming the metric,
 * the position and the value: a label outside the classes is a data bug (1-based labels, a
 * padding value), so no metric scores it silently. `skip` leaves out labels a metric ignores
 * (Perplexity's ignoreLabel).
 */
export function checkLabelRange(label: NDArray, classes: number, metric: string, skip: (value: number) => boolean = () => false): void {
  const data = label.data;
  for (let i = 0; i < data.length; i++) {
    const value = data[i]!;
    const c = Math.trunc(value);
    if (c >= 0 && c < classes) continue;
    if (skip(value)) continue;
    throw new ValueError({ op: metric, argument: 'labels', expected: [0, classes - 1], actual: value }, `hold class ${value} at position ${i}, outside the ${classes} classes [0, ${classes - 1}] of the predictions`);
  }
}

/** numpy's `astype('int32')`: truncation toward zero. */
export function toInt32(x: ArrayLike<number>): Int32Array {
  return Int32Array.from(x, (v) => Math.trunc(v));
}
