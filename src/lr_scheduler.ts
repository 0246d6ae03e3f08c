/**
 * Learning-rate schedules (MXNet `python/mxnet/lr_scheduler.py`). A scheduler maps the number of
 * updates so far to a learning rate; the optimizer calls it before each update and sets its
 * `baseLr` from the optimizer's learning rate.
 */
import { ValueError } from './base/errors';

/** How the rate rises during warm-up: linearly from `warmupBeginLr`, or held at it. */
export type WarmupMode = 'linear' | 'constant';

/** Options shared by the schedulers: the base rate and the warm-up. */
export interface LRSchedulerOptions {
  baseLr?: number;
  warmupSteps?: number;
  warmupBeginLr?: number;
  warmupMode?: WarmupMode;
}

/**
 * The base of learning-rate schedules (MXNet's `mx.lr_scheduler.LRScheduler`): called with the
 * number of updates so far, it returns the learning rate.
 *
 * @example
 * ```ts
 * // Halve the rate every 240 updates.
 * const lr_scheduler = new mx.lr_scheduler.FactorScheduler({ step: 240, factor: 0.5 });
 * mod.fit(train, { numEpoch: 100, optimizerParams: { learning_rate: 0.05, lr_scheduler } });
 * ```
 */
export abstract class LRScheduler {
  baseLr: number;
  readonly warmupSteps: number;
  readonly warmupBeginLr: number;
  readonly warmupFinalLr: number;
  readonly warmupMode: WarmupMode;

  constructor(options: LRSchedulerOptions = {}, op = 'LRScheduler') {
    this.baseLr = options.baseLr ?? 0.01;
    this.warmupSteps = options.warmupSteps ?? 0;
    this.warmupBeginLr = options.warmupBeginLr ?? 0;
    this.warmupFinalLr = this.baseLr;
    this.warmupMode = options.warmupMode ?? 'linear';
    if (this.warmupBeginLr > this.baseLr) throw new ValueError({ op, argument: 'warmupBeginLr' }, `${this.warmupBeginLr} is above the base learning rate ${this.baseLr}`);
    if (!Number.isInteger(this.warmupSteps) || this.warmupSteps < 0) throw new ValueError({ op, argument: 'warmupSteps' }, `must be a non-negative integer, got ${this.warmupSteps}`);
    if (this.warmupMode !== 'linear' && this.warmupMode !== 'constant') throw new ValueError({ op, argument: 'warmupMode' }, `must be 'linear' or 'constant', got ${String(this.warmupMode)}`);
  }

  /** The learning rate for update number `numUpdate`. */
  abstract lr(numUpdate: number): number;

  protected warmupLr(numUpdate: number): number {
    if (this.warmupMode === 'constant') return this.warmupBeginLr;
    return this.warmupBeginLr + ((this.warmupFinalLr - this.warmupBeginLr) * numUpdate) / this.warmupSteps;
  }
}

function checkFactor(factor: number, op: string): number {
  if (!(factor <= 1) || !(factor > 0)) throw new ValueError({ op, argument: 'factor' }, `must be in (0, 1] so that the rate decreases, got ${factor}`);
  return factor;
}

/**
 * lr = baseLr · factor^floor((numUpdate - 1) / step), never below `stopFactorLr`.
 *
 * @example
 * ```ts
 * const schedule = new mx.lr_scheduler.FactorScheduler({ step: 100, factor: 0.5, baseLr: 0.1 });
 * schedule.lr(250); // 0.1 * 0.5^2 = 0.025
 * ```
 */
export class FactorScheduler extends LRScheduler {
  readonly step: number;
  readonly factor: number;
  readonly stopFactorLr: number;
  private count = 0;

  constructor(options: LRSchedulerOptions & { step: number; factor?: number; stopFactorLr?: number }) {
    super(options, 'FactorScheduler');
    if (!(options.step >= 1)) throw new ValueError({ op: 'FactorScheduler', argument: 'step' }, `must be at least 1 update, got ${options.step}`);
    this.step = options.step;
    this.factor = checkFactor(options.factor ?? 1, 'FactorScheduler');
    this.stopFactorLr = options.stopFactorLr ?? 1e-8;
  }

  lr(numUpdate: number): number {
    if (numUpdate < this.warmupSteps) return this.warmupLr(numUpdate);
    while (numUpdate > this.count + this.step) {
      this.count += this.step;
      this.baseLr = Math.max(this.baseLr * this.factor, this.stopFactorLr);
    }
    return this.baseLr;
  }
}

/** Multiplies the rate by `factor` each time numUpdate passes one of the increasing `step` values. */
export class MultiFactorScheduler extends LRScheduler {
  readonly step: readonly number[];
  readonly factor: number;
  private stepIndex = 0;

  constructor(options: LRSchedulerOptions & { step: readonly number[]; factor?: number }) {
    super(options, 'MultiFactorScheduler');
    const step = options.step;
    if (!Array.isArray(step) || step.length === 0) throw new ValueError({ op: 'MultiFactorScheduler', argument: 'step' }, 'must be a non-empty list of update counts');
    step.forEach((s, i) => {
      if (!(s >= 1)) throw new ValueError({ op: 'MultiFactorScheduler', argument: 'step' }, `values must be at least 1, got ${s}`);
      if (i > 0 && s <= step[i - 1]!) throw new ValueError({ op: 'MultiFactorScheduler', argument: 'step' }, `must be increasing, got ${step.join(', ')}`);
    });
    this.step = Object.freeze(step.slice());
    this.factor = checkFactor(options.factor ?? 1, 'MultiFactorScheduler');
  }

  lr(numUpdate: number): number {
    if (numUpdate < this.warmupSteps) return this.warmupLr(numUpdate);
    while (this.stepIndex < this.step.length && numUpdate > this.step[this.stepIndex]!) {
      this.stepIndex += 1;
      this.baseLr *= this.factor;
    }
    return this.baseLr;
  }
}
