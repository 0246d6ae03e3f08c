/**
 * _image_random_brightness / _contrast / _saturation / _hue / _color_jitter and the lighting ops:
 * float64 references of the formulas MXNet's image_random-inl.h computes (factors pinned with
 * min_factor = max_factor), a hand-derived hue rotation, the random factors' ranges and
 * reproducibility under mx.random.seed, errors, and that none of them has a gradient.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

const EXACT = { rtol: 0, atol: 0 };
/** float32 arithmetic on values up to 255 against float64 references. */
const PIXEL = { rtol: 1e-5, atol: 1e-3 };
const LUMA = [0.299, 0.587, 0.114];

const pinned = (alpha: number) => ({ min_factor: alpha, max_factor: alpha });

/** mean over pixels of the gray level MXNet's contrast uses. */
function meanGray(x: mx.NDArray): number {
  const c = x.shape[2]!;
  const pixels = x.size / c;
  let sum = 0;
  for (let i = 0; i < pixels; i++) sum += c === 1 ? x.data[i]! : LUMA.reduce((s, w, k) => s + w * x.data[i * 3 + k]!, 0);
  return sum / pixels;
}

/** colorsys-style RGB <-> HLS in float64, hue in turns. */
function rgbToHls(r: number, g: number, b: number): [number, number, number] {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  if (max === min) return [0, l, 0];
  const d = max - min;
  const s = l <= 0.5 ? d / (max + min) : d / (2 - max - min);
  const [rc, gc, bc] = [(max - r) / d, (max - g) / d, (max - b) / d];
  const h = r === max ? bc - gc : g === max ? 2 + rc - bc : 4 + gc - rc;
  return [(((h / 6) % 1) + 1) % 1, l, s];
}

function hlsToRgb(h: number, l: number, s: number): [number, number, number] {
  if (s === 0) return [l, l, l];
  const m2 = l <= 0.5 ? l * (1 + s) : l + s - l * s;
  const m1 = 2 * l - m2;
  const v = (hue: number) => {
    const t = ((hue % 1) + 1) % 1;
    if (t < 1 / 6) return m1 + (m2 - m1) * t * 6;
    if (t < 0.5) return m2;
    if (t < 2 / 3) return m1 + (m2 - m1) * (2 / 3 - t) * 6;
    return m1;
  };
  return [v(h + 1 / 3), v(h), v(h - 1 / 3)];
}

function hueRef(x: mx.NDArray, alpha: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.size; i += 3) {
    const [h, l, s] = rgbToHls(x.data[i]! / 255, x.data[i + 1]! / 255, x.data[i + 2]! / 255);
    out.push(...hlsToRgb(h + alpha, l, s).map((v) => v * 255));
  }
  return out;
}

/** AlexNet's ImageNet RGB eigenvalues and eigenvectors (columns), which MXNet hard-codes. */
const EIGVAL = [55.46, 4.794, 1.148];
const EIGVEC = [[-0.5675, 0.7192, 0.4009], [-0.5808, -0.0045, -0.814], [-0.5836, -0.6948, 0.4203]];

function lightingRef(x: mx.NDArray, alpha: number[]): number[] {
  const shift = EIGVEC.map((row) => row.reduce((s, v, j) => s + v * EIGVAL[j]! * alpha[j]!, 0));
  return Array.from(x.data, (v, i) => v + shift[i % 3]!);
}

/** The one ratio out / x shared by every element (x has no zeros), or NaN if they differ. */
function commonRatio(out: mx.NDArray, x: mx.NDArray): number {
  const r = out.data[0]! / x.data[0]!;
  return Array.from(out.data).every((v, i) => Math.abs(v / x.data[i]! - r) < 1e-5) ? r : NaN;
}

beforeEach(() => mx.random.seed(19));

