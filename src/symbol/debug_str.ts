/**
 * `Symbol.debugStr()`: the graph as MXNet prints it (nnvm's `Symbol::Print`): the outputs, then
 * every node in graph order; a variable as `Variable:<name>`, an op as its canonical name, node
 * name, inputs (`arg[i]=<node>(<output index>)`, with the variable's version) and its attributes
 * sorted by key.
 */
import type { IndexedGraph } from './graph';
import { isAuxInput } from './node';
import type { Entry } from './node';

const RULE = '--------------------\n';

/**
 * Versions of variable inputs, as nnvm counts them: a variable starts at 0 and each op that
 * mutates it (an auxiliary state) raises it by one; an input records the version it sees.
 */
function inputVersions(graph: IndexedGraph): Map<number, number[]> {
  const current = new Map<number, number>();
  const versions = new Map<number, number[]>();
  graph.nodes.forEach((node, id) => {
    if (node.kind !== 'op') return;
    versions.set(id, node.inputs.map((input, i) => {
      if (input.node.kind !== 'variable') return 0;
      const varId = graph.nodeId.get(input.node)!;
      const seen = current.get(varId) ?? 0;
      if (!isAuxInput(node, i)) return seen;
      current.set(varId, seen + 1);
      return seen + 1;
    }));
  });
  return versions;
}

export function graphDebugStr(graph: IndexedGraph, heads: readonly Entry[]): string {
  const head = heads[0]!.node;
  if (heads.length === 1 && (head.kind === 'variable' || head.inputs.length === 0)) {
    // nnvm prints a lone variable or an op without inputs as one line (two spaces before Op).
    return head.kind === 'variable' ? `Variable:${head.name}\n` : `AtomicFunctor  Op:${head.op.name}\n`;
  }
  const versions = inputVersions(graph);
  let text = 'Symbol Outputs:\n';
  heads.forEach((e, i) => (text += `\toutput[${i}]=${e.node.name}(${e.index})\n`));
  graph.nodes.forEach((node, id) => {
    if (node.kind === 'variable') {
      text += `Variable:${node.name}\n`;
      return;
    }
    text += `${RULE}Op:${node.op.name}, Name=${node.name}\nInputs:\n`;
    node.inputs.forEach((input, i) => {
      const version = input.node.kind === 'variable' ? ` version=${versions.get(id)![i]}` : '';
      text += `\targ[${i}]=${input.node.name}(${input.index})${version}\n`;
    });
    const keys = Object.keys(node.attrs).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (keys.length > 0) text += 'Attrs:\n' + keys.map((k) => `\t${k}=${node.attrs[k]}\n`).join('');
  });
  return text;
}
