/**
 * An executor's buffers inside one WebAssembly memory. simpleBind reserves an arena sized by an
 * upper bound of what the executor will allocate (untouched pages cost no physical memory), and
 * every array the executor creates is carved from it. Kernels that find both operands in an arena
 * run on them in place (vector_simd.ts), without copying through their own memory.
 */
import { registerArena } from '../backend/wasm/staging';

const PAGE = 65536;
/** Executors expected to allocate fewer bytes than this keep plain JavaScript arrays. */
let minArenaBytes = 4 << 20;
/** WebAssembly memories stop at 4 GiB; stay well below. */
const MAX_ARENA_BYTES = 2 ** 31;
/** Views start 16-byte aligned (whole SIMD vectors). */
const ALIGN_FLOATS = 4;

/** Hands out views of one memory, first come first served; the arena lives as long as its views. */
export class Arena {
  private next = 0;

  private constructor(readonly memory: WebAssembly.Memory, private readonly capacity: number) {}

  /** An arena for at most `floats` floats of views, or null where none is worth it or possible. */
  static reserve(floats: number): Arena | null {
    const bytes = floats * 4;
    if (bytes < minArenaBytes || bytes > MAX_ARENA_BYTES || typeof WebAssembly === 'undefined') return null;
    try {
      const pages = Math.ceil(bytes / PAGE);
      // Shared where the host allows it, so the worker threads can run kernels on it too.
      const memory = typeof SharedArrayBuffer !== 'undefined'
        ? new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true })
        : new WebAssembly.Memory({ initial: pages });
      registerArena(memory);
      return new Arena(memory, (memory.buffer.byteLength / 4) | 0);
    } catch {
      return null;
    }
  }

  /** A zero-filled view of `size` floats (plain memory once the arena is full). */
  alloc = (size: number): Float32Array => {
    const at = this.next;
    if (at + size > this.capacity) return new Float32Array(size);
    this.next = at + Math.ceil(size / ALIGN_FLOATS) * ALIGN_FLOATS;
    return new Float32Array(this.memory.buffer, at * 4, size);
  };
}

/** For tests: the smallest planned size (bytes) that gets an arena (restored by passing undefined). */
export function setMinArenaBytesForTesting(bytes: number | undefined): void {
  minArenaBytes = bytes ?? 4 << 20;
}
