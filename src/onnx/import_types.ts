/** What an import translator sees of one ONNX node, and helpers to build mxts ops from it. */
import { getOp } from '../ops/registry';
import { applyOp } from '../symbol/apply_op';
import type { Symbol } from '../symbol/symbol';
import { OnnxImportError } from './errors';
import { AttributeProto, DataType, NodeProto, TensorProto } from './proto';

export type OnnxAttr = number | string | readonly number[];

/** A constant's values (initializer or Constant node) as numbers, with its dims. */
export interface ConstantValue {
  readonly dims: readonly number[];
  readonly values: readonly number[];
}

export interface NodeImport {
  readonly node: NodeProto;
  readonly opset: number;
  /** The mxts node name (the ONNX node's name when it has one). */
  readonly name: string | undefined;
  attr(key: string): OnnxAttr | undefined;
  has(index: number): boolean;
  /** Input `index` as a symbol: a value computed by an earlier node, a graph input or a parameter. */
  input(index: number): Symbol;
  /** Input `index` as constant numbers, or undefined when it is not a constant. */
  constant(index: number): ConstantValue | undefined;
  /** The dims of constant input `index` (without reading its values), or undefined. */
  constantDims(index: number): readonly number[] | undefined;
  /** Input `index` as a parameter, optionally stored as an auxiliary state or with other dims/values. */
  param(index: number, options?: { aux?: boolean; dims?: readonly number[]; values?: Float32Array }): Symbol;
  /** The node that writes input `index` (undefined for graph inputs and constants). */
  producer(index: number): NodeProto | undefined;
  /** Any value computed so far, by its ONNX name. */
  value(name: string): Symbol;
  /** Input `index`'s shape, inferred from the graph input and parameter shapes, when decided. */
  shape(index: number): readonly number[] | null;
  fail(problem: string, argument?: string): never;
}

export type ImportTranslator = (n: NodeImport) => Symbol;

/** Applies an mxts op to inputs with parameters, naming the node after the ONNX node. */
export function apply(n: NodeImport, op: string, inputs: readonly Symbol[], params: Readonly<Record<string, unknown>> = {}): Symbol {
  return applyOp(getOp(op), op, [...inputs, { ...params, ...(n.name !== undefined ? { name: n.name } : {}) }]);
}

/**
 * ONNX stores float attributes in float32: the shortest decimal that rounds to the same float32
 * gives back the value the user wrote (0.3, not 0.30000001192092896), as MXNet's text attributes hold it.
 */
export function shortestFloat(value: number): number {
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

export function attrValue(a: AttributeProto): OnnxAttr | undefined {
  if (a.type === 1) return shortestFloat(a.f ?? 0);
  if (a.type === 2) return a.i ?? 0;
  if (a.type === 3) return new TextDecoder().decode(a.s ?? new Uint8Array());
  if (a.type === 6) return (a.floats ?? []).map(shortestFloat);
  if (a.type === 7) return a.ints ?? [];
  return undefined;
}

/** The numbers of a float, double, int32 or int64 tensor (raw little-endian bytes or typed fields). */
export function tensorValues(t: TensorProto, site: { op: string; node?: string | undefined }): number[] {
  const count = (t.dims ?? []).reduce((a, b) => a * b, 1);
  const raw = t.raw_data;
  if (t.data_location === 1) throw new OnnxImportError({ ...site, argument: t.name }, 'is stored in an external file, which importModel does not read');
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const read: Partial<Record<number, [number, (o: number) => number]>> = {
      [DataType.FLOAT]: [4, (o) => view.getFloat32(o, true)],
      [DataType.DOUBLE]: [8, (o) => view.getFloat64(o, true)],
      [DataType.INT32]: [4, (o) => view.getInt32(o, true)],
      [DataType.INT64]: [8, (o) => Number(view.getBigInt64(o, true))],
      [DataType.UINT8]: [1, (o) => view.getUint8(o)],
      [DataType.INT8]: [1, (o) => view.getInt8(o)],
      [DataType.BOOL]: [1, (o) => view.getUint8(o)],
    };
    const reader = read[t.data_type ?? 0];
    if (!reader) throw new OnnxImportError({ ...site, argument: t.name }, `has data type ${t.data_type}, which importModel does not read`);
    return Array.from({ length: count }, (_, k) => reader[1](k * reader[0]));
  }
  const typed = [t.float_data, t.double_data, t.int64_data, t.int32_data].find((list) => list !== undefined && list.length > 0) ?? [];
  if (typed.length !== count) throw new OnnxImportError({ ...site, argument: t.name }, `holds ${typed.length} values for dims [${(t.dims ?? []).join(',')}]`);
  return typed.map(Number);
}

/** A float tensor's values as float32 (raw bytes copied at once: weights can be large). */
export function floatValues(t: TensorProto, site: { op: string; node?: string | undefined }): Float32Array {
  const raw = t.raw_data;
  if (t.data_type === DataType.FLOAT && raw && raw.length > 0 && LITTLE_ENDIAN) {
    return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  }
  if (t.data_type === DataType.FLOAT && t.float_data && t.float_data.length > 0) return Float32Array.from(t.float_data);
  return Float32Array.from(tensorValues(t, site));
}

const LITTLE_ENDIAN = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

/** Integer attribute lists and constants as plain arrays, failing with the node's site. */
export function ints(n: NodeImport, key: string, fallback?: readonly number[]): number[] {
  const value = n.attr(key);
  if (value === undefined) {
    if (fallback !== undefined) return [...fallback];
    n.fail('is required', key);
  }
  if (!Array.isArray(value)) n.fail(`must be a list of integers`, key);
  return [...(value as readonly number[])];
}

export function int(n: NodeImport, key: string, fallback: number): number {
  const value = n.attr(key);
  return typeof value === 'number' ? value : fallback;
}

export function str(n: NodeImport, key: string, fallback: string): string {
  const value = n.attr(key);
  return typeof value === 'string' ? value : fallback;
}

export function requireDims(n: NodeImport, index: number, what: string): readonly number[] {
  const dims = n.constantDims(index);
  if (!dims) n.fail(`must be a constant (an initializer or a Constant node) for mxts to read it`, what);
  return dims;
}

export function requireConstant(n: NodeImport, index: number, what: string): ConstantValue {
  const value = n.constant(index);
  if (!value) n.fail(`must be a constant (an initializer or a Constant node) for mxts to read it`, what);
  return value;
}
