/**
 * `mx.onnx.exportModel`: an mxts symbol and its parameters as an ONNX ModelProto for inference
 * (MXNet 1.9's `mx.onnx.export_model`). Shapes are inferred once from the input shapes, so every
 * MXNet shape rule (Reshape's special values, pooling conventions) is resolved before translation.
 */
import type { Shape } from '../base/shape';
import type { NDArray } from '../ndarray/ndarray';
import { type IndexedGraph, variableIds } from '../symbol/graph';
import { inferGraphShapes } from '../symbol/infer_shape';
import { numOutputs, outputName } from '../symbol/node';
import { Symbol } from '../symbol/symbol';
import { OnnxExportError } from './errors';
import { ELEMWISE_TRANSLATORS } from './export/elemwise';
import { MATH_TRANSLATORS } from './export/math';
import { NN_TRANSLATORS } from './export/nn';
import { TENSOR_TRANSLATORS } from './export/tensor';
import { ExportParams, checkInputTypes, checkShapeOption, paramsByName, perInput } from './export_params';
import { NodeExport, Translator, exportFailure } from './export_types';
import { GraphBuilder, floatTensor } from './graph_builder';
import { DataType, ModelProto, TensorProto, ValueInfoProto, encodeModel } from './proto';

export interface ExportOptions {
  /** Shapes of the data inputs (the arguments that are neither parameters nor labels). */
  inputShapes?: Readonly<Record<string, Shape>> | readonly Shape[];
  /** 'float32' (the default and the only type mxts computes in), per input or for all. */
  inputTypes?: Readonly<Record<string, string>> | readonly string[] | string;
  /** ONNX opset, 13 (the default) to 21. */
  opset?: number;
  /** Logs each node's translation. */
  verbose?: boolean;
}

export const MIN_OPSET = 13;
export const MAX_OPSET = 21;
const SITE = { op: 'onnx.exportModel' };

const TRANSLATORS: Readonly<Record<string, Translator>> = { ...NN_TRANSLATORS, ...TENSOR_TRANSLATORS, ...ELEMWISE_TRANSLATORS, ...MATH_TRANSLATORS };

/** The canonical MXNet names of the ops `exportModel` translates. */
export function exportableOps(): string[] {
  return Object.keys(TRANSLATORS).sort();
}

/** The IR version that goes with an opset (ONNX's versioning table). */
function irVersion(opset: number): number {
  return opset <= 14 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10;
}

const LABELLED_HEADS = new Set(['SoftmaxOutput', 'LogisticRegressionOutput', 'LinearRegressionOutput', 'MAERegressionOutput', 'SVMOutput']);

/** Variables read only as the label of a loss head: inference has no labels, so they are dropped. */
function labelVariables(graph: IndexedGraph): Set<number> {
  const labelUse = new Set<number>();
  const otherUse = new Set<number>();
  graph.nodes.forEach((node, id) => {
    if (node.kind !== 'op') return;
    graph.inputEntries[id]!.forEach((entry, k) => {
      const source = graph.entryNode[entry]!;
      if (graph.nodes[source]!.kind !== 'variable') return;
      (LABELLED_HEADS.has(node.op.name) && k === 1 ? labelUse : otherUse).add(source);
    });
  });
  return new Set([...labelUse].filter((id) => !otherUse.has(id)));
}

function valueInfo(name: string, shape: Shape): ValueInfoProto {
  return { name, type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim: shape.map((d) => ({ dim_value: d })) } } } };
}

function paramTensor(name: string, value: NDArray): TensorProto {
  const data = value.dtype === 'float32' ? value.data : value.astype('float32').data;
  return floatTensor(name, value.shape, data);
}

