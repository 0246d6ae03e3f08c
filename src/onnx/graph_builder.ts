/**
 * An ONNX graph under construction: nodes in order, constants, unique value names, and the
 * parameters each node reads (so that only used parameters become initializers).
 */
import { ValueError } from '../base/errors';
import { AttributeProto, AttributeType, DataType, NodeProto, TensorProto } from './proto';

/** An attribute value with its ONNX kind spelled out (1 is an INT, not a FLOAT, only if said so). */
export type AttrValue = { i: number } | { f: number } | { ints: readonly number[] } | { floats: readonly number[] } | { s: string };

export const attr = {
  i: (value: number | boolean): AttrValue => ({ i: Number(value) }),
  f: (value: number): AttrValue => ({ f: value }),
  ints: (values: readonly number[]): AttrValue => ({ ints: values }),
  floats: (values: readonly number[]): AttrValue => ({ floats: values }),
  s: (value: string): AttrValue => ({ s: value }),
};

function attributeProto(name: string, value: AttrValue): AttributeProto {
  if ('i' in value) return { name, type: AttributeType.INT, i: value.i };
  if ('f' in value) return { name, type: AttributeType.FLOAT, f: value.f };
  if ('ints' in value) return { name, type: AttributeType.INTS, ints: [...value.ints] };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: [...value.floats] };
  return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value.s) };
}

const LITTLE_ENDIAN = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

/** A float32 tensor as raw little-endian bytes (the compact form every runtime reads). */
export function floatTensor(name: string, dims: readonly number[], values: Float32Array | readonly number[]): TensorProto {
  const data = values instanceof Float32Array ? values : Float32Array.from(values);
  if (LITTLE_ENDIAN) return { name, dims: [...dims], data_type: DataType.FLOAT, raw_data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice() };
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let k = 0; k < data.length; k++) view.setFloat32(4 * k, data[k]!, true);
  return { name, dims: [...dims], data_type: DataType.FLOAT, raw_data: bytes };
}

export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): TensorProto {
  return { name, dims: [...dims], data_type: DataType.INT64, int64_data: [...values] };
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly constants: TensorProto[] = [];
  /** Every value name read by some node, in first-use order. */
  readonly used = new Set<string>();
  private readonly names = new Set<string>();
  private readonly overrides = new Map<string, TensorProto>();
  /** ONNX Runtime refuses two nodes of one name (MXNet graphs may repeat names). */
  private readonly nodeNames = new Set<string>();

  constructor(readonly opset: number, reserved: Iterable<string>) {
    for (const name of reserved) this.names.add(name);
  }

  /** A value name not taken yet: `hint`, else `hint_1`, `hint_2`... */
  fresh(hint: string): string {
    let name = hint;
    for (let k = 1; this.names.has(name); k++) name = `${hint}_${k}`;
    this.names.add(name);
    return name;
  }

  node(opType: string, inputs: readonly string[], outputs: readonly string[], attrs: Readonly<Record<string, AttrValue>> = {}, name?: string): void {
    for (const input of inputs) if (input !== '') this.used.add(input);
    const attribute = Object.entries(attrs).map(([key, value]) => attributeProto(key, value));
    let unique = name ?? outputs[0]!;
    for (let k = 1; this.nodeNames.has(unique); k++) unique = `${name ?? outputs[0]!}_${k}`;
    this.nodeNames.add(unique);
    this.nodes.push({ input: [...inputs], output: [...outputs], name: unique, op_type: opType, ...(attribute.length ? { attribute } : {}) });
  }

  /** Adds a node writing one fresh value named after `hint`; returns that value's name. */
  step(opType: string, inputs: readonly string[], hint: string, attrs: Readonly<Record<string, AttrValue>> = {}): string {
    const out = this.fresh(hint);
    this.node(opType, inputs, [out], attrs);
    return out;
  }

  constInt64(hint: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    const name = this.fresh(hint);
    this.constants.push(int64Tensor(name, dims, values));
    return name;
  }

  constFloat(hint: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    const name = this.fresh(hint);
    this.constants.push(floatTensor(name, dims, values));
    return name;
  }

  /** Replaces a parameter's initializer (a fixed gamma, a PRelu slope laid out for broadcasting). */
  overrideParam(name: string, tensor: TensorProto): void {
    if (tensor.name !== name) throw new ValueError({ op: 'onnx.exportModel' }, `override of '${name}' names '${tensor.name}'`);
    this.overrides.set(name, tensor);
  }

  override(name: string): TensorProto | undefined {
    return this.overrides.get(name);
  }
}
