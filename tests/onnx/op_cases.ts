/**
 * One small graph per exportable operator form (every op of mx.onnx.exportableOps() at least
 * once, the forms that change the translation too), with input shapes and value ranges.
 */
import * as mx from 'mxts';

const sym = mx.sym as unknown as Record<string, (...args: unknown[]) => mx.Symbol>;
const x = mx.sym.Variable('x');
const y = mx.sym.Variable('y');
const z = mx.sym.Variable('z');

export interface OpCase {
  title: string;
  symbol: mx.Symbol;
  shapes: Record<string, number[]>;
  /** Input values drawn uniformly from [low, high) (floored when `integers`). */
  low?: number;
  high?: number;
  integers?: boolean;
}

const SMALL_INTS_ANY = { low: -1, high: 2, integers: true };
const c = (title: string, symbol: mx.Symbol, shapes: Record<string, number[]>, range: Partial<OpCase> = {}): OpCase => ({ title, symbol, shapes, ...range });
const IMG = { x: [2, 3, 6, 6] };
const MAT = { x: [3, 4] };
const PAIR = { x: [3, 4], y: [3, 4] };
const BCAST = { x: [3, 4], y: [1, 4] };

export const NN_CASES: OpCase[] = [
  c('Convolution 3x3 stride 2 pad 1', sym.Convolution!(x, { kernel: [3, 3], stride: [2, 2], pad: [1, 1], num_filter: 4, name: 'conv' }), { x: [2, 3, 7, 7] }),
  c('Convolution grouped, dilated, no bias', sym.Convolution!(x, { kernel: [3, 3], dilate: [2, 2], num_group: 2, num_filter: 4, no_bias: true, name: 'conv' }), { x: [1, 4, 8, 8] }),
  c('Convolution 1-d', sym.Convolution!(x, { kernel: [3], num_filter: 2, name: 'conv' }), { x: [2, 3, 9] }),
  c('Deconvolution stride 2 pad 1 adj 1', sym.Deconvolution!(x, { kernel: [3, 3], stride: [2, 2], pad: [1, 1], adj: [1, 1], num_filter: 2, name: 'deconv' }), { x: [1, 3, 4, 4] }),
  c('Deconvolution target_shape, grouped, no bias', sym.Deconvolution!(x, { kernel: [4, 4], stride: [2, 2], target_shape: [8, 8], num_group: 2, num_filter: 4, no_bias: true, name: 'deconv' }), { x: [1, 4, 4, 4] }),
  c('FullyConnected flatten=true on 4-d data', sym.FullyConnected!(x, { num_hidden: 5, name: 'fc' }), IMG),
  c('FullyConnected flatten=false on 3-d data', sym.FullyConnected!(x, { num_hidden: 5, flatten: false, name: 'fc' }), { x: [2, 3, 4] }),
  c('FullyConnected no_bias', sym.FullyConnected!(x, { num_hidden: 5, no_bias: true, name: 'fc' }), MAT),
  ...['relu', 'sigmoid', 'tanh', 'softrelu', 'softsign'].map((act) => c(`Activation ${act}`, sym.Activation!(x, { act_type: act }), MAT, { low: -3, high: 3 })),
  ...['leaky', 'elu', 'selu', 'gelu', 'rrelu'].map((act) => c(`LeakyReLU ${act}`, sym.LeakyReLU!(x, { act_type: act, slope: 0.3 }), IMG, { low: -2, high: 2 })),
  c('LeakyReLU prelu (per-channel gamma)', sym.LeakyReLU!(x, { act_type: 'prelu', name: 'prelu' }), IMG, { low: -2, high: 2 }),
  c('BatchNorm fix_gamma=true', sym.BatchNorm!(x, { name: 'bn' }), IMG),
  c('BatchNorm fix_gamma=false eps 1e-5', sym.BatchNorm!(x, { fix_gamma: false, eps: 1e-5, name: 'bn' }), IMG),
  c('Pooling max 3x3 stride 2 valid', sym.Pooling!(x, { kernel: [3, 3], stride: [2, 2], pool_type: 'max' }), { x: [1, 2, 7, 7] }),
  c('Pooling max full convention (ceil)', sym.Pooling!(x, { kernel: [3, 3], stride: [2, 2], pool_type: 'max', pooling_convention: 'full' }), { x: [1, 2, 8, 8] }),
  c('Pooling avg pad 1 count_include_pad', sym.Pooling!(x, { kernel: [3, 3], pad: [1, 1], pool_type: 'avg' }), IMG),
  c('Pooling avg without padding in the count', sym.Pooling!(x, { kernel: [3, 3], stride: [2, 2], pad: [1, 1], pool_type: 'avg', count_include_pad: false }), IMG),
  c('Pooling global max', sym.Pooling!(x, { kernel: [1, 1], global_pool: true, pool_type: 'max' }), IMG),
  c('Pooling global avg', sym.Pooling!(x, { kernel: [1, 1], global_pool: true, pool_type: 'avg' }), IMG),
  c('Dropout (identity at inference)', sym.Dropout!(x, { p: 0.5 }), MAT),
  c('Embedding', sym.Embedding!(x, { input_dim: 5, output_dim: 3, name: 'embed' }), { x: [2, 4] }, { low: 0, high: 5, integers: true }),
  c('LRN', sym.LRN!(x, { nsize: 3, alpha: 0.001, beta: 0.75, knorm: 2 }), { x: [2, 5, 3, 3] }),
  c('LayerNorm over the last axis', sym.LayerNorm!(x, { eps: 0.001, name: 'ln' }), { x: [2, 3, 5] }),
  c('InstanceNorm', sym.InstanceNorm!(x, { eps: 0.001, name: 'inorm' }), IMG),
];

