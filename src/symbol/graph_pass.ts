/**
 * The fixed-point pass that shape and dtype inference share (MXNet's InferShape and InferType
 * work alike): variables start from what is given, then every op's rule runs forward and backward
 * over the nodes until a sweep learns nothing new. Each op node is visited at most 2n + 1 times.
 */
import type { IndexedGraph } from './graph';
import { type OpNode, type VariableNode, numOutputs } from './node';

/** What an op's rule learned: its inputs' and outputs' values, and whether any is new. */
export interface RuleResult<T> {
  readonly changed: boolean;
  readonly inputs: readonly (T | null)[];
  readonly outputs: readonly (T | null)[];
}

/** Entry values (by entry id): variables from `start`, the rest from the op rules. */
export function inferEntries<T>(
  graph: IndexedGraph,
  start: (node: VariableNode, id: number) => T | null,
  rule: (node: OpNode, inputs: readonly (T | null)[], outputs: readonly (T | null)[]) => RuleResult<T>,
): (T | null)[] {
  const values: (T | null)[] = new Array<T | null>(graph.numEntries).fill(null);
  graph.nodes.forEach((node, id) => {
    if (node.kind === 'variable') values[graph.entryStart[id]!] = start(node, id);
  });
  const opIds = graph.nodes.flatMap((node, id) => (node.kind === 'op' ? [id] : []));
  const visit = (id: number): boolean => {
    const node = graph.nodes[id] as OpNode;
    const inputIds = graph.inputEntries[id]!;
    const first = graph.entryStart[id]!;
    const outputIds = Array.from({ length: numOutputs(node) }, (_, i) => first + i);
    const result = rule(node, inputIds.map((e) => values[e]!), outputIds.map((e) => values[e]!));
    if (!result.changed) return false;
    inputIds.forEach((e, i) => (values[e] = result.inputs[i]!));
    outputIds.forEach((e, i) => (values[e] = result.outputs[i]!));
    return true;
  };
  for (let pass = 0; pass <= 2 * graph.nodes.length; pass++) {
    let changed = false;
    for (const id of opIds) changed = visit(id) || changed;
    for (let i = opIds.length - 1; i >= 0; i--) changed = visit(opIds[i]!) || changed;
    if (!changed) break;
  }
  return values;
}
