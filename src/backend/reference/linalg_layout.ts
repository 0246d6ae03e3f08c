/**
 * Linalg kernels that move entries between square matrices and vectors (diagonals, triangles)
 * and sumlogdiag, over batches of contiguous n x n matrices.
 */
import type { Req } from '../../base/req';

function put(out: Float32Array, at: number, v: number, req: Req): void {
  if (req === 'add') out[at] = out[at]! + v;
  else if (req === 'write') out[at] = v;
}

/** out[b] = sum_i log(A_ii) (summed in float64). */
function linalgSumLogDiag(a: Float32Array, n: number, batch: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let m = 0; m < batch; m++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.log(a[m * n * n + i * n + i]!);
    put(out, m, sum, req);
  }
}

/** dA_ii = g[b] / A_ii, zero off the diagonal. */
function linalgSumLogDiagBackward(g: Float32Array, a: Float32Array, n: number, batch: number, da: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let m = 0; m < batch; m++) {
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const at = m * n * n + r * n + c;
        put(da, at, r === c ? g[m]! / a[at]! : 0, req);
      }
    }
  }
}

/** Flat offset in an n x n matrix of entry i of diagonal `offset` (> 0 above the main one). */
const diagonalAt = (n: number, offset: number, i: number) => (i + Math.max(-offset, 0)) * n + i + Math.max(offset, 0);

/** out (batch, n - |offset|) = diagonal `offset` of each n x n matrix. */
function linalgExtractDiag(a: Float32Array, n: number, offset: number, batch: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const length = n - Math.abs(offset);
  for (let m = 0; m < batch; m++) for (let i = 0; i < length; i++) put(out, m * length + i, a[m * n * n + diagonalAt(n, offset, i)]!, req);
}

/** out (batch, n, n) = zeros with d's rows on diagonal `offset` (n = length + |offset|). */
function linalgMakeDiag(d: Float32Array, n: number, offset: number, batch: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') out.fill(0);
  const length = n - Math.abs(offset);
  for (let m = 0; m < batch; m++) for (let i = 0; i < length; i++) out[m * n * n + diagonalAt(n, offset, i)] = out[m * n * n + diagonalAt(n, offset, i)]! + d[m * length + i]!;
}

/**
 * Position of matrix entry (r, c) in the packed triangle (MXNet's CopyTrian), or -1 outside it.
 * Lower triangles (offset < 0, or 0 and lower) pack row by row; upper ones (offset > 0, or 0 and
 * upper) pack column by column, i.e. row by row of the transpose.
 */
function packedIndex(offset: number, lower: boolean, r: number, c: number): number {
  let [row, col] = offset > 0 || (offset === 0 && !lower) ? [c, r] : [r, c];
  row -= Math.abs(offset);
  return row >= col ? (row * (row + 1)) / 2 + col : -1;
}

/** Entries of the packed triangle of an n x n matrix with this offset. */
export const packedSize = (n: number, offset: number) => ((n - Math.abs(offset)) * (n - Math.abs(offset) + 1)) / 2;

/** out (batch, packed) = the triangle (offset, lower) of each n x n matrix. */
function linalgExtractTrian(a: Float32Array, n: number, offset: number, lower: boolean, batch: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const size = packedSize(n, offset);
  for (let m = 0; m < batch; m++) {
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const index = packedIndex(offset, lower, r, c);
        if (index >= 0) put(out, m * size + index, a[m * n * n + r * n + c]!, req);
      }
    }
  }
}

/** out (batch, n, n) = each packed triangle unpacked, zeros elsewhere. */
function linalgMakeTrian(v: Float32Array, n: number, offset: number, lower: boolean, batch: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const size = packedSize(n, offset);
  for (let m = 0; m < batch; m++) {
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const index = packedIndex(offset, lower, r, c);
        put(out, m * n * n + r * n + c, index >= 0 ? v[m * size + index]! : 0, req);
      }
    }
  }
}

export const linalgLayoutKernels = {
  linalgSumLogDiag, linalgSumLogDiagBackward, linalgExtractDiag, linalgMakeDiag, linalgExtractTrian, linalgMakeTrian,
};
