/**
 * Plumbing shared by the WebAssembly kernel modules: instantiating one from its committed bytes,
 * and the staging heap through which operands are copied into a module's memory and results out.
 */
import { ResourceError } from '../../base/errors';
import { decodeBase64 } from './base64';
import { MAX_CACHED_VIEWS } from './tuning';

/** Bytes in a WebAssembly memory page (the unit memories grow by). */
export const WASM_PAGE_BYTES = 65536;

/**
 * The exports of the module encoded in `base64`, or null where WebAssembly or its SIMD extension is
 * unavailable (the wasm backend then calls the reference kernels).
 */
export function instantiate<T>(base64: string, imports: WebAssembly.Imports = {}): T | null {
  try {
    const compiled = compiledModule(base64);
    return compiled && (new WebAssembly.Instance(compiled, imports).exports as unknown as T);
  } catch {
    return null;
  }
}

/**
 * Each module's bytes compiled once per process: modules are instantiated again on every arena,
 * and compiling them each time cost ~100 ms and left compiled code for the collector on every bind.
 */
const compiled = new Map<string, WebAssembly.Module | null>();

function compiledModule(base64: string): WebAssembly.Module | null {
  let module = compiled.get(base64);
  if (module === undefined) {
    const bytes = decodeBase64(base64);
    module = typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    compiled.set(base64, module);
  }
  return module;
}

/** A module's exports and the staging heap of its memory. */
export interface StagedModule<T> {
  readonly mod: T;
  readonly heap: StagingHeap;
}

/** Loads a module on first use (null where it cannot run). */
export class LazyModule<T extends { readonly memory: WebAssembly.Memory }> {
  private loaded: StagedModule<T> | null | undefined;

  constructor(private readonly base64: string, private readonly imports: WebAssembly.Imports = {}) {}

  get(): StagedModule<T> | null {
    if (this.loaded === undefined) {
      const mod = instantiate<T>(this.base64, this.imports);
      this.loaded = mod && { mod, heap: new StagingHeap(mod.memory) };
    }
    return this.loaded;
  }
}

const arenas = new WeakMap<ArrayBufferLike, WebAssembly.Memory>();

/** Records that `memory` holds an executor's buffers, so kernels may run on them in place. */
export function registerArena(memory: WebAssembly.Memory): void {
  arenas.set(memory.buffer, memory);
}

/** The arena memory whose buffer this is, if any. */
export function arenaMemory(buffer: ArrayBufferLike): WebAssembly.Memory | undefined {
  return arenas.get(buffer);
}

/** The arena memory holding all the given arrays (null ones skipped), if there is one. */
export function commonArena(a: Float32Array, b: Float32Array | null, c: Float32Array | null): WebAssembly.Memory | undefined {
  const buffer = a.buffer;
  if ((b && b.buffer !== buffer) || (c && c.buffer !== buffer)) return undefined;
  return arenas.get(buffer);
}

/**
 * A module instantiated on other modules' memories, once per memory (an arena, or the GEMM's
 * heap): its imported-memory variant on plain memories, its shared-memory variant on shared ones.
 * `on` gives null where it cannot be instantiated.
 */
export class GuestModule<T> {
  private readonly instances = new WeakMap<WebAssembly.Memory, T | null>();

  constructor(
    private readonly plainBase64: string,
    private readonly sharedBase64: string,
    private readonly imports: Readonly<Record<string, WebAssembly.ImportValue>> = {},
  ) {}

  on(memory: WebAssembly.Memory): T | null {
    let instance = this.instances.get(memory);
    if (instance === undefined) {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      instance = instantiate<T>(shared ? this.sharedBase64 : this.plainBase64, { env: { ...this.imports, memory } });
      this.instances.set(memory, instance);
    }
    return instance;
  }
}

/** Views of one array keyed by start, then length. */
type ViewCache = Map<number, Map<number, Float32Array>>;

/** array[start, start + length) from `cache`, made and kept on first use. */
function viewOf(cache: ViewCache, array: Float32Array, start: number, length: number): Float32Array {
  let byLength = cache.get(start);
  if (!byLength) cache.set(start, (byLength = new Map()));
  let view = byLength.get(length);
  if (!view) byLength.set(length, (view = array.subarray(start, start + length)));
  return view;
}

/**
 * A module's memory as floats. Views of its regions, and of the arrays staged into it, are cached
 * by (start, length), so once a call's sizes have been seen, staging allocates nothing: forward and
 * backward run every step with the same arrays and shapes, and a view object per copy would be
 * garbage on every call.
 */
export class StagingHeap {
  private floats = new Float32Array(0);
  private doubles = new Float64Array(0);
  private readonly views: ViewCache = new Map();
  private readonly sources = new WeakMap<Float32Array, ViewCache>();

  constructor(private readonly memory: WebAssembly.Memory) {}

  /**
   * The memory as floats, grown first to hold at least `count` floats. A memory that cannot grow
   * that far (its maximum, or the engine refusing the pages) gives a ResourceError, never the
   * engine's RangeError: callers split the work or run it elsewhere.
   */
  reserve(count: number): Float32Array {
    const have = this.memory.buffer.byteLength;
    if (count * 4 > have) {
      try {
        this.memory.grow(Math.ceil((count * 4 - have) / WASM_PAGE_BYTES));
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        throw new ResourceError({ op: 'staging', bytes: count * 4 }, `cannot grow a WebAssembly memory to ${count * 4} bytes (${error.message})`);
      }
    }
    if (this.floats.buffer !== this.memory.buffer) {
      this.floats = new Float32Array(this.memory.buffer);
      this.doubles = new Float64Array(this.memory.buffer);
      this.views.clear();
    }
    return this.floats;
  }

  /** The memory as doubles (valid after `reserve`). */
  get f64(): Float64Array {
    return this.doubles;
  }

  /** Floats [at, at + length) of the memory, as a cached view (valid after `reserve`). */
  view(at: number, length: number): Float32Array {
    // Bounded: a program cycling through many offsets re-creates views instead of hoarding them.
    if (this.views.size >= MAX_CACHED_VIEWS) this.views.clear();
    return viewOf(this.views, this.floats, at, length);
  }

  /** Copies src[start, start + length) to floats [at, ...). */
  copyIn(at: number, src: Float32Array, start: number, length: number): void {
    if (start === 0 && length === src.length) {
      this.floats.set(src, at);
      return;
    }
    let views = this.sources.get(src);
    if (!views || views.size >= MAX_CACHED_VIEWS) this.sources.set(src, (views = new Map()));
    this.floats.set(viewOf(views, src, start, length), at);
  }

  /** Copies floats [at, at + length) to dst[start, ...). */
  copyOut(at: number, length: number, dst: Float32Array, start: number): void {
    dst.set(this.view(at, length), start);
  }
}
