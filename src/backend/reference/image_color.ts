/**
 * Colour kernels of the image augmenters (MXNet `image/image_random-inl.h`) on HWC float32 images
 * with 1 or 3 channels. MXNet computes them in float32 step by step; `f32` (Math.fround) after each
 * operation reproduces that rounding in the same order of operations.
 * Every kernel reads a pixel before writing it, so `x` and `out` may be the same buffer.
 * Values are not clamped: MXNet clamps to [0, 255] only for uint8 images.
 */
import type { Req } from '../../base/req';

const f32 = Math.fround;
/** The Y' luma weights MXNet uses for contrast and saturation (R, G, B), as float32. */
const LUMA = [f32(0.299), f32(0.587), f32(0.114)] as const;

function put(out: Float32Array, i: number, v: number, req: Req): void {
  out[i] = req === 'add' ? out[i]! + v : v;
}

function copyPixels(x: Float32Array, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  for (let i = 0; i < out.length; i++) put(out, i, x[i]!, req);
}

/** out (req)= x * alpha. */
function imageBrightness(x: Float32Array, alpha: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const a = f32(alpha);
  for (let i = 0; i < out.length; i++) put(out, i, f32(x[i]! * a), req);
}

/**
 * out (req)= x * alpha + (1 - alpha) * mean gray, the gray level being the luma-weighted sum of
 * the channels (the plain value for one channel), averaged over the `length` pixels.
 */
function imageContrast(x: Float32Array, length: number, channels: number, alpha: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const a = f32(alpha);
  let sum = 0;
  if (channels > 1) {
    for (let l = 0; l < length; l++) for (let c = 0; c < 3; c++) sum = f32(sum + f32(x[l * 3 + c]! * LUMA[c]!));
  } else {
    for (let l = 0; l < length; l++) sum = f32(sum + x[l]!);
  }
  const beta = f32(f32(1 - a) * f32(sum / length));
  for (let i = 0; i < length * channels; i++) put(out, i, f32(f32(x[i]! * a) + beta), req);
}

/**
 * out (req)= gray * (1 - alpha) + x * alpha per pixel. NOTE: MXNet's loop assigns instead of
 * accumulating the luma terms, so its "gray" is 0.114 * B alone; reproduced as MXNet computes it.
 * One channel: out = x.
 */
function imageSaturation(x: Float32Array, length: number, channels: number, alpha: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (channels === 1) return copyPixels(x, out, req);
  const a = f32(alpha);
  const keep = f32(1 - a);
  for (let l = 0; l < length; l++) {
    const gray = f32(f32(x[l * 3 + 2]! * LUMA[2]) * keep);
    const r = x[l * 3]!;
    const g = x[l * 3 + 1]!;
    const b = x[l * 3 + 2]!;
    put(out, l * 3, f32(gray + f32(r * a)), req);
    put(out, l * 3 + 1, f32(gray + f32(g * a)), req);
    put(out, l * 3 + 2, f32(gray + f32(b * a)), req);
  }
}

/** MXNet's RGB -> HLS on values in [0, 255]: h in degrees [0, 360), l and s in [0, 1]. */
function rgbToHls(r255: number, g255: number, b255: number, hls: Float64Array): void {
  const r = f32(r255 / 255);
  const g = f32(g255 / 255);
  const b = f32(b255 / 255);
  const vmax = Math.max(r, g, b);
  const vmin = Math.min(r, g, b);
  let diff = f32(vmax - vmin);
  const l = f32(f32(vmax + vmin) * 0.5);
  let h = 0;
  let s = 0;
  if (diff > 1.1920928955078125e-7) {
    // Both terms are always evaluated (a 0 * inf can make NaN), as MXNet writes them.
    s = f32(f32((l < 0.5 ? 1 : 0) * diff) / f32(vmax + vmin));
    s = f32(s + f32(f32((l >= 0.5 ? 1 : 0) * diff) / f32(f32(2 - vmax) - vmin)));
    diff = f32(60 / diff);
    h = f32(f32((vmax === r ? 1 : 0) * f32(g - b)) * diff);
    h = f32(h + f32((vmax !== r && vmax === g ? 1 : 0) * f32(f32(f32(b - r) * diff) + 120)));
    h = f32(h + f32((vmax !== r && vmax !== g ? 1 : 0) * f32(f32(f32(r - g) * diff) + 240)));
    h = f32(h + (h < 0 ? 360 : 0));
  }
  hls[0] = h;
  hls[1] = l;
  hls[2] = s;
}

