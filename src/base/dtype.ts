/**
 * Element types as MXNet 1.9.1 has them, and how mxts stores each one. JavaScript has no float16
 * or exact int64 arrays, so two dtypes live in a wider array holding only the values the dtype
 * can take: float16 in a Float32Array (each value already rounded to half precision), int64 in a
 * Float64Array (integers, exact up to 2^53). Conversions are C casts, as MXNet's kernels do them:
 * to an integer type truncates toward zero and wraps modulo 2^bits, to bool is `x != 0`.
 */
import { ValueError } from './errors';

export type DType = 'float32' | 'float64' | 'float16' | 'uint8' | 'int8' | 'int32' | 'int64' | 'bool';

/** In mshadow's flag order (0-7). */
export const DTYPE_NAMES: readonly DType[] = ['float32', 'float64', 'float16', 'uint8', 'int32', 'int8', 'int64', 'bool'];

export interface DTypeInfo {
  /** mshadow's type flag: what `.params` records and a variable's `__dtype__` attribute hold. */
  readonly flag: number;
  /** Bytes per element in MXNet's files. */
  readonly size: number;
}

export const DTYPES: Readonly<Record<DType, DTypeInfo>> = {
  float32: { flag: 0, size: 4 },
  float64: { flag: 1, size: 8 },
  float16: { flag: 2, size: 2 },
  uint8: { flag: 3, size: 1 },
  int32: { flag: 4, size: 4 },
  int8: { flag: 5, size: 1 },
  int64: { flag: 6, size: 8 },
  bool: { flag: 7, size: 1 },
};

/** The dtype of an mshadow flag, or undefined for flags mxts has no dtype for (int16, bfloat16...). */
export function dtypeOfFlag(flag: number): DType | undefined {
  return DTYPE_NAMES.find((d) => DTYPES[d].flag === flag);
}

/** The storage of an array of any dtype (see the file comment for float16, int64 and bool). */
export type DTypeArray = Float32Array | Float64Array | Int32Array | Int8Array | Uint8Array;

type StorageConstructor = Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor | Int8ArrayConstructor | Uint8ArrayConstructor;

const STORAGE: Readonly<Record<DType, StorageConstructor>> = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Float32Array,
  uint8: Uint8Array,
  int8: Int8Array,
  int32: Int32Array,
  int64: Float64Array,
  bool: Uint8Array,
};

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(STORAGE, value);
}

/** `dtype` checked (a string naming one of the eight dtypes), for errors at the front door. */
export function checkDType(value: unknown, site: { op: string; node?: string; argument: string }): DType {
  if (isDType(value)) return value;
  throw new ValueError(site, `must be one of ${DTYPE_NAMES.join(', ')}, got ${typeof value === 'string' ? `'${value}'` : String(value)}`);
}

export const isFloatDType = (dtype: DType): boolean => dtype === 'float32' || dtype === 'float64' || dtype === 'float16';

/** Whether `values` is the array type `dtype` is stored in. */
export function isStorageOf(values: unknown, dtype: DType): values is DTypeArray {
  return values instanceof STORAGE[dtype];
}

/** A zero-filled array of `length` elements of `dtype`. */
export function allocateValues(dtype: DType, length: number): DTypeArray {
  return new STORAGE[dtype](length);
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** float32 bits of `value` to float16 bits, rounding to nearest even (overflow to infinity). */
export function halfBits(value: number): number {
  F32[0] = value;
  const x = U32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = mantissa | 0x800000;
    const shift = 14 - e;
    let half = m >> shift;
    const rest = m & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half += 1;
    return sign | half;
  }
  let half = sign | (e << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half += 1;
  return half;
}

/** The value float16 bits stand for. */
export function halfValue(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** `value` rounded to float16 as a C cast float -> half does (through float32, as mshadow's half_t). */
export const roundHalf = (value: number): number => halfValue(halfBits(value));

/**
 * One value as a C cast to `dtype` gives it (a number the dtype's storage then holds exactly).
 * NaN and infinities cast to an integer type give 0 (undefined behaviour in C).
 */
export function castValue(dtype: DType, value: number): number {
  switch (dtype) {
    case 'float32': return Math.fround(value);
    case 'float64': return value;
    case 'float16': return roundHalf(value);
    case 'bool': return value !== 0 ? 1 : 0;
    case 'int64': return Number.isFinite(value) ? Math.trunc(value) + 0 : 0; // + 0: integers have no -0
    case 'int32': return Number.isFinite(value) ? Math.trunc(value) | 0 : 0;
    case 'int8': return Number.isFinite(value) ? ((Math.trunc(value) << 24) >> 24) : 0;
    case 'uint8': return Number.isFinite(value) ? Math.trunc(value) & 0xff : 0;
    default: { const never: never = dtype; return never; }
  }
}

/**
 * Makes `values` (the storage of `dtype`) hold only values of `dtype`, in place: float16 rounds
 * to half precision, int64 truncates, bool becomes 0/1. The other dtypes' arrays need nothing
 * (a store into an Int32Array already truncates and wraps as a C cast does).
 */
export function settleValues(dtype: DType, values: DTypeArray): void {
  if (dtype === 'float16') for (let i = 0; i < values.length; i++) values[i] = roundHalf(values[i]!);
  else if (dtype === 'int64') for (let i = 0; i < values.length; i++) values[i] = castValue('int64', values[i]!);
}

/** Whether `dtype`'s storage needs `settleValues` after a kernel wrote into it. */
export const needsSettling = (dtype: DType): boolean => dtype === 'float16' || dtype === 'int64';

/** A new array of `dtype` holding `source` converted by C casts. */
export function convertValues(dtype: DType, source: ArrayLike<number>): DTypeArray {
  const out = allocateValues(dtype, source.length);
  copyConverted(dtype, source, out);
  return out;
}

/** out[i] = source[i] cast to `dtype` (out is `dtype`'s storage, of the same length). */
export function copyConverted(dtype: DType, source: ArrayLike<number>, out: DTypeArray): void {
  // Stores into the storage are the cast (float stores round, Int32/Int8/Uint8 stores truncate,
  // wrap and map NaN to 0), except for dtypes narrower than their storage.
  if (!needsSettling(dtype) && dtype !== 'bool') {
    if (ArrayBuffer.isView(source)) out.set(source as DTypeArray);
    else for (let i = 0; i < source.length; i++) out[i] = source[i]!;
    return;
  }
  for (let i = 0; i < source.length; i++) out[i] = castValue(dtype, source[i]!);
}

/** C-cast of a scalar parameter to the input dtype, as MXNet's scalar ops do before computing. */
export function castScalar(dtype: DType, value: number): number {
  return dtype === 'float64' ? value : castValue(dtype, value);
}
