/**
 * _image_to_tensor and _image_normalize: the cases of MXNet's test_gluon_data_vision.py
 * (test_to_tensor, test_normalize) re-derived, float64 references on seeded inputs, numeric
 * gradients, shape rules and errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { thrown } from '../../helpers/errors';
import { expectAddAccumulates } from '../../helpers/grad_req';

const EXACT = { rtol: 0, atol: 0 };
const F32 = { rtol: 1e-6, atol: 1e-6 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

/** A seeded image of integer pixel values in [0, 255], as MXNet's tests build with astype(uint8). */
function pixels(shape: number[]): mx.NDArray {
  const x = mx.nd.random.uniform(0, 256, shape);
  return mx.nd.array(Float32Array.from(x.data, Math.floor), { shape });
}

/** Float64 (N)HWC -> (N)CHW / 255. */
function toTensorRef(x: mx.NDArray): number[] {
  const [n, h, w, c] = x.ndim === 3 ? [1, ...x.shape] : x.shape;
  const out: number[] = [];
  for (let b = 0; b < n!; b++) {
    for (let k = 0; k < c!; k++) {
      for (let i = 0; i < h! * w!; i++) out.push(x.data[(b * h! * w! + i) * c! + k]! / 255);
    }
  }
  return out;
}

/** Float64 per-channel (x - mean) / std on (C, H, W) or (N, C, H, W). */
function normalizeRef(x: mx.NDArray, mean: number[], std: number[]): number[] {
  const c = x.shape[x.ndim - 3]!;
  const plane = x.shape[x.ndim - 2]! * x.shape[x.ndim - 1]!;
  return Array.from(x.data, (v, i) => {
    const ch = Math.floor(i / plane) % c;
    return (v - mean[mean.length === 1 ? 0 : ch]!) / std[std.length === 1 ? 0 : ch]!;
  });
}

beforeEach(() => mx.random.seed(11));

describeEachBackend('_image_to_tensor', () => {
  test('MXNet test_to_tensor: bounds map 0 -> 0 and 255 -> 1 exactly', () => {
    mx.testUtils.assertAlmostEqual(mx.nd._image_to_tensor(mx.nd.zeros([10, 20, 3])), mx.nd.zeros([3, 10, 20]), EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._image_to_tensor(mx.nd.full([10, 20, 3], 255)), mx.nd.ones([3, 10, 20]), EXACT);
  });

  test('MXNet test_to_tensor: HWC and NHWC images match transpose(x / 255) in float64', () => {
    const hwc = pixels([6, 5, 3]);
    const out = mx.nd._image_to_tensor(hwc);
    expect(out.shape).toEqual([3, 6, 5]);
    mx.testUtils.assertAlmostEqual(out.data, toTensorRef(hwc), F32);
    const nhwc = pixels([2, 4, 3, 1]);
    const batch = mx.nd._image_to_tensor(nhwc);
    expect(batch.shape).toEqual([2, 1, 4, 3]);
    mx.testUtils.assertAlmostEqual(batch.data, toTensorRef(nhwc), F32);
  });

  test('mx.nd and mx.sym + bind agree', () => {
    const x = pixels([3, 4, 3]);
    const exec = mx.sym._image_to_tensor(mx.sym.Variable('x')).bind(mx.cpu(), { x }, { gradReq: 'null' });
    mx.testUtils.assertAlmostEqual(exec.forward()[0]!, mx.nd._image_to_tensor(x), EXACT);
  });

  test('MXNet test_to_tensor: a 5-d input is a shape error naming the op, node and data', () => {
    const s = mx.sym._image_to_tensor({ data: mx.sym.Variable('x'), name: 'tt' });
    const e = thrown(() => s.inferShape({ x: [5, 5, 3, 4, 3] }));
    expect(e).toBeInstanceOf(mx.ShapeError);
    expect(e.message).toBe("_image_to_tensor 'tt': data must be an image (height, width, channels) or a batch (N, height, width, channels), got [5,5,3,4,3]");
  });

  test('property: (H, W, C) -> (C, H, W) and (N, H, W, C) -> (N, C, H, W)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 3, maxLength: 4 }), (shape) => {
      const { outShapes } = mx.sym._image_to_tensor(mx.sym.Variable('x')).inferShape({ x: shape });
      const hwc = shape.slice(-3);
      expect(outShapes[0]).toEqual([...shape.slice(0, -3), hwc[2], hwc[0], hwc[1]]);
    }), { numRuns: 40 });
  });
});

