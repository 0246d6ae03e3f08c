/**
 * Naive float64 linear algebra for the linalg tests: plain nested arrays, textbook formulas,
 * written independently of the kernels (no shared code).
 */
import * as mx from 'mxts';

export type Mat = number[][];

export const transpose = (a: Mat): Mat => a[0]!.map((_, j) => a.map((row) => row[j]!));
export const matmul = (a: Mat, b: Mat): Mat => a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
export const scale = (a: Mat, s: number): Mat => a.map((row) => row.map((v) => v * s));
export const plus = (a: Mat, b: Mat): Mat => a.map((row, i) => row.map((v, j) => v + b[i]![j]!));
export const identity = (n: number): Mat => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
export const lowerPart = (a: Mat): Mat => a.map((row, i) => row.map((v, j) => (j <= i ? v : 0)));
export const upperPart = (a: Mat): Mat => a.map((row, i) => row.map((v, j) => (j >= i ? v : 0)));

/** Cholesky–Banachiewicz: lower L with L L^T = a. */
export function cholesky(a: Mat): Mat {
  const n = a.length;
  const l: Mat = a.map((row) => row.map(() => 0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = i === j ? Math.sqrt(s) : s / l[j]![j]!;
    }
  }
  return l;
}

/** Gauss-Jordan inverse with partial pivoting. */
export function inverse(a: Mat): Mat {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...identity(n)[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const d = m[c]![c]!;
    m[c] = m[c]!.map((v) => v / d);
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      m[r] = m[r]!.map((v, k) => v - f * m[c]![k]!);
    }
  }
  return m.map((row) => row.slice(n));
}

/** Determinant by Laplace expansion (small n only). */
export function det(a: Mat): number {
  if (a.length === 1) return a[0]![0]!;
  return a[0]!.reduce((s, v, j) => s + (j % 2 === 0 ? 1 : -1) * v * det(a.slice(1).map((row) => row.filter((_, k) => k !== j))), 0);
}

/** A seeded uniform matrix in [-1, 1). */
export const randomMatrix = (rows: number, cols: number): Mat => mx.nd.random.uniform(-1, 1, [rows, cols]).toArray() as Mat;

/** A well-conditioned symmetric positive definite matrix: M M^T + n I. */
export function randomSpd(n: number): Mat {
  const m = randomMatrix(n, n);
  return plus(matmul(m, transpose(m)), scale(identity(n), n));
}

/** The matrices of a batch as nested arrays (shape [..., rows, cols]). */
export function matricesOf(x: mx.NDArray): Mat[] {
  const rows = x.shape[x.shape.length - 2]!;
  const cols = x.shape[x.shape.length - 1]!;
  const out: Mat[] = [];
  for (let b = 0; b < x.size / (rows * cols); b++) {
    out.push(Array.from({ length: rows }, (_, r) => Array.from(x.data.slice(b * rows * cols + r * cols, b * rows * cols + (r + 1) * cols))));
  }
  return out;
}

export const flat = (ms: Mat[]): number[] => ms.flat(2);
