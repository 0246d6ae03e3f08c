/** NDArray creation: from nested lists or typed arrays, constants, ranges and seeded random draws. */
import { allocateFloat32, checkAllocation, checkNdim, config } from '../base/budget';
import { ShapeError, ValueError } from '../base/errors';
import { Shape, checkShape, describe, shapeToString, sizeOf } from '../base/shape';
import { fillNormal, fillUniform } from '../base/random';
import { DType, NDArray, NestedArray } from './ndarray';
import { castValue, checkDType, convertValues } from '../base/dtype';

/** Options of the creation functions (MXNet's `dtype=` keyword; float32 by default). */
export interface CreationOptions {
  dtype?: DType;
}

function dtypeOption(options: CreationOptions | undefined, op: string, fallback: DType = 'float32'): DType {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new ValueError({ op, argument: 'options' }, `must be an object such as { dtype: 'int32' }, got ${describe(options)}`);
  return options?.dtype === undefined ? fallback : checkDType(options.dtype, { op, argument: 'dtype' });
}

/** A checked shape whose float32 array fits the byte budget (mx.config maxBytes). */
function shapeArg(shape: Shape | number, op: string): Shape {
  const checked = checkShape(typeof shape === 'number' ? [shape] : shape, { op, argument: 'shape' });
  checkAllocation({ op, argument: 'shape', shape: checked });
  return checked;
}

/** The shape of a nested list, checking that it is rectangular, holds numbers and is not too deep. */
function nestedShape(value: NestedArray, op: string): number[] {
  const shape: number[] = [];
  const { maxNdim } = config.get();
  let level: NestedArray = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    // Checked while descending, so a list nested 10^5 deep is refused before any recursion.
    if (shape.length > maxNdim) checkNdim(shape.length, { op, argument: 'source' });
    level = level[0] as NestedArray;
  }
  checkAllocation({ op, argument: 'source', shape });
  const check = (item: NestedArray, depth: number): void => {
    if (depth === shape.length) {
      if (Array.isArray(item)) throw new ShapeError({ op, argument: 'source' }, `is not rectangular: unexpected nesting at depth ${depth}`);
      if (typeof item !== 'number') throw new ValueError({ op, argument: 'source' }, `holds a non-number ${describe(item)}: values must be numbers`);
      return;
    }
    if (!Array.isArray(item) || item.length !== shape[depth]) {
      throw new ShapeError({ op, argument: 'source' }, `is not rectangular: expected ${shape[depth]} items at depth ${depth}`);
    }
    item.forEach((child) => check(child, depth + 1));
  };
  check(value, 0);
  return shape;
}

/** A typed array or array-like of numbers (`{length}` plus indices), checked; copied by the caller. */
function flatSource(source: unknown, op: string): ArrayLike<number> {
  if (ArrayBuffer.isView(source) && !(source instanceof DataView)) {
    if (typeof (source as unknown as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function' || source instanceof BigInt64Array || source instanceof BigUint64Array) {
      throw new ValueError({ op, argument: 'source' }, `cannot be a ${source.constructor.name}: use a number typed array`);
    }
    checkAllocation({ op, argument: 'source', shape: [(source as unknown as ArrayLike<number>).length] });
    return source as unknown as ArrayLike<number>;
  }
  const length = typeof source === 'object' && source !== null ? (source as { length?: unknown }).length : undefined;
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
    throw new ValueError({ op, argument: 'source' }, `must be a number, a nested list of numbers, a typed array or an NDArray, got ${describe(source)}`);
  }
  checkAllocation({ op, argument: 'source', shape: [length] });
  const data = new Float64Array(length);
  const items = source as ArrayLike<unknown>;
  for (let i = 0; i < length; i++) {
    const v = items[i];
    if (typeof v !== 'number') throw new ValueError({ op, argument: 'source' }, `holds a non-number ${describe(v)} at index ${i}: values must be numbers`);
    data[i] = v;
  }
  return data;
}

/**
 * `mx.nd.array(source, {shape, dtype})`: a copy converted to `dtype` by C casts. As in MXNet, the
 * dtype defaults to float32, except for an NDArray source, whose dtype it keeps.
 */
export function array(source: NestedArray | ArrayLike<number> | NDArray, options: { shape?: Shape; dtype?: DType } = {}): NDArray {
  const op = 'array';
  let data: ArrayLike<number>;
  let shape: Shape;
  const dtype = dtypeOption(options, op, source instanceof NDArray ? source.dtype : 'float32');
  if (source instanceof NDArray) {
    data = source.values;
    shape = source.shape;
  } else if (typeof source === 'number' || Array.isArray(source)) {
    shape = nestedShape(source as NestedArray, op);
    data = (Array.isArray(source) ? (source as unknown[]).flat(Infinity) : [source]) as number[];
  } else {
    data = flatSource(source, op);
    shape = [data.length];
  }
  if (options.shape) {
    const wanted = shapeArg(options.shape, op);
    if (sizeOf(wanted) !== data.length) {
      throw new ShapeError({ op, argument: 'shape', expected: data.length, actual: wanted }, `${shapeToString(wanted)} does not hold the ${data.length} values given`);
    }
    shape = wanted;
  }
  return new NDArray(convertValues(dtype, data), shape, { dtype });
}

