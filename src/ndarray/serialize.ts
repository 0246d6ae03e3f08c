/**
 * MXNet's NDArray list format (`mx.nd.save` / `mx.nd.load`, `.params` files), after
 * `src/ndarray/ndarray.cc`. Little-endian, packed:
 *
 *   u64 0x112 | u64 0 | u64 N | N records | u64 K (0 or N) | K x (u64 length, name bytes)
 *
 * A record starts with a u32 that picks its layout: 0xF993FAC9 V2 (i32 storage type, i32 ndim +
 * i64 dims), 0xF993FACA V3 (V2 with numpy shapes: ndim 0 is a scalar), 0xF993FAC8 V1 (i32 ndim +
 * i64 dims), anything else legacy/V0 (that u32 is ndim, then u32 dims). Then, unless the shape is
 * empty ("none"): i32 device type, i32 device id, i32 dtype flag, raw row-major data. Sparse V2
 * records (row_sparse, csr) are read as dense arrays.
 *
 * The bytes are untrusted: every length is checked against the bytes that remain before anything
 * is allocated, and every problem is a FormatError naming the source and byte offset. Named lists
 * load into a prototype-free record, so names such as `__proto__` stay ordinary keys.
 *
 * Only the byte functions are needed in a browser; `save`/`load` reach `node:fs` lazily.
 */
import { FileError, FormatError, ValueError } from '../base/errors';
import { cpu } from '../base/context';
import { sizeOf } from '../base/shape';
import { DTYPE_BY_FLAG, DTYPES, OTHER_FLAGS, decode, encode, sameValues } from './dtype_codec';
import { DType, NDArray } from './ndarray';
import { DTypeArray, allocateValues } from '../base/dtype';

/** What `mx.nd.load` returns: a list for unnamed arrays, a record for named ones (as the file stores them). */
export type NDArrayList = NDArray[] | Record<string, NDArray>;

const LIST_MAGIC = 0x112n;
const V1_MAGIC = 0xf993fac8;
const V2_MAGIC = 0xf993fac9;
const V3_MAGIC = 0xf993faca;
const DEVICE_CPU = 1;


/** Sequential little-endian reads that check the remaining length first. */
class Cursor {
  pos = 0;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly source: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  fail(problem: string, at = this.pos): never {
    throw new FormatError({ op: 'loadBytes' }, `${this.source}, byte ${at}: ${problem}`);
  }

