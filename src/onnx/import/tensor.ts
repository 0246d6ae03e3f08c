/** Import of ONNX shape and data-movement ops. */
import type { Symbol } from '../../symbol/symbol';
import { DataType } from '../proto';
import { ImportTranslator, NodeImport, apply, int, ints, requireConstant, str } from '../import_types';

/** Axes given as an attribute (older opsets) or as a constant input (newer ones). */
export function axesOf(n: NodeImport, inputIndex: number): number[] | null {
  if (n.attr('axes') !== undefined) return ints(n, 'axes');
  return n.has(inputIndex) ? [...requireConstant(n, inputIndex, 'axes').values] : null;
}

/** ONNX ends past the data (INT64_MAX, or below -2^31 going backwards) mean "to the end": None. */
const openEnd = (v: number) => (Math.abs(v) >= 2 ** 31 ? null : v);

const slice: ImportTranslator = (n) => {
  const starts = requireConstant(n, 1, 'starts').values;
  const ends = requireConstant(n, 2, 'ends').values;
  const axes = n.has(3) ? requireConstant(n, 3, 'axes').values : starts.map((_, k) => k);
  const steps = n.has(4) ? requireConstant(n, 4, 'steps').values : starts.map(() => 1);
  if (axes.some((a) => a < 0)) n.fail('that are negative need the input rank, which importModel does not track', 'axes');
  const rank = Math.max(...axes) + 1;
  const begin: (number | null)[] = new Array<number | null>(rank).fill(null);
  const end: (number | null)[] = new Array<number | null>(rank).fill(null);
  const step: number[] = new Array<number>(rank).fill(1);
  axes.forEach((axis, k) => {
    begin[axis] = openEnd(starts[k]!);
    end[axis] = openEnd(ends[k]!);
    step[axis] = steps[k]!;
  });
  return apply(n, 'slice', [n.input(0)], { begin, end, step });
};

const reshape: ImportTranslator = (n) => {
  const shape = requireConstant(n, 1, 'shape').values;
  if (int(n, 'allowzero', 0) === 1 && shape.includes(0)) n.fail('with a 0 in the shape has no mxts equivalent', 'allowzero');
  return apply(n, 'Reshape', [n.input(0)], { shape });
};

const unsqueeze: ImportTranslator = (n) => {
  const axes = axesOf(n, 1);
  if (!axes || axes.some((a) => a < 0)) return n.fail('must be non-negative constants', 'axes');
  // Inserting in ascending order places each axis where the output rank says.
  return [...axes].sort((a, b) => a - b).reduce((x: Symbol, axis, k) => apply(k === axes.length - 1 ? n : { ...n, name: undefined }, 'expand_dims', [x], { axis }), n.input(0));
};

const pad: ImportTranslator = (n) => {
  const pads = n.attr('pads') !== undefined ? ints(n, 'pads') : [...requireConstant(n, 1, 'pads').values];
  if (n.has(3)) n.fail('as an input is not supported', 'axes');
  const axes = pads.length / 2;
  const width = Array.from({ length: axes }, (_, k) => [pads[k]!, pads[axes + k]!]).flat();
  const value = n.has(2) ? requireConstant(n, 2, 'constant_value').values[0]! : Number(n.attr('value') ?? 0);
  return apply(n, 'Pad', [n.input(0)], { mode: str(n, 'mode', 'constant'), pad_width: width, constant_value: value });
};

/** Resize that repeats pixels by integer factors: UpSampling nearest. */
const resize: ImportTranslator = (n) => {
  const scales = n.has(2) ? requireConstant(n, 2, 'scales').values : [];
  const fits = str(n, 'mode', 'nearest') === 'nearest' && str(n, 'coordinate_transformation_mode', 'half_pixel') === 'asymmetric' && str(n, 'nearest_mode', 'round_prefer_floor') === 'floor';
  if (!fits || scales.length !== 4 || scales[0] !== 1 || scales[1] !== 1 || !scales.every(Number.isInteger)) {
    n.fail('only nearest resizing by integer factors of the last two axes (asymmetric, floor) maps to UpSampling');
  }
  return apply(n, 'UpSampling', [n.input(0)], { sample_type: 'nearest', scale: [scales[2], scales[3]], num_args: 1 });
};

