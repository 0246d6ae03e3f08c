/**
 * UpSampling, _contrib_BilinearResize2D and _contrib_AdaptiveAvgPooling2D: MXNet docstring
 * examples, hand-derived values, float64 references on seeded inputs (the references of MXNet's
 * test_bilinear_resize_op / test_adaptive_avg_pool_op, re-derived), numeric gradients, shape rules
 * and errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { expectAddAccumulates } from '../../helpers/grad_req';

const EXACT = { rtol: 0, atol: 0 };
const F32 = { rtol: 1e-5, atol: 1e-5 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

type Img = { data: Float32Array; shape: readonly number[] };

/** Float64 bilinear resize with MXNet's index rule (align_corners or half-pixel, clamped at 0). */
function bilinearRef(x: Img, outH: number, outW: number, alignCorners: boolean): number[] {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const src = (o: number, inS: number, outS: number) => {
    if (inS === outS) return o;
    if (outS <= 1) return 0;
    const v = alignCorners ? (o * (inS - 1)) / (outS - 1) : ((o + 0.5) * inS) / outS - 0.5;
    return Math.max(v, 0);
  };
  const out: number[] = [];
  for (let p = 0; p < n * c; p++) {
    for (let y = 0; y < outH; y++) {
      const sy = src(y, h, outH);
      const y0 = Math.floor(sy);
      const y1 = Math.min(y0 + 1, h - 1);
      const ly = sy - y0;
      for (let xo = 0; xo < outW; xo++) {
        const sx = src(xo, w, outW);
        const x0 = Math.floor(sx);
        const x1 = Math.min(x0 + 1, w - 1);
        const lx = sx - x0;
        const at = (yy: number, xx: number) => x.data[p * h * w + yy * w + xx]!;
        out.push((1 - ly) * ((1 - lx) * at(y0, x0) + lx * at(y0, x1)) + ly * ((1 - lx) * at(y1, x0) + lx * at(y1, x1)));
      }
    }
  }
  return out;
}

/** Float64 adaptive average pooling (MXNet test_adaptive_avg_pool_op's py_adaptive_avg_pool). */
function adaptiveRef(x: Img, oh: number, ow: number): number[] {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const out: number[] = [];
  for (let p = 0; p < n * c; p++) {
    for (let i = 0; i < oh; i++) {
      const h0 = Math.floor((i * h) / oh);
      const h1 = Math.ceil(((i + 1) * h) / oh);
      for (let j = 0; j < ow; j++) {
        const w0 = Math.floor((j * w) / ow);
        const w1 = Math.ceil(((j + 1) * w) / ow);
        let sum = 0;
        for (let y = h0; y < h1; y++) for (let xx = w0; xx < w1; xx++) sum += x.data[p * h * w + y * w + xx]!;
        out.push(sum / ((h1 - h0) * (w1 - w0)));
      }
    }
  }
  return out;
}

beforeEach(() => mx.random.seed(5));

