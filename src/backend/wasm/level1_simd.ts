/**
 * The memory-bound kernels of level1.wat (relu, activation gradients, y = a*x + b*y, row bias, column
 * sums, same-shape arithmetic, BatchNorm's per-channel sums and affine map, row dot products) behind
 * plain functions over Float32Arrays. Operands pass through the module's memory in chunks (two
 * copies at memcpy speed, about 0.1 ns per float, against 2-5 ns per element for plain loops on the
 * target machine). Each returns false, doing nothing, where the reference kernel should run instead
 * (small arrays, no WebAssembly SIMD); the results are the same float32 bits either way (column sums
 * round once from float64 in both).
 */
import type { AxisView } from '../geometry';
import type { Req } from '../../base/req';
import { SCALAR_CODES, type Arithmetic, type GradActivation } from './codes';
import { WASM_BASE64 } from './generated/level1_wasm';
import { WASM_BASE64 as IMPORTED_BASE64 } from './generated/level1_imported_wasm';
import { WASM_BASE64 as SHARED_BASE64 } from './generated/level1_shared_wasm';
import { commonArena, GuestModule, LazyModule, StagedModule } from './staging';
import { LEVEL1_CHUNK_FLOATS, LEVEL1_MIN_LENGTH } from './tuning';

/** The element-wise maps' shared signature: dst (acc: +=) f_code(a, b), byte pointers, n floats. */
type Level1Map = (code: number, a: number, b: number, dst: number, n: number, acc: number) => void;

interface Level1Module {
  readonly memory: WebAssembly.Memory;
  readonly relu: Level1Map;
  readonly act_grad: Level1Map;
  readonly axpby: (x: number, y: number, n: number, a: number, b: number) => void;
  readonly add_bias_rows: (dst: number, rows: number, cols: number, bias: number) => void;
  readonly col_sums: (src: number, rows: number, cols: number, sums: number) => void;
  readonly binary: Level1Map;
  readonly row_dots: (rows: number, x: number, n: number, k: number, dots: number) => void;
  readonly channel_affine: (x: number, out: number, outer: number, channels: number, inner: number, params: number, acc: number) => void;
  readonly channel_sums: (x: number, outer: number, channels: number, inner: number, centers: number, centered: number, sums: number) => void;
}

const level1 = new LazyModule<Level1Module>(WASM_BASE64);

type MapName = 'relu' | 'act_grad' | 'binary';

const guests = new GuestModule<Level1Module>(IMPORTED_BASE64, SHARED_BASE64);

/** The kernels on the arena memory holding all the operands (an executor's arrays), if any. */
function inPlace(a: Float32Array, b: Float32Array | null, c: Float32Array | null): Level1Module | null {
  const memory = commonArena(a, b, c);
  return memory ? guests.on(memory) : null;
}

/**
 * out (add: +=) kernel(code, a, b): on an arena's arrays as they are (these kernels handle their
 * tails exactly), else chunk by chunk through the heap (regions: a, b, out). out may be a or b.
 */
function mapChunks(wasm: StagedModule<Level1Module>, name: MapName, code: number, a: Float32Array, b: Float32Array | null, out: Float32Array, add: boolean): void {
  const n = out.length;
  const guest = inPlace(a, b, out);
  if (guest) {
    guest[name](code, a.byteOffset, b ? b.byteOffset : 0, out.byteOffset, n, add ? 1 : 0);
    return;
  }
  const { mod, heap } = wasm;
  const chunk = Math.min(LEVEL1_CHUNK_FLOATS, n);
  heap.reserve(3 * chunk);
  for (let start = 0; start < n; start += chunk) {
    const len = Math.min(chunk, n - start);
    heap.copyIn(0, a, start, len);
    if (b) heap.copyIn(chunk, b, start, len);
    if (add) heap.copyIn(2 * chunk, out, start, len);
    mod[name](code, 0, chunk * 4, 2 * chunk * 4, len, add ? 1 : 0);
    heap.copyOut(2 * chunk, len, out, start);
  }
}

/** The module and its heap when `n` elements are worth sending through it. */
function moduleFor(n: number): StagedModule<Level1Module> | null {
  return n >= LEVEL1_MIN_LENGTH ? level1.get() : null;
}

/** out (req)= relu(x) = x > 0 ? x : 0; x may be out. */
export function reluInto(x: Float32Array, out: Float32Array, req: Req): boolean {
  if (req === 'null') return true;
  const wasm = moduleFor(out.length);
  if (!wasm) return false;
  mapChunks(wasm, 'relu', 0, x, null, out, req === 'add');
  return true;
}

