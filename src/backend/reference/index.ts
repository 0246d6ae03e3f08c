/**
 * The reference backend: every kernel as plain TypeScript loops over typed arrays. It is the
 * executable specification the other backends are tested against, and it runs everywhere.
 * A new kernel family is a file beside this one, joined into the table below.
 */
import { joinKernels } from '../kernel_table';
import { elementwiseKernels } from './elementwise';
import { unaryMathKernels } from './unary_math';
// imports: shape, indexing and creation ops
// imports: spatial and detection ops
// imports: element-wise math and logic
import { binaryMathKernels } from './binary_math';
import { scalarMathKernels } from './scalar_math';
// imports: indexing, ordering and reductions
// imports: normalization, sequence and loss layers
import { layersCtcKernels } from './layers_ctc';
import { layersLossKernels } from './layers_loss';
import { layersNormKernels } from './layers_norm';
import { layersSequenceKernels } from './layers_sequence';

export const referenceKernels = joinKernels(
  elementwiseKernels,
  unaryMathKernels,
  // kernels: shape, indexing and creation ops
  // kernels: spatial and detection ops
  // kernels: element-wise math and logic
  binaryMathKernels,
  scalarMathKernels,
  // kernels: indexing, ordering and reductions
  // kernels: normalization, sequence and loss layers
  layersNormKernels,
  layersSequenceKernels,
  layersLossKernels,
  layersCtcKernels,
);

/** The kernel table every backend provides: the reference backend's, kernel for kernel. */
export type Kernels = typeof referenceKernels;
