/**
 * `_image_to_tensor` and `_image_normalize` (MXNet `image/image_random-inl.h`): the conversion of
 * HWC images to CHW tensors and the per-channel normalization that usually follows it.
 */
import { Shape, shapeToString } from '../../base/shape';
import { defineOp } from '../registry';
import { checkImageRank, floatTuple, nhwc, sameShape } from './common';

export const imageToTensorOp = defineOp({
  name: '_image_to_tensor',
  doc: [
    '(H, W, C) -> (C, H, W) or (N, H, W, C) -> (N, C, H, W), out = data / 255.',
    'mxts is float32-only: the input is a float32 image holding values in [0, 255] (MXNet also takes uint8);',
    'the output is float32 as in MXNet. No gradient (MXNet registers a `_copy` one that cannot fit the transposed shape).',
  ].join('\n'),
  params: {},
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (_p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    checkImageRank(data, site, 'an image (height, width, channels) or a batch (N, height, width, channels)');
    const [n, h, w, c] = nhwc(data);
    return { inputs: [data], outputs: [data.length === 3 ? [c, h, w] : [n, c, h, w]] };
  },
  forward: (_p, [x], [out], [req], ctx) => {
    const [n, h, w, c] = nhwc(x!.shape);
    ctx.kernels.imageToTensor(x!.data, n, h * w, c, out!.data, req!);
  },
});

/** (batch, channels, pixels per channel) of a (C, H, W) or (N, C, H, W) tensor. */
function nchw(shape: Shape): [number, number, number] {
  return shape.length === 3 ? [1, shape[0]!, shape[1]! * shape[2]!] : [shape[0]!, shape[1]!, shape[2]! * shape[3]!];
}

/** One value per channel: a single value is shared, otherwise channel c takes values[c]. */
function perChannel(values: readonly number[], channels: number): number[] {
  return Array.from({ length: channels }, (_, c) => values[values.length === 1 ? 0 : c]!);
}

export const imageNormalizeOp = defineOp({
  name: '_image_normalize',
  doc: [
    'out[n, c] = (data[n, c] - mean[c]) / std[c] on (C, H, W) or (N, C, H, W) tensors with 1 or 3 channels;',
    'a 1-element mean or std applies to every channel. d data = g / std[c].',
    "MXNet's defaults are 4-element tuples (0,0,0,0) and (1,1,1,1), which its shape check refuses for 1 or 3",
    'channels, so mean and std have to be given; mxts keeps that rule.',
  ].join('\n'),
  params: {
    mean: floatTuple({ doc: 'mean of each channel, or one value for all', default: [0, 0, 0, 0] }),
    std: floatTuple({ doc: 'standard deviation of each channel, or one value for all', default: [1, 1, 1, 1] }),
  },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inplace: [[0, 0]],
  inferShape: (p, inputs, outputs, site) => {
    const data = sameShape(inputs, outputs);
    if (!data) return { inputs, outputs };
    if (data.length !== 3 && data.length !== 4) {
      site.fail('data', `must have shape (channels, height, width) or (N, channels, height, width), got ${shapeToString(data)}`);
    }
    const channels = data[data.length - 3]!;
    if (channels !== 1 && channels !== 3) {
      site.fail('data', `must have 1 or 3 channels (axis ${data.length - 3}), got ${shapeToString(data)}`);
    }
    for (const [name, values] of [['mean', p.mean], ['std', p.std]] as const) {
      if (values.length !== 1 && values.length !== channels) {
        site.fail(name, `must have 1 or ${channels} elements for data ${shapeToString(data)}, got (${values.join(', ')})`);
      }
    }
    return { inputs: [data], outputs: [data] };
  },
  forward: (p, [x], [out], [req], ctx) => {
    const [n, c, length] = nchw(x!.shape);
    ctx.kernels.imageNormalize(x!.data, n, c, length, perChannel(p.mean, c), perChannel(p.std, c), out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx) return;
      const [n, c, length] = nchw(dx.shape);
      ctx.kernels.imageNormalizeBackward(g!.data, n, c, length, perChannel(p.std, c), dx.data, req!);
    },
  },
});
