/**
 * Element types of MXNet's NDArray files: mshadow type flags and sizes, and the conversions
 * between raw little-endian element bytes and each dtype's storage (dtype.ts), bit for bit.
 */
import { DTYPES, DType, DTypeArray, allocateValues, castValue, halfBits, halfValue } from '../base/dtype';

export { DTYPES } from '../base/dtype';
export type { DTypeInfo } from '../base/dtype';
export const DTYPE_BY_FLAG = new Map<number, DType>(Object.entries(DTYPES).map(([name, info]) => [info.flag, name as DType]));
export const OTHER_FLAGS: Readonly<Record<number, string>> = { 8: 'int16', 9: 'uint16', 10: 'uint32', 11: 'uint64', 12: 'bfloat16' };

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Raw little-endian element bytes to the storage of `dtype` (int64 beyond 2^53 rounds). */
export function decode(raw: Uint8Array, dtype: DType): DTypeArray {
  const size = DTYPES[dtype].size;
  const n = raw.length / size;
  if (LITTLE_ENDIAN && (dtype === 'float32' || dtype === 'float64' || dtype === 'int32')) {
    const copy = raw.slice().buffer;
    return dtype === 'float32' ? new Float32Array(copy) : dtype === 'float64' ? new Float64Array(copy) : new Int32Array(copy);
  }
  if (dtype === 'uint8') return raw.slice();
  if (dtype === 'int8') return new Int8Array(raw.slice().buffer);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = allocateValues(dtype, n);
  for (let i = 0; i < n; i++) {
    const o = i * size;
    switch (dtype) {
      case 'float32': out[i] = view.getFloat32(o, true); break;
      case 'float64': out[i] = view.getFloat64(o, true); break;
      case 'float16': out[i] = halfValue(view.getUint16(o, true)); break;
      case 'int32': out[i] = view.getInt32(o, true); break;
      case 'int64': out[i] = Number(view.getBigInt64(o, true)); break;
      case 'bool': out[i] = view.getUint8(o) ? 1 : 0; break;
      default: throw new Error(`unreachable dtype ${dtype}`);
    }
  }
  return out;
}

/** Storage values of `dtype` to little-endian element bytes (values are already the dtype's). */
export function encode(values: DTypeArray, dtype: DType): Uint8Array {
  const size = DTYPES[dtype].size;
  if (LITTLE_ENDIAN && (dtype === 'float32' || dtype === 'float64' || dtype === 'int32' || dtype === 'int8' || dtype === 'uint8')) {
    return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  }
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const o = i * size;
    switch (dtype) {
      case 'float32': view.setFloat32(o, v, true); break;
      case 'float64': view.setFloat64(o, v, true); break;
      case 'float16': view.setUint16(o, halfBits(v), true); break;
      case 'uint8': view.setUint8(o, v); break;
      case 'int8': view.setInt8(o, v); break;
      case 'int32': view.setInt32(o, v, true); break;
      case 'int64': view.setBigInt64(o, BigInt(castValue('int64', v)), true); break;
      case 'bool': view.setUint8(o, v ? 1 : 0); break;
      default: { const never: never = dtype; return never; }
    }
  }
  return out;
}

/** Element-wise equality that counts NaN equal to NaN. */
export function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}
