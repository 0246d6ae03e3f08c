/**
 * The seam between operators and kernels. Operators receive a backend's kernel table in their
 * context and call kernels by name; they never choose an implementation themselves.
 */
import type { Kernels } from './reference/index';

export type { Kernels };

export const BACKEND_NAMES = ['reference', 'wasm'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Memory an executor carves all its arrays from (the wasm backend's arena). */
export interface ExecutorMemory {
  /** A zero-filled array of `size` floats. */
  readonly alloc: (size: number) => Float32Array;
  /** Gives the memory back at once (the executor is disposed of); later allocs get plain arrays. */
  release(): void;
}

export interface Backend {
  readonly name: BackendName;
  /** Every kernel, by name: the reference backend's table with this backend's own kernels over it. */
  readonly kernels: Kernels;
  /**
   * One memory for an executor that will allocate at most `floats` floats, or null where plain
   * arrays are as good (small executors, the reference backend).
   */
  readonly reserveMemory: (floats: number) => ExecutorMemory | null;
}
