/**
 * Deconvolution: hand-computed goldens, a naive float64 scatter reference on seeded inputs,
 * the adjoint identity with Convolution, target_shape as MXNet's InferPad, shape inference,
 * numeric gradients, gradReq 'add' and errors.
 */
import * as mx from 'mxts';
import { deconvRef, uniform, WindowSpec } from './reference';
import { expectAddAccumulates } from '../../helpers/grad_req';

const F32 = { rtol: 1e-5, atol: 1e-5 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3, numericEps: 1e-2 };

interface Case extends WindowSpec {
  data: number[];
  num_filter: number;
  num_group?: number;
  adj?: number[];
  no_bias?: boolean;
}

const CASES: Record<string, Case> = {
  '2-D stride 1 on an odd 3x5 input': { data: [2, 3, 3, 5], kernel: [3, 3], num_filter: 2, no_bias: false },
  '2-D stride 2, pad 1, adj 1': { data: [1, 2, 4, 3], kernel: [3, 3], stride: [2, 2], pad: [1, 1], adj: [1, 1], num_filter: 3, no_bias: false },
  '2-D anisotropic stride and dilate': { data: [2, 2, 3, 4], kernel: [2, 3], stride: [3, 1], dilate: [2, 2], pad: [0, 1], num_filter: 2 },
  '2-D two groups': { data: [1, 4, 3, 3], kernel: [2, 2], stride: [2, 2], num_filter: 6, num_group: 2, no_bias: false },
  '1-D stride 2 with adj': { data: [2, 3, 5], kernel: [3], stride: [2], pad: [1], adj: [1], num_filter: 2, no_bias: false },
};

const paramsOf = ({ data: _data, ...params }: Case): mx.OpParams<'Deconvolution'> => params;
const outSpatialOf = (c: Case) =>
  c.data.slice(2).map((size, i) => (c.stride?.[i] ?? 1) * (size - 1) + (c.dilate?.[i] ?? 1) * (c.kernel[i]! - 1) + 1 - 2 * (c.pad?.[i] ?? 0) + (c.adj?.[i] ?? 0));

function inputsFor(c: Case) {
  const groups = c.num_group ?? 1;
  return { x: uniform(c.data), w: uniform([c.data[1]!, c.num_filter / groups, ...c.kernel]), b: c.no_bias === false ? uniform([c.num_filter]) : null };
}

beforeEach(() => mx.random.seed(11));

describe('Deconvolution forward', () => {
  const x = mx.nd.array([[[[1, 2], [3, 4]]]]);
  test('stride 1 with a 2x2 kernel of ones overlaps the copies (computed by hand)', () => {
    const out = mx.nd.Deconvolution(x, mx.nd.ones([1, 1, 2, 2]), { kernel: [2, 2], num_filter: 1 });
    mx.testUtils.assertAlmostEqual(out, [[[[1, 3, 2], [4, 10, 6], [3, 7, 4]]]], { rtol: 0, atol: 0 });
  });

  test('stride 2 with a 2x2 kernel of ones upsamples each value to a 2x2 block (computed by hand)', () => {
    const out = mx.nd.Deconvolution(x, mx.nd.ones([1, 1, 2, 2]), { kernel: [2, 2], stride: [2, 2], num_filter: 1 });
    mx.testUtils.assertAlmostEqual(out, [[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]], { rtol: 0, atol: 0 });
  });

  test.each(Object.entries(CASES))('%s matches the float64 reference through mx.nd and mx.sym', (_name, c) => {
    const { x: data, w, b } = inputsFor(c);
    const outSpatial = outSpatialOf(c);
    const expected = deconvRef(data, w, b, c, outSpatial, c.num_group ?? 1);
    const viaNd = b ? mx.nd.Deconvolution(data, w, b, paramsOf(c)) : mx.nd.Deconvolution(data, w, paramsOf(c));
    expect(viaNd.shape).toEqual([c.data[0], c.num_filter, ...outSpatial]);
    mx.testUtils.assertAlmostEqual(viaNd, expected, F32);
    const sym = mx.sym.Deconvolution({ data: mx.sym.Variable('data'), name: 'deconv', ...paramsOf(c) });
    const args: Record<string, mx.NDArray> = { data, deconv_weight: w };
    if (b) args['deconv_bias'] = b;
    mx.testUtils.assertAlmostEqual(sym.bind(mx.cpu(), args, { gradReq: 'null' }).forward(false)[0]!, expected, F32);
  });

  test('it is the adjoint of Convolution with the same weight: <conv(x), y> = <x, deconv(y)>', () => {
    const window = { kernel: [3, 2], stride: [2, 2], pad: [1, 0], dilate: [1, 2] };
    const x = uniform([2, 4, 7, 8]);
    const w = uniform([6, 2, 3, 2]); // conv: 4 -> 6 channels in 2 groups; deconv: 6 -> 4
    const conv = mx.nd.Convolution(x, w, { ...window, num_filter: 6, num_group: 2, no_bias: true });
    const y = uniform([...conv.shape]);
    const deconv = mx.nd.Deconvolution(y, w, { ...window, adj: [0, 1], num_filter: 4, num_group: 2 });
    expect(deconv.shape).toEqual(x.shape);
    const dot = (a: mx.NDArray, b: mx.NDArray) => a.data.reduce((s, v, i) => s + v * b.data[i]!, 0);
    expect(dot(conv, y)).toBeCloseTo(dot(x, deconv), 3);
  });

  test('target_shape sets pad and adj as MXNet InferPad: (6, 6) from 3x3 with stride 2 is pad 1, adj 1', () => {
    const x = uniform([1, 2, 3, 3]);
    const w = uniform([2, 1, 3, 3]);
    const fromTarget = mx.nd.Deconvolution(x, w, { kernel: [3, 3], stride: [2, 2], target_shape: [6, 6], pad: [5, 5], num_filter: 1 });
    const explicit = mx.nd.Deconvolution(x, w, { kernel: [3, 3], stride: [2, 2], pad: [1, 1], adj: [1, 1], num_filter: 1 });
    expect(fromTarget.shape).toEqual([1, 1, 6, 6]);
    mx.testUtils.assertAlmostEqual(fromTarget, explicit, { rtol: 0, atol: 0 });
  });
});