export const TENSOR_CASES: OpCase[] = [
  c('Flatten', sym.Flatten!(x), IMG),
  c('Reshape (0, -1)', sym.Reshape!(x, { shape: [0, -1] }), IMG),
  c('Reshape (-3, -2)', sym.Reshape!(x, { shape: [-3, -2] }), IMG),
  c('Reshape (-4, 1, 2, -2)', sym.Reshape!(x, { shape: [-4, 1, 2, -2] }), { x: [2, 3, 4] }),
  c('reshape_like', sym.reshape_like!(x, y), { x: [2, 6], y: [3, 4] }),
  c('Concat along axis 1', sym.Concat!(x, y, z, { dim: 1 }), { x: [2, 3], y: [2, 1], z: [2, 2] }),
  c('stack axis 1', sym.stack!(x, y, { axis: 1 }), PAIR),
  c('transpose (0, 2, 1)', sym.transpose!(x, { axes: [0, 2, 1] }), { x: [2, 3, 4] }),
  c('transpose reversing', sym.transpose!(x), { x: [2, 3, 4] }),
  c('SwapAxis', sym.SwapAxis!(x, { dim1: 0, dim2: 2 }), { x: [2, 3, 4] }),
  c('slice with None and negative end', sym.slice!(x, { begin: [0, 1], end: [null, -1] }), { x: [3, 5, 2] }),
  c('slice with steps', sym.slice!(x, { begin: [null, 4], end: [null, null], step: [2, -2] }), { x: [5, 6] }),
  c('slice reversed to the front', sym.slice!(x, { begin: [null], end: [null], step: [-1] }), MAT),
  c('slice_axis', sym.slice_axis!(x, { axis: 1, begin: 1, end: null }), MAT),
  c('slice_axis negative bounds', sym.slice_axis!(x, { axis: -1, begin: -3, end: -1 }), MAT),
  c('Crop h_w at offset', sym.Crop!(x, { h_w: [3, 3], offset: [1, 2], num_args: 1 }), { x: [1, 2, 6, 6] }),
  c('Crop centred like another input', sym.Crop!(x, y, { num_args: 2, center_crop: true }), { x: [1, 2, 7, 7], y: [1, 2, 4, 4] }),
  c('expand_dims axis -1', sym.expand_dims!(x, { axis: -1 }), MAT),
  c('squeeze axis 1', sym.squeeze!(x, { axis: [1] }), { x: [2, 1, 3] }),
  c('squeeze every axis', sym.squeeze!(x), { x: [1, 1] }),
  c('Pad constant', sym.Pad!(x, { mode: 'constant', pad_width: [0, 0, 0, 0, 1, 2, 2, 1], constant_value: 0.5 }), IMG),
  c('Pad edge', sym.Pad!(x, { mode: 'edge', pad_width: [0, 0, 0, 0, 1, 1, 2, 2] }), IMG),
  c('Pad reflect', sym.Pad!(x, { mode: 'reflect', pad_width: [0, 0, 0, 0, 2, 1, 1, 2] }), IMG),
  c('UpSampling nearest', sym.UpSampling!(x, { scale: 2, sample_type: 'nearest', num_args: 1 }), IMG),
  c('UpSampling bilinear', sym.UpSampling!(x, { scale: 2, sample_type: 'bilinear', num_filter: 3, num_args: 2, name: 'up' }), { x: [1, 3, 4, 4] }),
  c('Cast to float32', sym.Cast!(x, { dtype: 'float32' }), MAT),
  c('tile', sym.tile!(x, { reps: [2, 1, 3] }), MAT),
  c('broadcast_to', sym.broadcast_to!(x, { shape: [2, 4, 3] }), { x: [2, 1, 3] }),
  c('depth_to_space', sym.depth_to_space!(x, { block_size: 2 }), { x: [1, 8, 2, 3] }),
  c('space_to_depth', sym.space_to_depth!(x, { block_size: 2 }), { x: [1, 2, 4, 6] }),
  c('take along axis 1 (clipped indices)', sym.take!(x, y, { axis: 1 }), { x: [2, 4, 3], y: [2, 3] }, { low: -1, high: 5, integers: true }),
  c('where', sym.where!(z, x, y), { z: [3, 4], x: [3, 4], y: [3, 4] }, SMALL_INTS_ANY),
  c('SliceChannel', sym.SliceChannel!(x, { num_outputs: 3, axis: 1 }), { x: [2, 6, 2] }),
  c('SliceChannel squeeze_axis', sym.SliceChannel!(x, { num_outputs: 2, axis: 1, squeeze_axis: true }), { x: [2, 2, 3] }),
];

