/**
 * im2col and col2im: a hand-derived 3x3 example, MXNet test_im2col_col2im's three checks
 * (convolution as im2col + dot, reconstruction col2im(im2col(x)) = col2im(ones) * x, and each
 * op's gradient being the other), float64 references in 1-D and 3-D, numeric gradients, errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { expectAddAccumulates } from '../../helpers/grad_req';

const EXACT = { rtol: 0, atol: 0 };
const F32 = { rtol: 1e-5, atol: 1e-5 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

const windowArgs = (k: number, s = 1, d = 1, p = 0) => ({ kernel: [k, k], stride: [s, s], dilate: [d, d], pad: [p, p] });

/** Float64 im2col over any number of spatial axes, written from the definition. */
function im2colRef(x: mx.NDArray, kernel: number[], stride: number[], dilate: number[], pad: number[]): number[] {
  const [n, c, ...image] = x.shape as number[];
  const blocks = kernel.map((k, i) => Math.floor((image[i]! + 2 * pad[i]! - dilate[i]! * (k - 1) - 1) / stride[i]!) + 1);
  const count = (list: number[]) => list.reduce((a, b) => a * b, 1);
  const unflat = (flat: number, sizes: number[]) => sizes.map((_, i) => Math.floor(flat / count(sizes.slice(i + 1))) % sizes[i]!);
  const out: number[] = [];
  for (let b = 0; b < n * c; b++) {
    for (let t = 0; t < count(kernel); t++) {
      const tap = unflat(t, kernel);
      for (let o = 0; o < count(blocks); o++) {
        const pos = unflat(o, blocks).map((q, i) => q * stride[i]! - pad[i]! + tap[i]! * dilate[i]!);
        const inside = pos.every((v, i) => v >= 0 && v < image[i]!);
        out.push(inside ? x.data[b * count(image) + pos.reduce((acc, v, i) => acc * image[i]! + v, 0)]! : 0);
      }
    }
  }
  return out;
}

beforeEach(() => mx.random.seed(11));

