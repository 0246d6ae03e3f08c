/**
 * Max, average and sum pooling over the planes of (planes, height, width) data, and their
 * gradients. Windows are clipped to the data; an average divides by the window's size within the
 * padded input (includePad) or within the data.
 */
import type { PoolGeometry } from '../geometry';

export type PoolType = 'max' | 'avg' | 'sum';

/** MXNet starts max windows at float32's lowest value. */
const LOWEST = -3.4028234663852886e38;

/**
 * Calls visit(plane base, output index, row range, column range, divisor) for every window; a
 * window starts at o*stride - pad and is clipped to the data (and, for the divisor with
 * includePad, to the padded input).
 */
function forEachWindow(w: PoolGeometry, planes: number, includePad: boolean, visit: (base: number, o: number, h0: number, h1: number, w0: number, w1: number, size: number) => void): void {
  let o = 0;
  for (let c = 0; c < planes; c++) {
    const base = c * w.height * w.width;
    for (let oy = 0; oy < w.outH; oy++) {
      const top = oy * w.sh - w.ph;
      const bottom = Math.min(top + w.kh, w.height + w.ph);
      const h0 = Math.max(top, 0);
      const h1 = Math.min(bottom, w.height);
      for (let ox = 0; ox < w.outW; ox++, o++) {
        const left = ox * w.sw - w.pw;
        const right = Math.min(left + w.kw, w.width + w.pw);
        const w0 = Math.max(left, 0);
        const w1 = Math.min(right, w.width);
        visit(base, o, h0, h1, w0, w1, includePad ? (bottom - top) * (right - left) : (h1 - h0) * (w1 - w0));
      }
    }
  }
}

/** out (add: +=) each window's max, average or sum. */
function poolForward(type: PoolType, w: PoolGeometry, planes: number, x: Float32Array, out: Float32Array, add: boolean, includePad: boolean): void {
  const width = w.width;
  forEachWindow(w, planes, includePad, (base, o, h0, h1, w0, w1, size) => {
    let v = type === 'max' ? LOWEST : 0;
    for (let y = h0; y < h1; y++) {
      const row = base + y * width;
      if (type === 'max') for (let xi = w0; xi < w1; xi++) v = x[row + xi]! > v ? x[row + xi]! : v;
      else for (let xi = w0; xi < w1; xi++) v += x[row + xi]!;
    }
    if (type === 'avg') v /= size;
    out[o] = add ? out[o]! + v : v;
  });
}

/**
 * grad += the gradient of each window (grad zeroed first by the caller for 'write'): max sends
 * head[o] to the window's first maximum, sum copies it everywhere, avg spreads head[o] / size.
 */
function poolBackward(type: PoolType, w: PoolGeometry, planes: number, x: Float32Array, y: Float32Array, head: Float32Array, grad: Float32Array, includePad: boolean): void {
  forEachWindow(w, planes, includePad, (base, o, h0, h1, w0, w1, size) => {
    if (type === 'max') {
      for (let yy = h0; yy < h1; yy++) {
        for (let xi = w0; xi < w1; xi++) {
          const at = base + yy * w.width + xi;
          if (x[at] === y[o]) {
            grad[at]! += head[o]!;
            return;
          }
        }
      }
      return;
    }
    const g = type === 'avg' ? head[o]! / size : head[o]!;
    for (let yy = h0; yy < h1; yy++) for (let xi = w0; xi < w1; xi++) grad[base + yy * w.width + xi]! += g;
  });
}

export const poolingKernels = { poolForward, poolBackward };