/** Which of (p2, p1, falling, rising) feeds b, g, r in each 60-degree sector (OpenCV's table). */
const HLS_SECTORS = [[1, 3, 0], [1, 0, 2], [3, 0, 1], [0, 2, 1], [0, 1, 3], [2, 1, 0]] as const;
const SIXTIETH = f32(1 / 60);

/** MXNet's HLS -> RGB, writing r, g, b scaled back to [0, 255] into `rgb`. */
function hlsToRgb(hue: number, l: number, s: number, rgb: Float64Array, tab: Float64Array): void {
  let r = l;
  let g = l;
  let b = l;
  if (s !== 0) {
    let p2 = f32(f32((l <= 0.5 ? 1 : 0) * l) * f32(1 + s));
    p2 = f32(p2 + f32((l > 0.5 ? 1 : 0) * f32(f32(l + s) - f32(l * s))));
    const p1 = f32(f32(2 * l) - p2);
    let h = f32(hue * SIXTIETH);
    while (h < 0) h = f32(h + 6);
    while (h >= 6) h = f32(h - 6);
    const sector = Math.trunc(h);
    h = f32(h - sector);
    tab[0] = p2;
    tab[1] = p1;
    tab[2] = f32(p1 + f32(f32(p2 - p1) * f32(1 - h)));
    tab[3] = f32(p1 + f32(f32(p2 - p1) * h));
    const [bi, gi, ri] = HLS_SECTORS[sector]!;
    b = tab[bi]!;
    g = tab[gi]!;
    r = tab[ri]!;
  }
  rgb[0] = f32(r * 255);
  rgb[1] = f32(g * 255);
  rgb[2] = f32(b * 255);
}

/** Per-pixel scratch of the hue conversion (kernels run one at a time). */
const HUE_SCRATCH = { hls: new Float64Array(3), rgb: new Float64Array(3), tab: new Float64Array(4) };

/** Rotates the hue of every RGB pixel by alpha * 360 degrees (through HLS). One channel: out = x. */
function imageHue(x: Float32Array, length: number, channels: number, alpha: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (channels === 1) return copyPixels(x, out, req);
  const shift = f32(f32(alpha) * 360);
  const { hls, rgb, tab } = HUE_SCRATCH;
  for (let l = 0; l < length; l++) {
    rgbToHls(x[l * 3]!, x[l * 3 + 1]!, x[l * 3 + 2]!, hls);
    hlsToRgb(f32(hls[0]! + shift), hls[1]!, hls[2]!, rgb, tab);
    for (let c = 0; c < 3; c++) put(out, l * 3 + c, rgb[c]!, req);
  }
}

/** AlexNet's PCA lighting: eigenvalue-scaled eigenvectors of ImageNet's RGB covariance, rows R, G, B. */
const EIG = [
  [55.46 * -0.5675, 4.794 * 0.7192, 1.148 * 0.4009],
  [55.46 * -0.5808, 4.794 * -0.0045, 1.148 * -0.814],
  [55.46 * -0.5836, 4.794 * -0.6948, 1.148 * 0.4203],
].map((row) => row.map(f32));

/** out (req)= x + EIG . alpha per RGB pixel. One channel: out = x. */
function imageLighting(x: Float32Array, length: number, channels: number, alpha: readonly number[], out: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (channels === 1) return copyPixels(x, out, req);
  const a = alpha.map(f32);
  const shift = EIG.map((row) => f32(f32(f32(row[0]! * a[0]!) + f32(row[1]! * a[1]!)) + f32(row[2]! * a[2]!)));
  for (let l = 0; l < length; l++) {
    for (let c = 0; c < 3; c++) put(out, l * 3 + c, f32(x[l * 3 + c]! + shift[c]!), req);
  }
}

export const imageColorKernels = { imageCopy: copyPixels, imageBrightness, imageContrast, imageSaturation, imageHue, imageLighting };
