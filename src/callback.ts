/**
 * Training callbacks (MXNet `python/mxnet/callback.py`) and the logger they write to. Pass
 * `silentLogger` (or `null` where accepted) to train quietly.
 */
import type { AnyMetric } from './metric/index';
import type { NDArray } from './ndarray/ndarray';
import type { Symbol } from './symbol/symbol';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export const consoleLogger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
};

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

export type BatchEndCallback = (param: BatchEndParam) => void;
export type EpochEndCallback = (epoch: number, symbol: Symbol, argParams: Record<string, NDArray>, auxParams: Record<string, NDArray>) => void;

/** `%f` as Python prints it: six decimals. */
export const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(6) : String(v).toLowerCase());

/**
 * Logs speed and the metric every `frequent` batches:
 * `Epoch[0] Batch [50-100]\tSpeed: 1234.56 samples/sec\taccuracy=0.912000`. With `autoReset`
 * the metric's local counters are cleared after each report (its global ones are kept).
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