/** f'(v) in float32 steps, as the kernel computes it; v is the input for relu, else the output. */
const DERIVATIVES: Readonly<Record<GradActivation, (v: number) => number>> = {
  relu: (v) => (v > 0 ? 1 : 0),
  tanh: (v) => Math.fround(1 - Math.fround(v * v)),
  sigmoid: (v) => Math.fround(v * Math.fround(1 - v)),
};

/**
 * dx (req)= g * f'(v): relu with v the input (f' = v > 0), tanh (1 - v^2) and sigmoid (v (1 - v))
 * with v the output, in float32 steps. A product, never a select, so NaN head gradients stay NaN as
 * in MXNet. NOTE: small arrays run a plain loop here, not the reference kernel: the reference
 * computes f' in float64, and the wasm backend's bits must not depend on an array's length.
 */
export function activationGradInto(act: GradActivation, v: Float32Array, g: Float32Array, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  const n = dx.length;
  const add = req === 'add';
  const wasm = moduleFor(n);
  if (!wasm) {
    const derivative = DERIVATIVES[act];
    if (add) for (let i = 0; i < n; i++) dx[i]! += Math.fround(g[i]! * derivative(v[i]!));
    else for (let i = 0; i < n; i++) dx[i] = g[i]! * derivative(v[i]!);
    return;
  }
  mapChunks(wasm, 'act_grad', SCALAR_CODES.activationGrad[act], v, g, dx, add);
}

/** y = a * x + b * y in float32 arithmetic (a and b rounded to float32), as MXNet's kernels compute. */
export function axpby(a: number, x: Float32Array, b: number, y: Float32Array): boolean {
  const n = y.length;
  const wasm = moduleFor(n);
  if (!wasm) return false;
  const guest = inPlace(x, y, null);
  if (guest) {
    guest.axpby(x.byteOffset, y.byteOffset, n, a, b);
    return true;
  }
  const { mod, heap } = wasm;
  const chunk = Math.min(LEVEL1_CHUNK_FLOATS, n);
  heap.reserve(2 * chunk);
  for (let start = 0; start < n; start += chunk) {
    const len = Math.min(chunk, n - start);
    heap.copyIn(0, x, start, len);
    heap.copyIn(chunk, y, start, len);
    mod.axpby(0, chunk * 4, len, a, b);
    heap.copyOut(chunk, len, y, start);
  }
  return true;
}

/** out[r * cols + j] += bias[j] over `rows` contiguous rows of `cols` floats. */
export function addBiasRows(out: Float32Array, rows: number, cols: number, bias: Float32Array): boolean {
  const wasm = moduleFor(rows * cols);
  if (!wasm || cols > LEVEL1_CHUNK_FLOATS) return false;
  const { mod, heap } = wasm;
  const perChunk = Math.max(1, Math.min(rows, Math.floor(LEVEL1_CHUNK_FLOATS / cols)));
  heap.reserve(cols + perChunk * cols);
  heap.copyIn(0, bias, 0, cols);
  for (let row = 0; row < rows; row += perChunk) {
    const len = Math.min(perChunk, rows - row) * cols;
    heap.copyIn(cols, out, row * cols, len);
    mod.add_bias_rows(cols * 4, len / cols, cols, 0);
    heap.copyOut(cols, len, out, row * cols);
  }
  return true;
}

/** out[j] (req)= sum over r of src[r * cols + j], summed in float64 and rounded once. */
export function columnSums(src: Float32Array, rows: number, cols: number, out: Float32Array, req: Req): boolean {
  if (req === 'null') return true;
  const add = req === 'add';
  const wasm = moduleFor(rows * cols);
  if (!wasm || cols > LEVEL1_CHUNK_FLOATS) return false;
  // Layout: cols doubles of sums (2 * cols floats), then a chunk of rows.
  const { mod, heap } = wasm;
  const perChunk = Math.max(1, Math.min(rows, Math.floor(LEVEL1_CHUNK_FLOATS / cols)));
  heap.reserve(2 * cols + perChunk * cols);
  const sums = heap.f64;
  sums.fill(0, 0, cols);
  for (let row = 0; row < rows; row += perChunk) {
    const len = Math.min(perChunk, rows - row) * cols;
    heap.copyIn(2 * cols, src, row * cols, len);
    mod.col_sums(2 * cols * 4, len / cols, cols, 0);
  }
  for (let j = 0; j < cols; j++) out[j] = add ? out[j]! + sums[j]! : sums[j]!;
  return true;
}

/**
 * out (req)= (x - mean[c]) * scale[c] + shift[c] per channel, in float64, rounded once (BatchNorm's
 * normalization; mean, scale and shift hold one double per channel).
 */
