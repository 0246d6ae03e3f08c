/**
 * Image flips (MXNet `image/image_random-inl.h`) on (H, W, C) images with 1 or 3 channels:
 * `_image_flip_left_right` reverses the width axis, `_image_flip_top_bottom` the height axis, and
 * the `_image_random_*` forms do so with probability p, drawn from mxts's seeded generator.
 */
import type { Shape } from '../../base/shape';
import { nextFloat } from '../../base/random';
import { float } from '../params';
import { defineOp } from '../registry';
import type { ForwardContext, Req } from '../types';
import { checkHwcImage, imageShape, sameShape } from './common';

type Direction = 'left_right' | 'top_bottom';

/** The (outer, reversed, inner) view of an (H, W, C) image for a flip. */
function flipView(shape: Shape, direction: Direction): [number, number, number] {
  const [h, w, c] = shape as [number, number, number];
  return direction === 'left_right' ? [h, w, c] : [1, h, w * c];
}

function flipInto(x: Float32Array, shape: Shape, direction: Direction, out: Float32Array, req: Req, ctx: ForwardContext): void {
  ctx.kernels.imageReverseAxis(x, ...flipView(shape, direction), out, req);
}

function flipOp(direction: Direction) {
  const axis = direction === 'left_right' ? 'width' : 'height';
  return defineOp({
    name: `_image_flip_${direction}`,
    doc: `Reverses the ${axis} axis of an (H, W, C) image with 1 or 3 channels; the gradient is the head gradient flipped back.`,
    params: {},
    inputs: () => ['data'],
    outputs: () => ['output'],
    inferShape: (_p, inputs, outputs, site) => imageShape(inputs, outputs, site),
    forward: (_p, [x], [out], [req], ctx) => flipInto(x!.data, x!.shape, direction, out!.data, req!, ctx),
    backward: {
      usesOutGrads: true,
      compute: (_p, { outGrads: [g] }, [dx], [req], ctx) => {
        if (dx) flipInto(g!.data, dx.shape, direction, dx.data, req!, ctx);
      },
    },
  });
}

function randomFlipOp(direction: Direction) {
  const axis = direction === 'left_right' ? 'width' : 'height';
  return defineOp({
    name: `_image_random_flip_${direction}`,
    doc: [
      `Reverses the ${axis} axis of an (H, W, C) image with probability p (u < p, u ~ U[0, 1) from mx.random.seed's`,
      'generator; MXNet draws from its own stream, so the choices differ), else copies it. Whether it flipped is kept',
      'in a hidden output so that the gradient undoes the same choice. MXNet 1.9.1 flips with probability 0.5 and has',
      'no p parameter (MXNet 2.0 added it); mxts accepts p with the same default.',
    ].join('\n'),
    params: { p: float({ doc: 'probability of flipping', default: 0.5, min: 0, max: 1 }) },
    inputs: () => ['data'],
    outputs: () => ['output', 'flipped'],
    numVisibleOutputs: () => 1,
    inferShape: (_p, inputs, outputs, site) => {
      const data = sameShape(inputs, outputs);
      if (!data) return { inputs, outputs };
      checkHwcImage(data, site);
      return { inputs: [data], outputs: [data, [1]] };
    },
    forward: (p, [x], [out, flipped], [req], ctx) => {
      const flip = nextFloat() < p.p;
      flipped!.data[0] = flip ? 1 : 0;
      if (flip) flipInto(x!.data, x!.shape, direction, out!.data, req!, ctx);
      else ctx.kernels.imageCopy(x!.data, out!.data, req!);
    },
    backward: {
      usesOutGrads: true,
      compute: (_p, { outputs: [, flipped], outGrads: [g] }, [dx], [req], ctx) => {
        if (!dx) return;
        if (flipped!.data[0] === 1) flipInto(g!.data, dx.shape, direction, dx.data, req!, ctx);
        else ctx.kernels.imageCopy(g!.data, dx.data, req!);
      },
    },
  });
}

export const flipOps = [
  flipOp('left_right'),
  flipOp('top_bottom'),
  randomFlipOp('left_right'),
  randomFlipOp('top_bottom'),
] as const;
