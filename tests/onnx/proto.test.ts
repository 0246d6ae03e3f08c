/**
 * The ONNX encoding: the schema is protobufjs's reflection of the official onnx.proto (checked
 * fresh), and an exported model reads back with the fields ONNX requires.
 */
import * as fs from 'node:fs';
import * as mx from 'mxts';
import { DESCRIPTOR_PATH, descriptorSource } from '../../scripts/gen_onnx_descriptor';
import { decodeModel } from '../../src/onnx/proto';

describe('the ONNX schema', () => {
  test('onnx_descriptor.ts is what scripts/gen_onnx_descriptor.ts makes from onnx.proto (run it after editing the .proto)', () => {
    expect(fs.readFileSync(DESCRIPTOR_PATH, 'utf8')).toBe(descriptorSource());
  });

  test('onnx.proto is the official file, license header kept', () => {
    const text = fs.readFileSync(DESCRIPTOR_PATH.replace('onnx_descriptor.ts', 'onnx.proto'), 'utf8');
    expect(text).toContain('// SPDX-License-Identifier: Apache-2.0');
    expect(text).toContain('package onnx;');
    expect(text).toMatch(/message ModelProto \{/);
  });
});

describe('an exported model', () => {
  const data = mx.sym.Variable('data');
  const fc = mx.sym.FullyConnected(data, { num_hidden: 3, name: 'fc' });
  const net = mx.sym.SoftmaxOutput(fc, { name: 'softmax' });
  const params = { fc_weight: mx.nd.ones([3, 4]), fc_bias: mx.nd.array([1, 2, 3]), unused_weight: mx.nd.ones([2]) };

  test('names its opset, IR version and producer; inputs without labels; only the parameters it reads', () => {
    const model = decodeModel(mx.onnx.exportModel(net, params, { inputShapes: { data: [2, 4] }, opset: 13 }));
    expect(model.ir_version).toBe(7);
    expect(model.opset_import).toEqual([{ domain: '', version: 13 }]);
    expect(model.producer_name).toBe('mxts');
    expect(model.graph.input.map((i) => i.name)).toEqual(['data']);
    expect(model.graph.input[0]!.type!.tensor_type!.shape!.dim!.map((d) => d.dim_value)).toEqual([2, 4]);
    expect(model.graph.output.map((o) => o.name)).toEqual(['softmax_output']);
    expect(model.graph.output[0]!.type!.tensor_type!.shape!.dim!.map((d) => d.dim_value)).toEqual([2, 3]);
    expect(model.graph.initializer!.map((t) => t.name)).toEqual(['fc_weight', 'fc_bias']);
    expect(model.graph.node.map((n) => [n.op_type, n.name])).toEqual([['Gemm', 'fc'], ['Softmax', 'softmax']]);
    expect(decodeModel(mx.onnx.exportModel(net, params, { inputShapes: [[2, 4]], opset: 21 })).ir_version).toBe(10);
  });

  test('a head that is a variable, and a head given twice, get their own outputs', () => {
    const group = mx.sym.Group([data, fc, fc]);
    const model = decodeModel(mx.onnx.exportModel(group, params, { inputShapes: { data: [2, 4] } }));
    expect(model.graph.output.map((o) => o.name)).toEqual(['data_1', 'fc_output', 'fc_output_1']);
  });

  test('verbose logs each translation', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      mx.onnx.exportModel(net, params, { inputShapes: { data: [2, 4] }, verbose: true });
      expect(log.mock.calls.map((c) => c[0])).toEqual(['fc (FullyConnected) -> Gemm', 'softmax (SoftmaxOutput) -> Softmax']);
    } finally {
      log.mockRestore();
    }
  });
});
