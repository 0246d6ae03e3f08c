/**
 * AlexNet-style PCA lighting noise (MXNet `image/image_random-inl.h`) on (H, W, C) images:
 * `_image_adjust_lighting` with given alphas, `_image_random_lighting` with alphas ~ N(0, alpha_std).
 */
import { ParamError } from '../../base/errors';
import { fillNormal } from '../../base/random';
import { float, ParamSpec } from '../params';
import { defineOp } from '../registry';
import { floatTuple, imageShape } from './common';

const LIGHTING_DOC = [
  'out[h, w] = data[h, w] + V . alpha per RGB pixel, V = the eigenvalue-scaled eigenvectors of the ImageNet RGB',
  'covariance that MXNet hard-codes (55.46, 4.794, 1.148); float32 arithmetic, no clamping. One channel: out = data',
  '(MXNet leaves the output unwritten). No gradient (MXNet registers a `_copy` one).',
].join('\n');

/** Exactly three alphas (R, G, B); MXNet reads three without checking. */
function rgbAlpha(): ParamSpec<readonly number[]> {
  const tuple = floatTuple({ doc: 'lighting alphas for the R, G, B channels' });
  return {
    ...tuple,
    parse: (raw, site) => {
      const values = tuple.parse(raw, site);
      if (values.length !== 3) throw new ParamError({ ...site, actual: raw }, `must have 3 elements (R, G, B), got (${values.join(', ')})`);
      return values;
    },
  };
}

export const adjustLightingOp = defineOp({
  name: '_image_adjust_lighting',
  doc: LIGHTING_DOC,
  params: { alpha: rgbAlpha() },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (_p, inputs, outputs, site) => imageShape(inputs, outputs, site),
  forward: (p, [x], [out], [req], ctx) => {
    const [h, w, c] = x!.shape as [number, number, number];
    ctx.kernels.imageLighting(x!.data, h * w, c, p.alpha, out!.data, req!);
  },
});

export const randomLightingOp = defineOp({
  name: '_image_random_lighting',
  doc: `alpha ~ N(0, alpha_std) per channel per call (mx.random.seed's generator; not MXNet's stream), then as _image_adjust_lighting:\n${LIGHTING_DOC}`,
  params: { alpha_std: float({ doc: 'standard deviation of the lighting alphas', default: 0.05, min: 0 }) },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (_p, inputs, outputs, site) => imageShape(inputs, outputs, site),
  // The node's float32 draw buffer for the three alphas, and the list the kernel reads them from.
  createState: () => ({ alphas: new Float32Array(3), values: [0, 0, 0] }),
  forward: (p, [x], [out], [req], ctx) => {
    const [h, w, c] = x!.shape as [number, number, number];
    const { alphas, values } = ctx.state;
    fillNormal(alphas, 0, p.alpha_std);
    for (let k = 0; k < 3; k++) values[k] = alphas[k]!;
    ctx.kernels.imageLighting(x!.data, h * w, c, values, out!.data, req!);
  },
});

export const lightingOps = [adjustLightingOp, randomLightingOp] as const;
