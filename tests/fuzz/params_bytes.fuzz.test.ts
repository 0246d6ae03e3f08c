/**
 * Fuzzing the `.params` loader (mx.nd.loadBytes): files mx.nd.saveBytes writes (lists and named
 * records, every dtype, names such as `__proto__`), then truncated, bit-flipped, with u64/i32
 * fields overwritten by absurd counts and dims, or records swapped for legacy/V1/V3/sparse headers.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { FUZZ_RUNS, fuzzParams, hostileName, newStats, report, runCase, withFuzzBudget } from './harness';

const DTYPES = ['float32', 'float64', 'float16', 'uint8', 'int32', 'int8', 'int64', 'bool'] as const;

const arraySpec = fc.record({
  shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
  dtype: fc.constantFrom(...DTYPES),
  fill: fc.double({ min: -100, max: 100, noNaN: true }),
});

/** A valid file: a list, or a record keyed by hostile names. */
const validFile = fc.tuple(fc.array(arraySpec, { maxLength: 4 }), fc.option(fc.array(hostileName, { maxLength: 4 }), { nil: undefined })).map(([specs, names]) => {
  const arrays = specs.map((s) => mx.nd.array(mx.nd.full(s.shape, s.fill), { dtype: s.dtype }));
  if (names === undefined) return mx.nd.saveBytes(arrays);
  const record = Object.create(null) as Record<string, mx.NDArray>;
  arrays.forEach((a, i) => (record[`${names[i % Math.max(1, names.length)] ?? ''}${i}`] = a));
  return mx.nd.saveBytes(record);
});

/** Values that make counts and dims absurd when they land on a length field. */
const ABSURD_U64 = [0n, 1n, 0xffn, 0xffffffffn, 0x100000000n, 0xffffffffffffffffn, 0x7fffffffffffffffn, 1000000000n, 0x8000000000000000n];
const HEADERS = [0xf993fac8, 0xf993fac9, 0xf993faca, 0, 1, 2, 64, 0xffffffff];

const mutation = fc.oneof(
  fc.nat().map((k) => (b: Uint8Array) => b.slice(0, k % (b.length + 1))),
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 6 }).map((flips) => (b: Uint8Array) => {
    const out = b.slice();
    for (const [at, bit] of flips) if (out.length > 0) out[at % out.length]! ^= 1 << bit;
    return out;
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...ABSURD_U64)).map(([at, value]) => (b: Uint8Array) => {
    const out = b.slice();
    if (out.length >= 8) new DataView(out.buffer).setBigUint64(at % (out.length - 7), value, true);
    return out;
  }),
  fc.tuple(fc.nat(), fc.constantFrom(...HEADERS), fc.integer({ min: -2, max: 3 })).map(([at, header, storage]) => (b: Uint8Array) => {
    const out = b.slice();
    if (out.length >= 32) {
      const view = new DataView(out.buffer);
      const o = 24 + (at % (out.length - 31));
      view.setUint32(o, header, true);
      view.setInt32(o + 4, storage, true);
    }
    return out;
  }),
  fc.uint8Array({ maxLength: 64 }).map((tail) => (b: Uint8Array) => {
    const out = new Uint8Array(b.length + tail.length);
    out.set(b);
    out.set(tail, b.length);
    return out;
  }),
);

const hostileFile = fc.oneof(
  { weight: 1, arbitrary: validFile },
  { weight: 6, arbitrary: fc.tuple(validFile, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([bytes, ms]) => ms.reduce((b, m) => m(b), bytes)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 128 }).map((tail) => {
    const out = new Uint8Array(24 + tail.length);
    new DataView(out.buffer).setBigUint64(0, 0x112n, true);
    new DataView(out.buffer).setBigUint64(16, BigInt(tail.length % 5), true);
    out.set(tail, 24);
    return out;
  }) },
);

describe(`fuzz: .params loader (${FUZZ_RUNS} cases)`, () => {
  withFuzzBudget();
  const stats = newStats();
  afterAll(() => report('.params bytes', stats));

  test('only MXNetErrors escape; cases end in time; no prototype is touched', () => {
    fc.assert(
      fc.property(hostileFile, (bytes) => {
        runCase(stats, () => {
          const loaded = mx.nd.loadBytes(bytes, 'fuzz.params');
          const arrays = Array.isArray(loaded) ? loaded : Object.values(loaded);
          for (const a of arrays) {
            a.toArray();
            String(a);
          }
          // What was read can be written and read back.
          mx.nd.loadBytes(mx.nd.saveBytes(loaded));
        });
      }),
      fuzzParams(3),
    );
  });
});
