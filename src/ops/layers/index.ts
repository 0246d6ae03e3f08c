/** The normalization, sequence and loss layer ops, in one list for `ops/all.ts`. */
import type { AnyOpDef } from '../types';
import { contribElemwiseOps } from './contrib_elemwise';
import { ctcLossOp } from './ctc_loss';
import { identityAttachKlSparseRegOp } from './kl_sparse_reg';
import { l2NormalizationOp } from './l2_normalization';
import { lrnOp } from './lrn';
import { momentNormOps } from './moment_norms';
import { sequenceLastOp, sequenceMaskOp, sequenceReverseOp } from './sequence';
import { softmaxCrossEntropyOp } from './softmax_cross_entropy';
import { softminOp } from './softmin';
import { svmOutputOp } from './svm_output';

export const layerOps: readonly AnyOpDef[] = [
  ...momentNormOps,
  l2NormalizationOp,
  lrnOp,
  sequenceMaskOp,
  sequenceLastOp,
  sequenceReverseOp,
  softminOp,
  softmaxCrossEntropyOp,
  svmOutputOp,
  identityAttachKlSparseRegOp,
  ...contribElemwiseOps,
  ctcLossOp,
];