/** `mx.nd.full(shape, value, {dtype})`: `value` cast to the dtype (float32 by default). */
export function full(shape: Shape | number, value: number, options?: CreationOptions): NDArray {
  if (typeof value !== 'number') throw new ValueError({ op: 'full', argument: 'value' }, `must be a number, got ${describe(value)}`);
  const dtype = dtypeOption(options, 'full');
  const out = zeros(shape, { dtype });
  if (value !== 0 || Object.is(value, -0)) out.values.fill(castValue(dtype, value));
  return out;
}

export function zeros(shape: Shape | number, options?: CreationOptions): NDArray {
  const dtype = dtypeOption(options, 'zeros');
  const checked = shapeArg(shape, 'zeros');
  const floats = allocateFloat32({ op: 'zeros', argument: 'shape', shape: checked });
  return dtype === 'float32' ? new NDArray(floats, checked) : new NDArray(convertValues(dtype, floats), checked, { dtype });
}

export function ones(shape: Shape | number, options?: CreationOptions): NDArray {
  return full(shapeArg(shape, 'ones'), 1, { dtype: dtypeOption(options, 'ones') });
}

/** MXNet's `empty` is uninitialized; mxts zero-fills so results never depend on garbage. */
export function empty(shape: Shape | number, options?: CreationOptions): NDArray {
  return zeros(shape, options);
}

/** Zeros of `a`'s shape and dtype (MXNet's `zeros_like`). */
export function zerosLike(a: NDArray): NDArray {
  return zeros(a.shape, { dtype: a.dtype });
}

export function onesLike(a: NDArray): NDArray {
  return ones(a.shape, { dtype: a.dtype });
}

/** `arange(stop)` or `arange(start, stop, step)`, values computed in float64 then stored. */
export function arange(start: number, stop?: number, step = 1, options: { repeat?: number; dtype?: DType } = {}): NDArray {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0 || !Number.isFinite(step) || !Number.isFinite(from) || !Number.isFinite(to)) {
    throw new ValueError({ op: 'arange', argument: 'step' }, `must be finite and non-zero, with finite start and stop`);
  }
  const repeat = options.repeat ?? 1;
  if (!Number.isSafeInteger(repeat) || repeat < 1) throw new ValueError({ op: 'arange', argument: 'repeat' }, `must be a positive integer, got ${String(repeat)}`);
  const count = Math.max(0, Math.ceil((to - from) / step));
  checkAllocation({ op: 'arange', argument: 'stop', shape: [count, repeat] });
  const data = new Float32Array(count * repeat);
  const dtype = dtypeOption({ ...(options.dtype === undefined ? {} : { dtype: options.dtype }) }, 'arange');
  if (dtype !== 'float32') {
    // Values computed in float64 then cast, as MXNet computes _arange in its output dtype.
    const wide = new Float64Array(count * repeat);
    for (let i = 0; i < count; i++) for (let r = 0; r < repeat; r++) wide[i * repeat + r] = from + i * step;
    return new NDArray(convertValues(dtype, wide), [wide.length], { dtype });
  }
  for (let i = 0; i < count; i++) for (let r = 0; r < repeat; r++) data[i * repeat + r] = from + i * step;
  return new NDArray(data, [data.length]);
}

function checkBounds(op: string, low: number, high: number): void {
  if (!Number.isFinite(low) || !Number.isFinite(high) || low > high) {
    throw new ValueError({ op, argument: 'low' }, `must be finite and not above high, got low=${low}, high=${high}`);
  }
}

export const random = {
  /** Uniform draws in [low, high) from the seeded generator (`mx.random.seed`). */
  uniform(low = 0, high = 1, shape: Shape | number = [1]): NDArray {
    checkBounds('random.uniform', low, high);
    const out = zeros(shapeArg(shape, 'random.uniform'));
    fillUniform(out.data, low, high);
    return out;
  },
  /** Normal draws with mean `loc` and standard deviation `scale`. */
  normal(loc = 0, scale = 1, shape: Shape | number = [1]): NDArray {
    if (!Number.isFinite(loc) || !Number.isFinite(scale) || scale < 0) {
      throw new ValueError({ op: 'random.normal', argument: 'scale' }, `must be finite and non-negative, got loc=${loc}, scale=${scale}`);
    }
    const out = zeros(shapeArg(shape, 'random.normal'));
    fillNormal(out.data, loc, scale);
    return out;
  },
};
