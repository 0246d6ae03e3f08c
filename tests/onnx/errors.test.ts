/**
 * What cannot cross to ONNX or back fails with a typed error naming the op, the node and why;
 * bad options name the option.
 */
import * as mx from 'mxts';
import { attr, GraphBuilder, floatTensor } from '../../src/onnx/graph_builder';
import { DataType, ModelProto, encodeModel } from '../../src/onnx/proto';

const sym = mx.sym as unknown as Record<string, (...args: unknown[]) => mx.Symbol>;
const x = mx.sym.Variable('x');
const exportIt = (s: mx.Symbol, shapes: Record<string, number[]>, params: Record<string, mx.NDArray> = {}, options: mx.onnx.ExportOptions = {}) =>
  mx.onnx.exportModel(s, params, { inputShapes: shapes, ...options });

/** A one-node ONNX model around `build`, float32 input `x` of `dims`. */
function model(build: (g: GraphBuilder) => void, dims = [1, 2, 4, 4], opset = 13): Uint8Array {
  const g = new GraphBuilder(opset, ['x']);
  build(g);
  const proto: ModelProto = {
    ir_version: 7,
    opset_import: [{ domain: '', version: opset }],
    graph: {
      node: g.nodes,
      initializer: g.constants,
      input: [{ name: 'x', type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim: dims.map((d) => ({ dim_value: d })) } } } }],
      output: [{ name: 'y' }],
    },
  };
  return encodeModel(proto);
}

describe('exportModel refuses what ONNX cannot express', () => {
  test('an op without a translation names the op and the node', () => {
    const net = sym.topk!(x, { k: 2, name: 'best' });
    expect(() => exportIt(net, { x: [2, 5] })).toThrow(mx.onnx.OnnxExportError);
    expect(() => exportIt(net, { x: [2, 5] })).toThrow(/^topk 'best': has no ONNX translation/);
  });

  test.each([
    ['UpSampling nearest of two inputs', sym.UpSampling!(x, mx.sym.Variable('y'), { scale: 2, sample_type: 'nearest', num_args: 2, name: 'up' }), /UpSampling 'up': num_args above 1/],
    ['Dropout mode always', sym.Dropout!(x, { mode: 'always', name: 'd' }), /Dropout 'd': mode 'always' drops at inference too/],
    ['Cast to int32', sym.Cast!(x, { dtype: 'int32', name: 'c' }), /Cast 'c': dtype 'int32' is not exported/],
    ['take mode wrap', sym.take!(x, mx.sym.Variable('y'), { mode: 'wrap', name: 't' }), /take 't': mode 'wrap' has no ONNX translation/],
    ['argmax over the flattened array', sym.argmax!(x, { name: 'am' }), /argmax 'am': axis None \(over the flattened array\)/],
    ['BatchNorm over axis 3', sym.BatchNorm!(x, { axis: 3, name: 'bn' }), /BatchNorm 'bn': axis 3 is not 1/],
  ])('%s', (_, net, message) => {
    const shapes: Record<string, number[]> = { x: [1, 2, 4, 4] };
    if (net.listArguments().includes('y')) shapes['y'] = [1, 2, 4, 4];
    const inferred = net.inferShapePartial(shapes);
    const params: Record<string, mx.NDArray> = {};
    [...net.listArguments(), ...net.listAuxiliaryStates()].forEach((name, k) => {
      const shape = k < net.listArguments().length ? inferred.argShapes[k] : inferred.auxShapes[k - net.listArguments().length];
      if (!(name in shapes)) params[name] = mx.nd.ones(shape!);
    });
    expect(() => exportIt(net, shapes, params)).toThrow(mx.onnx.OnnxExportError);
    expect(() => exportIt(net, shapes, params)).toThrow(message);
  });

  test('a read output that the translation does not write (BatchNorm output_mean_var)', () => {
    const bn = sym.BatchNorm!(x, { output_mean_var: true, name: 'bn' });
    const net = mx.sym.Group([bn.get(0), bn.get(1)]);
    const params = { bn_gamma: mx.nd.ones([2]), bn_beta: mx.nd.zeros([2]), bn_moving_mean: mx.nd.zeros([2]), bn_moving_var: mx.nd.ones([2]) };
    expect(() => exportIt(net, { x: [1, 2, 3, 3] }, params)).toThrow(/BatchNorm 'bn': output 1 is read by the graph/);
  });

  test('options: opset range, input types, missing shapes, unknown inputs, missing auxiliary states', () => {
    const fc = sym.FullyConnected!(x, { num_hidden: 2, name: 'fc' });
    const params = { fc_weight: mx.nd.ones([2, 3]), fc_bias: mx.nd.zeros([2]) };
    expect(() => exportIt(fc, { x: [1, 3] }, params, { opset: 12 })).toThrow(/onnx.exportModel: opset must be an integer from 13 to 21, got 12/);
    expect(() => exportIt(fc, { x: [1, 3] }, params, { inputTypes: ['int32'] })).toThrow(/inputTypes.x is 'int32', but mxts computes in float32 only/);
    expect(() => mx.onnx.exportModel(fc, params, {})).toThrow(/has no shape for the data input 'x'/);
    expect(() => mx.onnx.exportModel(fc, { fc_weight: params.fc_weight }, { inputShapes: { x: [1, 3] } })).toThrow(/data input 'fc_bias'.*parameter missing from params/);
    expect(() => exportIt(fc, { y: [1, 3] }, params)).toThrow(/inputShapes.y is not a data input of the symbol; its data inputs are x/);
    expect(() => exportIt(fc, { x: [1, -3] }, params)).toThrow(/inputShapes.x must be a list of positive integers/);
    expect(() => mx.onnx.exportModel(fc, { 'arg:fc_weight': params.fc_weight, fc_weight: params.fc_weight }, { inputShapes: { x: [1, 3] } })).toThrow(/gives 'fc_weight' twice/);
    const bn = sym.BatchNorm!(x, { name: 'bn' });
    expect(() => exportIt(bn, { x: [1, 2] }, { bn_gamma: mx.nd.ones([2]), bn_beta: mx.nd.zeros([2]) })).toThrow(/no value for the auxiliary state 'bn_moving_mean'/);
    expect(() => mx.onnx.exportModel('net' as unknown as mx.Symbol, {})).toThrow(/symbol must be an mxts Symbol/);
  });

  test("params accept MXNet's arg:/aux: prefixes", () => {
    const bn = sym.BatchNorm!(x, { fix_gamma: false, name: 'bn' });
    const prefixed = { 'arg:bn_gamma': mx.nd.ones([2]), 'arg:bn_beta': mx.nd.zeros([2]), 'aux:bn_moving_mean': mx.nd.zeros([2]), 'aux:bn_moving_var': mx.nd.ones([2]) };
    const back = mx.onnx.importModel(exportIt(bn, { x: [1, 2, 3] }, prefixed));
    expect(Object.keys(back.argParams)).toEqual(['bn_gamma', 'bn_beta']);
    expect(Object.keys(back.auxParams)).toEqual(['bn_moving_mean', 'bn_moving_var']);
  });
});

