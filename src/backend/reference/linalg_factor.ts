/**
 * Factorization kernels (potrf, potri, gelqf, syevd) and their gradients over batches of
 * contiguous matrices. Everything runs in float64 scratch (the op's workspace) and is rounded
 * once when stored: MXNet computes these with LAPACK, whose float32 results agree with a
 * float64 computation to float32 precision for well-conditioned inputs.
 */
import type { Req } from '../../base/req';
import { lqFactor, symmetricEigen } from './linalg_decompose';
import { cholesky, f64Scratch, load, maskTriangle, matmul, mirrorTriangle, solveTriangular, store } from './linalg_dense';

/** Loads the n x n matrix at base transposed (the upper-triangle cases work on the transpose). */
function loadTransposed(src: Float32Array, base: number, n: number, dst: Float64Array): void {
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) dst[r * n + c] = src[base + c * n + r]!;
}

function transposeInPlace(x: Float64Array, n: number): void {
  for (let r = 0; r < n; r++) {
    for (let c = r + 1; c < n; c++) {
      const tmp = x[r * n + c]!;
      x[r * n + c] = x[c * n + r]!;
      x[c * n + r] = tmp;
    }
  }
}

/**
 * out = the Cholesky factor of each n x n matrix (lower: A = L L^T from A's lower triangle;
 * upper: A = U^T U from its upper triangle), zeros elsewhere. Returns the index of the first
 * matrix that is not positive definite, or -1. Scratch: n * n doubles.
 */
function linalgPotrf(a: Float32Array, n: number, lower: boolean, batch: number, out: Float32Array, req: Req, workspace: Float32Array): number {
  const x = f64Scratch(workspace, n * n);
  for (let m = 0; m < batch; m++) {
    if (lower) load(a, m * n * n, n, n, n, x);
    else loadTransposed(a, m * n * n, n, x);
    if (!cholesky(x, n)) return m;
    if (!lower) transposeInPlace(x, n);
    store(x, n, n, out, m * n * n, n, req);
  }
  return -1;
}

/**
 * Gradient of B = potrf(A): lower, dA = 0.5 B^-T sym(B^T dB) B^-1 with sym copying the lower
 * triangle onto the upper; upper, dA = 0.5 B^-1 sym(dB B^T) B^-T from the upper triangle.
 * Scratch: 3 n^2 doubles.
 */
function linalgPotrfBackward(b: Float32Array, db: Float32Array, n: number, lower: boolean, batch: number, da: Float32Array, req: Req, workspace: Float32Array): void {
  if (req === 'null') return;
  const s = f64Scratch(workspace, 3 * n * n);
  const bf = s.subarray(0, n * n);
  const g = s.subarray(n * n, 2 * n * n);
  const w = s.subarray(2 * n * n, 3 * n * n);
  for (let m = 0; m < batch; m++) {
    const base = m * n * n;
    load(b, base, n, n, n, bf);
    load(db, base, n, n, n, g);
    if (lower) matmul(bf, n, n, true, g, n, n, false, 1, w, 0);
    else matmul(g, n, n, false, bf, n, n, true, 1, w, 0);
    mirrorTriangle(w, n, lower);
    if (lower) {
      solveTriangular(b, base, n, true, true, false, w, n, n);
      solveTriangular(b, base, n, true, false, true, w, n, n);
    } else {
      solveTriangular(b, base, n, false, false, false, w, n, n);
      solveTriangular(b, base, n, false, true, true, w, n, n);
    }
    for (let i = 0; i < n * n; i++) w[i] = 0.5 * w[i]!;
    store(w, n, n, da, base, n, req);
  }
}

/**
 * out = (B B^T)^-1 (lower) or (B^T B)^-1 (upper) from the triangle of each Cholesky factor B.
 * Returns the index of the first factor with a zero diagonal entry, or -1. Scratch: 2 n^2.
 */
