/** Export of the layers: convolution, fully connected, pooling, normalization, activations. */
import { attr, AttrValue, GraphBuilder, floatTensor } from '../graph_builder';
import { NodeExport, Translator, checkChannelsFirst, perAxis, read, shapeOf } from '../export_types';

function windowAttrs(n: NodeExport): Record<string, AttrValue> {
  const kernel = read.ints(n, 'kernel');
  const pad = perAxis(n, 'pad', kernel.length, 0);
  return {
    kernel_shape: attr.ints(kernel),
    strides: attr.ints(perAxis(n, 'stride', kernel.length, 1)),
    dilations: attr.ints(perAxis(n, 'dilate', kernel.length, 1)),
    pads: attr.ints([...pad, ...pad]),
    group: attr.i(read.num(n, 'num_group')),
  };
}

const withBias = (n: NodeExport, inputs: readonly string[]) => (read.bool(n, 'no_bias') ? inputs.slice(0, 2) : inputs.slice(0, 3));

const convolution: Translator = (n, g) => {
  checkChannelsFirst(n);
  g.node('Conv', withBias(n, n.inputs), [n.outputs[0]!], windowAttrs(n), n.name);
};

/** Pads and output padding as Deconvolution resolves them (target_shape sets both). */
const deconvolution: Translator = (n, g) => {
  checkChannelsFirst(n);
  const kernel = read.ints(n, 'kernel');
  const axes = kernel.length;
  const stride = perAxis(n, 'stride', axes, 1);
  const dilate = perAxis(n, 'dilate', axes, 1);
  const target = read.ints(n, 'target_shape');
  const inSpatial = shapeOf(n, 0).slice(2);
  const pad: number[] = [];
  const adj: number[] = [];
  kernel.forEach((k, i) => {
    const full = stride[i]! * (inSpatial[i]! - 1) + dilate[i]! * (k - 1) + 1;
    if (target.some((t) => t !== 0)) {
      pad.push((full - target[i]! + 1) >> 1);
      adj.push((full - target[i]!) % 2);
    } else {
      pad.push(perAxis(n, 'pad', axes, 0)[i]!);
      adj.push(read.ints(n, 'adj')[i] ?? 0);
    }
  });
  const attrs = { ...windowAttrs(n), pads: attr.ints([...pad, ...pad]), output_padding: attr.ints(adj) };
  g.node('ConvTranspose', withBias(n, n.inputs), [n.outputs[0]!], attrs, n.name);
};

/** Gemm on 2-d data; flatten=true flattens first, flatten=false folds the leading axes around it. */
const fullyConnected: Translator = (n, g) => {
  const data = shapeOf(n, 0);
  const out = n.outputs[0]!;
  const gemm = (x: string, y: string) => g.node('Gemm', [x, ...withBias(n, n.inputs).slice(1)], [y], { transB: attr.i(1) }, n.name);
  if (data.length === 2) return gemm(n.inputs[0]!, out);
  if (data.length < 2) n.fail(`of shape [${data.join(',')}] has fewer than 2 axes`, 'data');
  if (read.bool(n, 'flatten')) return gemm(g.step('Flatten', [n.inputs[0]!], `${n.name}_flatten`, { axis: attr.i(1) }), out);
  const rows = g.step('Reshape', [n.inputs[0]!, g.constInt64(`${n.name}_rows_shape`, [-1, data[data.length - 1]!])], `${n.name}_rows`);
  const product = g.fresh(`${n.name}_gemm`);
  gemm(rows, product);
  g.node('Reshape', [product, g.constInt64(`${n.name}_out_shape`, n.outputShapes[0]!)], [out], {}, n.name);
};

const ACTIVATIONS: Readonly<Record<string, string>> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softrelu: 'Softplus', softsign: 'Softsign' };

const activation: Translator = (n, g) => {
  const kind = read.str(n, 'act_type');
  const opType = ACTIVATIONS[kind];
  if (!opType) n.fail(`'${kind}' has no ONNX translation`, 'act_type');
  g.node(opType, [n.inputs[0]!], [n.outputs[0]!], {}, n.name);
};