describe('importModel refuses what mxts cannot read', () => {
  test('bytes that are not a ModelProto', () => {
    expect(() => mx.onnx.importModel(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toThrow(mx.FormatError);
    expect(() => mx.onnx.importModel(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toThrow(/onnx.importModel: <bytes>: not an ONNX ModelProto/);
  });

  test('an op type without a translation names it and the node', () => {
    const bytes = model((g) => g.node('NonMaxSuppression', ['x'], ['y'], {}, 'nms'));
    expect(() => mx.onnx.importModel(bytes)).toThrow(mx.onnx.OnnxImportError);
    expect(() => mx.onnx.importModel(bytes)).toThrow(/^NonMaxSuppression 'nms': has no mxts translation/);
  });

  test('forms mxts has no parameter for', () => {
    const pool = (pads: number[]) => model((g) => g.node('MaxPool', ['x'], ['y'], { kernel_shape: attr.ints([2, 2]), pads: attr.ints(pads) }, 'pool'));
    expect(() => mx.onnx.importModel(pool([0, 0, 1, 1]))).toThrow(/MaxPool 'pool': pads \[0,0,1,1\] pad the two sides of an axis differently/);
    const resize = model((g) => g.node('Resize', ['x', '', g.constFloat('scales', [1, 1, 1.5, 1.5])], ['y'], { mode: attr.s('linear') }, 'resize'));
    expect(() => mx.onnx.importModel(resize)).toThrow(/Resize 'resize': only nearest resizing by integer factors/);
    const reshape = model((g) => g.node('Reshape', ['x', 'x'], ['y'], {}, 'reshape'));
    expect(() => mx.onnx.importModel(reshape)).toThrow(/Reshape 'reshape': shape must be a constant/);
    const softmax12 = model((g) => g.node('Softmax', ['x'], ['y'], { axis: attr.i(1) }, 'sm'), [2, 3], 12);
    expect(() => mx.onnx.importModel(softmax12)).toThrow(/Softmax 'sm': at opset 12 flattens from its axis/);
  });

  test('an operator of another domain', () => {
    const g = new GraphBuilder(13, ['x']);
    g.node('Relu', ['x'], ['y'], {}, 'r');
    const proto: ModelProto = { ir_version: 7, opset_import: [{ domain: '', version: 13 }], graph: { node: [{ ...g.nodes[0]!, domain: 'com.example' }], input: [{ name: 'x' }], output: [{ name: 'y' }] } };
    expect(() => mx.onnx.importModel(encodeModel(proto))).toThrow(/Relu 'r': domain 'com.example' is not the default ONNX domain/);
  });

  test('a Constant node feeds shapes like an initializer', () => {
    const g = new GraphBuilder(13, ['x']);
    const shape = { name: 'shape', dims: [2], data_type: DataType.INT64, int64_data: [4, 8] };
    const nodes = [
      { input: [], output: ['shape'], name: 'const', op_type: 'Constant', attribute: [{ name: 'value', type: 4, t: shape }] },
      { input: ['x', 'shape'], output: ['y'], name: 'reshape', op_type: 'Reshape' },
    ];
    const bytes = encodeModel({ ir_version: 7, opset_import: [{ domain: '', version: 13 }], graph: { node: nodes, initializer: [floatTensor('unused', [1], [0])], input: [{ name: 'x' }], output: [{ name: 'y' }] } });
    const back = mx.onnx.importModel(bytes);
    expect(back.symbol.inferShape({ x: [2, 4, 4] }).outShapes).toEqual([[4, 8]]);
    expect(g.nodes).toHaveLength(0);
  });
});
