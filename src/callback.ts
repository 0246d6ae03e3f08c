/**
 * Training callbacks (MXNet `python/mxnet/callback.py`) and the logger they write to. Pass
 * `silentLogger` (or `null` where accepted) to train quietly.
 */
import type { AnyMetric } from './metric/index';
import type { NDArray } from './ndarray/ndarray';
import type { Symbol } from './symbol/symbol';

/** Where training writes its messages. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** Writes `info` to `console.log` and `warn` to `console.warn` (the default). */
export const consoleLogger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
};

/** Drops every message: `new mx.mod.Module({ symbol, logger: mx.callback.silentLogger })`. */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
};

/** What a batch-end callback receives (MXNet's BatchEndParam). */
export interface BatchEndParam {
  readonly epoch: number;
  readonly nbatch: number;
  readonly evalMetric: AnyMetric | null;
}

/** Called after every batch of `fit` (and of `score` with `batchEndCallback`). */
export type BatchEndCallback = (param: BatchEndParam) => void;
/** Called after every epoch of `fit` with the symbol and the current parameters (e.g. to save a checkpoint). */
export type EpochEndCallback = (epoch: number, symbol: Symbol, argParams: Record<string, NDArray>, auxParams: Record<string, NDArray>) => void;

/** `%f` as Python prints it: six decimals. */
export const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(6) : String(v).toLowerCase());

/**
 * Logs speed and the metric every `frequent` batches:
 * `Epoch[0] Batch [50-100]\tSpeed: 1234.56 samples/sec\taccuracy=0.912000`. With `autoReset`
 * the metric's local counters are cleared after each report (its global ones are kept).
 *
 * @example
 * ```ts
 * mod.fit(train, { numEpoch: 5, batchEndCallback: mx.callback.Speedometer(32, 50) });
 * ```
 */
export function Speedometer(batchSize: number, frequent = 50, options: { autoReset?: boolean; logger?: Logger; now?: () => number } = {}): BatchEndCallback {
  const autoReset = options.autoReset ?? true;
  const logger = options.logger ?? consoleLogger;
  const now = options.now ?? (() => performance.now() / 1000);
  let init = false;
  let tic = 0;
  let lastCount = 0;
  return (param) => {
    const count = param.nbatch;
    if (lastCount > count) init = false;
    lastCount = count;
    if (!init) {
      init = true;
      tic = now();
      return;
    }
    if (count % frequent !== 0) return;
    const elapsed = now() - tic;
    const speed = elapsed > 0 ? (frequent * batchSize) / elapsed : Infinity;
    const speedText = Number.isFinite(speed) ? speed.toFixed(2) : 'inf';
    if (param.evalMetric) {
      const pairs = param.evalMetric.getNameValue().map(([n, v]) => `\t${n}=${fmt(v)}`).join('');
      const range = autoReset ? `${count - frequent}-${count}` : `0-${count}`;
      if (autoReset) param.evalMetric.resetLocal();
      logger.info(`Epoch[${param.epoch}] Batch [${range}]\tSpeed: ${speedText} samples/sec${pairs}`);
    } else {
      logger.info(`Iter[${param.epoch}] Batch [${count}]\tSpeed: ${speedText} samples/sec`);
    }
    tic = now();
  };
}

/** Logs the metric every `period` batches (MXNet's LogValidationMetricsCallback-style helper). */
export function logTrainMetric(period: number, options: { autoReset?: boolean; logger?: Logger } = {}): BatchEndCallback {
  const logger = options.logger ?? consoleLogger;
  return (param) => {
    if (param.nbatch % period !== 0 || !param.evalMetric) return;
    for (const [name, value] of param.evalMetric.getNameValue()) logger.info(`Iter[${param.epoch}] Batch[${param.nbatch}] Train-${name}=${fmt(value)}`);
    if (options.autoReset) param.evalMetric.resetLocal();
  };
}

