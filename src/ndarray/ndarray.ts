/**
 * NDArray: a buffer of one dtype and a shape, row-major (storage per dtype: base/dtype.ts).
 * Arithmetic and every registered operator run through the same op definitions the executor
 * uses (see invoke.ts).
 */
import { Context, cpu } from '../base/context';
import { DTypeError, ShapeError, ValueError } from '../base/errors';
import { checkBytes } from '../base/budget';
import { Shape, checkShape, shapeToString, sizeOf, stridesOf } from '../base/shape';
import type { Tensor } from '../ops/types';
import { DType, DTypeArray, castValue, checkDType, convertValues, copyConverted, isStorageOf, settleValues } from '../base/dtype';
import { formatArray } from './format';
import { invoke, invokeByName } from './invoke';
import { getOp } from '../ops/registry';
import { reshapeTarget } from '../ops/tensor/reshape';
import { shapeSite } from '../ops/shape_rule';
import { FluentMethods, MULTI_OUTPUT_FLUENT, SplitV2Options, installFluent, splitV2Params } from '../symbol/fluent_table';
import { UFUNCS, UfuncSpec, ufunc } from './arith';

export type { DType, DTypeArray } from '../base/dtype';

/** A number or nested arrays of numbers, as `toArray()` returns and `mx.nd.array` accepts: `[[1, 2], [3, 4]]`. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array (MXNet's `NDArray`) on the CPU: a shape, a dtype and row-major data.
 * Carries MXNet's fluent methods (`a.exp()`, `a.sum({axis: 1})`, `a.sliceAxis(...)`), installed
 * below; `reshape` stays the view above.
 *
 * @example
 * ```ts
 * const a = mx.nd.array([[1, 2, 3], [4, 5, 6]]);
 * a.shape;                       // [2, 3]
 * a.sum({ axis: 1 }).toArray();  // [6, 15]
 * a.reshape([3, 2]).toString();  // array([[1., 2.], [3., 4.], [5., 6.]], dtype=float32)
 * ```
 */
export interface NDArray extends FluentMethods<NDArray, NDArray[], 'reshape'> {}

export class NDArray implements Tensor {
  readonly shape: Shape;
  /** The elements in the dtype's storage (Float64Array for float64, Int32Array for int32, ...; dtype.ts). */
  readonly values: DTypeArray;
  readonly dtype: DType;
  readonly context: Context;
  /** Element bytes as an MXNet file stored them (non-float32 dtypes); `nd.save` reuses them while they still match `values`. */
  readonly fileBytes?: Uint8Array;

  /**
   * `data` in `dtype`'s storage is taken as it is (float16 and int64 values are settled in place:
   * rounded to half precision, truncated); any other number array is converted by C casts.
   */
  constructor(data: DTypeArray, shape: Shape, options: { dtype?: DType; context?: Context } = {}) {
    const checked = checkShape(shape, { op: 'NDArray', argument: 'shape' });
    if (sizeOf(checked) !== data.length) {
      throw new ShapeError(
        { op: 'NDArray', argument: 'shape', expected: data.length, actual: checked },
        `${shapeToString(checked)} holds ${sizeOf(checked)} elements but the buffer has ${data.length}`,
      );
    }
    const dtype = checkDType(options.dtype ?? 'float32', { op: 'NDArray', argument: 'dtype' });
    this.shape = checked;
    if (isStorageOf(data, dtype)) {
      settleValues(dtype, data);
      this.values = data;
    } else this.values = convertValues(dtype, data);
    this.dtype = dtype;
    this.context = options.context ?? cpu();
  }

  /**
   * The float32 buffer of a float32 array (what kernels and most code read). Other dtypes have no
   * float32 buffer: read `values` (their own storage) or convert with `astype('float32')`.
   */
  get data(): Float32Array {
    if (this.dtype !== 'float32') {
      throw new DTypeError({ op: 'NDArray', argument: 'data', actual: this.dtype }, `is the float32 buffer, but this array is ${this.dtype}: read .values (its ${this.values.constructor.name}) or convert with .astype('float32')`);
    }
    return this.values as Float32Array;
  }

