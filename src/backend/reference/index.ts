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
import { lossKernels } from './losses';
import { poolingKernels } from './pooling';
import { softmaxKernels } from './softmax';
import { unaryMathKernels } from './unary_math';
import { activationKernels } from './activations';
import { tensorOpKernels } from './tensor_ops';
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
// imports: random sampling
import { randomDistributionKernels } from './random_distributions';
import { randomDiscreteKernels } from './random_discrete';
import { randomPdfKernels } from './random_pdf';
// imports: linear algebra
import { linalgBlasKernels } from './linalg_blas';
import { linalgDetKernels } from './linalg_det';
import { linalgFactorKernels } from './linalg_factor';
import { linalgLayoutKernels } from './linalg_layout';
// imports: image transforms
import { imageColorKernels } from './image_color';
import { imageLayoutKernels } from './image_layout';
import { imageResizeKernels } from './image_resize';
// imports: recurrent layers
import { rnnCellKernels } from './rnn_cells';
// imports: spatial transformers and contrib vision
import { visionSamplingKernels } from './vision_sampling';
import { visionCorrelationKernels } from './vision_correlation';
import { visionIm2colKernels } from './vision_im2col';
import { visionRoiKernels } from './vision_roi';
import { visionRroiKernels } from './vision_rroi';
import { visionDeformableKernels } from './vision_deformable';
// imports: contrib misc and v1 layers
import { contribAttentionKernels } from './contrib_attention';
import { contribV1Kernels } from './contrib_v1';
import { contribSignalKernels } from './contrib_signal';
import { contribHawkesKernels } from './contrib_hawkes';
import { contribMaskKernels } from './contrib_mask';

export const referenceKernels = joinKernels(
  elementwiseKernels,
  gemmKernels,
  im2colKernels,
  level1Kernels,
  lossKernels,
  poolingKernels,
  softmaxKernels,
  unaryMathKernels,
  activationKernels,
  tensorOpKernels,
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
  // kernels: random sampling
  randomDistributionKernels,
  randomDiscreteKernels,
  randomPdfKernels,
  // kernels: linear algebra
  linalgBlasKernels,
  linalgFactorKernels,
  linalgDetKernels,
  linalgLayoutKernels,
  // kernels: image transforms
  imageLayoutKernels,
  imageColorKernels,
  imageResizeKernels,
  // kernels: recurrent layers
  rnnCellKernels,
  // kernels: spatial transformers and contrib vision
  visionSamplingKernels,
  visionCorrelationKernels,
  visionIm2colKernels,
  visionRoiKernels,
  visionRroiKernels,
  visionDeformableKernels,
  // kernels: contrib misc and v1 layers
  contribAttentionKernels,
  contribV1Kernels,
  contribSignalKernels,
  contribHawkesKernels,
  contribMaskKernels,
);

/** The kernel table every backend provides: the reference backend's, kernel for kernel. */
export type Kernels = typeof referenceKernels;
