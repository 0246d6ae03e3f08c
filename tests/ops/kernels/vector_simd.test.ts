/**
 * The WebAssembly SIMD element-wise kernels (exp, sigmoid, row softmax and log-softmax) against
 * float64 references on seeded inputs over the whole float32 range and at the edges (signed
 * zeros, infinities, NaN, the overflow and underflow limits, denormal results), odd lengths,
 * several chunks, rows of length 1, large magnitudes, through the wasm backend's kernel table;
 * the reference backend's kernels against the same references; and a check that the committed
 * wasm bytes are the compilation of vector.wat.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileWat, WASM_DIR } from '../../../scripts/build_wasm';
import type { Req } from '../../../src/base/req';
import { referenceKernels } from '../../../src/backend/reference/index';
import { decodeBase64 } from '../../../src/backend/wasm/base64';
import { WASM_BASE64 } from '../../../src/backend/wasm/generated/vector_wasm';
import { wasmBackend } from '../../../src/backend/wasm/index';
import { VECTOR_CHUNK_FLOATS as CHUNK, VECTOR_MIN_LENGTH as MIN_SIMD_LENGTH } from '../../../src/backend/wasm/tuning';
import { logSoftmaxRows, mapInto, softmaxRows, vectorModule } from '../../../src/backend/wasm/vector_simd';

/** The wasm backend's softmax: rows in SIMD where it can, the reference loops elsewhere. */
const { softmaxForward } = wasmBackend.kernels;

type Map = (x: Float32Array, out: Float32Array, req: Req) => void;
/** The wasm backend's exp, sigmoid and tanh kernels. */
const expInto: Map = (x, out, req) => wasmBackend.kernels.unaryMap('exp', x, out, req);
const sigmoidInto: Map = (x, out, req) => wasmBackend.kernels.unaryMap('sigmoid', x, out, req);
const tanhInto: Map = (x, out, req) => wasmBackend.kernels.unaryMap('tanh', x, out, req);

// Measured bounds (documented in vector.wat / vector_simd.ts); the tests assert them.
const EXP_BOUND = 1.0e-7;
const SIGMOID_BOUND = 2.0e-7;
const TANH_BOUND = 1.5e-7;
const SOFTMAX_BOUND = 2.0e-7;
const LOG_SOFTMAX_BOUND = 1.2e-7;
/** Relative error is measured against max(|reference|, 2^-126): denormal results count absolutely. */
const TINY = 2 ** -126;

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

/** Float32 values whose bit patterns are uniform: every sign, exponent (NaN, Infinity, denormals). */
function randomBits(count: number, seed: number): Float32Array {
  const rand = seeded(seed);
  const bits = Uint32Array.from({ length: count }, () => (rand() * 4294967296) >>> 0);
  return new Float32Array(bits.buffer);
}

function uniform(count: number, lo: number, hi: number, seed: number): Float32Array {
  const rand = seeded(seed);
  return Float32Array.from({ length: count }, () => lo + (hi - lo) * rand());
}

/** Every float32 from lo to hi (same sign), in order. */
function sweep(lo: number, hi: number): Float32Array {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  f[0] = lo;
  const a = u[0]!;
  f[0] = hi;
  const b = u[0]!;
  const bits = Uint32Array.from({ length: Math.abs(b - a) + 1 }, (_, i) => Math.min(a, b) + i);
  return new Float32Array(bits.buffer);
}

const EDGES = Float32Array.from([
  0, -0, Infinity, -Infinity, NaN, 1, -1, 1e-10, -1e-10, 1e-45, -1e-45, 1e-40, 3.4028234663852886e38, -3.4028234663852886e38,
  88, 88.7, 88.72, 88.7228, 88.72283, 88.72284, 88.8, 89, 90, -88.7, -88.72, -87.3, -87.34, -100, -103, -103.9, -103.97,
  -103.98, -104, -104.5, 104, -200, 200, 0.5, -0.5, 0.34657359, -0.34657359,
]);

