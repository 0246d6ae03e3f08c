/**
 * spatial.wat (im2col, col2im, max pooling) against the plain loops it replaces: over random
 * window geometries (kernel, stride, padding, dilation, 1-D and 2-D, several samples, a channel
 * offset as grouped convolution uses) the results must be the same bits, including col2im's
 * accumulation order, max pooling's ties (the first maximal position gets the gradient) and NaN.
 * Also the cases the WebAssembly path declines, and that the committed bytes are current.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import * as mx from 'mxts';
import { compileWat, importedVariant, sharedVariant, WASM_DIR } from '../../../scripts/build_wasm';
import { ConvGeometry, windowCount } from '../../../src/backend/geometry';
import { col2im, im2col } from '../../../src/backend/wasm/im2col';
import { decodeBase64 } from '../../../src/backend/wasm/base64';
import {
  col2imSimd, disableSpatialSimdForTesting, gatherBlocksSimd, im2colSimd, MIN_SPATIAL_WORK, scatterBlocksSimd,
} from '../../../src/backend/wasm/spatial_simd';
import { WASM_BASE64 as IMPORTED_BASE64 } from '../../../src/backend/wasm/spatial_imported_wasm';
import { WASM_BASE64 as SHARED_BASE64 } from '../../../src/backend/wasm/spatial_shared_wasm';
import { WASM_BASE64 } from '../../../src/backend/wasm/spatial_wasm';

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

/** Values in [-2, 2) rounded to eighths, so windows hold ties; every 53rd a NaN when asked. */
function values(count: number, seed: number, nans = false): Float32Array {
  const rand = seeded(seed);
  return Float32Array.from({ length: count }, (_, i) => (nans && i % 53 === 7 ? NaN : Math.floor(rand() * 32) / 8 - 2));
}

/** Runs `f` with the WebAssembly kernels turned off. */
function plain<T>(f: () => T): T {
  disableSpatialSimdForTesting(true);
  try {
    return f();
  } finally {
    disableSpatialSimdForTesting(false);
  }
}

function expectSameBits(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) throw new Error(`element ${i}: ${actual[i]}, expected ${expected[i]}`);
  }
}

const geometryArb = fc.record({
  twoD: fc.boolean(),
  channels: fc.integer({ min: 1, max: 4 }),
  height: fc.integer({ min: 3, max: 20 }),
  width: fc.integer({ min: 3, max: 24 }),
  kh: fc.integer({ min: 1, max: 4 }),
  kw: fc.integer({ min: 1, max: 4 }),
  sh: fc.integer({ min: 1, max: 3 }),
  sw: fc.integer({ min: 1, max: 3 }),
  ph: fc.integer({ min: 0, max: 2 }),
  pw: fc.integer({ min: 0, max: 2 }),
  dh: fc.integer({ min: 1, max: 2 }),
  dw: fc.integer({ min: 1, max: 2 }),
  samples: fc.integer({ min: 1, max: 8 }),
  extraChannels: fc.integer({ min: 0, max: 2 }),
}).map((r) => {
  const height = r.twoD ? r.height : 1;
  const [kh, sh, ph, dh] = r.twoD ? [r.kh, r.sh, r.ph, r.dh] : [1, 1, 0, 1];
  const outH = windowCount(height, kh, sh, ph, dh);
  const outW = windowCount(r.width, r.kw, r.sw, r.pw, r.dw);
  const g: ConvGeometry = { channels: r.channels, height, width: r.width, kh, kw: r.kw, sh, sw: r.sw, ph, pw: r.pw, dh, dw: r.dw, outH, outW };
  // Samples hold extra channels (another group's) the window skips: the image offset selects a channel.
  const sampleStride = (r.channels + r.extraChannels) * height * r.width;
  return { g, samples: r.samples, sampleStride, offset: r.extraChannels > 0 ? height * r.width : 0 };
}).filter(({ g, samples }) => g.outH > 0 && g.outW > 0 && g.channels * g.kh * g.kw * samples * g.outH * g.outW >= MIN_SPATIAL_WORK);

