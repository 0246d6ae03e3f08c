/**
 * `_contrib_BilinearResize2D` (MXNet `contrib/bilinear_resize-inl.h`): bilinear interpolation of
 * NCHW images to a size chosen by `mode`, and `_contrib_AdaptiveAvgPooling2D`
 * (`contrib/adaptive_avg_pooling-inl.h`): average pooling onto a fixed output grid.
 */
import { shapeToString } from '../../base/shape';
import { bool, enumOf, float, int, intTuple, optional, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape, ShapeSite } from '../types';

const RESIZE_PARAMS = {
  height: int({ doc: "output height in mode 'size' when scale_height is not given", default: 1, min: 1, max: 10000 }),
  width: int({ doc: "output width in mode 'size' when scale_height is not given", default: 1, min: 1, max: 10000 }),
  scale_height: optional(float({ doc: "height factor (modes 'size' and 'odd_scale')" })),
  scale_width: optional(float({ doc: "width factor (modes 'size' and 'odd_scale')" })),
  mode: enumOf({
    doc: "size | odd_scale | like (second input's H, W) | to_even_down | to_even_up | to_odd_down | to_odd_up",
    values: ['size', 'odd_scale', 'like', 'to_even_down', 'to_even_up', 'to_odd_down', 'to_odd_up'],
    default: 'size',
  }),
  align_corners: bool({ doc: 'map corner pixel centres onto corner pixel centres (else scale whole pixel areas)', default: true }),
};
type ResizeParams = ParamsOf<typeof RESIZE_PARAMS>;

function need4d(shape: readonly number[], name: string, site: ShapeSite): void {
  if (shape.length !== 4) site.fail(name, `shape ${shapeToString(shape)} must be 4-d (batch, channel, height, width)`);
}

/** Output (H, W) as MXNet's BilinearSampleOpInferShape computes it (size mode reads scale_width only when scale_height is given). */
function resizedHW(p: ResizeParams, data: readonly number[], like: readonly number[] | null, site: ShapeSite): [number, number] | null {
  const h = data[2]!;
  const w = data[3]!;
  const scale = (name: 'scale_height' | 'scale_width'): number => {
    const v = p[name];
    if (v === null) return site.fail(name, `is required in mode '${p.mode}'`);
    return v;
  };
  const even = (n: number, up: boolean) => (n % 2 === 0 ? n : up ? n + 1 : n - 1);
  const odd = (n: number, up: boolean) => (n % 2 === 1 ? n : up ? n + 1 : n - 1);
  switch (p.mode) {
    case 'size':
      if (p.scale_height === null) return [p.height, p.width];
      return [Math.trunc(p.scale_height * h), Math.trunc(scale('scale_width') * w)];
    case 'odd_scale': {
      const sh = scale('scale_height');
      const sw = scale('scale_width');
      return [h % 2 === 0 ? Math.trunc(h * sh) : Math.trunc((h - 1) * sh) + 1, w % 2 === 0 ? Math.trunc(w * sw) : Math.trunc((w - 1) * sw) + 1];
    }
    case 'like':
      if (!like) return null;
      need4d(like, 'like', site);
      return [like[2]!, like[3]!];
    case 'to_even_down': return [even(h, false), even(w, false)];
    case 'to_even_up': return [even(h, true), even(w, true)];
    case 'to_odd_down': return [odd(h, false), odd(w, false)];
    case 'to_odd_up': return [odd(h, true), odd(w, true)];
  }
}

export const bilinearResize2DOp = defineOp({
  name: '_contrib_BilinearResize2D',
  doc: [
    'out[n, c, y, x] = bilinear interpolation of data[n, c] at (src(y), src(x)); align_corners: src(o) = o*(in-1)/(out-1),',
    'else src(o) = max((o+0.5)*in/out - 0.5, 0). d data = the transposed interpolation of g; mode like: d like = 0.',
  ].join('\n'),
  params: RESIZE_PARAMS,
  inputs: (p) => (p.mode === 'like' ? ['data', 'like'] : ['data']),
  outputs: () => ['output'],
  inferShape: (p, inputs: readonly MaybeShape[], _outputs, site) => {
    const data = inputs[0] ?? null;
    if (!data) return { inputs, outputs: [null] };
    need4d(data, 'data', site);
    const hw = resizedHW(p, data, inputs[1] ?? null, site);
    if (hw && (hw[0] <= 0 || hw[1] <= 0)) site.fail('data', `resizes ${shapeToString(data)} to an empty output ${hw[0]}x${hw[1]} in mode '${p.mode}'`);
    return { inputs, outputs: [hw ? [data[0]!, data[1]!, hw[0], hw[1]] : null] };
  },
  forward: (p, [x], [out], [req], ctx) => ctx.kernels.bilinearResize(x!.data, x!.shape, out!.data, out!.shape, p.align_corners, req!),
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i === 0,
    compute: (p, { outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.bilinearResizeGrad(g!.data, g!.shape, dx.data, dx.shape, p.align_corners, req!);
    },
  },
});

export const adaptiveAvgPooling2DOp = defineOp({
  name: '_contrib_AdaptiveAvgPooling2D',
  doc: [
    'out[n, c, i, j] = mean of data[n, c] over rows [floor(i*H/OH), ceil((i+1)*H/OH)) and columns [floor(j*W/OW), ceil((j+1)*W/OW)).',
    'd data = each g spread evenly over its window. output_size () means (1, 1), s means (s, s).',
  ].join('\n'),
  params: { output_size: intTuple({ doc: 'output (height, width), or one size for both; () means 1', default: [], min: 1 }) },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    need4d(data, 'data', site);
    const s = p.output_size;
    if (s.length > 2) site.fail('output_size', `(${s.join(', ')}) must have 1 or 2 entries`);
    const [oh, ow] = s.length === 0 ? [1, 1] : s.length === 1 ? [s[0]!, s[0]!] : [s[0]!, s[1]!];
    return { inputs: [data], outputs: [[data[0]!, data[1]!, oh, ow]] };
  },
  forward: (_p, [x], [out], [req], ctx) => ctx.kernels.adaptiveAvgPool(x!.data, x!.shape, out!.data, out!.shape, req!),
  backward: {
    usesOutGrads: true,
    compute: (_p, { outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.adaptiveAvgPoolGrad(g!.data, g!.shape, dx.data, dx.shape, req!);
    },
  },
});