describeEachBackend('UpSampling', () => {
  test('MXNet docstring: nearest scale 2 of a 3x3 block of ones is a 6x6 block of ones', () => {
    const out = mx.nd.UpSampling(mx.nd.ones([1, 1, 3, 3]), { scale: 2, sample_type: 'nearest' });
    mx.testUtils.assertAlmostEqual(out, mx.nd.ones([1, 1, 6, 6]), EXACT);
  });

  test('MXNet docstring: bilinear scale 2 with a 4x4 weight of ones (Deconvolution under the hood)', () => {
    const out = mx.nd.UpSampling(mx.nd.ones([1, 1, 3, 3]), mx.nd.ones([1, 1, 4, 4]), { scale: 2, sample_type: 'bilinear', num_filter: 1 });
    const edge = [2, 4, 4, 4, 4, 2];
    mx.testUtils.assertAlmostEqual(out, [[[[1, 2, 2, 2, 2, 1], edge, edge, edge, edge, [1, 2, 2, 2, 2, 1]]]], EXACT);
  });

  test('nearest repeats each pixel over an sh x sw block; (sh, sw) may differ', () => {
    const out = mx.nd.UpSampling(mx.nd.array([[[[1, 2], [3, 4]]]]), { scale: [1, 2], sample_type: 'nearest' });
    mx.testUtils.assertAlmostEqual(out, [[[[1, 1, 2, 2], [3, 3, 4, 4]]]], EXACT);
  });

  test('several inputs are scaled to arg0 x scale, then concatenated or summed', () => {
    const a = mx.nd.random.uniform(-1, 1, [2, 2, 2, 3]);
    const b = mx.nd.random.uniform(-1, 1, [2, 2, 4, 6]);
    const up = (x: mx.NDArray, s: number) => mx.nd.UpSampling(x, { scale: s, sample_type: 'nearest' });
    const cat = mx.nd.UpSampling(a, b, { scale: 2, sample_type: 'nearest' });
    mx.testUtils.assertAlmostEqual(cat, mx.nd.concat(up(a, 2), up(b, 1), { dim: 1 }), EXACT);
    const sum = mx.nd.UpSampling(a, b, { scale: 2, sample_type: 'nearest', multi_input_mode: 'sum' });
    mx.testUtils.assertAlmostEqual(sum, up(a, 2).add(b), F32);
    const c = mx.nd.random.uniform(-1, 1, [2, 3, 1, 1]);
    expect(mx.nd.UpSampling(a, c, { scale: 2, sample_type: 'nearest' }).shape).toEqual([2, 5, 4, 6]);
  });

  test('nearest gradients: block sums, for one input and for concat/sum of several (central differences)', () => {
    const a = mx.sym.Variable('a');
    const b = mx.sym.Variable('b');
    const loc = { a: mx.nd.random.uniform(-1, 1, [1, 2, 2, 3]), b: mx.nd.random.uniform(-1, 1, [1, 2, 4, 3]) };
    mx.testUtils.checkNumericGradient(mx.sym.UpSampling(a, { scale: [2, 3], sample_type: 'nearest' }), { a: loc.a }, NUMERIC);
    mx.testUtils.checkNumericGradient(mx.sym.UpSampling(a, b, { scale: [2, 1], sample_type: 'nearest' }), loc, NUMERIC);
    mx.testUtils.checkNumericGradient(mx.sym.UpSampling(a, b, { scale: [2, 1], sample_type: 'nearest', multi_input_mode: 'sum' }), loc, NUMERIC);
    const s = mx.sym.UpSampling(a, { scale: 2, sample_type: 'nearest' });
    expectAddAccumulates(s, { a: loc.a }, [mx.nd.random.uniform(-1, 1, [1, 2, 4, 6])]);
  });

  test('bilinear binds as MXNet JSON does: arguments data and weight (C, 1, k, k), weight initialized bilinear', () => {
    const s = mx.sym.UpSampling(mx.sym.Variable('data'), { scale: 3, sample_type: 'bilinear', num_filter: 2, name: 'up' });
    expect(s.listArguments()).toEqual(['data', 'up_weight']);
    const { argShapes, outShapes } = s.inferShape({ data: [1, 2, 4, 5] });
    expect(argShapes).toEqual([[1, 2, 4, 5], [2, 1, 5, 5]]);
    expect(outShapes).toEqual([[1, 2, 12, 15]]);
    expect(s.getInternals().get('up_weight').attr('__init__')).toBe('["bilinear", {}]');
    const round = mx.sym.fromJSON(s.toJSON());
    expect(round.listArguments()).toEqual(['data', 'up_weight']);
  });

  test('an MXNet 1.9.1 JSON with bilinear UpSampling (num_args 1, weight initialized bilinear) loads, binds and runs', () => {
    const json = JSON.stringify({
      nodes: [
        { op: 'null', name: 'data', inputs: [] },
        { op: 'null', name: 'up_weight', attrs: { __init__: '["bilinear", {}]' }, inputs: [] },
        { op: 'UpSampling', name: 'up', attrs: { num_args: '1', num_filter: '2', sample_type: 'bilinear', scale: '2' }, inputs: [[0, 0, 0], [1, 0, 0]] },
        { op: 'UpSampling', name: 'near', attrs: { num_args: '2', sample_type: 'nearest', scale: '(2, 2)' }, inputs: [[2, 0, 0], [0, 0, 0]] },
      ],
      arg_nodes: [0, 1],
      node_row_ptr: [0, 1, 2, 3, 4],
      heads: [[3, 0, 0]],
      attrs: { mxnet_version: ['int', 10901] },
    });
    const s = mx.sym.fromJSON(json);
    expect(s.listArguments()).toEqual(['data', 'up_weight']);
    const x = mx.nd.random.uniform(-1, 1, [1, 2, 3, 3]);
    const w = mx.nd.random.uniform(-1, 1, [2, 1, 4, 4]);
    expect(s.inferShape({ data: [1, 2, 3, 3] }).outShapes).toEqual([[1, 4, 12, 12]]);
    const up = mx.nd.UpSampling(x, w, { scale: 2, sample_type: 'bilinear', num_filter: 2 });
    const expected = mx.nd.UpSampling(up, x, { scale: 2, sample_type: 'nearest' });
    mx.testUtils.assertAlmostEqual(s.bind(mx.cpu(), { data: x, up_weight: w }, { gradReq: 'null' }).forward()[0]!, expected, F32);
  });

  test('bilinear equals Deconvolution(kernel 2s - s%2, stride s, pad ceil((s-1)/2), groups = channels) with its gradients', () => {
    for (const scale of [2, 3]) {
      const k = 2 * scale - (scale % 2);
      const x = mx.nd.random.uniform(-1, 1, [2, 3, 3, 4]);
      const w = mx.nd.random.uniform(-1, 1, [3, 1, k, k]);
      const pad = Math.ceil((scale - 1) / 2);
      const expected = mx.nd.Deconvolution(x, w, { kernel: [k, k], stride: [scale, scale], pad: [pad, pad], num_filter: 3, num_group: 3 });
      const viaNd = mx.nd.UpSampling(x, w, { scale, sample_type: 'bilinear', num_filter: 3 });
      mx.testUtils.assertAlmostEqual(viaNd, expected, F32);
      const s = mx.sym.UpSampling(mx.sym.Variable('x'), mx.sym.Variable('w'), { scale, sample_type: 'bilinear', num_filter: 3 });
      mx.testUtils.assertAlmostEqual(s.bind(mx.cpu(), { x, w }).forward()[0]!, expected, F32);
    }
    const s = mx.sym.UpSampling(mx.sym.Variable('x'), mx.sym.Variable('w'), { scale: 2, sample_type: 'bilinear', num_filter: 2 });
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(-1, 1, [1, 2, 2, 3]), w: mx.nd.random.uniform(-1, 1, [2, 1, 4, 4]) }, NUMERIC);
  });

  test('errors: unequal bilinear scale, num_filter not the channels, mismatched sum channels, non-4-d input', () => {
    const v = mx.sym.Variable('x');
    expect(() => mx.sym.UpSampling(v, { scale: [2, 3], sample_type: 'bilinear', num_filter: 1, name: 'u' }).inferShape({ x: [1, 1, 2, 2] }))
      .toThrow("UpSampling 'u': scale (2, 3) must be the same along both axes for bilinear upsampling");
    expect(() => mx.sym.UpSampling(v, { scale: 2, sample_type: 'bilinear', num_filter: 2, name: 'u' }).inferShape({ x: [1, 3, 2, 2] })).toThrow(mx.ShapeError);
    expect(() => mx.nd.UpSampling(mx.nd.ones([1, 2, 2, 2]), mx.nd.ones([1, 3, 2, 2]), { scale: 1, sample_type: 'nearest', multi_input_mode: 'sum' }))
      .toThrow(/arg1 has 3 channels, but multi_input_mode 'sum' needs all inputs to have 2/);
    expect(() => mx.nd.UpSampling(mx.nd.ones([2, 2]), { scale: 2, sample_type: 'nearest' })).toThrow(/must be 4-d/);
    expect(() => mx.nd.UpSampling(mx.nd.ones([1, 1, 2, 2]), mx.nd.ones([1, 1, 3, 3]), { scale: 1, sample_type: 'nearest' })).toThrow(/does not divide the output size 2x2/);
    // @ts-expect-error sample_type is required
    expect(() => mx.nd.UpSampling(mx.nd.ones([1, 1, 2, 2]), { scale: 2 })).toThrow(mx.ParamError);
  });

  test('property: nearest output shape is (N, sum C, H*sh, W*sw) and the block sum of the output is scale^2 x input', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), (sh, sw, h, w) => {
      const x = mx.nd.random.uniform(-1, 1, [1, 2, h, w]);
      const out = mx.nd.UpSampling(x, { scale: [sh, sw], sample_type: 'nearest' });
      expect(out.shape).toEqual([1, 2, h * sh, w * sw]);
      const total = (a: mx.NDArray) => a.data.reduce((s, v) => s + v, 0);
      expect(total(out)).toBeCloseTo(total(x) * sh * sw, 3);
    }), { numRuns: 30 });
  });
});