describe('im2col and col2im in WebAssembly', () => {
  test('the same bits as the plain loops over random geometries (fast-check)', () => {
    let ran = 0;
    fc.assert(fc.property(geometryArb, fc.integer({ min: 1, max: 1000 }), ({ g, samples, sampleStride, offset }, seed) => {
      const ld = samples * g.outH * g.outW;
      const rows = g.channels * g.kh * g.kw;
      const image = values(offset + samples * sampleStride, seed);
      const fast = new Float32Array(rows * ld + 3).fill(NaN);
      const slow = fast.slice();
      const used = im2colSimd(image, offset, g, fast, 3, ld, samples, sampleStride);
      if (!used) im2col(image, offset, g, fast, 3, ld, samples, sampleStride);
      plain(() => im2col(image, offset, g, slow, 3, ld, samples, sampleStride));
      expectSameBits(fast, slow);

      const col = values(rows * ld, seed + 1);
      const base = values(image.length, seed + 2);
      const back = base.slice();
      const backSlow = base.slice();
      if (!col2imSimd(col, g, back, offset, 0, ld, samples, sampleStride)) col2im(col, g, back, offset, 0, ld, samples, sampleStride);
      plain(() => col2im(col, g, backSlow, offset, 0, ld, samples, sampleStride));
      expectSameBits(back, backSlow);
      if (used) ran++;
    }), { numRuns: 150, seed: 42 });
    // Every generated case is big enough for the WebAssembly path: it must have taken it.
    expect(ran).toBe(150);
  });

  test('declines layouts with gaps between column rows and small work', () => {
    const g: ConvGeometry = { channels: 2, height: 30, width: 30, kh: 3, kw: 3, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, outH: 28, outW: 28 };
    const col = new Float32Array(2 * 9 * 800);
    expect(im2colSimd(new Float32Array(1800), 0, g, col, 0, 800, 1, 0)).toBe(false);
    const tiny: ConvGeometry = { ...g, height: 3, width: 3, outH: 1, outW: 1 };
    expect(2 * 9 < MIN_SPATIAL_WORK && !im2colSimd(new Float32Array(18), 0, tiny, new Float32Array(18), 0, 1, 1, 0)).toBe(true);
  });
});

describe("the batched convolution's block moves in WebAssembly", () => {
  // (filters, count * P) matrix <-> samples first..first+count of an (n, filters, P) batch.
  const CASES: [number, number, number, number, number][] = [
    // [batch, first, count, filters, positions]
    [16, 0, 16, 20, 576], [64, 0, 64, 50, 64], [10, 3, 5, 7, 61], [4, 1, 2, 33, 37], [3, 0, 3, 1, 2048],
  ];
  const f = Math.fround;

  test.each(CASES)('batch %i, samples %i+%i, %i filters, %i positions: scatter and gather', (batch, first, count, filters, positions) => {
    const floats = count * filters * positions;
    expect(floats).toBeGreaterThanOrEqual(MIN_SPATIAL_WORK);
    const matrix = values(floats, floats);
    const bias = values(filters, 3);
    const base = values(batch * filters * positions, 5);
    const width = count * positions;
    const reference = (add: boolean, withBias: boolean) => base.map((v, at) => {
      const i = Math.floor(at / (filters * positions)) - first;
      if (i < 0 || i >= count) return v;
      const fi = Math.floor(at / positions) % filters;
      const term = f(matrix[fi * width + i * positions + (at % positions)]! + (withBias ? bias[fi]! : 0));
      return add ? f(v + term) : term;
    });
    for (const add of [false, true]) {
      for (const withBias of [false, true]) {
        const out = base.slice();
        expect(scatterBlocksSimd(matrix, out, first, count, filters, positions, add, withBias ? bias : null)).toBe(true);
        expectSameBits(out, reference(add, withBias));
      }
    }
    const gathered = new Float32Array(floats).fill(NaN);
    expect(gatherBlocksSimd(base, gathered, first, count, filters, positions)).toBe(true);
    expectSameBits(gathered, gathered.map((_, to) => {
      const fi = Math.floor(to / width);
      const i = Math.floor((to % width) / positions);
      return base[((first + i) * filters + fi) * positions + (to % positions)]!;
    }));
  });

  test('a convolution gives the same bits with the block moves in WebAssembly or not', () => {
    const run = () => {
      const net = mx.sym.Convolution(mx.sym.Variable('data'), { kernel: [3, 3], num_filter: 6, pad: [1, 1], name: 'conv' });
      const exec = net.simpleBind(mx.cpu(), { shapes: { data: [5, 3, 9, 11] }, gradReq: 'write' });
      exec.argDict['data']!.set(values(5 * 3 * 9 * 11, 1));
      exec.argDict['conv_weight']!.set(values(6 * 3 * 9, 2));
      exec.argDict['conv_bias']!.set(values(6, 3));
      exec.forward(true);
      exec.backward([new mx.NDArray(values(exec.outputs[0]!.size, 4), exec.outputs[0]!.shape)]);
      return [exec.outputs[0]!, exec.gradDict['data']!, exec.gradDict['conv_weight']!, exec.gradDict['conv_bias']!].map((a) => a.data.slice());
    };
    const fast = run();
    const slow = plain(run);
    fast.forEach((a, i) => expectSameBits(a, slow[i]!));
  });
});

