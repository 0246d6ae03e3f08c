/**
 * dtype inference over a whole graph, as MXNet's InferType pass: op dtype rules (type_rules.ts)
 * run forward and backward over the nodes until nothing new is learned. Variables start from the
 * dtypes given and their `__dtype__` attribute (the mshadow flag MXNet's `var(dtype=...)` stores).
 */
import { DType, checkDType, dtypeOfFlag } from '../base/dtype';
import { DTypeError, ValueError, listNames } from '../base/errors';
import { applyTypeRule } from '../ops/type_rules';
import type { MaybeDType } from '../ops/types';
import { type IndexedGraph, variableIds } from './graph';
import { inferEntries } from './graph_pass';
import type { VariableNode } from './node';
import type { Symbol } from './symbol';

/** dtypes by argument (or auxiliary state) name, or a list in `listArguments()` order. */
export type TypeArgs = Readonly<Record<string, DType>> | readonly (DType | null | undefined)[];

/** `inferType`'s result: lists in `listArguments()` / `listOutputs()` / `listAuxiliaryStates()` order. */
export interface InferredTypeLists<T> {
  readonly argTypes: T[];
  readonly outTypes: T[];
  readonly auxTypes: T[];
}

/** A variable's `__dtype__` hint ("0" = float32, "1" = float64, ...). */
export function dtypeHint(node: VariableNode): DType | null {
  const text = node.attrs['__dtype__'];
  if (text === undefined) return null;
  const dtype = /^\d+$/.test(text.trim()) ? dtypeOfFlag(Number(text)) : undefined;
  if (dtype === undefined) throw new DTypeError({ op: 'Variable', node: node.name, argument: '__dtype__', actual: text }, `'${text}' is not a dtype flag mxts knows (0-7)`);
  return dtype;
}

/** Entry dtypes (by entry id) given dtypes for some variable nodes (by node id). */
export function inferGraphTypes(graph: IndexedGraph, given: ReadonlyMap<number, DType>): MaybeDType[] {
  return inferEntries<DType>(
    graph,
    (node, id) => given.get(id) ?? dtypeHint(node),
    (node, inputs, outputs) => applyTypeRule(node.op, node.params, inputs, outputs, { op: node.op.name, node: node.name }),
  );
}

/** Variable node id -> dtype, from a record by name or a list in `listArguments()` order. */
export function givenTypes(symbol: Symbol, types: TypeArgs, op = 'inferType'): Map<number, DType> {
  const given = new Map<number, DType>();
  const { args, aux } = variableIds(symbol.graph);
  if (typeof types !== 'object' || types === null) throw new ValueError({ op, argument: 'typeDict' }, 'must be a record of name -> dtype or a list in listArguments() order');
  if (Array.isArray(types)) {
    if (types.length > args.length) throw new ValueError({ op, argument: 'types' }, `has ${types.length} entries but the symbol has ${args.length} arguments`);
    types.forEach((t, i) => {
      if (t !== null && t !== undefined) given.set(args[i]!, checkDType(t, { op, argument: symbol.graph.nodes[args[i]!]!.name }));
    });
    return given;
  }
  const byName = new Map<string, number[]>();
  for (const id of [...args, ...aux]) byName.set(symbol.graph.nodes[id]!.name, [...(byName.get(symbol.graph.nodes[id]!.name) ?? []), id]);
  for (const [name, dtype] of Object.entries(types as Record<string, DType>)) {
    const ids = byName.get(name);
    if (ids === undefined) throw new ValueError({ op, argument: name }, `is not an argument of the symbol; its arguments are ${listNames([...byName.keys()])}`);
    if (dtype === null || dtype === undefined) continue;
    const checked = checkDType(dtype, { op, argument: name });
    for (const id of ids) given.set(id, checked);
  }
  return given;
}

/** The argument, output and auxiliary-state lists from entry dtypes. */
export function typeListsOf(symbol: Symbol, entryTypes: readonly MaybeDType[]): InferredTypeLists<MaybeDType> {
  const { args, aux } = variableIds(symbol.graph);
  const ofNode = (id: number) => entryTypes[symbol.graph.entryStart[id]!] ?? null;
  return { argTypes: args.map(ofNode), outTypes: symbol.graph.heads.map((e) => entryTypes[e] ?? null), auxTypes: aux.map(ofNode) };
}

/** `symbol.inferTypePartial(types)`: null where nothing decides a dtype. */
export function inferTypePartial(symbol: Symbol, types: TypeArgs): InferredTypeLists<MaybeDType> {
  return typeListsOf(symbol, inferGraphTypes(symbol.graph, givenTypes(symbol, types, 'inferTypePartial')));
}

/**
 * `symbol.inferType(types)`: every dtype decided, or a DTypeError naming the undecided arguments
 * (MXNet returns None there). Also returns every entry's dtype, for bind.
 */
export function inferTypesOnce(symbol: Symbol, types: TypeArgs, op = 'inferType'): { lists: InferredTypeLists<DType>; entries: readonly MaybeDType[] } {
  const entries = inferGraphTypes(symbol.graph, givenTypes(symbol, types, op));
  const lists = typeListsOf(symbol, entries);
  const undecided = [
    ...lists.argTypes.flatMap((t, i) => (t ? [] : [symbol.listArguments()[i]!])),
    ...lists.auxTypes.flatMap((t, i) => (t ? [] : [symbol.listAuxiliaryStates()[i]!])),
  ];
  if (undecided.length > 0 || lists.outTypes.some((t) => !t)) {
    const what = undecided.length > 0 ? `of ${undecided.length} argument${undecided.length === 1 ? '' : 's'} (${listNames(undecided)})` : 'of the outputs';
    throw new DTypeError({ op, actual: undecided }, `cannot decide the dtypes ${what} from the dtypes given; provide them, or call inferTypePartial`);
  }
  return { lists: lists as InferredTypeLists<DType>, entries };
}
