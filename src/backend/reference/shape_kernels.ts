/**
 * Kernels of the shape, indexing and creation ops. Most of those ops move values along an index
 * map that is a strided view (slice, reverse, tile, repeat, broadcast, swapaxes, depth_to_space):
 * one strided copy does their forward, and the same copy with `add` does their gradient (a
 * stride-0 target sums what was broadcast). Pad's edge/reflect maps take one index table per axis.
 */
import type { Req } from '../../base/req';

/** Counters for the strided loops (ndim is small; kernels never run re-entrantly). */
const counter = new Int32Array(64);

/** out (=|+=) value everywhere. */
export function fillConstant(out: Float32Array, value: number, req: Req): void {
  if (req === 'write') out.fill(value);
  else if (req === 'add') for (let i = 0; i < out.length; i++) out[i]! += value;
}

/** dst (=|+=) src for same-size buffers. */
export function copyValues(src: ArrayLike<number>, dst: Float32Array, req: Req): void {
  if (req === 'write') for (let i = 0; i < dst.length; i++) dst[i] = src[i]!;
  else if (req === 'add') for (let i = 0; i < dst.length; i++) dst[i]! += src[i]!;
}

/** MXNet's range kernel: out[i] = start + floor(i / repeat) * step, in float32 arithmetic. */
export function fillRange(out: Float32Array, start: number, step: number, repeat: number, req: Req): void {
  if (req === 'null') return;
  const s = Math.fround(start);
  const d = Math.fround(step);
  for (let i = 0; i < out.length; i++) {
    const v = Math.fround(s + Math.fround(Math.floor(i / repeat) * d));
    out[i] = req === 'add' ? out[i]! + v : v;
  }
}

/** out[i] = start + i * step computed in float64, then rounded (MXNet's linspace kernel). */
export function fillLinspace(out: Float32Array, start: number, step: number, req: Req): void {
  if (req === 'null') return;
  for (let i = 0; i < out.length; i++) out[i] = req === 'add' ? out[i]! + (start + step * i) : start + step * i;
}

/** A rows x cols matrix with ones where col - row == k. */
export function fillEye(out: Float32Array, rows: number, cols: number, k: number, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') out.fill(0);
  for (let r = 0; r < rows; r++) {
    const c = r + k;
    if (c >= 0 && c < cols) out[r * cols + c]! += 1;
  }
}

/**
 * For every index i of `shape`: dst[dstOffset + i.dstStrides] (=|+=) src[srcOffset + i.srcStrides].
 * Strides may be negative (reverse) or 0 (broadcast reads; gradient sums with `add`).
 */
export function stridedCopy(
  src: Float32Array, srcOffset: number, srcStrides: readonly number[],
  dst: Float32Array, dstOffset: number, dstStrides: readonly number[],
  shape: readonly number[], req: Req,
): void {
  if (req === 'null') return;
  const ndim = shape.length;
  let total = 1;
  for (let i = 0; i < ndim; i++) total *= shape[i]!;
  if (total === 0) return;
  if (ndim === 0) {
    dst[dstOffset] = req === 'add' ? dst[dstOffset]! + src[srcOffset]! : src[srcOffset]!;
    return;
  }
  const last = ndim - 1;
  const inner = shape[last]!;
  const sInner = srcStrides[last]!;
  const dInner = dstStrides[last]!;
  const add = req === 'add';
  for (let i = 0; i < last; i++) counter[i] = 0;
  let s = srcOffset;
  let d = dstOffset;
  for (let row = 0, rows = total / inner; row < rows; row++) {
    if (add) for (let j = 0; j < inner; j++) dst[d + j * dInner]! += src[s + j * sInner]!;
    else for (let j = 0; j < inner; j++) dst[d + j * dInner] = src[s + j * sInner]!;
    for (let axis = last - 1; axis >= 0; axis--) {
      s += srcStrides[axis]!;
      d += dstStrides[axis]!;
      if (++counter[axis]! < shape[axis]!) break;
      s -= srcStrides[axis]! * shape[axis]!;
      d -= dstStrides[axis]! * shape[axis]!;
      counter[axis] = 0;
    }
  }
}