const sigmoid64 = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/**
 * Largest relative error of `got` against the float64 reference. NaN must match NaN; where the
 * reference rounds to an infinity in float32, `got` must be that infinity.
 */
function worstError(x: Float32Array, got: Float32Array, reference: (v: number) => number): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const ref = reference(x[i]!);
    const g = got[i]!;
    if (Number.isNaN(ref)) {
      if (!Number.isNaN(g)) throw new Error(`f(${x[i]}) = ${g}, expected NaN`);
      continue;
    }
    if (!Number.isFinite(Math.fround(ref))) {
      if (g !== Math.fround(ref)) throw new Error(`f(${x[i]}) = ${g}, expected ${Math.fround(ref)}`);
      continue;
    }
    const err = Math.abs(g - ref) / Math.max(Math.abs(ref), TINY);
    if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : err;
  }
  return worst;
}

function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** float64 softmax / log-softmax of contiguous rows. */
function softmax64(x: Float32Array, rows: number, cols: number, log: boolean): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, x[r * cols + j]!);
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(x[r * cols + j]! - max);
    for (let j = 0; j < cols; j++) {
      const d = x[r * cols + j]! - max;
      out[r * cols + j] = log ? d - Math.log(sum) : Math.exp(d) / sum;
    }
  }
  return out;
}

/** Relative error of a softmax against float64, `floor` the smallest magnitude taken as relative. */
function softmaxError(got: Float32Array, ref: Float64Array, floor: number): number {
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(got[i]! - ref[i]!) / Math.max(Math.abs(ref[i]!), floor);
    if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : err;
  }
  return worst;
}

function runRows(x: Float32Array, rows: number, cols: number, log: boolean): Float32Array {
  const out = new Float32Array(rows * cols);
  expect((log ? logSoftmaxRows : softmaxRows)(x, out, rows, cols)).toBe(true);
  return out;
}

