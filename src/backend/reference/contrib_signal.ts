/**
 * Signal-processing contrib kernels: row-wise discrete Fourier transforms in MXNet's interleaved
 * complex layout [re0, im0, re1, im1, ...] (contrib/fft, contrib/ifft, both unnormalized), and the
 * count sketch projection (contrib/count_sketch).
 */
import type { Req } from '../../base/req';

function put(out: Float32Array, i: number, v: number, req: Req): void {
  if (req === 'write') out[i] = v;
  else if (req === 'add') out[i]! += v;
}

/** The angle 2*pi*k*m/n, with k*m reduced mod n first so large products keep their accuracy. */
const angle = (k: number, m: number, n: number) => (2 * Math.PI * ((k * m) % n)) / n;

/** out[r] = DFT of the real row x[r] (length n), interleaved: out[r, 2k] + i out[r, 2k+1] = sum_m x[m] e^{-2 pi i k m / n}. */
function dftRealRows(x: Float32Array, rows: number, n: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let r = 0; r < rows; r++) {
    const xr = r * n;
    for (let k = 0; k < n; k++) {
      let re = 0;
      let im = 0;
      for (let m = 0; m < n; m++) {
        const a = angle(k, m, n);
        re += x[xr + m]! * Math.cos(a);
        im -= x[xr + m]! * Math.sin(a);
      }
      put(out, 2 * (xr + k), re, req);
      put(out, 2 * (xr + k) + 1, im, req);
    }
  }
}

/** out[r, m] = real part of sum_k z[r, k] e^{+2 pi i k m / n}, z the interleaved complex row (no 1/n). */
function inverseDftRealPart(z: Float32Array, rows: number, n: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let r = 0; r < rows; r++) {
    const zr = 2 * r * n;
    for (let m = 0; m < n; m++) {
      let re = 0;
      for (let k = 0; k < n; k++) {
        const a = angle(k, m, n);
        re += z[zr + 2 * k]! * Math.cos(a) - z[zr + 2 * k + 1]! * Math.sin(a);
      }
      put(out, r * n + m, re, req);
    }
  }
}

/** Bucket of input column i: h[i] truncated to an integer, or -1 when outside [0, outDim). */
function bucket(h: Float32Array, i: number, outDim: number): number {
  const j = Math.trunc(h[i]!);
  return j >= 0 && j < outDim ? j : -1;
}

/** out[r, h[i]] (req)= sum over i of s[i] * x[r, i]; x is (rows, inDim), out (rows, outDim). */
function countSketch(x: Float32Array, rows: number, inDim: number, h: Float32Array, s: Float32Array, outDim: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') out.fill(0, 0, rows * outDim);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < inDim; i++) {
      const j = bucket(h, i, outDim);
      if (j >= 0) out[r * outDim + j]! += s[i]! * x[r * inDim + i]!;
    }
  }
}

/** dx[r, i] (req)= g[r, h[i]] * s[i] (0 for columns whose bucket is out of range). */
function countSketchBackward(g: Float32Array, rows: number, inDim: number, h: Float32Array, s: Float32Array, outDim: number, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < inDim; i++) {
      const j = bucket(h, i, outDim);
      put(dx, r * inDim + i, j >= 0 ? g[r * outDim + j]! * s[i]! : 0, req);
    }
  }
}

export const contribSignalKernels = { dftRealRows, inverseDftRealPart, countSketch, countSketchBackward };
