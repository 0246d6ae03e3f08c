/**
 * Resource limits for untrusted input (`mx.config`): sizes that files and callers choose are
 * checked against these before anything that grows with them is allocated, and refused with a
 * ResourceError naming the node, the shape and the bytes.
 *
 * - `maxBytes`: the largest single allocation (an NDArray, an executor buffer). Default: what the
 *   engine can allocate, i.e. the largest Float32Array (2^32 elements in V8, 16 GiB) capped by the
 *   machine's memory; the environment variable `MXTS_MAX_BYTES` overrides the default.
 * - `maxOutputs`: outputs one graph node may declare (SliceChannel's `num_outputs`...), 65536.
 * - `maxNdim`: dimensions of a shape, and nesting depth of `mx.nd.array` lists, 64 (numpy 2's limit).
 */
import { ErrorSite, ResourceError, ValueError } from './errors';

export interface Limits {
  readonly maxBytes: number;
  readonly maxOutputs: number;
  readonly maxNdim: number;
}

const FLOAT32_BYTES = 4;
const DEFAULT_MAX_OUTPUTS = 1 << 16;
const DEFAULT_MAX_NDIM = 64;

type BuiltinGetter = (id: string) => unknown;

function builtin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: BuiltinGetter } }).process;
  try {
    return proc?.getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
}

/** Bytes of the largest Float32Array the engine allows, capped by the machine's memory when known. */
function engineMaxBytes(): number {
  const maxLength = builtin<{ constants?: { MAX_LENGTH?: number } }>('node:buffer')?.constants?.MAX_LENGTH ?? 2 ** 32;
  const memory = builtin<{ totalmem?: () => number }>('node:os')?.totalmem?.() ?? Infinity;
  return Math.min(maxLength * FLOAT32_BYTES, memory, Number.MAX_SAFE_INTEGER);
}

function checkLimit(key: keyof Limits, value: unknown, source: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ValueError({ op: 'config', argument: key }, `must be a positive integer, got ${typeof value === 'string' ? `'${value}'` : String(value)} (from ${source})`);
  }
  return value;
}

function defaults(): Limits {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['MXTS_MAX_BYTES'];
  const maxBytes = env === undefined || env === '' ? engineMaxBytes() : checkLimit('maxBytes', Number(env), `MXTS_MAX_BYTES='${env}'`);
  return { maxBytes, maxOutputs: DEFAULT_MAX_OUTPUTS, maxNdim: DEFAULT_MAX_NDIM };
}

let current: Limits | undefined;

function limits(): Limits {
  return (current ??= Object.freeze(defaults()));
}

/** `mx.config`: read and change the resource limits. */
export const config = {
  get(): Limits {
    return limits();
  },
  /** Changes some limits; each must be a positive integer. */
  set(changes: Partial<Limits>): void {
    if (typeof changes !== 'object' || changes === null) throw new ValueError({ op: 'config', argument: 'changes' }, 'must be an object such as {maxBytes: 2 ** 30}');
    const next: Record<string, number> = { ...limits() };
    for (const key of Object.keys(changes)) {
      if (!Object.prototype.hasOwnProperty.call(next, key)) throw new ValueError({ op: 'config', argument: key }, 'is not a limit; limits are maxBytes, maxOutputs, maxNdim');
      next[key] = checkLimit(key as keyof Limits, (changes as Record<string, unknown>)[key], 'mx.config.set');
    }
    current = Object.freeze(next as unknown as Limits);
  },
  /** Back to the defaults (re-reading MXTS_MAX_BYTES). */
  reset(): void {
    current = undefined;
  },
};

export interface AllocationSite extends ErrorSite {
  readonly shape: readonly number[];
}

/** Elements of a shape, saturating (never Infinity or NaN for non-negative integer dims). */
export function elementCount(shape: readonly number[]): number {
  let count = 1;
  for (const d of shape) count = Math.min(count * d, Number.MAX_SAFE_INTEGER);
  return count;
}

/** `[2,3]` after an argument named `shape`, `of shape [2,3]` after another argument, else `shape [2,3]`. */
function shapePhrase(site: AllocationSite): string {
  const dims = `[${site.shape.join(',')}]`;
  if (site.argument === undefined) return `shape ${dims}`;
  return site.argument === 'shape' ? dims : `of shape ${dims}`;
}

/** Throws a ResourceError when an array of `shape` would take more than `maxBytes`. */
export function checkAllocation(site: AllocationSite, bytesPerElement = FLOAT32_BYTES): void {
  const bytes = Math.min(elementCount(site.shape) * bytesPerElement, Number.MAX_SAFE_INTEGER);
  const { maxBytes } = limits();
  if (bytes > maxBytes) {
    throw new ResourceError(
      { ...site, bytes },
      `${shapePhrase(site)} needs ${bytes} bytes, more than the limit of ${maxBytes} bytes per array (mx.config maxBytes, MXTS_MAX_BYTES)`,
    );
  }
}

/** Throws a ResourceError when `bytes` of something built for `shape` (`what`) exceed `maxBytes`. */
export function checkBytes(bytes: number, site: AllocationSite, what: string): void {
  const { maxBytes } = limits();
  if (bytes > maxBytes) {
    throw new ResourceError({ ...site, bytes }, `${what} for ${shapePhrase(site)} need ${bytes} bytes, more than the limit of ${maxBytes} bytes (mx.config maxBytes, MXTS_MAX_BYTES)`);
  }
}

/** A zero-filled Float32Array for `shape`, checked first; an engine refusal also becomes a ResourceError. */
export function allocateFloat32(site: AllocationSite): Float32Array {
  checkAllocation(site);
  const count = elementCount(site.shape);
  try {
    return new Float32Array(count);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new ResourceError({ ...site, bytes: count * FLOAT32_BYTES }, `${shapePhrase(site)} needs ${count * FLOAT32_BYTES} bytes, which the JavaScript engine could not allocate (${err.message})`);
  }
}

/** Throws a ResourceError when a node declares more outputs than `maxOutputs`. */
export function checkOutputCount(count: number, site: ErrorSite): void {
  const { maxOutputs } = limits();
  if (count > maxOutputs) {
    throw new ResourceError(site, `declares ${count} outputs, more than the limit of ${maxOutputs} per node (mx.config maxOutputs)`);
  }
}

/** Throws a ResourceError when a shape or a nested list has more than `maxNdim` dimensions. */
export function checkNdim(ndim: number, site: ErrorSite): void {
  const { maxNdim } = limits();
  if (ndim > maxNdim) throw new ResourceError(site, `has ${ndim} dimensions, more than the limit of ${maxNdim} (mx.config maxNdim)`);
}
