/**
 * Region-of-interest pooling: `ROIPooling` (MXNet `roi_pooling.cc`, Fast R-CNN max pooling over
 * rounded bins) and `_contrib_ROIAlign` (`contrib/roi_align.cc`, Mask R-CNN bilinear sampling).
 * rois is (R, 5): [batch_index, x1, y1, x2, y2] in image coordinates, scaled by spatial_scale.
 */
import { shapeToString } from '../../base/shape';
import { bool, float, int, intTuple, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape, ShapeSite } from '../types';

const pooledSize = intTuple({ doc: 'output bins (height, width)', min: 1 });
const spatialScale = float({ doc: 'ratio of the feature map to the image the rois are given in, e.g. 1/16' });

/** Checks data (N, C, H, W), rois (R, 5) and pooled_size; fails naming the argument. */
function checkInputs(p: { pooled_size: readonly number[]; spatial_scale: number }, data: readonly number[], rois: readonly number[], site: ShapeSite): void {
  if (p.pooled_size.length !== 2) site.fail('pooled_size', `(${p.pooled_size.join(', ')}) must be (height, width)`);
  if (!(p.spatial_scale > 0)) site.fail('spatial_scale', `must be positive, got ${p.spatial_scale}`);
  if (data.length !== 4) site.fail('data', `shape ${shapeToString(data)} must be 4-d (batch, channel, height, width)`);
  if (rois.length !== 2 || rois[1] !== 5) site.fail('rois', `shape ${shapeToString(rois)} must be (num_rois, 5): [batch_index, x1, y1, x2, y2] per row`);
}

const ROI_POOLING_PARAMS = { pooled_size: pooledSize, spatial_scale: spatialScale };

export const roiPoolingOp = defineOp({
  name: 'ROIPooling',
  doc: [
    'out[r, c, ph, pw] = max of data[batch_r, c] over bin (ph, pw) of the roi, its corners round(x * spatial_scale) (halves away',
    'from 0), size max(x2 - x1 + 1, 1) split into [floor(i*bin), ceil((i+1)*bin)); an empty bin gives 0. Hidden output maxidx',
    'holds the winning h*W + w (-1 when empty). d data = g added at each winner; d rois = 0.',
  ].join('\n'),
  params: ROI_POOLING_PARAMS,
  inputs: () => ['data', 'rois'],
  outputs: () => ['output', 'maxidx'],
  numVisibleOutputs: () => 1,
  inferShape: (p, [data, rois]: readonly MaybeShape[], _outputs, site) => {
    if (!data || !rois) return { inputs: [data ?? null, rois ?? null], outputs: [null, null] };
    checkInputs(p, data, rois, site);
    const out = [rois[0]!, data[1]!, p.pooled_size[0]!, p.pooled_size[1]!];
    return { inputs: [data, rois], outputs: [out, out] };
  },
  forward: (p, [data, rois], [out, maxidx], [req], ctx) => {
    ctx.kernels.roiPool(data!.data, data!.shape, rois!.data, rois!.shape[0]!, p.spatial_scale, p.pooled_size[0]!, p.pooled_size[1]!, out!.data, maxidx!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i === 0,
    compute: (p, { inputs: [, rois], outputs: [, maxidx], outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.roiPoolGrad(g!.data, maxidx!.data, rois!.data, rois!.shape[0]!, p.pooled_size[0]! * p.pooled_size[1]!, dx.data, dx.shape, req!);
    },
  },
});

const ROI_ALIGN_PARAMS = {
  pooled_size: pooledSize,
  spatial_scale: spatialScale,
  sample_ratio: int({ doc: 'samples per bin side; <= 0 means ceil(roi size / pooled size)', default: -1 }),
  position_sensitive: bool({ doc: 'R-FCN style: bin (ph, pw) of output channel c reads input channel (c*PH + ph)*PW + pw', default: false }),
  aligned: bool({ doc: 'shift the roi by -0.5 pixel (Detectron2 alignment) and allow rois smaller than 1', default: false }),
};
type RoiAlignParams = ParamsOf<typeof ROI_ALIGN_PARAMS>;

const geometryOf = (p: RoiAlignParams) => ({
  pooledH: p.pooled_size[0]!, pooledW: p.pooled_size[1]!, spatialScale: p.spatial_scale,
  sampleRatio: p.sample_ratio, positionSensitive: p.position_sensitive, aligned: p.aligned,
});

export const roiAlignOp = defineOp({
  name: '_contrib_ROIAlign',
  doc: [
    'out[r, c, ph, pw] = mean over a grid of samples in bin (ph, pw) of bilinear(data[batch_r, c], y, x); the roi is',
    'x * spatial_scale (- 0.5 when aligned), at least 1x1 unless aligned; samples outside [-1, size] count as 0.',
    'position_sensitive: out channel c, bin (ph, pw) reads channel (c*PH + ph)*PW + pw (C must divide by PH*PW).',
    'd data = g spread over the same taps with the same weights; d rois = 0.',
  ].join('\n'),
  params: ROI_ALIGN_PARAMS,
  inputs: () => ['data', 'rois'],
  outputs: () => ['output'],
  inferShape: (p, [data, rois]: readonly MaybeShape[], _outputs, site) => {
    if (!data || !rois) return { inputs: [data ?? null, rois ?? null], outputs: [null] };
    checkInputs(p, data, rois, site);
    const bins = p.pooled_size[0]! * p.pooled_size[1]!;
    if (p.position_sensitive && data[1]! % bins !== 0) {
      site.fail('data', `has ${data[1]} channels, not divisible by pooled height x width = ${bins} (position_sensitive)`);
    }
    const channels = p.position_sensitive ? data[1]! / bins : data[1]!;
    return { inputs: [data, rois], outputs: [[rois[0]!, channels, p.pooled_size[0]!, p.pooled_size[1]!]] };
  },
  forward: (p, [data, rois], [out], [req], ctx) => {
    ctx.kernels.roiAlign(data!.data, data!.shape, rois!.data, rois!.shape[0]!, geometryOf(p), out!.data, out!.shape[1]!, req!);
  },
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i === 0,
    compute: (p, { inputs: [, rois], outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.roiAlignGrad(g!.data, dx.shape, rois!.data, rois!.shape[0]!, geometryOf(p), g!.shape[1]!, dx.data, req!);
    },
  },
});
