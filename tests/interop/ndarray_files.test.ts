/**
 * MXNet's NDArray list files (`.params`, `.nd`): the real files in ../shared/mxnet-files/params
 * (legacy V0, V1, V2), byte layouts built by hand in the tests (every dtype, V3, sparse, "none"),
 * byte-identical V2 re-saving, and fast-check mutations that must load or throw FormatError.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { NDArrayList, loadBytes, saveBytes } from '../../src/ndarray/serialize';
import { describeSharedFiles, paramsFiles, readParamsBytes } from './shared_files';

/** Little-endian byte builder for hand-made files. */
class Bytes {
  private readonly parts: number[] = [];
  u32(v: number): this {
    for (let i = 0; i < 4; i++) this.parts.push((v >>> (8 * i)) & 0xff);
    return this;
  }
  i32(v: number): this {
    return this.u32(v >>> 0);
  }
  u64(v: number | bigint): this {
    const big = BigInt.asUintN(64, BigInt(v));
    for (let i = 0n; i < 8n; i++) this.parts.push(Number((big >> (8n * i)) & 0xffn));
    return this;
  }
  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.parts.push(bytes[i]!);
    return this;
  }
  typed(array: ArrayBufferView): this {
    return this.raw(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }
  header(count: number): this {
    return this.u64(0x112).u64(0).u64(count);
  }
  /** A dense V2 record header: magic, storage type, shape, cpu(0), dtype flag. */
  v2(shape: number[], flag: number, magic = 0xf993fac9): this {
    this.u32(magic).i32(0).i32(shape.length);
    shape.forEach((d) => this.u64(d));
    return this.i32(1).i32(0).i32(flag);
  }
  names(names: string[]): this {
    this.u64(names.length);
    for (const n of names) {
      const b = new TextEncoder().encode(n);
      this.u64(b.length).raw(b);
    }
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const asList = (r: NDArrayList) => {
  expect(Array.isArray(r)).toBe(true);
  return r as mx.NDArray[];
};
const asRecord = (r: NDArrayList) => {
  expect(Array.isArray(r)).toBe(false);
  return r as Record<string, mx.NDArray>;
};

function expectFormatError(bytes: Uint8Array, pattern: RegExp): void {
  expect(() => loadBytes(bytes, 'bad.params')).toThrow(mx.FormatError);
  expect(() => loadBytes(bytes, 'bad.params')).toThrow(pattern);
}

describe('NDArray lists: layouts and dtypes', () => {
  test('V2 float32 list written by hand loads; saveBytes writes the same bytes', () => {
    const bytes = new Bytes().header(1).v2([2, 3], 0).typed(new Float32Array([1, 2, 3, 4, 5, 6])).names([]).done();
    const [a] = asList(loadBytes(bytes));
    expect(a!.shape).toEqual([2, 3]);
    expect(Array.from(a!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(saveBytes([a!])).toEqual(bytes);
  });

  test('V1 (0.11) and legacy V0 records load', () => {
    const v1 = new Bytes().header(1).u32(0xf993fac8).i32(2).u64(1).u64(2).i32(1).i32(0).i32(0).typed(new Float32Array([7, 8])).names(['w']).done();
    expect(Array.from(asRecord(loadBytes(v1))['w']!.data)).toEqual([7, 8]);
    const v0 = new Bytes().header(1).u32(1).u32(3).i32(1).i32(0).i32(0).typed(new Float32Array([1, 2, 3])).names([]).done();
    expect(asList(loadBytes(v0))[0]!.shape).toEqual([3]);
  });

  const DTYPE_CASES: [mx.DType, number, ArrayBufferView, number[]][] = [
    ['float64', 1, new Float64Array([0.1, -2.5, 1e300]), [0.1, -2.5, 1e300]],
    ['float16', 2, new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00]), [1, -2, 65504, 2 ** -24, Infinity]],
    ['uint8', 3, new Uint8Array([0, 255, 7]), [0, 255, 7]],
    ['int32', 4, new Int32Array([-5, 2 ** 30 + 1, 3]), [-5, 2 ** 30 + 1, 3]],
    ['int8', 5, new Int8Array([-128, 127, 0]), [-128, 127, 0]],
    ['int64', 6, new BigInt64Array([-3n, 2n ** 40n + 1n]), [-3, 2 ** 40 + 1]],
    ['bool', 7, new Uint8Array([1, 0, 1]), [1, 0, 1]],
  ];

  test.each(DTYPE_CASES)('%s (flag %i) loads its exact values in its own storage and re-saves byte for byte', (dtype, flag, typed, values) => {
    const bytes = new Bytes().header(1).v2([values.length], flag).typed(typed).names(['x']).done();
    const x = asRecord(loadBytes(bytes))['x']!;
    expect(x.dtype).toBe(dtype);
    expect(Array.from(x.values)).toEqual(values);
    expect(saveBytes({ x })).toEqual(bytes);
  });

  test('a changed non-float32 array is re-encoded from its values (C casts for integers)', () => {
    const bytes = new Bytes().header(1).v2([2], 4).typed(new Int32Array([1, 2])).names([]).done();
    const [x] = asList(loadBytes(bytes));
    x!.set([3.9, -2.5]);
    const back = asList(loadBytes(saveBytes([x!])))[0]!;
    expect(back.dtype).toBe('int32');
    expect(Array.from(back.values)).toEqual([3, -2]);
  });

  test('float16 writing rounds to nearest even', () => {
    const h = new mx.NDArray(new Float32Array([1, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 65520, -0, 2 ** -25]), [6], { dtype: 'float16' });
    const back = asList(loadBytes(saveBytes([h])))[0]!;
    expect(Array.from(back.values)).toEqual([1, 1, 1 + 2 ** -9, Infinity, -0, 0]);
  });

  test('a 0-d array is written as a V3 record (numpy shape) and read back as a scalar', () => {
    const s = new mx.NDArray(new Float32Array([42]), []);
    const bytes = saveBytes([s]);
    expect(new DataView(bytes.buffer).getUint32(24, true)).toBe(0xf993faca);
    const back = asList(loadBytes(bytes))[0]!;
    expect(back.shape).toEqual([]);
    expect(back.asscalar()).toBe(42);
  });

  test('"none" records (empty shape) load as empty arrays', () => {
    const bytes = new Bytes().header(2).u32(0xf993fac9).i32(0).i32(0).u32(0).names([]).done();
    const [a, b] = asList(loadBytes(bytes));
    expect(a!.size).toBe(0);
    expect(b!.size).toBe(0);
  });

  test('sparse V2 records (row_sparse, csr) load as dense arrays', () => {
    const rowSparse = new Bytes()
      .header(1)
      .u32(0xf993fac9).i32(1)
      .i32(2).u64(2).u64(2) // storage shape (2 stored rows, 2)
      .i32(2).u64(4).u64(2) // shape (4, 2)
      .i32(1).i32(0).i32(0) // cpu(0), float32
      .i32(6).i32(1).u64(2) // row indices: int64, shape (2,)
      .typed(new Float32Array([1, 2, 3, 4]))
      .typed(new BigInt64Array([1n, 3n]))
      .names([])
      .done();
    expect(asList(loadBytes(rowSparse))[0]!.toArray()).toEqual([[0, 0], [1, 2], [0, 0], [3, 4]]);
    const csr = new Bytes()
      .header(1)
      .u32(0xf993fac9).i32(2)
      .i32(1).u64(3) // storage shape (nnz,)
      .i32(2).u64(2).u64(3) // shape (2, 3)
      .i32(1).i32(0).i32(0)
      .i32(6).i32(1).u64(3) // indptr
      .i32(6).i32(1).u64(3) // column indices
      .typed(new Float32Array([5, 6, 7]))
      .typed(new BigInt64Array([0n, 1n, 3n]))
      .typed(new BigInt64Array([2n, 0n, 1n]))
      .names([])
      .done();
    expect(asList(loadBytes(csr))[0]!.toArray()).toEqual([[0, 0, 5], [6, 7, 0]]);
  });

  test('bad bytes give FormatError naming the source and byte offset', () => {
    expectFormatError(new Uint8Array(10), /bad\.params, byte 0: list header needs 24 bytes/);
    expectFormatError(new Bytes().u64(0x113).u64(0).u64(0).u64(0).done(), /byte 0: not an MXNet NDArray file/);
    expectFormatError(new Bytes().header(1).v2([2], 0).typed(new Float32Array([1, 2])).names(['a', 'b']).done(), /has 2 names for 1 arrays/);
    expectFormatError(new Bytes().header(1).v2([2], 8).raw([0, 0, 0, 0]).names([]).done(), /byte 52: dtype int16 is not supported/);
    expectFormatError(new Bytes().header(1).v2([2], 0).typed(new Float32Array([1])).done(), /data of shape \[2\] needs 8 bytes, only 4 remain/);
    expectFormatError(new Bytes().header(2 ** 40).done(), /array count 1099511627776 cannot fit/);
    expectFormatError(new Bytes().header(1).u32(0xf993fac9).i32(0).i32(2).u64(2n ** 62n).u64(2n ** 62n).done(), /too large|needs/);
    expectFormatError(new Bytes().header(1).u32(0xf993fac9).i32(5).done(), /unknown storage type 5/);
  });

  test('a list saves with no names, a record with its names in order', () => {
    const a = mx.nd.array([1, 2]);
    const b = mx.nd.array([[3]]);
    expect(asList(loadBytes(saveBytes([a, b]))).map((x) => x.shape)).toEqual([[2], [1, 1]]);
    expect(Object.keys(asRecord(loadBytes(saveBytes({ z: a, a: b }))))).toEqual(['z', 'a']);
  });

  test('__proto__ and constructor names are ordinary keys of a prototype-free record', () => {
    const arrays = Object.create(null) as Record<string, mx.NDArray>;
    arrays['__proto__'] = mx.nd.array([1]);
    arrays['constructor'] = mx.nd.array([2]);
    const loaded = asRecord(loadBytes(saveBytes(arrays)));
    expect(Object.getPrototypeOf(loaded)).toBeNull();
    expect(Object.keys(loaded)).toEqual(['__proto__', 'constructor']);
    expect(loaded['__proto__']!.data[0]).toBe(1);
    expect(loaded['constructor']!.data[0]).toBe(2);
    expect(({} as Record<string, unknown>)['data']).toBeUndefined();
  });
});

/**
 * An independent reader of the headers (names, shapes, dtype flags, data offsets) of dense
 * files, written from params-format.md, to check the loader against.
 */
function readHeaders(bytes: Uint8Array): { names: string[]; nameFields: number[]; records: { shape: number[]; flag: number; dataAt: number; lengthFields: number[] }[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 16;
  const count = Number(view.getBigUint64(o, true));
  o += 8;
  const records = [];
  for (let r = 0; r < count; r++) {
    const magic = view.getUint32(o, true);
    const lengthFields: number[] = [];
    let shape: number[] = [];
    if (magic === 0xf993fac9 || magic === 0xf993fac8) {
      o += magic === 0xf993fac9 ? 8 : 4;
      lengthFields.push(o);
      const ndim = view.getInt32(o, true);
      o += 4;
      for (let i = 0; i < ndim; i++, o += 8) {
        lengthFields.push(o);
        shape.push(Number(view.getBigInt64(o, true)));
      }
    } else {
      lengthFields.push(o);
      o += 4;
      shape = Array.from({ length: magic }, (_, i) => view.getUint32(o + 4 * i, true));
      shape.forEach((_, i) => lengthFields.push(o + 4 * i));
      o += 4 * magic;
    }
    const flag = view.getInt32(o + 8, true);
    o += 12;
    records.push({ shape, flag, dataAt: o, lengthFields });
    o += shape.reduce((a, b) => a * b, 1) * [4, 8, 2, 1, 4, 1, 8, 1][flag]!;
  }
  const nameFields = [o];
  const nameCount = Number(view.getBigUint64(o, true));
  o += 8;
  const names: string[] = [];
  for (let i = 0; i < nameCount; i++) {
    nameFields.push(o);
    const length = Number(view.getBigUint64(o, true));
    names.push(new TextDecoder().decode(bytes.subarray(o + 8, o + 8 + length)));
    o += 8 + length;
  }
  expect(o).toBe(bytes.length);
  return { names, nameFields, records };
}

const FLAG_NAMES = ['float32', 'float64', 'float16', 'uint8', 'int32', 'int8', 'int64', 'bool'];

function entriesOf(loaded: NDArrayList): [string, mx.NDArray][] {
  return Array.isArray(loaded) ? loaded.map((a, i): [string, mx.NDArray] => [String(i), a]) : Object.keys(loaded).map((k): [string, mx.NDArray] => [k, loaded[k]!]);
}

/** Mutations of bytes: flips, truncations, and length fields set to huge or off-by-some values. */
function mutatedBytes(base: Uint8Array, lengthFields: number[]): fc.Arbitrary<Uint8Array> {
  const at = fc.nat({ max: base.length - 1 });
  const flip = fc.tuple(at, fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
    const out = base.slice();
    out[i] ^= x;
    return out;
  });
  const truncate = at.map((i) => base.slice(0, i));
  const inflate = fc
    .tuple(fc.constantFrom(...lengthFields), fc.constantFrom(0xffffffff, 0x7fffffff, 1e6, 2 ** 31, -1, 0))
    .map(([field, value]) => {
      const out = base.slice();
      new DataView(out.buffer).setUint32(field, value >>> 0, true);
      return out;
    });
  return fc.oneof(flip, truncate, inflate);
}

describeSharedFiles('real MXNet NDArray files', () => {
  const files = paramsFiles();

  test('all 8 files are there', () => {
    expect(files).toHaveLength(8);
  });

  describe.each(files)('%s', (file) => {
    const bytes = readParamsBytes(file);
    const headers = readHeaders(bytes);

    test('loads with the names, shapes, dtypes and values the bytes hold', () => {
      const entries = entriesOf(loadBytes(bytes, file));
      expect(entries.map(([n]) => n)).toEqual(headers.names.length ? headers.names : headers.records.map((_, i) => String(i)));
      entries.forEach(([, array], i) => {
        const record = headers.records[i]!;
        expect(array.shape).toEqual(record.shape);
        expect(array.dtype).toBe(FLAG_NAMES[record.flag]);
        const view = new DataView(bytes.buffer, bytes.byteOffset + record.dataAt);
        for (const k of [0, array.size - 1]) expect(array.data[k]).toBe(view.getFloat32(4 * k, true));
      });
      if (headers.names.length) for (const n of headers.names) expect(n).toMatch(/^(arg:|aux:|mean_img$)/);
    });

    test('saves and loads back to the same names, shapes and values', () => {
      const loaded = loadBytes(bytes, file);
      const again = entriesOf(loadBytes(saveBytes(loaded)));
      const before = entriesOf(loaded);
      expect(again.map(([n, a]) => [n, a.shape, a.dtype])).toEqual(before.map(([n, a]) => [n, a.shape, a.dtype]));
      again.forEach(([, a], i) => expect(a.data).toEqual(before[i]![1].data));
    });

    if (new DataView(bytes.buffer).getUint32(24, true) === 0xf993fac9) {
      test('a V2 file saved again is byte-identical', () => {
        expect(saveBytes(loadBytes(bytes, file))).toEqual(bytes);
      });
    }

    test('mutants (byte flips, truncations, inflated lengths) load or throw FormatError, never over-allocate', () => {
      const lengthFields = [16, ...headers.records.flatMap((r) => r.lengthFields), ...headers.nameFields];
      fc.assert(
        fc.property(mutatedBytes(bytes, lengthFields), (mutant) => {
          try {
            const loaded = loadBytes(mutant, 'mutant');
            const elements = entriesOf(loaded).reduce((s, [, a]) => s + a.size, 0);
            expect(elements).toBeLessThanOrEqual(mutant.length);
          } catch (err) {
            if (!(err instanceof mx.FormatError)) throw err;
            expect((err as Error).message).toMatch(/^loadBytes: mutant, byte \d+: /);
          }
        }),
        { numRuns: 150, seed: 11 },
      );
    });
  });

  test("MXNet's legacy_ndarray.v0 holds arange(128) six times, as test_ndarray_legacy_load checks", () => {
    const arrays = asList(loadBytes(readParamsBytes('apache-mxnet_legacy_ndarray.v0')));
    expect(arrays).toHaveLength(6);
    for (const a of arrays) expect(Array.from(a.data)).toEqual(Array.from({ length: 128 }, (_, i) => i));
  });

  test('the three layouts are all represented (V0, V1, V2)', () => {
    const magics = new Set(files.map((f) => new DataView(readParamsBytes(f).buffer).getUint32(24, true)));
    expect(magics.has(0xf993fac8)).toBe(true);
    expect(magics.has(0xf993fac9)).toBe(true);
    expect([...magics].some((m) => m < 32)).toBe(true);
  });
});