describeEachBackend('_contrib_BilinearResize2D', () => {
  const x22 = mx.nd.array([[[[1, 2], [3, 4]]]]);

  test('hand-derived: 2x2 -> 3x3 with align_corners interpolates halfway; without, half-pixel centres clamp at the edge', () => {
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_BilinearResize2D(x22, { height: 3, width: 3 }), [[[[1, 1.5, 2], [2, 2.5, 3], [3, 3.5, 4]]]], F32);
    const half = mx.nd._contrib_BilinearResize2D(x22, { height: 2, width: 4, align_corners: false });
    mx.testUtils.assertAlmostEqual(half, [[[[1, 1.25, 1.75, 2], [3, 3.25, 3.75, 4]]]], F32);
  });

  test.each([
    [[2, 3, 5, 7], 9, 4, true],
    [[1, 2, 6, 6], 3, 11, false],
    [[1, 1, 4, 5], 1, 1, true],
    [[1, 2, 3, 3], 3, 3, false],
  ])('seeded %j resized to %ix%i (align_corners %s) matches the float64 reference', (shape, oh, ow, align) => {
    const x = mx.nd.random.uniform(-2, 2, shape);
    const out = mx.nd._contrib_BilinearResize2D(x, { height: oh, width: ow, align_corners: align });
    expect(out.shape).toEqual([shape[0], shape[1], oh, ow]);
    mx.testUtils.assertAlmostEqual(out.data, bilinearRef(x, oh, ow, align), F32);
    const s = mx.sym._contrib_BilinearResize2D(mx.sym.Variable('x'), { height: oh, width: ow, align_corners: align });
    mx.testUtils.assertAlmostEqual(s.bind(mx.cpu(), { x }).forward()[0]!, out, EXACT);
  });

  test('modes: size with scales, odd_scale, like, to_even/odd_up/down (shape rule of BilinearSampleOpInferShape)', () => {
    const shapeOf = (dshape: number[], params: Record<string, unknown>, like?: number[]) => {
      const args: Record<string, number[]> = { x: dshape };
      if (like) args['l'] = like;
      const inputs = like ? [mx.sym.Variable('x'), mx.sym.Variable('l')] : [mx.sym.Variable('x')];
      return mx.sym._contrib_BilinearResize2D(...inputs, params).inferShape(args).outShapes[0];
    };
    expect(shapeOf([1, 1, 5, 6], { scale_height: 2, scale_width: 0.5 })).toEqual([1, 1, 10, 3]);
    expect(shapeOf([1, 1, 5, 6], { scale_width: 3, height: 7, width: 8 })).toEqual([1, 1, 7, 8]);
    expect(shapeOf([1, 1, 5, 6], { mode: 'odd_scale', scale_height: 2, scale_width: 2 })).toEqual([1, 1, 9, 12]);
    expect(shapeOf([1, 1, 5, 6], { mode: 'like' }, [3, 4, 2, 9])).toEqual([1, 1, 2, 9]);
    expect(shapeOf([1, 1, 5, 6], { mode: 'to_even_down' })).toEqual([1, 1, 4, 6]);
    expect(shapeOf([1, 1, 5, 6], { mode: 'to_even_up' })).toEqual([1, 1, 6, 6]);
    expect(shapeOf([1, 1, 5, 6], { mode: 'to_odd_down' })).toEqual([1, 1, 5, 5]);
    expect(shapeOf([1, 1, 5, 6], { mode: 'to_odd_up' })).toEqual([1, 1, 5, 7]);
  });

  test("mode 'like' resizes data to like's H, W; like gets a zero gradient", () => {
    const x = mx.nd.random.uniform(-1, 1, [1, 2, 3, 4]);
    const like = mx.nd.zeros([1, 1, 5, 2]);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_BilinearResize2D(x, like, { mode: 'like' }).data, bilinearRef(x, 5, 2, true), F32);
    const s = mx.sym._contrib_BilinearResize2D(mx.sym.Variable('x'), mx.sym.Variable('l'), { mode: 'like' });
    expect(s.listArguments()).toEqual(['x', 'l']);
    const exec = s.bind(mx.cpu(), { x, l: like }, { gradReq: 'write' });
    exec.forward(true);
    exec.backward([mx.nd.ones([1, 2, 5, 2])]);
    expect(Array.from(exec.gradDict['l']!.data)).toEqual(new Array(10).fill(0));
  });

  test('gradient: the transposed interpolation (central differences), up and down, both corner rules; add accumulates', () => {
    const v = mx.sym.Variable('x');
    for (const [h, w, align] of [[5, 7, true], [2, 3, false], [3, 2, true], [4, 6, false]] as const) {
      mx.testUtils.checkNumericGradient(mx.sym._contrib_BilinearResize2D(v, { height: h, width: w, align_corners: align }), { x: mx.nd.random.uniform(-1, 1, [1, 2, 3, 4]) }, NUMERIC);
    }
    const s = mx.sym._contrib_BilinearResize2D(v, { height: 5, width: 3 });
    expectAddAccumulates(s, { x: mx.nd.random.uniform(-1, 1, [1, 1, 3, 4]) }, [mx.nd.random.uniform(-1, 1, [1, 1, 5, 3])]);
  });

  test('errors: non-4-d data, scale_width missing when scale_height is given, bad mode', () => {
    expect(() => mx.nd._contrib_BilinearResize2D(mx.nd.ones([2, 2, 2]), { height: 2, width: 2 })).toThrow(/data shape \[2,2,2\] must be 4-d/);
    expect(() => mx.sym._contrib_BilinearResize2D(mx.sym.Variable('x'), { scale_height: 2, name: 'r' }).inferShape({ x: [1, 1, 2, 2] }))
      .toThrow("_contrib_BilinearResize2D 'r': scale_width is required in mode 'size'");
    // @ts-expect-error no 'nearest' mode
    expect(() => mx.nd._contrib_BilinearResize2D(mx.nd.ones([1, 1, 2, 2]), { mode: 'nearest' })).toThrow(mx.ParamError);
    expect(() => mx.nd._contrib_BilinearResize2D(mx.nd.ones([1, 1, 2, 2]), { height: 0 })).toThrow(mx.ParamError);
  });
});

