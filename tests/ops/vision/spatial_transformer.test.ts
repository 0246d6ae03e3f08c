/**
 * GridGenerator, BilinearSampler and SpatialTransformer: MXNet's BilinearSampler docstring
 * examples (zoom out by 2, shift by one pixel), MXNet test_stn's half-scale crop, hand-derived
 * grids, float64 references on seeded inputs, numeric gradients, shape rules and errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { expectAddAccumulates } from '../../helpers/grad_req';

const EXACT = { rtol: 0, atol: 0 };
const F32 = { rtol: 1e-5, atol: 1e-5 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

/** Float64 bilinear sampling with zeros outside the map, written from the STN paper's kernel. */
function samplerRef(data: mx.NDArray, grid: mx.NDArray): number[] {
  const [n, c, h, w] = data.shape as [number, number, number, number];
  const [, , oh, ow] = grid.shape as [number, number, number, number];
  const out: number[] = [];
  const pixel = (b: number, ch: number, y: number, x: number) => (y >= 0 && y < h && x >= 0 && x < w ? data.data[((b * c + ch) * h + y) * w + x]! : 0);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      for (let i = 0; i < oh * ow; i++) {
        const x = ((grid.data[b * 2 * oh * ow + i]! + 1) * (w - 1)) / 2;
        const y = ((grid.data[b * 2 * oh * ow + oh * ow + i]! + 1) * (h - 1)) / 2;
        const x0 = Math.floor(x);
        const y0 = Math.floor(y);
        const fx = x - x0;
        const fy = y - y0;
        out.push((1 - fy) * ((1 - fx) * pixel(b, ch, y0, x0) + fx * pixel(b, ch, y0, x0 + 1)) + fy * ((1 - fx) * pixel(b, ch, y0 + 1, x0) + fx * pixel(b, ch, y0 + 1, x0 + 1)));
      }
    }
  }
  return out;
}

/** Float64 affine grid: theta (N, 6) applied to the target's (x, y, 1). */
function affineRef(theta: number[][], h: number, w: number): number[] {
  const out: number[] = [];
  for (const t of theta) {
    for (let r = 0; r < 2; r++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) out.push(t[3 * r]! * (-1 + (2 * x) / (w - 1)) + t[3 * r + 1]! * (-1 + (2 * y) / (h - 1)) + t[3 * r + 2]!);
      }
    }
  }
  return out;
}

const docData = mx.nd.array([[[[1, 4, 3, 6], [1, 8, 8, 9], [0, 4, 1, 5], [1, 0, 1, 3]]]]);

beforeEach(() => mx.random.seed(23));

