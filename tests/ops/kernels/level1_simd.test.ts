/**
 * The level-1 WebAssembly kernels (relu, activation gradients, axpby, row bias, column sums,
 * same-shape arithmetic, BatchNorm's channel sums and affine map), through the wasm backend's
 * kernel table, against their definitions: every one of them is exact in float32 (column sums
 * round a float64 sum once), so results must equal the definition bit for bit, at lengths below,
 * at and above the SIMD width, the call threshold and the chunk size, with 'write' and 'add',
 * aliasing, signed zeros, NaN and infinities; the reference backend's kernels must give the same
 * bits (where the reference computes in float64, as the tanh and sigmoid gradients and
 * accumulating arithmetic, within a stated tolerance); and the committed bytes must be the
 * compilation of level1.wat.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileWat, WASM_DIR } from '../../../scripts/build_wasm';
import type { Kernels } from '../../../src/backend/backend';
import { referenceKernels } from '../../../src/backend/reference/index';
import { decodeBase64 } from '../../../src/backend/wasm/base64';
import { SCALAR_CODES, type Arithmetic, type GradActivation } from '../../../src/backend/wasm/codes';
import { WASM_BASE64 } from '../../../src/backend/wasm/generated/level1_wasm';
import { wasmBackend } from '../../../src/backend/wasm/index';
import { rowDotsInto } from '../../../src/backend/wasm/level1_simd';
import { LEVEL1_CHUNK_FLOATS as CHUNK, LEVEL1_MIN_LENGTH as MIN_LEVEL1_LENGTH } from '../../../src/backend/wasm/tuning';

const wasm = wasmBackend.kernels;

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

const SPECIALS = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 3.4e38, -3.4e38];

/** Uniform values in [-4, 4) with the special values sprinkled in. */
function values(count: number, seed: number): Float32Array {
  const rand = seeded(seed);
  const out = Float32Array.from({ length: count }, () => rand() * 8 - 4);
  for (let i = 0; i < count; i += 37) out[i] = SPECIALS[(i / 37) % SPECIALS.length]!;
  return out;
}

/** Same bits (so NaN equals NaN and 0 differs from -0). */
function expectSameBits(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < a.length; i++) {
    // Any NaN payload is a NaN.
    if (Number.isNaN(expected[i]!) && Number.isNaN(actual[i]!)) continue;
    if (a[i] !== e[i]) throw new Error(`element ${i}: ${actual[i]} (0x${a[i]!.toString(16)}), expected ${expected[i]} (0x${e[i]!.toString(16)})`);
  }
}

const LENGTHS = [1, 3, 4, 7, MIN_LEVEL1_LENGTH - 1, MIN_LEVEL1_LENGTH, MIN_LEVEL1_LENGTH + 5, 1001, CHUNK - 1, CHUNK, CHUNK + 5, 2 * CHUNK + 7];

/** Runs `body` with the wasm backend's kernels, then with the reference backend's, expecting both to pass. */
function bothBackends(body: (k: Kernels) => void): void {
  body(wasm);
  body(referenceKernels);
}

/** Largest |actual - expected| / max(|expected|, 1) over finite expected values; NaN and infinities must match. */
function worstRelative(actual: Float32Array, expected: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i]!;
    if (!Number.isFinite(e)) {
      if (!Object.is(actual[i], e) && !(Number.isNaN(e) && Number.isNaN(actual[i]!))) throw new Error(`element ${i}: ${actual[i]}, expected ${e}`);
      continue;
    }
    worst = Math.max(worst, Math.abs(actual[i]! - e) / Math.max(Math.abs(e), 1));
  }
  return worst;
}

const f = Math.fround;

describe('relu', () => {
  test.each(LENGTHS)('n = %i, write, add and in place', (n) => bothBackends((k) => {
    const x = values(n, n);
    const expected = x.map((v) => (v > 0 ? v : 0));
    const out = new Float32Array(n).fill(NaN);
    k.unaryMap('relu', x, out, 'write');
    expectSameBits(out, expected);

    const base = values(n, n + 1);
    const acc = base.slice();
    k.unaryMap('relu', x, acc, 'add');
    expectSameBits(acc, base.map((b, i) => f(b + expected[i]!)));

    const inPlace = x.slice();
    k.unaryMap('relu', inPlace, inPlace, 'write');
    expectSameBits(inPlace, expected);
  }));

  test("-0 and NaN give +0; req 'null' leaves the output alone", () => bothBackends((k) => {
    const x = new Float32Array(MIN_LEVEL1_LENGTH * 2).fill(-0);
    x[5] = NaN;
    const out = new Float32Array(x.length).fill(7);
    k.unaryMap('relu', x, out, 'write');
    expect(out.every((v) => Object.is(v, 0))).toBe(true);
    k.unaryMap('relu', x, out.fill(7), 'null');
    expect(out.every((v) => v === 7)).toBe(true);
  }));
});

