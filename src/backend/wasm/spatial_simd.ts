/**
 * spatial.wat (im2col, col2im, the convolution's block moves, max/avg/sum pooling) behind the
 * reference kernels' signatures. Each call copies its operands into the module's memory and the
 * result out (memcpy speed), runs the reference loops' exact order of operations in WebAssembly
 * (the same bits), and returns false, doing nothing, where the reference kernel should run instead
 * (no WebAssembly, small work, a column layout with gaps between rows).
 */
import type { ConvGeometry, PoolGeometry } from '../geometry';
import { WASM_BASE64 as IMPORTED_BASE64 } from './generated/spatial_imported_wasm';
import { WASM_BASE64 as SHARED_BASE64 } from './generated/spatial_shared_wasm';
import { WASM_BASE64 } from './generated/spatial_wasm';
import { GuestModule, LazyModule, StagedModule } from './staging';
import { HEAP_SLACK_FLOATS, SPATIAL_MIN_WORK } from './tuning';

export interface SpatialModule {
  readonly memory: WebAssembly.Memory;
  readonly im2col: (img: number, col: number, ...geometry: number[]) => void;
  readonly col2im: (img: number, col: number, ...geometry: number[]) => void;
  readonly max_pool: (x: number, out: number, y: number, grad: number, ...geometry: number[]) => void;
  readonly sum_pool: (x: number, out: number, grad: number, planes: number, ...window: number[]) => void;
  readonly blocks: (matrix: number, batch: number, count: number, filters: number, positions: number, bias: number, hasBias: number, acc: number, toBatch: number) => void;
}

const spatial = new LazyModule<SpatialModule>(WASM_BASE64);
const guests = new GuestModule<SpatialModule>(IMPORTED_BASE64, SHARED_BASE64);

/**
 * The spatial kernels instantiated on another module's memory (the GEMM's), so im2col can write
 * its columns where the GEMM packs them; null where that cannot run.
 */
export function spatialOn(memory: WebAssembly.Memory): SpatialModule | null {
  return spatial.get() ? guests.on(memory) : null;
}

/** The module when `work` elements are worth the copies. */
function moduleFor(work: number): StagedModule<SpatialModule> | null {
  return work >= SPATIAL_MIN_WORK ? spatial.get() : null;
}

type WalkExport = (img: number, col: number, ...geometry: number[]) => void;

/** Calls im2col or col2im with the geometry spelled out (no argument array per call). */
function walk(fn: WalkExport, img: number, col: number, g: ConvGeometry, samples: number, sampleStride: number): void {
  fn(img, col, g.channels, g.height, g.width, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.outH, g.outW, samples, sampleStride);
}

/** Where the last column job's images and column buffer sit in the heap (floats; reused, not reallocated). */
const job = { imageFloats: 0, colAt: 0, colFloats: 0 };

/** Lays out a column job in `job`; the module, or null when the reference kernel should run. */
function columnJob(g: ConvGeometry, ldCol: number, samples: number, sampleStride: number): StagedModule<SpatialModule> | null {
  const positions = g.outH * g.outW;
  const colFloats = g.channels * g.kh * g.kw * ldCol;
  // The wasm walk writes rows back to back: only a gapless layout (ldCol = samples * positions) fits.
  const wasm = ldCol === samples * positions ? moduleFor(colFloats) : null;
  if (!wasm) return null;
  job.imageFloats = (samples - 1) * sampleStride + g.channels * g.height * g.width;
  // Slack after both regions: im2col's vector stores and loads run past a region's end.
  job.colAt = job.imageFloats + HEAP_SLACK_FLOATS;
  job.colFloats = colFloats;
  wasm.heap.reserve(job.colAt + colFloats + HEAP_SLACK_FLOATS);
  return wasm;
}

/** The reference `im2col` in WebAssembly; false when the reference kernel should run. */
export function im2colSimd(image: Float32Array, offset: number, g: ConvGeometry, col: Float32Array, colOffset: number, ldCol: number, samples: number, sampleStride: number): boolean {
  const wasm = columnJob(g, ldCol, samples, sampleStride);
  if (!wasm) return false;
  const { imageFloats, colAt, colFloats } = job;
  wasm.heap.copyIn(0, image, offset, imageFloats);
  walk(wasm.mod.im2col, 0, colAt * 4, g, samples, sampleStride);
  wasm.heap.copyOut(colAt, colFloats, col, colOffset);
  return true;
}

/** The reference `col2im` (adds into the images) in WebAssembly; false when the reference kernel should run. */
export function col2imSimd(col: Float32Array, g: ConvGeometry, image: Float32Array, offset: number, colOffset: number, ldCol: number, samples: number, sampleStride: number): boolean {
  const wasm = columnJob(g, ldCol, samples, sampleStride);
  if (!wasm) return false;
  const { imageFloats, colAt, colFloats } = job;
  wasm.heap.copyIn(0, image, offset, imageFloats);
  wasm.heap.copyIn(colAt, col, colOffset, colFloats);
  walk(wasm.mod.col2im, 0, colAt * 4, g, samples, sampleStride);
  wasm.heap.copyOut(0, imageFloats, image, offset);
  return true;
}

