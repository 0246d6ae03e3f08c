/**
 * Graph nodes: frozen plain objects. A variable node or an op node; an entry is a node plus an
 * output index. Building a graph never copies it: new nodes point at existing ones.
 */
import { checkOutputCount, config } from '../base/budget';
import type { ErrorSite } from '../base/errors';
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

/** Each op node's output names, built once at creation (lists are read per output and per pass). */
const outputNamesOf = new WeakMap<GraphNode, readonly string[]>();

/**
 * An op's output names for these parameters, with the count checked against `maxOutputs` before
 * the list is built: output counts come from parameters (SliceChannel's `num_outputs`), which a
 * file may set to 10^9. Any integer parameter above the limit is first tried at the limit + 1;
 * if the list then outgrows the limit, that parameter sets the count and is refused.
 */
export function declaredOutputs(op: AnyOpDef, params: Readonly<Record<string, unknown>>, site: ErrorSite): readonly string[] {
  const { maxOutputs } = config.get();
  for (const key of Object.keys(params)) {
    const value = params[key];
    if (typeof value !== 'number' || !(value > maxOutputs)) continue;
    let probe = 0;
    try {
      probe = op.outputs({ ...params, [key]: maxOutputs + 1 }).length;
    } catch {
      continue; // the op rejects the probe value: this parameter is not a plain count
    }
    if (probe > maxOutputs) checkOutputCount(value, { ...site, argument: key });
  }
  const names = op.outputs(params);
  checkOutputCount(names.length, site);
  return names;
}

export function opNode(op: AnyOpDef, name: string, attrs: Attrs, params: Readonly<Record<string, unknown>>, inputs: readonly Entry[]): OpNode {
  const names = Object.freeze(declaredOutputs(op, params, { op: op.name, node: name }).slice());
  const node: OpNode = Object.freeze({ kind: 'op', op, name, attrs: Object.freeze({ ...attrs }), params, inputs: Object.freeze(inputs.slice()) });
  outputNamesOf.set(node, names);
  return node;
}

/** An op node's output names (`output`, `output0`...), computed once per node. */
export function outputNames(node: OpNode): readonly string[] {
  let names = outputNamesOf.get(node);
  if (names === undefined) {
    names = Object.freeze(declaredOutputs(node.op, node.params, { op: node.op.name, node: node.name }).slice());
    outputNamesOf.set(node, names);
  }
  return names;
}

export function entry(node: GraphNode, index = 0): Entry {
  return Object.freeze({ node, index });
}

export function numOutputs(node: GraphNode): number {
  return node.kind === 'variable' ? 1 : outputNames(node).length;
}

/** The names of a node's outputs as `list_outputs` prints them (`fc1_output`, `data`). */
export function outputName(node: GraphNode, index: number): string {
  if (node.kind === 'variable') return node.name;
  const outName = outputNames(node)[index]!;
  return node.name ? `${node.name}_${outName}` : outName;
}

/** Indices of an op node's inputs that are auxiliary states (the trailing `numAux`). */
export function isAuxInput(node: OpNode, inputIndex: number): boolean {
  const numAux = node.op.numAux?.(node.params) ?? 0;
  return inputIndex >= node.inputs.length - numAux;
}