describeEachBackend('_contrib_AdaptiveAvgPooling2D', () => {
  test('hand-derived: a 3x3 ramp pooled to 2x2 averages overlapping 2x2 windows; () pools to 1x1 (global mean)', () => {
    const x = mx.nd.array([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_AdaptiveAvgPooling2D(x, { output_size: 2 }), [[[[3, 4], [6, 7]]]], F32);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_AdaptiveAvgPooling2D(x), [[[[5]]]], F32);
  });

  test.each([
    [[2, 3, 7, 5], [3, 2]],
    [[1, 2, 4, 4], [8, 3]],
    [[1, 1, 10, 9], [4, 4]],
  ])('seeded %j to output_size %j matches the float64 reference (mx.nd and mx.sym)', (shape, size) => {
    const x = mx.nd.random.uniform(-1, 1, shape);
    const out = mx.nd._contrib_AdaptiveAvgPooling2D(x, { output_size: size });
    expect(out.shape).toEqual([shape[0], shape[1], ...size]);
    mx.testUtils.assertAlmostEqual(out.data, adaptiveRef(x, size[0]!, size[1]!), F32);
    const s = mx.sym._contrib_AdaptiveAvgPooling2D(mx.sym.Variable('x'), { output_size: `(${size.join(', ')})` });
    mx.testUtils.assertAlmostEqual(s.bind(mx.cpu(), { x }).forward()[0]!, out, EXACT);
  });

  test('gradient: each window shares its head gradient evenly (central differences); add accumulates', () => {
    const s = mx.sym._contrib_AdaptiveAvgPooling2D(mx.sym.Variable('x'), { output_size: [2, 3] });
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(-1, 1, [1, 2, 5, 4]) }, NUMERIC);
    expectAddAccumulates(s, { x: mx.nd.random.uniform(-1, 1, [1, 1, 3, 5]) }, [mx.nd.random.uniform(-1, 1, [1, 1, 2, 3])]);
  });

  test('errors: non-4-d data and a 3-entry output_size', () => {
    expect(() => mx.nd._contrib_AdaptiveAvgPooling2D(mx.nd.ones([3, 3]))).toThrow(mx.ShapeError);
    expect(() => mx.sym._contrib_AdaptiveAvgPooling2D(mx.sym.Variable('x'), { output_size: [1, 2, 3], name: 'ap' }).inferShape({ x: [1, 1, 4, 4] }))
      .toThrow("_contrib_AdaptiveAvgPooling2D 'ap': output_size (1, 2, 3) must have 1 or 2 entries");
  });
});
