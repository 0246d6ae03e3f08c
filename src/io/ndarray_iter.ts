/**
 * NDArrayIter: mini-batches over in-memory arrays (MXNet `python/mxnet/io/io.py`). Rows are
 * visited in a permutation that is shuffled (with the seeded generator, `mx.random.seed`) at
 * construction and at every `reset()` when `shuffle` is set. The last incomplete batch is
 * handled by `lastBatchHandle`:
 * - `pad`: filled with rows from the start of the permutation; `batch.pad` counts them.
 * - `discard`: dropped (with shuffle, a different tail each epoch; MXNet always drops the same rows).
 * - `roll_over`: kept back and completed by the first rows of the next epoch after `reset()`.
 *   Every row of that batch is real, so its `pad` is 0 (MXNet reports the rolled-over count there).
 */
import { ValueError } from '../base/errors';
import { nextInt } from '../base/random';
import { Shape, shapeToString, sizeOf } from '../base/shape';
import { array } from '../ndarray/creation';
import { NDArray, NestedArray } from '../ndarray/ndarray';

/** What happens to the last incomplete batch: pad it from the start of the data, drop it, or carry it into the next epoch. */
export type LastBatchHandle = 'pad' | 'discard' | 'roll_over';
const LAST_BATCH_HANDLES: readonly string[] = ['pad', 'discard', 'roll_over'];

/** One array, a list of arrays (named `_0_<name>`, `_1_<name>`...), or arrays by name; inputs are ordered by name. */
export type ArraySource = NDArray | NestedArray | readonly NDArray[] | Readonly<Record<string, NDArray | NestedArray>>;

/** MXNet's DataDesc: what a bound input expects per batch. */
export interface DataDesc {
  readonly name: string;
  readonly shape: Shape;
  readonly dtype: 'float32';
  readonly layout: 'NCHW';
}

/** One batch: data and label arrays in the iterator's order, and how many trailing rows are padding. */
export interface DataBatch {
  readonly data: NDArray[];
  readonly label: NDArray[];
  /** Rows at the end of the batch that repeat earlier data to fill it (`pad` mode). */
  readonly pad: number;
  /** The rows' positions in the source arrays. */
  readonly index: number[];
  readonly provideData: readonly DataDesc[];
  readonly provideLabel: readonly DataDesc[];
}

/** Options of {@link NDArrayIter}. */
export interface NDArrayIterOptions {
  data: ArraySource;
  label?: ArraySource | null;
  batchSize?: number;
  shuffle?: boolean;
  lastBatchHandle?: LastBatchHandle;
  dataName?: string;
  labelName?: string;
}

const OP = 'NDArrayIter';

function namedArrays(source: ArraySource, defaultName: string, argument: string): [string, NDArray][] {
  let entries: [string, NDArray | NestedArray][];
  if (source instanceof NDArray) entries = [[defaultName, source]];
  else if (Array.isArray(source) && source.length > 0 && source.every((s) => s instanceof NDArray)) {
    const list = source as readonly NDArray[];
    entries = list.length === 1 ? [[defaultName, list[0]!]] : list.map((a, i) => [`_${i}_${defaultName}`, a]);
  } else if (Array.isArray(source) || typeof source === 'number') entries = [[defaultName, source as NestedArray]];
  else if (source !== null && typeof source === 'object') entries = Object.entries(source);
  else throw new ValueError({ op: OP, argument }, 'must be an NDArray, a nested array, a list of NDArrays or a record of them');
  if (entries.length === 0) throw new ValueError({ op: OP, argument }, 'holds no arrays');
  // MXNet sorts by name (`sorted(data.items())`), so `_10_data` comes before `_2_data`.
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([name, value]) => {
    const arr = value instanceof NDArray ? value : array(value);
    if (arr.ndim === 0) throw new ValueError({ op: OP, argument: name }, 'must have a first (sample) axis, got a scalar');
    return [name, arr];
  });
}

/**
 * Iterates over arrays in batches (MXNet's `mx.io.NDArrayIter`), optionally shuffled each epoch;
 * what `Module.fit`, `score` and `predict` consume.
 *
 * @example
 * ```ts
 * const iter = new mx.io.NDArrayIter({ data: mx.nd.array(features), label: mx.nd.array(labels), batchSize: 10, shuffle: true });
 * for (const batch of iter) console.log(batch.data[0]!.shape, batch.pad);
 * iter.reset();
 * ```
 */
