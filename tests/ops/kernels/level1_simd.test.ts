/**
 * The level-1 WebAssembly kernels (relu, activation gradients, axpby, row bias, column sums) against
 * their definitions: every one of them is exact in float32 (column sums round a float64 sum once),
 * so results must equal the reference bit for bit, at lengths below, at and above the SIMD width,
 * the call threshold and the chunk size, with 'write' and 'add', aliasing, signed zeros, NaN and
 * infinities; the plain fallback must give the same bits; and the committed bytes must be the
 * compilation of level1.wat.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileWat, WASM_DIR } from '../../../scripts/build_wasm';
import { decodeBase64 } from '../../../src/backend/wasm/base64';
import {
  activationGradInto, addBiasRows, ARITHMETIC, Arithmetic, axpby, binaryInto, channelAffine, channelSums, CHUNK, columnSums,
  disableLevel1SimdForTesting, GradActivation, MIN_LEVEL1_LENGTH, reluInto, rowDotsInto,
} from '../../../src/backend/wasm/level1_simd';
import { WASM_BASE64 } from '../../../src/backend/wasm/level1_wasm';
import { gemm } from '../../../src/backend/wasm/gemm';
import { gemm as gemmReference } from '../../../src/backend/reference/gemm';

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

/** Runs `body` with the SIMD kernels, then with the plain loops, expecting both to pass. */
function bothPaths(body: () => void): void {
  body();
  disableLevel1SimdForTesting(true);
  try {
    body();
  } finally {
    disableLevel1SimdForTesting(false);
  }
}

const f = Math.fround;

