/**
 * `mx.viz.plotNetwork` (MXNet 1.9 `visualization.py` `plot_network`): the graph as Graphviz DOT,
 * drawn as MXNet draws it: variables as ovals, operators as filled boxes coloured by kind, labels
 * with the layer's main parameters, edges from each operator back to its inputs labelled with
 * the tensor shape (without the batch axis) when input shapes are given, and parameters
 * (`*_weight`, `*_bias`, `*_gamma`...) hidden by default.
 */
import { ValueError } from '../base/errors';
import type { DType } from '../base/dtype';
import type { Shape } from '../base/shape';
import type { GraphNode, OpNode } from '../symbol/node';
import { Symbol } from '../symbol/symbol';
import { Digraph, DotAttrs, DotEdge, DotNode } from './dot';

/** Options of `plotNetwork` (MXNet's `title`, `shape`, `node_attrs`, `hide_weights`, `save_format`). */
export interface PlotNetworkOptions {
  /** The graph's name (MXNet's default 'plot'). */
  title?: string;
  /** Input shapes: when given, every drawn edge is labelled with its tensor's shape. */
  shape?: Readonly<Record<string, Shape>>;
  /** Input dtypes: when given, every drawn edge's label ends with its tensor's dtype, `(float32)`. */
  dtype?: Readonly<Record<string, DType>>;
  /** Graphviz attributes merged over the defaults of every drawn node (`{shape: 'oval'}`). */
  nodeAttrs?: Readonly<Record<string, string>>;
  /** Hide variables named like parameters (default true). Shown ones are plain default ovals. */
  hideWeights?: boolean;
  /** The format `render()` produces (default 'svg'; MXNet's 'pdf' is not in the WebAssembly build). */
  saveFormat?: string;
}

/** MXNet's palette, by position: inputs, weighted layers, activations, BatchNorm, pooling... */
export const PALETTE = ['#8dd3c7', '#fb8072', '#ffffb3', '#bebada', '#80b1d3', '#fdb462', '#b3de69', '#fccde5'] as const;

const DEFAULT_NODE_ATTRS: DotAttrs = { shape: 'box', fixedsize: 'true', width: '1.3', height: '0.8034', style: 'filled' };

const WEIGHT_SUFFIXES = ['_weight', '_bias', '_beta', '_gamma', '_moving_var', '_moving_mean', '_running_var', '_running_mean'];

