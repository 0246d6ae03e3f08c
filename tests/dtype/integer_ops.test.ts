/**
 * Integer and bool dtypes computing as MXNet 1.9's C++ kernels do: integer division truncates
 * toward zero, `mod` takes the divisor's sign (mshadow_op::mod, 0 for a zero divisor), stores
 * wrap modulo 2^bits, scalar operands are cast to the array's dtype first (`DType(scalar)`),
 * and legacy comparisons return the input dtype. Unsupported op/dtype pairs are DTypeErrors.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../helpers/backends';

const int32 = (values: number[]) => mx.nd.array(values, { dtype: 'int32' });
const list = (a: mx.NDArray) => Array.from(a.values);

describeEachBackend('integer arithmetic', () => {
  test('integer division truncates toward zero (C division), elementwise, broadcast and scalar', () => {
    const a = int32([7, -7, 7, -7, 1]);
    const b = int32([2, 2, -2, -2, 3]);
    expect(list(mx.nd.elemwise_div(a, b))).toEqual([3, -3, -3, 3, 0]);
    expect(list(mx.nd.broadcast_div(a, b))).toEqual([3, -3, -3, 3, 0]);
    expect(list(a.div(2))).toEqual([3, -3, 3, -3, 0]);
    expect(mx.nd.elemwise_div(a, b).dtype).toBe('int32');
  });

  test('mod follows mshadow_op::mod: the divisor`s sign, 0 for a zero divisor', () => {
    const a = int32([7, -7, 7, -7, 6, 5]);
    const b = int32([3, 3, -3, -3, 3, 0]);
    expect(list(mx.nd.broadcast_mod(a, b))).toEqual([1, 2, -2, -1, 0, 0]);
    expect(list(mx.nd._mod(a, b))).toEqual([1, 2, -2, -1, 0, 0]);
    expect(list(int32([-7, 7]).mod(3))).toEqual([2, 1]);
  });

  test('scalar operands are cast to the integer dtype first: DType(2.5) = 2', () => {
    expect(list(int32([3, 7]).mul(2.5))).toEqual([6, 14]);
    expect(list(int32([7, -7]).div(2.5))).toEqual([3, -3]);
    expect(list(int32([1, -1]).add(2.5))).toEqual([3, 1]);
    expect(list(int32([2, 3]).greaterEqual(2.5))).toEqual([1, 1]);
    expect(list(mx.nd._rminus_scalar(int32([1]), { scalar: 9.9 }))).toEqual([8]);
  });

  test('stores wrap modulo 2^bits as C casts do (int8, uint8, int32)', () => {
    const i8 = mx.nd.array([100, -100], { dtype: 'int8' });
    expect(list(i8.add(i8))).toEqual([-56, 56]);
    const u8 = mx.nd.array([200, 5], { dtype: 'uint8' });
    expect(list(mx.nd.elemwise_add(u8, mx.nd.array([100, 0], { dtype: 'uint8' })))).toEqual([44, 5]);
    expect(list(mx.nd.elemwise_sub(mx.nd.array([0], { dtype: 'uint8' }), mx.nd.array([1], { dtype: 'uint8' })))).toEqual([255]);
    expect(list(int32([2 ** 31 - 1]).add(1))).toEqual([-(2 ** 31)]);
  });

  test('comparisons return the input dtype (MXNet 1.9 legacy ops): 1 where true', () => {
    const a = int32([1, 5, 3]);
    const eq = mx.nd.broadcast_equal(a, int32([1, 2, 3]));
    expect(eq.dtype).toBe('int32');
    expect(list(eq)).toEqual([1, 0, 1]);
    const g = mx.nd.array([0.5, 2], { dtype: 'float64' }).greater(1);
    expect(g.dtype).toBe('float64');
    expect(list(g)).toEqual([0, 1]);
  });

  test('sum, max, argmax and sort on int32 (argmax: the input dtype, ElemwiseType<1,1>)', () => {
    const a = mx.nd.array([[3, 9, 2], [2 ** 30, 2 ** 30, 5]], { dtype: 'int32' });
    const s = mx.nd.sum(a, { axis: 1 });
    expect(s.dtype).toBe('int32');
    expect(list(s)).toEqual([14, -(2 ** 31) + 5]); // 2^31 + 5 wraps as int32 accumulation does
    expect(list(mx.nd.max(a, { axis: 1 }))).toEqual([9, 2 ** 30]);
    const am = mx.nd.argmax(a, { axis: 1 });
    expect(am.dtype).toBe('int32');
    expect(list(am)).toEqual([1, 0]);
    expect(list(mx.nd.sort(int32([3, -1, 2])))).toEqual([-1, 2, 3]);
  });

  test('uint8 image -> Cast -> float32 network (the usual input pipeline) in one executor', () => {
    const img = mx.sym.Variable('img', { dtype: 'uint8' });
    const fc = mx.sym.FullyConnected({ data: mx.sym.Cast(img, { dtype: 'float32' }).div(255), num_hidden: 2, no_bias: true, name: 'fc' });
    expect(fc.inferType()).toEqual({ argTypes: ['uint8', 'float32'], outTypes: ['float32'], auxTypes: [] });
    const exec = fc.simpleBind(mx.cpu(), { shapes: { img: [1, 3] }, gradReq: { img: 'null', fc_weight: 'write' } });
    expect(exec.argDict.img!.dtype).toBe('uint8');
    exec.argDict.img!.set([255, 51, 300]); // 300 wraps to 44
    exec.argDict.fc_weight!.set([1, 1, 1, 1, 0, -1]);
    const [out] = exec.forward(true);
    const pixels = [1, 51 / 255, 44 / 255].map(Math.fround);
    mx.testUtils.assertAlmostEqual(out!, [[pixels[0]! + pixels[1]! + pixels[2]!, pixels[0]! - pixels[2]!]], { rtol: 1e-6, atol: 1e-7 });
    exec.backward(mx.nd.ones([1, 2]));
    mx.testUtils.assertAlmostEqual(exec.gradDict.fc_weight!, [pixels, pixels], { rtol: 1e-6, atol: 1e-7 });
  });

  test('creation ops in a graph make their dtype: ones(int32) / 2 truncates; arange(int64) sums exactly', () => {
    const half = mx.sym.ones([3], 'int32').mul(5).div(2);
    const [out] = half.bind(mx.cpu(), {}).forward();
    expect(out!.dtype).toBe('int32');
    expect(list(out!)).toEqual([2, 2, 2]);
    const total = mx.sym.sum(mx.sym.arange(0, 5, 1, { dtype: 'int64' })).bind(mx.cpu(), {}).forward()[0]!;
    expect([total.dtype, list(total)]).toEqual(['int64', [10]]);
  });

  test('mx.nd and mx.sym agree on integer ops', () => {
    const a = int32([9, -9, 4]);
    const b = int32([4, 4, -3]);
    const bv = mx.sym.Variable('b');
    const sym = mx.sym.broadcast_mod(mx.sym.elemwise_div(mx.sym.Variable('a'), bv), bv);
    const [viaSym] = sym.bind(mx.cpu(), { a, b }, { gradReq: 'null' }).forward();
    expect(viaSym!.dtype).toBe('int32');
    expect(list(viaSym!)).toEqual(list(mx.nd.broadcast_mod(mx.nd.elemwise_div(a, b), b)));
  });
});

describeEachBackend('float16 computes in float32 and rounds every result to half', () => {
  test('1 + 2^-11 is 1 in float16; products round to nearest even', () => {
    const h = mx.nd.array([1, 1000], { dtype: 'float16' });
    expect(list(h.add(2 ** -11))).toEqual([1, 1000]);
    // The scalar is cast to float16 first (1.001 -> 1 + 2^-10), then each product rounds to half.
    expect(list(h.mul(1.001))).toEqual([1 + 2 ** -10, 1001]);
    const sym = mx.sym.elemwise_mul(mx.sym.Variable('x', { dtype: 'float16' }), mx.sym.Variable('y', { dtype: 'float16' }));
    const exe = sym.simpleBind(mx.cpu(), { shapes: { x: [1], y: [1] } });
    exe.argDict.x!.set([300]);
    exe.argDict.y!.set([300]);
    expect(list(exe.forward()[0]!)).toEqual([Infinity]); // 90000 > 65504
  });

  test('a float16 FullyConnected gives half-precision values within half precision of the float32 result', () => {
    mx.random.seed(11);
    const x = mx.nd.random.uniform(-1, 1, [4, 8]);
    const w = mx.nd.random.uniform(-1, 1, [3, 8]);
    const b = mx.nd.random.uniform(-1, 1, [3]);
    const half = mx.nd.FullyConnected(x.astype('float16'), w.astype('float16'), b.astype('float16'), { num_hidden: 3 });
    expect(half.dtype).toBe('float16');
    const values = list(half);
    expect(values.every((y) => y === list(mx.nd.array([y]).astype('float16'))[0])).toBe(true);
    mx.testUtils.assertAlmostEqual(half, mx.nd.FullyConnected(x, w, b, { num_hidden: 3 }), { rtol: 1e-2, atol: 1e-2 });
  });
});

describeEachBackend('unsupported op/dtype combinations are errors naming op, node and dtypes', () => {
  test('Convolution on int8, exp on int32, arithmetic on bool', () => {
    const c = mx.sym.Convolution({ data: mx.sym.Variable('x'), kernel: [1, 1], num_filter: 1, name: 'c1' });
    expect(() => c.simpleBind(mx.cpu(), { shapes: { x: [1, 1, 2, 2] }, typeDict: { x: 'int8' } })).toThrow(mx.DTypeError);
    expect(() => c.simpleBind(mx.cpu(), { shapes: { x: [1, 1, 2, 2] }, typeDict: { x: 'int8' } })).toThrow("Convolution 'c1': dtype int8 is not supported (supported: float32, float64, float16)");
    expect(() => mx.nd.exp(int32([1]))).toThrow("exp 'exp': dtype int32 is not supported (supported: float32, float64, float16)");
    const b = mx.nd.array([1, 0], { dtype: 'bool' });
    expect(() => b.add(b)).toThrow(/broadcast_add 'broadcast_add': dtype bool is not supported/);
    expect(() => mx.nd.BatchNorm(mx.nd.ones([1, 1], { dtype: 'float64' }), mx.nd.ones([1], { dtype: 'float64' }), mx.nd.ones([1], { dtype: 'float64' }), mx.nd.ones([1], { dtype: 'float64' }), mx.nd.ones([1], { dtype: 'float64' }))).toThrow(/BatchNorm 'batchnorm': dtype float64 is not supported \(supported: float32\)/);
  });

  test('mixing dtypes in an elementwise op is a DTypeError naming the input (as MXNet`s InferType)', () => {
    expect(() => mx.nd.elemwise_add(mx.nd.ones([1]), int32([1]))).toThrow(mx.DTypeError);
    expect(() => mx.nd.elemwise_add(mx.nd.ones([1]), int32([1]))).toThrow("elemwise_add 'elemwise_add': rhs has dtype int32, but elemwise_add needs float32 there");
  });
});
