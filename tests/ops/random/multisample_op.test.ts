/**
 * `_sample_X` (MXNet random/multisample_op.cc): one distribution per element of the parameter
 * arrays, output shape = parameter shape + `shape`. Each row of draws is checked against its own
 * law (moments within 5 standard errors, goodness of fit above p = 1e-6), then shapes from the
 * MXNet docstring examples, shape inference both ways, zero gradients, aliases and errors.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { thrown } from '../../helpers/errors';
import {
  chiSquarePValue, expectMoments, exponentialCdf, gammaCdf, ksPValue, negativeBinomialPmf, normalCdf, P_MIN, poissonPmf, range, uniformCdf,
} from './statistics';

type Op = (...args: unknown[]) => mx.NDArray;
const nd = (op: string) => (mx.nd as unknown as Record<string, Op>)[op]!;
const sym = (op: string) => (mx.sym as unknown as Record<string, (...args: unknown[]) => mx.Symbol>)[op]!;
const N = 12000;

interface Law {
  mean: number;
  variance: number;
  fit: (xs: Float32Array) => number;
}

interface Case {
  name: string;
  /** Two parameter sets, by input name. */
  inputs: Record<string, [number, number]>;
  law: (a: number, b: number) => Law;
}

const nbLaw = (r: number, p: number): Law => ({
  mean: (r * (1 - p)) / p,
  variance: (r * (1 - p)) / (p * p),
  fit: (xs) => chiSquarePValue(xs, (x) => negativeBinomialPmf(x, r, p), range(300)),
});

const CASES: Case[] = [
  { name: 'uniform', inputs: { low: [0, 2.5], high: [1, 3.7] }, law: (lo, hi) => ({ mean: (lo + hi) / 2, variance: (hi - lo) ** 2 / 12, fit: (xs) => ksPValue(xs, (x) => uniformCdf(x, lo, hi)) }) },
  { name: 'normal', inputs: { mu: [0, 2.5], sigma: [1, 3.7] }, law: (mu, s) => ({ mean: mu, variance: s * s, fit: (xs) => ksPValue(xs, (x) => normalCdf(x, mu, s)) }) },
  { name: 'gamma', inputs: { alpha: [0.7, 2.5], beta: [1, 0.7] }, law: (a, b) => ({ mean: a * b, variance: a * b * b, fit: (xs) => ksPValue(xs, (x) => gammaCdf(x, a, b)) }) },
  { name: 'exponential', inputs: { lam: [1, 8.5] }, law: (l) => ({ mean: 1 / l, variance: 1 / (l * l), fit: (xs) => ksPValue(xs, (x) => exponentialCdf(x, l)) }) },
  { name: 'poisson', inputs: { lam: [1, 18.5] }, law: (l) => ({ mean: l, variance: l, fit: (xs) => chiSquarePValue(xs, (k) => poissonPmf(k, l), range(80)) }) },
  { name: 'negative_binomial', inputs: { k: [20, 49], p: [0.4, 0.77] }, law: nbLaw },
  { name: 'generalized_negative_binomial', inputs: { mu: [2, 2.5], alpha: [1, 0.1] }, law: (mu, a) => nbLaw(1 / a, 1 / a / (1 / a + mu)) },
];

describeEachBackend('_sample_X: each row follows the law of its parameters', () => {
  test.each(CASES)('_sample_$name: two parameter sets (the MXNet docstring values), moments and goodness of fit per row', ({ name, inputs, law }) => {
    mx.random.seed(31);
    const arrays = Object.values(inputs).map((v) => mx.nd.array(v));
    const out = nd(`_sample_${name}`)(...arrays, { shape: [N] });
    expect(out.shape).toEqual([2, N]);
    for (let row = 0; row < 2; row++) {
      const values = Object.values(inputs).map((v) => v[row]!);
      const l = law(values[0]!, values[1] ?? 0);
      const xs = out.data.subarray(row * N, (row + 1) * N);
      expectMoments(xs, l.mean, l.variance);
      expect(l.fit(xs)).toBeGreaterThan(P_MIN);
    }
  });

  test.each(CASES)('_sample_$name with one parameter set draws what _random_$name draws for the same seed', ({ name, inputs }) => {
    const params: Record<string, number> = {};
    const randomNames: Record<string, string[]> = {
      uniform: ['low', 'high'], normal: ['loc', 'scale'], gamma: ['alpha', 'beta'], exponential: ['lam'], poisson: ['lam'],
      negative_binomial: ['k', 'p'], generalized_negative_binomial: ['mu', 'alpha'],
    };
    const firsts = Object.values(inputs).map((v) => v[0]);
    randomNames[name]!.forEach((p, i) => (params[p] = firsts[i]!));
    mx.random.seed(6);
    const sampled = nd(`_sample_${name}`)(...firsts.map((v) => mx.nd.array([v])), { shape: [3, 4] });
    mx.random.seed(6);
    const random = nd(`_random_${name}`)({ ...params, shape: [1, 3, 4] });
    expect(sampled.shape).toEqual([1, 3, 4]);
    expect(Array.from(sampled.data)).toEqual(Array.from(random.data));
  });

  test.each(CASES)('_sample_$name: mx.nd and mx.sym + bind agree for the same seed', ({ name, inputs }) => {
    const arrays = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, mx.nd.array([v, v])]));
    mx.random.seed(13);
    const imperative = nd(`_sample_${name}`)({ ...arrays, shape: [3] });
    const s = sym(`_sample_${name}`)({ ...Object.fromEntries(Object.keys(inputs).map((k) => [k, mx.sym.Variable(k)])), shape: [3] });
    expect(s.listArguments()).toEqual(Object.keys(inputs));
    mx.random.seed(13);
    const [out] = s.bind(mx.cpu(), arrays, { gradReq: 'null' }).forward();
    expect(out!.shape).toEqual([2, 2, 3]);
    expect(Array.from(out!.data)).toEqual(Array.from(imperative.data));
  });
});

