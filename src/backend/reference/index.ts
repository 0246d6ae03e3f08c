/**
 * The reference backend: every kernel as plain TypeScript loops over typed arrays. It is the
 * executable specification the other backends are tested against, and it runs everywhere.
 * A new kernel family is a file beside this one, joined into the table below.
 */
import { joinKernels } from '../kernel_table';
import { elementwiseKernels } from './elementwise';
import { unaryMathKernels } from './unary_math';

export const referenceKernels = joinKernels(
  elementwiseKernels,
  unaryMathKernels,
);

/** The kernel table every backend provides: the reference backend's, kernel for kernel. */
export type Kernels = typeof referenceKernels;
