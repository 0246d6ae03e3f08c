/**
 * ONNX's protobuf messages, encoded and decoded by protobufjs from the official onnx.proto.
 * The schema is the reflection JSON generated from that file (onnx_descriptor.ts), loaded with
 * `protobufjs/light`: no .proto file to ship or read at run time, so it also works in browsers.
 * The interfaces below name the fields mxts reads and writes (snake_case, as in onnx.proto).
 */
import protobuf from 'protobufjs/light.js';
import { FormatError } from '../base/errors';
import { ONNX_DESCRIPTOR } from './onnx_descriptor';

/** TensorProto.DataType values. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10, DOUBLE: 11 } as const;

/** AttributeProto.AttributeType values. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

export interface TensorProto {
  name?: string;
  dims?: number[];
  data_type?: number;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: number[];
  double_data?: number[];
  raw_data?: Uint8Array;
  data_location?: number;
}

export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}

export interface NodeProto {
  input: string[];
  output: string[];
  name?: string;
  op_type: string;
  domain?: string;
  attribute?: AttributeProto[];
}

export interface TensorShapeDim {
  dim_value?: number;
  dim_param?: string;
}

export interface ValueInfoProto {
  name: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: TensorShapeDim[] } } };
}

export interface GraphProto {
  name?: string;
  node: NodeProto[];
  initializer?: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  value_info?: ValueInfoProto[];
}

export interface OperatorSetIdProto {
  domain?: string;
  version: number;
}

export interface ModelProto {
  ir_version: number;
  opset_import: OperatorSetIdProto[];
  producer_name?: string;
  producer_version?: string;
  doc_string?: string;
  graph: GraphProto;
}

let modelType: protobuf.Type | undefined;

function modelProtoType(): protobuf.Type {
  return (modelType ??= protobuf.Root.fromJSON(ONNX_DESCRIPTOR as protobuf.INamespace).lookupType('onnx.ModelProto'));
}

/** The bytes of a ModelProto. */
export function encodeModel(model: ModelProto): Uint8Array {
  const type = modelProtoType();
  const problem = type.verify(model);
  if (problem !== null) throw new FormatError({ op: 'onnx.exportModel' }, `the ModelProto is malformed: ${problem}`);
  return type.encode(type.fromObject(model)).finish();
}

/** A ModelProto from bytes, int64 fields as numbers (exact below 2^53, plenty for shapes). */
export function decodeModel(bytes: Uint8Array, source = '<bytes>'): ModelProto {
  const type = modelProtoType();
  let message: protobuf.Message;
  try {
    message = type.decode(bytes);
  } catch (err) {
    throw new FormatError({ op: 'onnx.importModel' }, `${source}: not an ONNX ModelProto (${(err as Error).message})`);
  }
  const model = type.toObject(message, { longs: Number, arrays: true, defaults: false }) as ModelProto;
  if (!model.graph) throw new FormatError({ op: 'onnx.importModel' }, `${source}: the ModelProto has no graph`);
  return model;
}