describe('WebAssembly SIMD element-wise kernels', () => {
  test('the module loads here (Node 20 has WebAssembly SIMD)', () => {
    expect(vectorModule()).not.toBeNull();
  });

  test('the committed module is the compilation of vector.wat', async () => {
    const bytes = await compileWat('vector.wat', readFileSync(join(WASM_DIR, 'vector.wat'), 'utf8'));
    expect(Array.from(decodeBase64(WASM_BASE64))).toEqual(Array.from(bytes));
  });

  describe('exp', () => {
    test(`relative error <= ${EXP_BOUND} over the whole float32 range, the edges and the limits`, () => {
      const x = concat(
        randomBits(100_003, 1), uniform(300_001, -104, 89, 2), uniform(50_001, -1, 1, 3), EDGES,
        sweep(88.70, 88.76), sweep(-103.90, -104.05), sweep(-87.30, -87.40),
      );
      const y = new Float32Array(x.length);
      expInto(x, y, 'write');
      expect(worstError(x, y, Math.exp)).toBeLessThanOrEqual(EXP_BOUND);
    });

    test('special values', () => {
      const x = Float32Array.from([0, -0, Infinity, -Infinity, NaN, 88.8, 89, 1000, -104, -1000, -100, -103.9]);
      const y = new Float32Array(MIN_SIMD_LENGTH + x.length);
      expInto(concat(x, new Float32Array(MIN_SIMD_LENGTH)), y, 'write');
      expect(Array.from(y.subarray(0, 9))).toEqual([1, 1, Infinity, 0, NaN, Infinity, Infinity, Infinity, 0]);
      expect(y[9]).toBe(0);
      // denormal results: exp(-100) = 3.72e-44, exp(-103.9) = 7.5e-46 rounds to 2^-149
      expect(y[10]).toBe(Math.fround(Math.exp(-100)));
      expect(y[11]).toBe(2 ** -149);
    });

    test("req 'add' accumulates, 'null' does nothing, and x may be the output", () => {
      const x = uniform(1001, -5, 5, 4);
      const out = uniform(1001, -1, 1, 5);
      const before = out.slice();
      expInto(x, out, 'add');
      for (let i = 0; i < x.length; i++) expect(out[i]).toBeCloseTo(before[i]! + Math.exp(x[i]!), 4);
      const kept = out.slice();
      expInto(x, out, 'null');
      expect(out).toEqual(kept);
      const inPlace = x.slice();
      expInto(inPlace, inPlace, 'write');
      const separate = new Float32Array(x.length);
      expInto(x, separate, 'write');
      expect(inPlace).toEqual(separate);
    });
  });

  describe('tanh', () => {
    test(`relative error <= ${TANH_BOUND} over the whole float32 range, across the polynomial/exp split and near 0`, () => {
      const x = concat(
        randomBits(100_003, 21), uniform(300_001, -12, 12, 22), uniform(200_001, -0.8, 0.8, 23), EDGES,
        sweep(0.62, 0.63), sweep(-0.62, -0.63), sweep(1e-4, 1.2e-4), sweep(9, 9.01), sweep(19.99, 20.01),
      );
      const y = new Float32Array(x.length);
      tanhInto(x, y, 'write');
      expect(worstError(x, y, Math.tanh)).toBeLessThanOrEqual(TANH_BOUND);
    });

    test('special values: signed zeros, infinities, NaN, denormals, saturation', () => {
      const x = concat(Float32Array.from([0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-40, 20, -20, 3.4e38]), new Float32Array(MIN_SIMD_LENGTH));
      const y = new Float32Array(x.length);
      tanhInto(x, y, 'write');
      expect(Object.is(y[0], 0) && Object.is(y[1], -0)).toBe(true);
      expect(Array.from(y.subarray(2, 10))).toEqual([1, -1, NaN, Math.fround(1e-45), Math.fround(-1e-40), 1, -1, 1]);
    });

    test("req 'add' accumulates, x may be the output, and the reference kernel agrees", () => {
      const x = uniform(2 * CHUNK + 9, -3, 3, 24);
      const out = uniform(x.length, -1, 1, 25);
      const before = out.slice();
      tanhInto(x, out, 'add');
      for (let i = 0; i < x.length; i += 97) expect(out[i]).toBeCloseTo(before[i]! + Math.tanh(x[i]!), 6);
      const inPlace = x.slice();
      tanhInto(inPlace, inPlace, 'write');
      const separate = new Float32Array(x.length);
      tanhInto(x, separate, 'write');
      expect(inPlace).toEqual(separate);
      const plain = new Float32Array(x.length);
      referenceKernels.unaryMap('tanh', x, plain, 'write');
      expect(worstError(x, plain, Math.tanh)).toBeLessThanOrEqual(6e-8);
      for (let i = 0; i < x.length; i++) expect(Math.abs(plain[i]! - separate[i]!)).toBeLessThanOrEqual(2.5e-7 * Math.abs(plain[i]!));
    });
  });

  describe('sigmoid', () => {
    test(`relative error <= ${SIGMOID_BOUND} over the whole float32 range and the edges`, () => {
      const x = concat(
        randomBits(100_003, 11), uniform(300_001, -110, 110, 12), uniform(100_001, -4, 4, 13), EDGES,
        sweep(-87.30, -87.40), sweep(-103.90, -104.05),
      );
      const y = new Float32Array(x.length);
      sigmoidInto(x, y, 'write');
      expect(worstError(x, y, sigmoid64)).toBeLessThanOrEqual(SIGMOID_BOUND);
    });

    test('special values and tails', () => {
      const x = concat(Float32Array.from([0, -0, Infinity, -Infinity, NaN, 20, -20, 100, -100, -200]), new Float32Array(MIN_SIMD_LENGTH));
      const y = new Float32Array(x.length);
      sigmoidInto(x, y, 'write');
      expect(Array.from(y.subarray(0, 6))).toEqual([0.5, 0.5, 1, 0, NaN, Math.fround(sigmoid64(20))]);
      expect(y[6]).toBe(Math.fround(sigmoid64(-20)));
      expect(y[7]).toBe(1);
      expect(y[8]).toBe(Math.fround(Math.exp(-100))); // denormal, not flushed
      expect(y[9]).toBe(0);
    });

    test("req 'add' accumulates, 'null' does nothing, in place, and lengths that are not multiples of 4 or 8", () => {
      for (const n of [MIN_SIMD_LENGTH + 1, 37, 1003, CHUNK - 3, CHUNK + 5, 2 * CHUNK + 13]) {
        const x = uniform(n, -10, 10, n);
        const out = uniform(n, -1, 1, n + 1);
        const before = out.slice();
        sigmoidInto(x, out, 'add');
        let worst = 0;
        for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(out[i]! - (before[i]! + sigmoid64(x[i]!))));
        expect(worst).toBeLessThan(3e-7);
        const kept = out.slice();
        sigmoidInto(x, out, 'null');
        expect(out).toEqual(kept);
        const y = new Float32Array(n);
        sigmoidInto(x, y, 'write');
        expect(worstError(x, y, sigmoid64)).toBeLessThanOrEqual(SIGMOID_BOUND);
        sigmoidInto(x, x, 'write');
        expect(x).toEqual(y);
      }
    });
  });

  describe('softmax rows', () => {
    test.each([
      [100, 1, 3], [40, 2, 3], [30, 3, 3], [20, 4, 3], [17, 5, 3], [11, 7, 3], [9, 8, 3], [9, 9, 3], [7, 33, 3],
      [64, 1000, 3], [5, 1001, 3], [3, 1003, 30], [2, 20_001, 3], [300, 100, 30], [37, 61, 1000], [13, 129, 1e4],
    ])(`%i rows of %i, values up to %d: relative error <= ${SOFTMAX_BOUND} (log-softmax <= ${LOG_SOFTMAX_BOUND})`, (rows, cols, scale) => {
      const x = uniform(rows * cols, -scale, scale, rows * 7919 + cols);
      const sm = runRows(x, rows, cols, false);
      expect(softmaxError(sm, softmax64(x, rows, cols, false), TINY)).toBeLessThanOrEqual(SOFTMAX_BOUND);
      // Log-softmax entries near 0 are -log(1 + eps): float64 rounding of the sum alone is 1e-16
      // there, so below 1e-6 the error is taken relative to 1e-6.
      const lsm = runRows(x, rows, cols, true);
      expect(softmaxError(lsm, softmax64(x, rows, cols, true), 1e-6)).toBeLessThanOrEqual(LOG_SOFTMAX_BOUND);
      if (cols === 1) {
        expect(Array.from(sm)).toEqual(new Array(rows).fill(1));
        expect(Array.from(lsm)).toEqual(new Array(rows).fill(0));
      }
    });

    test('large magnitudes are stable: huge equal values share the mass, shifted rows give the same result', () => {
      const rows = 8;
      const cols = 13;
      const base = uniform(rows * cols, -5, 5, 99);
      const shifted = base.map((v) => v + 3e4);
      const a = runRows(base, rows, cols, false);
      const b = runRows(shifted, rows, cols, false);
      // x + 3e4 loses low bits of x in float32, so compare with the float64 softmax of the shifted input
      expect(softmaxError(b, softmax64(shifted, rows, cols, false), TINY)).toBeLessThanOrEqual(SOFTMAX_BOUND);
      expect(softmaxError(a, softmax64(base, rows, cols, false), TINY)).toBeLessThanOrEqual(SOFTMAX_BOUND);
      const huge = new Float32Array(4 * 16).fill(3e38);
      const out = runRows(huge, 4, 16, false);
      expect(Array.from(out)).toEqual(new Array(64).fill(1 / 16));
    });

    test('infinities and NaN match the reference loops (a NaN or +Infinity poisons its row)', () => {
      const cols = 9;
      const rows = 6;
      const x = uniform(rows * cols, -3, 3, 5);
      x[0 * cols + 4] = NaN;
      x[1 * cols + 8] = Infinity;
      x[2 * cols + 1] = -Infinity;
      x[2 * cols + 8] = -Infinity;
      for (let j = 0; j < cols; j++) x[3 * cols + j] = -Infinity;
      x[4 * cols + 0] = 1e30;
      for (const log of [false, true]) {
        const fast = runRows(x, rows, cols, log);
        const plain = new Float32Array(rows * cols);
        referenceKernels.softmaxForward(x, plain, { outer: rows, n: cols, inner: 1 }, 1, log, false);
        for (let i = 0; i < x.length; i++) {
          if (Number.isNaN(plain[i]!) || !Number.isFinite(plain[i]!) || plain[i] === 0) expect(fast[i]).toBe(plain[i]);
          else expect(Math.abs(fast[i]! - plain[i]!) / Math.abs(plain[i]!)).toBeLessThan(3e-7);
        }
      }
    });

    test('denormal softmax outputs are kept', () => {
      const x = new Float32Array(40).fill(0);
      x[1] = -100; // exp(-100) / 39 is denormal
      const out = runRows(x, 1, 40, false);
      const ref = Math.exp(-100) / 39;
      expect(Math.abs(out[1]! - ref) / TINY).toBeLessThan(1e-7);
      expect(out[1]).toBeGreaterThan(0);
    });
  });

  describe('dispatch and fallback', () => {
    test('the reference kernels (the fallback for small inputs) agree with the SIMD kernels', () => {
      const n = 4099;
      const x = uniform(n, -30, 30, 77);
      const fast = new Float32Array(n);
      const fastSm = new Float32Array(n);
      sigmoidInto(x, fast, 'write');
      softmaxForward(x, fastSm, { outer: 1, n, inner: 1 }, 1, false, false);
      const plain = new Float32Array(n);
      const plainSm = new Float32Array(n);
      referenceKernels.unaryMap('sigmoid', x, plain, 'write');
      referenceKernels.softmaxForward(x, plainSm, { outer: 1, n, inner: 1 }, 1, false, false);
      const plainExp = new Float32Array(n);
      referenceKernels.unaryMap('exp', x, plainExp, 'write');
      for (let i = 0; i < n; i++) {
        expect(plain[i]).toBe(Math.fround(sigmoid64(x[i]!)));
        expect(plainExp[i]).toBe(Math.fround(Math.exp(x[i]!)));
        expect(Math.abs(fast[i]! - plain[i]!)).toBeLessThanOrEqual(SIGMOID_BOUND * plain[i]! + TINY);
        expect(Math.abs(fastSm[i]! - plainSm[i]!)).toBeLessThanOrEqual(3e-7 * plainSm[i]! + TINY);
      }
      // Below MIN_SIMD_LENGTH the reference loops run: exactly the float64 formula, rounded.
      const small = uniform(MIN_SIMD_LENGTH - 1, -5, 5, 3);
      const out = new Float32Array(small.length);
      expect(mapInto('sigmoid', small, out, 'write')).toBe(false);
      sigmoidInto(small, out, 'write');
      expect(Array.from(out)).toEqual(Array.from(small, (v) => Math.fround(sigmoid64(v))));
      expect(softmaxRows(small, out, 1, small.length)).toBe(false);
      expect(logSoftmaxRows(small, out, 1, small.length)).toBe(false);
    });

    test('softmaxForward keeps the plain loops for temperature, inner axes and add', () => {
      const x = uniform(6 * 40, -3, 3, 8);
      const out = new Float32Array(x.length).fill(1);
      softmaxForward(x, out, { outer: 6, n: 40, inner: 1 }, 1, false, true);
      const ref = softmax64(x, 6, 40, false);
      for (let i = 0; i < x.length; i++) expect(out[i]).toBeCloseTo(1 + ref[i]!, 6);
      const t2 = new Float32Array(x.length);
      softmaxForward(x, t2, { outer: 6, n: 40, inner: 1 }, 2, false, false);
      const halved = softmax64(x.map((v) => v / 2), 6, 40, false);
      for (let i = 0; i < x.length; i++) expect(t2[i]).toBeCloseTo(halved[i]!, 6);
    });
  });
});
