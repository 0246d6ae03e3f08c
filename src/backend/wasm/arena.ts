/**
 * An executor's buffers inside one WebAssembly memory. simpleBind reserves an arena sized by an
 * upper bound of what the executor will allocate (untouched pages cost no physical memory), and
 * every array the executor creates is carved from it. Kernels that find both operands in an arena
 * run on them in place (vector_simd.ts), without copying through their own memory.
 */
import type { ExecutorMemory, MemoryReservation } from '../backend';
import { releaseArenaFromWorkers } from './gemm_threads';
import { registerArena, WASM_PAGE_BYTES } from './staging';
import { ARENA } from './tuning';
const PLAIN: MemoryReservation = Object.freeze({ kind: 'plain', memory: null });
/** Views start 16-byte aligned (whole SIMD vectors). */
const ALIGN_FLOATS = 4;

/**
 * NOTE: V8 does not count WebAssembly memories as external memory, so executors dropped in a loop
 * would never prompt a collection and their arenas would pile up. An untouched ArrayBuffer of the
 * same size (no physical pages), living exactly as long as the memory, makes the collector see
 * what each arena costs.
 */
const ballasts = new WeakMap<WebAssembly.Memory, ArrayBuffer>();

/** Hands out views of one memory, first come first served; the arena lives as long as its views. */
export class Arena implements ExecutorMemory {
  private next = 0;

  private constructor(private memory: WebAssembly.Memory | null, private readonly capacity: number) {
    ballasts.set(memory!, new ArrayBuffer(capacity * 4));
  }

  /**
   * An arena for at most `floats` floats of views, or null where none is worth it (below `minBytes`)
   * or possible.
   */
  static reserve(floats: number, minBytes: number = ARENA.minBytes): Arena | null {
    const attempt = Arena.attempt(floats, minBytes);
    return attempt.kind === 'arena' ? (attempt.memory as Arena) : null;
  }

  /**
   * `reserve` saying why there is no arena: `plain` below `minBytes` (or without WebAssembly),
   * `plain-fallback` with the reason when more than an arena may hold is asked, or the engine
   * refuses the memory (under `ulimit -v`, V8 cannot reserve the ~10 GiB of address space it wants
   * for every WebAssembly memory, whatever its size).
   */
  static attempt(floats: number, minBytes: number = ARENA.minBytes): MemoryReservation {
    const bytes = floats * 4;
    if (bytes < minBytes || typeof WebAssembly === 'undefined') return PLAIN;
    if (bytes > ARENA.maxBytes) return { kind: 'plain-fallback', memory: null, refused: `${bytes} bytes is more than an arena holds (${ARENA.maxBytes})` };
    try {
      const pages = Math.ceil(bytes / WASM_PAGE_BYTES);
      // Shared where the host allows it, so the worker threads can run kernels on it too.
      const memory = typeof SharedArrayBuffer !== 'undefined'
        ? new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true })
        : new WebAssembly.Memory({ initial: pages });
      registerArena(memory);
      return { kind: 'arena', memory: new Arena(memory, (memory.buffer.byteLength / 4) | 0) };
    } catch (error) {
      return { kind: 'plain-fallback', memory: null, refused: `a WebAssembly memory of ${bytes} bytes was refused (${error instanceof Error ? error.message : String(error)})` };
    }
  }

  /** A zero-filled view of `size` floats (plain memory once the arena is full or released). */
  alloc = (size: number): Float32Array => {
    const at = this.next;
    if (!this.memory || at + size > this.capacity) return new Float32Array(size);
    this.next = at + Math.ceil(size / ALIGN_FLOATS) * ALIGN_FLOATS;
    return new Float32Array(this.memory.buffer, at * 4, size);
  };

  /** Lets the worker threads drop the memory now; it is freed once no view of it is left. */
  release(): void {
    if (this.memory) releaseArenaFromWorkers(this.memory);
    this.memory = null;
  }
}
