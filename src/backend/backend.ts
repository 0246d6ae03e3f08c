/**
 * The seam between operators and kernels. Operators receive a backend's kernel table in their
 * context and call kernels by name; they never choose an implementation themselves.
 */
import type { Kernels } from './reference/index';

export type { Kernels };

export const BACKEND_NAMES = ['reference', 'wasm'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface Backend {
  readonly name: BackendName;
  /** Every kernel, by name: the reference backend's table with this backend's own kernels over it. */
  readonly kernels: Kernels;
}
