/** @jest-environment ./tests/onnx/ort_environment.js */
/**
 * ONNX models written by other tools use forms mxts's exporter does not (Gemm without transB,
 * attribute axes of older opsets, Constant nodes, Sum of three, one-sided Clip): importModel reads
 * them into graphs that compute what ONNX Runtime computes.
 */
import * as mx from 'mxts';
import { AttrValue, GraphBuilder, attr, floatTensor } from '../../src/onnx/graph_builder';
import { DataType, ModelProto, TensorProto, encodeModel } from '../../src/onnx/proto';
import { relativeError, runMxts, runOrt } from './onnx_helpers';

interface Form {
  title: string;
  opset: number;
  shape: number[];
  build: (g: GraphBuilder, params: TensorProto[]) => void;
}

const seeded = (name: string, dims: number[]) => {
  mx.random.seed(name.length);
  return floatTensor(name, dims, mx.nd.random.uniform(-1, 1, dims).data);
};
const node = (g: GraphBuilder, op: string, inputs: string[], attrs: Record<string, AttrValue> = {}) => g.node(op, inputs, ['y'], attrs, op.toLowerCase());

const FORMS: Form[] = [
  { title: 'Gemm with an untransposed B (n, k) x (k, m) + C', opset: 13, shape: [2, 3], build: (g, p) => { p.push(seeded('B', [3, 5]), seeded('C', [5])); node(g, 'Gemm', ['x', 'B', 'C']); } },
  { title: 'Unsqueeze with axes as an attribute (opset 11), two axes', opset: 11, shape: [2, 3], build: (g) => node(g, 'Unsqueeze', ['x'], { axes: attr.ints([0, 3]) }) },
  { title: 'ReduceMean with axes as an attribute, keepdims 0', opset: 13, shape: [2, 3, 4], build: (g) => node(g, 'ReduceMean', ['x'], { axes: attr.ints([1]), keepdims: attr.i(0) }) },
  { title: 'ReduceSum with no axes (every axis), keepdims 1', opset: 13, shape: [2, 3], build: (g) => node(g, 'ReduceSum', ['x']) },
  { title: 'Sum of three tensors', opset: 13, shape: [2, 3], build: (g, p) => { p.push(seeded('a', [2, 3]), seeded('b', [2, 3])); node(g, 'Sum', ['x', 'a', 'b']); } },
  { title: 'Clip with only a minimum', opset: 13, shape: [2, 3], build: (g) => node(g, 'Clip', ['x', g.constFloat('lo', [-0.2], [])]) },
  { title: 'Greater with the constant first (becomes x < c)', opset: 13, shape: [2, 3], build: (g) => { g.node('Greater', [g.constFloat('c', [0.1], []), 'x'], ['flags']); node(g, 'Cast', ['flags'], { to: attr.i(DataType.FLOAT) }); } },
  { title: 'MatMul of a graph input and a 2-d initializer', opset: 13, shape: [2, 3], build: (g, p) => { p.push(seeded('W', [3, 4])); node(g, 'MatMul', ['x', 'W']); } },
  { title: 'Squeeze with axes as an attribute (opset 11)', opset: 11, shape: [2, 1, 3], build: (g) => node(g, 'Squeeze', ['x'], { axes: attr.ints([1]) }) },
  { title: 'Conv without bias, default strides and pads', opset: 13, shape: [1, 2, 5, 5], build: (g, p) => { p.push(seeded('w', [3, 2, 3, 3])); node(g, 'Conv', ['x', 'w']); } },
];

function modelOf(form: Form): Uint8Array {
  const g = new GraphBuilder(form.opset, ['x']);
  const params: TensorProto[] = [];
  form.build(g, params);
  const proto: ModelProto = {
    ir_version: 7,
    opset_import: [{ domain: '', version: form.opset }],
    graph: {
      node: g.nodes,
      initializer: [...params, ...g.constants],
      input: [{ name: 'x', type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim: form.shape.map((d) => ({ dim_value: d })) } } } }],
      output: [{ name: 'y', type: { tensor_type: { elem_type: DataType.FLOAT } } }],
    },
  };
  return encodeModel(proto);
}

describe('importModel reads forms other exporters write', () => {
  test.each(FORMS.map((f) => [f.title, f] as const))('%s', async (_, form) => {
    const bytes = modelOf(form);
    mx.random.seed(3);
    const x = mx.nd.random.uniform(-1, 1, form.shape);
    const [expected] = await runOrt(bytes, { x });
    const back = mx.onnx.importModel(bytes);
    const [actual] = runMxts(back.symbol, back.argParams, back.auxParams, { x });
    expect(actual!.shape).toEqual(expected!.dims);
    expect(relativeError(actual!.data, expected!.data)).toBeLessThanOrEqual(1e-5);
  });
});
