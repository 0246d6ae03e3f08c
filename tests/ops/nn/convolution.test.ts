/**
 * Convolution: hand-computed goldens, a naive float64 reference on seeded inputs (1-D and 2-D,
 * odd sizes, stride/pad/dilate/groups), shape inference with weight/bias filling, numeric
 * gradients for data, weight and bias, gradReq 'add', and errors naming op, node and argument.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { convRef, uniform, WindowSpec } from './reference';
import { expectAddAccumulates } from '../../helpers/grad_req';

const F32 = { rtol: 1e-5, atol: 1e-5 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3, numericEps: 1e-2 };

interface Case extends WindowSpec {
  data: number[];
  num_filter: number;
  num_group?: number;
  no_bias?: boolean;
}

const CASES: Record<string, Case> = {
  '2-D plain 3x3 on an odd 5x7 input': { data: [2, 3, 5, 7], kernel: [3, 3], num_filter: 4 },
  '2-D stride 2 and pad 1 on 7x6': { data: [1, 2, 7, 6], kernel: [3, 3], stride: [2, 2], pad: [1, 1], num_filter: 3 },
  '2-D anisotropic kernel, stride and dilate': { data: [2, 2, 9, 8], kernel: [3, 2], stride: [1, 2], dilate: [2, 3], pad: [0, 1], num_filter: 2 },
  '2-D two groups': { data: [2, 4, 6, 5], kernel: [2, 3], num_filter: 6, num_group: 2, pad: [1, 0] },
  '2-D depthwise (num_group = channels), no bias': { data: [1, 3, 5, 5], kernel: [3, 3], num_filter: 3, num_group: 3, no_bias: true },
  '2-D 1x1 kernel': { data: [3, 5, 2, 3], kernel: [1, 1], num_filter: 2 },
  '1-D plain': { data: [2, 3, 11], kernel: [4], num_filter: 2 },
  '1-D stride, pad, dilate and groups': { data: [3, 4, 13], kernel: [3], stride: [3], pad: [2], dilate: [2], num_filter: 4, num_group: 2 },
};

function paramsOf(c: Case): mx.OpParams<'Convolution'> {
  const { data: _data, ...params } = c;
  return params;
}

function inputsFor(c: Case) {
  const groups = c.num_group ?? 1;
  const x = uniform(c.data);
  const w = uniform([c.num_filter, c.data[1]! / groups, ...c.kernel]);
  const b = c.no_bias ? null : uniform([c.num_filter]);
  return { x, w, b };
}

beforeEach(() => mx.random.seed(42));

describe('Convolution forward', () => {
  test('a 2x2 kernel of ones sums each 2x2 block of arange(16) (computed by hand), plus the bias', () => {
    const x = mx.nd.arange(0, 16).reshape([1, 1, 4, 4]);
    const out = mx.nd.Convolution(x, mx.nd.ones([1, 1, 2, 2]), mx.nd.array([0.5]), { kernel: [2, 2], num_filter: 1 });
    mx.testUtils.assertAlmostEqual(out, [[[[10.5, 14.5, 18.5], [26.5, 30.5, 34.5], [42.5, 46.5, 50.5]]]], { rtol: 0, atol: 0 });
  });

  test('1-D: a [1, -1] kernel with stride 2 and pad 1 takes differences (computed by hand)', () => {
    const x = mx.nd.array([[[1, 4, 9, 16, 25]]]);
    const out = mx.nd.Convolution(x, mx.nd.array([[[1, -1]]]), { kernel: [2], stride: [2], pad: [1], num_filter: 1, no_bias: true });
    // padded: 0 1 4 9 16 25 0 -> windows (0,1) (4,9) (16,25)
    mx.testUtils.assertAlmostEqual(out, [[[-1, -5, -9]]], { rtol: 0, atol: 0 });
  });

  test.each(Object.entries(CASES))('%s matches the float64 reference through mx.nd and mx.sym', (_name, c) => {
    const { x, w, b } = inputsFor(c);
    const expected = convRef(x, w, b, c, c.num_group ?? 1);
    const viaNd = b ? mx.nd.Convolution(x, w, b, paramsOf(c)) : mx.nd.Convolution(x, w, paramsOf(c));
    expect(viaNd.shape).toEqual(expected.shape);
    mx.testUtils.assertAlmostEqual(viaNd, expected.data, F32);

    const sym = mx.sym.Convolution({ data: mx.sym.Variable('data'), name: 'conv', ...paramsOf(c) });
    const args: Record<string, mx.NDArray> = { data: x, conv_weight: w };
    if (b) args['conv_bias'] = b;
    const exec = sym.bind(mx.cpu(), args, { gradReq: 'null' });
    mx.testUtils.assertAlmostEqual(exec.forward(false)[0]!, expected.data, F32);
  });

  test('random 1-D and 2-D configurations match the reference (property)', () => {
    fc.assert(
      fc.property(
        fc.boolean(), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }),
        fc.array(fc.record({ size: fc.integer({ min: 1, max: 8 }), k: fc.integer({ min: 1, max: 3 }), s: fc.integer({ min: 1, max: 3 }), p: fc.integer({ min: 0, max: 2 }), d: fc.integer({ min: 1, max: 2 }) }), { minLength: 2, maxLength: 2 }),
        (twoD, groups, inPerGroup, outPerGroup, axes) => {
          const used = twoD ? axes : axes.slice(1);
          fc.pre(used.every((a) => a.d * (a.k - 1) + 1 <= a.size + 2 * a.p));
          const c: Case = {
            data: [2, groups * inPerGroup, ...used.map((a) => a.size)],
            kernel: used.map((a) => a.k), stride: used.map((a) => a.s), pad: used.map((a) => a.p), dilate: used.map((a) => a.d),
            num_filter: groups * outPerGroup, num_group: groups,
          };
          const { x, w, b } = inputsFor(c);
          const expected = convRef(x, w, b, c, groups);
          const out = mx.nd.Convolution(x, w, b!, paramsOf(c));
          expect(out.shape).toEqual(expected.shape);
          mx.testUtils.assertAlmostEqual(out, expected.data, F32);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('JSON string forms of the parameters are read as MXNet writes them', () => {
    const { x, w, b } = inputsFor(CASES['2-D stride 2 and pad 1 on 7x6']!);
    const fromStrings = mx.nd.Convolution(x, w, b!, { kernel: '(3, 3)', stride: '(2, 2)', pad: '(1, 1)', dilate: '()', num_filter: '3', num_group: '1', no_bias: 'False', workspace: '1024', cudnn_tune: 'None', cudnn_off: 'False', layout: 'NCHW' });
    mx.testUtils.assertAlmostEqual(fromStrings, mx.nd.Convolution(x, w, b!, { kernel: [3, 3], stride: [2, 2], pad: [1, 1], num_filter: 3 }), { rtol: 0, atol: 0 });
  });
});

describe('Convolution shape inference', () => {
  test('weight and bias shapes are filled from the data shape', () => {
    const conv = mx.sym.Convolution({ data: mx.sym.Variable('data'), kernel: [3, 2], num_filter: 6, num_group: 2, stride: [2, 1], pad: [1, 0], name: 'conv' });
    expect(conv.listArguments()).toEqual(['data', 'conv_weight', 'conv_bias']);
    const { argShapes, outShapes } = conv.inferShape({ data: [4, 4, 9, 7] });
    expect(argShapes).toEqual([[4, 4, 9, 7], [6, 2, 3, 2], [6]]);
    expect(outShapes).toEqual([[4, 6, 5, 6]]);
  });

  test('no_bias drops the bias argument; 1-D output length is floor((w + 2p - d(k-1) - 1)/s) + 1', () => {
    const conv = mx.sym.Convolution({ data: mx.sym.Variable('data'), kernel: [3], num_filter: 2, stride: [2], dilate: [2], pad: [1], no_bias: true, name: 'c1' });
    expect(conv.listArguments()).toEqual(['data', 'c1_weight']);
    const { argShapes, outShapes } = conv.inferShape({ data: [1, 3, 10] });
    expect(argShapes).toEqual([[1, 3, 10], [2, 3, 3]]);
    expect(outShapes).toEqual([[1, 2, 4]]);
  });

  test('a given weight shape that disagrees is reported against the weight', () => {
    const conv = mx.sym.Convolution({ data: mx.sym.Variable('data'), kernel: [3, 3], num_filter: 2, name: 'conv' });
    expect(() => conv.inferShape({ data: [1, 3, 5, 5], conv_weight: [2, 3, 2, 2] })).toThrow(mx.ShapeError);
    expect(() => conv.inferShape({ data: [1, 3, 5, 5], conv_weight: [2, 3, 2, 2] })).toThrow("Convolution 'conv': weight shape [2,3,2,2] does not match the inferred shape [2,3,3,3]");
  });
});

describe('Convolution gradients', () => {
  const GRAD_CASES: Record<string, Case> = {
    '2-D stride, pad, dilate': { data: [2, 2, 5, 6], kernel: [2, 3], stride: [2, 1], pad: [1, 1], dilate: [1, 2], num_filter: 3 },
    '2-D groups': { data: [1, 4, 4, 4], kernel: [3, 3], pad: [1, 1], num_filter: 2, num_group: 2 },
    '1-D stride and dilate': { data: [2, 2, 9], kernel: [3], stride: [2], dilate: [2], pad: [1], num_filter: 2 },
  };
  test.each(Object.entries(GRAD_CASES))('%s: data, weight and bias match central differences', (_name, c) => {
    const { x, w, b } = inputsFor(c);
    const sym = mx.sym.Convolution({ data: mx.sym.Variable('data'), name: 'conv', ...paramsOf(c) });
    mx.testUtils.checkNumericGradient(sym, { data: x, conv_weight: w, conv_bias: b! }, NUMERIC);
  });

  test("gradReq 'add' adds the gradients onto what the arrays held", () => {
    const c = GRAD_CASES['2-D groups']!;
    const { x, w, b } = inputsFor(c);
    const sym = mx.sym.Convolution({ data: mx.sym.Variable('data'), name: 'conv', ...paramsOf(c) });
    expectAddAccumulates(sym, { data: x, conv_weight: w, conv_bias: b! }, [uniform([1, 2, 4, 4])], F32);
  });
});

describe('Convolution errors', () => {
  const data = mx.sym.Variable('data');
  test('a dilated kernel larger than the padded input is a ShapeError naming the data', () => {
    const conv = mx.sym.Convolution({ data, kernel: [3, 3], dilate: [3, 1], num_filter: 1, name: 'conv' });
    expect(() => conv.inferShape({ data: [1, 1, 6, 6] })).toThrow(mx.ShapeError);
    expect(() => conv.inferShape({ data: [1, 1, 6, 6] })).toThrow("Convolution 'conv': data spatial size 6 padded to 6 is smaller than the dilated kernel 7 on axis 2");
  });

  test('channels not divisible by num_group is a ShapeError', () => {
    const conv = mx.sym.Convolution({ data, kernel: [1, 1], num_filter: 2, num_group: 2, name: 'conv' });
    expect(() => conv.inferShape({ data: [1, 3, 4, 4] })).toThrow(mx.ShapeError);
    expect(() => conv.inferShape({ data: [1, 3, 4, 4] })).toThrow("Convolution 'conv': data has 3 channels, not divisible by num_group=2");
  });

  test('num_filter not divisible by num_group is a ParamError', () => {
    const conv = mx.sym.Convolution({ data, kernel: [1, 1], num_filter: 3, num_group: 2, name: 'conv' });
    expect(() => conv.inferShape({ data: [1, 4, 4, 4] })).toThrow(mx.ParamError);
    expect(() => conv.inferShape({ data: [1, 4, 4, 4] })).toThrow("Convolution 'conv': num_filter 3 is not divisible by num_group=2");
  });

  test('missing kernel or num_filter is a ParamError at symbol creation', () => {
    // @ts-expect-error kernel is required
    expect(() => mx.sym.Convolution({ data, num_filter: 2, name: 'conv' })).toThrow(mx.ParamError);
    // @ts-expect-error kernel is required
    expect(() => mx.sym.Convolution({ data, num_filter: 2, name: 'conv' })).toThrow(/^Convolution 'conv': kernel is required/);
    // @ts-expect-error num_filter is required
    expect(() => mx.sym.Convolution({ data, kernel: [3, 3], name: 'conv' })).toThrow(/^Convolution 'conv': num_filter is required/);
  });

  test('stride of the wrong length, 3-d kernels and NHWC layout are ParamErrors', () => {
    const x = mx.nd.zeros([1, 1, 5, 5]);
    const w = mx.nd.zeros([1, 1, 3, 3]);
    expect(() => mx.nd.Convolution(x, w, { kernel: [3, 3], stride: [1], num_filter: 1, no_bias: true })).toThrow(mx.ParamError);
    expect(() => mx.nd.Convolution(x, w, { kernel: [3, 3], stride: [1], num_filter: 1, no_bias: true })).toThrow('stride must have as many axes as kernel (2), got (1)');
    expect(() => mx.nd.Convolution(x, w, { kernel: [3, 3, 3], num_filter: 1, no_bias: true })).toThrow('kernel must have 1 or 2 axes');
    expect(() => mx.nd.Convolution(x, w, { kernel: [3, 3], num_filter: 1, no_bias: true, layout: 'NHWC' })).toThrow("layout 'NHWC' is not supported by mxts");
  });

  test('data of the wrong rank for the kernel is a ShapeError', () => {
    const conv = mx.sym.Convolution({ data, kernel: [3], num_filter: 1, name: 'conv' });
    expect(() => conv.inferShape({ data: [1, 1, 5, 5] })).toThrow("Convolution 'conv': data shape [1,1,5,5] must be 3-d (batch, channel, width) for a 1-d kernel");
  });
});