describeEachBackend('random colour augmenters', () => {
  const rgb = () => mx.nd.random.uniform(1, 255, [5, 4, 3]);
  const gray = () => mx.nd.random.uniform(1, 255, [3, 4, 1]);

  test('_image_random_brightness: out = x * alpha, alpha in [min_factor, max_factor), no clamping', () => {
    const x = rgb();
    mx.testUtils.assertAlmostEqual(mx.nd._image_random_brightness(x, pinned(1.7)).data, Array.from(x.data, (v) => v * 1.7), PIXEL);
    const ratios = Array.from({ length: 20 }, () => commonRatio(mx.nd._image_random_brightness(x, { min_factor: 0.5, max_factor: 1.5 }), x));
    for (const r of ratios) expect(r >= 0.5 - 1e-6 && r < 1.5).toBe(true);
    expect(new Set(ratios).size).toBeGreaterThan(10);
  });

  test('_image_random_contrast: out = x * alpha + (1 - alpha) * mean luma (mean value for one channel)', () => {
    for (const x of [rgb(), gray()]) {
      const g = meanGray(x);
      mx.testUtils.assertAlmostEqual(mx.nd._image_random_contrast(x, pinned(0.6)).data, Array.from(x.data, (v) => v * 0.6 + 0.4 * g), PIXEL);
    }
  });

  test("_image_random_saturation: MXNet's gray is 0.114 * B (its luma loop assigns); one channel is copied", () => {
    const x = rgb();
    const expected = Array.from(x.data, (v, i) => 0.114 * x.data[i - (i % 3) + 2]! * (1 - 1.4) + v * 1.4);
    mx.testUtils.assertAlmostEqual(mx.nd._image_random_saturation(x, pinned(1.4)).data, expected, PIXEL);
    const g = gray();
    mx.testUtils.assertAlmostEqual(mx.nd._image_random_saturation(g, pinned(1.4)), g, EXACT);
  });

  test('_image_random_hue: a third of a turn takes pure red to pure green exactly; gray pixels stay', () => {
    const red = mx.nd.array([[[255, 0, 0], [128, 128, 128]]]);
    mx.testUtils.assertAlmostEqual(mx.nd._image_random_hue(red, pinned(1 / 3)), [[[0, 255, 0], [128, 128, 128]]], EXACT);
  });

  test('_image_random_hue: matches a float64 RGB -> HLS -> RGB rotation on seeded pixels; one channel is copied', () => {
    const x = rgb();
    for (const alpha of [0, 0.15, 0.8, 1.25]) {
      mx.testUtils.assertAlmostEqual(mx.nd._image_random_hue(x, pinned(alpha)).data, hueRef(x, alpha), PIXEL);
    }
    const g = gray();
    mx.testUtils.assertAlmostEqual(mx.nd._image_random_hue(g, pinned(0.3)), g, EXACT);
  });

  test('_image_random_color_jitter: zero ranges copy; brightness alone scales by 1 + U[-b, b); seeded draws repeat', () => {
    const x = rgb();
    mx.testUtils.assertAlmostEqual(mx.nd._image_random_color_jitter(x, { brightness: 0, contrast: 0, saturation: 0, hue: 0 }), x, EXACT);
    for (let i = 0; i < 10; i++) {
      const r = commonRatio(mx.nd._image_random_color_jitter(x, { brightness: 0.3, contrast: 0, saturation: 0, hue: 0 }), x);
      expect(r >= 0.7 - 1e-6 && r < 1.3).toBe(true);
    }
    const all = { brightness: 0.2, contrast: 0.2, saturation: 0.2, hue: 0.1 };
    mx.random.seed(7);
    const first = [mx.nd._image_random_color_jitter(x, all), mx.nd._image_random_color_jitter(x, all)];
    mx.random.seed(7);
    mx.testUtils.assertAlmostEqual(mx.nd._image_random_color_jitter(x, all), first[0]!, EXACT);
    expect(Array.from(first[0]!.data)).not.toEqual(Array.from(first[1]!.data));
  });

  test('_image_adjust_lighting: out = x + V . alpha per RGB pixel (AlexNet PCA); one channel is copied', () => {
    const x = rgb();
    const alpha = [0.1, -0.3, 0.7];
    mx.testUtils.assertAlmostEqual(mx.nd._image_adjust_lighting(x, { alpha }).data, lightingRef(x, alpha), PIXEL);
    mx.testUtils.assertAlmostEqual(mx.nd._image_adjust_lighting(x, { alpha: '(0.1, -0.3, 0.7)' }).data, lightingRef(x, alpha), PIXEL);
    const g = gray();
    mx.testUtils.assertAlmostEqual(mx.nd._image_adjust_lighting(g, { alpha }), g, EXACT);
  });

  test('_image_random_lighting: alpha_std 0 is the identity; otherwise one shift per channel, reproducible', () => {
    const x = rgb();
    mx.testUtils.assertAlmostEqual(mx.nd._image_random_lighting(x, { alpha_std: 0 }), x, EXACT);
    mx.random.seed(5);
    const a = mx.nd._image_random_lighting(x, { alpha_std: 0.5 });
    mx.random.seed(5);
    mx.testUtils.assertAlmostEqual(mx.nd._image_random_lighting(x, { alpha_std: 0.5 }), a, EXACT);
    const shift = [0, 1, 2].map((c) => a.data[c]! - x.data[c]!);
    for (let i = 0; i < x.size; i++) expect(Math.abs(a.data[i]! - x.data[i]! - shift[i % 3]!)).toBeLessThan(1e-4);
    expect(shift.some((s) => Math.abs(s) > 1e-3)).toBe(true);
  });

  test('mx.nd and mx.sym + bind agree (same seed, same draw)', () => {
    const x = rgb();
    mx.random.seed(9);
    const nd = mx.nd._image_random_contrast(x, { min_factor: 0.5, max_factor: 1.5 });
    mx.random.seed(9);
    const exec = mx.sym._image_random_contrast(mx.sym.Variable('x'), { min_factor: 0.5, max_factor: 1.5 }).bind(mx.cpu(), { x }, { gradReq: 'null' });
    mx.testUtils.assertAlmostEqual(exec.forward()[0]!, nd, EXACT);
  });

  test('errors: 4-d or 2-channel images, negative or missing factors, alpha of the wrong length; no gradient', () => {
    const s = (shape: number[]) => mx.sym._image_random_brightness({ data: mx.sym.Variable('x'), name: 'rb', ...pinned(1) }).inferShape({ x: shape });
    expect(() => s([2, 4, 4, 3])).toThrow("_image_random_brightness 'rb': data must have shape (height, width, channels), got [2,4,4,3]");
    expect(() => s([4, 4, 2])).toThrow(mx.ShapeError);
    expect(() => mx.nd._image_random_saturation(rgb(), { min_factor: -1, max_factor: 1 })).toThrow(mx.ParamError);
    // @ts-expect-error max_factor is required
    expect(() => mx.nd._image_random_hue(rgb(), { min_factor: 0 })).toThrow(/max_factor is required/);
    // @ts-expect-error contrast, saturation and hue are required
    expect(() => mx.nd._image_random_color_jitter(rgb(), { brightness: 0.1 })).toThrow(mx.ParamError);
    expect(() => mx.nd._image_adjust_lighting(rgb(), { alpha: [0.1, 0.2] })).toThrow("_image_adjust_lighting: alpha must have 3 elements (R, G, B), got (0.1, 0.2)");
    const sym = mx.sym._image_random_brightness({ data: mx.sym.Variable('x'), name: 'rb', ...pinned(1) });
    expect(() => sym.bind(mx.cpu(), { x: rgb() }, { gradReq: 'write' })).toThrow(mx.GradientError);
  });
});
