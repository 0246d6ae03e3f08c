/** The option and data types of Module (MXNet `module.py`, `base_module.py`). */
import type { Context } from '../base/context';
import type { Shape } from '../base/shape';
import type { BatchEndCallback, EpochEndCallback, Logger } from '../callback';
import type { GradReq } from '../executor/bind';
import type { Initializer } from '../initializer/index';
import type { DataBatch, DataDesc } from '../io/index';
import type { MetricSpec } from '../metric/index';
import type { Monitor } from '../monitor';
import type { NDArray } from '../ndarray/ndarray';
import type { Optimizer } from '../optimizer/index';
import type { Symbol } from '../symbol/symbol';
import type { ProgressOptions } from './progress';

/** Input shapes: DataDesc-like objects (`provideData`), `[name, shape]` pairs, or a record. */
export type ShapeSpec = readonly { readonly name: string; readonly shape: Shape }[] | readonly (readonly [string, Shape])[] | Readonly<Record<string, Shape>>;

/** What `forward` needs from a batch. */
export interface BatchLike {
  readonly data: readonly NDArray[];
  readonly label?: readonly NDArray[] | null;
  readonly pad?: number;
}

/** What `fit`, `score` and `predict` need from a data iterator (NDArrayIter has it). */
export interface DataIterLike {
  readonly provideData: readonly DataDesc[];
  readonly provideLabel: readonly DataDesc[];
  reset(): void;
  next(): DataBatch | null;
}

/** Options of the `Module` constructor (MXNet's `symbol`, `data_names`, `label_names`, `context`, `logger`). */
export interface ModuleOptions {
  symbol: Symbol;
  dataNames?: readonly string[];
  labelNames?: readonly string[];
  context?: Context;
  /** Parameters that are not updated (no gradient is computed for them). */
  fixedParamNames?: readonly string[];
  logger?: Logger;
}

/** Options of `Module.bind`. */
export interface BindOptions {
  forTraining?: boolean;
  inputsNeedGrad?: boolean;
  forceRebind?: boolean;
  gradReq?: GradReq;
}

/** Options of `Module.initParams`: the initializer and any given parameters. */
export interface InitParamsOptions {
  initializer?: Initializer | null;
  argParams?: Readonly<Record<string, NDArray>> | null;
  auxParams?: Readonly<Record<string, NDArray>> | null;
  allowMissing?: boolean;
  forceInit?: boolean;
  allowExtra?: boolean;
}

/** Options of `Module.initOptimizer`: an optimizer or its name, and its parameters. */
export interface InitOptimizerOptions {
  optimizer?: string | Optimizer;
  /** MXNet snake_case or camelCase (`{learning_rate: 0.1}`); rescale_grad defaults to 1/batch. */
  optimizerParams?: Readonly<Record<string, unknown>>;
  forceInit?: boolean;
}

/** Options of `Module.fit` (MXNet's `fit` keywords in camelCase). `numEpoch` is required. */
export interface FitOptions extends InitOptimizerOptions {
  numEpoch: number;
  beginEpoch?: number;
  evalData?: DataIterLike | null;
  evalMetric?: MetricSpec;
  validationMetric?: MetricSpec | null;
  initializer?: Initializer;
  argParams?: Readonly<Record<string, NDArray>> | null;
  auxParams?: Readonly<Record<string, NDArray>> | null;
  allowMissing?: boolean;
  forceRebind?: boolean;
  batchEndCallback?: BatchEndCallback | readonly BatchEndCallback[];
  epochEndCallback?: EpochEndCallback | readonly EpochEndCallback[];
  evalBatchEndCallback?: BatchEndCallback | readonly BatchEndCallback[];
  logger?: Logger;
  /**
   * Progress while an epoch runs (default on): a one-line bar redrawn with `\r` on a terminal
   * with the console logger, else Speedometer-style lines through the logger (silentLogger
   * silences them). `false` turns it off.
   */
  progress?: boolean | ProgressOptions;
  /** Statistics of outputs, weights and gradients, printed through the logger every `interval` batches (MXNet's `monitor=`). */
  monitor?: Monitor | null;
}

/** One epoch of `fit`: metric values by name, and seconds spent training (not evaluating). */
export interface EpochRecord {
  readonly epoch: number;
  readonly train: Readonly<Record<string, number>>;
  readonly eval: Readonly<Record<string, number>> | null;
  readonly time: number;
}
