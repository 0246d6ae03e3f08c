/**
 * `_image_crop` (MXNet `image/crop-inl.h`): the (width x height) window at column x, row y of an
 * (H, W, C) image or of every image of an (N, H, W, C) batch.
 */
import type { Shape } from '../../base/shape';
import { shapeToString } from '../../base/shape';
import type { CropWindow } from '../../backend/reference/image_layout';
import { int, ParamsOf } from '../params';
import { defineOp } from '../registry';
import { checkImageRank, nhwc } from './common';

const PARAMS = {
  x: int({ doc: 'left boundary of the cropping area' }),
  y: int({ doc: 'top boundary of the cropping area' }),
  width: int({ doc: 'width of the cropping area' }),
  height: int({ doc: 'height of the cropping area' }),
};

function cropWindow(p: ParamsOf<typeof PARAMS>, shape: Shape): CropWindow {
  const [batch, height, width, channels] = nhwc(shape);
  return { batch, height, width, channels, top: p.y, left: p.x, cropHeight: p.height, cropWidth: p.width };
}

export const imageCropOp = defineOp({
  name: '_image_crop',
  doc: [
    'out = data[y:y+height, x:x+width, :] (per image of a batch); d data = g inside the window, 0 outside.',
    'The image has 1 or 3 channels; the window must lie inside it (mxts also refuses a negative x or y, which MXNet',
    'does not check).',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    checkImageRank(data, site);
    const [n, h, w, c] = nhwc(data);
    if (c !== 1 && c !== 3) site.fail('data', `must have 1 or 3 channels (its last axis), got ${shapeToString(data)}`);
    for (const name of ['width', 'height'] as const) if (p[name] <= 0) site.fail(name, `must be greater than 0, got ${p[name]}`);
    for (const name of ['x', 'y'] as const) if (p[name] < 0) site.fail(name, `must not be negative, got ${p[name]}`);
    if (p.x + p.width > w) site.fail('width', `${p.width} at x ${p.x} runs past the image width ${w} (data ${shapeToString(data)})`);
    if (p.y + p.height > h) site.fail('height', `${p.height} at y ${p.y} runs past the image height ${h} (data ${shapeToString(data)})`);
    return { inputs: [data], outputs: [data.length === 3 ? [p.height, p.width, c] : [n, p.height, p.width, c]] };
  },
  forward: (p, [x], [out], [req], ctx) => ctx.kernels.imageCrop(x!.data, cropWindow(p, x!.shape), out!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (p, { outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.imageCropBackward(g!.data, cropWindow(p, dx.shape), dx.data, req!);
    },
  },
});