/**
 * out[o] (=|+=) src[sum_i tables[i][o_i] * srcStrides[i]] over the index o of `outShape`, or
 * `fill` where some table entry is -1 (Pad's constant border).
 */
export function axisTableGather(
  src: Float32Array, srcStrides: readonly number[], tables: readonly Int32Array[],
  out: Float32Array, outShape: readonly number[], fill: number, req: Req,
): void {
  if (req === 'null') return;
  const ndim = outShape.length;
  for (let i = 0; i < ndim; i++) counter[i] = 0;
  for (let o = 0; o < out.length; o++) {
    let s = 0;
    let inside = true;
    for (let i = 0; i < ndim; i++) {
      const t = tables[i]![counter[i]!]!;
      if (t < 0) inside = false;
      s += t * srcStrides[i]!;
    }
    const v = inside ? src[s]! : fill;
    out[o] = req === 'add' ? out[o]! + v : v;
    for (let axis = ndim - 1; axis >= 0; axis--) {
      if (++counter[axis]! < outShape[axis]!) break;
      counter[axis] = 0;
    }
  }
}

/** The gradient of axisTableGather: dst[...] += g[o] wherever the tables point inside. */
export function axisTableScatterAdd(
  g: Float32Array, gShape: readonly number[], tables: readonly Int32Array[],
  dst: Float32Array, dstStrides: readonly number[],
): void {
  const ndim = gShape.length;
  for (let i = 0; i < ndim; i++) counter[i] = 0;
  for (let o = 0; o < g.length; o++) {
    let s = 0;
    let inside = true;
    for (let i = 0; i < ndim; i++) {
      const t = tables[i]![counter[i]!]!;
      if (t < 0) inside = false;
      s += t * dstStrides[i]!;
    }
    if (inside) dst[s]! += g[o]!;
    for (let axis = ndim - 1; axis >= 0; axis--) {
      if (++counter[axis]! < gShape[axis]!) break;
      counter[axis] = 0;
    }
  }
}

/** out[i] = cond[floor(i / inner)] != 0 ? x[i] : y[i] (inner = 1 when cond has out's shape). */
export function whereSelect(cond: Float32Array, x: Float32Array, y: Float32Array, out: Float32Array, inner: number, req: Req): void {
  if (req === 'null') return;
  for (let i = 0; i < out.length; i++) {
    const v = cond[Math.floor(i / inner)] !== 0 ? x[i]! : y[i]!;
    out[i] = req === 'add' ? out[i]! + v : v;
  }
}

/** Where's gradient to x (`toX`) or to y: g where the condition picks that side, 0 elsewhere. */
export function whereGrad(cond: Float32Array, g: Float32Array, grad: Float32Array, inner: number, toX: boolean, req: Req): void {
  if (req === 'null') return;
  for (let i = 0; i < grad.length; i++) {
    const v = (cond[Math.floor(i / inner)] !== 0) === toX ? g[i]! : 0;
    grad[i] = req === 'add' ? grad[i]! + v : v;
  }
}

/** out[j] = sum_i data[i * n + j] * strides[i] (flat index of the j-th column of coordinates). */
export function ravelIndex(data: Float32Array, strides: readonly number[], out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const n = out.length;
  for (let j = 0; j < n; j++) {
    let flat = 0;
    for (let i = 0; i < strides.length; i++) flat += Math.trunc(data[i * n + j]!) * strides[i]!;
    out[j] = req === 'add' ? out[j]! + flat : flat;
  }
}

/** out[i * n + j] = coordinate i of flat index data[j] in `shape` (row-major). */
export function unravelIndex(data: Float32Array, shape: readonly number[], out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const n = data.length;
  for (let j = 0; j < n; j++) {
    let rest = Math.trunc(data[j]!);
    for (let i = shape.length - 1; i >= 0; i--) {
      const v = rest % shape[i]!;
      rest = Math.trunc(rest / shape[i]!);
      out[i * n + j] = req === 'add' ? out[i * n + j]! + v : v;
    }
  }
}

export const shapeKernels = {
  fillConstant,
  copyValues,
  fillRange,
  fillLinspace,
  fillEye,
  stridedCopy,
  axisTableGather,
  axisTableScatterAdd,
  whereSelect,
  whereGrad,
  ravelIndex,
  unravelIndex,
};
