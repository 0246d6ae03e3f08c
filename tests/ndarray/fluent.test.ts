/**
 * NDArray's fluent methods, arithmetic/comparison dispatch and mx.nd's ufuncs (MXNet 1.9.1
 * python/mxnet/ndarray/ndarray.py). Golden values are the examples of the ops' docstrings
 * (named in each test), run through the fluent methods.
 */
import * as mx from 'mxts';
import { FLUENT_METHODS, camelCase } from '../../src/symbol/fluent_table';
import { describeEachBackend } from '../helpers/backends';
import { expectClose, F32 } from '../helpers/close';

const nd = (v: mx.NestedArray) => mx.nd.array(v);
const grid = () => nd([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);

describeEachBackend('docstring examples through fluent methods', () => {
  test('slice_axis / sliceAxis (slice_axis docstring)', () => {
    expect(grid().sliceAxis({ axis: 0, begin: 1, end: 3 }).toArray()).toEqual([[5, 6, 7, 8], [9, 10, 11, 12]]);
    expect(grid().slice_axis({ axis: 1, begin: 0, end: 2 }).toArray()).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(grid().sliceAxis({ axis: 1, begin: -3, end: -1 }).toArray()).toEqual([[2, 3], [6, 7], [10, 11]]);
  });

  test('slice and slice_like (docstrings)', () => {
    expect(grid().slice({ begin: [0, 1], end: [2, 4] }).toArray()).toEqual([[2, 3, 4], [6, 7, 8]]);
    expect(grid().slice({ begin: [null, 0], end: [null, 3], step: [-1, 2] }).toArray()).toEqual([[9, 11], [5, 7], [1, 3]]);
    const y = mx.nd.zeros([2, 3]);
    expect(grid().sliceLike(y).toArray()).toEqual([[1, 2, 3], [5, 6, 7]]);
    expect(grid().slice_like(y, { axes: [0] }).toArray()).toEqual([[1, 2, 3, 4], [5, 6, 7, 8]]);
  });

  test('clip, one_hot, pick, take (docstrings)', () => {
    expect(mx.nd.arange(10).clip({ a_min: 1, a_max: 8 }).toArray()).toEqual([1, 1, 2, 3, 4, 5, 6, 7, 8, 8]);
    expect(nd([1, 0, 2, 0]).oneHot({ depth: 3 }).toArray()).toEqual([[0, 1, 0], [1, 0, 0], [0, 0, 1], [1, 0, 0]]);
    const x = nd([[1, 2], [3, 4], [5, 6]]);
    expect(x.pick(nd([0, 1]), { axis: 0 }).toArray()).toEqual([1, 4]);
    expect(x.pick(nd([0, 1, 0]), { axis: 1 }).toArray()).toEqual([1, 4, 5]);
    expect(x.take(nd([[0, 1], [1, 2]])).toArray()).toEqual([[[1, 2], [3, 4]], [[3, 4], [5, 6]]]);
  });

  test('sort, argsort, topk (docstrings)', () => {
    const s = nd([[1, 4], [3, 1]]);
    expect(s.sort().toArray()).toEqual([[1, 4], [1, 3]]);
    expect(s.sort({ axis: 0 }).toArray()).toEqual([[1, 1], [3, 4]]);
    expect(s.sort({ is_ascend: 0 }).toArray()).toEqual([[4, 1], [3, 1]]);
    const x = nd([[0.3, 0.2, 0.4], [0.1, 0.3, 0.2]]);
    expect(x.argsort().toArray()).toEqual([[1, 0, 2], [0, 2, 1]]);
    expect(x.argsort({ axis: 0 }).toArray()).toEqual([[1, 0, 1], [0, 1, 0]]);
    expect(x.argsort({ axis: 'None' }).toArray()).toEqual([3, 1, 5, 0, 4, 2]);
    expect(x.topk().toArray()).toEqual([[2], [1]]);
    expectClose(x.topk({ ret_typ: 'value', k: 2 }).data, [0.4, 0.3, 0.3, 0.2], F32.rtol, F32.atol);
    expect(x.topk({ k: 2, axis: 0, is_ascend: 1 }).toArray()).toEqual([[1, 0, 1], [0, 1, 0]]);
  });

  test('argmax, argmin (docstrings)', () => {
    const x = nd([[0, 1, 2], [3, 4, 5]]);
    expect(x.argmax({ axis: 0 }).toArray()).toEqual([1, 1, 1]);
    expect(x.argmax({ axis: 1 }).toArray()).toEqual([2, 2]);
    expect(x.argmax({ axis: 1, keepdims: true }).toArray()).toEqual([[2], [2]]);
    expect(x.argmin({ axis: 0 }).toArray()).toEqual([0, 0, 0]);
    expect(x.argmin({ axis: 1 }).toArray()).toEqual([0, 0]);
  });

  test('sum, mean, prod, max, min, norm (docstrings)', () => {
    const data = nd([[[1, 2], [2, 3], [1, 3]], [[1, 4], [4, 3], [5, 2]], [[7, 1], [7, 2], [7, 3]]]);
    expect(data.sum({ axis: 1 }).toArray()).toEqual([[4, 8], [10, 9], [21, 6]]);
    expect(data.sum({ axis: [1, 2] }).toArray()).toEqual([12, 19, 27]);
    const small = nd([[1, 2], [3, 4]]);
    expect(small.mean().toArray()).toEqual([2.5]);
    expect(small.prod({ axis: 1 }).toArray()).toEqual([2, 12]);
    expect(small.max({ axis: 0 }).toArray()).toEqual([3, 4]);
    expect(small.min({ axis: 1 }).toArray()).toEqual([1, 3]);
    expect(nd([[1, NaN], [3, 4]]).nansum({ axis: 1 }).toArray()).toEqual([1, 7]);
    expect(nd([[1, NaN], [3, 4]]).nanprod({ axis: 1 }).toArray()).toEqual([1, 12]);
    const n = nd([[[1, 2], [3, 4]], [[2, 2], [5, 6]]]);
    expectClose(n.norm({ ord: 2, axis: 1 }).data, [3.1622777, 4.472136, 5.3851647, 6.3245554], F32.rtol, F32.atol);
    expect(n.norm({ ord: 1, axis: 1 }).toArray()).toEqual([[4, 6], [7, 8]]);
    expectClose(n.norm().data, [Math.sqrt(99)], F32.rtol, F32.atol);
  });

  test('tile, repeat, flip, swapaxes, transpose, T (docstrings)', () => {
    const x = nd([[1, 2], [3, 4]]);
    expect(x.tile({ reps: [2, 3] }).toArray()).toEqual([[1, 2, 1, 2, 1, 2], [3, 4, 3, 4, 3, 4], [1, 2, 1, 2, 1, 2], [3, 4, 3, 4, 3, 4]]);
    expect(x.repeat({ repeats: 2 }).toArray()).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(x.repeat({ repeats: 2, axis: 1 }).toArray()).toEqual([[1, 1, 2, 2], [3, 3, 4, 4]]);
    expect(x.repeat({ repeats: 2, axis: 0 }).toArray()).toEqual([[1, 2], [1, 2], [3, 4], [3, 4]]);
    const r = nd([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]);
    expect(r.flip({ axis: 0 }).toArray()).toEqual([[5, 6, 7, 8, 9], [0, 1, 2, 3, 4]]);
    expect(r.flip({ axis: 1 }).toArray()).toEqual([[4, 3, 2, 1, 0], [9, 8, 7, 6, 5]]);
    expect(nd([[1, 2, 3]]).swapaxes({ dim1: 0, dim2: 1 }).toArray()).toEqual([[1], [2], [3]]);
    expect(x.transpose().toArray()).toEqual([[1, 3], [2, 4]]);
    expect(x.T.toArray()).toEqual([[1, 3], [2, 4]]);
    const v = nd([1, 2]);
    expect(v.T).toBe(v); // ndarray.py: fewer than 2 dimensions returns self
  });

  test('broadcast_to, broadcast_axes, broadcast_like, expand_dims, squeeze, flatten, reshape_like', () => {
    expect(nd([[1, 2, 3]]).broadcastTo({ shape: [2, 0] }).toArray()).toEqual([[1, 2, 3], [1, 2, 3]]);
    expect(nd([[[1], [2]]]).broadcastAxes({ axis: 2, size: 3 }).toArray()).toEqual([[[1, 1, 1], [2, 2, 2]]]);
    expect(nd([[1, 2, 3]]).broadcast_like(mx.nd.zeros([2, 3])).toArray()).toEqual([[1, 2, 3], [1, 2, 3]]);
    expect(mx.nd.zeros([2, 3]).expandDims({ axis: 1 }).shape).toEqual([2, 1, 3]);
    expect(mx.nd.zeros([1, 3, 1]).squeeze().shape).toEqual([3]);
    expect(mx.nd.zeros([2, 3, 4]).flatten().shape).toEqual([2, 12]);
    expect(mx.nd.arange(6).reshapeLike(mx.nd.zeros([3, 2])).toArray()).toEqual([[0, 1], [2, 3], [4, 5]]);
  });

  test('shape_array, size_array, zeros_like, ones_like, diag (docstrings)', () => {
    expect(grid().shapeArray().toArray()).toEqual([3, 4]);
    expect(grid().size_array().toArray()).toEqual([12]);
    expect(nd([[1, 2]]).zerosLike().toArray()).toEqual([[0, 0]]);
    expect(nd([[1, 2]]).ones_like().toArray()).toEqual([[1, 1]]);
    const x = nd([[1, 2, 3], [4, 5, 6]]);
    expect(x.diag().toArray()).toEqual([1, 5]);
    expect(x.diag({ k: 1 }).toArray()).toEqual([2, 6]);
    expect(x.diag({ k: -1 }).toArray()).toEqual([4]);
    expect(nd([1, 2]).diag().toArray()).toEqual([[1, 0], [0, 2]]);
  });

  test('depth_to_space and space_to_depth (docstrings)', () => {
    const x = mx.nd.arange(24).reshape([1, 4, 2, 3]);
    const expected = [[[[0, 6, 1, 7, 2, 8], [12, 18, 13, 19, 14, 20], [3, 9, 4, 10, 5, 11], [15, 21, 16, 22, 17, 23]]]];
    expect(x.depthToSpace({ block_size: 2 }).toArray()).toEqual(expected);
    expect(nd(expected).space_to_depth({ block_size: 2 }).toArray()).toEqual(x.toArray());
  });

  test('split returns a list (split docstring)', () => {
    const x = nd([[[1], [2]], [[3], [4]], [[5], [6]]]);
    const parts = x.split({ num_outputs: 2, axis: 1 });
    expect(parts.map((p) => p.toArray())).toEqual([[[[1]], [[3]], [[5]]], [[[2]], [[4]], [[6]]]]);
    const squeezed = x.split({ num_outputs: 3, axis: 0, squeeze_axis: 1 });
    expect(squeezed.map((p) => p.toArray())).toEqual([[[1], [2]], [[3], [4]], [[5], [6]]]);
    expect(x.split({ num_outputs: 1, axis: 0 })).toHaveLength(1);
  });

  test('split_v2 by sections and at split points (split_v2 docstring)', () => {
    const x = mx.nd.arange(6).reshape([6, 1]);
    expect(x.splitV2(3).map((p) => p.toArray())).toEqual([[[0], [1]], [[2], [3]], [[4], [5]]]);
    expect(x.split_v2([2, 3]).map((p) => p.toArray())).toEqual([[[0], [1]], [[2]], [[3], [4], [5]]]);
    expect(mx.nd.arange(4).reshape([2, 2]).splitV2(2, { axis: 1, squeezeAxis: true }).map((p) => p.toArray())).toEqual([[0, 2], [1, 3]]);
  });

  test('rounding family (docstrings of round, rint, fix, floor, ceil, trunc, sign, abs)', () => {
    const x = nd([-2.1, -1.9, 1.5, 1.9, 2.1]);
    expect(x.round().toArray()).toEqual([-2, -2, 2, 2, 2]);
    expect(x.rint().toArray()).toEqual([-2, -2, 1, 2, 2]);
    expect(nd([-2.1, -1.9, 1.9, 2.1]).fix().toArray()).toEqual([-2, -1, 1, 2]);
    expect(x.floor().toArray()).toEqual([-3, -2, 1, 1, 2]);
    expect(x.ceil().toArray()).toEqual([-2, -1, 2, 2, 3]);
    expect(x.trunc().toArray()).toEqual([-2, -1, 1, 1, 2]);
    expect(nd([-2, 0, 3]).sign().toArray()).toEqual([-1, 0, 1]);
    expect(nd([-2, 0, 3]).abs().toArray()).toEqual([2, 0, 3]);
  });

  test('powers and roots (docstrings of square, sqrt, rsqrt, cbrt, rcbrt, reciprocal)', () => {
    expect(nd([2, 3, 4]).square().toArray()).toEqual([4, 9, 16]);
    expect(nd([4, 9, 16]).sqrt().toArray()).toEqual([2, 3, 4]);
    expectClose(nd([4, 9, 16]).rsqrt().data, [0.5, 0.33333334, 0.25], F32.rtol, F32.atol);
    expectClose(nd([1, 8, -125]).cbrt().data, [1, 2, -5], F32.rtol, F32.atol);
    expectClose(nd([1, 8, -125]).rcbrt().data, [1, 0.5, -0.2], F32.rtol, F32.atol);
    expectClose(nd([-2, 1, 3, 1.6, 0.2]).reciprocal().data, [-0.5, 1, 0.33333334, 0.625, 5], F32.rtol, F32.atol);
    expectClose(nd([0, 90, 180, 270, 360]).radians().data, [0, Math.PI / 2, Math.PI, (3 * Math.PI) / 2, 2 * Math.PI], F32.rtol, F32.atol);
    expectClose(nd([0, Math.PI / 2, Math.PI, (3 * Math.PI) / 2, 2 * Math.PI]).degrees().data, [0, 90, 180, 270, 360], F32.rtol, 1e-4);
  });

  test('exp/log/trig/activation families agree with float64 math', () => {
    const values = [0.1, 0.25, 0.5, 0.75, 0.9];
    const x = nd(values);
    const cases: [string, (v: number) => number][] = [
      ['exp', Math.exp], ['expm1', Math.expm1], ['log', Math.log], ['log10', Math.log10], ['log2', Math.log2], ['log1p', Math.log1p],
      ['sin', Math.sin], ['cos', Math.cos], ['tan', Math.tan], ['arcsin', Math.asin], ['arccos', Math.acos], ['arctan', Math.atan],
      ['sinh', Math.sinh], ['cosh', Math.cosh], ['tanh', Math.tanh], ['arcsinh', Math.asinh], ['arctanh', Math.atanh],
      ['relu', (v) => Math.max(v, 0)], ['sigmoid', (v) => 1 / (1 + Math.exp(-v))],
    ];
    for (const [name, f] of cases) {
      const out = (x as unknown as Record<string, () => mx.NDArray>)[name]!.call(x);
      expectClose(out.data, values.map(f), 1e-5, 1e-6);
    }
    expectClose(nd([1.5, 2, 3]).arccosh().data, [1.5, 2, 3].map(Math.acosh), 1e-5, 1e-6);
  });

  test('softmax, log_softmax, softmin (softmax docstring)', () => {
    const x = nd([[1, 1, 1], [1, 1, 1]]);
    expectClose(x.softmax({ axis: 0 }).data, Array(6).fill(0.5), F32.rtol, F32.atol);
    expectClose(x.softmax().data, Array(6).fill(1 / 3), F32.rtol, F32.atol);
    expectClose(x.logSoftmax().data, Array(6).fill(Math.log(1 / 3)), F32.rtol, F32.atol);
    expectClose(nd([1, 2]).softmin().data, [Math.exp(-1) / (Math.exp(-1) + Math.exp(-2)), Math.exp(-2) / (Math.exp(-1) + Math.exp(-2))], F32.rtol, F32.atol);
  });
});

describe('every fluent method equals the op call, under both names', () => {
  const other = () => nd([[0, 1], [1, 0]]);
  const args: Record<string, () => unknown[]> = {
    reshape_like: () => [other()], slice_like: () => [other()], broadcast_like: () => [mx.nd.zeros([2, 2])], take: () => [nd([0, 1])],
    pick: () => [nd([0, 1])], broadcast_axes: () => [{ axis: 0, size: 3 }], repeat: () => [{ repeats: 2 }],
    pad: () => [{ mode: 'constant', pad_width: [0, 0, 0, 0, 1, 1, 1, 1] }], split: () => [{ num_outputs: 2 }],
    slice: () => [{ begin: [0], end: [1] }], slice_axis: () => [{ axis: 0, begin: 0, end: 1 }], one_hot: () => [{ depth: 3 }],
    clip: () => [{ a_min: 0.2, a_max: 0.5 }], expand_dims: () => [{ axis: 0 }], broadcast_to: () => [{ shape: [2, 2] }],
    tile: () => [{ reps: [2] }], depth_to_space: () => [{ block_size: 1 }], space_to_depth: () => [{ block_size: 1 }],
    flip: () => [{ axis: 0 }], sum: () => [{ axis: 1, keepdims: true }], topk: () => [{ k: 2 }],
  };
  const input = (snake: string) => {
    if (['pad', 'depth_to_space', 'space_to_depth'].includes(snake)) return mx.nd.arange(4).reshape([1, 1, 2, 2]).mul(0.2);
    return ['broadcast_axes', 'broadcast_like'].includes(snake) ? nd([[0.1, 0.4]]) : nd([[0.1, 0.4], [0.3, 0.2]]);
  };
  const values = (r: unknown): unknown => (Array.isArray(r) ? r.map(values) : (r as mx.NDArray).toArray());
  test.each(FLUENT_METHODS.map(([snake, op]) => [snake, op] as const))('a.%s(...) == mx.nd.%s(a, ...)', (snake, op) => {
    const call = (name: string) => {
      const a = input(snake);
      return values((a as unknown as Record<string, (...x: unknown[]) => unknown>)[name]!.call(a, ...(args[snake]?.() ?? [])));
    };
    const expected = values((mx.nd as unknown as Record<string, (...x: unknown[]) => unknown>)[op]!(input(snake), ...(args[snake]?.() ?? [])));
    expect(call(snake)).toEqual(expected);
    expect(call(camelCase(snake))).toEqual(expected);
  });
});

describe('arithmetic and comparison (ndarray.py _ufunc_helper dispatch)', () => {
  const a = () => nd([[1], [2]]);
  const b = () => nd([1, 2, 3]);
  test('array op array broadcasts (broadcast_*)', () => {
    expect(a().add(b()).toArray()).toEqual([[2, 3, 4], [3, 4, 5]]);
    expect(a().sub(b()).toArray()).toEqual([[0, -1, -2], [1, 0, -1]]);
    expect(a().mod(b()).toArray()).toEqual([[0, 1, 1], [0, 0, 2]]);
    expect(a().pow(b()).toArray()).toEqual([[1, 1, 1], [2, 4, 8]]);
    expect(a().equal(b()).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(a().notEqual(b()).toArray()).toEqual([[0, 1, 1], [1, 0, 1]]);
    expect(a().greater(b()).toArray()).toEqual([[0, 0, 0], [1, 0, 0]]);
    expect(a().greaterEqual(b()).toArray()).toEqual([[1, 0, 0], [1, 1, 0]]);
    expect(a().lesser(b()).toArray()).toEqual([[0, 1, 1], [0, 0, 1]]);
    expect(a().lesserEqual(b()).toArray()).toEqual([[1, 1, 1], [0, 1, 1]]);
  });

  test('array op number and the reflected methods (_x_scalar, _rx_scalar)', () => {
    const x = b();
    expect(x.mod(2).toArray()).toEqual([1, 0, 1]);
    expect(x.rmod(7).toArray()).toEqual([0, 1, 1]);
    expect(x.rpow(2).toArray()).toEqual([2, 4, 8]);
    expect(x.rsub(10).toArray()).toEqual([9, 8, 7]);
    expectClose(x.rdiv(1).data, [1, 0.5, 1 / 3], F32.rtol, F32.atol);
    expect(x.rsub(a()).toArray()).toEqual(a().sub(x).toArray());
    expect(x.greater(2).toArray()).toEqual([0, 0, 1]);
    expect(x.lesserEqual(2).toArray()).toEqual([1, 1, 0]);
    expect(x.equal(2).toArray()).toEqual([0, 1, 0]);
    expect(x.neg().toArray()).toEqual([-1, -2, -3]);
  });

  test('mx.nd ufuncs take numbers on either side (greater(1, x) is x < 1)', () => {
    const x = b();
    expect(mx.nd.greater(2, x).toArray()).toEqual([1, 0, 0]);
    expect(mx.nd.lesser_equal(2, x).toArray()).toEqual([0, 1, 1]);
    expect(mx.nd.subtract(5, x).toArray()).toEqual([4, 3, 2]);
    expect(mx.nd.power(2, x).toArray()).toEqual([2, 4, 8]);
    expect(mx.nd.pow(x, 2).toArray()).toEqual([1, 4, 9]);
    expect(mx.nd.maximum(x, 2).toArray()).toEqual([2, 2, 3]);
    expect(mx.nd.minimum(2, x).toArray()).toEqual([1, 2, 2]);
    expect(mx.nd.maximum(a(), x).toArray()).toEqual([[1, 2, 3], [2, 2, 3]]);
    expectClose(mx.nd.hypot(x, 4).data, [1, 2, 3].map((v) => Math.hypot(v, 4)), F32.rtol, F32.atol);
    expect(mx.nd.modulo(7, x).toArray()).toEqual([0, 1, 1]);
    expect(mx.nd.not_equal(x, 2).toArray()).toEqual([1, 0, 1]);
    expect(mx.nd.maximum(2, 3)).toBe(3);
    expect(mx.nd.greater(2, 3)).toBe(0);
  });

  test('eye and linspace (init_op docstrings)', () => {
    expect(mx.nd.eye(2, 3, 1).toArray()).toEqual([[0, 1, 0], [0, 0, 1]]);
    expect(mx.nd.eye(2).toArray()).toEqual([[1, 0], [0, 1]]);
    expect(mx.nd.linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(mx.nd.linspace(0, 1, 4, false).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
  });

  test('a bad operand is an MXNetError', () => {
    expect(() => b().greater('1' as unknown as number)).toThrow(mx.MXNetError);
  });
});

describe('astype and types', () => {
  test('astype(dtype) goes through Cast; copy: false with the same dtype returns the array', () => {
    const x = nd([1.7, -1.7]);
    expect(x.astype('int32').toArray()).toEqual([1, -1]);
    expect(x.astype('float32', { copy: false })).toBe(x);
    expect(x.astype('float32')).not.toBe(x);
  });

  test('fluent methods type-check; misspellings do not (checked by tsc)', () => {
    const x = nd([[1, 2], [3, 4]]);
    const parts: mx.NDArray[] = x.split({ num_outputs: 2 });
    const one: mx.NDArray = x.logSoftmax().sliceAxis({ axis: 0, begin: 0, end: 1 });
    expect(parts).toHaveLength(2);
    expect(one.shape).toEqual([1, 2]);
    // @ts-expect-error misspelled fluent method
    expect(() => x.expandDim({ axis: 0 })).toThrow(TypeError);
    // @ts-expect-error NDArray.reshape keeps its own signature (a shape, not a parameter object)
    expect(() => x.reshape({ shape: [4] })).toThrow(mx.MXNetError);
  });
});
