/**
 * `mx.nd.random`, `mx.sym.random` and `mx.random` (MXNet python/mxnet/{ndarray,symbol}/random.py):
 * number parameters call `_random_X` (mx.nd draws shape (1,) by default), array/symbol parameters
 * `_sample_X`; exponential takes a scale (the op's rate is 1/scale); randn, multinomial, shuffle.
 */
import * as mx from 'mxts';
import { expectMoments } from './statistics';

const opsOf = (s: mx.Symbol) => (JSON.parse(s.toJSON()).nodes as { op: string; name: string; attrs?: Record<string, string> }[]).filter((n) => n.op !== 'null');

describe('mx.nd.random', () => {
  test('number parameters draw from _random_X: positional (low, high, shape) or keywords; default shape (1,)', () => {
    mx.random.seed(3);
    const a = mx.nd.random.uniform(-1, 1, [2, 3]);
    mx.random.seed(3);
    const b = mx.nd._random_uniform({ low: -1, high: 1, shape: [2, 3] });
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    mx.random.seed(3);
    expect(Array.from(mx.nd.random.uniform({ low: -1, high: 1, shape: [2, 3] }).data)).toEqual(Array.from(b.data));
    expect(mx.nd.random.normal().shape).toEqual([1]);
    expect(mx.nd.random.gamma(2, 3, 4).shape).toEqual([4]);
    const out = mx.nd.zeros([2, 2]);
    expect(mx.nd.random.uniform(5, 6, { out })).toBe(out);
    expect(out.data.every((v) => v >= 5 && v < 6)).toBe(true);
  });

  test('NDArray parameters draw from _sample_X: shape params.shape + shape', () => {
    mx.random.seed(5);
    const a = mx.nd.random.normal(mx.nd.array([0, 10]), mx.nd.array([1, 2]), [3]);
    mx.random.seed(5);
    const b = mx.nd._sample_normal(mx.nd.array([0, 10]), mx.nd.array([1, 2]), { shape: [3] });
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(mx.nd.random.poisson(mx.nd.array([[1, 2]])).shape).toEqual([1, 2]);
  });

  test('exponential(scale) has mean scale: the op gets lam = 1/scale (numbers and arrays)', () => {
    mx.random.seed(6);
    expectMoments(mx.nd.random.exponential(4, [20000]).data, 4, 16);
    const perRow = mx.nd.random.exponential(mx.nd.array([0.5, 2]), [20000]).data;
    expectMoments(perRow.subarray(0, 20000), 0.5, 0.25);
    expectMoments(perRow.subarray(20000), 2, 4);
  });

  test('gamma, poisson, negative_binomial, generalized_negative_binomial and randint keep MXNet parameter names and defaults', () => {
    mx.random.seed(7);
    expectMoments(mx.nd.random.gamma(9, 0.5, [20000]).data, 4.5, 2.25);
    expectMoments(mx.nd.random.poisson(4, [20000]).data, 4, 4);
    expectMoments(mx.nd.random.negative_binomial(3, 0.4, [20000]).data, 4.5, 11.25);
    expectMoments(mx.nd.random.generalized_negative_binomial({ mu: 2, alpha: 0.3, shape: [20000] }).data, 2, 3.2);
    const r = mx.nd.random.randint(0, 5, [2, 2]);
    expect(r.data.every((v) => Number.isInteger(v) && v >= 0 && v < 5)).toBe(true);
  });

  test('randn(...shape, {loc, scale}), multinomial (with get_prob a pair) and shuffle', () => {
    expect(mx.nd.random.randn(2, 3, { loc: 1, scale: 2 }).shape).toEqual([2, 3]);
    expect(mx.nd.random.randn().shape).toEqual([1]);
    const probs = mx.nd.array([[0, 1], [1, 0]]);
    expect(Array.from((mx.nd.random.multinomial(probs, [3]) as mx.NDArray).data)).toEqual([1, 1, 1, 0, 0, 0]);
    const pair = mx.nd.random.multinomial(probs, { get_prob: true }) as mx.NDArray[];
    expect(pair.map((a) => a.shape)).toEqual([[2], [2]]);
    expect(Array.from(mx.nd.random.shuffle(mx.nd.array([7, 7, 7])).data)).toEqual([7, 7, 7]);
  });

  test('errors: mixed parameter kinds, a missing randint bound, too many positional arguments, bad shapes', () => {
    expect(() => mx.nd.random.uniform(0, mx.nd.array([1]))).toThrow(mx.ValueError);
    expect(() => mx.nd.random.uniform(0, mx.nd.array([1]))).toThrow('random.uniform: high must be a number, or every parameter an array of the same kind, got NDArray');
    expect(() => mx.nd.random.randint(0)).toThrow(/high is required/);
    expect(() => mx.nd.random.uniform(0, 1, [2], 5 as never)).toThrow(/at most 3 positional arguments/);
    expect(() => mx.nd.random.normal(0, 1, [2, -1])).toThrow(mx.ShapeError);
    expect(mx.nd.random.uniform(0, 1, [0, 3]).shape).toEqual([0, 3]);
  });

  test('mx.random holds seed and every mx.nd.random function, on the same stream', () => {
    mx.random.seed(10);
    const a = Array.from(mx.random.gamma(2, 2, [5]).data);
    mx.random.seed(10);
    expect(Array.from(mx.nd.random.gamma(2, 2, [5]).data)).toEqual(a);
    expect(typeof mx.random.multinomial).toBe('function');
    expect(typeof mx.random.shuffle).toBe('function');
  });
});