const DTYPES: Readonly<Record<number, string>> = {
  [DataType.FLOAT]: 'float32', [DataType.DOUBLE]: 'float64', [DataType.FLOAT16]: 'float16', [DataType.UINT8]: 'uint8',
  [DataType.INT8]: 'int8', [DataType.INT32]: 'int32', [DataType.INT64]: 'int64', [DataType.BOOL]: 'bool',
};

const cast: ImportTranslator = (n) => {
  const dtype = DTYPES[int(n, 'to', 0)];
  if (!dtype) n.fail(`${String(n.attr('to'))} is not a type mxts casts to`, 'to');
  return apply(n, 'Cast', [n.input(0)], { dtype });
};

/**
 * Gather on axis 0 of a constant table is an Embedding; anything else is take. Both read float32
 * indices in mxts, so integer indices (ONNX's) are cast back first.
 */
const gather: ImportTranslator = (n) => {
  const table = n.constantDims(0);
  const axis = int(n, 'axis', 0);
  const indices = apply({ ...n, name: undefined }, 'Cast', [n.input(1)], { dtype: 'float32' });
  if (table && table.length === 2 && axis === 0) {
    return apply(n, 'Embedding', [indices, n.param(0)], { input_dim: table[0], output_dim: table[1] });
  }
  return apply(n, 'take', [n.input(0), indices], { axis, mode: 'clip' });
};

/** Equal parts only (SliceChannel). */
const split: ImportTranslator = (n) => {
  const outputs = n.node.output.length;
  const parts = n.has(1) ? requireConstant(n, 1, 'split').values : ints(n, 'split', []);
  if (parts.some((p) => p !== parts[0])) n.fail(`[${parts.join(',')}] are unequal parts, which SliceChannel cannot make`, 'split');
  return apply(n, 'SliceChannel', [n.input(0)], { num_outputs: outputs, axis: int(n, 'axis', 0) });
};

/** Where's boolean condition: the value cast to bool when a Cast wrote it, else the value itself. */
const where: ImportTranslator = (n) => {
  const source = n.producer(0);
  const toBool = source?.op_type === 'Cast' && (source.attribute ?? []).some((a) => a.name === 'to' && Number(a.i) === DataType.BOOL);
  const condition = toBool ? n.value(source!.input[0]!) : n.input(0);
  return apply(n, 'where', [condition, n.input(1), n.input(2)]);
};

export const TENSOR_IMPORTS: Readonly<Record<string, ImportTranslator>> = {
  Flatten: (n) => {
    if (int(n, 'axis', 1) !== 1) n.fail(`${int(n, 'axis', 1)} is not supported (only 1 maps to Flatten)`, 'axis');
    return apply(n, 'Flatten', [n.input(0)]);
  },
  Reshape: reshape,
  Concat: (n) => apply(n, 'Concat', n.node.input.map((_, k) => n.input(k)), { dim: int(n, 'axis', 1), num_args: n.node.input.length }),
  Transpose: (n) => apply(n, 'transpose', [n.input(0)], { axes: ints(n, 'perm', []) }),
  Identity: (n) => apply(n, '_copy', [n.input(0)]),
  Slice: slice,
  Unsqueeze: unsqueeze,
  Squeeze: (n) => {
    const axes = axesOf(n, 1);
    return apply(n, 'squeeze', [n.input(0)], axes ? { axis: axes } : {});
  },
  Pad: pad,
  Resize: resize,
  Cast: cast,
  Gather: gather,
  Split: split,
  Where: where,
  Tile: (n) => apply(n, 'tile', [n.input(0)], { reps: requireConstant(n, 1, 'repeats').values }),
  Expand: (n) => apply(n, 'broadcast_to', [n.input(0)], { shape: requireConstant(n, 1, 'shape').values }),
  DepthToSpace: (n) => {
    if (str(n, 'mode', 'DCR') !== 'DCR') n.fail("is not 'DCR', the only mode depth_to_space has", 'mode');
    return apply(n, 'depth_to_space', [n.input(0)], { block_size: int(n, 'blocksize', 1) });
  },
  SpaceToDepth: (n) => apply(n, 'space_to_depth', [n.input(0)], { block_size: int(n, 'blocksize', 1) }),
};