function linalgPotri(b: Float32Array, n: number, lower: boolean, batch: number, out: Float32Array, req: Req, workspace: Float32Array): number {
  const s = f64Scratch(workspace, 2 * n * n);
  const inv = s.subarray(0, n * n);
  const result = s.subarray(n * n, 2 * n * n);
  for (let m = 0; m < batch; m++) {
    const base = m * n * n;
    for (let i = 0; i < n; i++) if (b[base + i * n + i] === 0) return m;
    inv.fill(0);
    for (let i = 0; i < n; i++) inv[i * n + i] = 1;
    solveTriangular(b, base, n, lower, false, false, inv, n, n);
    if (lower) matmul(inv, n, n, true, inv, n, n, false, 1, result, 0);
    else matmul(inv, n, n, false, inv, n, n, true, 1, result, 0);
    store(result, n, n, out, base, n, req);
  }
  return -1;
}

/**
 * Gradient of A = potri(B): lower, dB = -tril(A (dA + dA^T) B^-T); upper,
 * dB = -triu(B^-T (dA + dA^T) A). Scratch: 3 n^2 doubles.
 */
function linalgPotriBackward(dOut: Float32Array, b: Float32Array, a: Float32Array, n: number, lower: boolean, batch: number, db: Float32Array, req: Req, workspace: Float32Array): void {
  if (req === 'null') return;
  const s = f64Scratch(workspace, 3 * n * n);
  const af = s.subarray(0, n * n);
  const sym = s.subarray(n * n, 2 * n * n);
  const w = s.subarray(2 * n * n, 3 * n * n);
  for (let m = 0; m < batch; m++) {
    const base = m * n * n;
    load(a, base, n, n, n, af);
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) sym[r * n + c] = dOut[base + r * n + c]! + dOut[base + c * n + r]!;
    if (lower) {
      matmul(af, n, n, false, sym, n, n, false, -1, w, 0);
      solveTriangular(b, base, n, true, true, true, w, n, n);
    } else {
      matmul(sym, n, n, false, af, n, n, false, -1, w, 0);
      solveTriangular(b, base, n, false, true, false, w, n, n);
    }
    maskTriangle(w, n, lower);
    store(w, n, n, db, base, n, req);
  }
}

/** (Q, L) = the LQ factorization of each m x n (m <= n) matrix, LAPACK's signs. Scratch: 3mn + m^2 + m. */
function linalgGelqf(a: Float32Array, m: number, n: number, batch: number, q: Float32Array, reqQ: Req, l: Float32Array, reqL: Req, workspace: Float32Array): void {
  const s = f64Scratch(workspace, 3 * m * n + m * m + m);
  const work = s.subarray(0, m * n);
  const qf = s.subarray(m * n, 2 * m * n);
  const reflectors = s.subarray(2 * m * n, 3 * m * n);
  const lf = s.subarray(3 * m * n, 3 * m * n + m * m);
  const tau = s.subarray(3 * m * n + m * m);
  for (let i = 0; i < batch; i++) {
    load(a, i * m * n, n, m, n, work);
    lqFactor(work, m, n, lf, qf, tau, reflectors);
    store(qf, m, n, q, i * m * n, n, reqQ);
    store(lf, m, m, l, i * m * m, m, reqL);
  }
}

/**
 * Gradient of (Q, L) = gelqf(A): dA = L^-T (dQ + sym(M) Q) with M = L^T dL - dQ Q^T and sym
 * copying M's lower triangle onto its upper. Scratch: 3 m^2 + 3 mn doubles.
 */
function linalgGelqfBackward(
  dq: Float32Array, dl: Float32Array, q: Float32Array, l: Float32Array, m: number, n: number, batch: number,
  da: Float32Array, req: Req, workspace: Float32Array,
): void {
  if (req === 'null') return;
  const s = f64Scratch(workspace, 3 * m * m + 3 * m * n);
  const lf = s.subarray(0, m * m);
  const dlf = s.subarray(m * m, 2 * m * m);
  const mm = s.subarray(2 * m * m, 3 * m * m);
  const qf = s.subarray(3 * m * m, 3 * m * m + m * n);
  const dqf = s.subarray(3 * m * m + m * n, 3 * m * m + 2 * m * n);
  const d = s.subarray(3 * m * m + 2 * m * n, 3 * m * m + 3 * m * n);
  for (let i = 0; i < batch; i++) {
    load(l, i * m * m, m, m, m, lf);
    load(dl, i * m * m, m, m, m, dlf);
    load(q, i * m * n, n, m, n, qf);
    load(dq, i * m * n, n, m, n, dqf);
    matmul(lf, m, m, true, dlf, m, m, false, 1, mm, 0);
    matmul(dqf, m, n, false, qf, m, n, true, -1, mm, 1);
    mirrorTriangle(mm, m, true);
    d.set(dqf);
    matmul(mm, m, m, false, qf, m, n, false, 1, d, 1);
    solveTriangular(l, i * m * m, m, true, true, false, d, m, n);
    store(d, m, n, da, i * m * n, n, req);
  }
}

