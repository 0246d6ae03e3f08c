/**
 * _image_flip_* and _image_random_flip_*: MXNet's test_flip_left_right / test_flip_top_bottom
 * (data[:, ::-1, :] and data[::-1, :, :]) re-derived, the random forms' probability and
 * reproducibility under mx.random.seed, gradients (numeric, and undoing the drawn choice), errors.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { expectAddAccumulates } from '../../helpers/grad_req';

const EXACT = { rtol: 0, atol: 0 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

/** Float64 reference: the (H, W, C) image with its width (axis 1) or height (axis 0) reversed. */
function flipRef(x: mx.NDArray, axis: 0 | 1): number[] {
  const [h, w, c] = x.shape as [number, number, number];
  const out: number[] = [];
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const [si, sj] = axis === 0 ? [h - 1 - i, j] : [i, w - 1 - j];
      for (let k = 0; k < c; k++) out.push(x.data[(si * w + sj) * c + k]!);
    }
  }
  return out;
}

const CASES = [
  { name: '_image_flip_left_right', random: '_image_random_flip_left_right', axis: 1 },
  { name: '_image_flip_top_bottom', random: '_image_random_flip_top_bottom', axis: 0 },
] as const;

beforeEach(() => mx.random.seed(3));

describeEachBackend('image flips', () => {
  for (const { name, random, axis } of CASES) {
    test(`${name}: MXNet test_${name.slice(7)} on a seeded (7, 6, 3) image and a gray (4, 5, 1) image`, () => {
      for (const shape of [[7, 6, 3], [4, 5, 1]]) {
        const x = mx.nd.random.uniform(0, 255, shape);
        const out = mx.nd[name](x);
        expect(out.shape).toEqual(shape);
        mx.testUtils.assertAlmostEqual(out.data, flipRef(x, axis), EXACT);
      }
    });

    test(`${name}: the gradient flips the head gradient back (numeric; gradReq add accumulates)`, () => {
      const s = mx.sym[name](mx.sym.Variable('x'));
      const x = mx.nd.random.uniform(0, 1, [3, 4, 3]);
      mx.testUtils.checkNumericGradient(s, { x }, NUMERIC);
      const g = mx.nd.random.uniform(-1, 1, [3, 4, 3]);
      mx.testUtils.checkSymbolicBackward(s, { x }, [g], { x: mx.nd.array(Float32Array.from(flipRef(g, axis)), { shape: g.shape }) }, EXACT);
      expectAddAccumulates(s, { x }, [g]);
    });

    test(`${random}: p = 1 always flips, p = 0 never does; mx.nd and mx.sym + bind agree`, () => {
      const x = mx.nd.random.uniform(0, 255, [3, 5, 3]);
      mx.testUtils.assertAlmostEqual(mx.nd[random](x, { p: 1 }).data, flipRef(x, axis), EXACT);
      mx.testUtils.assertAlmostEqual(mx.nd[random](x, { p: '0' }), x, EXACT);
      const exec = mx.sym[random](mx.sym.Variable('x'), { p: 1 }).bind(mx.cpu(), { x }, { gradReq: 'null' });
      mx.testUtils.assertAlmostEqual(exec.forward()[0]!.data, flipRef(x, axis), EXACT);
    });

    test(`${random}: flips with probability p (default 0.5), reproducibly under mx.random.seed`, () => {
      const x = mx.nd.random.uniform(0, 255, [2, 3, 1]);
      const flipped = flipRef(x, axis);
      const draw = (params: Record<string, unknown>) => Array.from({ length: 400 }, () => {
        const out = Array.from(mx.nd[random](x, params).data);
        const isFlip = out.every((v, i) => v === flipped[i]);
        expect(isFlip || out.every((v, i) => v === x.data[i])).toBe(true);
        return isFlip;
      });
      mx.random.seed(42);
      const first = draw({});
      mx.random.seed(42);
      expect(draw({})).toEqual(first);
      // Binomial(400, p): 6 standard deviations either side.
      const half = first.filter(Boolean).length;
      expect(Math.abs(half - 200)).toBeLessThan(60);
      const fifth = draw({ p: 0.2 }).filter(Boolean).length;
      expect(Math.abs(fifth - 80)).toBeLessThan(48);
    });

    test(`${random}: the gradient undoes the choice the forward pass drew`, () => {
      const s = mx.sym[random](mx.sym.Variable('x'));
      const x = mx.nd.random.uniform(0, 1, [2, 3, 1]);
      const g = mx.nd.random.uniform(-1, 1, [2, 3, 1]);
      const seen = new Set<boolean>();
      for (let i = 0; i < 12; i++) {
        const exec = s.bind(mx.cpu(), { x }, { gradReq: 'write' });
        const out = exec.forward(true)[0]!;
        const isFlip = Array.from(out.data).every((v, j) => v === flipRef(x, axis)[j]);
        seen.add(isFlip);
        exec.backward([g]);
        mx.testUtils.assertAlmostEqual(exec.gradDict.x!.data, isFlip ? flipRef(g, axis) : g.data, EXACT);
      }
      expect(seen.size).toBe(2);
      mx.testUtils.checkNumericGradient(mx.sym[random](mx.sym.Variable('x'), { p: 1 }), { x }, NUMERIC);
    });
  }

  test('flips take (H, W, C) images with 1 or 3 channels only (MXNet ImageShape)', () => {
    const infer = (shape: number[]) => mx.sym._image_flip_left_right({ data: mx.sym.Variable('x'), name: 'fl' }).inferShape({ x: shape });
    expect(() => infer([2, 4, 4, 3])).toThrow(mx.ShapeError);
    expect(() => infer([2, 4, 4, 3])).toThrow("_image_flip_left_right 'fl': data must have shape (height, width, channels), got [2,4,4,3]");
    expect(() => infer([4, 4, 2])).toThrow("_image_flip_left_right 'fl': data must have 1 or 3 channels (its last axis), got [4,4,2]");
    expect(() => mx.nd._image_random_flip_top_bottom(mx.nd.ones([2, 2, 3]), { p: 1.5 })).toThrow(mx.ParamError);
  });
});