describe('activation gradients', () => {
  // f'(v) in float32 steps: v is the input for relu, the output for tanh and sigmoid.
  const DERIVATIVES = {
    relu: (v: number) => (v > 0 ? 1 : 0),
    tanh: (v: number) => f(1 - f(v * v)),
    sigmoid: (v: number) => f(v * f(1 - v)),
  } as const;
  const CASES = (Object.keys(DERIVATIVES) as GradActivation[]).flatMap((act) => LENGTHS.map((n) => [act, n] as const));

  test.each(CASES)('%s, n = %i: g * f\'(v) in float32 steps, write and add; the reference within 2 ulp', (act, n) => {
    const v = act === 'relu' ? values(n, 2 * n) : values(n, 2 * n).map((x) => Math.tanh(x));
    const g = values(n, 2 * n + 1);
    const expected = g.map((gi, i) => gi * DERIVATIVES[act](v[i]!));
    const dx = new Float32Array(n).fill(NaN);
    // v is the input (relu) or the output (tanh, sigmoid): passed as both.
    wasm.unaryGrad(act, v, v, g, dx, 'write');
    expectSameBits(dx, expected);

    const base = values(n, 3 * n);
    const acc = base.slice();
    wasm.unaryGrad(act, v, v, g, acc, 'add');
    expectSameBits(acc, base.map((b, i) => f(b + expected[i]!)));

    // The reference computes f' in float64 and rounds once: relu exactly, the others within 2 ulp.
    const reference = new Float32Array(n).fill(NaN);
    referenceKernels.unaryGrad(act, v, v, g, reference, 'write');
    if (act === 'relu') expectSameBits(reference, expected);
    else expect(worstRelative(reference, expected)).toBeLessThanOrEqual(2 ** -22);
  });

  test('a NaN or infinite head gradient stays NaN where relu is flat (a product, as MXNet)', () => bothBackends((k) => {
    const n = MIN_LEVEL1_LENGTH * 2;
    const x = new Float32Array(n).fill(-1);
    const g = new Float32Array(n).fill(Infinity);
    g[3] = NaN;
    const dx = new Float32Array(n);
    k.unaryGrad('relu', x, x, g, dx, 'write');
    expect(dx.every((v) => Number.isNaN(v))).toBe(true);
  }));
});

describe('axpby', () => {
  test.each(LENGTHS)('n = %i: y = a*x + b*y in float32 arithmetic', (n) => bothBackends((k) => {
    const x = values(n, 4 * n);
    const y0 = values(n, 4 * n + 1);
    const [a, b] = [-0.0007812500186264515, 0.9999];
    const y = y0.slice();
    k.axpby(a, x, b, y);
    expectSameBits(y, y0.map((v, i) => f(f(f(a) * x[i]!) + f(f(b) * v))));
  }));

  test('x and y may be the same array', () => bothBackends((k) => {
    const y0 = values(CHUNK + 3, 9);
    const y = y0.slice();
    k.axpby(2, y, -0.5, y);
    expectSameBits(y, y0.map((v) => f(f(2 * v) + f(-0.5 * v))));
  }));
});

describe('row bias and column sums', () => {
  const SHAPES: [number, number][] = [[1, 1], [3, 5], [128, 10], [128, 512], [7, 13], [40, 1001], [3, CHUNK + 3], [2 * CHUNK + 1, 1]];

  test.each(SHAPES)('%i x %i: out[r, j] += bias[j]', (rows, cols) => bothBackends((k) => {
    const out0 = values(rows * cols, rows + cols);
    const bias = values(cols, rows * cols);
    const out = out0.slice();
    k.addBiasRows(out, rows, cols, bias);
    expectSameBits(out, out0.map((v, i) => f(v + bias[i % cols]!)));
  }));

  test.each(SHAPES)('%i x %i: column sums in float64, rounded once, write and add', (rows, cols) => bothBackends((k) => {
    const src = values(rows * cols, 5 * rows + cols).map((v) => (Number.isFinite(v) ? v : 1));
    const sums = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) sums[j]! += src[r * cols + j]!;
    const out = new Float32Array(cols).fill(NaN);
    k.columnSums(src, rows, cols, out, 'write');
    expectSameBits(out, Float32Array.from(sums));

    const base = values(cols, 11).map((v) => (Number.isFinite(v) ? v : 2));
    const acc = base.slice();
    k.columnSums(src, rows, cols, acc, 'add');
    expectSameBits(acc, base.map((b, j) => b + sums[j]!));
  }));

  test('column sums keep what float32 accumulation would lose', () => bothBackends((k) => {
    // 1 followed by 2^24 - 1 rows of 1 would stall at 2^24 in float32; 100 rows of 2^-24 after
    // a 1 add up to 1 + 100 * 2^-24 only when summed wider.
    const rows = 101;
    const src = new Float32Array(rows * 2).fill(2 ** -24);
    src[0] = 1;
    src[1] = 1;
    const out = new Float32Array(2);
    k.columnSums(src, rows, 2, out, 'write');
    expect(out[0]).toBe(f(1 + 100 * 2 ** -24));
  }));
});

