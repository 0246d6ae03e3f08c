/**
 * `mx.monitor.Monitor` (MXNet `python/mxnet/monitor.py`): statistics of op outputs, weights and
 * gradients every `interval` batches. `install(exe)` sets the executor's monitor callback; `tic()`
 * before a batch's forward starts collecting (on batches 0, interval, 2*interval, ...), `toc()`
 * after the batch adds the arguments and auxiliary states and returns `[step, name, stat]` rows.
 */
import { consoleLogger, Logger } from './callback';
import { ValueError } from './base/errors';
import type { Executor } from './executor/executor';
import { formatArray, formatScalar } from './ndarray/format';
import { NDArray } from './ndarray/ndarray';
import { nd } from './ndarray/index';

/** A statistic of one array: an NDArray (or several), as MXNet's `stat_func` returns. */
export type StatFunc = (x: NDArray) => NDArray | readonly NDArray[];

/** MXNet's default statistic: norm(x) / sqrt(size(x)), the root mean square. */
export function rmsStat(x: NDArray): NDArray {
  return (nd.norm(x) as NDArray).div(Math.sqrt(x.size));
}

export class Monitor {
  readonly interval: number;
  readonly statFunc: StatFunc;
  readonly sort: boolean;
  readonly monitorAll: boolean;
  /** Batches seen (incremented by `tic`). */
  step = 0;
  activated = false;
  private readonly pattern: RegExp;
  private queue: [number, string, NDArray | readonly NDArray[]][] = [];
  private readonly exes: Executor[] = [];

  /**
   * @param pattern a regular expression matched at the start of each name, as Python's `re.match`
   *   (`'.*weight|.*output'`; `'.*backward.*'` selects gradients).
   */
  constructor(interval: number, statFunc: StatFunc | null = null, pattern = '.*', sort = false, monitorAll = false) {
    if (!Number.isInteger(interval) || interval < 1) throw new ValueError({ op: 'Monitor', argument: 'interval' }, `must be a positive integer, got ${interval}`);
    if (statFunc !== null && typeof statFunc !== 'function') throw new ValueError({ op: 'Monitor', argument: 'statFunc' }, 'must be a function (NDArray) => NDArray');
    this.interval = interval;
    this.statFunc = statFunc ?? rmsStat;
    this.pattern = new RegExp(`^(?:${pattern})`);
    this.sort = sort;
    this.monitorAll = monitorAll;
  }

  /** The executor callback: computes the statistic at once, while the array holds this value. */
  readonly statHelper = (name: string, array: NDArray): void => {
    if (!this.activated || !this.pattern.test(name)) return;
    const stat = this.statFunc(array);
    // The array's memory is reused later in the pass: a statistic that is the array itself is copied.
    this.queue.push([this.step, name, stat === array ? array.copy() : stat]);
  };

  /** Installs the callback on an executor; several executors may share one monitor. */
  install(exe: Executor): void {
    exe.setMonitorCallback(this.statHelper, this.monitorAll);
    this.exes.push(exe);
  }

  /** Starts collecting for this batch when it is one of every `interval`; call before forward. */
  tic(): void {
    if (this.step % this.interval === 0) {
      this.queue = [];
      this.activated = true;
    }
    this.step += 1;
  }

  /** Ends collecting and returns `[step, name, stat text]` rows (empty when this batch is not monitored). */
  toc(): [number, string, string][] {
    if (!this.activated) return [];
    for (const exe of this.exes) {
      const argNames = exe.symbol.listArguments();
      exe.argArrays.forEach((array, i) => this.collect(argNames[i]!, array));
      const auxNames = exe.symbol.listAuxiliaryStates();
      exe.auxArrays.forEach((array, i) => this.collect(auxNames[i]!, array));
    }
    this.activated = false;
    if (this.sort) this.queue.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    const rows = this.queue.map(([step, name, stats]): [number, string, string] => [step, name, statList(stats).map((v) => statText(v) + '\t').join('')]);
    this.queue = [];
    return rows;
  }

  /** `toc()`, logged as MXNet does: `Batch:       1 fc1_output                     0.57735026\t`. */
  tocPrint(logger: Logger = consoleLogger): void {
    for (const [step, name, stat] of this.toc()) logger.info(`Batch: ${String(step).padStart(7)} ${name.padEnd(30)} ${stat}`);
  }

  /** Records a statistic of an argument or auxiliary state (toc), when its name matches. */
  private collect(name: string, array: NDArray): void {
    if (this.pattern.test(name)) this.queue.push([this.step, name, this.statFunc(array)]);
  }
}

function statList(stats: unknown): readonly NDArray[] {
  if (stats instanceof NDArray) return [stats];
  if (Array.isArray(stats)) return stats;
  throw new ValueError({ op: 'Monitor', argument: 'statFunc' }, 'must return an NDArray or a list of NDArrays');
}

/** Python's `str()` of the statistic: a scalar for shape (1,), else numpy's array text. */
function statText(v: NDArray): string {
  if (!(v instanceof NDArray)) throw new ValueError({ op: 'Monitor', argument: 'statFunc' }, 'must return an NDArray or a list of NDArrays');
  if (v.shape.length === 1 && v.shape[0] === 1) return formatScalar(v.values[0]!, v.dtype);
  // str(ndarray) is repr's body without `array(` and the dtype, one column less indented, and
  // separates elements and rows by spaces and newlines alone (no commas).
  const body = formatArray(v.values, v.shape, v.dtype).slice('array('.length).replace(/,\s*dtype=\w+\)$|\)$/, '');
  return body.split('\n').map((line, i) => (i === 0 ? line : line.slice('array('.length))).join('\n').replace(/,(\s)/g, '$1');
}