const POSITIVE = { low: 0.5, high: 2 };
const UNARY_RANGES: Record<string, Partial<OpCase>> = {
  log: POSITIVE, sqrt: POSITIVE, reciprocal: POSITIVE, rsqrt: POSITIVE, log2: POSITIVE, log10: POSITIVE, log1p: POSITIVE,
  arcsin: { low: -0.9, high: 0.9 }, arccos: { low: -0.9, high: 0.9 }, arctanh: { low: -0.9, high: 0.9 }, arccosh: { low: 1.1, high: 3 },
};
const UNARY = ['relu', 'sigmoid', 'tanh', 'exp', 'log', 'sqrt', 'abs', 'negative', 'reciprocal', 'floor', 'ceil', 'sin', 'cos', 'tan',
  'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'arcsinh', 'arccosh', 'arctanh', 'erf', 'sign', 'softsign', 'rint', '_copy', 'BlockGrad',
  'MakeLoss', 'square', 'rsqrt', 'log2', 'log10', 'log1p', 'expm1'];

const ARITH = ['add', 'sub', 'mul', 'div'];
const COMPARE = ['equal', 'not_equal', 'greater', 'greater_equal', 'lesser', 'lesser_equal'];
const SMALL_INTS = { low: -2, high: 3, integers: true };