  get size(): number {
    return this.values.length;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Nested plain arrays (a number for a 0-d array). */
  toArray(): NestedArray {
    // An empty array may still have huge dims ([1, 10^12, 0]): count the list slots first.
    let slots = 0;
    let lists = 1;
    for (const d of this.shape) {
      lists = Math.min(lists * d, Number.MAX_SAFE_INTEGER);
      slots = Math.min(slots + lists, Number.MAX_SAFE_INTEGER);
    }
    if (this.shape.some((d) => d > 0xffffffff)) slots = Number.MAX_SAFE_INTEGER; // beyond a JS array's length
    checkBytes(slots * 16, { op: 'toArray', shape: this.shape }, 'nested lists');
    const strides = stridesOf(this.shape);
    const build = (axis: number, offset: number): NestedArray => {
      if (axis === this.shape.length) return this.values[offset]!;
      const length = this.shape[axis]!;
      const out = new Array<NestedArray>(length);
      for (let i = 0; i < length; i++) out[i] = build(axis + 1, offset + i * strides[axis]!);
      return out;
    };
    return build(0, 0);
  }

  /** Alias of `toArray()`, kept so MXNet scripts port line by line. */
  asnumpy(): NestedArray {
    return this.toArray();
  }

  /** The single value of a one-element array. */
  asscalar(): number {
    if (this.size !== 1) throw new ValueError({ op: 'NDArray', argument: 'asscalar' }, `needs exactly one element, the array has shape ${shapeToString(this.shape)}`);
    return this.values[0]!;
  }

  /** numpy's repr: `array([[0.7310586, ...]], dtype=float32)`. */
  toString(): string {
    return formatArray(this.values, this.shape, this.dtype);
  }

  /**
   * A view with another shape over the same buffer (MXNet's `reshape` shares memory). The shape
   * may use MXNet's special codes: 0 copies a dimension, -1 infers one, -2 copies the rest,
   * -3 merges two, -4 splits one; `reverse` applies them from the right.
   */
  reshape(shape: Shape, options: { reverse?: boolean } = {}): NDArray {
    if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < -4)) {
      checkShape(shape, { op: 'reshape', argument: 'shape' }); // throws with the offending dimension
    }
    const target = reshapeTarget(shape, this.shape, options.reverse ?? false, shapeSite('reshape', 'NDArray'));
    if (sizeOf(target) !== this.size) {
      throw new ShapeError({ op: 'reshape', argument: 'shape', expected: this.shape, actual: target }, `${shapeToString(target)} does not hold the ${this.size} elements of ${shapeToString(this.shape)}`);
    }
    return new NDArray(this.values, target, { dtype: this.dtype, context: this.context });
  }

  /** A deep copy. */
  copy(): NDArray {
    return new NDArray(this.values.slice(), this.shape, { dtype: this.dtype, context: this.context });
  }

  /** Copies this array's values into `other` (same shape), returning `other`. */
  copyTo(other: NDArray): NDArray {
    other.set(this);
    return other;
  }

  /** `a[:] = value`: fills from a number, an NDArray of the same shape, or a flat list (converted to this dtype by C casts). */
  set(value: number | NDArray | ArrayLike<number>): this {
    if (typeof value === 'number') this.values.fill(castValue(this.dtype, value));
    else if (value instanceof NDArray) {
      if (value.size !== this.size || value.ndim !== this.ndim || value.shape.some((d, i) => d !== this.shape[i])) {
        throw new ShapeError({ op: 'NDArray', argument: 'value', expected: this.shape, actual: value.shape }, `shape ${shapeToString(value.shape)} does not match ${shapeToString(this.shape)}`);
      }
      copyConverted(this.dtype, value.values, this.values);
    } else {
      if (value.length !== this.size) throw new ShapeError({ op: 'NDArray', argument: 'value', expected: this.size, actual: value.length }, `has ${value.length} values, the array holds ${this.size}`);
      copyConverted(this.dtype, value, this.values);
    }
    return this;
  }

  /** `this + other` (MXNet's `__add__`): `broadcast_add` with an array, `_plus_scalar` with a number. */
  add(other: NDArray | number): NDArray {
    return binary(UFUNCS.add, this, other);
  }

  sub(other: NDArray | number): NDArray {
    return binary(UFUNCS.subtract, this, other);
  }

  mul(other: NDArray | number): NDArray {
    return binary(UFUNCS.multiply, this, other);
  }

  div(other: NDArray | number): NDArray {
    return binary(UFUNCS.divide, this, other);
  }

  /** `this % other`: `broadcast_mod` / `_mod_scalar`. */
  mod(other: NDArray | number): NDArray {
    return binary(UFUNCS.modulo, this, other);
  }

  /** `this ** other`: `broadcast_power` / `_power_scalar`. */
  pow(other: NDArray | number): NDArray {
    return binary(UFUNCS.power, this, other);
  }

  /** `other - this` (`_rminus_scalar` for a number). */
  rsub(other: NDArray | number): NDArray {
    return reflected(UFUNCS.subtract, this, other);
  }

  /** `other / this`. */
  rdiv(other: NDArray | number): NDArray {
    return reflected(UFUNCS.divide, this, other);
  }

  /** `other % this`. */
  rmod(other: NDArray | number): NDArray {
    return reflected(UFUNCS.modulo, this, other);
  }

  /** `other ** this`. */
  rpow(other: NDArray | number): NDArray {
    return reflected(UFUNCS.power, this, other);
  }

  /** `-this`: `_mul_scalar` by -1, as MXNet's `__neg__`. */
  neg(): NDArray {
    return invokeByName('_mul_scalar', [this], { scalar: -1 }) as NDArray;
  }

  /** `this == other`: `broadcast_equal` / `_equal_scalar`; 1 where true, else 0. */
  equal(other: NDArray | number): NDArray {
    return binary(UFUNCS.equal, this, other);
  }

  notEqual(other: NDArray | number): NDArray {
    return binary(UFUNCS.not_equal, this, other);
  }

  greater(other: NDArray | number): NDArray {
    return binary(UFUNCS.greater, this, other);
  }

  greaterEqual(other: NDArray | number): NDArray {
    return binary(UFUNCS.greater_equal, this, other);
  }

  lesser(other: NDArray | number): NDArray {
    return binary(UFUNCS.lesser, this, other);
  }

  lesserEqual(other: NDArray | number): NDArray {
    return binary(UFUNCS.lesser_equal, this, other);
  }

  /**
   * A copy converted to `dtype` (MXNet's `astype`, through `Cast`); with `copy: false` and the
   * same dtype, this array itself.
   */
  astype(dtype: DType, options: { copy?: boolean } = {}): NDArray {
    if (options.copy === false && dtype === this.dtype) return this;
    return invokeByName('Cast', [this], { dtype }) as NDArray;
  }

  /** MXNet's `split_v2`: a list of arrays, cut into a section count or at split points. */
  splitV2(indicesOrSections: number | readonly number[], options: SplitV2Options = {}): NDArray[] {
    const result = invokeByName('_split_v2', [this], splitV2Params(indicesOrSections, options));
    return Array.isArray(result) ? result : [result];
  }

  split_v2(indicesOrSections: number | readonly number[], options: SplitV2Options = {}): NDArray[] {
    return this.splitV2(indicesOrSections, options);
  }

  /** MXNet's `.T`: the transpose; arrays of fewer than 2 dimensions are returned as they are. */
  get T(): NDArray {
    return this.ndim < 2 ? this : (invokeByName('transpose', [this], {}) as NDArray);
  }
}

function binary(spec: UfuncSpec, a: NDArray, b: NDArray | number): NDArray {
  if (!(b instanceof NDArray) && typeof b !== 'number') throw new ValueError({ op: spec.name, argument: 'other' }, 'must be an NDArray or a number');
  return ufunc(spec, a, b) as NDArray;
}

function reflected(spec: UfuncSpec, a: NDArray, b: NDArray | number): NDArray {
  if (!(b instanceof NDArray) && typeof b !== 'number') throw new ValueError({ op: spec.name, argument: 'other' }, 'must be an NDArray or a number');
  return ufunc(spec, b, a) as NDArray;
}

// Fluent methods: the op with this array as its first input (a list for split, as mx.nd.split).
installFluent(
  NDArray.prototype,
  (method, opName, args) => {
    const result = invoke(getOp(opName), opName, args);
    return MULTI_OUTPUT_FLUENT.has(method) && !Array.isArray(result) ? [result] : result;
  },
  ['reshape'],
);
