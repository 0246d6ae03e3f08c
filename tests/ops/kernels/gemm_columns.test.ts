/**
 * GEMM with op(B) given as im2col of images (ColumnSource): the WebAssembly path writes the columns
 * into its own heap, so its product must be bit for bit the product of the same GEMM with the
 * columns materialized first, on one thread (an instance of the backend loaded with
 * MXTS_NUM_THREADS=1) and on several, with B as is and transposed (the convolution's forward and
 * weight-gradient products); and the reference backend's kernels must agree too.
 */
import fc from 'fast-check';
import { ColumnSource, ConvGeometry, windowCount } from '../../../src/backend/geometry';
import { referenceKernels } from '../../../src/backend/reference/index';
import * as pooled from '../../../src/backend/wasm/gemm_simd';
import { wasmBackend } from '../../../src/backend/wasm/index';
import { singleThreadedWasm } from '../../helpers/isolated_wasm';

const { col2im, gemm, gemmColumns, gemmIntoImages, im2col } = wasmBackend.kernels;

/** The SIMD GEMM of the default backend (worker threads for large products) or of a single-threaded one. */
const gemmSimdOf = (threads: boolean) => (threads ? pooled : singleThreadedWasm().gemmSimd).gemmSimd;
const { gemmSimd } = pooled;

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
}

function sameBits(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) if (!Object.is(actual[i], expected[i])) throw new Error(`element ${i}: ${actual[i]}, expected ${expected[i]}`);
}

const caseArb = fc.record({
  channels: fc.integer({ min: 1, max: 6 }),
  size: fc.integer({ min: 4, max: 20 }),
  k: fc.integer({ min: 1, max: 5 }),
  stride: fc.integer({ min: 1, max: 2 }),
  pad: fc.integer({ min: 0, max: 2 }),
  samples: fc.integer({ min: 1, max: 4 }),
  filters: fc.integer({ min: 1, max: 40 }),
  transB: fc.boolean(),
  threads: fc.boolean(),
  seed: fc.integer({ min: 1, max: 1000 }),
}).filter((c) => c.k <= c.size + 2 * c.pad);

