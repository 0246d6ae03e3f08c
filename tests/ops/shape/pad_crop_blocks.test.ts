/**
 * Pad (constant/edge/reflect), Crop, depth_to_space, space_to_depth, _split_v2,
 * _ravel_multi_index and _unravel_index: MXNet docstring examples, index-arithmetic references on
 * seeded inputs, numeric gradients, and errors naming op, node and argument.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { build, EXACT, flatOf, forwardSym, NUMERIC } from './reference';

/** numpy.pad's index map for one axis: -1 marks the constant. */
function padIndex(mode: string, i: number, before: number, size: number): number {
  const j = i - before;
  if (j >= 0 && j < size) return j;
  if (mode === 'constant') return -1;
  if (mode === 'edge') return j < 0 ? 0 : size - 1;
  return j < 0 ? -j : 2 * (size - 1) - j;
}

function padRef(x: mx.NDArray, mode: string, width: number[], value: number): { shape: number[]; data: number[] } {
  const shape = x.shape.map((d, i) => d + width[2 * i]! + width[2 * i + 1]!);
  const data = build(shape, (idx) => {
    const src = idx.map((v, i) => padIndex(mode, v, width[2 * i]!, x.shape[i]!));
    return src.includes(-1) ? value : x.data[flatOf(x.shape, src)]!;
  });
  return { shape, data };
}

