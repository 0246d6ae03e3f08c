/**
 * Softmax along the middle axis of an (outer, n, inner) view, the layout every softmax-like op
 * reduces to (inner = 1 for the last axis). Stable: the row maximum is subtracted first.
 */
import type { AxisView } from '../geometry';

/** out = softmax(x / T) (or its log) along the view's middle axis; `add` accumulates. */
export function softmaxForward(x: Float32Array, out: Float32Array, view: AxisView, temperature: number, log: boolean, add: boolean): void {
  const { outer, n, inner } = view;
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

export const softmaxKernels = { softmaxForward, softmaxBackward };
