/**
 * The WebAssembly backend's tuning constants, in one place. Each was measured on the target machine
 * class (2-core x86-64, Node 20); BENCHMARKS.md says how.
 */

/** Executors' arenas: below `minBytes` planned, plain arrays are as fast; memories stop at 4 GiB. */
export const ARENA = { minBytes: 4 << 20, maxBytes: 2 ** 31 };
