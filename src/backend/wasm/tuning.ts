/**
 * The WebAssembly backend's tuning constants and limits, in one place, each with its reason.
 * Thresholds were measured on the target machine class (2-core x86-64, Node 20; BENCHMARKS.md says
 * how). Below a "minimum", the wasm backend calls the reference backend's kernel instead of the
 * SIMD path.
 */

/** Executors' arenas: below `minBytes` planned, plain arrays are as fast; memories stop at 2 GiB. */
export const ARENA = Object.freeze({ minBytes: 4 << 20, maxBytes: 2 ** 31 });

/**
 * Floats left free after each region staged in a module's memory: vector.wat's loops load and store
 * whole pairs of vectors (up to 7 lanes past a region), spatial.wat's single vectors (up to 3).
 */
export const HEAP_SLACK_FLOATS = 8;

/** Start offsets a staging heap's view cache keeps before starting afresh (bounds its memory). */
export const MAX_CACHED_VIEWS = 256;

/** Floats per chunk staged through level1.wat (256 KiB): a chunk and its result stay in L2. */
export const LEVEL1_CHUNK_FLOATS = 65536;
/** level1.wat below this many elements: a call's fixed cost (copies, crossing) outweighs the loop. */
export const LEVEL1_MIN_LENGTH = 64;

/**
 * Floats per chunk staged through vector.wat (64 KiB): a chunk and its result stay in L1/L2.
 * Smaller than LEVEL1_CHUNK_FLOATS because each module's chunk was tuned on its own; the two have
 * not been measured against each other, so both keep their values.
 */
export const VECTOR_CHUNK_FLOATS = 16384;
/**
 * vector.wat below this many elements: its call costs about 0.5 µs (copies, crossing) against
 * 15-30 ns per element for Math.exp loops; they break even between 16 and 32 elements (sigmoid, a
 * softmax row).
 */
export const VECTOR_MIN_LENGTH = 32;
/** In-place vector maps and softmax rows on a shared arena split across worker threads from here. */
export const VECTOR_THREAD_MIN_FLOATS = 1 << 16;

/** spatial.wat below this many elements moved: the copies' fixed cost outweighs the plain loops. */
export const SPATIAL_MIN_WORK = 2048;

/**
 * The GEMM's register tile, rows x columns (scripts/gen_gemm_wat.ts generates gemm.wat for it):
 * 4x8 keeps 11 v128 values live, within the 16 SIMD registers V8 has on x64. The same tile serves
 * the relaxed_madd kernel (gemm_fma.wat): 4x12, 6x8, 8x8 and 5x12 spill in V8 and ran slower or no
 * faster with either instruction (BENCHMARKS.md, "GEMM kernel").
 */
export const MR = 4;
export const NR = 8;
/** GEMM below this many multiply-adds: the plain loops beat packing into the SIMD kernel. */
export const GEMM_MIN_WORK = 4096;
/** GEMM from this many multiply-adds splits across worker threads (below, dispatch costs more). */
export const GEMM_THREAD_MIN_WORK = 1 << 21;

/**
 * The worker pool's shared heap stops at 16384 pages (1 GiB): larger products run in tiles of rows
 * of A and columns of B that fit (gemm_simd.ts), with the same results.
 */
export const POOL_MAX_PAGES = 16384;
/**
 * Floats (64 MiB) the single-thread GEMM heap may keep after a product: a memory cannot shrink, so
 * after a larger product the module is dropped and compiled afresh (about a millisecond) next time.
 */
export const STAGING_KEEP_FLOATS = 16 << 20;
/** Arenas the workers keep instances on at once (executors alternating beyond this re-attach). */
export const MAX_WORKER_ARENAS = 8;
/** Threads the pool starts by default: one per spare core, at most this many besides the caller. */
export const MAX_EXTRA_THREADS = 3;
/** How long the first product waits for the workers to start before running single-threaded. */
export const WORKER_START_TIMEOUT_MS = 5000;
