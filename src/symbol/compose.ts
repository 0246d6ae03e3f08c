/**
 * Editing whole symbols without mutating them: composition (replacing variables by other
 * symbols, MXNet's `sym(**kwargs)`) and attribute edits (`_set_attr`).
 */
import { ValueError, listNames } from '../base/errors';
import { Entry, GraphNode, entry, opNode } from './node';
import { Symbol } from './symbol';
import { editTable, headNodeIndex } from './table';

/**
 * Replaces variables by symbols: by name (`{fc3_data: net1}`, MXNet's `sym(fc3_data=net1)`) or by
 * position (`[net1]`, `sym(net1)`), positions following `listInputs()` order. As in MXNet, the head
 * node is renamed to `name`, or to the empty string when no name is given (outputs then read `output`).
 */
export function compose(symbol: Symbol, inputs: Readonly<Record<string, Symbol>> | readonly Symbol[], name = ''): Symbol {
  const variableNames = symbol.listInputs();
  const variables = new Set(variableNames);
  const replacement = new Map<string, Entry>();
  const single = (value: unknown, argument: string): Entry => {
    if (!(value instanceof Symbol) || value.outputs.length !== 1) throw new ValueError({ op: 'compose', argument }, 'must be a symbol with one output');
    return value.outputs[0]!;
  };
  if (Array.isArray(inputs)) {
    if (inputs.length > variableNames.length) {
      throw new ValueError({ op: 'compose', argument: 'inputs', expected: variableNames.length, actual: inputs.length }, `has ${inputs.length} symbols but the symbol has ${variableNames.length} inputs (${listNames(variableNames)})`);
    }
    inputs.forEach((value, i) => replacement.set(variableNames[i]!, single(value, `inputs[${i}]`)));
  } else {
    if (typeof inputs !== 'object' || inputs === null) throw new ValueError({ op: 'compose', argument: 'inputs' }, 'must be a record (variable name -> Symbol) or a list of symbols');
    for (const [key, value] of Object.entries(inputs)) {
      if (!variables.has(key)) throw new ValueError({ op: 'compose', argument: key }, `matches no variable; variables are ${listNames([...variables])}`);
      replacement.set(key, single(value, key));
    }
  }
  if (symbol.outputs.length === 1 && symbol.outputs[0]!.node.kind === 'variable') throw new ValueError({ op: 'compose', argument: 'symbol' }, 'is a variable: a variable cannot be composed');
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
