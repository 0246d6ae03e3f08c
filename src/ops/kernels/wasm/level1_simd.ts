/**
 * The memory-bound kernels of level1.wat (relu, activation gradients, y = a*x + b*y, row bias, column
 * sums) behind plain functions over Float32Arrays. Operands pass through the module's memory in
 * chunks (two copies at memcpy speed, about 0.1 ns per float, against 2-5 ns per element for the
 * plain loops on the target machine). Small arrays, and hosts without WebAssembly SIMD, take the
 * plain loops, which give the same float32 results (column sums round once from float64 in both).
 */
import type { Req } from '../../types';
import { decodeBase64 } from './base64';
import { WASM_BASE64 } from './level1_wasm';

const PAGE = 65536;
/** Floats per chunk copied through wasm memory (64 KiB: the chunk stays in cache). */
export const CHUNK = 16384;
/** Below this many elements a call's fixed cost (copies, boundary crossing) outweighs the loop. */
export const MIN_LEVEL1_LENGTH = 64;

interface Level1Module {
  readonly memory: WebAssembly.Memory;
  readonly relu: (src: number, dst: number, n: number, acc: number) => void;
  readonly act_grad: (kind: number, v: number, g: number, dst: number, n: number, acc: number) => void;
  readonly axpby: (x: number, y: number, n: number, a: number, b: number) => void;
  readonly add_bias_rows: (dst: number, rows: number, cols: number, bias: number) => void;
  readonly col_sums: (src: number, rows: number, cols: number, sums: number) => void;
}

let loaded: Level1Module | null | undefined;
let heap = new Float32Array(0);
let heap64 = new Float64Array(0);

function level1Module(): Level1Module | null {
  if (loaded !== undefined) return loaded;
  try {
    const bytes = decodeBase64(WASM_BASE64);
    if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(bytes)) return (loaded = null);
    loaded = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as Level1Module;
  } catch {
    loaded = null;
  }
  return loaded;
}

/** For tests: pretend WebAssembly is missing (true) or restore detection (false). */
export function disableLevel1SimdForTesting(disabled: boolean): void {
  loaded = disabled ? null : undefined;
}

/** The module when `n` elements are worth sending through it. */
function moduleFor(n: number): Level1Module | null {
  return n >= MIN_LEVEL1_LENGTH ? level1Module() : null;
}

/** A view of the module's memory holding at least `floats` floats (renewed after growth only). */
function heapFor(mod: Level1Module, floats: number): Float32Array {
  const have = mod.memory.buffer.byteLength;
  if (floats * 4 > have) mod.memory.grow(Math.ceil((floats * 4 - have) / PAGE));
  if (heap.buffer !== mod.memory.buffer) {
    heap = new Float32Array(mod.memory.buffer);
    heap64 = new Float64Array(mod.memory.buffer);
  }
  return heap;
}

/** Copies `src[start, start + len)` to `h[at, at + len)` (no view object when src fits whole). */
function stage(h: Float32Array, at: number, src: Float32Array, start: number, len: number): void {
  h.set(len === src.length ? src : src.subarray(start, start + len), at);
}

/** out (req)= relu(x) = x > 0 ? x : 0; x may be out. */
export function reluInto(x: Float32Array, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const n = out.length;
  const add = req === 'add';
  const mod = moduleFor(n);
  if (!mod) {
    if (add) for (let i = 0; i < n; i++) { const v = x[i]!; out[i]! += v > 0 ? v : 0; }
    else for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? v : 0; }
    return;
  }
  const chunk = Math.min(CHUNK, n);
  const h = heapFor(mod, 2 * chunk);
  for (let start = 0; start < n; start += chunk) {
    const len = Math.min(chunk, n - start);
    stage(h, 0, x, start, len);
    if (add) stage(h, chunk, out, start, len);
    mod.relu(0, chunk * 4, len, add ? 1 : 0);
    out.set(h.subarray(chunk, chunk + len), start);
  }
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
  const mod = moduleFor(n);
  if (!mod) {
    if (add) for (let i = 0; i < n; i++) dx[i]! += Math.fround(g[i]! * derivative(kind, v[i]!));
    else for (let i = 0; i < n; i++) dx[i] = g[i]! * derivative(kind, v[i]!);
    return;
  }
  const chunk = Math.min(CHUNK, n);
  const h = heapFor(mod, 3 * chunk);
  for (let start = 0; start < n; start += chunk) {
    const len = Math.min(chunk, n - start);
    stage(h, 0, v, start, len);
    stage(h, chunk, g, start, len);
    if (add) stage(h, 2 * chunk, dx, start, len);
    mod.act_grad(kind, 0, chunk * 4, 2 * chunk * 4, len, add ? 1 : 0);
    dx.set(h.subarray(2 * chunk, 2 * chunk + len), start);
  }
}

/** y = a * x + b * y in float32 arithmetic (a and b rounded to float32), as MXNet's kernels compute. */
export function axpby(a: number, x: Float32Array, b: number, y: Float32Array): void {
  const n = y.length;
  const mod = moduleFor(n);
  if (!mod) {
    const fa = Math.fround(a);
    const fb = Math.fround(b);
    for (let i = 0; i < n; i++) y[i] = Math.fround(fa * x[i]!) + Math.fround(fb * y[i]!);
    return;
  }
  const chunk = Math.min(CHUNK, n);
  const h = heapFor(mod, 2 * chunk);
  for (let start = 0; start < n; start += chunk) {
    const len = Math.min(chunk, n - start);
    stage(h, 0, x, start, len);
    stage(h, chunk, y, start, len);
    mod.axpby(0, chunk * 4, len, a, b);
    y.set(h.subarray(chunk, chunk + len), start);
  }
}

/** out[r * cols + j] += bias[j] over `rows` contiguous rows of `cols` floats. */
export function addBiasRows(out: Float32Array, rows: number, cols: number, bias: Float32Array): void {
  const mod = moduleFor(rows * cols);
  if (!mod || cols > CHUNK) {
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) out[r * cols + j]! += bias[j]!;
    return;
  }
  const perChunk = Math.max(1, Math.min(rows, Math.floor(CHUNK / cols)));
  const h = heapFor(mod, cols + perChunk * cols);
  stage(h, 0, bias, 0, cols);
  for (let row = 0; row < rows; row += perChunk) {
    const len = Math.min(perChunk, rows - row) * cols;
    stage(h, cols, out, row * cols, len);
    mod.add_bias_rows(cols * 4, len / cols, cols, 0);
    out.set(h.subarray(cols, cols + len), row * cols);
  }
}

/** out[j] (req)= sum over r of src[r * cols + j], summed in float64 and rounded once. */
export function columnSums(src: Float32Array, rows: number, cols: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const add = req === 'add';
  const mod = moduleFor(rows * cols);
  if (!mod || cols > CHUNK) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += src[r * cols + j]!;
      out[j] = add ? out[j]! + sum : sum;
    }
    return;
  }
  // Layout: cols doubles of sums (2 * cols floats), then a chunk of rows.
  const perChunk = Math.max(1, Math.min(rows, Math.floor(CHUNK / cols)));
  const h = heapFor(mod, 2 * cols + perChunk * cols);
  heap64.fill(0, 0, cols);
  for (let row = 0; row < rows; row += perChunk) {
    const len = Math.min(perChunk, rows - row) * cols;
    stage(h, 2 * cols, src, row * cols, len);
    mod.col_sums(2 * cols * 4, len / cols, cols, 0);
  }
  for (let j = 0; j < cols; j++) out[j] = add ? out[j]! + heap64[j]! : heap64[j]!;
}
