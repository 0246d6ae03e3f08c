/**
 * Editing whole symbols without mutating them: composition (replacing variables by other
 * symbols, MXNet's `sym(**kwargs)`) and attribute edits (`_set_attr`).
 */
import { ValueError, listNames } from '../base/errors';
import { Entry, GraphNode, entry, opNode } from './node';
import { Symbol } from './symbol';
import { editTable, headNodeIndex } from './table';

/**
 * Replaces each variable named in `inputs` with that symbol. As in MXNet, the head node is
 * renamed to `name`, or to the empty string when no name is given (outputs then read `output`).
 */
export function compose(symbol: Symbol, inputs: Readonly<Record<string, Symbol>>, name = ''): Symbol {
  const variables = new Set(symbol.listInputs());
  const replacement = new Map<string, Entry>();
  for (const [key, value] of Object.entries(inputs)) {
    if (!variables.has(key)) throw new ValueError({ op: 'compose', argument: key }, `matches no variable; variables are ${listNames([...variables])}`);
    if (!(value instanceof Symbol) || value.outputs.length !== 1) throw new ValueError({ op: 'compose', argument: key }, 'must be a symbol with one output');
    replacement.set(key, value.outputs[0]!);
  }
  const headNodes = new Set(symbol.outputs.map((e) => e.node));
  if (headNodes.size !== 1) throw new ValueError({ op: 'compose', argument: 'symbol' }, 'must have one head node, not a group');
  const mapped = new Map<GraphNode, Entry | GraphNode>();
  const mapEntry = (e: Entry): Entry => {
    const target = mapped.get(e.node)!;
    return 'kind' in target ? entry(target, e.index) : target;
  };
  for (const node of symbol.graph.nodes) {
    if (node.kind === 'variable') {
      mapped.set(node, replacement.get(node.name) ?? node);
      continue;
    }
    const newInputs = node.inputs.map(mapEntry);
    const isHead = headNodes.has(node);
    const unchanged = !isHead && newInputs.every((e, i) => e.node === node.inputs[i]!.node && e.index === node.inputs[i]!.index);
    mapped.set(node, unchanged ? node : opNode(node.op, isHead ? name : node.name, node.attrs, node.params, newInputs));
  }
  return new Symbol(symbol.outputs.map(mapEntry));
}

/**
 * A new symbol whose head node has `attrs` set (string values; `name` renames the node). Op
 * parameters given this way are parsed again, as in MXNet.
 */
export function setAttr(symbol: Symbol, attrs: Readonly<Record<string, string>>): Symbol {
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value !== 'string') throw new ValueError({ op: 'setAttr', argument: key }, `must be a string, got ${typeof value}`);
  }
  return editTable(symbol, (draft) => {
    const head = draft.nodes[headNodeIndex(draft, 'setAttr')]!;
    for (const [key, value] of Object.entries(attrs)) {
      if (key === 'name') head.name = value;
      else head.attrs[key] = value;
    }
  });
}
