/**
 * `_sample_unique_zipfian` (MXNet random/unique_sample_op.{h,cc}): MXNet's unit test
 * (test_unique_zipfian_generator: 8192 unique classes of 793472 per row, 14500 < trials < 17000),
 * the base law of single draws against P(c) for c = round(exp(u log R)) - 1 (chi-square above
 * p = 1e-6), shapes and errors.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { thrown } from '../../helpers/errors';
import { chiSquarePValue, P_MIN, range } from './statistics';

type Pair = [mx.NDArray, mx.NDArray];

describeEachBackend('_sample_unique_zipfian', () => {
  test('MXNet test_unique_zipfian_generator: each row holds 8192 distinct classes, found in 14500..17000 trials', () => {
    mx.random.seed(1);
    const [classes, trials] = mx.nd._sample_unique_zipfian({ range_max: 793472, shape: [4, 8192] }) as Pair;
    expect(classes.shape).toEqual([4, 8192]);
    expect(trials.shape).toEqual([4]);
    for (let row = 0; row < 4; row++) {
      const values = classes.data.subarray(row * 8192, (row + 1) * 8192);
      expect(new Set(values).size).toBe(8192);
      expect(values.every((v) => Number.isInteger(v) && v >= 0 && v < 793472)).toBe(true);
      expect(trials.data[row]).toBeGreaterThan(14500);
      expect(trials.data[row]).toBeLessThan(17000);
    }
  });

  test('single draws follow the base law P(c) = log((c + 1.5) / (c + 0.5)) / log R, clipped to [1, R)', () => {
    const R = 20;
    mx.random.seed(4);
    const [classes, trials] = mx.nd._sample_unique_zipfian({ range_max: R, shape: [20000, 1] }) as Pair;
    expect(Array.from(trials.data).every((t) => t === 1)).toBe(true);
    const p = (c: number) => (Math.log(Math.min(c + 1.5, R)) - Math.log(Math.max(c + 0.5, 1))) / Math.log(R);
    expect(chiSquarePValue(classes.data, p, range(R))).toBeGreaterThan(P_MIN);
    // The documented approximation log((c + 2) / (c + 1)) / log(R + 1) is a different law, and the test sees it.
    expect(chiSquarePValue(classes.data, (c) => Math.log((c + 2) / (c + 1)) / Math.log(R + 1), range(R))).toBeLessThan(P_MIN);
  });

  test('drawing every class of a small range gives a permutation of it', () => {
    mx.random.seed(9);
    const [classes] = mx.nd._sample_unique_zipfian({ range_max: 6, shape: [3, 6] }) as Pair;
    for (let row = 0; row < 3; row++) expect(Array.from(classes.data.subarray(row * 6, row * 6 + 6)).sort()).toEqual(range(6));
  });

  test('mx.nd and mx.sym + bind agree for the same seed; another seed differs', () => {
    mx.random.seed(12);
    const [a, ta] = mx.nd._sample_unique_zipfian({ range_max: 1000, shape: [2, 16] }) as Pair;
    mx.random.seed(12);
    const outs = mx.sym._sample_unique_zipfian({ range_max: 1000, shape: [2, 16] }).bind(mx.cpu(), {}).forward();
    expect(Array.from(outs[0]!.data)).toEqual(Array.from(a.data));
    expect(Array.from(outs[1]!.data)).toEqual(Array.from(ta.data));
    mx.random.seed(13);
    expect(Array.from((mx.nd._sample_unique_zipfian({ range_max: 1000, shape: [2, 16] }) as Pair)[0].data)).not.toEqual(Array.from(a.data));
  });
});

describe('_sample_unique_zipfian shapes and parameters', () => {
  test('outputs (batch, num_sampled) and (batch,); an empty shape is taken from the output', () => {
    const s = mx.sym._sample_unique_zipfian({ range_max: 50, shape: [3, 7], name: 'z' });
    expect(s.listOutputs()).toEqual(['z_output0', 'z_output1']);
    expect(s.inferShape({}).outShapes).toEqual([[3, 7], [3]]);
    const open = mx.sym._sample_unique_zipfian({ range_max: 50, name: 'z' });
    const consumer = mx.sym.elemwise_add(open.get(0), mx.sym.Variable('y'));
    expect(consumer.inferShape({ y: [2, 5] }).outShapes).toEqual([[2, 5]]);
    const outs = mx.sym.Group([consumer, open.get(1)]).bind(mx.cpu(), { y: mx.nd.zeros([2, 5]) }, { gradReq: 'null' }).forward();
    expect(outs[1]!.shape).toEqual([2]);
    expect(new Set(outs[0]!.data.subarray(0, 5)).size).toBe(5);
  });

  test('shape must be 2-d with num_sampled <= range_max; range_max must lie in [1, 2^24]', () => {
    const e = thrown(() => mx.sym._sample_unique_zipfian({ range_max: 5, shape: [6], name: 'z' }).inferShape({}));
    expect(e).toBeInstanceOf(mx.ShapeError);
    expect(e.message).toBe("_sample_unique_zipfian 'z': shape must be 2-d (batch_size, num_sampled), got (6)");
    expect(() => mx.nd._sample_unique_zipfian({ range_max: 5, shape: [1, 6] })).toThrow('shape asks for 6 distinct classes but range_max is 5');
    expect(() => mx.nd._sample_unique_zipfian({ range_max: 0, shape: [1, 1] })).toThrow(mx.ParamError);
    expect(() => mx.nd._sample_unique_zipfian({ range_max: 2 ** 25, shape: [1, 1] })).toThrow(mx.ParamError);
    // @ts-expect-error range_max is required
    expect(() => mx.nd._sample_unique_zipfian({ shape: [1, 1] })).toThrow(/range_max is required/);
  });
});
