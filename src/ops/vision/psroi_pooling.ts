/**
 * Position-sensitive ROI pooling from R-FCN: `_contrib_PSROIPooling` (MXNet
 * `contrib/psroi_pooling-inl.h`, average pooling of bin (i, j) from its own channel group) and
 * `_contrib_DeformablePSROIPooling` (`contrib/deformable_psroi_pooling-inl.h`, bins shifted by learned
 * per-part offsets `trans` and sampled bilinearly). rois is (R, 5): [batch_index, x1, y1, x2, y2].
 */
import type { DeformablePsroiGeometry, PsroiGeometry } from '../../backend/reference/vision_roi';
import { Shape, shapeToString } from '../../base/shape';
import { bool, float, int, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape, ShapeSite } from '../types';

const COMMON = {
  spatial_scale: float({ doc: 'ratio of the feature map to the image the rois are given in, e.g. 1/16', min: 0, max: 1 }),
  output_dim: int({ doc: 'output channels', min: 1 }),
  pooled_size: int({ doc: 'output bins per side', min: 1 }),
};
const PSROI_PARAMS = { ...COMMON, group_size: int({ doc: 'channel groups per side; 0 means pooled_size', default: 0, min: 0 }) };
const DEFORMABLE_PARAMS = {
  ...COMMON,
  group_size: int({ doc: 'channel groups per side', min: 1 }),
  part_size: int({ doc: 'offset parts per side; 0 means pooled_size', default: 0, min: 0 }),
  sample_per_part: int({ doc: 'bilinear samples per bin side', default: 1, min: 1 }),
  trans_std: float({ doc: 'scale of the offsets (fractions of the roi size)', default: 0, min: 0, max: 1 }),
  no_trans: bool({ doc: 'no offsets: drop the trans input', default: false }),
};
type PsroiParams = ParamsOf<typeof PSROI_PARAMS>;
type DeformableParams = ParamsOf<typeof DEFORMABLE_PARAMS>;

const psroiGeometry = (p: PsroiParams): PsroiGeometry => ({
  spatialScale: p.spatial_scale, outputDim: p.output_dim, pooledSize: p.pooled_size, groupSize: p.group_size === 0 ? p.pooled_size : p.group_size,
});

/** Checks data (N, output_dim * group^2, H, W), rois (R, 5) and spatial_scale > 0; fails naming the argument. */
function checkInputs(p: { spatial_scale: number; output_dim: number }, group: number, data: Shape, rois: Shape, site: ShapeSite): void {
  if (!(p.spatial_scale > 0)) site.fail('spatial_scale', `must be positive, got ${p.spatial_scale}`);
  if (data.length !== 4) site.fail('data', `shape ${shapeToString(data)} must be 4-d (batch, channel, height, width)`);
  if (data[1] !== p.output_dim * group * group) {
    site.fail('data', `has ${data[1]} channels, but output_dim x group_size^2 = ${p.output_dim} x ${group}^2 = ${p.output_dim * group * group}`);
  }
  if (rois.length !== 2 || rois[1] !== 5) site.fail('rois', `shape ${shapeToString(rois)} must be (num_rois, 5): [batch_index, x1, y1, x2, y2] per row`);
}