describe('mx.sym.random', () => {
  test('number parameters make a _random_X node whose shape is left to inference unless given', () => {
    const u = mx.sym.random.uniform(0, 2, { shape: [2, 3], name: 'u' });
    expect(opsOf(u)).toEqual([{ op: '_random_uniform', name: 'u', attrs: { low: '0', high: '2', shape: '(2, 3)' }, inputs: [] }]);
    expect(u.inferShape({}).outShapes).toEqual([[2, 3]]);
    const open = mx.sym.random.normal(0, 1);
    expect(open.inferShapePartial({}).outShapes).toEqual([null]);
    expect(mx.sym.elemwise_add(open, mx.sym.Variable('x')).inferShape({ x: [4] }).outShapes).toEqual([[4]]);
  });

  test('symbol parameters make a _sample_X node; exponential divides 1 by the scale first', () => {
    const s = mx.sym.random.gamma(mx.sym.Variable('a'), mx.sym.Variable('b'), [5]);
    expect(opsOf(s).map((n) => n.op)).toEqual(['_sample_gamma']);
    expect(s.inferShape({ a: [2] }).outShapes).toEqual([[2, 5]]);
    const e = mx.sym.random.exponential(mx.sym.Variable('scale'));
    expect(opsOf(e).map((n) => n.op)).toEqual(['_rdiv_scalar', '_sample_exponential']);
  });

  test('mx.sym.random and mx.nd.random draw the same values for the same seed', () => {
    mx.random.seed(14);
    const imperative = mx.nd.random.negative_binomial(3, 0.4, [6]);
    mx.random.seed(14);
    const [out] = mx.sym.random.negative_binomial(3, 0.4, [6]).bind(mx.cpu(), {}).forward();
    expect(Array.from(out!.data)).toEqual(Array.from(imperative.data));
  });

  test('randn, multinomial, shuffle and randint build their ops', () => {
    expect(mx.sym.random.randn(2, 2).inferShape({}).outShapes).toEqual([[2, 2]]);
    expect(opsOf(mx.sym.random.multinomial(mx.sym.Variable('p'), [3], true)).map((n) => n.op)).toEqual(['_sample_multinomial']);
    expect(mx.sym.random.multinomial(mx.sym.Variable('p'), { get_prob: true }).listOutputs().length).toBe(2);
    expect(opsOf(mx.sym.random.shuffle(mx.sym.Variable('x'), { name: 'sh' }))[0]!.name).toBe('sh');
    expect(opsOf(mx.sym.random.randint(1, 4, [2]))[0]!.op).toBe('_random_randint');
  });
});
