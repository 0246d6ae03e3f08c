/**
 * The dtypes an executor binds with: every graph entry's, inferred once at bind from the bound
 * arrays (`bind`) or from `typeDict` and variables' `__dtype__` (`simpleBind`). The plan then
 * stores each entry in its dtype and runs non-float32 nodes as `ndarray/dtype_run.ts` says.
 */
import { DType } from '../base/dtype';
import { DTypeError } from '../base/errors';
import type { NDArray } from '../ndarray/ndarray';
import type { MaybeDType } from '../ops/types';
import { variableIds } from '../symbol/graph';
import { givenTypes, inferGraphTypes, typeListsOf } from '../symbol/infer_type';
import type { Symbol } from '../symbol/symbol';

/**
 * Infers from `given`, then gives float32 to arguments still undecided and infers again, so a
 * graph with no dtype anywhere is float32 throughout.
 */
function inferWithDefault(symbol: Symbol, given: Map<number, DType>): DType[] {
  const graph = symbol.graph;
  let entries: MaybeDType[] = inferGraphTypes(graph, given);
  const { args, aux } = variableIds(graph);
  const open = [...args, ...aux].filter((id) => entries[graph.entryStart[id]!] === null);
  if (open.length > 0) {
    const filled = new Map(given);
    for (const id of open) filled.set(id, 'float32');
    entries = inferGraphTypes(graph, filled);
  }
  return entries.map((t) => t ?? 'float32');
}

/** `simpleBind`: entry dtypes and the argument / auxiliary lists to allocate. */
export function simpleBindTypes(symbol: Symbol, typeDict: Readonly<Record<string, DType>> | undefined): { argTypes: DType[]; auxTypes: DType[]; entryTypes: DType[] } {
  const entryTypes = inferWithDefault(symbol, givenTypes(symbol, typeDict ?? {}, 'simpleBind'));
  const lists = typeListsOf(symbol, entryTypes);
  return { argTypes: lists.argTypes as DType[], auxTypes: lists.auxTypes as DType[], entryTypes };
}

/** `bind`: entry dtypes from the bound arrays; gradient arrays must have their argument's dtype. */
export function boundTypes(symbol: Symbol, args: readonly NDArray[], aux: readonly NDArray[], grads: readonly (NDArray | null)[]): DType[] {
  const { args: argIds, aux: auxIds } = variableIds(symbol.graph);
  const given = new Map<number, DType>();
  argIds.forEach((id, i) => given.set(id, args[i]!.dtype));
  auxIds.forEach((id, i) => given.set(id, aux[i]!.dtype));
  const names = symbol.listArguments();
  grads.forEach((grad, i) => {
    if (grad && grad.dtype !== args[i]!.dtype) {
      throw new DTypeError({ op: 'bind', argument: names[i], expected: args[i]!.dtype, actual: grad.dtype }, `gradient array is ${grad.dtype} but the argument is ${args[i]!.dtype}`);
    }
  });
  return inferWithDefault(symbol, given);
}
