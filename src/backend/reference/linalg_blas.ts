/**
 * BLAS-3 style linalg kernels (gemm, trmm, trsm and trsm's gradient) over batches of matrices.
 * Sums and solves run in float64 and are rounded once when stored, so float32 results match
 * MXNet's (float32 BLAS) to float32 precision independently of summation order.
 */
import type { Req } from '../../base/req';
import { f64Scratch, inTriangle, load, solveTriangular, store } from './linalg_dense';

/**
 * Where matrix i of a batch lies (MXNet's LaOpFlatten with a row axis): the tensor is
 * (outer, rows, mid, cols); matrix i = (i / mid, i % mid) starts at
 * (i / mid) * rows * mid * cols + (i % mid) * cols, and its rows are mid * cols apart.
 */
export interface BatchLayout {
  readonly outer: number;
  readonly mid: number;
}

const baseOf = (i: number, rows: number, cols: number, layout: BatchLayout) =>
  Math.floor(i / layout.mid) * rows * layout.mid * cols + (i % layout.mid) * cols;

/** Which part of a square result is kept: elsewhere the result is 0 (trmm/trsm gradients of the triangle). */
export type Keep = 'all' | 'lower' | 'upper';

/**
 * out = alpha * op(A) * op(B) + beta * C for every matrix of the batch (C null: no C term);
 * A is stored aRows x aCols, B bRows x bCols. `keep` zeroes the result outside a triangle.
 */
function linalgGemm(
  a: Float32Array, aRows: number, aCols: number, transA: boolean,
  b: Float32Array, bRows: number, bCols: number, transB: boolean,
  c: Float32Array | null, alpha: number, beta: number,
  out: Float32Array, req: Req, layout: BatchLayout, keep: Keep = 'all',
): void {
  if (req === 'null') return;
  const m = transA ? aCols : aRows;
  const k = transA ? aRows : aCols;
  const n = transB ? bRows : bCols;
  const aStride = layout.mid * aCols;
  const bStride = layout.mid * bCols;
  const oStride = layout.mid * n;
  for (let batch = 0; batch < layout.outer * layout.mid; batch++) {
    const aBase = baseOf(batch, aRows, aCols, layout);
    const bBase = baseOf(batch, bRows, bCols, layout);
    const oBase = baseOf(batch, m, n, layout);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let value = 0;
        if (keep === 'all' || inTriangle(keep === 'lower', i, j)) {
          let sum = 0;
          for (let p = 0; p < k; p++) {
            const av = transA ? a[aBase + p * aStride + i]! : a[aBase + i * aStride + p]!;
            const bv = transB ? b[bBase + j * bStride + p]! : b[bBase + p * bStride + j]!;
            sum += av * bv;
          }
          value = alpha * sum;
          // BLAS ignores C when beta is 0 (NaN in C does not propagate).
          if (c && beta !== 0) value += beta * c[oBase + i * oStride + j]!;
        }
        const at = oBase + i * oStride + j;
        out[at] = req === 'add' ? out[at]! + value : value;
      }
    }
  }
}

/** out = alpha * x, element-wise. */
function linalgScale(x: Float32Array, alpha: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let i = 0; i < x.length; i++) out[i] = req === 'add' ? out[i]! + alpha * x[i]! : alpha * x[i]!;
}

/** Triangular-operand options shared by trmm and trsm (MXNet's LaTriangMatrixMultParam). */
export interface TriangularOptions {
  readonly lower: boolean;
  readonly transpose: boolean;
  readonly rightside: boolean;
  readonly alpha: number;
}

/**
 * out = alpha * op(A) * B (or alpha * B * op(A) rightside) for each of `batch` pairs, A n x n of
 * which only the `lower`/upper triangle is read, B rows x cols.
 */