/** gelu by its erf formula (ONNX's Gelu needs opset 20): x * (1 + erf(x / sqrt 2)) / 2. */
function gelu(n: NodeExport, g: GraphBuilder): void {
  const x = n.inputs[0]!;
  if (g.opset >= 20) return g.node('Gelu', [x], [n.outputs[0]!], {}, n.name);
  const scaled = g.step('Div', [x, g.constFloat(`${n.name}_sqrt2`, [Math.SQRT2], [])], `${n.name}_scaled`);
  const onePlus = g.step('Add', [g.step('Erf', [scaled], `${n.name}_erf`), g.constFloat(`${n.name}_one`, [1], [])], `${n.name}_one_plus`);
  const half = g.step('Mul', [x, g.constFloat(`${n.name}_half`, [0.5], [])], `${n.name}_half_x`);
  g.node('Mul', [half, onePlus], [n.outputs[0]!], {}, n.name);
}

/** prelu's slope (C,) is laid out as (C, 1, ..., 1) so that it broadcasts over axis 1. */
function prelu(n: NodeExport, g: GraphBuilder): void {
  const ndim = shapeOf(n, 0).length;
  const gamma = n.param(1);
  const slopeName = n.inputs[1]!;
  let slope = slopeName;
  if (gamma && gamma.size > 1 && ndim > 2) {
    g.overrideParam(slopeName, floatTensor(slopeName, [gamma.size, ...new Array<number>(ndim - 2).fill(1)], gamma.data));
  } else if (!gamma && ndim > 2) {
    slope = g.step('Unsqueeze', [slopeName, g.constInt64(`${n.name}_axes`, Array.from({ length: ndim - 2 }, (_, k) => k + 1))], `${n.name}_slope`);
  }
  g.node('PRelu', [n.inputs[0]!, slope], [n.outputs[0]!], {}, n.name);
}

const leakyRelu: Translator = (n, g) => {
  const kind = read.str(n, 'act_type');
  const x = [n.inputs[0]!];
  const out = [n.outputs[0]!];
  switch (kind) {
    case 'leaky': return g.node('LeakyRelu', x, out, { alpha: attr.f(read.num(n, 'slope')) }, n.name);
    case 'elu': return g.node('Elu', x, out, { alpha: attr.f(read.num(n, 'slope')) }, n.name);
    case 'selu': return g.node('Selu', x, out, {}, n.name);
    // At inference rrelu uses the mean of its slope range.
    case 'rrelu': return g.node('LeakyRelu', x, out, { alpha: attr.f((read.num(n, 'lower_bound') + read.num(n, 'upper_bound')) / 2) }, n.name);
    case 'gelu': return gelu(n, g);
    case 'prelu': return prelu(n, g);
    default: n.fail(`'${kind}' has no ONNX translation`, 'act_type');
  }
};

/** Inference BatchNorm: the moving statistics; fix_gamma writes a gamma of ones. */
const batchNorm: Translator = (n, g) => {
  const axis = read.num(n, 'axis');
  if (axis !== 1 && axis !== 1 - shapeOf(n, 0).length) n.fail(`${axis} is not 1 (ONNX normalizes axis 1)`, 'axis');
  const inputs = [...n.inputs.slice(0, 5)];
  if (read.bool(n, 'fix_gamma')) {
    const channels = shapeOf(n, 0)[1]!;
    const ones = new Array<number>(channels).fill(1);
    if (n.param(1)) g.overrideParam(inputs[1]!, floatTensor(inputs[1]!, [channels], ones));
    else inputs[1] = g.constFloat(`${n.name}_gamma_fixed`, ones);
  }
  g.node('BatchNormalization', inputs, [n.outputs[0]!], { epsilon: attr.f(read.num(n, 'eps')) }, n.name);
};

const POOLS: Readonly<Record<string, [string, string]>> = { max: ['MaxPool', 'GlobalMaxPool'], avg: ['AveragePool', 'GlobalAveragePool'] };