describe('_sample_X shapes, gradients and errors', () => {
  test('MXNet docstring: sample_uniform(low, high) has the parameter shape; shape=(2) adds an axis; each row stays in its interval', () => {
    const low = mx.nd.array([0, 2.5]);
    const high = mx.nd.array([1, 3.7]);
    const one = nd('sample_uniform')(low, high);
    expect(one.shape).toEqual([2]);
    const two = nd('_sample_uniform')(low, high, { shape: 2 });
    expect(two.shape).toEqual([2, 2]);
    expect([two.data[0]!, two.data[1]!].every((v) => v >= 0 && v < 1)).toBe(true);
    expect([two.data[2]!, two.data[3]!].every((v) => v >= 2.5 && v < 3.7)).toBe(true);
  });

  test('MXNet docstring: sample_gamma with alpha = 0 draws 0', () => {
    const out = nd('_sample_gamma')(mx.nd.array([0, 2.5]), mx.nd.array([1, 0.7]), { shape: [2] });
    expect([out.data[0], out.data[1]]).toEqual([0, 0]);
    expect(out.data[2]!).toBeGreaterThan(0);
  });

  test('a negative gamma shape has no law: NaN, where MXNet would loop forever', () => {
    expect(Number.isNaN(nd('_sample_gamma')(mx.nd.array([-1]), mx.nd.array([1])).data[0])).toBe(true);
  });

  test('aliases sample_<distribution> are the same ops', () => {
    for (const name of ['uniform', 'normal', 'gamma', 'exponential', 'poisson', 'negative_binomial', 'generalized_negative_binomial']) {
      const inputs = name === 'exponential' || name === 'poisson' ? [mx.sym.Variable('a')] : [mx.sym.Variable('a'), mx.sym.Variable('b')];
      expect(JSON.parse(sym(`sample_${name}`)(...inputs).toJSON()).nodes.pop().op).toBe(`_sample_${name}`);
    }
  });

  test('shape inference: parameter shapes agree, the output is params + shape, and params come back from the output', () => {
    const mu = mx.sym.Variable('mu');
    const sigma = mx.sym.Variable('sigma');
    const s = mx.sym._sample_normal({ mu, sigma, shape: [4, 5], name: 'n' });
    expect(s.inferShape({ mu: [2, 3] }).outShapes).toEqual([[2, 3, 4, 5]]);
    expect(s.inferShape({ mu: [2, 3] }).argShapes).toEqual([[2, 3], [2, 3]]);
    const consumer = mx.sym.elemwise_add(s, mx.sym.Variable('y'));
    expect(consumer.inferShape({ y: [7, 4, 5] }).argShapes).toEqual([[7], [7], [7, 4, 5]]);
    expect(() => s.inferShape({ mu: [2, 3], sigma: [3, 2] })).toThrow(mx.ShapeError);
    expect(() => s.inferShape({ mu: [2, 3], sigma: [3, 2] })).toThrow("_sample_normal 'n': sigma shape [3,2] does not match mu [2,3]");
    expect(() => consumer.inferShape({ y: [7, 4, 6] })).toThrow(/does not end with the sample shape \(4,5\)/);
  });

  test('parameters get zero gradients (MakeZeroGradNodes), overwriting what the gradient arrays held', () => {
    const s = mx.sym._sample_gamma({ alpha: mx.sym.Variable('a'), beta: mx.sym.Variable('b'), shape: [3] });
    const grads = { a: mx.nd.full([2], 5), b: mx.nd.full([2], 5) };
    const exec = s.bind(mx.cpu(), { a: mx.nd.array([1, 2]), b: mx.nd.array([1, 1]) }, { argsGrad: grads });
    exec.forward(true);
    exec.backward([mx.nd.ones([2, 3])]);
    expect(Array.from(grads.a.data)).toEqual([0, 0]);
    expect(Array.from(grads.b.data)).toEqual([0, 0]);
  });

  test('a 0 in shape and a float64 dtype are ParamErrors', () => {
    const e = thrown(() => mx.sym._sample_poisson({ lam: mx.sym.Variable('l'), shape: [2, 0], name: 'p' }));
    expect(e).toBeInstanceOf(mx.ParamError);
    expect(e.message).toMatch(/^_sample_poisson 'p': shape must be in \[1, inf\]/);
    expect(() => nd('_sample_uniform')(mx.nd.array([0]), mx.nd.array([1]), { dtype: 'float64' })).toThrow(/float64 is not supported yet/);
  });
});
