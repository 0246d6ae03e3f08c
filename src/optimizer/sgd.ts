/** SGD and NAG (MXNet `sgd_update`, `sgd_mom_update`, `nag_mom_update`). */
import { ValueError } from '../base/errors';
import { currentBackend } from '../backend/select';
import type { NDArray } from '../ndarray/ndarray';
import { Optimizer, OptimizerOptions, OptimizerState, ParamIndex, zerosLike } from './optimizer';

function checkMomentum(op: string, momentum: number): number {
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum < 1)) throw new ValueError({ op, argument: 'momentum' }, `must be in [0, 1), got ${String(momentum)}`);
  return momentum;
}

/**
 * With g = clip(rescaleGrad · grad):
 * - no momentum: w = (1 - lr·wd)·w - lr·g
 * - momentum:    mom = momentum·mom - lr·wd·w - lr·g; w = w + mom
 */
export class SGD extends Optimizer {
  readonly momentum: number;

  constructor(options: OptimizerOptions & { momentum?: number } = {}) {
    super(options);
    this.momentum = checkMomentum('SGD', options.momentum ?? 0);
  }

  createState(_index: ParamIndex, weight: NDArray): OptimizerState {
    return this.momentum !== 0 ? [zerosLike(weight)] : [];
  }

  protected step(w: Float32Array, grad: Float32Array, state: OptimizerState, lr: number, wd: number): void {
    const mom = state[0];
    if (!this.clipGradient) {
      // Without clipping both rules are sums of scaled arrays: whole-array float32 kernels.
      const g = -lr * this.rescaleGrad;
      const { axpby } = currentBackend().kernels;
      if (mom && this.momentum > 0) {
        axpby(-lr * wd, w, this.momentum, mom);
        axpby(g, grad, 1, mom);
        axpby(1, mom, 1, w);
      } else {
        axpby(g, grad, 1 - lr * wd, w);
      }
      return;
    }
    if (mom && this.momentum > 0) {
      for (let i = 0; i < w.length; i++) {
        mom[i] = this.momentum * mom[i]! - lr * wd * w[i]! - lr * this.rescaled(grad[i]!);
        w[i]! += mom[i]!;
      }
    } else {
      for (let i = 0; i < w.length; i++) w[i] = (1 - lr * wd) * w[i]! - lr * this.rescaled(grad[i]!);
    }
  }
}

/**
 * Nesterov momentum as MXNet's `nag_mom_update` (1.6+), with d = lr·(clip(rescaleGrad·grad) + wd·w):
 * m = momentum·mom; w = w - m + (1 + momentum)·(m - d); mom = m - d.
 * The momentum is in weight units (lr folded in), so a changing rate differs from the older
 * Python NAG, which kept lr outside. Without momentum, plain SGD.
 */
export class NAG extends SGD {
  constructor(options: OptimizerOptions & { momentum?: number } = {}) {
    super(options);
  }

  protected override step(w: Float32Array, grad: Float32Array, state: OptimizerState, lr: number, wd: number): void {
    const mom = state[0];
    if (!mom || this.momentum === 0) {
      super.step(w, grad, state, lr, wd);
      return;
    }
    const mu = this.momentum;
    for (let i = 0; i < w.length; i++) {
      const m = mu * mom[i]!;
      const d = lr * (this.rescaled(grad[i]!) + wd * w[i]!);
      w[i] = w[i]! - m + (mu + 1) * (m - d);
      mom[i] = m - d;
    }
  }
}
