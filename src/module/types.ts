/** The option and data types of Module (MXNet `module.py`, `base_module.py`). */
import type { Context } from '../base/context';
import type { Shape } from '../base/shape';
import type { BatchEndCallback, EpochEndCallback, Logger } from '../callback';
import type { GradReq } from '../executor/bind';
import type { Initializer } from '../initializer/index';
import type { DataBatch, DataDesc } from '../io/index';
import type { MetricSpec } from '../metric/index';
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

export interface ModuleOptions {
  symbol: Symbol;
  dataNames?: readonly string[];
  labelNames?: readonly string[];
  context?: Context;
  /** Parameters that are not updated (no gradient is computed for them). */
  fixedParamNames?: readonly string[];
  logger?: Logger;
}

export interface BindOptions {
  forTraining?: boolean;
  inputsNeedGrad?: boolean;
  forceRebind?: boolean;
  gradReq?: GradReq;
}

export interface InitParamsOptions {
  initializer?: Initializer | null;
  argParams?: Readonly<Record<string, NDArray>> | null;
  auxParams?: Readonly<Record<string, NDArray>> | null;
  allowMissing?: boolean;
  forceInit?: boolean;
  allowExtra?: boolean;
}

export interface InitOptimizerOptions {
  optimizer?: string | Optimizer;
  /** MXNet snake_case or camelCase (`{learning_rate: 0.1}`); rescale_grad defaults to 1/batch. */
  optimizerParams?: Readonly<Record<string, unknown>>;
  forceInit?: boolean;
}

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
}

/** One epoch of `fit`: metric values by name, and seconds spent training (not evaluating). */
export interface EpochRecord {
  readonly epoch: number;
  readonly train: Readonly<Record<string, number>>;
  readonly eval: Readonly<Record<string, number>> | null;
  readonly time: number;
}
