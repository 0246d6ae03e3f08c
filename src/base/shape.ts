import { checkNdim } from './budget';
import { ErrorSite, ShapeError } from './errors';

/** A concrete shape: non-negative integer dimensions, row-major. */
export type Shape = readonly number[];

/** Shapes print as `[3,4]` in every message, as MXNet 1.9 does. */
export function shapeToString(shape: Shape | null | undefined): string {
  return shape ? `[${shape.join(',')}]` : 'unknown';
}

export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

export function shapesEqual(a: Shape | null | undefined, b: Shape | null | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Checks that a user-given shape is a list of non-negative integers and returns a frozen copy.
 * NaN, Infinity, negative and fractional dimensions are rejected with the site named.
 */
export function checkShape(shape: unknown, site: ErrorSite): Shape {
  if (!Array.isArray(shape)) {
    throw new ShapeError(site, `must be a shape (an array of dimensions), got ${describe(shape)}`);
  }
  checkNdim(shape.length, site);
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(
        { ...site, actual: shape },
        // The site's argument names the shape ("shape", or a variable), so the text starts at the value.
        `[${shape.map(String).join(',')}] has an invalid dimension ${describe(d)}: ` +
          'dimensions must be non-negative integers',
      );
    }
  }
  return Object.freeze(shape.slice());
}

/** Row-major strides of a shape, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i]!;
  }
  return strides;
}

/** MXNet's broadcasting: align trailing axes; each pair must be equal or contain a 1. */
export function broadcastShapes(a: Shape, b: Shape, site: ErrorSite): Shape {
  const ndim = Math.max(a.length, b.length);
  const out = new Array<number>(ndim);
  for (let i = 0; i < ndim; i++) {
    const da = a[a.length - ndim + i] ?? 1;
    const db = b[b.length - ndim + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        { ...site, expected: a, actual: b },
        `shapes ${shapeToString(a)} and ${shapeToString(b)} cannot be broadcast together`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array [${value.map(String).join(',')}]`;
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return String(value);
}

/** Strides of `shape` aligned to `outShape`'s trailing axes, with 0 on broadcast axes. */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((_dim, axis) => {
    const i = axis - offset;
    return i < 0 || shape[i] === 1 ? 0 : own[i]!;
  });
}