/**
 * (U, lambda) = the eigen-decomposition of each symmetric n x n matrix (its lower triangle):
 * U A = diag(lambda) U, rows of U orthonormal, lambda ascending. Each row of U is signed so that
 * its largest-magnitude entry (the first on a tie, compared in float32) is positive, as MXNet
 * does. Scratch: 3 n^2 + 2n doubles.
 */
function linalgSyevd(a: Float32Array, n: number, batch: number, u: Float32Array, reqU: Req, lambda: Float32Array, reqL: Req, workspace: Float32Array): void {
  const s = f64Scratch(workspace, 3 * n * n + 2 * n);
  const sym = s.subarray(0, n * n);
  const vectors = s.subarray(n * n, 2 * n * n);
  const rotated = s.subarray(2 * n * n, 3 * n * n);
  const values = s.subarray(3 * n * n, 3 * n * n + n);
  const order = s.subarray(3 * n * n + n);
  for (let m = 0; m < batch; m++) {
    const base = m * n * n;
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) sym[r * n + c] = r >= c ? a[base + r * n + c]! : a[base + c * n + r]!;
    symmetricEigen(sym, n, values, vectors, order, rotated);
    for (let r = 0; r < n; r++) {
      let best = 0;
      for (let k = 1; k < n; k++) if (Math.abs(Math.fround(vectors[r * n + k]!)) > Math.abs(Math.fround(vectors[r * n + best]!))) best = k;
      if (Math.fround(vectors[r * n + best]!) < 0) for (let k = 0; k < n; k++) vectors[r * n + k] = -vectors[r * n + k]!;
    }
    store(vectors, n, n, u, base, n, reqU);
    store(values, 1, n, lambda, m * n, n, reqL);
  }
}

/**
 * Gradient of (U, lambda) = syevd(A): dA = U^T Y U with X = dU U^T, Y_ij = Y_ji =
 * (X_ij - X_ji) / (2 max(lambda_i - lambda_j, 1e-30)) for i > j and Y_ii = dlambda_i.
 * Scratch: 4 n^2 doubles.
 */
function linalgSyevdBackward(
  du: Float32Array, dlambda: Float32Array, u: Float32Array, lambda: Float32Array, n: number, batch: number,
  da: Float32Array, req: Req, workspace: Float32Array,
): void {
  if (req === 'null') return;
  const s = f64Scratch(workspace, 4 * n * n);
  const uf = s.subarray(0, n * n);
  const duf = s.subarray(n * n, 2 * n * n);
  const x = s.subarray(2 * n * n, 3 * n * n);
  const y = s.subarray(3 * n * n, 4 * n * n);
  for (let m = 0; m < batch; m++) {
    const base = m * n * n;
    load(u, base, n, n, n, uf);
    load(du, base, n, n, n, duf);
    matmul(duf, n, n, false, uf, n, n, true, 1, x, 0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const gap = Math.max(lambda[m * n + i]! - lambda[m * n + j]!, 1e-30);
        y[i * n + j] = y[j * n + i] = (x[i * n + j]! - x[j * n + i]!) / (2 * gap);
      }
      y[i * n + i] = dlambda[m * n + i]!;
    }
    matmul(uf, n, n, true, y, n, n, false, 1, duf, 0);
    matmul(duf, n, n, false, uf, n, n, false, 1, x, 0);
    store(x, n, n, da, base, n, req);
  }
}

export const linalgFactorKernels = {
  linalgPotrf, linalgPotrfBackward, linalgPotri, linalgPotriBackward, linalgGelqf, linalgGelqfBackward, linalgSyevd, linalgSyevdBackward,
};
