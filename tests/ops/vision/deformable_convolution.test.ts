/**
 * _contrib_DeformableConvolution: zero offsets reduce it to Convolution (groups, stride, dilation,
 * padding), a whole-pixel offset to a convolution of the shifted image, a float64 reference with
 * fractional offsets (Deformable ConvNets' bilinear taps, re-derived), numeric gradients to data,
 * offset, weight and bias (MXNet test_deformable_convolution checks all four), shapes and errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { expectAddAccumulates } from '../../helpers/grad_req';

const F32 = { rtol: 1e-4, atol: 1e-5 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

interface Conv { kernel: [number, number]; stride: [number, number]; dilate: [number, number]; pad: [number, number]; filters: number; groups: number; dgroups: number }

/** Float64 deformable convolution: each tap read bilinearly at its moved position, 0 off the map. */
function deformableRef(x: mx.NDArray, offset: mx.NDArray, weight: mx.NDArray, bias: mx.NDArray | null, c: Conv): number[] {
  const [n, ch, h, w] = x.shape as [number, number, number, number];
  const [oh, ow] = offset.shape.slice(2) as [number, number];
  const [kh, kw] = c.kernel;
  const sample = (b: number, cc: number, y: number, xx: number) => {
    if (!(y >= 0 && xx >= 0 && y < h && xx < w)) return 0;
    const [y0, x0] = [Math.floor(y), Math.floor(xx)];
    const [y1, x1] = [Math.min(y0 + 1, h - 1), Math.min(x0 + 1, w - 1)];
    const [ly, lx] = [y0 >= h - 1 ? 0 : y - y0, x0 >= w - 1 ? 0 : xx - x0];
    const at = (a: number, bb: number) => x.data[((b * ch + cc) * h + a) * w + bb]!;
    return (1 - ly) * (1 - lx) * at(y0, x0) + (1 - ly) * lx * at(y0, x1) + ly * (1 - lx) * at(y1, x0) + ly * lx * at(y1, x1);
  };
  const out: number[] = [];
  const [cPerG, fPerG, cPerDg] = [ch / c.groups, c.filters / c.groups, ch / c.dgroups];
  for (let b = 0; b < n; b++) {
    for (let f = 0; f < c.filters; f++) {
      const grp = Math.floor(f / fPerG);
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          let sum = bias ? bias.data[f]! : 0;
          for (let cl = 0; cl < cPerG; cl++) {
            const cc = grp * cPerG + cl;
            const dg = Math.floor(cc / cPerDg);
            for (let a = 0; a < kh; a++) {
              for (let e = 0; e < kw; e++) {
                const oc = (dg * 2 * kh * kw + 2 * (a * kw + e));
                const dy = offset.data[((b * offset.shape[1]! + oc) * oh + i) * ow + j]!;
                const dx = offset.data[((b * offset.shape[1]! + oc + 1) * oh + i) * ow + j]!;
                const v = sample(b, cc, i * c.stride[0] - c.pad[0] + a * c.dilate[0] + dy, j * c.stride[1] - c.pad[1] + e * c.dilate[1] + dx);
                sum += weight.data[((f * cPerG + cl) * kh + a) * kw + e]! * v;
              }
            }
          }
          out.push(sum);
        }
      }
    }
  }
  return out;
}

const paramsOf = (c: Conv, noBias = false) => ({
  kernel: c.kernel, stride: c.stride, dilate: c.dilate, pad: c.pad, num_filter: c.filters, num_group: c.groups, num_deformable_group: c.dgroups, no_bias: noBias,
});

/** Offsets of magnitude 0.1..0.9, either sign: taps stay clear of whole pixels, where bilinear reads have kinks. */
const offFromPixels = (shape: number[]) => {
  const u = mx.nd.random.uniform(0.1, 0.9, shape);
  return mx.nd.array(Array.from(u.data, (v, i) => (i % 3 === 0 ? -v : v))).reshape(shape);
};

const outSize = (size: number, k: number, s: number, d: number, p: number) => Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;

