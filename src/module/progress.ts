/**
 * Progress of `Module.fit` within an epoch. On a terminal with the console logger: one line
 * redrawn with `\r`, `Epoch[0] [#######.............] 35/120 accuracy=0.912000`, erased when the
 * epoch ends so the epoch summary lines replace it. Elsewhere (a pipe, a file, a custom logger):
 * a Speedometer-style line through the logger every `frequent` batches,
 * `Epoch[0] Batch [50/120]\tSpeed: 1234.56 samples/sec\taccuracy=0.912000` (the total is left
 * out while it is unknown), so `silentLogger` silences it.
 */
import { Logger, consoleLogger, fmt } from '../callback';
import type { AnyMetric } from '../metric/index';

/** Options of the progress display `Module.fit` shows by default (its `progress` option). */
export interface ProgressOptions {
  /** Batches between log lines when not drawing the bar (default 50, as Speedometer's usual). */
  frequent?: number;
  /** Draw the bar (default: stdout is a TTY and the logger is the console logger). */
  tty?: boolean;
  /** Where the bar is drawn (default `process.stdout.write`). */
  write?: (text: string) => void;
  /** Seconds, for the speed (default `performance.now() / 1000`). */
  now?: () => number;
  /** Bar width in characters (default 30). */
  width?: number;
}

/** Batches per epoch of an NDArrayIter-like iterator, or null when it cannot be told in advance. */
export function expectedBatches(iter: object): number | null {
  const it = iter as { numSamples?: unknown; batchSize?: unknown; lastBatchHandle?: unknown };
  if (typeof it.numSamples !== 'number' || typeof it.batchSize !== 'number' || it.batchSize <= 0) return null;
  if (it.lastBatchHandle === 'pad' || it.lastBatchHandle === undefined) return Math.ceil(it.numSamples / it.batchSize);
  if (it.lastBatchHandle === 'discard') return Math.floor(it.numSamples / it.batchSize);
  return null;
}

export class Progress {
  private readonly tty: boolean;
  private readonly frequent: number;
  private readonly write: (text: string) => void;
  private readonly now: () => number;
  private readonly width: number;
  private epoch = 0;
  private total: number | null = null;
  private tic = 0;
  private lastDraw = -Infinity;
  private drawn = 0;

  constructor(
    private readonly logger: Logger,
    private readonly batchSize: number,
    options: ProgressOptions = {},
  ) {
    this.tty = options.tty ?? (typeof process !== 'undefined' && process.stdout?.isTTY === true && logger === consoleLogger);
    this.frequent = Math.max(1, Math.floor(options.frequent ?? 50));
    this.write = options.write ?? ((text) => void process.stdout.write(text));
    this.now = options.now ?? (() => performance.now() / 1000);
    this.width = options.width ?? 30;
  }

  startEpoch(epoch: number, total: number | null): void {
    this.epoch = epoch;
    this.total = total;
    this.tic = this.now();
    this.lastDraw = -Infinity;
  }

  /** After batch `nbatch` (0-based) has updated the metric. */
  batch(nbatch: number, metric: AnyMetric): void {
    const done = nbatch + 1;
    const pairs = metric.getNameValue().map(([n, v]) => `${n}=${fmt(v)}`);
    if (this.tty) {
      const t = this.now();
      // Redraw at most 20 times a second, and always on the last batch.
      if (t - this.lastDraw < 0.05 && done !== this.total) return;
      this.lastDraw = t;
      const count = this.total === null ? `${done}` : `${done}/${this.total}`;
      const line = `Epoch[${this.epoch}] ${this.bar(done)} ${count} ${pairs.join(' ')}`;
      this.write(`\r${line}${' '.repeat(Math.max(0, this.drawn - line.length))}`);
      this.drawn = line.length;
      return;
    }
    if (done % this.frequent !== 0) return;
    const t = this.now();
    const elapsed = t - this.tic;
    this.tic = t;
    const speed = elapsed > 0 ? (this.frequent * this.batchSize) / elapsed : Infinity;
    const count = this.total === null ? `${done}` : `${done}/${this.total}`;
    this.logger.info(`Epoch[${this.epoch}] Batch [${count}]\tSpeed: ${Number.isFinite(speed) ? speed.toFixed(2) : 'inf'} samples/sec${pairs.map((p) => `\t${p}`).join('')}`);
  }

  /** Erases the bar (the epoch's summary lines follow); nothing to do for log lines. */
  endEpoch(): void {
    if (this.tty && this.drawn > 0) this.write(`\r${' '.repeat(this.drawn)}\r`);
    this.drawn = 0;
  }

  private bar(done: number): string {
    if (this.total === null || this.total <= 0) return `[${'#'.repeat(Math.min(this.width, done))}]`;
    const filled = Math.min(this.width, Math.round((done / this.total) * this.width));
    return `[${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}]`;
  }
}
