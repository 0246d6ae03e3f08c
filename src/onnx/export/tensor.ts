/** Export of shape and data-movement ops: reshape, concat, slicing, padding, resizing, casts. */
import { attr, GraphBuilder } from '../graph_builder';
import { NodeExport, Translator, read, shapeOf } from '../export_types';
import { DataType } from '../proto';

const one = (n: NodeExport, g: GraphBuilder, opType: string, inputs: readonly string[], attrs = {}) => g.node(opType, inputs, [n.outputs[0]!], attrs, n.name);

/** Shapes are resolved with the known input shapes, so MXNet's special values never reach ONNX. */
const reshapeTo = (n: NodeExport, g: GraphBuilder, x: string) => one(n, g, 'Reshape', [x, g.constInt64(`${n.name}_shape`, n.outputShapes[0]!)]);

const normAxis = (axis: number, ndim: number) => (axis < 0 ? axis + ndim : axis);

function sliceNode(n: NodeExport, g: GraphBuilder, x: string, starts: number[], ends: number[], axes: number[], steps?: number[]): void {
  const inputs = [x, g.constInt64(`${n.name}_starts`, starts), g.constInt64(`${n.name}_ends`, ends), g.constInt64(`${n.name}_axes`, axes)];
  if (steps) inputs.push(g.constInt64(`${n.name}_steps`, steps));
  one(n, g, 'Slice', inputs);
}

/** MXNet's slice bounds (None, negative, reversed) resolved to ONNX's on the known shape. */
function sliceBounds(dim: number, begin: number | null, end: number | null, step: number): [number, number] {
  const wrap = (v: number) => (v < 0 ? v + dim : v);
  if (step > 0) return [Math.min(Math.max(wrap(begin ?? 0), 0), dim), Math.min(Math.max(wrap(end ?? dim), 0), dim)];
  const b = Math.min(Math.max(wrap(begin ?? dim - 1), -1), dim - 1);
  const e = end === null ? -1 : Math.min(Math.max(wrap(end), -1), dim - 1);
  // ONNX reads a negative end as counting from the back: -2^31 clamps to "past the front".
  return [b, e < 0 ? -(2 ** 31) : e];
}

const slice: Translator = (n, g) => {
  const shape = shapeOf(n, 0);
  const begin = read.optInts(n, 'begin') ?? [];
  const end = read.optInts(n, 'end') ?? [];
  const step = read.optInts(n, 'step') ?? [];
  const starts: number[] = [];
  const ends: number[] = [];
  const steps: number[] = [];
  begin.forEach((b, i) => {
    const s = step[i] ?? 1;
    const [from, to] = sliceBounds(shape[i]!, b, end[i] ?? null, s);
    starts.push(from);
    ends.push(to);
    steps.push(s);
  });
  sliceNode(n, g, n.inputs[0]!, starts, ends, begin.map((_, i) => i), steps);
};

const sliceAxis: Translator = (n, g) => {
  const shape = shapeOf(n, 0);
  const axis = normAxis(read.num(n, 'axis'), shape.length);
  const [from, to] = sliceBounds(shape[axis]!, read.num(n, 'begin'), read.optNum(n, 'end'), 1);
  sliceNode(n, g, n.inputs[0]!, [from], [to], [axis]);
};

/** Crop's window: h_w or the second input's spatial size, at offset or centred. */
const crop: Translator = (n, g) => {
  const data = shapeOf(n, 0);
  const [, , h, w] = n.outputShapes[0]!;
  const center = read.bool(n, 'center_crop');
  const offset = read.ints(n, 'offset');
  const y = center ? Math.floor((data[2]! - h!) / 2) : offset[0] ?? 0;
  const x = center ? Math.floor((data[3]! - w!) / 2) : offset[1] ?? 0;
  sliceNode(n, g, n.inputs[0]!, [y, x], [y + h!, x + w!], [2, 3]);
};

const transpose: Translator = (n, g) => {
  const ndim = shapeOf(n, 0).length;
  const axes = read.ints(n, 'axes');
  const perm = axes.length === 0 ? Array.from({ length: ndim }, (_, k) => ndim - 1 - k) : axes.map((a) => normAxis(a, ndim));
  one(n, g, 'Transpose', [n.inputs[0]!], { perm: attr.ints(perm) });
};

