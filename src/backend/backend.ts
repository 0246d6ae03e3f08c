/**
 * The seam between operators and kernels. Operators receive a backend's kernel table in their
 * context and call kernels by name; they never choose an implementation themselves.
 */
import type { Kernels } from './reference/index';

export type { Kernels };

export const BACKEND_NAMES = ['reference', 'wasm'] as const;
/** The kernel backends: `'reference'` (plain TypeScript, the specification) and `'wasm'` (WebAssembly SIMD). */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Memory an executor carves all its arrays from (the wasm backend's arena). */
export interface ExecutorMemory {
  /** A zero-filled array of `size` floats. */
  readonly alloc: (size: number) => Float32Array;
  /** Gives the memory back at once (the executor is disposed of); later allocs get plain arrays. */
  release(): void;
}

/**
 * Where an executor's arrays live (`executor.memoryKind`): `arena`, one WebAssembly memory where
 * kernels work in place; `plain`, plain arrays by design (the reference backend, an executor too
 * small to repay an arena, `bind` with the caller's arrays); `plain-fallback`, plain arrays because
 * the engine refused the arena (a virtual-memory limit, or more than an arena may hold).
 */
export type MemoryKind = 'arena' | 'plain' | 'plain-fallback';

/** What `reserveMemory` gave: the memory, or null with why (`refused`: the engine's reason). */
export type MemoryReservation =
  | { readonly kind: 'arena'; readonly memory: ExecutorMemory }
  | { readonly kind: 'plain'; readonly memory: null }
  | { readonly kind: 'plain-fallback'; readonly memory: null; readonly refused: string };

export interface Backend {
  readonly name: BackendName;
  /** Every kernel, by name: the reference backend's table with this backend's own kernels over it. */
  readonly kernels: Kernels;
  /**
   * One memory for an executor that will allocate at most `floats` floats; none where plain arrays
   * are as good (small executors, the reference backend) or where the engine refuses it. Never
   * throws: plain arrays are always a way out.
   */
  readonly reserveMemory: (floats: number) => MemoryReservation;
}