describe('relu', () => {
  test.each(LENGTHS)('n = %i, write, add and in place', (n) => bothPaths(() => {
    const x = values(n, n);
    const expected = x.map((v) => (v > 0 ? v : 0));
    const out = new Float32Array(n).fill(NaN);
    reluInto(x, out, 'write');
    expectSameBits(out, expected);

    const base = values(n, n + 1);
    const acc = base.slice();
    reluInto(x, acc, 'add');
    expectSameBits(acc, base.map((b, i) => f(b + expected[i]!)));

    const inPlace = x.slice();
    reluInto(inPlace, inPlace, 'write');
    expectSameBits(inPlace, expected);
  }));

  test("-0 and NaN give +0; req 'null' leaves the output alone", () => bothPaths(() => {
    const x = new Float32Array(MIN_LEVEL1_LENGTH * 2).fill(-0);
    x[5] = NaN;
    const out = new Float32Array(x.length).fill(7);
    reluInto(x, out, 'write');
    expect(out.every((v) => Object.is(v, 0))).toBe(true);
    reluInto(x, out.fill(7), 'null');
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

  test.each(CASES)('%s, n = %i: g * f\'(v), write and add', (act, n) => bothPaths(() => {
    const v = act === 'relu' ? values(n, 2 * n) : values(n, 2 * n).map((x) => Math.tanh(x));
    const g = values(n, 2 * n + 1);
    const expected = g.map((gi, i) => gi * DERIVATIVES[act](v[i]!));
    const dx = new Float32Array(n).fill(NaN);
    activationGradInto(act, v, g, dx, 'write');
    expectSameBits(dx, expected);

    const base = values(n, 3 * n);
    const acc = base.slice();
    activationGradInto(act, v, g, acc, 'add');
    expectSameBits(acc, base.map((b, i) => f(b + expected[i]!)));
  }));

  test('a NaN or infinite head gradient stays NaN where relu is flat (a product, as MXNet)', () => bothPaths(() => {
    const n = MIN_LEVEL1_LENGTH * 2;
    const x = new Float32Array(n).fill(-1);
    const g = new Float32Array(n).fill(Infinity);
    g[3] = NaN;
    const dx = new Float32Array(n);
    activationGradInto('relu', x, g, dx, 'write');
    expect(dx.every((v) => Number.isNaN(v))).toBe(true);
  }));
});

describe('axpby', () => {
  test.each(LENGTHS)('n = %i: y = a*x + b*y in float32 arithmetic', (n) => bothPaths(() => {
    const x = values(n, 4 * n);
    const y0 = values(n, 4 * n + 1);
    const [a, b] = [-0.0007812500186264515, 0.9999];
    const y = y0.slice();
    axpby(a, x, b, y);
    expectSameBits(y, y0.map((v, i) => f(f(f(a) * x[i]!) + f(f(b) * v))));
  }));

  test('x and y may be the same array', () => bothPaths(() => {
    const y0 = values(CHUNK + 3, 9);
    const y = y0.slice();
    axpby(2, y, -0.5, y);
    expectSameBits(y, y0.map((v) => f(f(2 * v) + f(-0.5 * v))));
  }));
});

describe('row bias and column sums', () => {
  const SHAPES: [number, number][] = [[1, 1], [3, 5], [128, 10], [128, 512], [7, 13], [40, 1001], [3, CHUNK + 3], [2 * CHUNK + 1, 1]];

  test.each(SHAPES)('%i x %i: out[r, j] += bias[j]', (rows, cols) => bothPaths(() => {
    const out0 = values(rows * cols, rows + cols);
    const bias = values(cols, rows * cols);
    const out = out0.slice();
    addBiasRows(out, rows, cols, bias);
    expectSameBits(out, out0.map((v, i) => f(v + bias[i % cols]!)));
  }));

  test.each(SHAPES)('%i x %i: column sums in float64, rounded once, write and add', (rows, cols) => bothPaths(() => {
    const src = values(rows * cols, 5 * rows + cols).map((v) => (Number.isFinite(v) ? v : 1));
    const sums = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) sums[j]! += src[r * cols + j]!;
    const out = new Float32Array(cols).fill(NaN);
    columnSums(src, rows, cols, out, 'write');
    expectSameBits(out, Float32Array.from(sums));

    const base = values(cols, 11).map((v) => (Number.isFinite(v) ? v : 2));
    const acc = base.slice();
    columnSums(src, rows, cols, acc, 'add');
    expectSameBits(acc, base.map((b, j) => b + sums[j]!));
  }));

  test('column sums keep what float32 accumulation would lose', () => {
    // 1 followed by 2^24 - 1 rows of 1 would stall at 2^24 in float32; 100 rows of 2^-24 after
    // a 1 add up to 1 + 100 * 2^-24 only when summed wider.
    const rows = 101;
    const src = new Float32Array(rows * 2).fill(2 ** -24);
    src[0] = 1;
    src[1] = 1;
    const out = new Float32Array(2);
    columnSums(src, rows, 2, out, 'write');
    expect(out[0]).toBe(f(1 + 100 * 2 ** -24));
  });
});

describe('same-shape arithmetic', () => {
  const OPS = Object.keys(ARITHMETIC) as Arithmetic[];
  const apply = (op: Arithmetic, x: number, y: number) => (op === 'add' ? x + y : op === 'sub' ? x - y : op === 'mul' ? x * y : x / y);
  const CASES = OPS.flatMap((op) => [3, MIN_LEVEL1_LENGTH + 1, CHUNK + 7].map((n) => [op, n] as const));

  test.each(CASES)('%s, n = %i: write, add, and the output aliasing an input', (op, n) => bothPaths(() => {
    const a = values(n, n + 11);
    const b = values(n, n + 12);
    const expected = a.map((x, i) => apply(op, x, b[i]!));
    const out = new Float32Array(n).fill(NaN);
    binaryInto(op, a, b, out, 'write');
    expectSameBits(out, expected);
    const base = values(n, n + 13);
    const acc = base.slice();
    binaryInto(op, a, b, acc, 'add');
    expectSameBits(acc, base.map((v, i) => f(v + expected[i]!)));
    const alias = a.slice();
    binaryInto(op, alias, b, alias, 'write');
    expectSameBits(alias, expected);
  }));
});

describe('per-channel sums and normalization (BatchNorm)', () => {
  const LAYOUTS: [number, number, number][] = [[2, 3, 5], [4, 16, 49], [1, 64, 3136], [8, 7, 1], [3, 1, 1000]];

  test.each(LAYOUTS)('outer %i, %i channels, inner %i: the float64 formulas, bit for bit', (outer, n, inner) => bothPaths(() => {
    const view = { outer, n, inner };
    const x = values(outer * n * inner, outer + n + inner).map((v) => (Number.isFinite(v) ? v : 0.5));
    const at = (o: number, c: number, k: number) => (o * n + c) * inner + k;
    const sums = new Float64Array(n);
    channelSums(x, view, null, sums);
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
    channelSums(x, view, means, centered);
    expect(Array.from(centered)).toEqual(Array.from(squares));

    const scale = Float64Array.from({ length: n }, (_, c) => 1 / Math.sqrt(squares[c]! / (outer * inner) + 1e-3));
    const shift = Float64Array.from({ length: n }, (_, c) => c / 7 - 0.5);
    const expected = x.map((v, i) => {
      const c = Math.floor(i / inner) % n;
      return (v - means[c]!) * scale[c]! + shift[c]!;
    });
    const out = new Float32Array(x.length).fill(NaN);
    channelAffine(x, out, view, means, scale, shift, 'write');
    expectSameBits(out, expected);
    const base = values(x.length, 99);
    const acc = base.slice();
    channelAffine(x, acc, view, means, scale, shift, 'add');
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
    gemm(false, true, 1, N, K, 1, A, K, 0, B, K, 0, 0, fast, N, 0);
    gemmReference(false, true, 1, N, K, 1, A, K, 0, B, K, 0, 0, slow, N, 0);
    for (let j = 0; j < N; j++) expect(Math.abs(fast[j]! - slow[j]!)).toBeLessThanOrEqual(2e-6 * Math.sqrt(K));
  });

  test('declines rows longer than a staging chunk, and hosts without WebAssembly', () => {
    expect(rowDotsInto(2, CHUNK + 1, 1, new Float32Array(2 * (CHUNK + 1)), CHUNK + 1, 0, new Float32Array(CHUNK + 1), 0, 0, new Float32Array(2), 0, 1)).toBe(false);
    disableLevel1SimdForTesting(true);
    try {
      expect(rowDotsInto(100, 100, 1, new Float32Array(10000), 100, 0, new Float32Array(100), 0, 0, new Float32Array(100), 0, 1)).toBe(false);
    } finally {
      disableLevel1SimdForTesting(false);
    }
  });
});

test('the committed module is the compilation of level1.wat', async () => {
  const bytes = await compileWat('level1.wat', readFileSync(join(WASM_DIR, 'level1.wat'), 'utf8'));
  expect(Buffer.from(bytes).equals(Buffer.from(decodeBase64(WASM_BASE64)))).toBe(true);
});
