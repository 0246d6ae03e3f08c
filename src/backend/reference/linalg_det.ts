/**
 * Inverse and determinant kernels over batches of contiguous n x n matrices, from an LU
 * factorization with partial pivoting (LAPACK getrf) computed in float64 scratch and rounded once
 * when stored, so float32 results match MXNet's LAPACK-based ones to float32 precision.
 */
import type { Req } from '../../base/req';
import { f64Scratch, load, luFactor, luInverse, matmul, store } from './linalg_dense';

/** out = A^-1 for each matrix (a singular matrix gives infinities/NaN, as getri does). Scratch: 2 n^2 + n. */
function linalgInverse(a: Float32Array, n: number, batch: number, out: Float32Array, req: Req, workspace: Float32Array): void {
  if (req === 'null') return;
  const s = f64Scratch(workspace, 2 * n * n + n);
  const lu = s.subarray(0, n * n);
  const inv = s.subarray(n * n, 2 * n * n);
  const pivots = s.subarray(2 * n * n);
  for (let m = 0; m < batch; m++) {
    load(a, m * n * n, n, n, n, lu);
    luFactor(lu, n, pivots);
    luInverse(lu, n, pivots, inv);
    store(inv, n, n, out, m * n * n, n, req);
  }
}

/** Gradient of B = inverse(A): dA = -B^T dB B^T. Scratch: 3 n^2 doubles. */
function linalgInverseBackward(dOut: Float32Array, inv: Float32Array, n: number, batch: number, da: Float32Array, req: Req, workspace: Float32Array): void {
  if (req === 'null') return;
  const s = f64Scratch(workspace, 3 * n * n);
  const bf = s.subarray(0, n * n);
  const g = s.subarray(n * n, 2 * n * n);
  const w = s.subarray(2 * n * n, 3 * n * n);
  for (let m = 0; m < batch; m++) {
    load(inv, m * n * n, n, n, n, bf);
    load(dOut, m * n * n, n, n, n, g);
    matmul(g, n, n, false, bf, n, n, true, 1, w, 0);
    matmul(bf, n, n, true, w, n, n, false, -1, g, 0);
    store(g, n, n, da, m * n * n, n, req);
  }
}

/** What the determinant kernel writes: det(A), or sign(det(A)) and log|det(A)|. */
export type DeterminantMode = 'det' | 'slogdet';

/**
 * Per matrix: mode 'det' writes det(A) to first; 'slogdet' writes sign to first and log|det| to
 * second (sign 0 and -inf for a singular matrix). lu receives the LU factors and pivots the
 * 1-based row swaps (getrf's ipiv), the hidden outputs MXNet keeps. det = sign * exp(log|det|),
 * as MXNet forms it. Scratch: n^2 + n doubles.
 */
function linalgDeterminant(
  a: Float32Array, n: number, batch: number, mode: DeterminantMode,
  first: Float32Array, second: Float32Array | null, lu: Float32Array, pivots: Float32Array, req: readonly Req[], workspace: Float32Array,
): void {
  const s = f64Scratch(workspace, n * n + n);
  const x = s.subarray(0, n * n);
  const piv = s.subarray(n * n);
  const put = (out: Float32Array, at: number, v: number, r: Req | undefined) => {
    if (r === 'write') out[at] = v;
    else if (r === 'add') out[at] = out[at]! + v;
  };
  for (let m = 0; m < batch; m++) {
    load(a, m * n * n, n, n, n, x);
    const swaps = luFactor(x, n, piv);
    let sign = swaps % 2 === 1 ? -1 : 1;
    let logAbs = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i * n + i]!;
      sign *= d > 0 ? 1 : d < 0 ? -1 : 0;
      logAbs += Math.log(Math.abs(d));
    }
    if (mode === 'det') put(first, m, sign * Math.exp(logAbs), req[0]);
    else {
      put(first, m, sign, req[0]);
      if (second) put(second, m, logAbs, req[1]);
    }
    const luReq = req[mode === 'det' ? 1 : 2] ?? 'write';
    store(x, n, n, lu, m * n * n, n, luReq);
    const pivReq = req[mode === 'det' ? 2 : 3] ?? 'write';
    for (let i = 0; i < n; i++) put(pivots, m * n + i, piv[i]! + 1, pivReq);
  }
}

/**
 * Gradient of det / slogdet (Jacobi's formula): dA = g * det * A^-T ('det') or g * A^-T
 * ('slogdet', g the gradient of log|det|); zero for matrices whose det is 0 (log|det| = -inf),
 * as MXNet stops it there. value holds det or log|det|. Scratch: 2 n^2 + n doubles.
 */
function linalgDeterminantBackward(
  mode: DeterminantMode, g: Float32Array, value: Float32Array, a: Float32Array, n: number, batch: number,
  da: Float32Array, req: Req, workspace: Float32Array,
): void {
  if (req === 'null') return;
  const s = f64Scratch(workspace, 2 * n * n + n);
  const lu = s.subarray(0, n * n);
  const inv = s.subarray(n * n, 2 * n * n);
  const piv = s.subarray(2 * n * n);
  for (let m = 0; m < batch; m++) {
    const v = value[m]!;
    const singular = mode === 'det' ? v === 0 : v === -Infinity;
    if (singular) inv.fill(0);
    else {
      load(a, m * n * n, n, n, n, lu);
      luFactor(lu, n, piv);
      luInverse(lu, n, piv, inv);
    }
    const factor = singular ? 0 : g[m]! * (mode === 'det' ? v : 1);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const at = m * n * n + r * n + c;
        const grad = factor * inv[c * n + r]!;
        da[at] = req === 'add' ? da[at]! + grad : grad;
      }
    }
  }
}

export const linalgDetKernels = { linalgInverse, linalgInverseBackward, linalgDeterminant, linalgDeterminantBackward };
