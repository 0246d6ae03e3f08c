/** Adaptive-rate optimizers: Adam, RMSProp (plain and centered), AdaGrad (MXNet 1.x formulas). */
import { ValueError } from '../base/errors';
import type { NDArray } from '../ndarray/ndarray';
import { Optimizer, OptimizerOptions, OptimizerState, ParamIndex, zerosLike } from './optimizer';

function inUnit(op: string, argument: string, v: number): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new ValueError({ op, argument }, `must be in [0, 1), got ${String(v)}`);
  return v;
}

function positive(op: string, argument: string, v: number): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new ValueError({ op, argument }, `must be a positive number, got ${String(v)}`);
  return v;
}

/**
 * Adam (lr default 0.001). At step t: lr_t = lr·sqrt(1 - beta2^t)/(1 - beta1^t);
 * g = clip(rescaleGrad·grad + wd·w) (decay before clipping, as `adam_update`);
 * m = beta1·m + (1-beta1)·g; v = beta2·v + (1-beta2)·g²; w = w - lr_t·m/(sqrt(v) + epsilon).
 */
export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: OptimizerOptions & { beta1?: number; beta2?: number; epsilon?: number } = {}) {
    super(options, 0.001);
    this.beta1 = inUnit('Adam', 'beta1', options.beta1 ?? 0.9);
    this.beta2 = inUnit('Adam', 'beta2', options.beta2 ?? 0.999);
    this.epsilon = positive('Adam', 'epsilon', options.epsilon ?? 1e-8);
  }

  createState(_index: ParamIndex, weight: NDArray): OptimizerState {
    return [zerosLike(weight), zerosLike(weight)];
  }

  protected step(w: Float32Array, grad: Float32Array, state: OptimizerState, lr: number, wd: number, t: number): void {
    const [mean, variance] = state as [Float32Array, Float32Array];
    const lrT = (lr * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    const c = this.clipGradient;
    for (let i = 0; i < w.length; i++) {
      let g = this.rescaleGrad * grad[i]! + wd * w[i]!;
      if (c) g = Math.min(Math.max(g, -c), c);
      mean[i] = this.beta1 * mean[i]! + (1 - this.beta1) * g;
      variance[i] = this.beta2 * variance[i]! + (1 - this.beta2) * g * g;
      w[i] = w[i]! - (lrT * mean[i]!) / (Math.sqrt(variance[i]!) + this.epsilon);
    }
  }
}

/**
 * RMSProp (lr default 0.001), g = clip(rescaleGrad·grad + wd·w):
 * - plain:    n = (1-gamma1)·g² + gamma1·n; w = w - lr·g/sqrt(n + epsilon)
 * - centered: also s = (1-gamma1)·g + gamma1·s; delta = gamma2·delta - lr·g/sqrt(n - s² + epsilon);
 *   w = w + delta.
 * `clipWeights` clips the new weight to [-c, c].
 */
export class RMSProp extends Optimizer {
  readonly gamma1: number;
  readonly gamma2: number;
  readonly epsilon: number;
  readonly centered: boolean;
  readonly clipWeights: number | null;

  constructor(options: OptimizerOptions & { gamma1?: number; gamma2?: number; epsilon?: number; centered?: boolean; clipWeights?: number | null } = {}) {
    super(options, 0.001);
    this.gamma1 = inUnit('RMSProp', 'gamma1', options.gamma1 ?? 0.9);
    this.gamma2 = inUnit('RMSProp', 'gamma2', options.gamma2 ?? 0.9);
    this.epsilon = positive('RMSProp', 'epsilon', options.epsilon ?? 1e-8);
    this.centered = options.centered ?? false;
    this.clipWeights = options.clipWeights ?? null;
  }

  createState(_index: ParamIndex, weight: NDArray): OptimizerState {
    return this.centered ? [zerosLike(weight), zerosLike(weight), zerosLike(weight)] : [zerosLike(weight)];
  }

  protected step(w: Float32Array, grad: Float32Array, state: OptimizerState, lr: number, wd: number): void {
    const [n, s, delta] = state;
    const c = this.clipGradient;
    const cw = this.clipWeights;
    const g1 = this.gamma1;
    for (let i = 0; i < w.length; i++) {
      let g = this.rescaleGrad * grad[i]! + wd * w[i]!;
      if (c) g = Math.min(Math.max(g, -c), c);
      n![i] = (1 - g1) * g * g + g1 * n![i]!;
      let next: number;
      if (this.centered) {
        s![i] = (1 - g1) * g + g1 * s![i]!;
        delta![i] = this.gamma2 * delta![i]! - (lr * g) / Math.sqrt(n![i]! - s![i]! * s![i]! + this.epsilon);
        next = w[i]! + delta![i]!;
      } else {
        next = w[i]! - (lr * g) / Math.sqrt(n![i]! + this.epsilon);
      }
      w[i] = cw ? Math.min(Math.max(next, -cw), cw) : next;
    }
  }
}

/**
 * AdaGrad (MXNet 1.x dense path), g = rescaleGrad·grad, clipped when clipGradient is not null:
 * h = h + g²; w = w - lr·(g/sqrt(h + eps) + wd·w). Decay stays out of the history.
 */
export class AdaGrad extends Optimizer {
  readonly eps: number;

  constructor(options: OptimizerOptions & { eps?: number } = {}) {
    super(options);
    this.eps = positive('AdaGrad', 'eps', options.eps ?? 1e-7);
  }

  createState(_index: ParamIndex, weight: NDArray): OptimizerState {
    return [zerosLike(weight)];
  }

  protected step(w: Float32Array, grad: Float32Array, state: OptimizerState, lr: number, wd: number): void {
    const history = state[0]!;
    const c = this.clipGradient;
    for (let i = 0; i < w.length; i++) {
      let g = this.rescaleGrad * grad[i]!;
      if (c !== null) g = Math.min(Math.max(g, -c), c);
      history[i] = history[i]! + g * g;
      w[i] = w[i]! - lr * (g / Math.sqrt(history[i]! + this.eps) + wd * w[i]!);
    }
  }
}
