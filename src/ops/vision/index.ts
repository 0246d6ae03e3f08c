/** The spatial-transformer and contrib vision op family, in one list for `ops/all.ts`. */
import type { AnyOpDef } from '../types';
import { bilinearSamplerOp, spatialTransformerOp } from './bilinear_sampler';
import { correlationOp } from './correlation';
import { deformableConvolutionOp } from './deformable_convolution';
import { gridGeneratorOp } from './grid_generator';
import { col2imOp, im2colOp } from './im2col';
import { deformablePsroiPoolingOp, psroiPoolingOp } from './psroi_pooling';
import { rroiAlignOp } from './rroi_align';

export const visionOps: readonly AnyOpDef[] = [
  gridGeneratorOp, bilinearSamplerOp, spatialTransformerOp,
  correlationOp, im2colOp, col2imOp,
  psroiPoolingOp, deformablePsroiPoolingOp, deformableConvolutionOp, rroiAlignOp,
];