describeEachBackend('GridGenerator', () => {
  test('affine identity on a 3x4 target: x runs -1..1 over columns, y over rows (hand-derived)', () => {
    const grid = mx.nd.GridGenerator(mx.nd.array([[1, 0, 0, 0, 1, 0]]), { transform_type: 'affine', target_shape: [3, 4] });
    const third = 1 / 3;
    mx.testUtils.assertAlmostEqual(grid, [[[[-1, -third, third, 1], [-1, -third, third, 1], [-1, -third, third, 1]], [[-1, -1, -1, -1], [0, 0, 0, 0], [1, 1, 1, 1]]]], F32);
  });

  test('seeded affine matrices and flows match float64 references via mx.nd and mx.sym', () => {
    const theta = [[0.9, -0.2, 0.1, 0.3, 1.1, -0.4], [-1.5, 0.5, 0.25, 0, 2, 1]];
    const affine = mx.nd.GridGenerator(mx.nd.array(theta), { transform_type: 'affine', target_shape: '(5, 7)' });
    mx.testUtils.assertAlmostEqual(affine.data, affineRef(theta, 5, 7), F32);
    const flow = mx.nd.random.uniform(-2, 2, [2, 2, 4, 6]);
    const warp = mx.nd.GridGenerator(flow, { transform_type: 'warp' });
    const expected = Array.from(flow.data, (v, i) => {
      const [ch, rest] = [Math.floor(i / 24) % 2, i % 24];
      return ch === 0 ? (v + (rest % 6)) / 2.5 - 1 : (v + Math.floor(rest / 6)) / 1.5 - 1;
    });
    mx.testUtils.assertAlmostEqual(warp.data, expected, F32);
    const s = mx.sym.GridGenerator(mx.sym.Variable('data'), { transform_type: 'warp', name: 'gg' });
    expect(s.listOutputs()).toEqual(['gg_output']);
    mx.testUtils.assertAlmostEqual(s.bind(mx.cpu(), { data: flow }).forward()[0]!, warp, EXACT);
  });

  test('gradients (central differences) for affine and warp; add accumulates', () => {
    const affine = mx.sym.GridGenerator(mx.sym.Variable('data'), { transform_type: 'affine', target_shape: [3, 5] });
    const theta = { data: mx.nd.random.uniform(-1, 1, [2, 6]) };
    mx.testUtils.checkNumericGradient(affine, theta, NUMERIC);
    expectAddAccumulates(affine, theta, [mx.nd.random.uniform(-1, 1, [2, 2, 3, 5])]);
    const warp = mx.sym.GridGenerator(mx.sym.Variable('data'), { transform_type: 'warp' });
    mx.testUtils.checkNumericGradient(warp, { data: mx.nd.random.uniform(-1, 1, [1, 2, 3, 4]) }, NUMERIC);
  });

  test('property: affine output is (N, 2, H, W), warp keeps the flow shape', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), (n, h, w) => {
      const data = mx.sym.Variable('d');
      expect(mx.sym.GridGenerator(data, { transform_type: 'affine', target_shape: [h, w] }).inferShape({ d: [n, 6] }).outShapes).toEqual([[n, 2, h, w]]);
      expect(mx.sym.GridGenerator(data, { transform_type: 'warp' }).inferShape({ d: [n, 2, h, w] }).outShapes).toEqual([[n, 2, h, w]]);
    }), { numRuns: 30 });
  });

  test('errors: affine needs (N, 6) and a positive target_shape, warp needs (N, 2, H, W), transform_type is required', () => {
    const g = (p: Record<string, unknown>) => (mx.sym.GridGenerator as mx.SymOp)(mx.sym.Variable('d'), { name: 'gg', ...p });
    expect(() => g({ transform_type: 'affine' }).inferShape({ d: [2, 6] })).toThrow("GridGenerator 'gg': target_shape (0, 0) must be two positive sizes (height, width)");
    expect(() => g({ transform_type: 'affine', target_shape: [2, 2] }).inferShape({ d: [2, 4] })).toThrow(mx.ShapeError);
    expect(() => g({ transform_type: 'warp' }).inferShape({ d: [2, 3, 4, 4] })).toThrow(/data shape \[2,3,4,4\] must be \(batch, 2, height, width\)/);
    expect(() => g({})).toThrow(mx.ParamError);
    expect(() => g({ transform_type: 'afine' })).toThrow(/did you mean 'affine'/);
  });
});