export const psroiPoolingOp = defineOp({
  name: '_contrib_PSROIPooling',
  doc: [
    'out[r, c, i, j] = mean of data[batch_r, (c*G + gi)*G + gj] over bin (i, j) of the roi, corners rounded then scaled',
    '(end + 1), at least 0.1 wide, bins [floor, ceil) clipped to the map (empty: 0), gi = floor(i*G/P). d data = g spread over the bin.',
  ].join('\n'),
  params: PSROI_PARAMS,
  inputs: () => ['data', 'rois'],
  outputs: () => ['output'],
  inferShape: (p, [data, rois]: readonly MaybeShape[], _outputs, site) => {
    if (!data || !rois) return { inputs: [data ?? null, rois ?? null], outputs: [null] };
    checkInputs(p, psroiGeometry(p).groupSize, data, rois, site);
    return { inputs: [data, rois], outputs: [[rois[0]!, p.output_dim, p.pooled_size, p.pooled_size]] };
  },
  forward: (p, [data, rois], [out], [req], ctx) => {
    ctx.kernels.psroiPool(data!.data, data!.shape, rois!.data, rois!.shape[0]!, psroiGeometry(p), out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i === 0,
    compute: (p, { inputs: [data, rois], outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.psroiPoolGrad(g!.data, data!.shape, rois!.data, rois!.shape[0]!, psroiGeometry(p), dx.data, req!);
    },
  },
});

function deformableGeometry(p: DeformableParams, trans: Shape | null): DeformablePsroiGeometry {
  return {
    spatialScale: p.spatial_scale, outputDim: p.output_dim, pooledSize: p.pooled_size, groupSize: p.group_size,
    partSize: p.part_size === 0 ? p.pooled_size : p.part_size, samplePerPart: p.sample_per_part, transStd: p.trans_std,
    numClasses: p.no_trans || !trans ? 1 : trans[1]! / 2, noTrans: p.no_trans,
  };
}

export const deformablePsroiPoolingOp = defineOp({
  name: '_contrib_DeformablePSROIPooling',
  doc: [
    'Bin (i, j) of roi r (corners rounded, scaled, shifted by -0.5) moves by trans[r, 2k:2k+2, part_i, part_j] * trans_std * roi size',
    '(k = c / (output_dim / classes)); out = mean of the bilinear samples (sample_per_part^2 per bin) that land in the map, read from',
    'channel (c*G + gi)*G + gj. Hidden top_count = samples used. d data: g / count over each sample\'s taps; d trans: the slope along x, y.',
  ].join('\n'),
  params: DEFORMABLE_PARAMS,
  inputs: (p) => (p.no_trans ? ['data', 'rois'] : ['data', 'rois', 'trans']),
  outputs: () => ['output', 'top_count'],
  numVisibleOutputs: () => 1,
  inferShape: (p, inputs: readonly MaybeShape[], _outputs, site) => {
    const [data, rois] = [inputs[0] ?? null, inputs[1] ?? null];
    const trans = p.no_trans ? null : inputs[2] ?? null;
    const rest = p.no_trans ? [] : [trans];
    if (!data || !rois) return { inputs: [data, rois, ...rest], outputs: [null, null] };
    checkInputs(p, p.group_size, data, rois, site);
    const part = deformableGeometry(p, null).partSize;
    if (trans) {
      const classes = trans[1]! / 2;
      const valid = trans.length === 4 && trans[0] === rois[0] && trans[1]! % 2 === 0 && classes > 0 && p.output_dim % classes === 0 && trans[2] === part && trans[3] === part;
      if (!valid) site.fail('trans', `shape ${shapeToString(trans)} must be (num_rois=${rois[0]}, 2 * classes, part_size=${part}, part_size=${part}) with classes dividing output_dim=${p.output_dim}`);
    }
    const out = [rois[0]!, p.output_dim, p.pooled_size, p.pooled_size];
    return { inputs: [data, rois, ...rest], outputs: [out, out] };
  },
  forward: (p, inputs, [out, topCount], [req], ctx) => {
    const [data, rois, trans] = [inputs[0]!, inputs[1]!, p.no_trans ? null : inputs[2]!];
    ctx.kernels.deformablePsroiPool(data.data, data.shape, rois.data, rois.shape[0]!, trans?.data ?? null, deformableGeometry(p, trans?.shape ?? null), out!.data, topCount!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i !== 1,
    compute: (p, { inputs, outputs: [, topCount], outGrads: [g] }, inGrads, req, ctx) => {
      const [data, rois, trans] = [inputs[0]!, inputs[1]!, p.no_trans ? null : inputs[2]!];
      const dTrans = p.no_trans ? null : inGrads[2] ?? null;
      ctx.kernels.deformablePsroiPoolGrad(g!.data, data.data, data.shape, rois.data, rois.shape[0]!, trans?.data ?? null, topCount!.data,
        deformableGeometry(p, trans?.shape ?? null), inGrads[0]?.data ?? null, dTrans?.data ?? null, req[0]!, p.no_trans ? 'null' : req[2]!);
    },
  },
});
