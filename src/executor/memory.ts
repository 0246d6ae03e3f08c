/**
 * Bind-time memory planning for forward values: an op output whose buffer nobody needs after
 * its last reader (not a head, not kept for a backward step) returns its buffer to a pool, and
 * later outputs take the smallest pooled buffer that fits, as a view; ops that allow it write
 * their output over an input's buffer when that input is not read again. Inference binds of
 * deep networks thus hold a few activations at a time instead of one buffer per node.
 */
import { Shape, sizeOf } from '../base/shape';
import { NDArray } from '../ndarray/ndarray';
import type { IndexedGraph } from '../symbol/graph';

export interface ValuePlan {
  /** Buffers of op-output entries (undefined for variable entries). */
  readonly values: readonly (NDArray | undefined)[];
  /** Bytes allocated for op outputs. */
  readonly bytes: number;
  /** Bytes one buffer per op output would take. */
  readonly naiveBytes: number;
}

export interface ValuePlanInputs {
  readonly graph: IndexedGraph;
  readonly shapes: readonly Shape[];
  /** Entries whose value must live until the end of the plan (heads, values a backward step reads). */
  readonly keep: (entry: number) => boolean;
  /** Buffers of an executor to share memory with (`reshape`), by entry id. */
  readonly shareValues?: readonly NDArray[] | undefined;
  /** Where new buffers come from (an executor's arena); plain arrays by default. */
  readonly allocate?: ((size: number) => Float32Array) | undefined;
}

export function planValueBuffers({ graph, shapes, keep, shareValues, allocate }: ValuePlanInputs): ValuePlan {
  const { nodes, entryStart, inputEntries } = graph;
  // The last op (by node id) that reads each entry; -1 if none.
  const lastReader = new Array<number>(graph.numEntries).fill(-1);
  inputEntries.forEach((inputs, id) => inputs.forEach((e) => (lastReader[e] = Math.max(lastReader[e]!, id))));
  const releaseAfter = new Map<number, Float32Array[]>();
  const pool: Float32Array[] = [];
  const values: (NDArray | undefined)[] = new Array(graph.numEntries);
  const bufferOf: (Float32Array | undefined)[] = new Array(graph.numEntries);
  let bytes = 0;
  let naiveBytes = 0;

  const take = (size: number): Float32Array => {
    let best = -1;
    for (let i = 0; i < pool.length; i++) {
      if (pool[i]!.length >= size && (best < 0 || pool[i]!.length < pool[best]!.length)) best = i;
    }
    if (best >= 0) return pool.splice(best, 1)[0]!;
    bytes += size * 4;
    return allocate ? allocate(size) : new Float32Array(size);
  };

  /**
   * For an op that allows it, output k may take over an input's buffer when this op is that
   * input's last reader and the input would be released right after it.
   */
  const takeInPlace = (pairs: readonly (readonly [number, number])[], id: number, k: number, size: number): Float32Array | undefined => {
    if (shareValues) return undefined;
    for (const [input, output] of pairs) {
      if (output !== k) continue;
      const e = inputEntries[id]![input]!;
      const buffer = bufferOf[e];
      const releasing = releaseAfter.get(id);
      const at = buffer && releasing ? releasing.indexOf(buffer) : -1;
      const readOnce = inputEntries[id]!.filter((other) => other === e).length === 1;
      if (at < 0 || !readOnce || buffer!.length < size) continue;
      releasing!.splice(at, 1);
      return buffer;
    }
    return undefined;
  };

  nodes.forEach((node, id) => {
    if (node.kind === 'op') {
      node.op.outputs(node.params).forEach((_, k) => {
        const e = entryStart[id]! + k;
        const shape = shapes[e]!;
        const size = sizeOf(shape);
        naiveBytes += size * 4;
        const shared = shareValues?.[e];
        if (shared && shared.size >= size) {
          values[e] = new NDArray(shared.data.subarray(0, size), shape);
          return;
        }
        const buffer = takeInPlace(node.op.inplace ?? [], id, k, size) ?? take(size);
        bufferOf[e] = buffer;
        values[e] = new NDArray(buffer.length === size ? buffer : buffer.subarray(0, size), shape);
        if (!keep(e)) {
          const when = Math.max(lastReader[e]!, id);
          releaseAfter.set(when, [...(releaseAfter.get(when) ?? []), buffer]);
        }
      });
    }
    for (const buffer of releaseAfter.get(id) ?? []) pool.push(buffer);
  });
  return { values, bytes, naiveBytes };
}