describe('GEMM with im2col columns written into its heap', () => {
  test('equals the GEMM of the materialized columns, bit for bit (fast-check)', () => {
    fc.assert(fc.property(caseArb, (c) => {
      const gemmSimd = gemmSimdOf(c.threads);
      const out = windowCount(c.size, c.k, c.stride, c.pad, 1);
      const geo: ConvGeometry = { channels: c.channels, height: c.size, width: c.size, kh: c.k, kw: c.k, sh: c.stride, sw: c.stride, ph: c.pad, pw: c.pad, dh: 1, dw: 1, outH: out, outW: out };
      const sampleStride = c.channels * c.size * c.size + 5; // a gap between samples, as with an offset batch
      const rand = seeded(c.seed);
      const image = Float32Array.from({ length: 3 + c.samples * sampleStride }, rand);
      const source: ColumnSource = { image, offset: 3, geo, samples: c.samples, sampleStride };
      const depth = c.channels * c.k * c.k;
      const width = c.samples * out * out;
      const cols = new Float32Array(depth * width);
      im2col(image, 3, geo, cols, 0, width, c.samples, sampleStride);
      // Forward: (filters x depth) . cols; weight gradient: (filters x width) . cols^T.
      const [M, N, K] = c.transB ? [c.filters, depth, width] : [c.filters, width, depth];
      const A = Float32Array.from({ length: M * K }, rand);
      const viaSource = Float32Array.from({ length: M * N }, rand);
      const viaArray = viaSource.slice();
      const usedSource = gemmSimd(false, c.transB, M, N, K, 1, A, K, 0, source, 0, 0, 0.5, viaSource, N, 0);
      const usedArray = gemmSimd(false, c.transB, M, N, K, 1, A, K, 0, cols, width, 0, 0.5, viaArray, N, 0);
      expect(usedSource).toBe(true);
      expect(usedArray).toBe(true);
      sameBits(viaSource, viaArray);
    }), { numRuns: 120, seed: 7 });
  });

  test('a product added into images by col2im in the heap equals col2im of the materialized product (fast-check)', () => {
    fc.assert(fc.property(caseArb, (c) => {
      const gemmSimd = gemmSimdOf(c.threads);
      const out = windowCount(c.size, c.k, c.stride, c.pad, 1);
      const geo: ConvGeometry = { channels: c.channels, height: c.size, width: c.size, kh: c.k, kw: c.k, sh: c.stride, sw: c.stride, ph: c.pad, pw: c.pad, dh: 1, dw: 1, outH: out, outW: out };
      const sampleStride = c.channels * c.size * c.size + 5;
      const rand = seeded(c.seed);
      const depth = c.channels * c.k * c.k;
      const width = c.samples * out * out;
      // The convolution's data gradient: weight^T (depth x filters) . heads (filters x width).
      const W = Float32Array.from({ length: c.filters * depth }, rand);
      const heads = Float32Array.from({ length: c.filters * width }, rand);
      const base = Float32Array.from({ length: 3 + c.samples * sampleStride }, rand);
      const viaSink = base.slice();
      const sink: ColumnSource = { image: viaSink, offset: 3, geo, samples: c.samples, sampleStride };
      expect(gemmSimd(true, false, depth, width, c.filters, 1, W, depth, 0, heads, width, 0, 0, sink, 0, 0)).toBe(true);
      const cols = new Float32Array(depth * width);
      expect(gemmSimd(true, false, depth, width, c.filters, 1, W, depth, 0, heads, width, 0, 0, cols, width, 0)).toBe(true);
      const viaArray = base.slice();
      col2im(cols, geo, viaArray, 3, 0, width, c.samples, sampleStride);
      sameBits(viaSink, viaArray);
    }), { numRuns: 80, seed: 8 });
  });

  test('a sink needs alpha 1 and beta 0; gemmIntoImages falls back to a scratch buffer, as the reference kernel', () => {
    const geo: ConvGeometry = { channels: 2, height: 8, width: 8, kh: 3, kw: 3, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, outH: 6, outW: 6 };
    const rand = seeded(4);
    const W = Float32Array.from({ length: 4 * 18 }, rand);
    const heads = Float32Array.from({ length: 4 * 36 }, rand);
    const sink: ColumnSource = { image: new Float32Array(128), offset: 0, geo, samples: 1, sampleStride: 128 };
    expect(gemmSimd(true, false, 18, 36, 4, 2, W, 18, 0, heads, 36, 0, 0, sink, 0, 0)).toBe(false);
    const expected = new Float32Array(128);
    const cols = new Float32Array(18 * 36);
    gemm(true, false, 18, 36, 4, 1, W, 18, 0, heads, 36, 0, 0, cols, 36, 0);
    col2im(cols, geo, expected, 0, 0, 36, 1, 128);
    // 18 x 36 x 4 multiply-adds: below GEMM_MIN_WORK, the wasm kernel takes the scratch path.
    for (const kernel of [gemmIntoImages, referenceKernels.gemmIntoImages]) {
      const got = new Float32Array(128);
      kernel(true, false, 18, 36, 4, W, 18, 0, heads, 36, 0, { ...sink, image: got }, new Float32Array(18 * 36));
      sameBits(got, expected);
    }
  });

  test('the reference gemmColumns materializes the columns and multiplies them plainly; the wasm kernel agrees', () => {
    const geo: ConvGeometry = { channels: 3, height: 9, width: 9, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, outH: 9, outW: 9 };
    const rand = seeded(3);
    const image = Float32Array.from({ length: 2 * 243 }, rand);
    const source: ColumnSource = { image, offset: 0, geo, samples: 2, sampleStride: 243 };
    const width = 2 * 81;
    const A = Float32Array.from({ length: 8 * 27 }, rand);
    const expected = new Float32Array(8 * width);
    const cols = new Float32Array(27 * width);
    referenceKernels.im2col(image, 0, geo, cols, 0, width, 2, 243);
    referenceKernels.gemm(false, false, 8, width, 27, 1, A, 27, 0, cols, width, 0, 0, expected, width, 0);
    const got = new Float32Array(8 * width);
    referenceKernels.gemmColumns(false, 8, width, 27, 1, A, 27, 0, source, new Float32Array(27 * width), 0, got, width, 0);
    sameBits(got, expected);
    const wasm = new Float32Array(8 * width);
    gemmColumns(false, 8, width, 27, 1, A, 27, 0, source, new Float32Array(27 * width), 0, wasm, width, 0);
    for (let i = 0; i < wasm.length; i++) expect(Math.abs(wasm[i]! - expected[i]!)).toBeLessThanOrEqual(1e-5);
  });
});
