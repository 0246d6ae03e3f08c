/**
 * `.params` files of every dtype, bit for bit. Golden bytes are written here from the format in
 * ../shared/reference/params-format.md (list header 0x112, V2 record 0xF993FAC9, storage type 0,
 * ndim + i64 dims, cpu(0), the mshadow dtype flag, little-endian elements); MXNet's own files are
 * all float32 (tests/interop covers them).
 */
import * as mx from 'mxts';

/** One named V2 record: the bytes MXNet 1.x writes for a 1-d array of `flag` with `data`. */
function file(name: string, flag: number, length: number, data: number[]): Uint8Array {
  const out: number[] = [];
  const u = (v: bigint, bytes: number) => {
    for (let i = 0; i < bytes; i++) out.push(Number((BigInt.asUintN(8 * bytes, v) >> BigInt(8 * i)) & 0xffn));
  };
  u(0x112n, 8), u(0n, 8), u(1n, 8); // list magic, reserved, 1 array
  u(0xf993fac9n, 4), u(0n, 4), u(1n, 4), u(BigInt(length), 8); // V2, dense, ndim 1, the dim
  u(1n, 4), u(0n, 4), u(BigInt(flag), 4); // cpu, device 0, dtype flag
  out.push(...data);
  const encoded = new TextEncoder().encode(name);
  u(1n, 8), u(BigInt(encoded.length), 8);
  out.push(...encoded);
  return Uint8Array.from(out);
}

const CASES: [mx.DType, number, number[], number[]][] = [
  // dtype, flag, element bytes (little-endian), the values they stand for
  ['float32', 0, [0, 0, 0x80, 0x3f, 1, 0, 0xc0, 0x7f, 0, 0, 0, 0x80], [1, NaN, -0]],
  ['float64', 1, [0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f, 0, 0, 0, 0, 0, 0, 0xf0, 0xff], [0.1, -Infinity]],
  ['float16', 2, [0x00, 0x3c, 0x01, 0x00, 0x00, 0x80, 0xff, 0x7b, 0x01, 0x7e], [1, 2 ** -24, -0, 65504, NaN]],
  ['uint8', 3, [0, 255, 128], [0, 255, 128]],
  ['int32', 4, [0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0x80], [2 ** 31 - 1, -(2 ** 31)]],
  ['int8', 5, [0x80, 0x7f, 0xff], [-128, 127, -1]],
  ['int64', 6, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0x00, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [2 ** 53 - 1, -2]],
  ['bool', 7, [1, 0, 1], [1, 0, 1]],
];

describe('.params of every dtype', () => {
  test.each(CASES)('%s (flag %i): loads the exact values in its storage and re-saves the same bytes', (dtype, flag, bytes, values) => {
    const golden = file('w', flag, values.length, bytes);
    const w = (mx.nd.loadBytes(golden) as Record<string, mx.NDArray>)['w']!;
    expect(w.dtype).toBe(dtype);
    expect(Array.from(w.values)).toEqual(values);
    expect(mx.nd.saveBytes({ w })).toEqual(golden);
  });

  test.each(CASES.filter(([dtype]) => dtype !== 'float32' && dtype !== 'float16'))('%s arrays made in mxts save as MXNet would write them', (dtype, flag, bytes, values) => {
    const w = mx.nd.array(values, { dtype });
    expect(mx.nd.saveBytes({ w })).toEqual(file('w', flag, values.length, bytes));
  });

  test('float16 arrays made in mxts save their half bits (rounded to nearest even)', () => {
    const w = mx.nd.array([1, 1 + 2 ** -11, 1 + 3 * 2 ** -11, -0], { dtype: 'float16' });
    expect(mx.nd.saveBytes({ w })).toEqual(file('w', 2, 4, [0x00, 0x3c, 0x00, 0x3c, 0x02, 0x3c, 0x00, 0x80]));
  });

  test('a float16 NaN payload and int64 beyond 2^53 survive a load/save round trip unchanged', () => {
    const nan = file('w', 2, 1, [0x23, 0x7e]); // a quiet NaN with payload 0x23
    expect(mx.nd.saveBytes(mx.nd.loadBytes(nan) as Record<string, mx.NDArray>)).toEqual(nan);
    const big = file('w', 6, 1, [1, 0, 0, 0, 0, 0, 0x20, 0]); // 2^53 + 1
    expect(mx.nd.saveBytes(mx.nd.loadBytes(big) as Record<string, mx.NDArray>)).toEqual(big);
  });

  test('arrays computed in their dtype save in that dtype (an int32 result stays int32 on disk)', () => {
    const r = mx.nd.array([7, -7], { dtype: 'int32' }).div(2);
    const back = (mx.nd.loadBytes(mx.nd.saveBytes({ r })) as Record<string, mx.NDArray>)['r']!;
    expect(back.dtype).toBe('int32');
    expect(Array.from(back.values)).toEqual([3, -3]);
  });
});
