/**
 * _image_resize: OpenCV's cv::resize results derived by hand (pixel-centre bilinear with clamped
 * edges, floor-index nearest), float64 references on seeded images, MXNet's test_resize shape
 * cases (keep_ratio, (width, height), batches) and errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

const EXACT = { rtol: 0, atol: 0 };
/** float32 blends of values up to 255 against float64. */
const PIXEL = { rtol: 1e-5, atol: 1e-3 };

/** Float64 OpenCV-style resize of one (H, W, C) image. */
function resizeRef(img: mx.NDArray, outH: number, outW: number, interp: 0 | 1): number[] {
  const [h, w, c] = img.shape as [number, number, number];
  const at = (y: number, x: number, k: number) => img.data[(y * w + x) * c + k]!;
  const taps = (o: number, inS: number, outS: number): [number, number, number] => {
    const f = ((o + 0.5) * inS) / outS - 0.5;
    const s = Math.floor(f);
    if (s < 0) return [0, 0, 0];
    if (s >= inS - 1) return [inS - 1, inS - 1, 0];
    return [s, s + 1, f - s];
  };
  const out: number[] = [];
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      for (let k = 0; k < c; k++) {
        if (interp === 0) {
          out.push(at(Math.min(Math.floor((y * h) / outH), h - 1), Math.min(Math.floor((x * w) / outW), w - 1), k));
          continue;
        }
        const [y0, y1, fy] = taps(y, h, outH);
        const [x0, x1, fx] = taps(x, w, outW);
        const row = (yy: number) => (1 - fx) * at(yy, x0, k) + fx * at(yy, x1, k);
        out.push((1 - fy) * row(y0) + fy * row(y1));
      }
    }
  }
  return out;
}

const outShape = (shape: number[], params: Record<string, unknown>) =>
  mx.sym._image_resize({ data: mx.sym.Variable('x'), name: 'rs', ...params }).inferShape({ x: shape }).outShapes[0];

beforeEach(() => mx.random.seed(29));

