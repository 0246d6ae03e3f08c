/** `assertAlmostEqual`: MXNet's `assert_almost_equal` with a readable report of the worst element. */
import { MXNetError } from '../base/errors';
import { Shape, shapeToString, shapesEqual } from '../base/shape';
import { NDArray, NestedArray } from '../ndarray/ndarray';

/** What the checks accept as a value: an NDArray, nested arrays of numbers, or any flat array of numbers. */
export type ArrayLikeValue = NDArray | NestedArray | ArrayLike<number>;

/** Thrown by the `mx.testUtils` checks when values differ beyond the tolerance; the message locates the worst element. */
export class AssertionError extends MXNetError {}

/** Element-wise tolerance: `|actual - expected| <= atol + rtol * |expected|`. */
export interface Tolerance {
  /** Relative tolerance (MXNet's float32 default 1e-4). */
  rtol?: number;
  /** Absolute tolerance (MXNet's float32 default 1e-3 is loose; pass a tighter one where it matters). */
  atol?: number;
  /** Names of the two values, for the report. */
  names?: readonly [string, string];
  /** Treat NaN as equal to NaN (default false, as MXNet). */
  equalNan?: boolean;
}

export function flatten(value: ArrayLikeValue): { data: ArrayLike<number>; shape: Shape | null } {
  if (value instanceof NDArray) return { data: value.values, shape: value.shape };
  if (typeof value === 'number') return { data: [value], shape: [] };
  if (Array.isArray(value)) {
    const shape: number[] = [];
    for (let level: unknown = value; Array.isArray(level); level = level[0]) shape.push(level.length);
    return { data: (value as unknown[]).flat(Infinity) as number[], shape };
  }
  return { data: value as ArrayLike<number>, shape: null };
}

/**
 * Throws an AssertionError unless |a - b| <= atol + rtol * |b| everywhere (shapes must agree).
 *
 * @example
 * ```ts
 * mx.testUtils.assertAlmostEqual(mx.nd.array([1, 2.0000001]), [1, 2], { rtol: 1e-5, atol: 1e-7 });
 * ```
 */
export function assertAlmostEqual(actual: ArrayLikeValue, expected: ArrayLikeValue, tolerance: Tolerance = {}): void {
  const { rtol = 1e-4, atol = 1e-3, names = ['actual', 'expected'], equalNan = false } = tolerance;
  const a = flatten(actual);
  const b = flatten(expected);
  if (a.data.length !== b.data.length || (a.shape && b.shape && !shapesEqual(a.shape, b.shape))) {
    throw new AssertionError({ op: 'assertAlmostEqual' }, `${names[0]} has shape ${shapeToString(a.shape ?? [a.data.length])} but ${names[1]} has ${shapeToString(b.shape ?? [b.data.length])}`);
  }
  let worst = -1;
  let worstRatio = 1;
  let mismatches = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i]!;
    const y = b.data[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (equalNan && Number.isNaN(x) && Number.isNaN(y)) continue;
      mismatches++;
      if (worstRatio !== Infinity) [worst, worstRatio] = [i, Infinity];
      continue;
    }
    if (x === y) continue; // also covers equal infinities
    const ratio = Math.abs(x - y) / (atol + rtol * Math.abs(y));
    if (ratio > 1) {
      mismatches++;
      if (ratio > worstRatio) [worst, worstRatio] = [i, ratio];
    }
  }
  if (mismatches > 0) {
    const where = a.shape ? indexOf(worst, a.shape) : `[${worst}]`;
    throw new AssertionError(
      { op: 'assertAlmostEqual', expected: b.data[worst], actual: a.data[worst] },
      `${mismatches} of ${a.data.length} elements differ beyond rtol=${rtol}, atol=${atol}. ` +
        `Worst at ${where}: ${names[0]}=${a.data[worst]}, ${names[1]}=${b.data[worst]} ` +
        `(error ${worstRatio === Infinity ? 'NaN' : worstRatio.toPrecision(3)} times the tolerance)`,
    );
  }
}

function indexOf(flat: number, shape: Shape): string {
  const index: number[] = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index.unshift(flat % shape[axis]!);
    flat = Math.floor(flat / shape[axis]!);
  }
  return `[${index.join(',')}]`;
}
