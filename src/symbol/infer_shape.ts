/**
 * Shape inference over a whole graph, as MXNet's InferShape pass: op shape rules run forward and
 * backward over the nodes until nothing new is learned. Conflicts raise a ShapeError naming the
 * node and the argument; unknowns stay null.
 */
import { checkNdim } from '../base/budget';
import { isNpShape } from '../base/np_shape';
import { ShapeError, listNames } from '../base/errors';
import { Shape } from '../base/shape';
import { applyShapeRule, shapeSite } from '../ops/shape_rule';
import type { MaybeShape } from '../ops/types';
import { type IndexedGraph, variableIds } from './graph';
import { inferEntries } from './graph_pass';
import type { VariableNode } from './node';
import type { InferredShapeLists, ShapeArgs, Symbol } from './symbol';

/** A variable's `__shape__` hint (`"(3, 4)"`); an unknown dimension (0, or -1 under NumPy shape semantics) leaves it unused. */
export function shapeHint(node: VariableNode): Shape | null {
  const text = node.attrs['__shape__'];
  if (text === undefined) return null;
  const dims = text.replace(/[()[\]\s]/g, '').split(',').filter((s) => s !== '').map(Number);
  checkNdim(dims.length, { op: 'Variable', node: node.name, argument: '__shape__' });
  if (dims.some((d) => !Number.isInteger(d) || (isNpShape() ? d < 0 : d <= 0))) return null;
  return dims;
}

/** Entry shapes (by entry id) given shapes for some variable nodes (by node id). */
export function inferGraphShapes(graph: IndexedGraph, given: ReadonlyMap<number, Shape>): MaybeShape[] {
  return inferEntries<Shape>(
    graph,
    (node, id) => given.get(id) ?? shapeHint(node),
    (node, inputs, outputs) => applyShapeRule(node.op, node.params, inputs, outputs, shapeSite(node.op.name, node.name)),
  );
}

/** The argument, output and auxiliary-state lists of a symbol from its entry shapes. */
export function listsOf(symbol: Symbol, entryShapes: readonly MaybeShape[]): InferredShapeLists<MaybeShape> {
  const { args, aux } = variableIds(symbol.graph);
  const ofNode = (id: number) => entryShapes[symbol.graph.entryStart[id]!] ?? null;
  return {
    argShapes: args.map(ofNode),
    outShapes: symbol.graph.heads.map((e) => entryShapes[e] ?? null),
    auxShapes: aux.map(ofNode),
  };
}

/**
 * `inferShape`'s one pass over the graph: the argument/output/auxiliary lists, and every entry's
 * shape (bind compiles its plan from these, so shapes are inferred once per simpleBind).
 */
export function inferShapesOnce(symbol: Symbol, shapes: ShapeArgs): { lists: InferredShapeLists<Shape>; entries: readonly MaybeShape[] } {
  const entries = inferGraphShapes(symbol.graph, symbol.givenShapes(shapes));
  const partial = listsOf(symbol, entries);
    const names = symbol.listArguments();
    const auxNames = symbol.listAuxiliaryStates();
    const unknown = partial.argShapes.flatMap((s, i) => (s ? [] : [names[i]!]));
    const unknownAux = partial.auxShapes.flatMap((s, i) => (s ? [] : [auxNames[i]!]));
    if (unknown.length > 0 || unknownAux.length > 0 || partial.outShapes.some((s) => !s)) {
      const undecided = [...unknown, ...unknownAux];
      // The sentence first, then a capped list: a large net can leave hundreds undecided.
      const what = undecided.length > 0 ? `of ${undecided.length} argument${undecided.length === 1 ? '' : 's'} (${listNames(undecided)})` : 'of the outputs';
      throw new ShapeError({ op: 'inferShape', actual: undecided }, `cannot decide the shapes ${what} from the shapes given; provide them, or call inferShapePartial`);
    }
    return { lists: partial as InferredShapeLists<Shape>, entries };
}