export function channelAffine(x: Float32Array, out: Float32Array, view: AxisView, mean: Float64Array, scale: Float64Array, shift: Float64Array, req: Req): boolean {
  if (req === 'null') return true;
  const { outer, n: channels, inner } = view;
  const add = req === 'add';
  const size = x.length;
  const wasm = moduleFor(size);
  if (!wasm) return false;
  const { mod, heap } = wasm;
  // Layout: x, out, then 3 * channels doubles (2 * size floats is a whole number of doubles).
  heap.reserve(2 * size + 6 * channels);
  heap.copyIn(0, x, 0, size);
  if (add) heap.copyIn(size, out, 0, size);
  const params = heap.f64;
  params.set(mean, size);
  params.set(scale, size + channels);
  params.set(shift, size + 2 * channels);
  mod.channel_affine(0, size * 4, outer, channels, inner, 2 * size * 4, add ? 1 : 0);
  heap.copyOut(size, size, out, 0);
  return true;
}

/**
 * sums[c] = sum over channel c of x (centers null) or of (x - centers[c])^2, in float64 in element
 * order (BatchNorm's batch mean and variance).
 */
export function channelSums(x: Float32Array, view: AxisView, centers: Float64Array | null, sums: Float64Array): boolean {
  const { outer, n: channels, inner } = view;
  const wasm = moduleFor(x.length);
  if (!wasm) return false;
  const { mod, heap } = wasm;
  // Layout: x padded to a whole number of doubles, then centers, then sums.
  const at = Math.ceil(x.length / 2);
  heap.reserve(2 * at + 4 * channels);
  heap.copyIn(0, x, 0, x.length);
  const doubles = heap.f64;
  if (centers) doubles.set(centers, at);
  mod.channel_sums(0, outer, channels, inner, at * 8, centers ? 1 : 0, (at + channels) * 8);
  for (let c = 0; c < channels; c++) sums[c] = doubles[at + channels + c]!;
  return true;
}

/**
 * out (req)= a op b element by element, for same-length arrays (out may be a or b); 'add' rounds
 * a op b to float32 before accumulating. NOTE: small arrays run a plain loop here, not the
 * reference kernel, which accumulates the unrounded float64 result.
 */
/** The arithmetic level1.wat's `binary` computes, for the small arrays it leaves to JavaScript. */
const ARITHMETIC: Readonly<Record<Arithmetic, (x: number, y: number) => number>> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
};

export function binaryInto(op: Arithmetic, a: Float32Array, b: Float32Array, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const n = out.length;
  const add = req === 'add';
  const wasm = moduleFor(n);
  if (!wasm) {
    const f = ARITHMETIC[op];
    for (let i = 0; i < n; i++) {
      const v = f(a[i]!, b[i]!);
      out[i] = add ? out[i]! + Math.fround(v) : v;
    }
    return;
  }
  mapChunks(wasm, 'binary', SCALAR_CODES.arithmetic[op], a, b, out, add);
}

/**
 * y[j] (at yOff + j*incY) = alpha * dot(W row j, x) + beta * y[j] for the n rows of k floats of W
 * (row stride ldw, from wOff) and x (k floats from xOff): a batch-1 layer's product. The rows are
 * staged in chunks, so even a 100 MB weight needs only a chunk of heap. False (doing nothing)
 * without WebAssembly.
 */
export function rowDotsInto(n: number, k: number, alpha: number, W: Float32Array, ldw: number, wOff: number, x: Float32Array, xOff: number, beta: number, y: Float32Array, yOff: number, incY: number): boolean {
  const wasm = k > 0 && k <= LEVEL1_CHUNK_FLOATS ? moduleFor(n * k) : null;
  if (!wasm) return false;
  const { mod, heap } = wasm;
  const perChunk = Math.max(1, Math.floor(LEVEL1_CHUNK_FLOATS / k));
  // Layout: x (k floats), dots (perChunk floats), the chunk's rows.
  const rowsAt = k + perChunk;
  const floats = heap.reserve(rowsAt + perChunk * k);
  heap.copyIn(0, x, xOff, k);
  for (let first = 0; first < n; first += perChunk) {
    const count = Math.min(perChunk, n - first);
    if (ldw === k) heap.copyIn(rowsAt, W, wOff + first * k, count * k);
    else for (let r = 0; r < count; r++) heap.copyIn(rowsAt + r * k, W, wOff + (first + r) * ldw, k);
    mod.row_dots(rowsAt * 4, 0, count, k, k * 4);
    for (let r = 0; r < count; r++) {
      const at = yOff + (first + r) * incY;
      const dot = floats[k + r]!;
      y[at] = beta === 0 ? alpha * dot : alpha * dot + beta * y[at]!;
    }
  }
  return true;
}