describeEachBackend('Pad, Crop, depth/space, split, ravel', () => {
  beforeEach(() => mx.random.seed(31));

  test('Pad: MXNet docstring (edge and constant on a (2, 2, 2, 3) input)', () => {
    const x = mx.nd.array([[[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]], [[[11, 12, 13], [14, 15, 16]], [[17, 18, 19], [20, 21, 22]]]]);
    const edge = mx.nd.Pad(x, { mode: 'edge', pad_width: [0, 0, 0, 0, 1, 1, 1, 1] });
    expect(edge.shape).toEqual([2, 2, 4, 5]);
    mx.testUtils.assertAlmostEqual(edge.data.subarray(0, 20), [1, 1, 2, 3, 3, 1, 1, 2, 3, 3, 4, 4, 5, 6, 6, 4, 4, 5, 6, 6], EXACT);
    const constant = mx.nd.pad(x, { mode: 'constant', constant_value: 0, pad_width: '(0, 0, 0, 0, 1, 1, 1, 1)' });
    mx.testUtils.assertAlmostEqual(constant.data.subarray(0, 20), [0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0], EXACT);
  });

  test('Pad: every mode on seeded 4-d and 5-d inputs matches numpy-style padding, with numeric gradients', () => {
    for (const mode of ['constant', 'edge', 'reflect'] as const) {
      const x4 = mx.nd.random.uniform(-1, 1, [1, 2, 3, 4]);
      const w4 = [0, 0, 0, 0, 2, 1, 1, 3];
      const ref = padRef(x4, mode, w4, 0.5);
      const out = mx.nd.Pad(x4, { mode, pad_width: w4, constant_value: 0.5 });
      expect(out.shape).toEqual(ref.shape);
      mx.testUtils.assertAlmostEqual(out.data, ref.data, EXACT);
      const x5 = mx.nd.random.uniform(-1, 1, [1, 1, 3, 2, 3]);
      const w5 = [0, 0, 0, 0, 1, 2, 1, 0, 2, 1];
      mx.testUtils.assertAlmostEqual(mx.nd.Pad(x5, { mode, pad_width: w5 }).data, padRef(x5, mode, w5, 0).data, EXACT);
      const s = mx.sym.Pad({ data: mx.sym.Variable('x'), mode, pad_width: w4, constant_value: 0.5 });
      mx.testUtils.assertAlmostEqual(forwardSym(s, { x: x4 })[0]!, out, EXACT);
      mx.testUtils.checkNumericGradient(s, { x: x4 }, NUMERIC);
    }
  });

  test('Crop: h_w with offset, center_crop, and crop_like (no gradient to crop_like)', () => {
    const x = mx.nd.array(Array.from({ length: 20 }, (_, i) => i), { shape: [1, 1, 4, 5] });
    mx.testUtils.assertAlmostEqual(mx.nd.Crop(x, { num_args: 1, h_w: [2, 3], offset: [1, 2] }), [[[[7, 8, 9], [12, 13, 14]]]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.Crop(x, { num_args: 1, h_w: [2, 3], center_crop: true }), [[[[6, 7, 8], [11, 12, 13]]]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.Crop(x, mx.nd.zeros([1, 1, 2, 2]), { center_crop: true }), [[[[6, 7], [11, 12]]]], EXACT);
    const s = mx.sym.Crop(mx.sym.Variable('x'), mx.sym.Variable('like'), { offset: [2, 1], name: 'c' });
    expect(s.listArguments()).toEqual(['x', 'like']);
    expect(JSON.parse(s.toJSON()).nodes[2].attrs.num_args).toBe('2');
    const loc = { x: mx.nd.random.uniform(-1, 1, [2, 2, 4, 5]), like: mx.nd.zeros([1, 1, 2, 3]) };
    mx.testUtils.checkNumericGradient(s, loc, { ...NUMERIC, gradNodes: ['x'] });
    mx.testUtils.checkSymbolicBackward(s, loc, [mx.nd.ones([2, 2, 2, 3])], {
      x: mx.nd.array(build([2, 2, 4, 5], ([, , h, w]) => (h! >= 2 && w! >= 1 && w! < 4 ? 1 : 0)), { shape: [2, 2, 4, 5] }),
      like: mx.nd.zeros([1, 1, 2, 3]),
    }, EXACT);
  });

  test('depth_to_space and space_to_depth: MXNet docstrings, inverse of each other, gradients', () => {
    const x = mx.nd.array(Array.from({ length: 24 }, (_, i) => i), { shape: [1, 4, 2, 3] });
    const d2s = [[[[0, 6, 1, 7, 2, 8], [12, 18, 13, 19, 14, 20], [3, 9, 4, 10, 5, 11], [15, 21, 16, 22, 17, 23]]]];
    mx.testUtils.assertAlmostEqual(mx.nd.depth_to_space(x, { block_size: 2 }), d2s, EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.space_to_depth(mx.nd.array(d2s), { block_size: 2 }), x, EXACT);
    const y = mx.nd.random.uniform(-1, 1, [2, 18, 2, 1]);
    const out = mx.nd.depth_to_space(y, { block_size: 3 });
    mx.testUtils.assertAlmostEqual(out.data, build([2, 2, 6, 3], ([n, c, h, w]) => y.data[flatOf([2, 18, 2, 1], [n!, ((h! % 3) * 3 + (w! % 3)) * 2 + c!, Math.floor(h! / 3), Math.floor(w! / 3)])]!), EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.space_to_depth(out, { block_size: 3 }), y, EXACT);
    mx.testUtils.checkNumericGradient(mx.sym.depth_to_space({ data: mx.sym.Variable('x'), block_size: 2 }), { x: mx.nd.random.uniform(-1, 1, [1, 8, 2, 2]) }, NUMERIC);
    mx.testUtils.checkNumericGradient(mx.sym.space_to_depth({ data: mx.sym.Variable('x'), block_size: 2 }), { x: mx.nd.random.uniform(-1, 1, [1, 2, 4, 2]) }, NUMERIC);
  });

  test('_split_v2: MXNet split_v2 docstring (sections and indices) and the gradient', () => {
    const x = mx.nd.array([[[1], [2]], [[3], [4]], [[5], [6]]]);
    const [a, b] = mx.nd._split_v2(x, { indices: [], sections: 2, axis: 1 });
    mx.testUtils.assertAlmostEqual(a!, [[[1]], [[3]], [[5]]], EXACT);
    mx.testUtils.assertAlmostEqual(b!, [[[2]], [[4]], [[6]]], EXACT);
    const parts = mx.nd._split_v2(x, { indices: [0, 1], axis: 0 });
    expect(parts.map((p) => p.shape)).toEqual([[1, 2, 1], [2, 2, 1]]);
    mx.testUtils.assertAlmostEqual(parts[1]!, [[[3], [4]], [[5], [6]]], EXACT);
    const squeezed = mx.nd._split_v2(x, { indices: [0, 1, 2], axis: 0, squeeze_axis: true });
    expect(squeezed.map((p) => p.shape)).toEqual([[2, 1], [2, 1], [2, 1]]);
    const s = mx.sym._split_v2({ data: mx.sym.Variable('x'), indices: [0, 2, 3], axis: -1, name: 'sp' });
    expect(s.listOutputs()).toEqual(['sp_output0', 'sp_output1', 'sp_output2']);
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(-1, 1, [2, 5]) }, NUMERIC);
  });

  test('_ravel_multi_index and _unravel_index: MXNet docstring, inverse of each other', () => {
    mx.testUtils.assertAlmostEqual(mx.nd._ravel_multi_index(mx.nd.array([[3, 6, 6], [4, 5, 1]]), { shape: [7, 6] }), [22, 41, 37], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.unravel_index(mx.nd.array([22, 41, 37]), { shape: '(7, 6)' }), [[3, 6, 6], [4, 5, 1]], EXACT);
    const flat = mx.nd.array([0, 5, 59, 23]);
    const coords = mx.nd._unravel_index(flat, { shape: [3, 4, 5] });
    mx.testUtils.assertAlmostEqual(coords, [[0, 0, 2, 1], [0, 1, 3, 0], [0, 0, 4, 3]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.ravel_multi_index(coords, { shape: [3, 4, 5] }), flat, EXACT);
  });
});

describe('Pad, Crop, depth/space, split, ravel errors', () => {
  test('Pad rejects other ranks, padded batch/channel axes, wrong lengths and large reflections', () => {
    const pad = (shape: number[], p: Record<string, unknown>) => (mx.sym.Pad as mx.SymOp)({ data: mx.sym.Variable('x'), name: 'p', ...p }).inferShape({ x: shape });
    expect(() => pad([2, 3], { mode: 'edge', pad_width: [0, 0, 1, 1] })).toThrow("Pad 'p': data shape [2,3] is 2-d: Pad supports only 4-d and 5-d input");
    expect(() => pad([1, 1, 2, 2], { mode: 'edge', pad_width: [0, 0, 1, 0, 1, 1, 1, 1] })).toThrow(/pads the batch or channel axis/);
    expect(() => pad([1, 1, 2, 2], { mode: 'edge', pad_width: [0, 0, 0, 0, 1, 1] })).toThrow(/must give 2 entries per axis/);
    expect(() => pad([1, 1, 2, 2], { mode: 'reflect', pad_width: [0, 0, 0, 0, 2, 0, 0, 0] })).toThrow(/needs padding smaller than the axis size 2/);
    expect(() => pad([1, 1, 2, 2], { mode: 'wrap', pad_width: [0, 0, 0, 0, 1, 1, 1, 1] })).toThrow(mx.ParamError);
  });

  test('Crop, depth_to_space, _split_v2 and ravel reject shapes that do not fit', () => {
    expect(() => mx.nd.Crop(mx.nd.ones([1, 1, 4, 5]), { num_args: 1, h_w: [5, 1] })).toThrow(/h_w \(5,1\) must be between/);
    expect(() => mx.nd.Crop(mx.nd.ones([1, 1, 4, 5]), { num_args: 1, h_w: [2, 2], offset: [3, 0] })).toThrow(/does not fit in data/);
    expect(() => mx.nd.depth_to_space(mx.nd.ones([1, 3, 2, 2]), { block_size: 2 })).toThrow(/not a multiple of block_size\^2 = 4/);
    expect(() => mx.nd.space_to_depth(mx.nd.ones([1, 3, 3, 2]), { block_size: 2 })).toThrow(/must be multiples of block_size 2/);
    expect(() => mx.nd._split_v2(mx.nd.ones([5, 2]), { indices: [], sections: 2, axis: 0 })).toThrow(/does not divide axis 0 of size 5/);
    expect(() => mx.nd._split_v2(mx.nd.ones([5, 2]), { indices: [0, 3, 2], axis: 0 })).toThrow(/part 1 the range \[3, 2\)/);
    expect(() => mx.nd._ravel_multi_index(mx.nd.ones([3, 2]), { shape: [4, 4] })).toThrow(/must be 2-d with 2 rows/);
  });

  test('property: unravel then ravel is the identity on random flat indices', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }), fc.nat(), (shape, seed) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const flat = mx.nd.array(Array.from({ length: 6 }, (_, i) => (seed + i * 7) % size));
      const back = mx.nd._ravel_multi_index(mx.nd._unravel_index(flat, { shape }), { shape });
      expect(Array.from(back.data)).toEqual(Array.from(flat.data));
    }), { numRuns: 60 });
  });
});
