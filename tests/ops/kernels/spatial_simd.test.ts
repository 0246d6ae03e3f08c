/**
 * spatial.wat (im2col, col2im, the convolution's block moves, pooling) against the reference
 * backend's loops it replaces: over random window geometries (kernel, stride, padding, dilation,
 * 1-D and 2-D, several samples, a channel offset as grouped convolution uses) the results must be
 * the same bits, including col2im's accumulation order, max pooling's ties (the first maximal
 * position gets the gradient) and NaN. Also the cases the WebAssembly path declines, and that the
 * committed bytes are current.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import * as mx from 'mxts';
import { compileWat, importedVariant, sharedVariant, WASM_DIR } from '../../../scripts/build_wasm';
import type { Kernels } from '../../../src/backend/backend';
import { ConvGeometry, windowCount } from '../../../src/backend/geometry';
import { referenceKernels } from '../../../src/backend/reference/index';
import { decodeBase64 } from '../../../src/backend/wasm/base64';
import { WASM_BASE64 as IMPORTED_BASE64 } from '../../../src/backend/wasm/generated/spatial_imported_wasm';
import { WASM_BASE64 as SHARED_BASE64 } from '../../../src/backend/wasm/generated/spatial_shared_wasm';
import { WASM_BASE64 } from '../../../src/backend/wasm/generated/spatial_wasm';
import { wasmBackend } from '../../../src/backend/wasm/index';
import { col2imSimd, gatherBlocksSimd, im2colSimd, scatterBlocksSimd } from '../../../src/backend/wasm/spatial_simd';
import { SPATIAL_MIN_WORK as MIN_SPATIAL_WORK } from '../../../src/backend/wasm/tuning';
import { parseParams } from '../../../src/ops/params';
import { convolutionOp } from '../../../src/ops/nn/convolution';
import type { Tensor } from '../../../src/ops/types';

const wasm = wasmBackend.kernels;

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

/** Values in [-2, 2) rounded to eighths, so windows hold ties; every 53rd a NaN when asked. */
function values(count: number, seed: number, nans = false): Float32Array {
  const rand = seeded(seed);
  return Float32Array.from({ length: count }, (_, i) => (nans && i % 53 === 7 ? NaN : Math.floor(rand() * 32) / 8 - 2));
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
      referenceKernels.im2col(image, offset, g, slow, 3, ld, samples, sampleStride);
      expectSameBits(fast, slow);
      const viaKernel = fast.slice().fill(NaN);
      wasm.im2col(image, offset, g, viaKernel, 3, ld, samples, sampleStride);
      expectSameBits(viaKernel, slow);

      const col = values(rows * ld, seed + 1);
      const base = values(image.length, seed + 2);
      const back = base.slice();
      const backSlow = base.slice();
      const backKernel = base.slice();
      expect(col2imSimd(col, g, back, offset, 0, ld, samples, sampleStride)).toBe(used);
      referenceKernels.col2im(col, g, backSlow, offset, 0, ld, samples, sampleStride);
      wasm.col2im(col, g, backKernel, offset, 0, ld, samples, sampleStride);
      expectSameBits(back, backSlow);
      expectSameBits(backKernel, backSlow);
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
        for (const kernels of [wasm, referenceKernels]) {
          const viaKernel = base.slice();
          kernels.scatterBlocks(matrix, viaKernel, first, count, filters, positions, add, withBias ? bias : null);
          expectSameBits(viaKernel, reference(add, withBias));
        }
      }
    }
    const gathered = new Float32Array(floats).fill(NaN);
    expect(gatherBlocksSimd(base, gathered, first, count, filters, positions)).toBe(true);
    const expected = gathered.map((_, to) => {
      const fi = Math.floor(to / width);
      const i = Math.floor((to % width) / positions);
      return base[((first + i) * filters + fi) * positions + (to % positions)]!;
    });
    expectSameBits(gathered, expected);
    for (const kernels of [wasm, referenceKernels]) {
      const viaKernel = new Float32Array(floats).fill(NaN);
      kernels.gatherBlocks(base, viaKernel, first, count, filters, positions);
      expectSameBits(viaKernel, expected);
    }
  });

  test('a convolution gives the same bits with the spatial kernels in WebAssembly or the reference loops', () => {
    // The wasm backend's kernels, and the same with every spatial.wat kernel swapped for the
    // reference's (the GEMM stays the wasm backend's, so only the spatial kernels differ).
    const withReferenceSpatial: Kernels = {
      ...wasm,
      im2col: referenceKernels.im2col,
      col2im: referenceKernels.col2im,
      scatterBlocks: referenceKernels.scatterBlocks,
      gatherBlocks: referenceKernels.gatherBlocks,
      gemmColumns: (transB, M, N, K, alpha, A, lda, offA, source, scratch, beta, C, ldc, offC) => {
        const width = source.samples * source.geo.outH * source.geo.outW;
        referenceKernels.im2col(source.image, source.offset, source.geo, scratch, 0, width, source.samples, source.sampleStride);
        wasm.gemm(false, transB, M, N, K, alpha, A, lda, offA, scratch, width, 0, beta, C, ldc, offC);
      },
      gemmIntoImages: (transA, transB, M, N, K, A, lda, offA, B, ldb, offB, sink, scratch) => {
        wasm.gemm(transA, transB, M, N, K, 1, A, lda, offA, B, ldb, offB, 0, scratch, N, 0);
        referenceKernels.col2im(scratch, sink.geo, sink.image, sink.offset, 0, N, sink.samples, sink.sampleStride);
      },
    };
    const p = parseParams(convolutionOp.params, { kernel: '(3, 3)', num_filter: '6', pad: '(1, 1)' }, { op: 'Convolution' });
    const tensor = (shape: number[], data: Float32Array): Tensor => ({ shape, data });
    const x = tensor([5, 3, 9, 11], values(5 * 3 * 9 * 11, 1));
    const w = tensor([6, 3, 3, 3], values(6 * 3 * 9, 2));
    const b = tensor([6], values(6, 3));
    const run = (kernels: Kernels) => {
      const shapes = [x.shape, w.shape, b.shape];
      const ctx = { isTrain: true, kernels, workspace: new Float32Array(convolutionOp.workspace!(p, shapes)), state: convolutionOp.createState!(p, shapes) };
      const out = tensor([5, 6, 9, 11], new Float32Array(5 * 6 * 9 * 11));
      convolutionOp.forward(p, [x, w, b], [out], ['write'], ctx);
      const head = tensor(out.shape as number[], values(out.data.length, 4));
      const grads = [x, w, b].map((t) => tensor(t.shape as number[], new Float32Array(t.data.length)));
      convolutionOp.backward!.compute(p, { inputs: [x, w, b], outputs: [out], outGrads: [head] }, grads, ['write', 'write', 'write'], ctx);
      return [out.data, ...grads.map((g) => g.data)];
    };
    const fast = run(wasm);
    const slow = run(withReferenceSpatial);
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

  test.each(CASES)('data %j, %j: forward and backward bits match the reference backend', (shape, params) => {
    const size = shape.reduce((a, b) => a * b, 1);
    expect(size).toBeGreaterThanOrEqual(MIN_SPATIAL_WORK);
    const data = new mx.NDArray(values(size, size, true), shape);
    const run = (backend: 'wasm' | 'reference') => {
      const net = mx.sym.Pooling(mx.sym.Variable('data'), { pool_type: 'max', ...params, name: 'pool' });
      const exec = net.simpleBind(mx.cpu(), { shapes: { data: shape }, gradReq: 'write', backend });
      exec.argDict['data']!.set(data);
      exec.forward(true);
      const head = new mx.NDArray(values(exec.outputs[0]!.size, 7, true), exec.outputs[0]!.shape);
      exec.backward([head]);
      const previous = mx.getBackend();
      mx.setBackend(backend);
      try {
        const added = mx.nd.Pooling(data, { pool_type: 'max', ...params });
        return { out: exec.outputs[0]!.data.slice(), grad: exec.gradDict['data']!.data.slice(), added: added.data };
      } finally {
        mx.setBackend(previous);
      }
    };
    const fast = run('wasm');
    const slow = run('reference');
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