const swapAxis: Translator = (n, g) => {
  const ndim = shapeOf(n, 0).length;
  const perm = Array.from({ length: ndim }, (_, k) => k);
  const a = normAxis(read.num(n, 'dim1'), ndim);
  const b = normAxis(read.num(n, 'dim2'), ndim);
  [perm[a], perm[b]] = [perm[b]!, perm[a]!];
  one(n, g, 'Transpose', [n.inputs[0]!], { perm: attr.ints(perm) });
};

const expandDims: Translator = (n, g) => {
  const axis = normAxis(read.num(n, 'axis'), shapeOf(n, 0).length + 1);
  one(n, g, 'Unsqueeze', [n.inputs[0]!, g.constInt64(`${n.name}_axes`, [axis])]);
};

const squeeze: Translator = (n, g) => {
  const shape = shapeOf(n, 0);
  const given = read.optInts(n, 'axis');
  const axes = given === null ? shape.flatMap((d, k) => (d === 1 ? [k] : [])) : given.map((a) => normAxis(a!, shape.length));
  // MXNet keeps one axis when every axis is squeezed; a Reshape says so exactly.
  if (axes.length === shape.length) return reshapeTo(n, g, n.inputs[0]!);
  one(n, g, 'Squeeze', [n.inputs[0]!, g.constInt64(`${n.name}_axes`, axes)]);
};

const pad: Translator = (n, g) => {
  const widths = read.ints(n, 'pad_width');
  const pads = [...widths.filter((_, k) => k % 2 === 0), ...widths.filter((_, k) => k % 2 === 1)];
  const mode = read.str(n, 'mode');
  const value = mode === 'constant' ? [g.constFloat(`${n.name}_value`, [read.num(n, 'constant_value')], [])] : [];
  one(n, g, 'Pad', [n.inputs[0]!, g.constInt64(`${n.name}_pads`, pads), ...value], { mode: attr.s(mode) });
};

function upsamplingScale(scale: readonly number[]): [number, number] {
  if (scale.length === 1) return [scale[0]!, scale[0]!];
  if (scale.length === 2) return [scale[0]!, scale[1]!];
  if (scale.length === 4) return [scale[2]!, scale[3]!];
  return [1, 1];
}

/** nearest: a Resize that repeats pixels; bilinear: the grouped ConvTranspose MXNet runs. */
const upsampling: Translator = (n, g) => {
  const [sh, sw] = upsamplingScale(read.ints(n, 'scale'));
  if (read.str(n, 'sample_type') === 'bilinear') {
    const kernel = 2 * sh - (sh % 2);
    const p = Math.ceil((sh - 1) / 2);
    const attrs = { kernel_shape: attr.ints([kernel, kernel]), strides: attr.ints([sh, sh]), pads: attr.ints([p, p, p, p]), group: attr.i(read.num(n, 'num_filter')) };
    return one(n, g, 'ConvTranspose', n.inputs.slice(0, 2), attrs);
  }
  if (read.num(n, 'num_args') !== 1) n.fail('above 1 (nearest upsampling of several inputs) has no ONNX translation', 'num_args');
  const scales = g.constFloat(`${n.name}_scales`, [1, 1, sh, sw]);
  one(n, g, 'Resize', [n.inputs[0]!, '', scales], { mode: attr.s('nearest'), coordinate_transformation_mode: attr.s('asymmetric'), nearest_mode: attr.s('floor') });
};

/**
 * Casts between float types keep float32 values in mxts; integer dtypes are left to a later
 * version of the exporter, which writes float32 graphs only.
 */
const FLOAT_TYPES = new Set(['float32', 'float64', 'float16', 'bfloat16']);

const cast: Translator = (n, g) => {
  const dtype = read.str(n, 'dtype');
  if (dtype !== 'float32') n.fail(`'${dtype}' is not exported: exportModel writes float32 graphs only${FLOAT_TYPES.has(dtype) ? '' : ' (integer outputs would change the types of the ops that read them)'}`, 'dtype');
  one(n, g, 'Cast', [n.inputs[0]!], { to: attr.i(DataType.FLOAT) });
};

const tile: Translator = (n, g) => {
  const shape = shapeOf(n, 0);
  const reps = read.ints(n, 'reps');
  // MXNet pads the shorter of shape and reps with leading ones.
  const ndim = Math.max(shape.length, reps.length);
  const padded = [...new Array<number>(ndim - reps.length).fill(1), ...reps];
  const x = shape.length < ndim ? g.step('Reshape', [n.inputs[0]!, g.constInt64(`${n.name}_in_shape`, [...new Array<number>(ndim - shape.length).fill(1), ...shape])], `${n.name}_padded`) : n.inputs[0]!;
  one(n, g, 'Tile', [x, g.constInt64(`${n.name}_reps`, padded)]);
};