function linalgTrmm(a: Float32Array, n: number, b: Float32Array, rows: number, cols: number, o: TriangularOptions, batch: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const tri = (base: number, r: number, c: number) => {
    const [i, j] = o.transpose ? [c, r] : [r, c];
    return inTriangle(o.lower, i, j) ? a[base + i * n + j]! : 0;
  };
  for (let m = 0; m < batch; m++) {
    const aBase = m * n * n;
    const bBase = m * rows * cols;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        let sum = 0;
        if (o.rightside) for (let p = 0; p < n; p++) sum += b[bBase + i * cols + p]! * tri(aBase, p, j);
        else for (let p = 0; p < n; p++) sum += tri(aBase, i, p) * b[bBase + p * cols + j]!;
        const at = bBase + i * cols + j;
        out[at] = req === 'add' ? out[at]! + o.alpha * sum : o.alpha * sum;
      }
    }
  }
}

/** out solves op(A) * out = alpha * B (or out * op(A) = alpha * B rightside). Scratch: rows * cols doubles. */
function linalgTrsm(a: Float32Array, n: number, b: Float32Array, rows: number, cols: number, o: TriangularOptions, batch: number, out: Float32Array, req: Req, workspace: Float32Array): void {
  if (req === 'null') return;
  const x = f64Scratch(workspace, rows * cols);
  for (let m = 0; m < batch; m++) {
    load(b, m * rows * cols, cols, rows, cols, x);
    for (let i = 0; i < rows * cols; i++) x[i] = o.alpha * x[i]!;
    solveTriangular(a, m * n * n, n, o.lower, o.transpose, o.rightside, x, rows, cols);
    store(x, rows, cols, out, m * rows * cols, cols, req);
  }
}

/**
 * Gradient of C = trsm(A, B): dB = trsm(A, dC) with op transposed; dA = -(1/alpha) dB C^T
 * (arranged by side and transpose, as MXNet's trsm_backward), kept on A's triangle.
 * Scratch: rows * cols doubles (dB before it is stored).
 */
function linalgTrsmBackward(
  dc: Float32Array, a: Float32Array, c: Float32Array, n: number, rows: number, cols: number, o: TriangularOptions, batch: number,
  da: Float32Array | null, reqA: Req, db: Float32Array | null, reqB: Req, workspace: Float32Array,
): void {
  const g = f64Scratch(workspace, rows * cols);
  const scale = -1 / o.alpha;
  const daLeft = o.rightside === o.transpose;
  for (let m = 0; m < batch; m++) {
    const bBase = m * rows * cols;
    const aBase = m * n * n;
    load(dc, bBase, cols, rows, cols, g);
    for (let i = 0; i < rows * cols; i++) g[i] = o.alpha * g[i]!;
    solveTriangular(a, aBase, n, o.lower, !o.transpose, o.rightside, g, rows, cols);
    if (db) store(g, rows, cols, db, bBase, cols, reqB);
    if (!da || reqA === 'null') continue;
    // dA (n x n): daLeft: op_t(G) * op_!t(C) ; else op_!t(C) * op_t(G); G and C are rows x cols.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let value = 0;
        if (inTriangle(o.lower, i, j)) {
          let sum = 0;
          if (daLeft) {
            // G^T C (transpose) or G C^T: inner dimension is rows (transpose) or cols.
            if (o.transpose) for (let p = 0; p < rows; p++) sum += g[p * cols + i]! * c[bBase + p * cols + j]!;
            else for (let p = 0; p < cols; p++) sum += g[i * cols + p]! * c[bBase + j * cols + p]!;
          } else if (o.transpose) {
            for (let p = 0; p < cols; p++) sum += c[bBase + i * cols + p]! * g[j * cols + p]!;
          } else {
            for (let p = 0; p < rows; p++) sum += c[bBase + p * cols + i]! * g[p * cols + j]!;
          }
          value = scale * sum;
        }
        const at = aBase + i * n + j;
        da[at] = reqA === 'add' ? da[at]! + value : value;
      }
    }
  }
}

export const linalgBlasKernels = { linalgGemm, linalgScale, linalgTrmm, linalgTrsm, linalgTrsmBackward };