describe('same-shape arithmetic', () => {
  const OPS = Object.keys(SCALAR_CODES.arithmetic) as Arithmetic[];
  const apply = (op: Arithmetic, x: number, y: number) => (op === 'add' ? x + y : op === 'sub' ? x - y : op === 'mul' ? x * y : x / y);
  const CASES = OPS.flatMap((op) => [3, MIN_LEVEL1_LENGTH + 1, CHUNK + 7].map((n) => [op, n] as const));

  test.each(CASES)('%s, n = %i: write, add, and the output aliasing an input; the reference alike (add: within its roundings)', (op, n) => {
    const a = values(n, n + 11);
    const b = values(n, n + 12);
    const expected = a.map((x, i) => apply(op, x, b[i]!));
    const out = new Float32Array(n).fill(NaN);
    wasm.binaryMap(op, a, b, out, 'write');
    expectSameBits(out, expected);
    const base = values(n, n + 13);
    const acc = base.slice();
    wasm.binaryMap(op, a, b, acc, 'add');
    const accumulated = base.map((v, i) => f(v + expected[i]!));
    expectSameBits(acc, accumulated);
    const alias = a.slice();
    wasm.binaryMap(op, alias, b, alias, 'write');
    expectSameBits(alias, expected);

    // The reference rounds a op b once ('write': the same bits) but accumulates it unrounded.
    const reference = new Float32Array(n).fill(NaN);
    referenceKernels.binaryMap(op, a, b, reference, 'write');
    expectSameBits(reference, expected);
    const referenceAcc = base.slice();
    referenceKernels.binaryMap(op, a, b, referenceAcc, 'add');
    // Off by at most the rounding of a op b (2^-24 of it) and of the sum (2^-24 of it, twice).
    for (let i = 0; i < n; i++) {
      const [got, want] = [referenceAcc[i]!, accumulated[i]!];
      const ok = Number.isFinite(want) ? Math.abs(got - want) <= 2 ** -24 * Math.abs(expected[i]!) + 2 ** -23 * Math.abs(want) + 2 ** -149 : Object.is(got, want);
      if (!ok) throw new Error(`element ${i}: reference ${got}, expected ${want}`);
    }
  });
});

describe('per-channel sums and normalization (BatchNorm)', () => {
  const LAYOUTS: [number, number, number][] = [[2, 3, 5], [4, 16, 49], [1, 64, 3136], [8, 7, 1], [3, 1, 1000]];

  test.each(LAYOUTS)('outer %i, %i channels, inner %i: the float64 formulas, bit for bit', (outer, n, inner) => bothBackends((k) => {
    const view = { outer, n, inner };
    const x = values(outer * n * inner, outer + n + inner).map((v) => (Number.isFinite(v) ? v : 0.5));
    const at = (o: number, c: number, k: number) => (o * n + c) * inner + k;
    const sums = new Float64Array(n);
    k.channelSums(x, view, null, sums);
    const means = new Float64Array(n);
    const squares = new Float64Array(n);
    for (let c = 0; c < n; c++) {
      let sum = 0;
      for (let o = 0; o < outer; o++) for (let k = 0; k < inner; k++) sum += x[at(o, c, k)]!;
      expect(sums[c]).toBe(sum);
      means[c] = sum / (outer * inner);
      let sq = 0;
      for (let o = 0; o < outer; o++) for (let k = 0; k < inner; k++) sq += (x[at(o, c, k)]! - means[c]!) * (x[at(o, c, k)]! - means[c]!);
      squares[c] = sq;
    }
    const centered = new Float64Array(n);
    k.channelSums(x, view, means, centered);
    expect(Array.from(centered)).toEqual(Array.from(squares));

    const scale = Float64Array.from({ length: n }, (_, c) => 1 / Math.sqrt(squares[c]! / (outer * inner) + 1e-3));
    const shift = Float64Array.from({ length: n }, (_, c) => c / 7 - 0.5);
    const expected = x.map((v, i) => {
      const c = Math.floor(i / inner) % n;
      return (v - means[c]!) * scale[c]! + shift[c]!;
    });
    const out = new Float32Array(x.length).fill(NaN);
    k.channelAffine(x, out, view, means, scale, shift, 'write');
    expectSameBits(out, expected);
    const base = values(x.length, 99);
    const acc = base.slice();
    k.channelAffine(x, acc, view, means, scale, shift, 'add');
    expectSameBits(acc, base.map((v, i) => {
      const c = Math.floor(i / inner) % n;
      return v + ((x[i]! - means[c]!) * scale[c]! + shift[c]!);
    }));
  }));
});

