/**
 * Random colour augmenters (MXNet `image/image_random-inl.h`) on (H, W, C) images with 1 or 3
 * channels holding values in [0, 255]. Each call draws its factor from mxts's seeded generator
 * (mx.random.seed makes it reproducible; the stream is not MXNet's, so the factors differ).
 * MXNet registers a `_copy` gradient for these ops, which is not their derivative; mxts defines none.
 */
import { nextFloat, nextInt } from '../../base/random';
import { sizeOf } from '../../base/shape';
import { float, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { ForwardContext, Req, Tensor } from '../types';
import { imageShape } from './common';

const f32 = Math.fround;

/** Uniform float32 draw in [low, high), as std::uniform_real_distribution<float>. */
function uniform(low: number, high: number): number {
  const v = f32(low + (high - low) * nextFloat());
  return v >= high && high > low ? f32(low) : v; // rounding up to `high` would close the interval
}

type Adjust = 'brightness' | 'contrast' | 'saturation' | 'hue';

/** Applies one adjustment with factor alpha to an (H, W, C) image, x -> out (may be the same buffer). */
function adjust(kind: Adjust, alpha: number, x: Tensor, out: Float32Array, req: Req, ctx: ForwardContext): void {
  const [h, w, c] = x.shape as [number, number, number];
  switch (kind) {
    case 'brightness': return ctx.kernels.imageBrightness(x.data, alpha, out, req);
    case 'contrast': return ctx.kernels.imageContrast(x.data, h * w, c, alpha, out, req);
    case 'saturation': return ctx.kernels.imageSaturation(x.data, h * w, c, alpha, out, req);
    case 'hue': return ctx.kernels.imageHue(x.data, h * w, c, alpha, out, req);
    default: {
      const never: never = kind;
      return never;
    }
  }
}

const FORMULAS: Record<Adjust, string> = {
  brightness: 'out = data * alpha',
  contrast: 'out = data * alpha + (1 - alpha) * mean(0.299 R + 0.587 G + 0.114 B) (mean of the values for one channel)',
  saturation: "out = data * alpha + (1 - alpha) * gray with MXNet's gray = 0.114 * B (its luma loop assigns instead of adding); one channel: out = data",
  hue: 'RGB -> HLS (values / 255), h += alpha * 360 degrees, HLS -> RGB * 255; one channel: out = data (MXNet leaves the output unwritten)',
};

const ENHANCE_PARAMS = {
  min_factor: float({ doc: 'lowest factor', min: 0 }),
  max_factor: float({ doc: 'highest factor', min: 0 }),
};

function randomEnhanceOp(kind: Adjust) {
  return defineOp({
    name: `_image_random_${kind}`,
    doc: `alpha ~ U[min_factor, max_factor) per call; ${FORMULAS[kind]}. float32 arithmetic in MXNet's order, no clamping (MXNet clamps uint8 only).`,
    params: ENHANCE_PARAMS,
    inputs: () => ['data'],
    outputs: () => ['output'],
    inferShape: (_p, inputs, outputs, site) => imageShape(inputs, outputs, site),
    forward: (p, [x], [out], [req], ctx) => adjust(kind, uniform(p.min_factor, p.max_factor), x!, out!.data, req!, ctx),
  });
}

const JITTER_PARAMS = {
  brightness: float({ doc: 'brightness factor range: alpha = 1 + U[-brightness, brightness)' }),
  contrast: float({ doc: 'contrast factor range: alpha = 1 + U[-contrast, contrast)' }),
  saturation: float({ doc: 'saturation factor range: alpha = 1 + U[-saturation, saturation)' }),
  hue: float({ doc: 'hue shift range: alpha = U[-hue, hue) turns' }),
};

/** The factor each jitter step draws (the hue step shifts by alpha turns, the others scale by it). */
function jitterFactor(kind: Adjust, p: ParamsOf<typeof JITTER_PARAMS>): number {
  const range = p[kind];
  return kind === 'hue' ? uniform(-range, range) : f32(1 + uniform(-range, range));
}

const JITTER_ORDER: readonly Adjust[] = ['brightness', 'contrast', 'saturation', 'hue'];

export const randomColorJitterOp = defineOp({
  name: '_image_random_color_jitter',
  doc: [
    'Shuffles (brightness, contrast, saturation, hue) and applies, in that order, each whose range is > 0 with a factor',
    'drawn per call (see _image_random_*); each step reads the previous step\'s result. With every range <= 0 the',
    'output is a copy of the input (MXNet leaves it unwritten).',
  ].join('\n'),
  params: JITTER_PARAMS,
  inputs: () => ['data'],
  outputs: () => ['output'],
  workspace: (_p, [data]) => sizeOf(data!),
  inferShape: (_p, inputs, outputs, site) => imageShape(inputs, outputs, site),
  forward: (p, [x], [out], [req], ctx) => {
    const order = [...JITTER_ORDER];
    for (let i = order.length - 1; i > 0; i--) {
      const j = nextInt(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const image = { data: ctx.workspace.subarray(0, x!.data.length), shape: x!.shape };
    ctx.kernels.imageCopy(x!.data, image.data, 'write');
    for (const kind of order) {
      if (p[kind] > 0) adjust(kind, jitterFactor(kind, p), image, image.data, 'write', ctx);
    }
    ctx.kernels.imageCopy(image.data, out!.data, req!);
  },
});

export const colorOps = [
  randomEnhanceOp('brightness'),
  randomEnhanceOp('contrast'),
  randomEnhanceOp('saturation'),
  randomEnhanceOp('hue'),
  randomColorJitterOp,
] as const;
