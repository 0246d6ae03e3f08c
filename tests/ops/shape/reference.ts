/** Float64 index-arithmetic references for the shape-op tests (written independently of the kernels). */
import * as mx from 'mxts';

export const EXACT = { rtol: 0, atol: 0 } as const;
export const NUMERIC = { rtol: 1e-2, atol: 1e-3 } as const;

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The multi-index of flat position `flat` in a row-major `shape`. */
export function unflat(shape: readonly number[], flat: number): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = flat % shape[i]!;
    flat = Math.floor(flat / shape[i]!);
  }
  return idx;
}

export function flatOf(shape: readonly number[], idx: readonly number[]): number {
  return idx.reduce((acc, v, i) => acc * shape[i]! + v, 0);
}

/** out[idx] = value(idx) over every index of `shape`, as a flat list. */
export function build(shape: readonly number[], value: (idx: number[]) => number): number[] {
  return Array.from({ length: sizeOf(shape) }, (_, flat) => value(unflat(shape, flat)));
}

/** Runs `sym` (inputs by name) through bind + forward, for the nd/sym agreement checks. */
export function forwardSym(sym: mx.Symbol, args: Record<string, mx.NDArray>): readonly mx.NDArray[] {
  return sym.bind(mx.cpu(), args, { gradReq: 'null' }).forward();
}

/** Float64 copies of values, for references. */
export function values(x: mx.NDArray): number[] {
  return Array.from(x.data);
}
