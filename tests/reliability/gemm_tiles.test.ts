/**
 * Products whose operands do not fit the GEMM heap run in tiles (blocks of rows of op(A) and
 * columns of op(B)) instead of failing with the engine's RangeError: with the staging bound
 * lowered through gemmStaged's explicit parameter, every transpose, stride, offset and alpha/beta
 * gives bit for bit the untiled product (each element is one dot product over the whole of K, in
 * the kernel's order), and agrees with the reference kernel within float32 rounding. One product
 * just over the pool's real 1 GiB heap runs in a child process (it needs about 3 GiB).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ResourceError } from '../../src/base/errors';
import { referenceKernels } from '../../src/backend/reference/index';
import { gemmSimd, gemmStaged } from '../../src/backend/wasm/gemm_simd';
import { StagingHeap } from '../../src/backend/wasm/staging';
import { STAGING_KEEP_FLOATS } from '../../src/backend/wasm/tuning';
import { loadWasmWith } from '../helpers/isolated_wasm';

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
}

interface Case { M: number; N: number; K: number; transA: boolean; transB: boolean; alpha: number; beta: number; pad: number }

function operands(c: Case, seed: number) {
  const rnd = seeded(seed);
  const lda = (c.transA ? c.M : c.K) + c.pad;
  const ldb = (c.transB ? c.K : c.N) + c.pad;
  const ldc = c.N + c.pad;
  const fill = (n: number) => Float32Array.from({ length: n }, rnd);
  return { lda, ldb, ldc, A: fill(3 + (c.transA ? c.K : c.M) * lda), B: fill(5 + (c.transB ? c.N : c.K) * ldb), C: fill(7 + c.M * ldc) };
}

const cases: Case[] = [
  { M: 37, N: 45, K: 19, transA: false, transB: false, alpha: 1, beta: 0, pad: 0 },
  { M: 64, N: 96, K: 33, transA: true, transB: false, alpha: 0.5, beta: 0, pad: 3 },
  { M: 29, N: 130, K: 70, transA: false, transB: true, alpha: 1, beta: 1, pad: 1 },
  { M: 101, N: 17, K: 8, transA: true, transB: true, alpha: -2, beta: 0.25, pad: 2 },
];
describe('GEMM in tiles when the heap is too small', () => {
  test.each(cases)('M=$M N=$N K=$K transA=$transA transB=$transB alpha=$alpha beta=$beta pad=$pad', (c) => {
    const { lda, ldb, ldc, A, B, C } = operands(c, c.M * 31 + c.N);
    const whole = C.slice();
    expect(gemmSimd(c.transA, c.transB, c.M, c.N, c.K, c.alpha, A, lda, 3, B, ldb, 5, c.beta, whole, ldc, 7)).toBe(true);
    const reference = C.slice();
    referenceKernels.gemm(c.transA, c.transB, c.M, c.N, c.K, c.alpha, A, lda, 3, B, ldb, 5, c.beta, reference, ldc, 7);
    // Bounds from "a quarter of the product" down to one 4 x 8 panel over the whole of K.
    const full = 5 * (c.M + 8) * (c.N + 8) + 2 * c.K * (c.M + c.N + 16);
    const smallest = 4 * c.K + c.K * 8 + 32 + 4 * c.K + c.K * 8;
    for (const bound of [Math.floor(full / 4), Math.floor(full / 16), smallest]) {
      const tiled = C.slice();
      expect(gemmStaged(c.transA, c.transB, c.M, c.N, c.K, c.alpha, A, lda, 3, B, ldb, 5, c.beta, tiled, ldc, 7, bound)).toBe(true);
      expect(tiled).toEqual(whole);
      for (let i = 0; i < tiled.length; i++) expect(Math.abs(tiled[i]! - reference[i]!)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(reference[i]!)) * c.K);
    }
  });

  test('a bound below one panel over K: nothing done, the caller runs the reference kernel', () => {
    const c = cases[0]!;
    const { lda, ldb, ldc, A, B, C } = operands(c, 1);
    const untouched = C.slice();
    expect(gemmStaged(c.transA, c.transB, c.M, c.N, c.K, 1, A, lda, 3, B, ldb, 5, 0, C, ldc, 7, 100)).toBe(false);
    expect(C).toEqual(untouched);
  });

  test('a heap that cannot grow gives a ResourceError, not the engine RangeError', () => {
    const heap = new StagingHeap(new WebAssembly.Memory({ initial: 1, maximum: 2 }));
    expect(() => heap.reserve(3 * 16384)).toThrow(ResourceError);
    expect(heap.reserve(2 * 16384).length).toBe(2 * 16384);
  });

  test('the single-thread heap does not keep the memory of one large product', () => {
    const { gemmSimd: single } = loadWasmWith({ MXTS_NUM_THREADS: '1' });
    const small = () => {
      const A = new Float32Array(64 * 64).fill(1);
      const C = new Float32Array(64 * 64);
      expect(single.gemmSimd(false, false, 64, 64, 64, 1, A, 64, 0, A, 64, 0, 0, C, 64, 0)).toBe(true);
      expect(C[0]).toBe(64);
    };
    small();
    const kept = single.gemmModule()!.memory;
    // M x N above the bound the heap may keep: staged, then the module (and its memory) let go.
    const M = 4104;
    const N = Math.ceil(STAGING_KEEP_FLOATS / M) + 8;
    const A = new Float32Array(M).fill(2);
    const B = new Float32Array(N).fill(3);
    const C = new Float32Array(M * N);
    expect(single.gemmSimd(false, false, M, N, 1, 1, A, 1, 0, B, N, 0, 0, C, N, 0)).toBe(true);
    expect(C[0]).toBe(6);
    expect(C[M * N - 1]).toBe(6);
    const after = single.gemmModule()!.memory;
    expect(after).not.toBe(kept);
    expect(after.buffer.byteLength).toBeLessThan(1 << 20);
    small();
    expect(single.gemmModule()!.memory.buffer.byteLength).toBeLessThan(1 << 20);
  });

  test('a product just over the 1 GiB worker heap runs (threads on) and matches the reference', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'gemm_over_cap.ts')], {
      env: { ...process.env, MXTS_NUM_THREADS: '2' },
      encoding: 'utf8',
    });
    const result = JSON.parse(out.trim().split('\n').pop()!) as { stagedBytes: number; capBytes: number; maxError: number; threads: number };
    expect(result.threads).toBe(2);
    expect(result.stagedBytes).toBeGreaterThan(result.capBytes);
    expect(result.maxError).toBeLessThan(1e-4);
  }, 180_000);
});