  need(count: number, what: string): void {
    if (count > this.remaining) this.fail(`${what} needs ${count} bytes, only ${this.remaining} remain`);
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  i32(what: string): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** A u64 or i64 as a number; values beyond 2^53 are reported as too large. */
  int64(what: string, signed: boolean): number {
    this.need(8, what);
    const big = signed ? this.view.getBigInt64(this.pos, true) : this.view.getBigUint64(this.pos, true);
    if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < -BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${what} ${big} is too large`);
    this.pos += 8;
    return Number(big);
  }

  take(count: number, what: string): Uint8Array {
    this.need(count, what);
    const out = this.bytes.slice(this.pos, this.pos + count);
    this.pos += count;
    return out;
  }
}

/** i32 ndim + i64 dims (V1/V2/V3). `null` for an unknown (-1) ndim or dim. */
function readShape(c: Cursor, what: string): number[] | null {
  const at = c.pos;
  const ndim = c.i32(`${what} ndim`);
  if (ndim === -1) return null;
  if (ndim < 0) c.fail(`${what} has ndim ${ndim}`, at);
  c.need(ndim * 8, `${what} (${ndim} dims)`);
  const dims: number[] = [];
  let unknown = false;
  for (let i = 0; i < ndim; i++) {
    const dimAt = c.pos;
    const d = c.int64(`${what} dim ${i}`, true);
    if (d === -1) unknown = true;
    else if (d < 0) c.fail(`${what} dim ${i} is ${d}`, dimAt);
    dims.push(d);
  }
  return unknown ? null : dims;
}

/** Element count of a shape, checked against the bytes left before anything is allocated. */
function checkedBytes(c: Cursor, shape: readonly number[], elementSize: number, what: string): number {
  let elements = 1;
  for (const d of shape) elements = Math.min(elements * d, Number.MAX_SAFE_INTEGER);
  const bytes = elements * elementSize;
  if (bytes > c.remaining) c.fail(`${what} of shape [${shape.join(',')}] needs ${bytes} bytes, only ${c.remaining} remain`);
  return bytes;
}

function readDType(c: Cursor, what: string): { dtype: DType; size: number } {
  const at = c.pos;
  const flag = c.i32(what);
  const dtype = DTYPE_BY_FLAG.get(flag);
  if (dtype === undefined) c.fail(OTHER_FLAGS[flag] ? `dtype ${OTHER_FLAGS[flag]} is not supported by mxts` : `unknown dtype flag ${flag}`, at);
  return { dtype, size: DTYPES[dtype].size };
}

function makeArray(raw: Uint8Array, shape: readonly number[], dtype: DType, deviceId: number): NDArray {
  const array = new NDArray(decode(raw, dtype), shape, { dtype, context: cpu(deviceId) });
  if (dtype !== 'float32') (array as { fileBytes?: Uint8Array }).fileBytes = raw;
  return array;
}

/** A zero-size stand-in for MXNet's "none" arrays (a record with an empty shape). */
function noneArray(): NDArray {
  return new NDArray(new Float32Array(0), [0]);
}

function readContext(c: Cursor): number {
  const at = c.pos;
  const deviceType = c.i32('device type');
  const deviceId = c.i32('device id');
  if (![1, 2, 3, 5].includes(deviceType)) c.fail(`unknown device type ${deviceType}`, at);
  if (deviceId < 0) c.fail(`device id ${deviceId} is negative`, at + 4);
  return deviceType === DEVICE_CPU ? deviceId : 0;
}

/** Sparse V2 records: stored values plus index arrays, scattered into a dense array. */
function readSparse(c: Cursor, storageType: number, recordAt: number): NDArray {
  const storageShape = readShape(c, 'storage shape');
  const shape = readShape(c, 'shape');
  if (!storageShape || !shape || shape.length === 0) return c.fail('sparse record has an unknown shape', recordAt);
  const deviceId = readContext(c);
  const { dtype, size } = readDType(c, 'dtype');
  const auxCount = storageType === 1 ? 1 : 2;
  const aux: { dtype: DType; size: number; shape: number[] }[] = [];
  for (let i = 0; i < auxCount; i++) {
    const auxType = readDType(c, `index ${i} dtype`);
    const auxShape = readShape(c, `index ${i} shape`);
    if (!auxShape || auxShape.length !== 1) return c.fail(`index ${i} must be one-dimensional`);
    aux.push({ ...auxType, shape: auxShape });
  }
  const values = decode(c.take(checkedBytes(c, storageShape, size, 'values'), 'values'), dtype);
  const indices = aux.map((a, i) => decode(c.take(checkedBytes(c, a.shape, a.size, `index ${i}`), `index ${i}`), a.dtype));
  const total = sizeOf(shape);
  if (total > values.length + 16 * c.bytes.length) c.fail(`sparse array of shape [${shape.join(',')}] is too large for its file`, recordAt);
  const dense = allocateValues(dtype, total);
  const rowSize = sizeOf(shape.slice(1));
  if (storageType === 1) {
    const rows = indices[0]!;
    if (rows.length !== storageShape[0] || rows.length * rowSize !== values.length) c.fail('row_sparse values do not match their row indices', recordAt);
    rows.forEach((row, r) => {
      if (!(row >= 0 && row < shape[0]!)) c.fail(`row index ${row} is out of range`, recordAt);
      dense.set(values.subarray(r * rowSize, (r + 1) * rowSize), row * rowSize);
    });
  } else {
    const [indptr, cols] = indices as [DTypeArray, DTypeArray];
    if (shape.length !== 2 || indptr.length !== shape[0]! + 1 || cols.length !== values.length) c.fail('csr indices do not match the shape', recordAt);
    for (let r = 0; r < shape[0]!; r++) {
      const begin = indptr[r]!;
      const end = indptr[r + 1]!;
      if (!(begin >= 0 && begin <= end && end <= values.length)) c.fail(`csr row ${r} has a bad index range`, recordAt);
      for (let k = begin; k < end; k++) {
        const col = cols[k]!;
        if (!(col >= 0 && col < shape[1]!)) c.fail(`csr column index ${col} is out of range`, recordAt);
        dense[r * shape[1]! + col] = values[k]!;
      }
    }
  }
  return new NDArray(dense, shape, { dtype, context: cpu(deviceId) });
}

function readRecord(c: Cursor): NDArray {
  const recordAt = c.pos;
  const first = c.u32('record header');
  let shape: number[] | null;
  if (first === V2_MAGIC || first === V3_MAGIC) {
    const typeAt = c.pos;
    const storageType = c.i32('storage type');
    if (storageType === 1 || storageType === 2) {
      if (first === V3_MAGIC) c.fail('V3 records cannot be sparse', typeAt);
      return readSparse(c, storageType, recordAt);
    }
    if (storageType !== 0) c.fail(`unknown storage type ${storageType}`, typeAt);
    shape = readShape(c, 'shape');
    if (first === V2_MAGIC && shape?.length === 0) shape = null;
  } else if (first === V1_MAGIC) {
    shape = readShape(c, 'shape');
    if (shape?.length === 0) shape = null;
  } else {
    // Legacy: the u32 is ndim, then u32 dims.
    c.need(first * 4, `legacy shape (${first} dims)`);
    shape = Array.from({ length: first }, (_, i) => c.u32(`dim ${i}`));
    if (shape.length === 0) shape = null;
  }
  if (shape === null) return noneArray();
  const deviceId = readContext(c);
  const { dtype, size } = readDType(c, 'dtype');
  const raw = c.take(checkedBytes(c, shape, size, 'data'), 'data');
  return makeArray(raw, shape, dtype, deviceId);
}

/**
 * `mx.nd.load` on bytes: a list for files saved from a list, a prototype-free record (name ->
 * array) for files saved from a dict. `source` names the bytes in errors.
 */
export function loadBytes(bytes: Uint8Array, source = '<bytes>'): NDArrayList {
  if (!(bytes instanceof Uint8Array)) throw new ValueError({ op: 'loadBytes', argument: 'bytes' }, 'must be a Uint8Array');
  // A plain view: Node's Buffer.slice shares memory, Uint8Array.slice copies.
  const c = new Cursor(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), source);
  c.need(24, 'list header');
  const magic = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (magic !== LIST_MAGIC) c.fail(`not an MXNet NDArray file (magic 0x${magic.toString(16)}, expected 0x112)`);
  c.pos = 16;
  const count = c.int64('array count', false);
  // Each record takes at least 4 bytes, so a count beyond that is a lie.
  if (count * 4 > c.remaining) c.fail(`array count ${count} cannot fit in the ${c.remaining} bytes that remain`, 16);
  const arrays: NDArray[] = [];
  for (let i = 0; i < count; i++) arrays.push(readRecord(c));
  const namesAt = c.pos;
  const nameCount = c.int64('name count', false);
  if (nameCount !== 0 && nameCount !== count) c.fail(`has ${nameCount} names for ${count} arrays`, namesAt);
  if (nameCount * 8 > c.remaining) c.fail(`name count ${nameCount} cannot fit in the ${c.remaining} bytes that remain`, namesAt);
  const decoder = new TextDecoder('utf-8');
  const names: string[] = [];
  for (let i = 0; i < nameCount; i++) {
    const length = c.int64(`name ${i} length`, false);
    names.push(decoder.decode(c.take(length, `name ${i}`)));
  }
  // Like MXNet, bytes after the names are ignored.
  if (nameCount === 0) return arrays;
  const named = Object.create(null) as Record<string, NDArray>;
  names.forEach((name, i) => (named[name] = arrays[i]!));
  return named;
}

function recordBytes(array: NDArray): Uint8Array {
  const { flag, size } = DTYPES[array.dtype];
  let data = encode(array.values, array.dtype);
  const original = array.fileBytes;
  if (original && original.length === array.size * size && sameValues(decode(original, array.dtype), array.values)) data = original;
  // 0-d arrays only exist with numpy shapes: MXNet writes them as V3 records.
  const magic = array.ndim === 0 ? V3_MAGIC : V2_MAGIC;
  const out = new Uint8Array(4 + 4 + 4 + 8 * array.ndim + 8 + 4 + data.length);
  const view = new DataView(out.buffer);
  let o = 0;
  view.setUint32(o, magic, true);
  view.setInt32((o += 4), 0, true);
  view.setInt32((o += 4), array.ndim, true);
  o += 4;
  for (const d of array.shape) {
    view.setBigInt64(o, BigInt(d), true);
    o += 8;
  }
  view.setInt32(o, DEVICE_CPU, true);
  view.setInt32(o + 4, array.context.deviceId, true);
  view.setInt32(o + 8, flag, true);
  out.set(data, o + 12);
  return out;
}

/** `mx.nd.save` to bytes: V2 records exactly as MXNet 1.x writes them; a record saves names too. */
export function saveBytes(arrays: readonly NDArray[] | Readonly<Record<string, NDArray>>): Uint8Array {
  const isList = Array.isArray(arrays);
  if (!isList && (typeof arrays !== 'object' || arrays === null)) throw new ValueError({ op: 'saveBytes', argument: 'arrays' }, 'must be a list or a record of NDArrays');
  const names = isList ? [] : Object.keys(arrays);
  const list = isList ? (arrays as readonly NDArray[]) : names.map((n) => (arrays as Readonly<Record<string, NDArray>>)[n]!);
  list.forEach((a, i) => {
    if (!(a instanceof NDArray)) throw new ValueError({ op: 'saveBytes', argument: isList ? `arrays[${i}]` : names[i] }, 'must be an NDArray');
  });
  const encoder = new TextEncoder();
  const records = list.map(recordBytes);
  const encodedNames = names.map((n) => encoder.encode(n));
  const total = 24 + records.reduce((s, r) => s + r.length, 0) + 8 + encodedNames.reduce((s, n) => s + 8 + n.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, LIST_MAGIC, true);
  view.setBigUint64(16, BigInt(list.length), true);
  let o = 24;
  for (const r of records) {
    out.set(r, o);
    o += r.length;
  }
  view.setBigUint64(o, BigInt(encodedNames.length), true);
  o += 8;
  for (const n of encodedNames) {
    view.setBigUint64(o, BigInt(n.length), true);
    out.set(n, o + 8);
    o += 8 + n.length;
  }
  return out;
}

/** `node:fs`, reached only when a file function is called (browsers use the byte functions). */
export function nodeFs(): typeof import('node:fs') {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs');
  if (!fs) throw new ValueError({ op: 'load' }, 'reading and writing files needs Node.js 20.16 or newer; in a browser use the byte and text functions');
  return fs as typeof import('node:fs');
}

const FILE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'there is no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ERR_FS_FILE_TOO_LARGE: 'the file is larger than Node.js can read at once (2 GiB)',
};

/** Reads a whole file; failures (missing, a directory, too large) become a FileError naming the path. */
export function readFileBytes(path: string, op: string): Uint8Array {
  if (typeof path !== 'string' || path === '') throw new ValueError({ op, argument: 'path' }, `must be a non-empty string, got ${typeof path === 'string' ? "''" : typeof path}`);
  const fs = nodeFs();
  try {
    return fs.readFileSync(path);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' && !(err instanceof RangeError)) throw err;
    const codeText = typeof code === 'string' ? code : 'RangeError';
    const reason = FILE_PROBLEMS[codeText] ?? (err as Error).message;
    throw new FileError({ op, argument: 'path', code: codeText }, `cannot read '${path}': ${reason} (${codeText})`);
  }
}

/** `mx.nd.save(fname, data)`. */
export function save(path: string, arrays: readonly NDArray[] | Readonly<Record<string, NDArray>>): void {
  nodeFs().writeFileSync(path, saveBytes(arrays));
}

/** `mx.nd.load(fname)`. */
export function load(path: string): NDArrayList {
  return loadBytes(readFileBytes(path, 'load'), path);
}
