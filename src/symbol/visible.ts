import { Entry, GraphNode, entry, numOutputs } from './node';

/** The outputs a Symbol exposes for a node (all but hidden ones such as BatchNorm's mean/var). */
export function visibleOutputs(node: GraphNode): Entry[] {
  const count = node.kind === 'op' ? node.op.numVisibleOutputs?.(node.params) ?? numOutputs(node) : 1;
  return Array.from({ length: count }, (_, i) => entry(node, i));
}