describeEachBackend('BilinearSampler', () => {
  test("MXNet docstring example 1: zoom out twice with GridGenerator affine [[2, 0, 0], [0, 2, 0]]", () => {
    const grid = mx.nd.GridGenerator(mx.nd.array([[2, 0, 0, 0, 2, 0]]), { transform_type: 'affine', target_shape: [4, 4] });
    mx.testUtils.assertAlmostEqual(mx.nd.BilinearSampler(docData, grid), [[[[0, 0, 0, 0], [0, 3.5, 6.5, 0], [0, 1.25, 2.5, 0], [0, 0, 0, 0]]]], F32);
  });

  test('MXNet docstring example 2: a warp flow of +1 in x shifts the data left by one pixel', () => {
    const flow = mx.nd.array([[new Array(4).fill([1, 1, 1, 1]), new Array(4).fill([0, 0, 0, 0])]]);
    const grid = mx.nd.GridGenerator(flow, { transform_type: 'warp' });
    mx.testUtils.assertAlmostEqual(mx.nd.BilinearSampler(docData, grid), [[[[4, 3, 6, 0], [8, 8, 9, 0], [4, 1, 5, 0], [0, 1, 3, 0]]]], F32);
  });

  test('seeded data and grids reaching outside the map match the float64 reference via mx.nd and mx.sym', () => {
    const data = mx.nd.random.uniform(-1, 1, [2, 3, 5, 6]);
    const grid = mx.nd.random.uniform(-1.4, 1.4, [2, 2, 4, 7]);
    const out = mx.nd.BilinearSampler(data, grid, { cudnn_off: 'True' });
    expect(out.shape).toEqual([2, 3, 4, 7]);
    mx.testUtils.assertAlmostEqual(out.data, samplerRef(data, grid), F32);
    const s = mx.sym.BilinearSampler(mx.sym.Variable('data'), mx.sym.Variable('grid'), { name: 'bs' });
    expect(s.listOutputs()).toEqual(['bs_output']);
    mx.testUtils.assertAlmostEqual(s.bind(mx.cpu(), { data, grid }).forward()[0]!, out, EXACT);
  });

  test('gradients to data and grid (central differences), grid points partly outside; add accumulates', () => {
    const s = mx.sym.BilinearSampler(mx.sym.Variable('data'), mx.sym.Variable('grid'));
    const loc = { data: mx.nd.random.uniform(-1, 1, [1, 2, 4, 5]), grid: mx.nd.random.uniform(-1.2, 1.2, [1, 2, 3, 3]) };
    mx.testUtils.checkNumericGradient(s, loc, NUMERIC);
    expectAddAccumulates(s, loc, [mx.nd.random.uniform(-1, 1, [1, 2, 3, 3])]);
  });

  test('errors: grid must be (N, 2, H, W) with the batch of data', () => {
    const s = mx.sym.BilinearSampler(mx.sym.Variable('d'), mx.sym.Variable('g'), { name: 'bs' });
    expect(() => s.inferShape({ d: [2, 3, 4, 4], g: [1, 2, 4, 4] })).toThrow("BilinearSampler 'bs': grid batch 1 differs from data's batch 2 (grid [1,2,4,4], data [2,3,4,4])");
    expect(() => s.inferShape({ d: [2, 3, 4, 4], g: [2, 3, 4, 4] })).toThrow(/grid shape \[2,3,4,4\] must have 2 channels/);
    expect(() => s.inferShape({ d: [2, 3, 4], g: [2, 2, 4, 4] })).toThrow(mx.ShapeError);
    expect(s.inferShape({ d: [2, 3, 4, 4], g: [2, 2, 6, 5] }).outShapes).toEqual([[2, 3, 6, 5]]);
  });
});

