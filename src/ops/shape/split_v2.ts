/**
 * `_split_v2` (MXNet `tensor/matrix_op-inl.h`, behind `mx.nd.split_v2`): cuts data along an axis
 * at the given indices (the front end prepends 0) or into `sections` equal parts.
 */
import { Shape, shapeToString, sizeOf } from '../../base/shape';
import { bool, int, intTuple, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { ShapeSite } from '../types';
import { clearForAdd } from './common';

const SPLIT_PARAMS = {
  indices: intTuple({ doc: 'start of each part along axis (the first usually 0); ignored when sections > 0 (required)' }),
  axis: int({ doc: 'the axis to split; negative counts from the end', default: 1 }),
  squeeze_axis: bool({ doc: 'drop the split axis from the outputs (every part must then have size 1)', default: false }),
  sections: int({ doc: 'number of equal parts; 0 splits at indices', default: 0, min: 0 }),
};
type SplitParams = ParamsOf<typeof SPLIT_PARAMS>;

const numParts = (p: SplitParams) => (p.sections > 0 ? p.sections : p.indices.length);

/** Each part's [start, end) along the resolved axis. */
function parts(p: SplitParams, data: Shape, site?: ShapeSite): { axis: number; ranges: [number, number][] } {
  const axis = p.axis < 0 ? p.axis + data.length : p.axis;
  if (site && (axis < 0 || axis >= data.length)) site.fail('axis', `${p.axis} is out of range for the ${data.length}-d input ${shapeToString(data)}`, data.length, p.axis);
  const size = data[axis]!;
  if (site && p.sections > 0 && size % p.sections !== 0) {
    site.fail('sections', `${p.sections} does not divide axis ${axis} of size ${size} (data ${shapeToString(data)}) into equal parts`, undefined, p.sections);
  }
  const starts = p.sections > 0 ? Array.from({ length: p.sections }, (_, k) => (k * size) / p.sections) : p.indices;
  const ranges = starts.map((start, k): [number, number] => [start, k + 1 < starts.length ? starts[k + 1]! : size]);
  ranges.forEach(([start, end], k) => {
    if (site && !(start < end && end <= size)) site.fail('indices', `(${p.indices.join(',')}) gives part ${k} the range [${start}, ${end}), not a non-empty range inside axis ${axis} of size ${size}`);
    if (site && p.squeeze_axis && end - start !== 1) site.fail('squeeze_axis', `needs parts of size 1, but part ${k} has size ${end - start}`);
  });
  return { axis, ranges };
}

/** Each part as an (outer, width) block of data's rows: its offset in data and its own strides. */
function splitView(p: SplitParams, data: Shape) {
  const { axis, ranges } = parts(p, data);
  const inner = sizeOf(data.slice(axis + 1));
  const outer = sizeOf(data.slice(0, axis));
  return {
    wholeStrides: [data[axis]! * inner, 1],
    parts: ranges.map(([start, end]) => ({ offset: start * inner, shape: [outer, (end - start) * inner], strides: [(end - start) * inner, 1] })),
  };
}

export const splitV2Op = defineOp({
  name: '_split_v2',
  doc: 'output_k = data[..., start_k:start_(k+1), ...] along axis (the last part runs to the end; squeeze_axis drops the axis); dx = the output gradients in their ranges.',
  params: SPLIT_PARAMS,
  inputs: () => ['data'],
  outputs: (p) => Array.from({ length: numParts(p) }, (_, k) => `output${k}`),
  inferShape: (p, [data], outputs, site) => {
    if (!data) return { inputs: [null], outputs };
    const { axis, ranges } = parts(p, data, site);
    return {
      inputs: [data],
      outputs: ranges.map(([start, end]) => (p.squeeze_axis ? data.filter((_, i) => i !== axis) : data.map((d, i) => (i === axis ? end - start : d)))),
    };
  },
  createState: (p, [data]) => splitView(p, data!),
  forward: (_p, [x], outputs, req, ctx) => {
    const v = ctx.state;
    v.parts.forEach((part, k) => ctx.kernels.stridedCopy(x!.data, part.offset, v.wholeStrides, outputs[k]!.data, 0, part.strides, part.shape, req[k]!));
  },
  backward: {
    usesOutGrads: true,
    compute: (_p, { outGrads }, [dx], [req], ctx) => {
      if (!dx || req === 'null') return;
      const v = ctx.state;
      clearForAdd(dx, req!, ctx);
      v.parts.forEach((part, k) => ctx.kernels.stridedCopy(outGrads[k]!.data, 0, part.strides, dx.data, part.offset, v.wholeStrides, part.shape, 'add'));
    },
  },
});