describeEachBackend('_image_resize', () => {
  test('OpenCV bilinear, by hand: [0, 10] to width 4 is [0, 2.5, 7.5, 10]; 2x2 to 4x4 blends with clamped edges', () => {
    mx.testUtils.assertAlmostEqual(mx.nd._image_resize(mx.nd.array([[[0], [10]]]), { size: [4, 1] }), [[[0], [2.5], [7.5], [10]]], EXACT);
    const out = mx.nd._image_resize(mx.nd.array([[[1], [2]], [[3], [4]]]), { size: 4 });
    const expected = [[1, 1.25, 1.75, 2], [1.5, 1.75, 2.25, 2.5], [2.5, 2.75, 3.25, 3.5], [3, 3.25, 3.75, 4]];
    mx.testUtils.assertAlmostEqual(out, expected.map((row) => row.map((v) => [v])), EXACT);
  });

  test('OpenCV nearest, by hand: [0, 10] to width 4 is [0, 0, 10, 10]; width 4 to 2 keeps columns 0 and 2', () => {
    mx.testUtils.assertAlmostEqual(mx.nd._image_resize(mx.nd.array([[[0], [10]]]), { size: [4, 1], interp: 0 }), [[[0], [0], [10], [10]]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._image_resize(mx.nd.array([[[1], [2], [3], [4]]]), { size: '(2, 1)', interp: '0' }), [[[1], [3]]], EXACT);
  });

  test('seeded RGB images up- and down-scaled match the float64 references', () => {
    const img = mx.nd.random.uniform(0, 255, [7, 9, 3]);
    for (const [outW, outH] of [[13, 5], [4, 11], [9, 7], [3, 2], [18, 14]] as const) {
      for (const interp of [0, 1] as const) {
        const out = mx.nd._image_resize(img, { size: [outW, outH], interp });
        expect(out.shape).toEqual([outH, outW, 3]);
        mx.testUtils.assertAlmostEqual(out.data, resizeRef(img, outH, outW, interp), interp === 0 ? EXACT : PIXEL);
      }
    }
  });

  test('MXNet test_resize: each image of a batch is resized as on its own; mx.nd and mx.sym + bind agree', () => {
    const batch = mx.nd.random.uniform(0, 255, [3, 6, 4, 1]);
    const out = mx.nd._image_resize(batch, { size: 5 });
    expect(out.shape).toEqual([3, 5, 5, 1]);
    for (let n = 0; n < 3; n++) {
      const one = mx.nd.array(batch.data.slice(n * 24, (n + 1) * 24), { shape: [6, 4, 1] });
      mx.testUtils.assertAlmostEqual(out.data.slice(n * 25, (n + 1) * 25), mx.nd._image_resize(one, { size: 5 }).data, EXACT);
    }
    const exec = mx.sym._image_resize(mx.sym.Variable('x'), { size: 5 }).bind(mx.cpu(), { x: batch }, { gradReq: 'null' });
    mx.testUtils.assertAlmostEqual(exec.forward()[0]!, out, EXACT);
  });

  test('MXNet test_resize shapes: size 200, (200, 100) as (width, height), keep_ratio 150 on a 300x200 image', () => {
    expect(outShape([300, 200, 3], { size: 200 })).toEqual([200, 200, 3]);
    expect(outShape([3, 300, 200, 3], { size: 200 })).toEqual([3, 200, 200, 3]);
    expect(outShape([300, 200, 3], { size: [200, 100] })).toEqual([100, 200, 3]);
    expect(outShape([300, 200, 3], { size: 150, keep_ratio: true })).toEqual([225, 150, 3]);
    expect(outShape([200, 300, 3], { size: 150, keep_ratio: 'True' })).toEqual([150, 225, 3]);
    // keep_ratio truncates as MXNet's integer arithmetic does: 7 * 4 / 3 = 9.33 -> 9.
    expect(outShape([3, 7, 1], { size: 4, keep_ratio: true })).toEqual([4, 9, 1]);
  });

  test('property: keep_ratio sets the short edge and scales the long one down to an integer', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 40 }), (h, w, s) => {
      const [oh, ow] = outShape([h, w, 3], { size: s, keep_ratio: true }) as number[];
      if (h > w) expect([oh, ow]).toEqual([Math.floor((h * s) / w), s]);
      else expect([oh, ow]).toEqual([s, Math.floor((w * s) / h)]);
    }), { numRuns: 80 });
  });

  test('MXNet test_resize errors: size below zero, three sizes; unimplemented interpolations; no gradient', () => {
    expect(() => outShape([30, 20, 3], { size: -150, keep_ratio: true })).toThrow("_image_resize 'rs': size must be greater than 0, got (-150)");
    expect(() => outShape([30, 20, 3], { size: [100, 100, 100], keep_ratio: true })).toThrow("_image_resize 'rs': size must have 1 or 2 elements, got (100, 100, 100)");
    expect(() => outShape([30, 20, 3], {})).toThrow(mx.ShapeError);
    expect(() => outShape([30, 20], { size: 3 })).toThrow(/must be an image \(H, W, C\) or a batch/);
    expect(() => mx.nd._image_resize(mx.nd.ones([4, 4, 3]), { size: 2, interp: 2 })).toThrow(mx.ParamError);
    expect(() => mx.nd._image_resize(mx.nd.ones([4, 4, 3]), { size: 2, interp: 2 })).toThrow('_image_resize: interp 2 (OpenCV INTER_AREA) is not implemented in mxts; use 0 (nearest) or 1 (bilinear)');
    expect(() => mx.nd._image_resize(mx.nd.ones([4, 4, 3]), { size: 2, interp: 9 })).toThrow(/9 is not an OpenCV interpolation flag/);
    const s = mx.sym._image_resize(mx.sym.Variable('x'), { size: 2 });
    expect(() => s.bind(mx.cpu(), { x: mx.nd.ones([4, 4, 3]) }, { gradReq: 'write' })).toThrow(mx.GradientError);
  });
});