describe('row dot products (batch-1 FullyConnected)', () => {
  // float32 sums of k products: error grows like sqrt(k) ulps of the magnitudes summed.
  const close = (got: number, want: number, k: number, scale: number) => Math.abs(got - want) <= 1e-6 * Math.sqrt(k) * scale + 1e-6 * Math.abs(want);

  test.each([[1, 4096], [11586 / 2, 2048], [300, 63], [70000, 1], [7, 777]])('%i rows of %i: alpha * W x + beta * y against float64', (n, k) => {
    const rand = seeded(n + k);
    const ldw = k + 3; // strided rows
    const W = Float32Array.from({ length: 5 + n * ldw }, () => rand() * 2 - 1);
    const x = Float32Array.from({ length: 2 + k }, () => rand() * 2 - 1);
    for (const [alpha, beta] of [[1, 0], [0.5, 1], [-2, 0.25]] as const) {
      const y0 = Float32Array.from({ length: 1 + 2 * n }, () => rand());
      const y = y0.slice();
      expect(rowDotsInto(n, k, alpha, W, ldw, 5, x, 2, beta, y, 1, 2)).toBe(true);
      for (let j = 0; j < n; j += Math.max(1, Math.floor(n / 500))) {
        let dot = 0;
        let scale = 0;
        for (let i = 0; i < k; i++) {
          dot += W[5 + j * ldw + i]! * x[2 + i]!;
          scale += Math.abs(W[5 + j * ldw + i]! * x[2 + i]!);
        }
        const want = alpha * dot + beta * y0[1 + 2 * j]!;
        if (!close(y[1 + 2 * j]!, want, k, Math.abs(alpha) * scale + 1)) throw new Error(`row ${j}: ${y[1 + 2 * j]} vs ${want}`);
        expect(y[2 + 2 * j]).toBe(y0[2 + 2 * j]); // between the strided outputs: untouched
      }
    }
  });

  test('gemm takes it for one row times a transposed B, and agrees with the reference loops', () => {
    const rand = seeded(5);
    const [N, K] = [1000, 300];
    const A = Float32Array.from({ length: K }, () => rand() - 0.5);
    const B = Float32Array.from({ length: N * K }, () => rand() - 0.5);
    const fast = new Float32Array(N);
    const slow = new Float32Array(N);
    wasm.gemm(false, true, 1, N, K, 1, A, K, 0, B, K, 0, 0, fast, N, 0);
    referenceKernels.gemm(false, true, 1, N, K, 1, A, K, 0, B, K, 0, 0, slow, N, 0);
    for (let j = 0; j < N; j++) expect(Math.abs(fast[j]! - slow[j]!)).toBeLessThanOrEqual(2e-6 * Math.sqrt(K));
  });

  test('declines rows longer than a staging chunk, and products below the call threshold', () => {
    expect(rowDotsInto(2, CHUNK + 1, 1, new Float32Array(2 * (CHUNK + 1)), CHUNK + 1, 0, new Float32Array(CHUNK + 1), 0, 0, new Float32Array(2), 0, 1)).toBe(false);
    expect(7 * 9).toBeLessThan(MIN_LEVEL1_LENGTH);
    expect(rowDotsInto(7, 9, 1, new Float32Array(63), 9, 0, new Float32Array(9), 0, 0, new Float32Array(7), 0, 1)).toBe(false);
  });
});

test('the committed module is the compilation of level1.wat', async () => {
  const bytes = await compileWat('level1.wat', readFileSync(join(WASM_DIR, 'level1.wat'), 'utf8'));
  expect(Buffer.from(bytes).equals(Buffer.from(decodeBase64(WASM_BASE64)))).toBe(true);
});
