/** The random sampling family (MXNet `src/operator/random/`), in registration order. */
import type { AnyOpDef } from '../types';
import { multiSampleOps } from './multisample_op';
import { sampleMultinomialOp } from './sample_multinomial';
import { randomLikeOps, randomOps } from './sample_op';
import { shuffleOp } from './shuffle';
import { sampleUniqueZipfianOp } from './unique_sample';

export const randomSamplingOps: readonly AnyOpDef[] = [
  ...randomOps,
  ...randomLikeOps,
  ...multiSampleOps,
  sampleMultinomialOp,
  shuffleOp,
  sampleUniqueZipfianOp,
];
