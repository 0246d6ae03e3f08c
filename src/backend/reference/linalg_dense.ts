/**
 * Float64 dense-matrix routines shared by the linalg kernel families (not a kernel family itself).
 * Matrices are row-major; an f32 operand is read at `base` with `rowStride`, an f64 scratch
 * matrix is contiguous. The linalg kernels compute in float64 and round once when they store:
 * LAPACK-backed MXNet results (Cholesky, LQ, eigenvectors, LU) then match to float32 precision
 * whatever order of operations LAPACK used.
 */
import type { Req } from '../../base/req';

/** Whether (r, c) lies in the lower (upper) triangle, diagonal included. */
export const inTriangle = (lower: boolean, r: number, c: number): boolean => (lower ? r >= c : r <= c);

/**
 * A float64 view of `count` doubles over the op's float32 workspace (which holds 2 * count + 2
 * floats, see `f64WorkspaceFloats` in ops/linalg/common.ts), aligned to 8 bytes.
 */
export function f64Scratch(workspace: Float32Array, count: number): Float64Array {
  const start = Math.ceil(workspace.byteOffset / 8) * 8;
  return new Float64Array(workspace.buffer, start, count);
}

/** dst (rows x cols, contiguous f64) = src's matrix at base (row stride rowStride). */
export function load(src: ArrayLike<number>, base: number, rowStride: number, rows: number, cols: number, dst: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) dst[r * cols + c] = src[base + r * rowStride + c]!;
  }
}

/** dst's matrix at base = src (contiguous f64), honouring req. */
export function store(src: Float64Array, rows: number, cols: number, dst: Float32Array, base: number, rowStride: number, req: Req): void {
  if (req === 'null') return;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const at = base + r * rowStride + c;
      dst[at] = req === 'add' ? dst[at]! + src[r * cols + c]! : src[r * cols + c]!;
    }
  }
}

/**
 * out (m x n) = alpha * op(a) * op(b) + beta * out, where op transposes when asked; a is stored
 * aRows x aCols and b bRows x bCols. beta = 0 ignores what out held (BLAS semantics).
 */
export function matmul(
  a: Float64Array, aRows: number, aCols: number, transA: boolean,
  b: Float64Array, bRows: number, bCols: number, transB: boolean,
  alpha: number, out: Float64Array, beta: number,
): void {
  const m = transA ? aCols : aRows;
  const k = transA ? aRows : aCols;
  const n = transB ? bRows : bCols;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * aCols + i]! : a[i * aCols + p]!;
        const bv = transB ? b[j * bCols + p]! : b[p * bCols + j]!;
        sum += av * bv;
      }
      out[i * n + j] = beta === 0 ? alpha * sum : alpha * sum + beta * out[i * n + j]!;
    }
  }
}

/** Zeroes the part of the n x n matrix outside the triangle. */
export function maskTriangle(x: Float64Array, n: number, lower: boolean): void {
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (!inTriangle(lower, r, c)) x[r * n + c] = 0;
  }
}

/** Copies the given triangle onto the opposite one, making the n x n matrix symmetric. */
export function mirrorTriangle(x: Float64Array, n: number, fromLower: boolean): void {
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < r; c++) {
      if (fromLower) x[c * n + r] = x[r * n + c]!;
      else x[r * n + c] = x[c * n + r]!;
    }
  }
}

/**
 * Solves op(T) X = X (left) or X op(T) = X (right) in place, X rows x cols, with T the n x n
 * triangle of t at tBase (only that triangle is read, as BLAS trsm does).
 */
