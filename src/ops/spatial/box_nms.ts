/**
 * `_contrib_box_nms`, alias `_contrib_box_non_maximum_suppression` (MXNet
 * `contrib/bounding_box-inl.h`): greedy non-maximum suppression per batch, output laid out as
 * MXNet's, with a hidden record of where each output row came from for the backward.
 */
import { shapeToString } from '../../base/shape';
import { bool, enumOf, float, int, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape, ShapeSite } from '../types';

const FORMATS = ['corner', 'center'] as const;

const PARAMS = {
  overlap_thresh: float({ doc: 'IoU above which the lower-scored box is suppressed', default: 0.5 }),
  valid_thresh: float({ doc: 'boxes need a score above this to take part', default: 0 }),
  topk: int({ doc: 'keep at most the topk best boxes per batch before NMS; -1 keeps all', default: -1 }),
  coord_start: int({ doc: 'index of the first of the 4 coordinates in a box row', default: 2 }),
  score_index: int({ doc: 'index of the score in a box row', default: 1 }),
  id_index: int({ doc: 'index of the class id in a box row; -1 for none', default: -1 }),
  background_id: int({ doc: 'class id ignored by NMS (with id_index >= 0)', default: -1 }),
  force_suppress: bool({ doc: 'suppress across classes too (else only boxes of the same id)', default: false }),
  in_format: enumOf({ doc: 'corner [xmin, ymin, xmax, ymax] or center [x, y, w, h]', values: FORMATS, default: 'corner' }),
  out_format: enumOf({ doc: 'encoding of the output coordinates', values: FORMATS, default: 'corner' }),
};
type Params = ParamsOf<typeof PARAMS>;

/** MXNet's BoxNMSShape checks on the row layout. */
function checkLayout(p: Params, shape: readonly number[], site: ShapeSite): void {
  if (shape.length < 2) site.fail('data', `shape ${shapeToString(shape)} must have at least 2 dims (..., num_boxes, box_width)`);
  const width = shape[shape.length - 1]!;
  const expected = p.id_index > 0 ? 6 : 5;
  if (width < expected) site.fail('data', `rows have ${width} values, need at least ${expected} (score and 4 coordinates${p.id_index > 0 ? ', id' : ''})`);
  const coordEnd = p.coord_start + 3;
  if (p.score_index < 0 || p.score_index >= width) site.fail('score_index', `${p.score_index} is out of range [0, ${width})`);
  if (p.score_index >= p.coord_start && p.score_index <= coordEnd) site.fail('score_index', `${p.score_index} overlaps the coordinates [${p.coord_start}, ${coordEnd}]`);
  if (p.coord_start < 0 || coordEnd >= width) site.fail('coord_start', `${p.coord_start} puts the coordinates [${p.coord_start}, ${coordEnd}] outside the row of ${width}`);
  if (p.id_index >= 0) {
    if (p.id_index >= width) site.fail('id_index', `${p.id_index} is out of range [0, ${width})`);
    if (p.id_index >= p.coord_start && p.id_index <= coordEnd) site.fail('id_index', `${p.id_index} overlaps the coordinates [${p.coord_start}, ${coordEnd}]`);
    if (p.id_index === p.score_index) site.fail('id_index', `${p.id_index} is also the score_index`);
  }
}

const configOf = (p: Params) => ({
  overlapThresh: p.overlap_thresh, validThresh: p.valid_thresh, topk: p.topk, coordStart: p.coord_start, scoreIndex: p.score_index,
  idIndex: p.id_index, backgroundId: p.background_id, forceSuppress: p.force_suppress, inCenter: p.in_format === 'center', outCenter: p.out_format === 'center',
});

/** (batches, boxes per batch, row width) of a data shape: every leading dim is batch. */
function layout(shape: readonly number[]): [number, number, number] {
  const n = shape.length;
  return [shape.slice(0, n - 2).reduce((a, b) => a * b, 1), shape[n - 2]!, shape[n - 1]!];
}

export const boxNmsOp = defineOp({
  name: '_contrib_box_nms',
  aliases: ['_contrib_box_non_maximum_suppression'],
  doc: [
    'Per batch (all dims before the last two): boxes with score > valid_thresh (and id != background_id when id_index >= 0)',
    'sorted by score, the best topk kept, then each suppresses later ones (same id unless force_suppress) with IoU >',
    'overlap_thresh. Output: survivors best first, then rows of -1; coordinates converted to out_format. Hidden output:',
    'the flat input row of each output row (-1 for fill). d data[row] = g of the output row it went to; suppressed rows get 0.',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data'],
  outputs: () => ['output', 'temp'],
  numVisibleOutputs: () => 1,
  inferShape: (p, [data]: readonly MaybeShape[], [output], site) => {
    const shape = data ?? output ?? null;
    if (!shape) return { inputs: [null], outputs: [null, null] };
    checkLayout(p, shape, site);
    return { inputs: [shape], outputs: [shape, [...shape.slice(0, -1), 1]] };
  },
  workspace: (_p, [data]) => data!.reduce((a, b) => a * b, 1) / data![data!.length - 1]!,
  forward: (p, [x], [out, record], [req], ctx) => {
    if (req === 'null') return;
    const [batches, count, width] = layout(x!.shape);
    ctx.kernels.boxNms(x!.data, batches, count, width, configOf(p), out!.data, record!.data, ctx.workspace);
  },
  backward: {
    usesOutGrads: true,
    compute: (_p, { outputs: [, record], outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx) return;
      const [batches, count, width] = layout(dx.shape);
      ctx.kernels.boxNmsGrad(g!.data, record!.data, batches * count, width, dx.data, req!);
    },
  },
});