describeEachBackend('im2col / col2im', () => {
  test('hand-derived: a 3x3 ramp with a 2x2 kernel gives the four 2x2 blocks as columns; col2im counts overlaps', () => {
    const x = mx.nd.arange(0, 9).reshape([1, 1, 3, 3]);
    const col = mx.nd.im2col(x, { kernel: [2, 2] });
    mx.testUtils.assertAlmostEqual(col, [[[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]]], EXACT);
    const counts = mx.nd.col2im(mx.nd.ones([1, 4, 4]), { output_size: [3, 3], kernel: [2, 2] });
    mx.testUtils.assertAlmostEqual(counts, [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]], EXACT);
  });

  test.each([[3, 1, 1, 0], [3, 2, 1, 1], [3, 2, 2, 1], [1, 1, 1, 0], [2, 3, 1, 2]])(
    'MXNet test_conv_compute (kernel %i, stride %i, dilate %i, pad %i): im2col then dot equals Convolution', (k, s, d, p) => {
      const data = mx.nd.random.uniform(0, 1, [2, 3, 9, 7]);
      const weight = mx.nd.random.uniform(0, 1, [4, 3, k, k]);
      const col = mx.nd.im2col(data, windowArgs(k, s, d, p));
      const conv = mx.nd.Convolution(data, weight, { num_filter: 4, no_bias: true, ...windowArgs(k, s, d, p) });
      const [ho, wo] = conv.shape.slice(2) as [number, number];
      const viaCol = mx.nd.batch_dot(mx.nd.broadcast_to(weight.reshape([1, 4, -1]), { shape: [2, 4, 3 * k * k] }), col).reshape([2, 4, ho, wo]);
      mx.testUtils.assertAlmostEqual(viaCol, conv, F32);
    });

  test.each([[3, 1, 1, 0], [3, 2, 2, 1], [2, 3, 1, 1]])('MXNet test_reconstruct (kernel %i, stride %i, dilate %i, pad %i): col2im(im2col(x)) = col2im(ones) * x', (k, s, d, p) => {
    const data = mx.nd.random.uniform(0, 1, [2, 2, 8, 7]);
    const col = mx.nd.im2col(data, windowArgs(k, s, d, p));
    const im1 = mx.nd.col2im(col, { output_size: [8, 7], ...windowArgs(k, s, d, p) });
    const im2 = mx.nd.col2im(mx.nd.ones(col.shape), { output_size: [8, 7], ...windowArgs(k, s, d, p) }).mul(data);
    mx.testUtils.assertAlmostEqual(im1, im2, F32);
  });

  test('MXNet test_grad: the gradient of im2col is col2im of the head, and that of col2im is im2col', () => {
    const kw = windowArgs(3, 2, 1, 1);
    const im = mx.nd.random.uniform(0, 1, [2, 3, 7, 6]);
    const col = mx.nd.im2col(im, kw);
    mx.testUtils.checkSymbolicBackward(mx.sym.im2col(mx.sym.Variable('data'), kw), { data: im }, [col], { data: mx.nd.col2im(col, { output_size: [7, 6], ...kw }) }, F32);
    const colIn = mx.nd.random.uniform(0, 1, col.shape);
    const back = mx.nd.col2im(colIn, { output_size: [7, 6], ...kw });
    mx.testUtils.checkSymbolicBackward(mx.sym.col2im(mx.sym.Variable('data'), { output_size: [7, 6], ...kw }), { data: colIn }, [back], { data: mx.nd.im2col(back, kw) }, F32);
  });

  test('1-D and 3-D windows match the float64 reference; mx.sym agrees with mx.nd', () => {
    const x1 = mx.nd.random.uniform(-1, 1, [2, 3, 10]);
    mx.testUtils.assertAlmostEqual(mx.nd.im2col(x1, { kernel: [3], stride: [2], dilate: [2], pad: [1] }).data, im2colRef(x1, [3], [2], [2], [1]), EXACT);
    const x3 = mx.nd.random.uniform(-1, 1, [1, 2, 4, 5, 3]);
    const col3 = mx.nd.im2col(x3, { kernel: '(2, 3, 2)', stride: '(1, 2, 1)', pad: '(1, 0, 1)' });
    expect(col3.shape).toEqual([1, 24, 5 * 2 * 4]);
    mx.testUtils.assertAlmostEqual(col3.data, im2colRef(x3, [2, 3, 2], [1, 2, 1], [1, 1, 1], [1, 0, 1]), EXACT);
    const s = mx.sym.im2col(mx.sym.Variable('data'), { kernel: [2, 3, 2], stride: [1, 2, 1], pad: [1, 0, 1], name: 'i2c' });
    expect(s.listOutputs()).toEqual(['i2c_output']);
    mx.testUtils.assertAlmostEqual(s.bind(mx.cpu(), { data: x3 }).forward()[0]!, col3, EXACT);
  });

  test('numeric gradients of both ops; add accumulates', () => {
    const kw = windowArgs(2, 2, 1, 1);
    const a = mx.sym.im2col(mx.sym.Variable('data'), kw);
    const loc = { data: mx.nd.random.uniform(-1, 1, [1, 2, 4, 3]) };
    mx.testUtils.checkNumericGradient(a, loc, NUMERIC);
    expectAddAccumulates(a, loc, [mx.nd.random.uniform(-1, 1, [1, 8, 6])]);
    const b = mx.sym.col2im(mx.sym.Variable('data'), { output_size: [4, 3], ...kw });
    mx.testUtils.checkNumericGradient(b, { data: mx.nd.random.uniform(-1, 1, [1, 8, 6]) }, NUMERIC);
  });

  test('property: im2col shape is (N, C*prod(kernel), prod(blocks)) and col2im inverts it', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 5, max: 9 }),
      (k, s, d, p, size) => {
        const blocks = Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;
        const kw = windowArgs(k, s, d, p);
        expect(mx.sym.im2col(mx.sym.Variable('x'), kw).inferShape({ x: [2, 3, size, size] }).outShapes).toEqual([[2, 3 * k * k, blocks * blocks]]);
        expect(mx.sym.col2im(mx.sym.Variable('x'), { output_size: [size, size], ...kw }).inferShape({ x: [2, 3 * k * k, blocks * blocks] }).outShapes).toEqual([[2, 3, size, size]]);
      }), { numRuns: 40 });
  });

  test('errors: rank against kernel, kernel beyond the padded image, axis-count mismatches, wrong column shapes', () => {
    const i2c = (p: Record<string, unknown>) => (mx.sym.im2col as mx.SymOp)(mx.sym.Variable('x'), { name: 'ic', ...p });
    expect(() => i2c({ kernel: [3, 3] }).inferShape({ x: [1, 1, 5] })).toThrow("im2col 'ic': data shape [1,1,5] must have 4 axes (batch, channel and 2 spatial) for kernel (3, 3)");
    expect(() => i2c({ kernel: [3, 3] }).inferShape({ x: [1, 1, 2, 5] })).toThrow(/spatial size 2 padded to 2 is smaller than the dilated kernel 3/);
    expect(() => i2c({ kernel: [3, 3], stride: [1] }).inferShape({ x: [1, 1, 5, 5] })).toThrow(/stride \(1\) must have as many axes as kernel \(2\)/);
    expect(() => i2c({ kernel: [1, 1, 1, 1] }).inferShape({ x: [1, 1, 2, 2, 2, 2] })).toThrow(/kernel \(1, 1, 1, 1\) must have 1, 2 or 3 axes/);
    const c2i = (p: Record<string, unknown>) => mx.sym.col2im(mx.sym.Variable('x'), { name: 'ci', output_size: [4, 4], kernel: [2, 2], ...p });
    expect(() => c2i({}).inferShape({ x: [1, 6, 9] })).toThrow("col2im 'ci': data has 6 rows, not divisible by prod(kernel) = 4");
    expect(() => c2i({}).inferShape({ x: [1, 8, 8] })).toThrow(/data has 8 blocks, but output_size \(4, 4\) gives 9/);
    expect(() => c2i({ output_size: [4] }).inferShape({ x: [1, 8, 9] })).toThrow(/output_size \(4\) must have as many axes as kernel \(2\)/);
    // @ts-expect-error output_size is required
    expect(() => mx.sym.col2im(mx.sym.Variable('x'), { kernel: [2, 2] })).toThrow(mx.ParamError);
  });
});
