/**
 * Optimizer base (MXNet `python/mxnet/optimizer/optimizer.py`, 1.x): learning rate (or a
 * scheduler), weight decay, gradient rescaling and clipping, per-parameter lr/wd multipliers and
 * update counts. Subclasses update a weight in place from its gradient and their state arrays,
 * with the formulas of MXNet's C++ update ops (`src/operator/optimizer_op-inl.h`).
 */
import { ValueError } from '../base/errors';
import { nameRecord, ownValue } from '../base/records';
import type { LRScheduler } from '../lr_scheduler';
import { NDArray } from '../ndarray/ndarray';
import type { Symbol } from '../symbol/symbol';
import { shapesEqual, shapeToString } from '../base/shape';

/** Options every optimizer takes, in camelCase; `mx.optimizer.create` and `optimizerParams` also accept MXNet's snake_case (`learning_rate`, `rescale_grad`, ...). */
export interface OptimizerOptions {
  /** Default 0.01 (0.001 for Adam and RMSProp). */
  learningRate?: number;
  wd?: number;
  /** Multiplies every gradient first; Module sets it to 1/batchSize. */
  rescaleGrad?: number;
  /** Clip the rescaled gradient to [-c, c]; null (or 0, as MXNet's truthiness test) for none. */
  clipGradient?: number | null;
  lrScheduler?: LRScheduler | null;
  beginNumUpdate?: number;
  /** Parameter names: numeric indices map to them, and those not ending in `_weight` or `_gamma` get wd_mult 0. */
  paramIdx2Name?: readonly string[] | Readonly<Record<number, string>>;
  /** A symbol whose variables' `__lr_mult__` / `__wd_mult__` attributes set the multipliers. */
  sym?: Symbol | null;
}

/** A parameter key: its name, or an index into `paramIdx2Name`. */
export type ParamIndex = string | number;
/** An optimizer's per-parameter state: zero or more arrays shaped like the weight. */
export type OptimizerState = Float32Array[];

/**
 * The base of optimizers (MXNet's `mx.optimizer.Optimizer`): per-parameter state, learning-rate
 * and weight-decay multipliers, gradient rescaling and clipping, and an optional scheduler.
 *
 * @example
 * ```ts
 * const sgd = mx.optimizer.create('sgd', { learning_rate: 0.1, momentum: 0.9, wd: 1e-4 });
 * mod.initOptimizer({ optimizer: sgd });
 * ```
 */
export abstract class Optimizer {
  rescaleGrad: number;
  wd: number;
  clipGradient: number | null;
  readonly lrScheduler: LRScheduler | null;
  readonly beginNumUpdate: number;
  numUpdate: number;
  readonly idx2name: Readonly<Record<string, string>>;
  lrMult: Record<string, number> = nameRecord();
  wdMult: Record<string, number> = nameRecord();
  private lrValue: number;
  private readonly updateCounts = new Map<string, number>();
  private readonly symAttrs: Record<string, Record<string, string>>;

