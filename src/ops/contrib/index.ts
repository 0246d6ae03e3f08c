/** Contrib ops without a family of their own, and MXNet's legacy `_v1` layers. */
import type { AnyOpDef } from '../types';
import { batchNormV1Op } from './batch_norm_v1';
import { convolutionV1Op } from './convolution_v1';
import { countSketchOp } from './count_sketch';
import { fftOps } from './fft';
import { hawkesLLOp } from './hawkesll';
import { interleavedMatmulOps } from './interleaved_matmul';
import { mrcnnMaskTargetOp } from './mrcnn_mask_target';
import { poolingV1Op } from './pooling_v1';

export const contribMiscOps: readonly AnyOpDef[] = [
  ...interleavedMatmulOps,
  ...fftOps,
  countSketchOp,
  hawkesLLOp,
  mrcnnMaskTargetOp,
  batchNormV1Op,
  convolutionV1Op,
  poolingV1Op,
];
