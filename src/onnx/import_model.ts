/**
 * `mx.onnx.importModel`: an ONNX model as an mxts symbol with its parameters (MXNet's
 * `mx.onnx.import_model`), for the operators `exportModel` writes and their common variants.
 * Initializers read as tensors become parameters (BatchNorm statistics auxiliary states);
 * initializers read as shapes, axes or scalars become op parameters.
 */
import { NDArray } from '../ndarray/ndarray';
import { readFileBytes } from '../ndarray/serialize';
import { Variable } from '../symbol/apply_op';
import { Symbol, group } from '../symbol/symbol';
import { OnnxImportError } from './errors';
import { MATH_IMPORTS } from './import/math';
import { NN_IMPORTS } from './import/nn';
import { TENSOR_IMPORTS } from './import/tensor';
import { ConstantValue, ImportTranslator, NodeImport, OnnxAttr, attrValue, floatValues, tensorValues } from './import_types';
import { GraphProto, NodeProto, TensorProto, decodeModel } from './proto';

export interface ImportedModel {
  symbol: Symbol;
  /** Prototype-free records by parameter name. */
  argParams: Record<string, NDArray>;
  auxParams: Record<string, NDArray>;
}

const SITE = { op: 'onnx.importModel' };
const IMPORTS: Readonly<Record<string, ImportTranslator>> = { ...NN_IMPORTS, ...TENSOR_IMPORTS, ...MATH_IMPORTS };

/** The ONNX op types `importModel` reads. */
export function importableOps(): string[] {
  return Object.keys(IMPORTS).sort();
}

interface Param {
  readonly symbol: Symbol;
  aux: boolean;
  dims: readonly number[];
  values: Float32Array;
}

/** The state of one import: constants, values computed so far, parameters made. */
class ImportState {
  readonly tensors = new Map<string, TensorProto>();
  readonly constants = new Map<string, ConstantValue>();
  readonly values = new Map<string, Symbol>();
  readonly params = new Map<string, Param>();
  readonly inputShapes: Record<string, readonly number[]> = {};
  readonly nodeNames = new Set<string>();
  readonly producers = new Map<string, NodeProto>();

  constructor(graph: GraphProto) {
    for (const t of graph.initializer ?? []) if (t.name) this.tensors.set(t.name, t);
    for (const input of graph.input) {
      if (this.tensors.has(input.name)) continue;
      this.values.set(input.name, Variable(input.name));
      const dims = input.type?.tensor_type?.shape?.dim ?? [];
      if (dims.length > 0 && dims.every((d) => typeof d.dim_value === 'number' && d.dim_value > 0)) this.inputShapes[input.name] = dims.map((d) => d.dim_value!);
    }
  }

  constant(name: string): ConstantValue | undefined {
    const cached = this.constants.get(name);
    if (cached) return cached;
    const tensor = this.tensors.get(name);
    if (!tensor) return undefined;
    const value = { dims: (tensor.dims ?? []).map(Number), values: tensorValues(tensor, { ...SITE, node: name }) };
    this.constants.set(name, value);
    return value;
  }

  param(name: string, aux: boolean, dims?: readonly number[], values?: Float32Array): Symbol {
    const existing = this.params.get(name);
    if (existing) {
      existing.aux ||= aux;
      return existing.symbol;
    }
    const tensor = this.tensors.get(name)!;
    const param: Param = { symbol: Variable(name), aux, dims: dims ?? (tensor.dims ?? []).map(Number), values: values ?? floatValues(tensor, { ...SITE, node: name }) };
    this.params.set(name, param);
    return param.symbol;
  }

  /** Shapes known before any op runs: the graph inputs' and the parameters'. */
  knownShapes(symbol: Symbol): Record<string, readonly number[]> {
    const out: Record<string, readonly number[]> = {};
    for (const name of [...symbol.listArguments(), ...symbol.listAuxiliaryStates()]) {
      const shape = this.inputShapes[name] ?? this.params.get(name)?.dims;
      if (shape) out[name] = shape;
    }
    return out;
  }
}