/** MXNet's `looks_like_weight`: variables hidden by `hideWeights`. */
export function looksLikeWeight(name: string): boolean {
  return WEIGHT_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/** MXNet's `_str2tuple`: the integers of a tuple attribute, joined by 'x' (`"(3, 3)"` -> `3x3`). */
function tupleText(value: string): string {
  return (value.match(/\d+/g) ?? []).join('x');
}

/** Kernel and stride as `3x3/2x2`; stride '1' when not given, as MXNet prints it. */
function windowText(node: OpNode): string {
  const { kernel, stride } = node.attrs;
  // MXNet reads `kernel` unconditionally (a KeyError for a global pooling without one).
  if (kernel === undefined) return 'global';
  return `${tupleText(kernel)}/${stride !== undefined ? tupleText(stride) : '1'}`;
}

/** A parameter as the node stores it, else its parsed default (MXNet fails on absent keys). */
function attrOrDefault(node: OpNode, key: string): string {
  return node.attrs[key] ?? String(node.params[key] ?? '');
}

/** An operator's label lines and fill colour, by MXNet's rules per operator kind. */
function opStyle(node: OpNode): { label: string[]; fill: string } {
  const op = node.op.name;
  switch (op) {
    case 'Convolution':
      return { label: ['Convolution', `${windowText(node)}, ${attrOrDefault(node, 'num_filter')}`], fill: PALETTE[1] };
    case 'FullyConnected':
      return { label: ['FullyConnected', attrOrDefault(node, 'num_hidden')], fill: PALETTE[1] };
    case 'BatchNorm':
      return { label: [node.name], fill: PALETTE[3] };
    case 'Activation':
    case 'LeakyReLU':
      return { label: [op, attrOrDefault(node, 'act_type')], fill: PALETTE[2] };
    case 'Pooling':
      return { label: ['Pooling', `${attrOrDefault(node, 'pool_type')}, ${windowText(node)}`], fill: PALETTE[4] };
    case 'Concat':
    case 'Flatten':
    case 'Reshape':
      return { label: [node.name], fill: PALETTE[5] };
    case 'Softmax':
      return { label: [node.name], fill: PALETTE[6] };
    case 'Custom':
      return { label: [attrOrDefault(node, 'op_type')], fill: PALETTE[7] };
    default:
      return { label: [node.name], fill: PALETTE[7] };
  }
}

type EntryLabels = Map<GraphNode, Map<number, string>>;

/** Labels by node and output index, one per visible output of the internals (MXNet's `shape_dict`). */
function entryLabels(symbol: Symbol, values: (internals: Symbol) => readonly string[]): EntryLabels {
  const internals = symbol.getInternals();
  const texts = values(internals);
  const byNode: EntryLabels = new Map();
  internals.outputs.forEach((e, i) => {
    let outputs = byNode.get(e.node);
    if (!outputs) byNode.set(e.node, (outputs = new Map()));
    outputs.set(e.index, texts[i]!);
  });
  return byNode;
}

/** Graphviz ids: the node's name, with ` (2)`, ` (3)`... for names already taken. */
function nodeIds(nodes: readonly GraphNode[]): Map<GraphNode, string> {
  const ids = new Map<GraphNode, string>();
  const taken = new Set<string>();
  for (const node of nodes) {
    let id = node.name;
    for (let k = 2; taken.has(id); k++) id = `${node.name} (${k})`;
    taken.add(id);
    ids.set(node, id);
  }
  return ids;
}

/**
 * The graph of `symbol` as a Graphviz digraph (DOT text in `.dot`, SVG from `await .toSVG()`).
 * Node ids are node names, as in MXNet, except that a name met again gets a suffix (`relu1 (2)`):
 * MXNet merges such nodes into one (a wrong, possibly cyclic picture); here every node is drawn.
 *
 * @example
 * let net = mx.sym.FullyConnected(mx.sym.Variable('data'), { num_hidden: 128, name: 'fc1' });
 * net = mx.sym.SoftmaxOutput(mx.sym.Activation(net, { act_type: 'relu' }), { name: 'out' });
 * const plot = mx.viz.plotNetwork(net, { shape: { data: [100, 200] } });
 * console.log(plot.dot);              // digraph "plot" { ... "fc1" [label="FullyConnected\n128" ...
 * const svg = await plot.toSVG();
 */
export function plotNetwork(symbol: Symbol, options: PlotNetworkOptions = {}): Digraph {
  if (!(symbol instanceof Symbol)) throw new ValueError({ op: 'plotNetwork', argument: 'symbol' }, 'must be a Symbol');
  const hideWeights = options.hideWeights ?? true;
  const { shape, dtype } = options;
  // Shapes without the batch axis (`3x28x28`); dtypes as `(float32)`.
  const shapes = shape ? entryLabels(symbol, (internals) => internals.inferShape(shape).outShapes.map((s) => s.slice(1).join('x'))) : null;
  const dtypes = dtype ? entryLabels(symbol, (internals) => internals.inferType(dtype).outTypes.map((t) => `(${t})`)) : null;
  const nodes = symbol.graph.nodes;
  const ids = nodeIds(nodes);
  const baseAttrs: DotAttrs = { ...DEFAULT_NODE_ATTRS, ...options.nodeAttrs };
  const dotNodes: DotNode[] = [];
  const hidden = new Set<GraphNode>();
  for (const node of nodes) {
    if (node.kind === 'variable') {
      // Parameters are never declared: hidden ones get no edge either; shown ones appear through
      // their edges as Graphviz's default (unfilled) ovals, exactly as in MXNet's plots.
      if (looksLikeWeight(node.name)) {
        if (hideWeights) hidden.add(node);
        continue;
      }
      dotNodes.push({ id: ids.get(node)!, label: [node.name], attrs: { ...baseAttrs, shape: 'oval', fillcolor: PALETTE[0] } });
      continue;
    }
    const { label, fill } = opStyle(node);
    dotNodes.push({ id: ids.get(node)!, label, attrs: { ...baseAttrs, fillcolor: fill } });
  }
  const edges: DotEdge[] = [];
  for (const node of nodes) {
    if (node.kind !== 'op') continue;
    for (const input of node.inputs) {
      if (hidden.has(input.node)) continue;
      const attrs: Record<string, string> = { dir: 'back', arrowtail: 'open' };
      // MXNet labels an edge from a multi-output node with that node's last output's shape; the
      // shape of the output the edge actually carries is drawn here.
      const shapeText = shapes?.get(input.node)?.get(input.index);
      const dtypeText = dtypes?.get(input.node)?.get(input.index);
      if (shapeText !== undefined || dtypeText !== undefined) attrs['label'] = (shapeText ?? '') + (dtypeText ?? '');
      edges.push({ from: ids.get(node)!, to: ids.get(input.node)!, attrs });
    }
  }
  return new Digraph(options.title ?? 'plot', dotNodes, edges, options.saveFormat ?? 'svg');
}
