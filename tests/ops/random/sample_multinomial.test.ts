/**
 * `_sample_multinomial` (MXNet random/sample_multinomial_op.{h,cc}): category frequencies against
 * the probabilities (chi-square above p = 1e-6), MXNet's shape rule, the log-probability output
 * and its gradient g / p at the drawn categories (float64 reference from the draws), errors.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { thrown } from '../../helpers/errors';
import { chiSquarePValue, P_MIN, range } from './statistics';

// MXNet docstring example.
const PROBS = [[0, 0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1, 0]];
const N = 20000;

describeEachBackend('_sample_multinomial', () => {
  test('frequencies follow each row of probabilities; zero-probability categories never come up', () => {
    mx.random.seed(41);
    const out = mx.nd._sample_multinomial(mx.nd.array(PROBS), { shape: [N] });
    expect(out.shape).toEqual([2, N]);
    PROBS.forEach((p, row) => {
      const xs = out.data.subarray(row * N, (row + 1) * N);
      expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x < 5 && p[x]! > 0)).toBe(true);
      expect(chiSquarePValue(xs, (k) => p[k]!, range(5))).toBeGreaterThan(P_MIN);
    });
  });

  test('the frequency test can fail: draws from row 0 against row 0 with 0.02 moved between categories', () => {
    mx.random.seed(41);
    const xs = mx.nd._sample_multinomial(mx.nd.array([PROBS[0]!]), { shape: [N] }).data;
    const wrong = [0, 0.12, 0.18, 0.3, 0.4];
    expect(chiSquarePValue(xs, (k) => wrong[k]!, range(5))).toBeLessThan(P_MIN);
  });

  test('get_prob: the second output is log p of each drawn category (float32 log)', () => {
    mx.random.seed(3);
    const [samples, prob] = mx.nd._sample_multinomial(mx.nd.array(PROBS), { shape: [6], get_prob: true }) as unknown as mx.NDArray[];
    expect(prob!.shape).toEqual([2, 6]);
    const expected = Array.from(samples!.data, (s, i) => Math.fround(Math.log(Math.fround(PROBS[Math.floor(i / 6)]![s]!))));
    mx.testUtils.assertAlmostEqual(prob!.data, expected, { rtol: 1e-6, atol: 1e-7 });
  });

  test('the gradient of data is sum over draws of g / p[drawn] (write), accumulated with add; none without get_prob', () => {
    const data = mx.nd.array(PROBS.map((row) => row.map((p) => (p === 0 ? 0.05 : p))));
    const s = mx.sym._sample_multinomial({ data: mx.sym.Variable('d'), shape: [4], get_prob: true, name: 'm' });
    expect(s.listOutputs()).toEqual(['m_output0', 'm_output1']);
    const grad = mx.nd.full([2, 5], 3);
    const exec = s.bind(mx.cpu(), { d: data }, { argsGrad: { d: grad } });
    const [samples] = exec.forward(true);
    const g = mx.nd.random.uniform(-1, 1, [2, 4]);
    exec.backward([mx.nd.zeros([2, 4]), g]);
    const expected = new Float64Array(10);
    for (let r = 0; r < 2; r++) {
      for (let j = 0; j < 4; j++) {
        const c = samples!.data[r * 4 + j]!;
        expected[r * 5 + c] += g.data[r * 4 + j]! / data.data[r * 5 + c]!;
      }
    }
    mx.testUtils.assertAlmostEqual(grad.data, expected, { rtol: 1e-5, atol: 1e-6 });

    const added = mx.nd.full([2, 5], 1);
    const execAdd = s.bind(mx.cpu(), { d: data }, { argsGrad: { d: added }, gradReq: 'add' });
    mx.random.seed(5);
    const [again] = execAdd.forward(true);
    const heads = [mx.nd.zeros([2, 4]), mx.nd.ones([2, 4])];
    execAdd.backward(heads);
    const reference = new Float64Array(10).fill(1);
    for (let i = 0; i < 8; i++) reference[Math.floor(i / 4) * 5 + again!.data[i]!] += 1 / data.data[Math.floor(i / 4) * 5 + again!.data[i]!]!;
    mx.testUtils.assertAlmostEqual(added.data, reference, { rtol: 1e-5, atol: 1e-6 });

    const plain = mx.sym._sample_multinomial({ data: mx.sym.Variable('d') });
    const zeroed = mx.nd.full([2, 5], 9);
    const execPlain = plain.bind(mx.cpu(), { d: data }, { argsGrad: { d: zeroed } });
    execPlain.forward(true);
    execPlain.backward();
    expect(Array.from(zeroed.data).every((v) => v === 0)).toBe(true);
  });

  test('mx.nd and mx.sym + bind agree for the same seed', () => {
    mx.random.seed(17);
    const imperative = mx.nd._sample_multinomial(mx.nd.array(PROBS), { shape: [3, 2] });
    mx.random.seed(17);
    const [out] = mx.sym.sample_multinomial({ data: mx.sym.Variable('d'), shape: [3, 2] }).bind(mx.cpu(), { d: mx.nd.array(PROBS) }, { gradReq: 'null' }).forward();
    expect(out!.shape).toEqual([2, 3, 2]);
    expect(Array.from(out!.data)).toEqual(Array.from(imperative.data));
  });
});

describe('_sample_multinomial shapes and parameters', () => {
  test('MXNet shape rule: 1-d data gives shape, or (1,); n-d data gives data.shape[:-1] + shape', () => {
    const s = (shape: number[], dataShape: number[]) => mx.sym._sample_multinomial({ data: mx.sym.Variable('d'), shape }).inferShape({ d: dataShape }).outShapes;
    expect(s([], [5])).toEqual([[1]]);
    expect(s([2], [5])).toEqual([[2]]);
    expect(s([], [2, 5])).toEqual([[2]]);
    expect(s([2], [2, 5])).toEqual([[2, 2]]);
    expect(s([3, 4], [6, 2, 5])).toEqual([[6, 2, 3, 4]]);
  });

  test('dtype int32 (default), uint8 and float32 store indices as float32; float16/float64 are refused', () => {
    expect(mx.nd._sample_multinomial(mx.nd.array([0, 1]), { dtype: 'uint8' }).data[0]).toBe(1);
    expect(mx.nd._sample_multinomial(mx.nd.array([0, 1]), { dtype: 'float32' }).data[0]).toBe(1);
    // @ts-expect-error float64 is refused until dtypes land
    const e = thrown(() => mx.sym._sample_multinomial({ data: mx.sym.Variable('d'), dtype: 'float64', name: 'm' }));
    expect(e).toBeInstanceOf(mx.ParamError);
    expect(e.message).toBe("_sample_multinomial 'm': dtype float64 is not supported yet: mxts stores sampled values as float32 only");
  });

  test('a certain category is always drawn, with log-probability 0', () => {
    const [samples, prob] = mx.nd._sample_multinomial(mx.nd.array([[0, 0, 1], [1, 0, 0]]), { shape: [5], get_prob: true }) as unknown as mx.NDArray[];
    expect(Array.from(samples!.data)).toEqual([2, 2, 2, 2, 2, 0, 0, 0, 0, 0]);
    expect(Array.from(prob!.data).every((v) => v === 0)).toBe(true);
  });
});