export const ELEMWISE_CASES: OpCase[] = [
  ...UNARY.map((op) => c(op, sym[op]!(x), MAT, UNARY_RANGES[op] ?? { low: -2, high: 2 })),
  c('hard_sigmoid', sym.hard_sigmoid!(x, { alpha: 0.3, beta: 0.4 }), MAT, { low: -3, high: 3 }),
  c('clip', sym.clip!(x, { a_min: -0.5, a_max: 0.7 }), MAT),
  ...ARITH.map((op) => c(`elemwise_${op}`, sym[`elemwise_${op}`]!(x, y), PAIR, POSITIVE)),
  ...['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'power'].map((op) => c(`broadcast_${op}`, sym[`broadcast_${op}`]!(x, y), BCAST, POSITIVE)),
  ...['_maximum', '_minimum', '_power', '_grad_add'].map((op) => c(op, sym[op]!(x, y), PAIR, POSITIVE)),
  ...COMPARE.map((op) => c(`_${op}`, sym[`_${op}`]!(x, y), PAIR, SMALL_INTS)),
  ...COMPARE.map((op) => c(`broadcast_${op}`, sym[`broadcast_${op}`]!(x, y), BCAST, SMALL_INTS)),
  ...['_plus_scalar', '_minus_scalar', '_rminus_scalar', '_mul_scalar', '_div_scalar', '_rdiv_scalar', '_power_scalar', '_rpower_scalar', '_maximum_scalar', '_minimum_scalar']
    .map((op) => c(`${op} 1.5`, sym[op]!(x, { scalar: 1.5 }), MAT, POSITIVE)),
  ...COMPARE.map((op) => c(`_${op}_scalar 1`, sym[`_${op}_scalar`]!(x, { scalar: 1 }), MAT, SMALL_INTS)),
  c('add_n', sym.add_n!(x, y, z), { x: [3, 4], y: [3, 4], z: [3, 4] }),
];

export const MATH_CASES: OpCase[] = [
  c('softmax axis 1 temperature 2', sym.softmax!(x, { axis: 1, temperature: 2 }), { x: [2, 3, 4] }, { low: -3, high: 3 }),
  c('log_softmax', sym.log_softmax!(x), MAT, { low: -3, high: 3 }),
  c('SoftmaxOutput on 2-d data', sym.SoftmaxOutput!(x, { name: 'sm' }), MAT, { low: -3, high: 3 }),
  c('SoftmaxOutput on 4-d data (flattened)', sym.SoftmaxOutput!(x, { name: 'sm' }), IMG, { low: -3, high: 3 }),
  c('SoftmaxOutput multi_output', sym.SoftmaxOutput!(x, { multi_output: true, name: 'sm' }), IMG, { low: -3, high: 3 }),
  c('SoftmaxOutput preserve_shape', sym.SoftmaxOutput!(x, { preserve_shape: true, name: 'sm' }), { x: [2, 3, 4] }, { low: -3, high: 3 }),
  c('SoftmaxActivation instance', sym.SoftmaxActivation!(x), MAT, { low: -3, high: 3 }),
  c('SoftmaxActivation channel', sym.SoftmaxActivation!(x, { mode: 'channel' }), IMG, { low: -3, high: 3 }),
  c('LogisticRegressionOutput', sym.LogisticRegressionOutput!(x, { name: 'lro' }), MAT, { low: -3, high: 3 }),
  c('LinearRegressionOutput', sym.LinearRegressionOutput!(x, { name: 'lin' }), MAT),
  c('MAERegressionOutput', sym.MAERegressionOutput!(x, { name: 'mae' }), MAT),
  c('sum axis 1', sym.sum!(x, { axis: 1 }), { x: [2, 3, 4] }),
  c('sum of everything', sym.sum!(x), { x: [2, 3, 4] }),
  c('mean keepdims', sym.mean!(x, { axis: [0, 2], keepdims: true }), { x: [2, 3, 4] }),
  c('max exclude', sym.max!(x, { axis: 1, exclude: true }), { x: [2, 3, 4] }),
  c('min', sym.min!(x, { axis: -1 }), { x: [2, 3, 4] }),
  c('prod', sym.prod!(x, { axis: 0 }), { x: [2, 3, 4] }, POSITIVE),
  c('norm ord 2 over axis 1', sym.norm!(x, { axis: [1] }), { x: [2, 3, 4] }),
  c('norm ord 1 of everything, keepdims', sym.norm!(x, { ord: 1, keepdims: true }), { x: [2, 3, 4] }),
  c('L2Normalization instance', sym.L2Normalization!(x), IMG),
  c('L2Normalization channel', sym.L2Normalization!(x, { mode: 'channel' }), IMG),
  c('L2Normalization spatial', sym.L2Normalization!(x, { mode: 'spatial', eps: 0.001 }), IMG),
  c('dot 2-d', sym.dot!(x, y), { x: [3, 4], y: [4, 5] }),
  c('dot transpose_a and transpose_b', sym.dot!(x, y, { transpose_a: true, transpose_b: true }), { x: [4, 3], y: [5, 4] }),
  c('dot 3-d by 2-d', sym.dot!(x, y), { x: [2, 3, 4], y: [4, 5] }),
  c('argmax axis 1', sym.argmax!(x, { axis: 1 }), { x: [3, 5] }),
  c('argmin axis 0 keepdims', sym.argmin!(x, { axis: 0, keepdims: true }), { x: [3, 5] }),
  c('batch_dot transpose_b', sym.batch_dot!(x, y, { transpose_b: true }), { x: [2, 3, 4], y: [2, 5, 4] }),
];

export const ALL_CASES: OpCase[] = [...NN_CASES, ...TENSOR_CASES, ...ELEMWISE_CASES, ...MATH_CASES];

/** Seeded feeds for a case. */
export function caseFeeds(op: OpCase, seed: number): Record<string, mx.NDArray> {
  mx.random.seed(seed);
  const feeds: Record<string, mx.NDArray> = {};
  for (const [name, shape] of Object.entries(op.shapes)) {
    const values = mx.nd.random.uniform(op.low ?? -1, op.high ?? 1, shape);
    feeds[name] = op.integers ? mx.nd.array(Float32Array.from(values.data, Math.floor), { shape }) : values;
  }
  return feeds;
}
