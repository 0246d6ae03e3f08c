/**
 * Gather/scatter kernels for take, pick, batch_take, gather_nd, scatter_nd and the contrib index
 * ops. Indices arrive as floats and are truncated toward zero, as MXNet's integer casts do.
 * Tensors are viewed as (outer, n, inner) around the indexed axis.
 */
import type { Req } from '../../base/req';

export type IndexMode = 'clip' | 'wrap';

function put(out: Float32Array, at: number, v: number, req: Req): void {
  if (req === 'add') out[at]! += v;
  else if (req === 'write') out[at] = v;
}

/** A float index made a position in [0, n): clipped to the ends, or wrapped around. */
function resolveIndex(raw: number, n: number, mode: IndexMode): number {
  const j = Math.trunc(raw);
  if (mode === 'clip') return j <= 0 ? 0 : j >= n ? n - 1 : j;
  const w = j % n;
  return w < 0 ? w + n : w;
}

/** out (outer, m, inner) = a (outer, n, inner) at the m positions `idx` names along the middle axis. */
function takeAxis(a: Float32Array, outer: number, n: number, inner: number, idx: Float32Array, mode: IndexMode, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const m = idx.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const src = (o * n + resolveIndex(idx[j]!, n, mode)) * inner;
      const dst = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) put(out, dst + i, a[src + i]!, req);
    }
  }
}

/** The gradient of takeAxis: each g row accumulates into the row of `da` it was taken from. */
function takeAxisGrad(g: Float32Array, outer: number, n: number, inner: number, idx: Float32Array, mode: IndexMode, da: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') da.fill(0);
  const m = idx.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const dst = (o * n + resolveIndex(idx[j]!, n, mode)) * inner;
      const src = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) da[dst + i]! += g[src + i]!;
    }
  }
}

/** out (outer, inner) = x (outer, n, inner) at the one position per lane that idx (outer, inner) names. */
function pickAxis(x: Float32Array, outer: number, n: number, inner: number, idx: Float32Array, mode: IndexMode, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = o * inner + i;
      put(out, at, x[(o * n + resolveIndex(idx[at]!, n, mode)) * inner + i]!, req);
    }
  }
}

function pickAxisGrad(g: Float32Array, outer: number, n: number, inner: number, idx: Float32Array, mode: IndexMode, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') dx.fill(0);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = o * inner + i;
      dx[(o * n + resolveIndex(idx[at]!, n, mode)) * inner + i]! += g[at]!;
    }
  }
}

/**
 * Offsets of the slices gather_nd / scatter_nd address: indices (M, N) pick N points in the
 * first M axes of `shape`; each point starts a contiguous slice of K elements. Negative indices
 * count from the end (gather_nd's rule); callers have checked the range.
 */
function ndOffset(indices: Float32Array, shape: readonly number[], m: number, count: number, point: number, sliceSize: number): number {
  let offset = 0;
  let stride = sliceSize;
  for (let axis = m - 1; axis >= 0; axis--) {
    const dim = shape[axis]!;
    const j = Math.trunc(indices[axis * count + point]!);
    offset += stride * (j < 0 ? j + dim : j);
    stride *= dim;
  }
  return offset;
}

/** out (N, K) = data at the N points indices (M, N) names in data's first M axes. */
function gatherNd(data: Float32Array, dataShape: readonly number[], indices: Float32Array, m: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const count = indices.length / m;
  const slice = out.length / count;
  for (let p = 0; p < count; p++) {
    const src = ndOffset(indices, dataShape, m, count, p, slice);
    for (let j = 0; j < slice; j++) put(out, p * slice + j, data[src + j]!, req);
  }
}

/**
 * out (outShape) = data (N, K) placed at the N points indices (M, N) names; 'write' zeroes out
 * first. `accumulate` adds repeated points (gather_nd's gradient) instead of letting the last win.
 */
function scatterNd(data: Float32Array, indices: Float32Array, m: number, outShape: readonly number[], accumulate: boolean, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') out.fill(0);
  const count = indices.length / m;
  const slice = data.length / count;
  for (let p = 0; p < count; p++) {
    const dst = ndOffset(indices, outShape, m, count, p, slice);
    for (let j = 0; j < slice; j++) {
      const v = data[p * slice + j]!;
      if (accumulate || req === 'add') out[dst + j]! += v;
      else out[dst + j] = v;
    }
  }
}

/** out[r] = a[r, clip(idx[r])] for rows of length m (batch_take). */
function batchTakeRows(a: Float32Array, m: number, idx: Float32Array, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let r = 0; r < out.length; r++) put(out, r, a[r * m + resolveIndex(idx[r]!, m, 'clip')]!, req);
}

/** out (shape..., axes.length) holds each element's coordinates along `axes`. */
function indexArrayFill(shape: readonly number[], axes: readonly number[], out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const ndim = shape.length;
  const coord = new Array<number>(ndim).fill(0);
  const size = out.length / Math.max(axes.length, 1);
  for (let e = 0; e < size; e++) {
    axes.forEach((axis, j) => put(out, e * axes.length + j, coord[axis]!, req));
    for (let axis = ndim - 1; axis >= 0; axis--) {
      if (++coord[axis]! < shape[axis]!) break;
      coord[axis] = 0;
    }
  }
}

/**
 * Copies rows of `rowSize` between a whole tensor and a row list: `toRows` gathers whole[idx[r]]
 * into rows[r], otherwise rows[r] goes into whole[idx[r]]. `zeroRows` instead zeroes whole's
 * indexed rows (the old tensor's gradient in index_copy).
 */
function indexedRows(whole: Float32Array, rows: Float32Array | null, idx: Float32Array, rowSize: number, direction: 'toRows' | 'toWhole' | 'zeroRows', req: Req): void {
  if (req === 'null') return;
  for (let r = 0; r < idx.length; r++) {
    const w = Math.trunc(idx[r]!) * rowSize;
    for (let j = 0; j < rowSize; j++) {
      if (direction === 'toRows') put(rows!, r * rowSize + j, whole[w + j]!, req);
      else if (direction === 'toWhole') put(whole, w + j, rows![r * rowSize + j]!, req);
      else whole[w + j] = 0;
    }
  }
}

/** out = the slices of data (outer, n, inner) whose mask entry is non-zero, in order (boolean_mask). */
function maskedSlices(data: Float32Array, outer: number, n: number, inner: number, mask: Float32Array, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  let kept = 0;
  for (let j = 0; j < n; j++) if (mask[j] !== 0) kept++;
  let dst = 0;
  for (let j = 0; j < n; j++) {
    if (mask[j] === 0) continue;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) put(out, (o * kept + dst) * inner + i, data[(o * n + j) * inner + i]!, req);
    }
    dst++;
  }
}

export const orderingGatherKernels = {
  takeAxis, takeAxisGrad, pickAxis, pickAxisGrad, gatherNd, scatterNd, batchTakeRows, indexArrayFill, indexedRows, maskedSlices,
};
