/** What the image ops share: float tuple parameters and the HWC / NHWC shape checks. */
import { ParamError } from '../../base/errors';
import { describe, Shape, shapeToString } from '../../base/shape';
import type { ParamSpec } from '../params';
import type { MaybeShape, ShapeSite } from '../types';

/** MXNet's `Tuple<float>`: `[0.5, 0.25]`, `"(0.5, 0.25)"` or one number; no default = required. */
export function floatTuple(options: { doc: string; default?: readonly number[] }): ParamSpec<readonly number[]> {
  return {
    doc: options.doc,
    default: options.default,
    parse: (raw, site) => {
      let items: unknown[];
      if (Array.isArray(raw)) items = raw;
      else if (typeof raw === 'number') items = [raw];
      else if (typeof raw === 'string') items = raw.replace(/[()[\]\s]/g, '').split(',').filter((s) => s !== '');
      else throw new ParamError({ ...site, actual: raw }, `must be a tuple of numbers such as (0.5, 0.25), got ${describe(raw)}`);
      return Object.freeze(items.map((item) => {
        const value = typeof item === 'number' ? item : typeof item === 'string' && item.trim() !== '' ? Number(item) : NaN;
        if (!Number.isFinite(value)) throw new ParamError({ ...site, actual: raw }, `must hold finite numbers, got ${describe(raw)}`);
        return value;
      }));
    },
  };
}

/** The single input's shape, known from the input or (shape-preserving ops) from the output. */
export function sameShape(inputs: readonly MaybeShape[], outputs: readonly MaybeShape[]): MaybeShape {
  return inputs[0] ?? outputs[0] ?? null;
}

/** MXNet's ImageShape: an (H, W, C) image with 1 or 3 channels. */
export function checkHwcImage(shape: Shape, site: ShapeSite): void {
  if (shape.length !== 3) site.fail('data', `must have shape (height, width, channels), got ${shapeToString(shape)}`);
  const channels = shape[2]!;
  if (channels !== 1 && channels !== 3) site.fail('data', `must have 1 or 3 channels (its last axis), got ${shapeToString(shape)}`);
}

/** The shape rule of MXNet's augmenters: an (H, W, C) image with 1 or 3 channels, kept as is. */
export function imageShape(inputs: readonly MaybeShape[], outputs: readonly MaybeShape[], site: ShapeSite) {
  const data = sameShape(inputs, outputs);
  if (!data) return { inputs, outputs };
  checkHwcImage(data, site);
  return { inputs: [data], outputs: [data] };
}

/** (batch, height, width, channels) of an (H, W, C) or (N, H, W, C) image, checked by the caller. */
export function nhwc(shape: Shape): [number, number, number, number] {
  return shape.length === 3 ? [1, shape[0]!, shape[1]!, shape[2]!] : [shape[0]!, shape[1]!, shape[2]!, shape[3]!];
}

/** Requires an (H, W, C) or (N, H, W, C) input. */
export function checkImageRank(shape: Shape, site: ShapeSite, what = 'an image (H, W, C) or a batch (N, H, W, C)'): void {
  if (shape.length !== 3 && shape.length !== 4) site.fail('data', `must be ${what}, got ${shapeToString(shape)}`);
}
