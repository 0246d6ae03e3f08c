/**
 * `_contrib_RROIAlign` (MXNet `contrib/rroi_align.cc`): ROI align over rotated rois
 * [batch_index, centre x, centre y, width, height, angle in degrees]. Forward only: MXNet registers
 * no gradient for it, so binding with a gradient through it fails.
 */
import { shapeToString } from '../../base/shape';
import { float, int, intTuple } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape } from '../types';

export const rroiAlignOp = defineOp({
  name: '_contrib_RROIAlign',
  doc: [
    'out[r, c, ph, pw] = mean over a grid of samples in bin (ph, pw) of the roi (scaled by spatial_scale, at least 1x1), each',
    'rotated by the angle about the roi centre, of bilinear(data[batch_r, c]) (0 outside [-1, size]). No gradient.',
  ].join('\n'),
  params: {
    pooled_size: intTuple({ doc: 'output bins (height, width)', min: 1 }),
    spatial_scale: float({ doc: 'ratio of the feature map to the image the rois are given in', min: 0, max: 1 }),
    sampling_ratio: int({ doc: 'samples per bin side; <= 0 means ceil(roi size / pooled size)', default: -1 }),
  },
  inputs: () => ['data', 'rois'],
  outputs: () => ['output'],
  inferShape: (p, [data, rois]: readonly MaybeShape[], _outputs, site) => {
    if (p.pooled_size.length !== 2) site.fail('pooled_size', `(${p.pooled_size.join(', ')}) must be (height, width)`);
    if (!data || !rois) return { inputs: [data ?? null, rois ?? null], outputs: [null] };
    if (data.length !== 4) site.fail('data', `shape ${shapeToString(data)} must be 4-d (batch, channel, height, width)`);
    if (rois.length !== 2 || rois[1] !== 6) site.fail('rois', `shape ${shapeToString(rois)} must be (num_rois, 6): [batch_index, x, y, w, h, theta] per row`);
    return { inputs: [data, rois], outputs: [[rois[0]!, data[1]!, p.pooled_size[0]!, p.pooled_size[1]!]] };
  },
  forward: (p, [data, rois], [out], [req], ctx) => {
    const geo = { pooledH: p.pooled_size[0]!, pooledW: p.pooled_size[1]!, spatialScale: p.spatial_scale, samplingRatio: p.sampling_ratio };
    ctx.kernels.rroiAlign(data!.data, data!.shape, rois!.data, rois!.shape[0]!, geo, out!.data, req!);
  },
});
