/**
 * The memory-bound kernels of level1.wat (relu, activation gradients, y = a*x + b*y, row bias, column
 * sums) behind plain functions over Float32Arrays. Operands pass through the module's memory in
 * chunks (two copies at memcpy speed, about 0.1 ns per float, against 2-5 ns per element for the
 * plain loops on the target machine). Small arrays, and hosts without WebAssembly SIMD, take the
 * plain loops, which give the same float32 results (column sums round once from float64 in both).
 */
import type { AxisView } from '../geometry';
import type { Req } from '../../base/req';
import { WASM_BASE64 } from './level1_wasm';
import { WASM_BASE64 as IMPORTED_BASE64 } from './level1_imported_wasm';
import { WASM_BASE64 as SHARED_BASE64 } from './level1_shared_wasm';
import { commonArena, GuestModule, LazyModule, StagedModule } from './staging';

/** Floats per chunk copied through wasm memory (256 KiB: a chunk and its result stay in L2). */
export const CHUNK = 65536;
/** Below this many elements a call's fixed cost (copies, boundary crossing) outweighs the loop. */
export const MIN_LEVEL1_LENGTH = 64;

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

/** For tests: pretend WebAssembly is missing (true) or restore detection (false). */
export function disableLevel1SimdForTesting(disabled: boolean): void {
  level1.disableForTesting(disabled);
}

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
  const chunk = Math.min(CHUNK, n);
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
  return n >= MIN_LEVEL1_LENGTH ? level1.get() : null;
}

/** out (req)= relu(x) = x > 0 ? x : 0; x may be out. */
export function reluInto(x: Float32Array, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const n = out.length;
  const add = req === 'add';
  const wasm = moduleFor(n);
  if (!wasm) {
    if (add) for (let i = 0; i < n; i++) { const v = x[i]!; out[i]! += v > 0 ? v : 0; }
    else for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? v : 0; }
    return;
  }
  mapChunks(wasm, 'relu', 0, x, null, out, add);
}

/** Activations whose gradient level1.wat computes, with what the gradient reads. */
const ACT_KINDS = { relu: 0, tanh: 1, sigmoid: 2 } as const;
export type GradActivation = keyof typeof ACT_KINDS;

/** f'(v) in float32 steps, as the kernel computes it; v is the input for relu, else the output. */
function derivative(kind: number, v: number): number {
  if (kind === 0) return v > 0 ? 1 : 0;
  return kind === 1 ? Math.fround(1 - Math.fround(v * v)) : Math.fround(v * Math.fround(1 - v));
}

/**
 * dx (req)= g * f'(v): relu with v the input (f' = v > 0), tanh (1 - v^2) and sigmoid (v (1 - v))
 * with v the output. A product, never a select, so NaN head gradients stay NaN as in MXNet.
 */
export function activationGradInto(act: GradActivation, v: Float32Array, g: Float32Array, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  const kind = ACT_KINDS[act];
  const n = dx.length;
  const add = req === 'add';
  const wasm = moduleFor(n);
  if (!wasm) {
    if (add) for (let i = 0; i < n; i++) dx[i]! += Math.fround(g[i]! * derivative(kind, v[i]!));
    else for (let i = 0; i < n; i++) dx[i] = g[i]! * derivative(kind, v[i]!);
    return;
  }
  mapChunks(wasm, 'act_grad', kind, v, g, dx, add);
}

/** y = a * x + b * y in float32 arithmetic (a and b rounded to float32), as MXNet's kernels compute. */
export function axpby(a: number, x: Float32Array, b: number, y: Float32Array): void {
  const n = y.length;
  const wasm = moduleFor(n);
  if (!wasm) {
    const fa = Math.fround(a);
    const fb = Math.fround(b);
    for (let i = 0; i < n; i++) y[i] = Math.fround(fa * x[i]!) + Math.fround(fb * y[i]!);
    return;
  }
  const guest = inPlace(x, y, null);
  if (guest) {
    guest.axpby(x.byteOffset, y.byteOffset, n, a, b);
    return;
  }
  const { mod, heap } = wasm;
  const chunk = Math.min(CHUNK, n);
  heap.reserve(2 * chunk);
  for (let start = 0; start < n; start += chunk) {
    const len = Math.min(chunk, n - start);
    heap.copyIn(0, x, start, len);
    heap.copyIn(chunk, y, start, len);
    mod.axpby(0, chunk * 4, len, a, b);
    heap.copyOut(chunk, len, y, start);
  }
}

/** out[r * cols + j] += bias[j] over `rows` contiguous rows of `cols` floats. */
export function addBiasRows(out: Float32Array, rows: number, cols: number, bias: Float32Array): void {
  const wasm = moduleFor(rows * cols);
  if (!wasm || cols > CHUNK) {
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) out[r * cols + j]! += bias[j]!;
    return;
  }
  const { mod, heap } = wasm;
  const perChunk = Math.max(1, Math.min(rows, Math.floor(CHUNK / cols)));
  heap.reserve(cols + perChunk * cols);
  heap.copyIn(0, bias, 0, cols);
  for (let row = 0; row < rows; row += perChunk) {
    const len = Math.min(perChunk, rows - row) * cols;
    heap.copyIn(cols, out, row * cols, len);
    mod.add_bias_rows(cols * 4, len / cols, cols, 0);
    heap.copyOut(cols, len, out, row * cols);
  }
}

