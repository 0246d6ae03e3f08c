/**
 * Softmax along the middle axis of an (outer, n, inner) view, the layout every softmax-like op
 * reduces to (inner = 1 for the last axis). Stable: the row maximum is subtracted first.
 * Contiguous rows (inner = 1, T = 1, write) go to the WebAssembly SIMD kernel when it is available.
 */
import { logSoftmaxRows, softmaxRows } from './vector_simd';

export interface AxisView {
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
}

export function axisView(shape: readonly number[], axis: number): AxisView {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return { outer, n: shape[axis]!, inner };
}

/** out = softmax(x / T) (or its log) along the view's middle axis; `add` accumulates. */
export function softmaxForward(x: Float32Array, out: Float32Array, view: AxisView, temperature: number, log: boolean, add: boolean): void {
  const { outer, n, inner } = view;
  if (inner === 1 && temperature === 1 && !add && (log ? logSoftmaxRows : softmaxRows)(x, out, outer, n)) return;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      let max = -Infinity;
      for (let j = 0; j < n; j++) max = Math.max(max, x[base + j * inner]!);
      let sum = 0;
      for (let j = 0; j < n; j++) sum += Math.exp((x[base + j * inner]! - max) / temperature);
      const logSum = Math.log(sum);
      for (let j = 0; j < n; j++) {
        const i = base + j * inner;
        const shifted = (x[i]! - max) / temperature;
        const v = log ? shifted - logSum : Math.exp(shifted) / sum;
        out[i] = add ? out[i]! + v : v;
      }
    }
  }
}

/**
 * Gradient through softmax given its output y and head gradient g:
 * dx = y * (g - sum(g*y)) / T, or for log-softmax dx = (g - exp(y) * sum(g)) / T.
 */
export function softmaxBackward(y: Float32Array, g: Float32Array, dx: Float32Array, view: AxisView, temperature: number, log: boolean, add: boolean): void {
  const { outer, n, inner } = view;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      let dot = 0;
      for (let j = 0; j < n; j++) {
        const i = base + j * inner;
        dot += log ? g[i]! : g[i]! * y[i]!;
      }
      for (let j = 0; j < n; j++) {
        const i = base + j * inner;
        const v = log ? (g[i]! - Math.exp(y[i]!) * dot) / temperature : (y[i]! * (g[i]! - dot)) / temperature;
        dx[i] = add ? dx[i]! + v : v;
      }
    }
  }
}
