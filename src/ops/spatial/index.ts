/** The spatial and detection op family, in one list for `ops/all.ts`. */
import type { AnyOpDef } from '../types';
import { adaptiveAvgPooling2DOp, bilinearResize2DOp } from './bilinear_resize';
import { bipartiteMatchingOp, boxDecodeOp, boxEncodeOp, boxIouOp } from './bounding_box';
import { boxNmsOp } from './box_nms';
import { multiBoxDetectionOp, multiBoxTargetOp } from './multibox';
import { multiBoxPriorOp } from './multibox_prior';
import { proposalOps } from './proposal';
import { roiAlignOp, roiPoolingOp } from './roi';
import { upSamplingOp } from './upsampling';

export const spatialOps: readonly AnyOpDef[] = [
  upSamplingOp, bilinearResize2DOp, adaptiveAvgPooling2DOp,
  roiPoolingOp, roiAlignOp,
  boxNmsOp, boxIouOp, bipartiteMatchingOp, boxEncodeOp, boxDecodeOp,
  multiBoxPriorOp, multiBoxTargetOp, multiBoxDetectionOp,
  ...proposalOps,
];