/** out[j] (req)= sum over r of src[r * cols + j], summed in float64 and rounded once. */
export function columnSums(src: Float32Array, rows: number, cols: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const add = req === 'add';
  const wasm = moduleFor(rows * cols);
  if (!wasm || cols > CHUNK) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += src[r * cols + j]!;
      out[j] = add ? out[j]! + sum : sum;
    }
    return;
  }
  // Layout: cols doubles of sums (2 * cols floats), then a chunk of rows.
  const { mod, heap } = wasm;
  const perChunk = Math.max(1, Math.min(rows, Math.floor(CHUNK / cols)));
  heap.reserve(2 * cols + perChunk * cols);
  const sums = heap.f64;
  sums.fill(0, 0, cols);
  for (let row = 0; row < rows; row += perChunk) {
    const len = Math.min(perChunk, rows - row) * cols;
    heap.copyIn(2 * cols, src, row * cols, len);
    mod.col_sums(2 * cols * 4, len / cols, cols, 0);
  }
  for (let j = 0; j < cols; j++) out[j] = add ? out[j]! + sums[j]! : sums[j]!;
}

/**
 * out (req)= (x - mean[c]) * scale[c] + shift[c] per channel, in float64, rounded once (BatchNorm's
 * normalization; mean, scale and shift hold one double per channel).
 */
export function channelAffine(x: Float32Array, out: Float32Array, view: AxisView, mean: Float64Array, scale: Float64Array, shift: Float64Array, req: Req): void {
  if (req === 'null') return;
  const { outer, n: channels, inner } = view;
  const add = req === 'add';
  const size = x.length;
  const wasm = moduleFor(size);
  if (!wasm) {
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++) {
        const m = mean[c]!;
        const s = scale[c]!;
        const b = shift[c]!;
        const base = (o * channels + c) * inner;
        if (add) for (let k = base; k < base + inner; k++) out[k]! += (x[k]! - m) * s + b;
        else for (let k = base; k < base + inner; k++) out[k] = (x[k]! - m) * s + b;
      }
    }
    return;
  }
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
}

/**
 * sums[c] = sum over channel c of x (centers null) or of (x - centers[c])^2, in float64 in element
 * order (BatchNorm's batch mean and variance).
 */
export function channelSums(x: Float32Array, view: AxisView, centers: Float64Array | null, sums: Float64Array): void {
  const { outer, n: channels, inner } = view;
  const wasm = moduleFor(x.length);
  if (!wasm) {
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      const m = centers ? centers[c]! : 0;
      for (let o = 0; o < outer; o++) {
        const base = (o * channels + c) * inner;
        if (centers) for (let k = base; k < base + inner; k++) sum += (x[k]! - m) * (x[k]! - m);
        else for (let k = base; k < base + inner; k++) sum += x[k]!;
      }
      sums[c] = sum;
    }
    return;
  }
  const { mod, heap } = wasm;
  // Layout: x padded to a whole number of doubles, then centers, then sums.
  const at = Math.ceil(x.length / 2);
  heap.reserve(2 * at + 4 * channels);
  heap.copyIn(0, x, 0, x.length);
  const doubles = heap.f64;
  if (centers) doubles.set(centers, at);
  mod.channel_sums(0, outer, channels, inner, at * 8, centers ? 1 : 0, (at + channels) * 8);
  for (let c = 0; c < channels; c++) sums[c] = doubles[at + channels + c]!;
}

/** The arithmetic `binaryInto` runs. */
export const ARITHMETIC = { add: 0, sub: 1, mul: 2, div: 3 } as const;
export type Arithmetic = keyof typeof ARITHMETIC;

/** out (req)= a op b element by element, for same-length arrays (out may be a or b). */
export function binaryInto(op: Arithmetic, a: Float32Array, b: Float32Array, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const code = ARITHMETIC[op];
  const n = out.length;
  const add = req === 'add';
  const wasm = moduleFor(n);
  if (!wasm) {
    for (let i = 0; i < n; i++) {
      const x = a[i]!;
      const y = b[i]!;
      const v = code === 0 ? x + y : code === 1 ? x - y : code === 2 ? x * y : x / y;
      out[i] = add ? out[i]! + Math.fround(v) : v;
    }
    return;
  }
  mapChunks(wasm, 'binary', code, a, b, out, add);
}

/**
 * y[j] (at yOff + j*incY) = alpha * dot(W row j, x) + beta * y[j] for the n rows of k floats of W
 * (row stride ldw, from wOff) and x (k floats from xOff): a batch-1 layer's product. The rows are
 * staged in chunks, so even a 100 MB weight needs only a chunk of heap. False (doing nothing)
 * without WebAssembly.
 */
export function rowDotsInto(n: number, k: number, alpha: number, W: Float32Array, ldw: number, wOff: number, x: Float32Array, xOff: number, beta: number, y: Float32Array, yOff: number, incY: number): boolean {
  const wasm = k > 0 && k <= CHUNK ? moduleFor(n * k) : null;
  if (!wasm) return false;
  const { mod, heap } = wasm;
  const perChunk = Math.max(1, Math.floor(CHUNK / k));
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