describeEachBackend('_image_normalize', () => {
  const mean = [0, 1, 2];
  const std = [3, 2, 1];

  test('MXNet test_normalize: 3-d and 4-d inputs with mean (0, 1, 2), std (3, 2, 1)', () => {
    const x3 = mx.nd.random.uniform(0, 1, [3, 6, 7]);
    mx.testUtils.assertAlmostEqual(mx.nd._image_normalize(x3, { mean, std }).data, normalizeRef(x3, mean, std), F32);
    const x4 = mx.nd.random.uniform(0, 1, [2, 3, 5, 4]);
    mx.testUtils.assertAlmostEqual(mx.nd._image_normalize(x4, { mean, std }).data, normalizeRef(x4, mean, std), F32);
  });

  test('one mean and std apply to every channel; one channel takes one value; JSON string forms parse', () => {
    const x = mx.nd.random.uniform(-2, 2, [2, 3, 2, 2]);
    mx.testUtils.assertAlmostEqual(mx.nd._image_normalize(x, { mean: '(0.5,)', std: '(4,)' }).data, normalizeRef(x, [0.5], [4]), F32);
    const gray = mx.nd.random.uniform(-2, 2, [1, 3, 3]);
    mx.testUtils.assertAlmostEqual(mx.nd._image_normalize(gray, { mean: 0.25, std: 0.5 }).data, normalizeRef(gray, [0.25], [0.5]), F32);
  });

  test('the gradient is g / std per channel (symbolic and numeric), and gradReq add accumulates', () => {
    const s = mx.sym._image_normalize({ data: mx.sym.Variable('x'), mean, std });
    const x = mx.nd.random.uniform(0, 1, [2, 3, 2, 3]);
    const g = mx.nd.random.uniform(-1, 1, [2, 3, 2, 3]);
    const expected = Array.from(g.data, (v, i) => v / std[Math.floor(i / 6) % 3]!);
    mx.testUtils.checkSymbolicBackward(s, { x }, [g], { x: mx.nd.array(Float32Array.from(expected), { shape: [2, 3, 2, 3] }) }, F32);
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(0, 1, [3, 2, 2]) }, NUMERIC);
    expectAddAccumulates(s, { x }, [g]);
  });

  test('mx.nd and mx.sym + bind agree', () => {
    const x = mx.nd.random.uniform(0, 1, [3, 2, 4]);
    const exec = mx.sym._image_normalize(mx.sym.Variable('x'), { mean, std }).bind(mx.cpu(), { x }, { gradReq: 'null' });
    mx.testUtils.assertAlmostEqual(exec.forward()[0]!, mx.nd._image_normalize(x, { mean, std }), EXACT);
  });

  test('MXNet test_normalize errors: 5-d input, 4 channels; mean of the wrong length; the 4-element defaults', () => {
    const infer = (shape: number[], params: Record<string, unknown> = { mean, std }) =>
      mx.sym._image_normalize({ data: mx.sym.Variable('x'), name: 'nm', ...params }).inferShape({ x: shape });
    expect(() => infer([5, 5, 3, 30, 30])).toThrow(mx.ShapeError);
    expect(() => infer([5, 5, 3, 30, 30])).toThrow("_image_normalize 'nm': data must have shape (channels, height, width) or (N, channels, height, width), got [5,5,3,30,30]");
    expect(() => infer([5, 4, 30, 30])).toThrow("_image_normalize 'nm': data must have 1 or 3 channels (axis 1), got [5,4,30,30]");
    expect(() => infer([3, 4, 4], { mean: [1, 2], std: 1 })).toThrow("_image_normalize 'nm': mean must have 1 or 3 elements for data [3,4,4], got (1, 2)");
    expect(thrown(() => infer([3, 4, 4], {})).argument).toBe('mean');
    expect(() => mx.sym._image_normalize({ data: mx.sym.Variable('x'), mean: 'abc' })).toThrow(mx.ParamError);
  });
});
