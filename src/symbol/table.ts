/**
 * The table form of a graph: nodes with integer input references, the shape of MXNet's JSON.
 * Edits (renames, attribute changes, legacy upgrades) are immer recipes on this form; the frozen
 * node graph is rebuilt from the edited table.
 */
import { produce, type Draft } from 'immer';
import { ValueError } from '../base/errors';
import { parseParams } from '../ops/params';
import { getOp } from '../ops/registry';
import { isAuxInput, Entry, GraphNode, entry, opNode, variableNode } from './node';
import { Symbol } from './symbol';

/** `[node index, output index, version]`, as MXNet's JSON writes input and head entries. */
export type TableEntry = readonly [number, number, number];

export interface TableNode {
  /** The canonical op name, or `null` for a variable (JSON's `"null"`). */
  readonly op: string | null;
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly inputs: readonly TableEntry[];
}

export interface GraphTable {
  readonly nodes: readonly TableNode[];
  readonly heads: readonly TableEntry[];
}

export function toTable(symbol: Symbol): GraphTable {
  const graph = symbol.graph;
  const ref = (e: Entry): TableEntry => [graph.nodeId.get(e.node)!, e.index, 0];
  const nodes = graph.nodes.map((node): TableNode => ({
    op: node.kind === 'variable' ? null : node.op.name,
    name: node.name,
    attrs: node.attrs,
    inputs: node.kind === 'variable' ? [] : node.inputs.map(ref),
  }));
  return { nodes, heads: symbol.outputs.map(ref) };
}

/** Splits a node's attribute dict into op parameters and other attributes, parsing the parameters. */
function buildOpNode(table: GraphTable, index: number, built: readonly GraphNode[]): GraphNode {
  const row = table.nodes[index]!;
  if (row.op === null) return variableNode(row.name, row.attrs);
  const def = getOp(row.op);
  const given: Record<string, string> = {};
  for (const [key, value] of Object.entries(row.attrs)) if (Object.prototype.hasOwnProperty.call(def.params, key)) given[key] = value;
  const params = parseParams(def.params, given, { op: def.name, node: row.name });
  const inputs = row.inputs.map(([node, output]) => {
    if (node >= index) throw new ValueError({ op: def.name, node: row.name, argument: 'inputs' }, `refers to node ${node}, which does not come before it`);
    return entry(built[node]!, output);
  });
  const node = opNode(def, row.name, row.attrs, params, inputs);
  inputs.forEach((input, i) => {
    if (isAuxInput(node, i) && input.node.kind !== 'variable') throw new ValueError({ op: def.name, node: row.name, argument: def.inputs(params)[i] }, 'must be a variable: it is an auxiliary state');
  });
  return node;
}

export function fromTable(table: GraphTable): Symbol {
  const built: GraphNode[] = [];
  table.nodes.forEach((_, index) => built.push(buildOpNode(table, index, built)));
  return new Symbol(table.heads.map(([node, output]) => entry(built[node]!, output)));
}

/** Applies an immer recipe to the symbol's table form and rebuilds the graph. */
export function editTable(symbol: Symbol, recipe: (draft: Draft<GraphTable>) => void): Symbol {
  return fromTable(produce(toTable(symbol), recipe));
}

/** Index of the single head node, or an error naming the operation for groups. */
export function headNodeIndex(table: GraphTable, op: string): number {
  const heads = new Set(table.heads.map(([node]) => node));
  if (heads.size !== 1) throw new ValueError({ op, argument: 'symbol' }, 'must have one head node, not a group');
  return [...heads][0]!;
}
