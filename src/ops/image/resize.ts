/**
 * `_image_resize` (MXNet `image/resize-inl.h`, which calls OpenCV's cv::resize): resizes an
 * (H, W, C) image or every image of an (N, H, W, C) batch to size (width, height).
 */
import { ParamError } from '../../base/errors';
import { shapeToString } from '../../base/shape';
import type { Shape } from '../../base/shape';
import type { ResizeDims } from '../../backend/reference/image_resize';
import { bool, int, intTuple, ParamSpec, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { ShapeSite } from '../types';
import { checkImageRank, nhwc } from './common';

const OPENCV_INTERP: Readonly<Record<number, string>> = { 0: 'INTER_NEAREST', 1: 'INTER_LINEAR', 2: 'INTER_AREA', 3: 'INTER_CUBIC', 4: 'INTER_LANCZOS4' };

/** OpenCV's interpolation flag; mxts implements nearest (0) and bilinear (1) only. */
function interpolation(): ParamSpec<0 | 1> {
  const base = int({ doc: 'OpenCV interpolation: 0 nearest, 1 bilinear (2 area, 3 cubic, 4 Lanczos are not implemented)', default: 1 });
  return {
    ...base,
    default: 1,
    parse: (raw, site) => {
      const value = base.parse(raw, site);
      if (value === 0 || value === 1) return value;
      const name = OPENCV_INTERP[value];
      const what = name ? `${value} (OpenCV ${name}) is not implemented in mxts` : `${value} is not an OpenCV interpolation flag`;
      throw new ParamError({ ...site, actual: raw, expected: [0, 1] }, `${what}; use 0 (nearest) or 1 (bilinear)`);
    },
  };
}

const PARAMS = {
  size: intTuple({ doc: 'new size as (width, height), or one integer (see keep_ratio)', default: [] }),
  keep_ratio: bool({ doc: 'with one size: resize the short edge to it keeping the aspect ratio (else both edges)', default: false }),
  interp: interpolation(),
};
type Params = ParamsOf<typeof PARAMS>;

/** MXNet's output (height, width); keep_ratio truncates the long edge as its integer arithmetic does. */
function outputSize(p: Params, inH: number, inW: number, site?: ShapeSite): [number, number] {
  if (site && p.size.length !== 1 && p.size.length !== 2) site.fail('size', `must have 1 or 2 elements, got (${p.size.join(', ')})`);
  if (site && p.size.some((s) => s <= 0)) site.fail('size', `must be greater than 0, got (${p.size.join(', ')})`);
  if (p.size.length === 2) return [p.size[1]!, p.size[0]!];
  const s = p.size[0]!;
  if (!p.keep_ratio) return [s, s];
  return inH > inW ? [Math.trunc((inH * s) / inW), s] : [s, Math.trunc((inW * s) / inH)];
}

function dims(p: Params, shape: Shape): ResizeDims {
  const [batch, inH, inW, channels] = nhwc(shape);
  const [outH, outW] = outputSize(p, inH, inW);
  return { batch, channels, inH, inW, outH, outW };
}

export const imageResizeOp = defineOp({
  name: '_image_resize',
  doc: [
    'out = cv::resize(data, (width, height), interp) per image. interp 1: OpenCV INTER_LINEAR with pixel centres',
    '(src = (dst + 0.5) * in / out - 0.5, edges clamped) in float32; interp 0: INTER_NEAREST (src = floor(dst * in / out)).',
    'mxts is float32-only: uint8 images in MXNet go through OpenCV\'s fixed-point 8-bit path and round to integers.',
    'Other interpolations are refused. No gradient (MXNet registers a `_copy` one that cannot fit the new shape).',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    checkImageRank(data, site);
    const [n, h, w, c] = nhwc(data);
    if (h === 0 || w === 0) site.fail('data', `must have a non-empty image, got ${shapeToString(data)}`);
    const [outH, outW] = outputSize(p, h, w, site);
    return { inputs: [data], outputs: [data.length === 3 ? [outH, outW, c] : [n, outH, outW, c]] };
  },
  // The kernels' scratch: source indices and weights per output column and row, two row buffers.
  workspace: (p, [data]) => {
    const d = dims(p, data!);
    return 2 * d.outW + 2 * d.outH + 2 * d.outW * d.channels;
  },
  forward: (p, [x], [out], [req], ctx) => {
    const d = dims(p, x!.shape);
    if (p.interp === 0) ctx.kernels.imageResizeNearest(x!.data, d, out!.data, req!, ctx.workspace);
    else ctx.kernels.imageResizeBilinear(x!.data, d, out!.data, req!, ctx.workspace);
  },
});