/** Options of {@link ProgressBar}. */
export interface ProgressBarOptions {
  /** The fit's `numEpoch`, shown as `Epoch 3/100`. */
  numEpoch: number;
  /** Batches per epoch; when omitted it is learned in the first epoch. */
  batchesPerEpoch?: number;
  /** Samples per batch, to show samples/sec (batches/sec when omitted). */
  batchSize?: number;
  /** Where to write (default `process.stderr`, so the results on stdout stay clean). */
  stream?: { write(text: string): unknown; isTTY?: boolean };
  /** When the stream is not a terminal: how many plain lines the whole fit prints (default 5). */
  lines?: number;
  /** Bar width in characters (default 20). */
  width?: number;
  /** Seconds, for the speed (default `performance.now() / 1000`). */
  now?: () => number;
}

/**
 * A progress bar over a whole `Module.fit` (in the spirit of MXNet's `callback.ProgressBar` and
 * `Speedometer` together): epoch, batch, speed and the training metric on one line,
 * `Epoch 37/100 [########............] 12/12  2450 samples/s  accuracy=0.9583`. On a terminal the
 * line is redrawn in place with `\r` and left on screen at the end; elsewhere (a pipe, a CI log)
 * it prints `lines` plain lines over the fit. Pair it with `progress: false` and `silentLogger`
 * to replace fit's per-epoch log lines.
 *
 * @example
 * ```ts
 * const numEpoch = 100;
 * mod.fit(train, {
 *   numEpoch,
 *   progress: false,
 *   batchEndCallback: mx.callback.ProgressBar({ numEpoch, batchSize: 10 }),
 * });
 * ```
 */
export function ProgressBar(options: ProgressBarOptions): BatchEndCallback {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const now = options.now ?? (() => performance.now() / 1000);
  const width = Math.max(1, options.width ?? 20);
  const every = Math.max(1, Math.ceil(options.numEpoch / Math.max(1, options.lines ?? 5)));
  let total = options.batchesPerEpoch ?? null;
  let epoch = -1;
  let tic = 0;
  let speed = '';
  let line = '';
  let printed = true;
  let lastDraw = -Infinity;
  let drawnLength = 0;
  let maxBatch = 0;
  const wanted = (e: number): boolean => (e + 1) % every === 0 || e === options.numEpoch - 1;
  return (param) => {
    const t = now();
    if (param.epoch !== epoch) {
      if (epoch >= 0 && total === null) total = param.nbatch === 0 ? maxBatch + 1 : null;
      if (!tty && !printed && wanted(epoch)) stream.write(`${line}\n`);
      epoch = param.epoch;
      tic = t;
      printed = false;
    }
    maxBatch = param.nbatch;
    const done = param.nbatch + 1;
    if (param.nbatch > 0 && t > tic) {
      const perSecond = param.nbatch / (t - tic);
      speed = options.batchSize ? `${(perSecond * options.batchSize).toFixed(0)} samples/s` : `${perSecond.toFixed(1)} batches/s`;
    }
    const filled = total ? Math.min(width, Math.round((width * done) / total)) : 0;
    const bar = total ? ` [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}` : ` batch ${done}`;
    const metrics = param.evalMetric ? param.evalMetric.getGlobalNameValue().map(([n, v]) => `  ${n}=${v.toFixed(4)}`).join('') : '';
    line = `Epoch ${epoch + 1}/${options.numEpoch}${bar}${speed ? `  ${speed}` : ''}${metrics}`;
    const epochEnd = total !== null && done === total;
    const last = epochEnd && epoch === options.numEpoch - 1;
    if (tty) {
      if (last || t - lastDraw >= 0.05) {
        stream.write(`\r${line.padEnd(drawnLength)}${last ? '\n' : ''}`);
        drawnLength = line.length;
        lastDraw = t;
      }
    } else if (epochEnd && wanted(epoch)) {
      stream.write(`${line}\n`);
      printed = true;
    }
  };
}
