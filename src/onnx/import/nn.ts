/** Import of ONNX layers: Conv, ConvTranspose, Gemm, pooling, normalization, activations. */
import { ImportTranslator, NodeImport, apply, int, ints, requireConstant, requireDims, str } from '../import_types';

/** The weight's dims, which give the filter or hidden counts (the weight must be a constant). */
function weightDims(n: NodeImport): readonly number[] {
  return requireDims(n, 1, 'weight');
}

/** Symmetric pads only: mxts pads both sides of an axis alike. */
function symmetricPads(n: NodeImport, axes: number): number[] {
  if (str(n, 'auto_pad', 'NOTSET') !== 'NOTSET') n.fail(`${str(n, 'auto_pad', '')} is not supported (give explicit pads)`, 'auto_pad');
  const pads = ints(n, 'pads', new Array<number>(2 * axes).fill(0));
  const begin = pads.slice(0, axes);
  if (begin.some((p, k) => p !== pads[axes + k])) n.fail(`[${pads.join(',')}] pad the two sides of an axis differently, which mxts cannot`, 'pads');
  return begin;
}

function windowParams(n: NodeImport, kernel: readonly number[]) {
  return {
    kernel,
    stride: ints(n, 'strides', kernel.map(() => 1)),
    dilate: ints(n, 'dilations', kernel.map(() => 1)),
    pad: symmetricPads(n, kernel.length),
    num_group: int(n, 'group', 1),
  };
}

const weightAndBias = (n: NodeImport) => [n.input(0), n.param(1), ...(n.has(2) ? [n.param(2)] : [])];

const conv: ImportTranslator = (n) => {
  const dims = weightDims(n);
  const params = { ...windowParams(n, ints(n, 'kernel_shape', dims.slice(2))), num_filter: dims[0], no_bias: !n.has(2) };
  return apply(n, 'Convolution', weightAndBias(n), params);
};

const convTranspose: ImportTranslator = (n) => {
  if (n.attr('output_shape') !== undefined) n.fail('is not supported (give pads and output_padding)', 'output_shape');
  const dims = weightDims(n);
  const window = windowParams(n, ints(n, 'kernel_shape', dims.slice(2)));
  const params = { ...window, adj: ints(n, 'output_padding', window.kernel.map(() => 0)), num_filter: dims[1]! * window.num_group, no_bias: !n.has(2) };
  return apply(n, 'Deconvolution', weightAndBias(n), params);
};

/** Gemm as FullyConnected: A (n, k) times B^T plus a bias C of num_hidden values. */
const gemm: ImportTranslator = (n) => {
  if (int(n, 'transA', 0) !== 0) n.fail('1 is not supported', 'transA');
  for (const key of ['alpha', 'beta']) if ((n.attr(key) ?? 1) !== 1) n.fail(`${String(n.attr(key))} is not supported (only 1)`, key);
  const [rows, cols] = requireDims(n, 1, 'B');
  const transposed = int(n, 'transB', 0) === 1;
  const hidden = transposed ? rows! : cols!;
  // FullyConnected's weight is (num_hidden, k): an untransposed B is stored transposed.
  const untransposed = () => {
    const b = requireConstant(n, 1, 'B').values;
    return n.param(1, { dims: [cols!, rows!], values: Float32Array.from({ length: rows! * cols! }, (_, k) => b[(k % rows!) * cols! + Math.floor(k / rows!)]!) });
  };
  const weight = transposed ? n.param(1) : untransposed();
  const bias = n.has(2) ? n.constantDims(2) : undefined;
  if (bias && (bias.length !== 1 || bias[0] !== hidden)) n.fail(`of dims [${bias.join(',')}] is not a bias of ${hidden} values`, 'C');
  return apply(n, 'FullyConnected', [n.input(0), weight, ...(n.has(2) ? [n.param(2)] : [])], { num_hidden: hidden, no_bias: !n.has(2), flatten: true });
};

const batchNormalization: ImportTranslator = (n) => {
  if (int(n, 'training_mode', 0) !== 0) n.fail('1 is not supported', 'training_mode');
  const inputs = [n.input(0), n.param(1), n.param(2), n.param(3, { aux: true }), n.param(4, { aux: true })];
  return apply(n, 'BatchNorm', inputs, { eps: Number(n.attr('epsilon') ?? 1e-5), fix_gamma: false });
};

