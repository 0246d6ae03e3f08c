/** The image transform op family (MXNet `src/operator/image/`), in one list for `ops/all.ts`. */
import type { AnyOpDef } from '../types';
import { colorOps } from './color';
import { imageCropOp } from './crop';
import { flipOps } from './flip';
import { lightingOps } from './lighting';
import { imageResizeOp } from './resize';
import { imageNormalizeOp, imageToTensorOp } from './tensor';

export const imageOps: readonly AnyOpDef[] = [
  imageToTensorOp, imageNormalizeOp,
  ...flipOps,
  ...colorOps,
  ...lightingOps,
  imageCropOp, imageResizeOp,
];
