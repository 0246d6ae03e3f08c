/**
 * W2's model for mxts, shared by the timing and the memory runs: a 784-512-256-10 MLP (relu,
 * SoftmaxOutput) bound for training on a batch of 128, and one step of forward, backward and an
 * SGD update through mxts's own optimizer (lr 0.01 on the batch-mean gradient). Built by
 * `workloads.ts` (which `ab_trees.ts` shares) from this tree's mxts.
 */
import * as mx from '../src/index';
import { W2_BATCH, W2_LR, W2_SIZES, w2Mlp } from './workloads';

export const BATCH = W2_BATCH;
export const SIZES = W2_SIZES;
export const LR = W2_LR;

export interface W2Model {
  readonly exec: mx.Executor;
  /** One training step: forward, backward, update of every weight and bias in place. */
  readonly step: () => void;
}

export function w2Model(seed = 2): W2Model {
  const { exec, run } = w2Mlp(mx, seed);
  return { exec, step: run };
}