describe('pooling in WebAssembly', () => {
  const CASES: [number[], Record<string, unknown>][] = [
    [[4, 3, 24, 24], { kernel: [2, 2], stride: [2, 2] }],
    [[2, 5, 17, 13], { kernel: [3, 3], stride: [2, 2], pad: [1, 1] }],
    [[3, 4, 15, 16], { kernel: [3, 2], stride: [1, 2], pooling_convention: 'full' }],
    [[3, 8, 200], { kernel: [4], stride: [3], pad: [2] }],
    [[1, 3, 40, 40], { kernel: [5, 5], stride: [5, 5], global_pool: false }],
    // 2x2 stride 2 (the vector path) with odd sizes: 'full' clips the last row and column of windows
    [[3, 3, 17, 19], { kernel: [2, 2], stride: [2, 2], pooling_convention: 'full' }],
    [[2, 5, 9, 40], { kernel: [2, 2], stride: [2, 2] }],
    [[2, 4, 17, 17], { pool_type: 'avg', kernel: [3, 3], stride: [1, 1], pad: [1, 1] }],
    [[2, 4, 17, 17], { pool_type: 'avg', kernel: [3, 3], stride: [2, 2], pad: [1, 1], count_include_pad: false }],
    [[3, 4, 15, 16], { pool_type: 'avg', kernel: [3, 2], stride: [2, 1], pooling_convention: 'full' }],
    [[3, 8, 200], { pool_type: 'sum', kernel: [4], stride: [3], pad: [2] }],
    [[4, 6, 12, 12], { pool_type: 'avg', global_pool: true, kernel: [1, 1] }],
  ];

  test.each(CASES)('data %j, %j: forward and backward bits match the plain loops', (shape, params) => {
    const size = shape.reduce((a, b) => a * b, 1);
    expect(size).toBeGreaterThanOrEqual(MIN_SPATIAL_WORK);
    const data = new mx.NDArray(values(size, size, true), shape);
    const run = () => {
      const net = mx.sym.Pooling(mx.sym.Variable('data'), { pool_type: 'max', ...params, name: 'pool' });
      const exec = net.simpleBind(mx.cpu(), { shapes: { data: shape }, gradReq: 'write' });
      exec.argDict['data']!.set(data);
      exec.forward(true);
      const head = new mx.NDArray(values(exec.outputs[0]!.size, 7, true), exec.outputs[0]!.shape);
      exec.backward([head]);
      const added = mx.nd.Pooling(data, { pool_type: 'max', ...params });
      return { out: exec.outputs[0]!.data.slice(), grad: exec.gradDict['data']!.data.slice(), added: added.data };
    };
    const fast = run();
    const slow = plain(run);
    expectSameBits(fast.out, slow.out);
    expectSameBits(fast.grad, slow.grad);
    expectSameBits(fast.added, slow.added);
    // NaN never wins a max window; it propagates through sums
    expect(fast.out.some((v) => Number.isNaN(v))).toBe(params['pool_type'] !== undefined);
  });
});

test('the committed modules are the compilation of spatial.wat and its shared- and imported-memory variants', async () => {
  const text = readFileSync(join(WASM_DIR, 'spatial.wat'), 'utf8');
  const same = async (source: string, base64: string) => Buffer.from(await compileWat('spatial.wat', source)).equals(Buffer.from(decodeBase64(base64)));
  expect(await same(text, WASM_BASE64)).toBe(true);
  expect(await same(sharedVariant(text)!, SHARED_BASE64)).toBe(true);
  expect(await same(importedVariant(text)!, IMPORTED_BASE64)).toBe(true);
});
