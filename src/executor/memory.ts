/**
 * One memory plan for an executor's op outputs and intermediate gradients. Every buffer gets a
 * lifetime on one timeline (the forward steps, then the head gradients, then the backward steps)
 * and an offset into one region sized to the peak: a buffer whose last reader has run gives its
 * place to later ones (best fit by size), and ops that allow it write their output over an input
 * that nothing reads afterwards. Values a backward step does not declare it reads, and gradients
 * outside the span from their first writer to their reader, thus share memory too.
 */
import type { Shape } from '../base/shape';
import { sizeOf } from '../base/shape';

/** A buffer to place: its size and the steps from its first write to its last read. */
export interface BufferRequest {
  readonly kind: 'value' | 'gradient';
  /** The graph entry whose value or gradient this is. */
  readonly entry: number;
  readonly shape: Shape;
  /** First step that writes it. */
  readonly first: number;
  /** Last step that reads it (Infinity: it lives to the end, e.g. a head's value). */
  readonly last: number;
  /**
   * Inputs' entries whose place this buffer may take when its first step is their last reader
   * (the op computes in place), in order of preference.
   */
  readonly inPlaceOf?: readonly number[];
}

export interface PlacedBuffer extends BufferRequest {
  /** Float offset into the region. */
  readonly offset: number;
  /** Floats of the place it holds (at least its size: a reused place may be larger). */
  readonly capacity: number;
}

export interface MemoryLayout {
  readonly buffers: readonly PlacedBuffer[];
  /** Floats of the region all buffers live in. */
  readonly peakFloats: number;
  /** Floats one buffer per request would take. */
  readonly naiveFloats: number;
}

interface Place {
  readonly offset: number;
  readonly capacity: number;
}

/**
 * Places every request: in step order, each new buffer takes the smallest free place that fits
 * (or an input's place, in place), else a new place at the end; after a step, buffers last read
 * there free their places. O(buffers x free places), and free places stay few in a chain.
 */
export function placeBuffers(requests: readonly BufferRequest[]): MemoryLayout {
  const byFirst = new Map<number, number[]>();
  const byLast = new Map<number, number[]>();
  requests.forEach((r, i) => {
    byFirst.set(r.first, [...(byFirst.get(r.first) ?? []), i]);
    if (Number.isFinite(r.last)) byLast.set(r.last, [...(byLast.get(r.last) ?? []), i]);
  });
  const steps = [...new Set([...byFirst.keys(), ...byLast.keys()])].sort((a, b) => a - b);
  const places: (Place | undefined)[] = new Array(requests.length);
  const valuePlace = new Map<number, number>(); // value entry -> request index
  const free: Place[] = [];
  let top = 0;
  let naiveFloats = 0;

  for (const step of steps) {
    const releasing = new Set(byLast.get(step) ?? []);
    for (const i of byFirst.get(step) ?? []) {
      const r = requests[i]!;
      const size = sizeOf(r.shape);
      naiveFloats += size;
      let place: Place | undefined;
      for (const entry of r.inPlaceOf ?? []) {
        const j = valuePlace.get(entry);
        if (j === undefined || !releasing.has(j) || places[j]!.capacity < size) continue;
        releasing.delete(j);
        place = places[j];
        break;
      }
      if (!place) {
        let best = -1;
        for (let k = 0; k < free.length; k++) if (free[k]!.capacity >= size && (best < 0 || free[k]!.capacity < free[best]!.capacity)) best = k;
        place = best >= 0 ? free.splice(best, 1)[0]! : { offset: top, capacity: size };
        if (best < 0) top += size;
      }
      places[i] = place;
      if (r.kind === 'value') valuePlace.set(r.entry, i);
    }
    for (const i of releasing) {
      if (places[i]) free.push(places[i]!);
    }
  }
  const buffers = requests.map((r, i) => ({ ...r, offset: places[i]!.offset, capacity: places[i]!.capacity }));
  return { buffers, peakFloats: top, naiveFloats };
}