export class NDArrayIter implements Iterable<DataBatch> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly lastBatchHandle: LastBatchHandle;
  /** Number of samples in the source arrays. */
  readonly numSamples: number;
  readonly provideData: readonly DataDesc[];
  readonly provideLabel: readonly DataDesc[];
  private readonly data: [string, NDArray][];
  private readonly label: [string, NDArray][];
  private readonly order: Int32Array;
  /** Samples visited per epoch (a multiple of batchSize under `discard`). */
  private readonly numData: number;
  private cursor: number;
  private exhausted = false;
  private cache: number[] | null = null;

  constructor(options: NDArrayIterOptions) {
    if (options === null || typeof options !== 'object' || options.data === undefined) throw new ValueError({ op: OP, argument: 'data' }, 'is required');
    const batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError({ op: OP, argument: 'batchSize' }, `must be a positive integer, got ${batchSize}`);
    const handle = options.lastBatchHandle ?? 'pad';
    if (!LAST_BATCH_HANDLES.includes(handle)) throw new ValueError({ op: OP, argument: 'lastBatchHandle' }, `must be one of ${LAST_BATCH_HANDLES.join(', ')}, got ${String(handle)}`);
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? false;
    this.lastBatchHandle = handle;
    this.data = namedArrays(options.data, options.dataName ?? 'data', 'data');
    this.label = options.label === undefined || options.label === null ? [] : namedArrays(options.label, options.labelName ?? 'softmax_label', 'label');
    const [firstName, first] = this.data[0]!;
    this.numSamples = first.shape[0]!;
    for (const [name, arr] of [...this.data, ...this.label]) {
      if (arr.shape[0] !== this.numSamples) {
        throw new ValueError(
          { op: OP, argument: name, expected: this.numSamples, actual: arr.shape[0] },
          `has ${arr.shape[0]} samples (shape ${shapeToString(arr.shape)}) but '${firstName}' has ${this.numSamples}: data and label must have the same length`,
        );
      }
    }
    if (batchSize > this.numSamples) {
      throw new ValueError({ op: OP, argument: 'batchSize', expected: this.numSamples, actual: batchSize }, `${batchSize} is larger than the data size ${this.numSamples}`);
    }
    this.numData = handle === 'discard' ? this.numSamples - (this.numSamples % batchSize) : this.numSamples;
    const desc = ([name, arr]: [string, NDArray]): DataDesc => Object.freeze({ name, shape: Object.freeze([batchSize, ...arr.shape.slice(1)]), dtype: 'float32', layout: 'NCHW' });
    this.provideData = Object.freeze(this.data.map(desc));
    this.provideLabel = Object.freeze(this.label.map(desc));
    this.order = Int32Array.from({ length: this.numSamples }, (_, i) => i);
    if (this.shuffle) this.shuffleOrder();
    this.cursor = -batchSize;
  }

  /** Starts a new epoch (reshuffling when `shuffle`); a rolled-over tail leads the next epoch. */
  reset(): void {
    if (this.shuffle) this.shuffleOrder();
    const bs = this.batchSize;
    if (this.lastBatchHandle === 'roll_over' && this.cache !== null && this.numData - bs < this.cursor && this.cursor < this.numData) {
      this.cursor = this.cursor - this.numData - bs;
    } else {
      this.cursor = -bs;
      this.cache = null;
    }
    this.exhausted = false;
  }

  /** The next batch, or null at the end of the epoch. */
  next(): DataBatch | null {
    if (this.exhausted) return null;
    const bs = this.batchSize;
    this.cursor += bs;
    if (this.cursor >= this.numData) return this.finish();
    let rows: number[];
    let pad = 0;
    if (this.cursor < 0) {
      rows = [...this.cache!, ...this.positions(0, this.cursor + bs)];
      this.cache = null;
    } else if (this.cursor + bs > this.numData) {
      const tail = this.positions(this.cursor, this.numData);
      if (this.lastBatchHandle === 'roll_over') {
        this.cache = tail;
        return this.finish();
      }
      pad = this.cursor + bs - this.numData;
      rows = [...tail, ...this.positions(0, pad)];
    } else {
      rows = this.positions(this.cursor, this.cursor + bs);
    }
    return {
      data: this.data.map(([, arr]) => gatherRows(arr, rows)),
      label: this.label.map(([, arr]) => gatherRows(arr, rows)),
      pad,
      index: rows,
      provideData: this.provideData,
      provideLabel: this.provideLabel,
    };
  }

  [Symbol.iterator](): Iterator<DataBatch> {
    return {
      next: (): IteratorResult<DataBatch> => {
        const batch = this.next();
        return batch ? { done: false, value: batch } : { done: true, value: undefined };
      },
    };
  }

  private finish(): null {
    this.exhausted = true;
    return null;
  }

  private positions(start: number, end: number): number[] {
    return Array.from(this.order.subarray(start, end));
  }

  /** Fisher-Yates with the seeded generator. */
  private shuffleOrder(): void {
    for (let i = this.order.length - 1; i > 0; i--) {
      const j = nextInt(i + 1);
      const t = this.order[i]!;
      this.order[i] = this.order[j]!;
      this.order[j] = t;
    }
  }
}

/** A new array holding `arr[rows[0]], arr[rows[1]], ...` along the first axis. */
export function gatherRows(arr: NDArray, rows: readonly number[]): NDArray {
  const rowSize = sizeOf(arr.shape.slice(1));
  const out = new Float32Array(rows.length * rowSize);
  rows.forEach((r, i) => out.set(arr.data.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize));
  return new NDArray(out, [rows.length, ...arr.shape.slice(1)]);
}