beforeEach(() => mx.random.seed(31));

describeEachBackend('_contrib_DeformableConvolution', () => {
  const cases: Conv[] = [
    { kernel: [3, 3], stride: [1, 1], dilate: [1, 1], pad: [1, 1], filters: 4, groups: 1, dgroups: 1 },
    { kernel: [3, 2], stride: [2, 1], dilate: [1, 2], pad: [0, 1], filters: 4, groups: 2, dgroups: 2 },
    { kernel: [1, 1], stride: [1, 1], dilate: [1, 1], pad: [0, 0], filters: 4, groups: 1, dgroups: 4 },
  ];

  test.each(cases)('zero offsets give Convolution with the same window (case %#)', (c) => {
    const x = mx.nd.random.uniform(-1, 1, [2, 4, 7, 6]);
    const [oh, ow] = [outSize(7, c.kernel[0], c.stride[0], c.dilate[0], c.pad[0]), outSize(6, c.kernel[1], c.stride[1], c.dilate[1], c.pad[1])];
    const weight = mx.nd.random.uniform(-1, 1, [c.filters, 4 / c.groups, ...c.kernel]);
    const bias = mx.nd.random.uniform(-1, 1, [c.filters]);
    const offset = mx.nd.zeros([2, 2 * c.kernel[0] * c.kernel[1] * c.dgroups, oh, ow]);
    const out = mx.nd._contrib_DeformableConvolution(x, offset, weight, bias, paramsOf(c));
    const conv = mx.nd.Convolution(x, weight, bias, { kernel: c.kernel, stride: c.stride, dilate: c.dilate, pad: c.pad, num_filter: c.filters, num_group: c.groups });
    mx.testUtils.assertAlmostEqual(out, conv, F32);
  });

  test('an offset of +1 column on every tap equals convolving the image shifted one column left', () => {
    const x = mx.nd.random.uniform(-1, 1, [1, 2, 5, 6]);
    const shifted = Array.from(x.data, (_, i) => (i % 6 === 5 ? 0 : x.data[i + 1]!));
    const weight = mx.nd.random.uniform(-1, 1, [3, 2, 2, 2]);
    const offset = mx.nd.array(Array.from({ length: 8 * 4 * 5 }, (_, i) => (Math.floor(i / 20) % 2 === 1 ? 1 : 0))).reshape([1, 8, 4, 5]);
    const out = mx.nd._contrib_DeformableConvolution(x, offset, weight, { kernel: [2, 2], num_filter: 3, no_bias: true });
    const conv = mx.nd.Convolution(mx.nd.array(shifted).reshape([1, 2, 5, 6]), weight, { kernel: [2, 2], num_filter: 3, no_bias: true });
    mx.testUtils.assertAlmostEqual(out, conv, F32);
  });

  test.each(cases)('fractional offsets (some taps off the map) match the float64 reference via mx.nd and mx.sym (case %#)', (c) => {
    const x = mx.nd.random.uniform(-1, 1, [2, 4, 7, 6]);
    const [oh, ow] = [outSize(7, c.kernel[0], c.stride[0], c.dilate[0], c.pad[0]), outSize(6, c.kernel[1], c.stride[1], c.dilate[1], c.pad[1])];
    const offset = mx.nd.random.uniform(-2.5, 2.5, [2, 2 * c.kernel[0] * c.kernel[1] * c.dgroups, oh, ow]);
    const weight = mx.nd.random.uniform(-1, 1, [c.filters, 4 / c.groups, ...c.kernel]);
    const bias = mx.nd.random.uniform(-1, 1, [c.filters]);
    const out = mx.nd._contrib_DeformableConvolution(x, offset, weight, bias, paramsOf(c));
    mx.testUtils.assertAlmostEqual(out.data, deformableRef(x, offset, weight, bias, c), F32);
    const s = mx.sym._contrib_DeformableConvolution(mx.sym.Variable('data'), mx.sym.Variable('offset'), { ...paramsOf(c), name: 'dc' });
    expect(s.listArguments()).toEqual(['data', 'offset', 'dc_weight', 'dc_bias']);
    const exec = s.bind(mx.cpu(), { data: x, offset, dc_weight: weight, dc_bias: bias }, { gradReq: 'null' });
    mx.testUtils.assertAlmostEqual(exec.forward()[0]!, out, { rtol: 0, atol: 0 });
  });

  test('MXNet test_deformable_convolution: gradients to data, offset, weight and bias by central differences; add accumulates', () => {
    for (const c of [cases[0]!, cases[1]!]) {
      const s = mx.sym._contrib_DeformableConvolution(mx.sym.Variable('data'), mx.sym.Variable('offset'), mx.sym.Variable('weight'), mx.sym.Variable('bias'), paramsOf(c));
      const x = mx.nd.random.uniform(-1, 1, [1, 4, 5, 4]);
      const [oh, ow] = [outSize(5, c.kernel[0], c.stride[0], c.dilate[0], c.pad[0]), outSize(4, c.kernel[1], c.stride[1], c.dilate[1], c.pad[1])];
      const loc = {
        data: x,
        offset: offFromPixels([1, 2 * c.kernel[0] * c.kernel[1] * c.dgroups, oh, ow]),
        weight: mx.nd.random.uniform(-1, 1, [c.filters, 4 / c.groups, ...c.kernel]),
        bias: mx.nd.random.uniform(-1, 1, [c.filters]),
      };
      mx.testUtils.checkNumericGradient(s, loc, NUMERIC);
      expectAddAccumulates(s, loc, [mx.nd.random.uniform(-1, 1, [1, c.filters, oh, ow])]);
    }
  });

  test('property: output shape is Convolution\'s; offset and weight shapes are inferred from data', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 1, max: 2 }), (k, s, p, dg) => {
      const sym = mx.sym._contrib_DeformableConvolution(mx.sym.Variable('data'), { kernel: [k, k], stride: [s, s], pad: [p, p], num_filter: 4, num_deformable_group: dg, name: 'dc' });
      const o = outSize(6, k, s, 1, p);
      const { argShapes, outShapes } = sym.inferShape({ data: [2, 4, 6, 6] });
      expect(outShapes).toEqual([[2, 4, o, o]]);
      expect(argShapes).toEqual([[2, 4, 6, 6], [2, 2 * k * k * dg, o, o], [4, 4, k, k], [4]]);
    }), { numRuns: 30 });
  });

  test('errors: offset shape, channel grouping, 1-d kernel, layout', () => {
    const dc = (p: Record<string, unknown> = {}) => mx.sym._contrib_DeformableConvolution(mx.sym.Variable('data'), mx.sym.Variable('offset'), { kernel: [3, 3], num_filter: 4, name: 'dc', ...p });
    expect(() => dc().inferShape({ data: [1, 4, 5, 5], offset: [1, 18, 2, 3] })).toThrow("_contrib_DeformableConvolution 'dc': offset shape [1,18,2,3] does not match the inferred shape [1,18,3,3]");
    expect(() => dc({ num_group: 3 }).inferShape({ data: [1, 4, 5, 5] })).toThrow(/num_filter 4 is not divisible by num_group=3|data has 4 channels, not divisible by num_group=3/);
    expect(() => dc({ num_deformable_group: 3 }).inferShape({ data: [1, 4, 5, 5] })).toThrow(/not divisible by num_deformable_group=3/);
    expect(() => dc({ kernel: [3] }).inferShape({ data: [1, 4, 5] })).toThrow(/kernel \(3\) must be \(h, w\): only 2-D deformable convolution is implemented/);
    expect(() => dc({ layout: 'NCW' }).inferShape({ data: [1, 4, 5, 5] })).toThrow(/layout 'NCW' is not supported/);
    expect(() => dc().inferShape({ data: [1, 4, 2, 5] })).toThrow(/spatial size 2 padded to 2 is smaller than the dilated kernel 3/);
  });
});
