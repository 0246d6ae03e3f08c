/**
 * `_contrib_MultiBoxPrior` (MXNet `contrib/multibox_prior.cc`): SSD anchor boxes for every cell of
 * a feature map, in normalized corner coordinates. The feature map gives only its height and width.
 */
import { ParamError } from '../../base/errors';
import { describe, shapeToString } from '../../base/shape';
import { bool, ParamSpec, ParamsOf } from '../params';
import { defineOp } from '../registry';
import { ZERO_GRADIENT } from './bounding_box';

/** A tuple of floats as MXNet's `mxnet::Tuple<float>`: `[0.5, 0.25]`, `"(0.5, 0.25)"` or one number. */
export function floatTuple(options: { doc: string; default: readonly number[] }): ParamSpec<readonly number[]> {
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

const PARAMS = {
  sizes: floatTuple({ doc: 'anchor sizes relative to the image height', default: [1] }),
  ratios: floatTuple({ doc: 'width/height ratios (the first pairs with every size, the others with sizes[0])', default: [1] }),
  clip: bool({ doc: 'clip the boxes to [0, 1]', default: false }),
  steps: floatTuple({ doc: 'cell step (y, x) in normalized units; <= 0 means 1 / map size', default: [-1, -1] }),
  offsets: floatTuple({ doc: 'anchor centre offset (y, x) within a cell, in cells', default: [0.5, 0.5] }),
};
type Params = ParamsOf<typeof PARAMS>;

const numAnchors = (p: Params) => p.sizes.length + p.ratios.length - 1;

export const multiBoxPriorOp = defineOp({
  name: '_contrib_MultiBoxPrior',
  doc: [
    'out (1, H*W*A, 4), A = len(sizes) + len(ratios) - 1, cells row-major: per cell, each size with ratio 1, then sizes[0]',
    'with each further ratio r: centre ((x + off_x)*step_x, (y + off_y)*step_y), half width size*H/W*sqrt(r)/2, half height',
    'size/sqrt(r)/2. Zero gradient to data (MXNet): no gradient flows.',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    if (p.sizes.length === 0) site.fail('sizes', 'must hold at least one size');
    if (p.ratios.length === 0) site.fail('ratios', 'must hold at least one ratio');
    p.sizes.forEach((s) => s > 0 || site.fail('sizes', `(${p.sizes.join(', ')}) must be positive`));
    p.ratios.forEach((r) => r > 0 || site.fail('ratios', `(${p.ratios.join(', ')}) must be positive`));
    if (p.steps.length !== 2) site.fail('steps', `(${p.steps.join(', ')}) must be (step_y, step_x)`);
    if (p.offsets.length !== 2) site.fail('offsets', `(${p.offsets.join(', ')}) must be (offset_y, offset_x)`);
    if (!data) return { inputs: [null], outputs: [null] };
    if (data.length < 4) site.fail('data', `shape ${shapeToString(data)} must be 4-d (batch, channel, height, width)`);
    return { inputs: [data], outputs: [[1, data[2]! * data[3]! * numAnchors(p), 4]] };
  },
  forward: (p, [x], [out], [req], ctx) => {
    if (req === 'null') return;
    const cfg = { sizes: p.sizes, ratios: p.ratios, steps: [p.steps[0]!, p.steps[1]!] as const, offsets: [p.offsets[0]!, p.offsets[1]!] as const, clip: p.clip };
    ctx.kernels.multiboxPrior(x!.shape[2]!, x!.shape[3]!, cfg, out!.data);
  },
  backward: ZERO_GRADIENT,
});
