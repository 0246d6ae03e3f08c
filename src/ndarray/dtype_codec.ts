/**
 * Element types of MXNet's NDArray files: mshadow type flags and sizes, and the conversions
 * between raw little-endian element bytes and mxts's float32 values (float16 by bit layout,
 * integers as C casts).
 */
import type { DType } from './ndarray';

export interface DTypeInfo {
  readonly flag: number;
  readonly size: number;
}

/** mshadow type flags of the dtypes mxts can hold. */
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
export const DTYPE_BY_FLAG = new Map<number, DType>(Object.entries(DTYPES).map(([name, info]) => [info.flag, name as DType]));
export const OTHER_FLAGS: Readonly<Record<number, string>> = { 8: 'int16', 9: 'uint16', 10: 'uint32', 11: 'uint64', 12: 'bfloat16' };

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function float16ToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function float32ToFloat16(value: number): number {
  const f32 = new Float32Array([value]);
  const x = new Uint32Array(f32.buffer)[0]!;
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

/** Raw little-endian element bytes to float32 values. */
export function decode(raw: Uint8Array, dtype: DType): Float32Array {
  const size = DTYPES[dtype].size;
  const n = raw.length / size;
  if (dtype === 'float32' && LITTLE_ENDIAN) return new Float32Array(raw.slice().buffer);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * size;
    switch (dtype) {
      case 'float32': out[i] = view.getFloat32(o, true); break;
      case 'float64': out[i] = view.getFloat64(o, true); break;
      case 'float16': out[i] = float16ToFloat32(view.getUint16(o, true)); break;
      case 'uint8': out[i] = view.getUint8(o); break;
      case 'int8': out[i] = view.getInt8(o); break;
      case 'int32': out[i] = view.getInt32(o, true); break;
      case 'int64': out[i] = Number(view.getBigInt64(o, true)); break;
      case 'bool': out[i] = view.getUint8(o) ? 1 : 0; break;
      default: { const never: never = dtype; return never; }
    }
  }
  return out;
}

/** float32 values to little-endian element bytes of `dtype` (C casts: integers truncate and wrap). */
export function encode(data: Float32Array, dtype: DType): Uint8Array {
  const size = DTYPES[dtype].size;
  if (dtype === 'float32' && LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.length * size);
  const view = new DataView(out.buffer);
  const int = (v: number) => (Number.isFinite(v) ? Math.trunc(v) : 0);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    const o = i * size;
    switch (dtype) {
      case 'float32': view.setFloat32(o, v, true); break;
      case 'float64': view.setFloat64(o, v, true); break;
      case 'float16': view.setUint16(o, float32ToFloat16(v), true); break;
      case 'uint8': view.setUint8(o, int(v)); break;
      case 'int8': view.setInt8(o, int(v)); break;
      case 'int32': view.setInt32(o, int(v), true); break;
      case 'int64': view.setBigInt64(o, BigInt(int(v)), true); break;
      case 'bool': view.setUint8(o, v ? 1 : 0); break;
      default: { const never: never = dtype; return never; }
    }
  }
  return out;
}

/** Element-wise equality that counts NaN equal to NaN. */
export function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}