export function buildModel(symbol: Symbol, params: ExportParams, options: ExportOptions = {}): ModelProto {
  if (!(symbol instanceof Symbol)) throw new OnnxExportError({ ...SITE, argument: 'symbol' }, 'must be an mxts Symbol');
  const opset = options.opset ?? MIN_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new OnnxExportError({ ...SITE, argument: 'opset' }, `must be an integer from ${MIN_OPSET} to ${MAX_OPSET}, got ${opset}`);
  }
  const graph = symbol.graph;
  const byName = paramsByName(params);
  const labels = labelVariables(graph);
  const { args, aux } = variableIds(graph);
  const nameOf = (id: number) => graph.nodes[id]!.name;
  for (const id of aux) {
    if (!byName.has(nameOf(id))) throw new OnnxExportError({ ...SITE, argument: 'params' }, `has no value for the auxiliary state '${nameOf(id)}'`);
  }
  const dataIds = args.filter((id) => !byName.has(nameOf(id)) && !labels.has(id));
  const dataNames = [...new Set(dataIds.map(nameOf))];
  const shapes = perInput(options.inputShapes, dataNames, 'inputShapes');
  const types = typeof options.inputTypes === 'string' ? new Map(dataNames.map((n) => [n, options.inputTypes as string])) : perInput(options.inputTypes, dataNames, 'inputTypes');
  checkInputTypes(types);
  const given = new Map<number, Shape>();
  for (const id of [...args, ...aux]) {
    const name = nameOf(id);
    const param = byName.get(name);
    if (param) given.set(id, param.shape);
    else if (shapes.has(name)) given.set(id, checkShapeOption(shapes.get(name), name));
  }
  for (const name of dataNames) {
    if (!shapes.has(name)) throw new OnnxExportError({ ...SITE, argument: 'inputShapes' }, `has no shape for the data input '${name}' (or is a parameter missing from params?)`);
  }
  const entryShapes = inferGraphShapes(graph, given);

  const builder = new GraphBuilder(opset, graph.nodes.filter((n) => n.kind === 'variable').map((n) => n.name));
  const entryName: string[] = new Array<string>(graph.numEntries);
  graph.nodes.forEach((node, id) => {
    const start = graph.entryStart[id]!;
    if (node.kind === 'variable') entryName[start] = node.name;
    else for (let k = 0; k < numOutputs(node); k++) entryName[start + k] = builder.fresh(outputName(node, k));
  });
  const producedBy = new Map<string, [string, string, number]>();
  graph.nodes.forEach((node, id) => {
    if (node.kind !== 'op') return;
    const translator = TRANSLATORS[node.op.name];
    if (!translator) {
      throw exportFailure(node.op.name, node.name, `has no ONNX translation (mxts exports ${exportableOps().length} ops: see mx.onnx.exportableOps())`);
    }
    const inputEntries = graph.inputEntries[id]!;
    const outputEntries = Array.from({ length: numOutputs(node) }, (_, k) => graph.entryStart[id]! + k);
    outputEntries.forEach((e, k) => producedBy.set(entryName[e]!, [node.op.name, node.name, k]));
    const view: NodeExport = {
      op: node.op.name,
      name: node.name,
      params: node.params,
      inputs: inputEntries.map((e) => entryName[e]!),
      inputShapes: inputEntries.map((e) => entryShapes[e] ?? null),
      outputs: outputEntries.map((e) => entryName[e]!),
      outputShapes: outputEntries.map((e) => {
        const shape = entryShapes[e];
        if (!shape) throw exportFailure(node.op.name, node.name, 'has an output whose shape cannot be inferred from the input shapes given');
        return shape;
      }),
      param: (k) => {
        const source = graph.nodes[graph.entryNode[inputEntries[k]!]!]!;
        return source.kind === 'variable' ? byName.get(source.name) : undefined;
      },
      fail: (problem, argument) => {
        throw exportFailure(node.op.name, node.name, problem, argument);
      },
    };
    const before = builder.nodes.length;
    translator(view, builder);
    if (options.verbose) console.log(`${node.name} (${node.op.name}) -> ${builder.nodes.slice(before).map((n) => n.op_type).join(', ')}`);
  });

  const outputs: ValueInfoProto[] = [];
  const headNames = symbol.listOutputs();
  const written = new Set<string>();
  graph.heads.forEach((entry, k) => {
    let name = entryName[entry]!;
    const isVariable = graph.nodes[graph.entryNode[entry]!]!.kind === 'variable';
    if (isVariable || written.has(name)) {
      const copy = builder.fresh(headNames[k]!);
      builder.node('Identity', [name], [copy]);
      name = copy;
    }
    written.add(name);
    builder.used.add(name);
    outputs.push(valueInfo(name, entryShapes[entry]!));
  });

  const inputs = dataNames.filter((n) => builder.used.has(n)).map((n) => valueInfo(n, shapes.get(n)!));
  const initializers = [...byName.keys()].filter((n) => builder.used.has(n)).map((n) => builder.override(n) ?? paramTensor(n, byName.get(n)!));
  checkAllProduced(builder, new Set([...inputs.map((v) => v.name), ...initializers.map((t) => t.name!)]), producedBy);
  return {
    ir_version: irVersion(opset),
    opset_import: [{ domain: '', version: opset }],
    producer_name: 'mxts',
    doc_string: 'Exported by mxts (Apache MXNet symbolic API in TypeScript) for inference.',
    graph: { name: symbol.name || 'mxts', node: builder.nodes, initializer: [...initializers, ...builder.constants.filter((t) => builder.used.has(t.name!))], input: inputs, output: outputs },
  };
}

/** Every value a node reads is written by some node, or is an input, parameter or constant. */
function checkAllProduced(builder: GraphBuilder, sources: Set<string>, producedBy: Map<string, [string, string, number]>): void {
  const written = new Set([...sources, ...builder.constants.map((t) => t.name!), ...builder.nodes.flatMap((n) => n.output)]);
  for (const name of builder.used) {
    if (written.has(name)) continue;
    const origin = producedBy.get(name);
    if (origin) throw exportFailure(origin[0], origin[1], `output ${origin[2]} is read by the graph, but its ONNX translation writes only the main output`);
    throw new OnnxExportError({ ...SITE, argument: name }, 'is read by the graph but is neither a data input nor a parameter');
  }
}

/**
 * The bytes of the ONNX ModelProto for `symbol` with `params` (a record or a .params path),
 * for inference: labels are dropped and loss heads become what they compute at inference.
 *
 * @example
 * const bytes = mx.onnx.exportModel(net, { ...argParams, ...auxParams }, { inputShapes: { data: [1, 4] } });
 * const session = await ort.InferenceSession.create(bytes); // onnxruntime-node or onnxruntime-web
 */
export function exportModel(symbol: Symbol, params: ExportParams, options: ExportOptions = {}): Uint8Array {
  return encodeModel(buildModel(symbol, params, options));
}
