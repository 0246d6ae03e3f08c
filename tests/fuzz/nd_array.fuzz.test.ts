/**
 * Fuzzing mx.nd.array and the creation functions: nested lists of numbers with strings, nulls,
 * objects and typed arrays mixed in, ragged and very deep nesting, array-likes with absurd
 * lengths, and shape/dtype options made huge, negative, NaN, fractional or strings.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { FUZZ_RUNS, fuzzParams, hostileNumber, newStats, report, runCase, withFuzzBudget } from './harness';

const leaf = fc.oneof(
  { weight: 12, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 3 }), fc.constant(null), fc.constant(undefined), fc.boolean(), fc.constant({}), fc.bigInt()) },
);

const { nested } = fc.letrec((tie) => ({
  nested: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('nested'), { maxLength: 4 })),
}));

/** A rectangular list of numbers, usually valid. */
const rectangular = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }).chain((shape) => {
  const size = shape.reduce((a, b) => a * b, 1);
  return fc.array(fc.double(), { minLength: size, maxLength: size }).map((values) => {
    const build = (axis: number, offset: number): unknown => {
      if (axis === shape.length) return values[offset];
      const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      return Array.from({ length: shape[axis]! }, (_, i) => build(axis + 1, offset + i * inner));
    };
    return build(0, 0);
  });
});

const deep = fc.tuple(fc.integer({ min: 1, max: 20000 }), fc.double()).map(([depth, v]) => {
  let out: unknown = v;
  for (let i = 0; i < depth; i++) out = [out];
  return out;
});

const arrayLike = fc.oneof(
  fc.float32Array({ maxLength: 16 }),
  fc.int32Array({ maxLength: 16 }),
  fc.record({ length: hostileNumber }),
  fc.constantFrom(new BigInt64Array(2), new DataView(new ArrayBuffer(4)), new ArrayBuffer(8)),
);

const source = fc.oneof({ weight: 4, arbitrary: rectangular }, { weight: 3, arbitrary: nested }, { weight: 1, arbitrary: deep }, { weight: 2, arbitrary: arrayLike }, { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) });

const options = fc.record(
  {
    shape: fc.oneof(fc.array(hostileNumber, { maxLength: 4 }), fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 3 }), fc.anything({ maxDepth: 1 })),
    dtype: fc.oneof(fc.constantFrom('float32', 'float64', 'float16', 'uint8', 'int32', 'int8', 'int64', 'bool', 'int128', 'constructor', '__proto__'), fc.anything({ maxDepth: 0 })),
  },
  { requiredKeys: [] },
);

const shapeArg = fc.oneof(hostileNumber, fc.array(hostileNumber, { maxLength: 5 }), fc.array(fc.integer({ min: 0, max: 64 }), { maxLength: 70 }), fc.anything({ maxDepth: 1 }));

describe(`fuzz: mx.nd.array and creation (${FUZZ_RUNS} cases)`, () => {
  withFuzzBudget();
  const stats = newStats();
  afterAll(() => report('mx.nd.array', stats));

  test('mx.nd.array: only MXNetErrors escape; cases end in time; no prototype is touched', () => {
    fc.assert(
      fc.property(source, fc.option(options, { nil: undefined }), (value, opts) => {
        runCase(stats, () => {
          const a = mx.nd.array(value as never, opts as never);
          a.toArray();
          String(a);
          mx.nd.loadBytes(mx.nd.saveBytes([a]));
        });
      }),
      fuzzParams(4),
    );
  });

  test('zeros, ones, full, empty, arange and random: hostile shapes and values', () => {
    fc.assert(
      fc.property(fc.constantFrom('zeros', 'ones', 'full', 'empty', 'arange', 'uniform'), shapeArg, hostileNumber, hostileNumber, (fn, shape, a, b) => {
        runCase(stats, () => {
          const s = shape as never;
          if (fn === 'zeros') mx.nd.zeros(s);
          else if (fn === 'ones') mx.nd.ones(s);
          else if (fn === 'full') mx.nd.full(s, a);
          else if (fn === 'empty') mx.nd.empty(s);
          else if (fn === 'arange') mx.nd.arange(a, b, typeof shape === 'number' ? shape : 1);
          else mx.nd.random.uniform(Math.min(a, b), Math.max(a, b), s);
        });
      }),
      fuzzParams(5),
    );
  });
});
