/**
 * `Crop` (MXNet `crop.cc` / `crop-inl.h`, the legacy FCN layer; not the `crop` alias of slice):
 * cuts an (h, w) window out of 4-d NCHW data, its size from `h_w` (one input) or from the
 * spatial dims of `crop_like` (two inputs), at `offset` or centred.
 */
import { Shape, shapeToString, stridesOf } from '../../base/shape';
import { bool, int, intTuple, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { ShapeSite } from '../types';
import { clearForAdd } from './common';

const CROP_PARAMS = {
  num_args: int({ doc: 'number of inputs: 1 crops to h_w, 2 to the height and width of crop_like', min: 1, max: 2 }),
  offset: intTuple({ doc: 'top-left corner (y, x) of the window when not center_crop', default: [0, 0], min: 0 }),
  h_w: intTuple({ doc: 'window height and width (one input)', default: [0, 0] }),
  center_crop: bool({ doc: 'centre the window instead of using offset', default: false }),
};
type CropParams = ParamsOf<typeof CROP_PARAMS>;

/** The window: its size and its top-left corner in data. */
function cropWindow(p: CropParams, data: Shape, like: Shape | null, site?: ShapeSite): { h: number; w: number; y: number; x: number } {
  const [h, w] = p.num_args === 1 ? [p.h_w[0] ?? 0, p.h_w[1] ?? 0] : [like![2]!, like![3]!];
  if (site) {
    if (data.length !== 4) site.fail('data', `shape ${shapeToString(data)} must be 4-d (batch, channel, y, x)`, 4, data.length);
    if (like && like.length !== 4) site.fail('crop_like', `shape ${shapeToString(like)} must be 4-d (batch, channel, y, x)`, 4, like.length);
    if (p.num_args === 1 && (h < 1 || w < 1 || h > data[2]! || w > data[3]!)) {
      site.fail('h_w', `(${p.h_w.join(',')}) must be between (1,1) and the data's height and width (${data[2]},${data[3]})`, [data[2], data[3]], p.h_w);
    }
  }
  const y = p.center_crop ? Math.floor((data[2]! - h) / 2) : p.offset[0] ?? 0;
  const x = p.center_crop ? Math.floor((data[3]! - w) / 2) : p.offset[1] ?? 0;
  if (site && (y < 0 || x < 0 || y + h > data[2]! || x + w > data[3]!)) {
    site.fail(p.center_crop ? 'data' : 'offset', `places the ${h}x${w} window at (${y},${x}), which does not fit in data ${shapeToString(data)}`);
  }
  return { h, w, y, x };
}

function cropView(p: CropParams, data: Shape, like: Shape | null) {
  const { h, w, y, x } = cropWindow(p, data, like);
  const own = stridesOf(data);
  const shape = [data[0]!, data[1]!, h, w];
  return { offset: y * own[2]! + x, inputStrides: own, shape, strides: stridesOf(shape) };
}

export const cropOp = defineOp({
  name: 'Crop',
  doc: 'out = data[:, :, y:y+h, x:x+w] with (h, w) from h_w or crop_like and (y, x) from offset or centred; dx = g in the window, 0 elsewhere; crop_like gets no gradient.',
  params: CROP_PARAMS,
  variadicParam: 'num_args',
  inputs: (p) => (p.num_args === 1 ? ['data'] : ['data', 'crop_like']),
  outputs: () => ['output'],
  inferShape: (p, inputs, _outputs, site) => {
    const [data, like] = inputs;
    if (!data || (p.num_args === 2 && !like)) return { inputs, outputs: [null] };
    const { h, w } = cropWindow(p, data, like ?? null, site);
    return { inputs, outputs: [[data[0]!, data[1]!, h, w]] };
  },
  forward: (p, [x, like], [out], [req], ctx) => {
    const v = cropView(p, x!.shape, like?.shape ?? null);
    ctx.kernels.stridedCopy(x!.data, v.offset, v.inputStrides, out!.data, 0, v.strides, v.shape, req!);
  },
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i === 0,
    compute: (p, { inputs: [x, like], outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx || req === 'null') return;
      const v = cropView(p, x!.shape, like?.shape ?? null);
      clearForAdd(dx, req!, ctx);
      ctx.kernels.stridedCopy(g!.data, 0, v.strides, dx.data, v.offset, v.inputStrides, v.shape, 'add');
    },
  },
});