describeEachBackend('SpatialTransformer', () => {
  test('MXNet test_stn: loc (0.5, 0, 0, 0, 0.5, 0) crops the centre; its gradient passes the head back there', () => {
    for (const [h, w] of [[5, 9], [9, 5], [13, 13]] as const) {
      const data = mx.nd.random.normal(0, 1, [2, 3, h, w]);
      const s = mx.sym.SpatialTransformer(mx.sym.Variable('data'), mx.sym.Variable('loc'), { target_shape: [(h + 1) / 2, (w + 1) / 2], transform_type: 'affine', sampler_type: 'bilinear' });
      const loc = mx.nd.array([[0.5, 0, 0, 0, 0.5, 0], [0.5, 0, 0, 0, 0.5, 0]]);
      const exec = s.bind(mx.cpu(), { data, loc }, { gradReq: 'write' });
      const out = exec.forward(true)[0]!;
      const [qh, qw] = [Math.floor(h / 4), Math.floor(w / 4)];
      const crop: number[] = [];
      const gradCentre: number[] = [];
      exec.backward([mx.nd.ones(out.shape)]);
      for (let p = 0; p < 6; p++) {
        for (let y = qh; y < h - qh; y++) {
          for (let x = qw; x < w - qw; x++) {
            crop.push(data.data[(p * h + y) * w + x]!);
            gradCentre.push(exec.gradDict['data']!.data[(p * h + y) * w + x]!);
          }
        }
      }
      mx.testUtils.assertAlmostEqual(out.data, crop, F32);
      mx.testUtils.assertAlmostEqual(gradCentre, new Array(crop.length).fill(1), F32);
    }
  });

  test('equals GridGenerator + BilinearSampler on seeded loc, via mx.nd and mx.sym', () => {
    const data = mx.nd.random.uniform(-1, 1, [2, 2, 6, 5]);
    const loc = mx.nd.random.uniform(-1, 1, [2, 6]);
    const out = mx.nd.SpatialTransformer(data, loc, { target_shape: '(4, 3)', transform_type: 'affine', sampler_type: 'bilinear' });
    const theta = [Array.from(loc.data.slice(0, 6)), Array.from(loc.data.slice(6))];
    mx.testUtils.assertAlmostEqual(out.data, samplerRef(data, mx.nd.array(affineRef(theta, 4, 3)).reshape([2, 2, 4, 3])), F32);
    const s = mx.sym.SpatialTransformer(mx.sym.Variable('data'), mx.sym.Variable('loc'), { target_shape: [4, 3], transform_type: 'affine', sampler_type: 'bilinear', name: 'st' });
    expect(s.listOutputs()).toEqual(['st_output']);
    mx.testUtils.assertAlmostEqual(s.bind(mx.cpu(), { data, loc }).forward()[0]!, out, EXACT);
  });

  test('symbol JSON round trip keeps the parameters (target_shape, enums, cudnn_off None)', () => {
    const s = mx.sym.SpatialTransformer(mx.sym.Variable('data'), mx.sym.Variable('loc'), { target_shape: [4, 3], transform_type: 'affine', sampler_type: 'bilinear', name: 'st' });
    const back = mx.sym.fromJSON(s.toJSON());
    expect(back.listArguments()).toEqual(['data', 'loc']);
    const args = { data: mx.nd.random.uniform(-1, 1, [1, 2, 5, 5]), loc: mx.nd.array([[0.9, 0.1, 0, -0.1, 0.8, 0.05]]) };
    mx.testUtils.assertAlmostEqual(back.bind(mx.cpu(), args).forward()[0]!, s.bind(mx.cpu(), args).forward()[0]!, EXACT);
  });

  test('gradients to data and loc (central differences); add accumulates', () => {
    // loc keeps every grid point off pixel edges, where the sampler has kinks
    const s = mx.sym.SpatialTransformer(mx.sym.Variable('data'), mx.sym.Variable('loc'), { target_shape: [3, 4], transform_type: 'affine', sampler_type: 'bilinear' });
    const loc = { data: mx.nd.random.uniform(-1, 1, [2, 2, 5, 4]), loc: mx.nd.array([[0.8, 0.1, 0.07, -0.2, 0.7, 0.13], [1.1, -0.3, 0.23, 0.1, 0.9, -0.17]]) };
    mx.testUtils.checkNumericGradient(s, loc, NUMERIC);
    expectAddAccumulates(s, loc, [mx.nd.random.uniform(-1, 1, [2, 2, 3, 4])]);
  });

  test('errors: loc must be (N, 6) with the batch of data; transform_type and sampler_type are required', () => {
    const s = (p: Record<string, unknown> = {}) => mx.sym.SpatialTransformer(mx.sym.Variable('d'), mx.sym.Variable('l'), { target_shape: [2, 2], transform_type: 'affine', sampler_type: 'bilinear', name: 'st', ...p });
    expect(() => s().inferShape({ d: [2, 1, 4, 4], l: [2, 4] })).toThrow("SpatialTransformer 'st': loc shape [2,4] must be (batch, 6): an affine matrix per sample");
    expect(() => s().inferShape({ d: [2, 1, 4, 4], l: [3, 6] })).toThrow(/loc batch 3 differs from data's batch 2/);
    expect(() => s({ target_shape: [0, 2] }).inferShape({ d: [2, 1, 4, 4], l: [2, 6] })).toThrow(/target_shape \(0, 2\)/);
    expect(() => s({ sampler_type: 'nearest' })).toThrow(mx.ParamError);
    // @ts-expect-error transform_type and sampler_type are required
    expect(() => mx.sym.SpatialTransformer(mx.sym.Variable('d'), mx.sym.Variable('l'), { target_shape: [2, 2] })).toThrow(mx.ParamError);
  });
});