/**
 * Samples first..first+count of a (n, filters, positions) batch from the chunk's (filters,
 * count * positions) matrix: batch (add: +=) matrix + bias[f] (bias rounded in before adding).
 * False when the reference kernel should run.
 */
export function scatterBlocksSimd(matrix: Float32Array, batch: Float32Array, first: number, count: number, filters: number, positions: number, add: boolean, bias: Float32Array | null): boolean {
  const floats = count * filters * positions;
  const wasm = moduleFor(floats);
  if (!wasm) return false;
  const { mod, heap } = wasm;
  const at = first * filters * positions;
  heap.reserve(2 * floats + filters);
  heap.copyIn(0, matrix, 0, floats);
  if (add) heap.copyIn(floats, batch, at, floats);
  if (bias) heap.copyIn(2 * floats, bias, 0, filters);
  mod.blocks(0, floats * 4, count, filters, positions, 2 * floats * 4, bias ? 1 : 0, add ? 1 : 0, 1);
  heap.copyOut(floats, floats, batch, at);
  return true;
}

/** The inverse move: the chunk's matrix from samples first..first+count of the batch. */
export function gatherBlocksSimd(batch: Float32Array, matrix: Float32Array, first: number, count: number, filters: number, positions: number): boolean {
  const floats = count * filters * positions;
  const wasm = moduleFor(floats);
  if (!wasm) return false;
  const { mod, heap } = wasm;
  heap.reserve(2 * floats);
  heap.copyIn(floats, batch, first * filters * positions, floats);
  mod.blocks(0, floats * 4, count, filters, positions, 0, 0, 0, 0);
  heap.copyOut(0, floats, matrix, 0);
  return true;
}

/** Calls max_pool with the window spelled out (no argument array per call). */
function maxPool(mod: SpatialModule, x: number, out: number, y: number, grad: number, w: PoolGeometry, planes: number, acc: boolean, backward: boolean): void {
  mod.max_pool(x, out, y, grad, planes, w.height, w.width, w.outH, w.outW, w.kh, w.kw, w.sh, w.sw, w.ph, w.pw, acc ? 1 : 0, backward ? 1 : 0);
}

/**
 * out (add: +=) each window's max, average or sum, as pooling.ts computes them; false when the
 * reference kernel should run.
 */
export function poolSimd(type: 'max' | 'avg' | 'sum', w: PoolGeometry, planes: number, x: Float32Array, out: Float32Array, add: boolean, includePad: boolean): boolean {
  const wasm = moduleFor(x.length);
  if (!wasm) return false;
  const { mod, heap } = wasm;
  const n = x.length;
  heap.reserve(n + out.length);
  heap.copyIn(0, x, 0, n);
  if (add) heap.copyIn(n, out, 0, out.length);
  if (type === 'max') maxPool(mod, 0, n * 4, 0, 0, w, planes, add, false);
  else sumPool(mod, 0, n * 4, 0, w, planes, type === 'avg', includePad, add, false);
  heap.copyOut(n, out.length, out, 0);
  return true;
}

/**
 * grad[first position of each window equal to its max y[o]] += head[o] (grad already zeroed or
 * holding what to add to); false when the reference kernel should run.
 */
export function maxPoolBackwardSimd(w: PoolGeometry, planes: number, x: Float32Array, y: Float32Array, head: Float32Array, grad: Float32Array): boolean {
  const wasm = moduleFor(x.length);
  if (!wasm) return false;
  const { mod, heap } = wasm;
  const n = x.length;
  const m = y.length;
  heap.reserve(2 * n + 2 * m);
  heap.copyIn(0, x, 0, n);
  heap.copyIn(n, y, 0, m);
  heap.copyIn(n + m, head, 0, m);
  heap.copyIn(n + 2 * m, grad, 0, n);
  maxPool(mod, 0, (n + m) * 4, n * 4, (n + 2 * m) * 4, w, planes, false, true);
  heap.copyOut(n + 2 * m, n, grad, 0);
  return true;
}

/** Calls sum_pool with the window spelled out (no argument array per call). */
function sumPool(mod: SpatialModule, x: number, out: number, grad: number, w: PoolGeometry, planes: number, avg: boolean, includePad: boolean, acc: boolean, backward: boolean): void {
  mod.sum_pool(x, out, grad, planes, w.height, w.width, w.outH, w.outW, w.kh, w.kw, w.sh, w.sw, w.ph, w.pw, avg ? 1 : 0, includePad ? 1 : 0, acc ? 1 : 0, backward ? 1 : 0);
}

/** grad += each window's head gradient (/ its size for avg) at every position; false when the reference kernel should run. */
export function sumPoolBackwardSimd(w: PoolGeometry, planes: number, head: Float32Array, grad: Float32Array, avg: boolean, includePad: boolean): boolean {
  const wasm = moduleFor(grad.length);
  if (!wasm) return false;
  const { mod, heap } = wasm;
  const n = grad.length;
  heap.reserve(n + head.length);
  heap.copyIn(0, grad, 0, n);
  heap.copyIn(n, head, 0, head.length);
  sumPool(mod, 0, n * 4, 0, w, planes, avg, includePad, false, true);
  heap.copyOut(0, n, grad, 0);
  return true;
}
