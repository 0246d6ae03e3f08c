/**
 * `_contrib_mrcnn_mask_target` (MXNet `contrib/mrcnn_mask_target-inl.h`, `.cu`): Mask R-CNN training
 * targets. MXNet has only a GPU kernel; mxts computes the same on every backend. No gradient.
 */
import { ParamError } from '../../base/errors';
import { Shape, shapeToString } from '../../base/shape';
import type { MaskTargetDims } from '../../backend/reference/contrib_mask';
import { bool, int, intTuple, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { ShapeSite } from '../types';

const PARAMS = {
  num_rois: int({ doc: 'sampled RoIs per image (required; must equal rois.shape[1])', min: 1 }),
  num_classes: int({ doc: 'number of classes (required)', min: 1 }),
  mask_size: intTuple({ doc: 'pooled mask (h, w) (required)', min: 1 }),
  sample_ratio: int({ doc: 'bilinear samples per bin and axis; -1 adapts to the RoI size', default: 2 }),
  aligned: bool({ doc: "Detectron2's center-aligned RoIAlign (boxes shifted by -0.5, no 1-pixel minimum)", default: false }),
};
type Params = ParamsOf<typeof PARAMS>;

const INPUTS = ['rois', 'gt_masks', 'matches', 'cls_targets'] as const;

function checkShapes(p: Params, [rois, masks, matches, classes]: readonly Shape[], site: ShapeSite): void {
  if (rois!.length !== 3 || rois![2] !== 4) site.fail('rois', `must be (batch, rois, 4), got ${shapeToString(rois!)}`);
  const [batch, count] = [rois![0]!, rois![1]!];
  if (count !== p.num_rois) site.fail('rois', `shape[1] ${count} must equal num_rois = ${p.num_rois}`);
  if (masks!.length !== 4 || masks![0] !== batch) site.fail('gt_masks', `must be (batch = ${batch}, masks, height, width), got ${shapeToString(masks!)}`);
  for (const [name, shape] of [['matches', matches!], ['cls_targets', classes!]] as const) {
    if (shape.length !== 2 || shape[0] !== batch || shape[1] !== count) site.fail(name, `must be (batch, rois) = (${batch}, ${count}), got ${shapeToString(shape)}`);
  }
}

function dimsOf(p: Params, rois: Shape, masks: Shape): MaskTargetDims {
  return {
    batch: rois[0]!, rois: rois[1]!, masks: masks[1]!, height: masks[2]!, width: masks[3]!, classes: p.num_classes,
    maskH: p.mask_size[0]!, maskW: p.mask_size[1]!, sampleRatio: p.sample_ratio, aligned: p.aligned,
  };
}

export const mrcnnMaskTargetOp = defineOp({
  name: '_contrib_mrcnn_mask_target',
  doc: [
    'output0[b, n, c] = RoIAlign (mask_size bins, sample_ratio^2 bilinear samples averaged per bin) of gt_masks[b, matches[b, n]] over',
    'rois[b, n] = (x1, y1, x2, y2), the same for every class c; output1[b, n, c] = 1 where c == cls_targets[b, n], else 0 (over the mask).',
    'Without aligned, RoIs smaller than 1 pixel are enlarged to 1. Both outputs are (batch, num_rois, num_classes, h, w). No gradient.',
  ].join('\n'),
  params: PARAMS,
  inputs: () => INPUTS,
  outputs: () => ['output0', 'output1'],
  inferShape: (p, inputs, outputs, site) => {
    if (p.mask_size.length !== 2) throw new ParamError({ op: site.op, node: site.node, argument: 'mask_size' }, `must be (h, w), got (${p.mask_size.join(', ')})`);
    if (!inputs.every((s): s is Shape => s !== null)) return { inputs, outputs };
    checkShapes(p, inputs, site);
    const out = [inputs[0]![0]!, p.num_rois, p.num_classes, p.mask_size[0]!, p.mask_size[1]!];
    return { inputs, outputs: [out, out] };
  },
  forward: (p, [rois, masks, matches, classes], [outMasks, outClasses], req, ctx) => {
    ctx.kernels.mrcnnMaskTarget(rois!.data, masks!.data, matches!.data, classes!.data, dimsOf(p, rois!.shape, masks!.shape), outMasks!.data, req[0]!, outClasses!.data, req[1]!);
  },
});
