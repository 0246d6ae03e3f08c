/** The shape, indexing and creation family, in one list for `ops/all.ts`. */
import type { AnyOpDef } from '../types';
import { broadcastOps } from './broadcast_to';
import { cropOp } from './crop';
import { depthToSpaceOp, spaceToDepthOp } from './depth_space';
import { copyOp, identityWithAttrLikeRhsOp, shapeArrayOp, sizeArrayOp } from './identity';
import { initOps } from './init';
import { padOp } from './pad';
import { ravelMultiIndexOp, unravelIndexOp } from './ravel';
import { reverseOp, swapAxisOp } from './reverse_swapaxis';
import { sliceAssignOp, sliceAssignScalarOp, sliceLikeOp, sliceOp } from './slice';
import { reshapeLikeOp, squeezeOp } from './squeeze';
import { splitV2Op } from './split_v2';
import { stackOp } from './stack';
import { repeatOp, tileOp } from './tile_repeat';
import { whereOp } from './where';

export const shapeFamilyOps: readonly AnyOpDef[] = [
  ...initOps,
  squeezeOp,
  reshapeLikeOp,
  whereOp,
  sliceOp,
  sliceLikeOp,
  sliceAssignOp,
  sliceAssignScalarOp,
  tileOp,
  repeatOp,
  reverseOp,
  swapAxisOp,
  stackOp,
  ...broadcastOps,
  copyOp,
  identityWithAttrLikeRhsOp,
  shapeArrayOp,
  sizeArrayOp,
  padOp,
  cropOp,
  depthToSpaceOp,
  spaceToDepthOp,
  splitV2Op,
  ravelMultiIndexOp,
  unravelIndexOp,
];
