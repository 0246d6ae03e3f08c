/**
 * Matrix-structure kernels: diagonals (diag) and the column-wise Khatri-Rao product.
 */
import type { Req } from '../../base/req';

function put(out: Float32Array, at: number, v: number, req: Req): void {
  if (req === 'add') out[at]! += v;
  else if (req === 'write') out[at] = v;
}

/**
 * Walks diagonal k of the (axis1, axis2) planes of `shape`: visit(flat offset in the full tensor,
 * flat position in the diagonal layout = other axes in order, then the diagonal index).
 */
function forEachDiagonal(shape: readonly number[], axis1: number, axis2: number, k: number, visit: (full: number, diag: number) => void): void {
  const ndim = shape.length;
  const strides = new Array<number>(ndim);
  let stride = 1;
  for (let axis = ndim - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis]!;
  }
  const rowStart = k < 0 ? -k : 0;
  const colStart = k > 0 ? k : 0;
  const length = Math.max(0, Math.min(shape[axis1]! - rowStart, shape[axis2]! - colStart));
  const others = shape.map((_, axis) => axis).filter((axis) => axis !== axis1 && axis !== axis2);
  const coord = new Array<number>(others.length).fill(0);
  const planes = others.reduce((p, axis) => p * shape[axis]!, 1);
  const step = strides[axis1]! + strides[axis2]!;
  for (let p = 0; p < planes; p++) {
    let base = rowStart * strides[axis1]! + colStart * strides[axis2]!;
    others.forEach((axis, j) => (base += coord[j]! * strides[axis]!));
    for (let d = 0; d < length; d++) visit(base + d * step, p * length + d);
    for (let j = others.length - 1; j >= 0; j--) {
      if (++coord[j]! < shape[others[j]!]!) break;
      coord[j] = 0;
    }
  }
}

/** out (other axes..., length) = the k-th diagonal of x's (axis1, axis2) planes. */
function diagExtract(x: Float32Array, shape: readonly number[], axis1: number, axis2: number, k: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  forEachDiagonal(shape, axis1, axis2, k, (full, diag) => put(out, diag, x[full]!, req));
}

/** out (shape) = zeros with the k-th diagonal of its (axis1, axis2) planes set from d ('add' adds d there). */
function diagEmbed(d: Float32Array, shape: readonly number[], axis1: number, axis2: number, k: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') out.fill(0);
  forEachDiagonal(shape, axis1, axis2, k, (full, diag) => (out[full]! += d[diag]!));
}

/**
 * out (prod rows, cols): column c is the Kronecker product of the matrices' columns c, the first
 * matrix varying slowest.
 */
function khatriRao(mats: readonly Float32Array[], rows: readonly number[], cols: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const total = rows.reduce((p, r) => p * r, 1);
  for (let r = 0; r < total; r++) {
    for (let c = 0; c < cols; c++) {
      let v = 1;
      let rest = r;
      for (let m = mats.length - 1; m >= 0; m--) {
        v *= mats[m]![(rest % rows[m]!) * cols + c]!;
        rest = Math.floor(rest / rows[m]!);
      }
      put(out, r * cols + c, v, req);
    }
  }
}

export const orderingMatrixKernels = { diagExtract, diagEmbed, khatriRao };
