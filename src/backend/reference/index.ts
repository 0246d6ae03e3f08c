/**
 * The reference backend: every kernel as plain TypeScript loops over typed arrays. It is the
 * executable specification the other backends are tested against, and it runs everywhere.
 * A new kernel family is a file beside this one, joined into the table below.
 */
import { joinKernels } from '../kernel_table';
import { elementwiseKernels } from './elementwise';
import { gemmKernels } from './gemm';
import { im2colKernels } from './im2col';
import { level1Kernels } from './level1';
import { poolingKernels } from './pooling';
import { softmaxKernels } from './softmax';
import { unaryMathKernels } from './unary_math';
// imports: shape, indexing and creation ops
import { shapeKernels } from './shape_kernels';
// imports: spatial and detection ops
import { spatialResizeKernels } from './spatial_resize';
import { spatialRoiKernels } from './spatial_roi';
import { detectionKernels } from './detection';
import { detectionMultiboxKernels } from './detection_multibox';
import { detectionProposalKernels } from './detection_proposal';
// imports: element-wise math and logic
import { binaryMathKernels } from './binary_math';
import { scalarMathKernels } from './scalar_math';
// imports: indexing, ordering and reductions
import { orderingGatherKernels } from './ordering_gather';
import { orderingMatrixKernels } from './ordering_matrix';
import { orderingReduceKernels } from './ordering_reduce';
import { orderingSortKernels } from './ordering_sort';
// imports: normalization, sequence and loss layers
import { layersCtcKernels } from './layers_ctc';
import { layersLossKernels } from './layers_loss';
import { layersNormKernels } from './layers_norm';
import { layersSequenceKernels } from './layers_sequence';

export const referenceKernels = joinKernels(
  elementwiseKernels,
  gemmKernels,
  im2colKernels,
  level1Kernels,
  poolingKernels,
  softmaxKernels,
  unaryMathKernels,
  // kernels: shape, indexing and creation ops
  shapeKernels,
  // kernels: spatial and detection ops
  spatialResizeKernels,
  spatialRoiKernels,
  detectionKernels,
  detectionMultiboxKernels,
  detectionProposalKernels,
  // kernels: element-wise math and logic
  binaryMathKernels,
  scalarMathKernels,
  // kernels: indexing, ordering and reductions
  orderingSortKernels,
  orderingGatherKernels,
  orderingReduceKernels,
  orderingMatrixKernels,
  // kernels: normalization, sequence and loss layers
  layersNormKernels,
  layersSequenceKernels,
  layersLossKernels,
  layersCtcKernels,
);

/** The kernel table every backend provides: the reference backend's, kernel for kernel. */
export type Kernels = typeof referenceKernels;