const broadcastTo: Translator = (n, g) => one(n, g, 'Expand', [n.inputs[0]!, g.constInt64(`${n.name}_shape`, n.outputShapes[0]!)]);

const depthToSpace: Translator = (n, g) => one(n, g, 'DepthToSpace', [n.inputs[0]!], { blocksize: attr.i(read.num(n, 'block_size')), mode: attr.s('DCR') });
const spaceToDepth: Translator = (n, g) => one(n, g, 'SpaceToDepth', [n.inputs[0]!], { blocksize: attr.i(read.num(n, 'block_size')) });

/** SliceChannel: equal parts along an axis, each squeezed when squeeze_axis. */
const sliceChannel: Translator = (n, g) => {
  const shape = shapeOf(n, 0);
  const axis = normAxis(read.num(n, 'axis'), shape.length);
  const parts = read.num(n, 'num_outputs');
  const squeezeAxis = read.bool(n, 'squeeze_axis');
  const pieces = n.outputs.map((out) => (squeezeAxis ? g.fresh(`${out}_unsqueezed`) : out));
  g.node('Split', [n.inputs[0]!, g.constInt64(`${n.name}_split`, new Array<number>(parts).fill(shape[axis]! / parts))], pieces, { axis: attr.i(axis) }, n.name);
  if (squeezeAxis) {
    const axes = g.constInt64(`${n.name}_axes`, [axis]);
    pieces.forEach((piece, k) => g.node('Squeeze', [piece, axes], [n.outputs[k]!]));
  }
};

/** take: indices clipped into the axis (mode clip; raise matches in range) and truncated to int64. */
const take: Translator = (n, g) => {
  if (read.str(n, 'mode') === 'wrap') n.fail("'wrap' has no ONNX translation (Gather does not wrap)", 'mode');
  const shape = shapeOf(n, 0);
  const axis = normAxis(read.num(n, 'axis'), shape.length);
  const bounds = [g.constFloat(`${n.name}_min`, [0], []), g.constFloat(`${n.name}_max`, [shape[axis]! - 1], [])];
  const clipped = g.step('Clip', [n.inputs[1]!, ...bounds], `${n.name}_clipped`);
  const indices = g.step('Cast', [clipped], `${n.name}_indices`, { to: attr.i(DataType.INT64) });
  one(n, g, 'Gather', [n.inputs[0]!, indices], { axis: attr.i(axis) });
};

/** where: a non-zero condition picks x (ONNX wants a boolean condition). */
const where: Translator = (n, g) => {
  const condition = g.step('Cast', [n.inputs[0]!], `${n.name}_condition`, { to: attr.i(DataType.BOOL) });
  one(n, g, 'Where', [condition, n.inputs[1]!, n.inputs[2]!]);
};

export const TENSOR_TRANSLATORS: Readonly<Record<string, Translator>> = {
  Flatten: (n, g) => one(n, g, 'Flatten', [n.inputs[0]!], { axis: attr.i(1) }),
  Reshape: (n, g) => reshapeTo(n, g, n.inputs[0]!),
  reshape_like: (n, g) => reshapeTo(n, g, n.inputs[0]!),
  Concat: (n, g) => one(n, g, 'Concat', n.inputs, { axis: attr.i(normAxis(read.num(n, 'dim'), shapeOf(n, 0).length)) }),
  stack: (n, g) => {
    const axis = normAxis(read.num(n, 'axis'), shapeOf(n, 0).length + 1);
    const axes = g.constInt64(`${n.name}_axes`, [axis]);
    one(n, g, 'Concat', n.inputs.map((x, k) => g.step('Unsqueeze', [x, axes], `${n.name}_arg${k}`)), { axis: attr.i(axis) });
  },
  transpose,
  SwapAxis: swapAxis,
  slice,
  slice_axis: sliceAxis,
  Crop: crop,
  expand_dims: expandDims,
  squeeze,
  Pad: pad,
  UpSampling: upsampling,
  Cast: cast,
  tile,
  broadcast_to: broadcastTo,
  depth_to_space: depthToSpace,
  space_to_depth: spaceToDepth,
  SliceChannel: sliceChannel,
  take,
  where,
};
