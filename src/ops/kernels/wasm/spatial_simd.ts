/**
 * spatial.wat (im2col, col2im, max pooling) behind the plain kernels' signatures. Each call copies
 * its operands into the module's memory and the result out (memcpy speed), runs the same loops as
 * the plain code in WebAssembly, and returns false, doing nothing, where the plain code should run
 * instead (no WebAssembly, small work, a column layout with gaps between rows).
 */
import { decodeBase64 } from './base64';
import { WASM_BASE64 } from './spatial_wasm';

const PAGE = 65536;
/** Floats left free after each region in the heap (spatial.wat's vector loops run over by up to 3). */
const SLACK = 4;
/** Below this many elements moved, the copies' fixed cost outweighs the plain loops'. */
export const MIN_SPATIAL_WORK = 2048;

interface SpatialModule {
  readonly memory: WebAssembly.Memory;
  readonly im2col: (img: number, col: number, ...geometry: number[]) => void;
  readonly col2im: (img: number, col: number, ...geometry: number[]) => void;
  readonly max_pool: (x: number, out: number, y: number, grad: number, ...geometry: number[]) => void;
}

/** The sliding window of im2col.ts's ConvGeometry (structurally, to keep this module a leaf). */
export interface WindowGeometry {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly dh: number;
  readonly dw: number;
  readonly outH: number;
  readonly outW: number;
}

let loaded: SpatialModule | null | undefined;
let heap = new Float32Array(0);

function spatialModule(): SpatialModule | null {
  if (loaded !== undefined) return loaded;
  try {
    const bytes = decodeBase64(WASM_BASE64);
    if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(bytes)) return (loaded = null);
    loaded = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as SpatialModule;
  } catch {
    loaded = null;
  }
  return loaded;
}

/** For tests: pretend WebAssembly is missing (true) or restore detection (false). */
export function disableSpatialSimdForTesting(disabled: boolean): void {
  loaded = disabled ? null : undefined;
}

function heapFor(mod: SpatialModule, floats: number): Float32Array {
  const have = mod.memory.buffer.byteLength;
  if (floats * 4 > have) mod.memory.grow(Math.ceil((floats * 4 - have) / PAGE));
  if (heap.buffer !== mod.memory.buffer) heap = new Float32Array(mod.memory.buffer);
  return heap;
}

const windowArgs = (g: WindowGeometry, samples: number, sampleStride: number): number[] =>
  [g.channels, g.height, g.width, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.outH, g.outW, samples, sampleStride];

/** Where the images and the column buffer sit in the heap, or null when the call should stay plain. */
function columnJob(g: WindowGeometry, ldCol: number, samples: number, sampleStride: number) {
  const positions = g.outH * g.outW;
  const colFloats = g.channels * g.kh * g.kw * ldCol;
  // The wasm walk writes rows back to back: only a gapless layout (ldCol = samples * positions) fits.
  if (ldCol !== samples * positions || colFloats < MIN_SPATIAL_WORK) return null;
  const mod = spatialModule();
  if (!mod) return null;
  const imageFloats = (samples - 1) * sampleStride + g.channels * g.height * g.width;
  // Slack after both regions: im2col's vector stores and loads run up to 3 floats over.
  const colAt = imageFloats + SLACK;
  return { mod, imageFloats, colAt, colFloats, heap: heapFor(mod, colAt + colFloats + SLACK) };
}

/** im2col.ts's `im2col` in WebAssembly; false when the plain loops should run. */
export function im2colSimd(image: Float32Array, offset: number, g: WindowGeometry, col: Float32Array, colOffset: number, ldCol: number, samples: number, sampleStride: number): boolean {
  const job = columnJob(g, ldCol, samples, sampleStride);
  if (!job) return false;
  const { mod, imageFloats, colAt, colFloats, heap: h } = job;
  h.set(image.subarray(offset, offset + imageFloats), 0);
  mod.im2col(0, colAt * 4, ...windowArgs(g, samples, sampleStride));
  col.set(h.subarray(colAt, colAt + colFloats), colOffset);
  return true;
}

/** im2col.ts's `col2im` (adds into the images) in WebAssembly; false when the plain loops should run. */
export function col2imSimd(col: Float32Array, g: WindowGeometry, image: Float32Array, offset: number, colOffset: number, ldCol: number, samples: number, sampleStride: number): boolean {
  const job = columnJob(g, ldCol, samples, sampleStride);
  if (!job) return false;
  const { mod, imageFloats, colAt, colFloats, heap: h } = job;
  h.set(image.subarray(offset, offset + imageFloats), 0);
  h.set(col.subarray(colOffset, colOffset + colFloats), colAt);
  mod.col2im(0, colAt * 4, ...windowArgs(g, samples, sampleStride));
  image.set(h.subarray(0, imageFloats), offset);
  return true;
}

/** A max-pooling window over `planes` planes (pooling.ts's PoolWindow). */
export interface PoolGeometry {
  readonly height: number;
  readonly width: number;
  readonly outH: number;
  readonly outW: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
}

const poolArgs = (w: PoolGeometry, planes: number, acc: boolean, backward: boolean): number[] =>
  [planes, w.height, w.width, w.outH, w.outW, w.kh, w.kw, w.sh, w.sw, w.ph, w.pw, acc ? 1 : 0, backward ? 1 : 0];

function poolModule(inFloats: number): SpatialModule | null {
  return inFloats >= MIN_SPATIAL_WORK ? spatialModule() : null;
}

/** out (add: +=) the max of each window; false when the plain loops should run. */
export function maxPoolSimd(w: PoolGeometry, planes: number, x: Float32Array, out: Float32Array, add: boolean): boolean {
  const mod = poolModule(x.length);
  if (!mod) return false;
  const h = heapFor(mod, x.length + out.length);
  h.set(x, 0);
  if (add) h.set(out, x.length);
  mod.max_pool(0, x.length * 4, 0, 0, ...poolArgs(w, planes, add, false));
  out.set(h.subarray(x.length, x.length + out.length));
  return true;
}

/**
 * grad[first position of each window equal to its max y[o]] += head[o] (grad already zeroed or
 * holding what to add to); false when the plain loops should run.
 */
export function maxPoolBackwardSimd(w: PoolGeometry, planes: number, x: Float32Array, y: Float32Array, head: Float32Array, grad: Float32Array): boolean {
  const mod = poolModule(x.length);
  if (!mod) return false;
  const n = x.length;
  const m = y.length;
  const h = heapFor(mod, 2 * n + 2 * m);
  h.set(x, 0);
  h.set(y, n);
  h.set(head, n + m);
  h.set(grad, n + 2 * m);
  mod.max_pool(0, (n + m) * 4, n * 4, (n + 2 * m) * 4, ...poolArgs(w, planes, false, true));
  grad.set(h.subarray(n + 2 * m, 2 * n + 2 * m));
  return true;
}
