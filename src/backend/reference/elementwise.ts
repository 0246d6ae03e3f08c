/** Element-wise loops over contiguous float32 buffers, honouring a write/add request. */
import { Shape, broadcastStrides } from '../../base/shape';
import type { Req } from '../../base/req';

export function mapUnary(x: Float32Array, out: Float32Array, f: (v: number) => number, req: Req): void {
  const n = out.length;
  if (req === 'add') for (let i = 0; i < n; i++) out[i]! += f(x[i]!);
  else if (req === 'write') for (let i = 0; i < n; i++) out[i] = f(x[i]!);
}

/** out (op)= g * f(a, b) element by element, for same-size buffers. */
export function mapBinary(a: Float32Array, b: Float32Array, out: Float32Array, f: (x: number, y: number) => number, req: Req): void {
  const n = out.length;
  if (req === 'add') for (let i = 0; i < n; i++) out[i]! += f(a[i]!, b[i]!);
  else if (req === 'write') for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!);
}

/** Visits every output index with the matching flat offsets into `a` and `b`. */
export function forEachBroadcast(outShape: Shape, aStrides: readonly number[], bStrides: readonly number[], visit: (outIndex: number, ai: number, bi: number) => void): void {
  const ndim = outShape.length;
  const size = outShape.reduce((p, d) => p * d, 1);
  const counter = new Array<number>(ndim).fill(0);
  let ai = 0;
  let bi = 0;
  for (let o = 0; o < size; o++) {
    visit(o, ai, bi);
    for (let axis = ndim - 1; axis >= 0; axis--) {
      counter[axis]!++;
      ai += aStrides[axis]!;
      bi += bStrides[axis]!;
      if (counter[axis]! < outShape[axis]!) break;
      ai -= aStrides[axis]! * outShape[axis]!;
      bi -= bStrides[axis]! * outShape[axis]!;
      counter[axis] = 0;
    }
  }
}

export function broadcastBinary(a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, out: Float32Array, outShape: Shape, f: (x: number, y: number) => number, req: Req): void {
  if (req === 'null') return;
  if (a.length === out.length && b.length === out.length) return mapBinary(a, b, out, f, req);
  const add = req === 'add';
  forEachBroadcast(outShape, broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape), (o, ai, bi) => {
    const v = f(a[ai]!, b[bi]!);
    out[o] = add ? out[o]! + v : v;
  });
}

/**
 * Gradient of a broadcast input: sums `grad(o)` (of the output's shape) over the axes the input
 * was broadcast along. `term(o, ai, bi)` gives each output position's contribution.
 */
export function reduceBroadcastGrad(outShape: Shape, aShape: Shape, bShape: Shape, target: 'a' | 'b', inGrad: Float32Array, req: Req, term: (o: number, ai: number, bi: number) => number): void {
  if (req === 'null') return;
  if (req === 'write') inGrad.fill(0);
  const aStrides = broadcastStrides(aShape, outShape);
  const bStrides = broadcastStrides(bShape, outShape);
  forEachBroadcast(outShape, aStrides, bStrides, (o, ai, bi) => {
    inGrad[target === 'a' ? ai : bi]! += term(o, ai, bi);
  });
}

/** out (req)= 0: the gradient MXNet gives comparisons and rounding (zeros whatever the head gradient). */
export function zeroGradient(out: Float32Array, req: Req): void {
  if (req === 'write') out.fill(0);
}

export const elementwiseKernels = { mapUnary, mapBinary, forEachBroadcast, broadcastBinary, reduceBroadcastGrad, zeroGradient };