  constructor(options: OptimizerOptions = {}, defaultLr = 0.01) {
    const op = this.constructor.name;
    const finite = (name: string, v: number) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError({ op, argument: name }, `must be a finite number, got ${String(v)}`);
      return v;
    };
    this.lrValue = finite('learningRate', options.learningRate ?? defaultLr);
    this.wd = finite('wd', options.wd ?? 0);
    this.rescaleGrad = finite('rescaleGrad', options.rescaleGrad ?? 1);
    this.clipGradient = options.clipGradient ?? null;
    if (this.clipGradient !== null) finite('clipGradient', this.clipGradient);
    this.lrScheduler = options.lrScheduler ?? null;
    if (this.lrScheduler) this.lrScheduler.baseLr = this.lrValue;
    this.beginNumUpdate = options.beginNumUpdate ?? 0;
    this.numUpdate = this.beginNumUpdate;
    const names = options.paramIdx2Name ?? {};
    this.idx2name = Object.freeze(nameRecord(Array.isArray(names) ? names.map((n, i): [string, string] => [String(i), n]) : Object.entries(names)));
    this.symAttrs = nameRecord();
    if (options.sym) {
      const attrs = options.sym.attrDict();
      for (const name of options.sym.listArguments()) {
        const own = ownValue(attrs, name);
        if (own) this.symAttrs[name] = own;
      }
    }
    this.setLrMult({});
    this.setWdMult({});
  }

  get learningRate(): number {
    return this.lrScheduler ? this.lrScheduler.lr(this.numUpdate) : this.lrValue;
  }

  set learningRate(lr: number) {
    if (this.lrScheduler) throw new ValueError({ op: this.constructor.name, argument: 'learningRate' }, 'cannot be set: the optimizer has an lrScheduler, which sets the rate');
    this.lrValue = lr;
  }

  /** Multipliers from `__lr_mult__` attributes, then these (by parameter name). */
  setLrMult(mults: Readonly<Record<string, number>>): void {
    this.lrMult = nameRecord();
    for (const [name, attrs] of Object.entries(this.symAttrs)) if (attrs['__lr_mult__'] !== undefined) this.lrMult[name] = Number(attrs['__lr_mult__']);
    Object.assign(this.lrMult, mults);
  }

  /** 0 for known parameters not ending in `_weight`/`_gamma` (biases), `__wd_mult__` attributes, then these. */
  setWdMult(mults: Readonly<Record<string, number>>): void {
    this.wdMult = nameRecord();
    for (const name of Object.values(this.idx2name)) if (!(name.endsWith('_weight') || name.endsWith('_gamma'))) this.wdMult[name] = 0;
    for (const [name, attrs] of Object.entries(this.symAttrs)) if (attrs['__wd_mult__'] !== undefined) this.wdMult[name] = Number(attrs['__wd_mult__']);
    Object.assign(this.wdMult, mults);
  }

  /** The zero-filled state arrays for one parameter. */
  abstract createState(index: ParamIndex, weight: NDArray): OptimizerState;

  /** Updates `weight` in place from `grad` and `state` (which it also updates). */
  update(index: ParamIndex, weight: NDArray, grad: NDArray, state: OptimizerState): void {
    const op = this.constructor.name;
    if (!(weight instanceof NDArray) || !(grad instanceof NDArray)) throw new ValueError({ op, argument: 'weight' }, 'and grad must be NDArrays');
    if (!shapesEqual(weight.shape, grad.shape)) {
      throw new ValueError({ op, argument: `grad of ${this.nameOf(index)}`, expected: weight.shape, actual: grad.shape }, `has shape ${shapeToString(grad.shape)} but the weight has ${shapeToString(weight.shape)}`);
    }
    const count = this.countUpdate(index);
    this.step(weight.data, grad.data, state, this.lrFor(index), this.wdFor(index), count);
  }

  /** The update rule on flat buffers; `t` is this parameter's update count (1 on the first call). */
  protected abstract step(weight: Float32Array, grad: Float32Array, state: OptimizerState, lr: number, wd: number, t: number): void;

  /** MXNet `_update_count`. */
  private countUpdate(index: ParamIndex): number {
    const key = String(index);
    const count = (this.updateCounts.get(key) ?? this.beginNumUpdate) + 1;
    this.updateCounts.set(key, count);
    this.numUpdate = Math.max(count, this.numUpdate);
    return count;
  }

  private nameOf(index: ParamIndex): string {
    return this.idx2name[String(index)] ?? String(index);
  }

  private multiplier(table: Record<string, number>, index: ParamIndex): number {
    const key = String(index);
    if (key in table) return table[key]!;
    const name = this.idx2name[key];
    return name !== undefined && name in table ? table[name]! : 1;
  }

  protected lrFor(index: ParamIndex): number {
    return this.learningRate * this.multiplier(this.lrMult, index);
  }

  protected wdFor(index: ParamIndex): number {
    return this.wd * this.multiplier(this.wdMult, index);
  }

  /** `clip(rescaleGrad * g)` when clipping is on (MXNet passes clip_gradient only when truthy). */
  protected rescaled(g: number): number {
    const r = this.rescaleGrad * g;
    const c = this.clipGradient;
    return c ? Math.min(Math.max(r, -c), c) : r;
  }
}

/** MXNet's Updater: lazily creates each parameter's state and applies the optimizer. */
export class Updater {
  readonly states = new Map<string, OptimizerState>();

  constructor(readonly optimizer: Optimizer) {}

  /** MXNet's argument order: `updater(index, grad, weight)`. */
  call(index: ParamIndex, grad: NDArray, weight: NDArray): void {
    const key = String(index);
    let state = this.states.get(key);
    if (!state) {
      state = this.optimizer.createState(index, weight);
      this.states.set(key, state);
    }
    this.optimizer.update(index, weight, grad, state);
  }
}

/** An updater applying `optimizer` to (index, gradient, weight) triples, keeping its states (MXNet's `get_updater`). */
export function getUpdater(optimizer: Optimizer): Updater {
  return new Updater(optimizer);
}

export function zerosLike(weight: NDArray): Float32Array {
  return new Float32Array(weight.size);
}