const pool = (poolType: string): ImportTranslator => (n) => {
  if (ints(n, 'dilations', []).some((d) => d !== 1)) n.fail('other than 1 (dilated pooling) are not supported', 'dilations');
  const kernel = ints(n, 'kernel_shape');
  const params: Record<string, unknown> = {
    pool_type: poolType,
    kernel,
    stride: ints(n, 'strides', kernel.map(() => 1)),
    pad: symmetricPads(n, kernel.length),
    pooling_convention: int(n, 'ceil_mode', 0) === 1 ? 'full' : 'valid',
  };
  if (poolType === 'avg') params['count_include_pad'] = int(n, 'count_include_pad', 0) === 1;
  return apply(n, 'Pooling', [n.input(0)], params);
};

const globalPool = (poolType: string): ImportTranslator => (n) => {
  const params: Record<string, unknown> = { pool_type: poolType, global_pool: true, kernel: [1, 1] };
  return apply(n, 'Pooling', [n.input(0)], params);
};

const activation = (actType: string): ImportTranslator => (n) => apply(n, 'Activation', [n.input(0)], { act_type: actType });
const leaky = (actType: string, slopeDefault: number): ImportTranslator => (n) => apply(n, 'LeakyReLU', [n.input(0)], { act_type: actType, slope: Number(n.attr('alpha') ?? slopeDefault) });

/** PRelu's slope (C, 1, ..., 1) becomes LeakyReLU's per-channel gamma (C,). */
const prelu: ImportTranslator = (n) => {
  const dims = requireDims(n, 1, 'slope');
  const channels = dims.reduce((a, b) => a * b, 1);
  if (dims.some((d, k) => k > 0 && d !== 1)) n.fail(`of dims [${dims.join(',')}] is not per channel`, 'slope');
  return apply(n, 'LeakyReLU', [n.input(0), n.param(1, { dims: [channels] })], { act_type: 'prelu' });
};

export const NN_IMPORTS: Readonly<Record<string, ImportTranslator>> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  Gemm: gemm,
  BatchNormalization: batchNormalization,
  MaxPool: pool('max'),
  AveragePool: pool('avg'),
  GlobalMaxPool: globalPool('max'),
  GlobalAveragePool: globalPool('avg'),
  Relu: activation('relu'),
  Sigmoid: activation('sigmoid'),
  Tanh: activation('tanh'),
  Softplus: activation('softrelu'),
  Softsign: activation('softsign'),
  LeakyRelu: leaky('leaky', 0.01),
  Elu: leaky('elu', 1),
  Selu: (n) => {
    // MXNet's selu has fixed constants; ONNX's defaults are the same numbers in float32.
    for (const [key, value] of [['alpha', 1.67326319217681884765625], ['gamma', 1.05070102214813232421875]] as const) {
      const given = n.attr(key);
      if (given !== undefined && Math.fround(Number(given)) !== Math.fround(value)) n.fail(`${String(given)} is not selu's constant`, key);
    }
    return apply(n, 'LeakyReLU', [n.input(0)], { act_type: 'selu' });
  },
  Gelu: (n) => {
    if (str(n, 'approximate', 'none') !== 'none') n.fail(`'${str(n, 'approximate', '')}' is not supported (mxts's gelu is the erf form)`, 'approximate');
    return apply(n, 'LeakyReLU', [n.input(0)], { act_type: 'gelu' });
  },
  PRelu: prelu,
  Dropout: (n) => apply(n, '_copy', [n.input(0)]),
  LRN: (n) => apply(n, 'LRN', [n.input(0)], { alpha: Number(n.attr('alpha') ?? 1e-4), beta: Number(n.attr('beta') ?? 0.75), knorm: Number(n.attr('bias') ?? 1), nsize: int(n, 'size', 1) }),
  LayerNormalization: (n) => {
    const axis = int(n, 'axis', -1);
    const rank = axis === -1 ? undefined : n.shape(0)?.length;
    if (axis !== -1 && axis !== (rank ?? 0) - 1) n.fail(`${axis} is not the last axis (mxts's LayerNorm normalizes one axis)`, 'axis');
    return apply(n, 'LayerNorm', [n.input(0), n.param(1), n.param(2)], { axis: -1, eps: Number(n.attr('epsilon') ?? 1e-5) });
  },
  InstanceNormalization: (n) => apply(n, 'InstanceNorm', [n.input(0), n.param(1), n.param(2)], { eps: Number(n.attr('epsilon') ?? 1e-5) }),
};
