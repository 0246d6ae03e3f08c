/**
 * Graph nodes: frozen plain objects. A variable node or an op node; an entry is a node plus an
 * output index. Building a graph never copies it: new nodes point at existing ones.
 */
import type { AnyOpDef } from '../ops/types';

export type Attrs = Readonly<Record<string, string>>;

export interface VariableNode {
  readonly kind: 'variable';
  readonly name: string;
  readonly attrs: Attrs;
}

export interface OpNode {
  readonly kind: 'op';
  readonly op: AnyOpDef;
  readonly name: string;
  /** MXNet's attribute dict: user-given parameters in string form plus `__hidden__` keys. */
  readonly attrs: Attrs;
  /** Every parameter parsed, defaults filled in. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly inputs: readonly Entry[];
}

export type GraphNode = VariableNode | OpNode;

export interface Entry {
  readonly node: GraphNode;
  readonly index: number;
}

export function variableNode(name: string, attrs: Attrs): VariableNode {
  return Object.freeze({ kind: 'variable', name, attrs: Object.freeze({ ...attrs }) });
}

export function opNode(op: AnyOpDef, name: string, attrs: Attrs, params: Readonly<Record<string, unknown>>, inputs: readonly Entry[]): OpNode {
  return Object.freeze({ kind: 'op', op, name, attrs: Object.freeze({ ...attrs }), params, inputs: Object.freeze(inputs.slice()) });
}

export function entry(node: GraphNode, index = 0): Entry {
  return Object.freeze({ node, index });
}

export function numOutputs(node: GraphNode): number {
  return node.kind === 'variable' ? 1 : node.op.outputs(node.params).length;
}

/** The names of a node's outputs as `list_outputs` prints them (`fc1_output`, `data`). */
export function outputName(node: GraphNode, index: number): string {
  if (node.kind === 'variable') return node.name;
  const outName = node.op.outputs(node.params)[index]!;
  return node.name ? `${node.name}_${outName}` : outName;
}

/** Indices of an op node's inputs that are auxiliary states (the trailing `numAux`). */
export function isAuxInput(node: OpNode, inputIndex: number): boolean {
  const numAux = node.op.numAux?.(node.params) ?? 0;
  return inputIndex >= node.inputs.length - numAux;
}
