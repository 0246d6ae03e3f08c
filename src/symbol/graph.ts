/**
 * The indexed form of a graph: nodes in MXNet's order (post-order depth-first from the heads,
 * inputs in order, each node once), integer ids for nodes and entries. Iterative, so deep graphs
 * do not hit a recursion limit.
 */
import { Entry, GraphNode, isAuxInput, numOutputs } from './node';

export interface IndexedGraph {
  readonly nodes: readonly GraphNode[];
  readonly nodeId: ReadonlyMap<GraphNode, number>;
  /** First entry id of each node; entry id = entryStart[node] + output index. */
  readonly entryStart: readonly number[];
  readonly numEntries: number;
  /** The node id of each entry id. */
  readonly entryNode: readonly number[];
  /** Entry ids of each node's inputs. */
  readonly inputEntries: readonly (readonly number[])[];
  readonly heads: readonly number[];
  /** Ids of variable nodes that some op mutates (auxiliary states). */
  readonly auxNodes: ReadonlySet<number>;
}

export function postOrder(heads: readonly Entry[]): GraphNode[] {
  const order: GraphNode[] = [];
  const visited = new Set<GraphNode>();
  for (const head of heads) {
    if (visited.has(head.node)) continue;
    const stack: { node: GraphNode; next: number }[] = [{ node: head.node, next: 0 }];
    visited.add(head.node);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const inputs = top.node.kind === 'op' ? top.node.inputs : [];
      if (top.next < inputs.length) {
        const child = inputs[top.next++]!.node;
        if (!visited.has(child)) {
          visited.add(child);
          stack.push({ node: child, next: 0 });
        }
      } else {
        order.push(top.node);
        stack.pop();
      }
    }
  }
  return order;
}

export function indexGraph(heads: readonly Entry[]): IndexedGraph {
  const nodes = postOrder(heads);
  const nodeId = new Map<GraphNode, number>();
  const entryStart: number[] = [];
  const entryNode: number[] = [];
  nodes.forEach((node, id) => {
    nodeId.set(node, id);
    entryStart.push(entryNode.length);
    for (let k = 0; k < numOutputs(node); k++) entryNode.push(id);
  });
  const numEntries = entryNode.length;
  const entryOf = (e: Entry) => entryStart[nodeId.get(e.node)!]! + e.index;
  const auxNodes = new Set<number>();
  const inputEntries = nodes.map((node) => {
    if (node.kind === 'variable') return [];
    node.inputs.forEach((input, i) => {
      if (isAuxInput(node, i) && input.node.kind === 'variable') auxNodes.add(nodeId.get(input.node)!);
    });
    return node.inputs.map(entryOf);
  });
  return { nodes, nodeId, entryStart, numEntries, entryNode, inputEntries, heads: heads.map(entryOf), auxNodes };
}

/** Variable node ids in graph order, split into arguments and auxiliary states. */
export function variableIds(graph: IndexedGraph): { args: number[]; aux: number[] } {
  const args: number[] = [];
  const aux: number[] = [];
  graph.nodes.forEach((node, id) => {
    if (node.kind === 'variable') (graph.auxNodes.has(id) ? aux : args).push(id);
  });
  return { args, aux };
}