export function solveTriangular(
  t: ArrayLike<number>, tBase: number, n: number, lower: boolean, transpose: boolean, rightside: boolean,
  x: Float64Array, rows: number, cols: number,
): void {
  const op = (i: number, k: number) => (transpose ? t[tBase + k * n + i]! : t[tBase + i * n + k]!);
  const opLower = lower !== transpose;
  if (!rightside) {
    for (let j = 0; j < cols; j++) {
      for (let s = 0; s < n; s++) {
        const i = opLower ? s : n - 1 - s;
        let v = x[i * cols + j]!;
        if (opLower) for (let k = 0; k < i; k++) v -= op(i, k) * x[k * cols + j]!;
        else for (let k = i + 1; k < n; k++) v -= op(i, k) * x[k * cols + j]!;
        x[i * cols + j] = v / op(i, i);
      }
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < n; s++) {
      // x_r op(T) = b_r: with op(T) lower, column j involves x_k for k >= j, so go from the end.
      const j = opLower ? n - 1 - s : s;
      let v = x[r * cols + j]!;
      if (opLower) for (let k = j + 1; k < n; k++) v -= x[r * cols + k]! * op(k, j);
      else for (let k = 0; k < j; k++) v -= x[r * cols + k]! * op(k, j);
      x[r * cols + j] = v / op(j, j);
    }
  }
}

/** In-place lower Cholesky factor of the symmetric matrix whose lower triangle x holds; false if not positive definite. */
export function cholesky(x: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = x[j * n + j]!;
    for (let k = 0; k < j; k++) d -= x[j * n + k]! * x[j * n + k]!;
    if (!(d > 0)) return false;
    const root = Math.sqrt(d);
    x[j * n + j] = root;
    for (let i = j + 1; i < n; i++) {
      let v = x[i * n + j]!;
      for (let k = 0; k < j; k++) v -= x[i * n + k]! * x[j * n + k]!;
      x[i * n + j] = v / root;
    }
  }
  maskTriangle(x, n, true);
  return true;
}

/**
 * In-place LU factorization with partial pivoting (LAPACK getrf): x = P L U, L unit lower.
 * pivots[j] = the row swapped with j (0-based). A zero pivot column is left unscaled, as getrf does.
 * Returns the number of row swaps.
 */
export function luFactor(x: Float64Array, n: number, pivots: Float64Array): number {
  let swaps = 0;
  for (let j = 0; j < n; j++) {
    let p = j;
    for (let i = j + 1; i < n; i++) if (Math.abs(x[i * n + j]!) > Math.abs(x[p * n + j]!)) p = i;
    pivots[j] = p;
    if (p !== j) {
      swaps++;
      for (let c = 0; c < n; c++) {
        const tmp = x[j * n + c]!;
        x[j * n + c] = x[p * n + c]!;
        x[p * n + c] = tmp;
      }
    }
    const pivot = x[j * n + j]!;
    if (pivot !== 0) for (let i = j + 1; i < n; i++) x[i * n + j] = x[i * n + j]! / pivot;
    for (let i = j + 1; i < n; i++) {
      const l = x[i * n + j]!;
      if (l !== 0) for (let c = j + 1; c < n; c++) x[i * n + c] = x[i * n + c]! - l * x[j * n + c]!;
    }
  }
  return swaps;
}

/** inv (n x n) = the inverse of the matrix whose LU factors (luFactor) lu and pivots hold. */
export function luInverse(lu: Float64Array, n: number, pivots: Float64Array, inv: Float64Array): void {
  inv.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  // P^T applied to the identity's rows, in the order the swaps happened.
  for (let j = 0; j < n; j++) {
    const p = pivots[j]!;
    if (p === j) continue;
    for (let c = 0; c < n; c++) {
      const tmp = inv[j * n + c]!;
      inv[j * n + c] = inv[p * n + c]!;
      inv[p * n + c] = tmp;
    }
  }
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let v = inv[i * n + c]!;
      for (let k = 0; k < i; k++) v -= lu[i * n + k]! * inv[k * n + c]!;
      inv[i * n + c] = v;
    }
    for (let i = n - 1; i >= 0; i--) {
      let v = inv[i * n + c]!;
      for (let k = i + 1; k < n; k++) v -= lu[i * n + k]! * inv[k * n + c]!;
      inv[i * n + c] = v / lu[i * n + i]!;
    }
  }
}
