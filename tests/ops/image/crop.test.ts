/**
 * _image_crop: MXNet's test_crop_resize values (sums and picked elements of arange images) and
 * its crop backward cases re-derived, a float64 reference on seeded batches, numeric gradients,
 * shape rules (fast-check) and errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { expectAddAccumulates } from '../../helpers/grad_req';

const EXACT = { rtol: 0, atol: 0 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

const arange = (shape: number[]) => mx.nd.arange(0, shape.reduce((a, b) => a * b, 1)).reshape(shape);
const sum = (a: mx.NDArray) => Array.from(a.data).reduce((s, v) => s + v, 0);

interface Window { x: number; y: number; width: number; height: number }

/** Float64 reference crop of (H, W, C) or (N, H, W, C). */
function cropRef(img: mx.NDArray, w: Window): number[] {
  const [n, h, wd, c] = img.ndim === 3 ? [1, ...img.shape] : img.shape;
  void h;
  const out: number[] = [];
  for (let b = 0; b < n!; b++) {
    for (let i = w.y; i < w.y + w.height; i++) {
      for (let j = w.x; j < w.x + w.width; j++) {
        for (let k = 0; k < c!; k++) out.push(img.data[((b * img.shape[img.ndim - 3]! + i) * wd! + j) * c! + k]!);
      }
    }
  }
  return out;
}

beforeEach(() => mx.random.seed(23));

describeEachBackend('_image_crop', () => {
  test('MXNet test_crop_resize: arange (5, 4, 3) cropped at (0, 0, 3, 2) sums to 180; out[0:2, 1, 1] = [4, 16]', () => {
    const out = mx.nd._image_crop(arange([5, 4, 3]), { x: 0, y: 0, width: 3, height: 2 });
    expect(out.shape).toEqual([2, 3, 3]);
    expect(sum(out)).toBe(180);
    expect([out.data[1 * 3 + 1], out.data[(1 * 3 + 1) * 3 + 1]]).toEqual([4, 16]);
  });

  test('MXNet test_crop_resize: arange (2, 6, 5, 3) cropped at (1, 2, 3, 4) sums to 7524 with the listed elements', () => {
    const out = mx.nd._image_crop(arange([2, 6, 5, 3]), { x: 1, y: 2, width: 3, height: 4 });
    expect(out.shape).toEqual([2, 4, 3, 3]);
    expect(sum(out)).toBe(7524);
    // out[0:2, 0:4, 1, 1]
    const picked = [0, 1].flatMap((n) => [0, 1, 2, 3].map((i) => out.data[((n * 4 + i) * 3 + 1) * 3 + 1]));
    expect(picked).toEqual([37, 52, 67, 82, 127, 142, 157, 172]);
  });

  test('a seeded batch matches the float64 reference; mx.nd and mx.sym + bind agree; string params parse', () => {
    const img = mx.nd.random.uniform(0, 255, [3, 7, 6, 1]);
    const w = { x: 2, y: 1, width: 4, height: 5 };
    mx.testUtils.assertAlmostEqual(mx.nd._image_crop(img, w).data, cropRef(img, w), EXACT);
    const exec = mx.sym._image_crop(mx.sym.Variable('d'), { x: '2', y: '1', width: '4', height: '5' }).bind(mx.cpu(), { d: img }, { gradReq: 'null' });
    mx.testUtils.assertAlmostEqual(exec.forward()[0]!.data, cropRef(img, w), EXACT);
  });

  test('MXNet test_crop_backward cases: the head gradient lands in the window, zeros elsewhere', () => {
    const data = arange([5, 4, 3]);
    for (const w of [{ x: 0, y: 0, width: 3, height: 3 }, { x: 2, y: 1, width: 1, height: 2 }, { x: 0, y: 1, width: 3, height: 2 }]) {
      const head = mx.nd.array(Float32Array.from(cropRef(data, w)), { shape: [w.height, w.width, 3] });
      const expected = Array.from(data.data, (v, i) => {
        const [row, col] = [Math.floor(i / 12), Math.floor(i / 3) % 4];
        return row >= w.y && row < w.y + w.height && col >= w.x && col < w.x + w.width ? v : 0;
      });
      const s = mx.sym._image_crop({ data: mx.sym.Variable('data'), ...w });
      mx.testUtils.checkSymbolicBackward(s, { data }, [head], { data: mx.nd.array(Float32Array.from(expected), { shape: [5, 4, 3] }) }, EXACT);
      expectAddAccumulates(s, { data }, [head]);
    }
  });

  test('numeric gradients for 3-d and 4-d inputs', () => {
    const s = mx.sym._image_crop({ data: mx.sym.Variable('x'), x: 1, y: 0, width: 2, height: 2 });
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(0, 1, [3, 4, 3]) }, NUMERIC);
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(0, 1, [2, 2, 3, 1]) }, NUMERIC);
  });

  test('MXNet test_crop_resize errors: non-positive sizes, windows past the image, 2 channels, 2-d data', () => {
    const infer = (shape: number[], w: Window) => mx.sym._image_crop({ data: mx.sym.Variable('x'), name: 'cr', ...w }).inferShape({ x: shape });
    expect(() => infer([300, 200, 3], { x: 0, y: 0, width: -100, height: -50 })).toThrow("_image_crop 'cr': width must be greater than 0, got -100");
    expect(() => infer([300, 200, 3], { x: 150, y: 200, width: 200, height: 500 })).toThrow("_image_crop 'cr': width 200 at x 150 runs past the image width 200 (data [300,200,3])");
    expect(() => infer([3, 300, 200, 3], { x: 0, y: 200, width: 200, height: 500 })).toThrow("_image_crop 'cr': height 500 at y 200 runs past the image height 300 (data [3,300,200,3])");
    expect(() => infer([30, 20, 2], { x: 0, y: 0, width: 2, height: 2 })).toThrow(mx.ShapeError);
    expect(() => infer([30, 20], { x: 0, y: 0, width: 2, height: 2 })).toThrow(/must be an image \(H, W, C\) or a batch/);
    expect(() => infer([30, 20, 3], { x: -1, y: 0, width: 2, height: 2 })).toThrow("_image_crop 'cr': x must not be negative, got -1");
    // @ts-expect-error height is required
    expect(() => mx.sym._image_crop({ data: mx.sym.Variable('x'), x: 0, y: 0, width: 2 })).toThrow(/height is required/);
  });

  test('property: any window inside the image gives (height, width, C), batched or not', () => {
    const cases = fc.record({ h: fc.integer({ min: 1, max: 8 }), w: fc.integer({ min: 1, max: 8 }), n: fc.integer({ min: 0, max: 3 }), c: fc.constantFrom(1, 3) })
      .chain((s) => fc.record({ s: fc.constant(s), y: fc.integer({ min: 0, max: s.h - 1 }), x: fc.integer({ min: 0, max: s.w - 1 }) }))
      .chain((r) => fc.record({ r: fc.constant(r), height: fc.integer({ min: 1, max: r.s.h - r.y }), width: fc.integer({ min: 1, max: r.s.w - r.x }) }));
    fc.assert(fc.property(cases, ({ r, height, width }) => {
      const shape = r.s.n ? [r.s.n, r.s.h, r.s.w, r.s.c] : [r.s.h, r.s.w, r.s.c];
      const { outShapes } = mx.sym._image_crop({ data: mx.sym.Variable('x'), x: r.x, y: r.y, width, height }).inferShape({ x: shape });
      expect(outShapes[0]).toEqual(r.s.n ? [r.s.n, height, width, r.s.c] : [height, width, r.s.c]);
    }), { numRuns: 60 });
  });
});