describe('Deconvolution shape inference', () => {
  test('weight is (C, num_filter/num_group, *kernel); no bias by default', () => {
    const deconv = mx.sym.Deconvolution({ data: mx.sym.Variable('data'), kernel: [4, 4], stride: [2, 2], pad: [1, 1], num_filter: 6, num_group: 2, name: 'up' });
    expect(deconv.listArguments()).toEqual(['data', 'up_weight']);
    const { argShapes, outShapes } = deconv.inferShape({ data: [2, 4, 5, 7] });
    expect(argShapes).toEqual([[2, 4, 5, 7], [4, 3, 4, 4]]);
    expect(outShapes).toEqual([[2, 6, 10, 14]]);
  });

  test('no_bias=false adds a (num_filter,) bias; 1-D output is (w-1)*s - 2p + d(k-1) + 1 + adj', () => {
    const deconv = mx.sym.Deconvolution({ data: mx.sym.Variable('data'), kernel: [3], stride: [3], dilate: [2], adj: [2], num_filter: 5, no_bias: false, name: 'up' });
    const { argShapes, outShapes } = deconv.inferShape({ data: [1, 2, 4] });
    expect(argShapes).toEqual([[1, 2, 4], [2, 5, 3], [5]]);
    expect(outShapes).toEqual([[1, 5, 3 * 3 + 4 + 1 + 2]]);
  });
});

describe('Deconvolution gradients', () => {
  test.each([
    ['2-D stride, pad, adj, bias', { data: [2, 2, 3, 3], kernel: [3, 2], stride: [2, 2], pad: [1, 0], adj: [1, 0], num_filter: 2, no_bias: false }],
    ['2-D groups and dilate', { data: [1, 4, 3, 2], kernel: [2, 2], dilate: [2, 1], num_filter: 2, num_group: 2, no_bias: false }],
    ['1-D', { data: [2, 2, 4], kernel: [3], stride: [2], num_filter: 3, no_bias: false }],
  ] as [string, Case][])('%s: data, weight and bias match central differences', (_name, c) => {
    const { x, w, b } = inputsFor(c);
    const sym = mx.sym.Deconvolution({ data: mx.sym.Variable('data'), name: 'up', ...paramsOf(c) });
    mx.testUtils.checkNumericGradient(sym, { data: x, up_weight: w, up_bias: b! }, NUMERIC);
  });

  test("gradReq 'add' adds the gradients onto what the arrays held", () => {
    const c = CASES['2-D two groups']!;
    const { x, w, b } = inputsFor(c);
    const sym = mx.sym.Deconvolution({ data: mx.sym.Variable('data'), name: 'up', ...paramsOf(c) });
    expectAddAccumulates(sym, { data: x, up_weight: w, up_bias: b! }, [uniform([1, 6, 6, 6])], F32);
  });
});

describe('Deconvolution errors', () => {
  const data = mx.sym.Variable('data');
  test('adj not smaller than stride is a ParamError', () => {
    const up = mx.sym.Deconvolution({ data, kernel: [3, 3], stride: [2, 2], adj: [2, 0], num_filter: 1, name: 'up' });
    expect(() => up.inferShape({ data: [1, 1, 3, 3] })).toThrow(mx.ParamError);
    expect(() => up.inferShape({ data: [1, 1, 3, 3] })).toThrow("Deconvolution 'up': adj 2 on axis 2 must be smaller than the stride 2");
  });

  test('a target_shape larger than reachable is a ParamError', () => {
    const up = mx.sym.Deconvolution({ data, kernel: [3, 3], stride: [2, 2], target_shape: [9, 8], num_filter: 1, name: 'up' });
    expect(() => up.inferShape({ data: [1, 1, 3, 3] })).toThrow("Deconvolution 'up': target_shape (9, 8) is too big: axis 2 can reach at most 7 from input size 3");
  });

  test('channels not divisible by num_group is a ShapeError; missing num_filter a ParamError', () => {
    const up = mx.sym.Deconvolution({ data, kernel: [2, 2], num_filter: 4, num_group: 2, name: 'up' });
    expect(() => up.inferShape({ data: [1, 3, 3, 3] })).toThrow(mx.ShapeError);
    expect(() => up.inferShape({ data: [1, 3, 3, 3] })).toThrow("Deconvolution 'up': data has 3 channels, not divisible by num_group=2");
    // @ts-expect-error num_filter is required
    expect(() => mx.sym.Deconvolution({ data, kernel: [2, 2], name: 'up' })).toThrow(/^Deconvolution 'up': num_filter is required/);
  });

  test('padding that leaves no output is a ShapeError', () => {
    const up = mx.sym.Deconvolution({ data, kernel: [2], pad: [2], num_filter: 1, name: 'up' });
    expect(() => up.inferShape({ data: [1, 1, 2] })).toThrow("Deconvolution 'up': data gives an empty output (size -1 on axis 2); reduce pad");
  });
});