function nodeView(state: ImportState, node: NodeProto, opset: number): NodeImport {
  const attrs = new Map<string, OnnxAttr>();
  for (const a of node.attribute ?? []) {
    const value = attrValue(a);
    if (value !== undefined) attrs.set(a.name, value);
  }
  const label = node.name || node.output[0] || '';
  const fail = (problem: string, argument?: string): never => {
    throw new OnnxImportError({ op: node.op_type, node: label, argument }, problem);
  };
  const inputName = (k: number) => node.input[k] ?? '';
  const wanted = node.name && !state.nodeNames.has(node.name) ? node.name : undefined;
  const view: NodeImport = {
    node,
    opset,
    name: wanted,
    attr: (key) => attrs.get(key),
    has: (k) => inputName(k) !== '',
    constant: (k) => state.constant(inputName(k)),
    constantDims: (k) => state.tensors.get(inputName(k))?.dims?.map(Number),
    input: (k) => {
      const name = inputName(k);
      if (name === '') fail(`has no input ${k}`);
      return view.value(name);
    },
    value: (name) => {
      const value = state.values.get(name);
      if (value) return value;
      if (state.tensors.has(name)) return state.param(name, false);
      return fail(`reads '${name}', which no earlier node, graph input or initializer provides`);
    },
    producer: (k) => state.producers.get(inputName(k)),
    param: (k, options = {}) => {
      const name = inputName(k);
      if (!state.tensors.has(name)) return view.input(k);
      return state.param(name, options.aux ?? false, options.dims, options.values);
    },
    shape: (k) => {
      const symbol = view.input(k);
      const inferred = symbol.inferShapePartial(state.knownShapes(symbol));
      return inferred.outShapes[0] ?? null;
    },
    fail,
  };
  return view;
}

function opsetOf(imports: readonly { domain?: string; version: number }[]): number {
  const entry = imports.find((o) => !o.domain || o.domain === 'ai.onnx');
  if (!entry) throw new OnnxImportError({ ...SITE, argument: 'opset_import' }, 'names no version of the default ONNX operator set');
  return Number(entry.version);
}

/**
 * Reads ONNX bytes (or, in Node, a file path) into a symbol, argParams and auxParams.
 *
 * @example
 * const { symbol, argParams, auxParams } = mx.onnx.importModel('mlp.onnx');
 * const exec = symbol.bind(mx.cpu(), { ...argParams, data: x }, { auxStates: auxParams, gradReq: 'null' });
 */
export function importModel(model: Uint8Array | string): ImportedModel {
  const bytes = typeof model === 'string' ? readFileBytes(model, SITE.op) : model;
  if (!(bytes instanceof Uint8Array)) throw new OnnxImportError({ ...SITE, argument: 'model' }, 'must be the bytes of an ONNX model (Uint8Array) or a file path');
  const proto = decodeModel(bytes, typeof model === 'string' ? model : '<bytes>');
  const opset = opsetOf(proto.opset_import ?? []);
  const graph = proto.graph;
  const state = new ImportState(graph);
  for (const node of graph.node ?? []) {
    if (node.domain && node.domain !== 'ai.onnx') throw new OnnxImportError({ op: node.op_type, node: node.name, argument: 'domain' }, `'${node.domain}' is not the default ONNX domain`);
    if (node.op_type === 'Constant') {
      const tensor = (node.attribute ?? []).find((a) => a.name === 'value')?.t;
      if (!tensor) throw new OnnxImportError({ op: 'Constant', node: node.name }, 'only the tensor form (value) is supported');
      state.tensors.set(node.output[0]!, { ...tensor, name: node.output[0]! });
      continue;
    }
    const translate = IMPORTS[node.op_type];
    if (!translate) throw new OnnxImportError({ op: node.op_type, node: node.name || node.output[0] }, `has no mxts translation (importModel reads ${importableOps().length} ONNX ops: see mx.onnx.importableOps())`);
    const symbol = translate(nodeView(state, node, opset));
    if (node.name) state.nodeNames.add(node.name);
    for (const name of node.output) state.producers.set(name, node);
    node.output.slice(0, symbol.numOutputs).forEach((name, k) => {
      if (name !== '') state.values.set(name, symbol.numOutputs === 1 ? symbol : symbol.get(k));
    });
  }
  const heads = graph.output.map((o) => {
    const value = state.values.get(o.name) ?? (state.tensors.has(o.name) ? state.param(o.name, false) : undefined);
    if (!value) throw new OnnxImportError({ ...SITE, argument: o.name }, 'is a graph output that no node computes');
    return value;
  });
  const symbol = heads.length === 1 ? heads[0]! : group(heads);
  const argParams = Object.create(null) as Record<string, NDArray>;
  const auxParams = Object.create(null) as Record<string, NDArray>;
  const reachable = new Set([...symbol.listArguments(), ...symbol.listAuxiliaryStates()]);
  for (const [name, param] of state.params) {
    if (reachable.has(name)) (param.aux ? auxParams : argParams)[name] = new NDArray(param.values, [...param.dims]);
  }
  return { symbol, argParams, auxParams };
}
