/**
 * Storage per dtype, conversions (C casts), `astype` and `Cast`: golden values from MXNet's
 * test_ndarray.py (test_ndarray_astype) and test_operator.py (test_cast, test_cast_float32_to_float16),
 * re-derived from the C cast rules (truncate toward zero, wrap modulo 2^bits, bool = x != 0,
 * float16 rounds to nearest even).
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../helpers/backends';

describe('storage: each dtype in its own typed array', () => {
  test.each([
    ['float32', Float32Array], ['float64', Float64Array], ['float16', Float32Array], ['uint8', Uint8Array],
    ['int8', Int8Array], ['int32', Int32Array], ['int64', Float64Array], ['bool', Uint8Array],
  ] as const)('%s is stored in a %p', (dtype, storage) => {
    const a = mx.nd.zeros([2, 2], { dtype });
    expect(a.dtype).toBe(dtype);
    expect(a.values).toBeInstanceOf(storage);
    expect(a.size).toBe(4);
  });

  test('.data is the float32 buffer; on another dtype it throws a DTypeError saying what to use', () => {
    expect(mx.nd.ones([2]).data).toBeInstanceOf(Float32Array);
    const i = mx.nd.ones([2], { dtype: 'int32' });
    expect(() => i.data).toThrow(mx.DTypeError);
    expect(() => i.data).toThrow("NDArray: data is the float32 buffer, but this array is int32: read .values (its Int32Array) or convert with .astype('float32')");
  });

  test('mx.nd.array: float32 by default (also for typed arrays, as MXNet for numpy arrays); an NDArray source keeps its dtype', () => {
    expect(mx.nd.array(new Int32Array([1, 2])).dtype).toBe('float32');
    expect(mx.nd.array(new Float64Array([0.1])).values[0]).toBe(Math.fround(0.1));
    const d = mx.nd.array([0.1, 0.2], { dtype: 'float64' });
    expect(Array.from(d.values)).toEqual([0.1, 0.2]);
    expect(mx.nd.array(d).dtype).toBe('float64');
    expect(mx.nd.array(d, { dtype: 'int32' }).dtype).toBe('int32');
  });

  test('creation functions take dtype: zeros, ones, full (value cast), arange; zerosLike/onesLike keep it', () => {
    expect(Array.from(mx.nd.full([3], 2.7, { dtype: 'int32' }).values)).toEqual([2, 2, 2]);
    expect(Array.from(mx.nd.full([2], -1, { dtype: 'uint8' }).values)).toEqual([255, 255]);
    expect(Array.from(mx.nd.ones([2], { dtype: 'bool' }).values)).toEqual([1, 1]);
    expect(Array.from(mx.nd.arange(0, 3, 1, { dtype: 'int64' }).values)).toEqual([0, 1, 2]);
    expect(mx.nd.zerosLike(mx.nd.ones([1], { dtype: 'int8' })).dtype).toBe('int8');
    expect(mx.nd.onesLike(mx.nd.ones([1], { dtype: 'float64' })).dtype).toBe('float64');
    expect(() => mx.nd.zeros([1], { dtype: 'int128' as never })).toThrow(/dtype must be one of float32, float64, float16, uint8, int32, int8, int64, bool/);
  });

  test('set converts to the array dtype by C casts (a[:] = x in MXNet)', () => {
    const a = mx.nd.zeros([4], { dtype: 'int8' });
    a.set([127.9, 128, -129, -0.5]);
    expect(Array.from(a.values)).toEqual([127, -128, 127, 0]);
    a.set(3.5);
    expect(Array.from(a.values)).toEqual([3, 3, 3, 3]);
    const h = mx.nd.zeros([1], { dtype: 'float16' });
    h.set(mx.nd.array([0.1]));
    expect(h.values[0]).toBe(0.0999755859375); // the float16 nearest 0.1
  });

  test('int64 holds integers exactly up to 2^53', () => {
    const big = mx.nd.array([2 ** 53, -(2 ** 40) - 0.5], { dtype: 'int64' });
    expect(Array.from(big.values)).toEqual([2 ** 53, -(2 ** 40)]);
  });

  test('toString prints integer dtypes as numpy does', () => {
    expect(mx.nd.array([1, -2], { dtype: 'int32' }).toString()).toBe('array([ 1, -2], dtype=int32)');
  });
});

describe('astype (test_ndarray_astype)', () => {
  test('astype copies unless copy: false and the dtype is the same', () => {
    const x = mx.nd.zeros([2, 3], { dtype: 'int32' });
    const y = x.astype('float32');
    expect(y.dtype).toBe('float32');
    expect(y).not.toBe(x);
    expect(x.astype('float32', { copy: false })).not.toBe(x);
    expect(x.astype('int32')).not.toBe(x);
    expect(x.astype('int32').dtype).toBe('int32');
    expect(x.astype('int32', { copy: false })).toBe(x);
  });
});

describeEachBackend('Cast', () => {
  const X = [-2.5, -1.5, -0.5, 0, 0.7, 1.5, 127.9, 200.2, 300, -129];
  test.each([
    ['int32', [-2, -1, 0, 0, 0, 1, 127, 200, 300, -129]],
    ['int64', [-2, -1, 0, 0, 0, 1, 127, 200, 300, -129]],
    ['int8', [-2, -1, 0, 0, 0, 1, 127, -56, 44, 127]],
    ['uint8', [254, 255, 0, 0, 0, 1, 127, 200, 44, 127]],
    ['bool', [1, 1, 1, 0, 1, 1, 1, 1, 1, 1]],
    ['float64', X.map(Math.fround)],
  ] as const)('float32 -> %s is a C cast', (dtype, expected) => {
    const out = mx.nd.Cast(mx.nd.array(X), { dtype });
    expect(out.dtype).toBe(dtype);
    expect(Array.from(out.values)).toEqual(expected);
  });

  test('float32 -> float16 rounds to nearest even, overflows to inf, underflows to 0 (test_cast_float32_to_float16)', () => {
    const x = mx.nd.array([1, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 65504, 65519, 65520, 2 ** -24, 2 ** -25, 3 * 2 ** -26, -0]);
    const h = x.astype('float16');
    expect(Array.from(h.values)).toEqual([1, 1, 1 + 2 ** -9, 65504, 65504, Infinity, 2 ** -24, 0, 2 ** -24, -0]);
  });

  // test_operator.py test_cast: Cast between int32, float32 and float16, forward and backward.
  const TYPES = ['int32', 'float32', 'float16'] as const;
  const cast = (values: number[], dtype: mx.DType) => Array.from(mx.nd.array(values, { dtype: 'float64' }).astype(dtype).values);
  test.each(TYPES.flatMap((src) => TYPES.map((dst) => [src, dst] as const)))('Cast %s -> %s in a bound graph: values and the gradient cast back', (src, dst) => {
    mx.random.seed(3);
    const X = Array.from(mx.nd.random.uniform(-10, 10, [10, 10]).values);
    const y = mx.sym.Cast(mx.sym.Variable('x', { dtype: src }), { dtype: dst });
    const exe = y.simpleBind(mx.cpu(), { shapes: { x: [10, 10] } });
    expect(exe.argArrays[0]!.dtype).toBe(src);
    expect(exe.outputs[0]!.dtype).toBe(dst);
    exe.argArrays[0]!.set(X);
    exe.forward(true);
    exe.backward(mx.nd.array(X, { dtype: dst, shape: [10, 10] }));
    expect(Array.from(exe.outputs[0]!.values)).toEqual(cast(cast(X, src), dst));
    expect(Array.from(exe.gradArrays[0]!.values)).toEqual(cast(cast(X, dst), src));
  });

  test('mx.nd.cast and mx.sym.cast agree; astype on symbols makes the same Cast', () => {
    const x = mx.nd.array([[1.7, -3.2]]);
    const viaSym = mx.sym.Variable('x').astype('int8').bind(mx.cpu(), { x }).forward()[0]!;
    expect(viaSym.dtype).toBe('int8');
    expect(Array.from(viaSym.values)).toEqual(Array.from(mx.nd.cast(x, { dtype: 'int8' }).values));
  });

  test('bfloat16 is refused: mxts has no bfloat16 storage', () => {
    expect(() => mx.nd.Cast(mx.nd.ones([1]), { dtype: 'bfloat16' as never })).toThrow(mx.ParamError);
  });
});