const pooling: Translator = (n, g) => {
  checkChannelsFirst(n);
  const type = read.str(n, 'pool_type');
  const ops = POOLS[type];
  if (!ops) n.fail(`'${type}' has no ONNX translation`, 'pool_type');
  if (read.bool(n, 'global_pool')) return g.node(ops[1], [n.inputs[0]!], [n.outputs[0]!], {}, n.name);
  const convention = read.str(n, 'pooling_convention');
  const kernel = read.ints(n, 'kernel');
  const pad = perAxis(n, 'pad', kernel.length, 0);
  const attrs: Record<string, AttrValue> = {
    kernel_shape: attr.ints(kernel),
    strides: attr.ints(perAxis(n, 'stride', kernel.length, 1)),
    pads: attr.ints([...pad, ...pad]),
  };
  attrs['ceil_mode'] = attr.i(convention === 'full');
  if (type === 'avg') attrs['count_include_pad'] = attr.i(n.params['count_include_pad'] !== false);
  g.node(ops[0], [n.inputs[0]!], [n.outputs[0]!], attrs, n.name);
};

const dropout: Translator = (n, g) => {
  if (read.str(n, 'mode') === 'always') n.fail("'always' drops at inference too, which ONNX inference does not", 'mode');
  g.node('Identity', [n.inputs[0]!], [n.outputs[0]!], {}, n.name);
};

/** Indices are clipped to the table (as MXNet's Embedding does) and truncated to int64. */
const embedding: Translator = (n, g) => {
  const last = read.num(n, 'input_dim') - 1;
  const clipped = g.step('Clip', [n.inputs[0]!, g.constFloat(`${n.name}_min`, [0], []), g.constFloat(`${n.name}_max`, [last], [])], `${n.name}_clipped`);
  const indices = g.step('Cast', [clipped], `${n.name}_indices`, { to: attr.i(7) });
  g.node('Gather', [n.inputs[1]!, indices], [n.outputs[0]!], { axis: attr.i(0) }, n.name);
};

const lrn: Translator = (n, g) => {
  const attrs = { alpha: attr.f(read.num(n, 'alpha')), beta: attr.f(read.num(n, 'beta')), bias: attr.f(read.num(n, 'knorm')), size: attr.i(read.num(n, 'nsize')) };
  g.node('LRN', [n.inputs[0]!], [n.outputs[0]!], attrs, n.name);
};

const instanceNorm: Translator = (n, g) => {
  g.node('InstanceNormalization', n.inputs.slice(0, 3), [n.outputs[0]!], { epsilon: attr.f(read.num(n, 'eps')) }, n.name);
};

/**
 * LayerNorm over the last axis (ONNX normalizes from its axis to the end, the same set only
 * there): LayerNormalization from opset 17, its formula before (biased variance, as MXNet's).
 */
const layerNorm: Translator = (n, g) => {
  const ndim = shapeOf(n, 0).length;
  if (read.num(n, 'axis') !== -1 && read.num(n, 'axis') !== ndim - 1) n.fail(`${read.num(n, 'axis')} is not the last axis (ONNX normalizes from its axis to the end)`, 'axis');
  const [x, gamma, beta] = [n.inputs[0]!, n.inputs[1]!, n.inputs[2]!];
  const eps = read.num(n, 'eps');
  if (g.opset >= 17) return g.node('LayerNormalization', [x, gamma, beta], [n.outputs[0]!], { axis: attr.i(-1), epsilon: attr.f(eps) }, n.name);
  const mean = (v: string, hint: string) => g.step('ReduceMean', [v], `${n.name}_${hint}`, { axes: attr.ints([-1]), keepdims: attr.i(1) });
  const centred = g.step('Sub', [x, mean(x, 'mean')], `${n.name}_centred`);
  const variance = mean(g.step('Mul', [centred, centred], `${n.name}_squares`), 'var');
  const std = g.step('Sqrt', [g.step('Add', [variance, g.constFloat(`${n.name}_eps`, [eps], [])], `${n.name}_var_eps`)], `${n.name}_std`);
  const scaled = g.step('Mul', [g.step('Div', [centred, std], `${n.name}_normed`), gamma], `${n.name}_scaled`);
  g.node('Add', [scaled, beta], [n.outputs[0]!], {}, n.name);
};

export const NN_TRANSLATORS: Readonly<Record<string, Translator>> = {
  Convolution: convolution,
  Deconvolution: deconvolution,
  FullyConnected: fullyConnected,
  Activation: activation,
  LeakyReLU: leakyRelu,
  BatchNorm: batchNorm,
  Pooling: pooling,
  Dropout: dropout,
  Embedding: embedding,
  LRN: lrn,
  InstanceNorm: instanceNorm,
  LayerNorm: layerNorm,
};
