/** Initializers: name-based defaults, __init__ attributes, statistics of the draws, dumps(). */
import { ShapeError, ValueError } from '../../src/base/errors';
import { seed } from '../../src/base/random';
import { array, zeros } from '../../src/ndarray/creation';
import type { NDArray } from '../../src/ndarray/ndarray';
import { sym } from '../../src/symbol/index';
import * as init from '../../src/initializer/index';

function stats(a: NDArray): { mean: number; std: number; min: number; max: number } {
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of a.data) {
    s += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / a.size;
  let ss = 0;
  for (const v of a.data) ss += (v - mean) ** 2;
  return { mean, std: Math.sqrt(ss / a.size), min, max };
}

beforeEach(() => seed(42));

describe('name-based defaults', () => {
  test.each([
    ['fc1_bias', 0],
    ['bn_beta', 0],
    ['bn_gamma', 1],
    ['bn_moving_mean', 0],
    ['bn_moving_var', 1],
    ['q_min', 0],
    ['q_max', 1],
  ])('%s is filled with %d whatever the initializer', (name, value) => {
    const a = array([5, 5, 5]);
    new init.Uniform(3).initialize(name, a);
    expect(Array.from(a.data)).toEqual([value, value, value]);
  });

  test('names ending in weight get the initializer rule', () => {
    const a = zeros([10]);
    new init.Constant(2.5).initialize('fc_weight', a);
    expect(Array.from(a.data)).toEqual(new Array(10).fill(2.5));
  });

  test('any other name is a ValueError asking for an init', () => {
    expect(() => new init.Uniform().initialize('data', zeros([2]))).toThrow(ValueError);
    expect(() => new init.Uniform().initialize('data', zeros([2]))).toThrow(/Initializer: data has an unknown initialization pattern/);
  });

  test("a variable's __init__ attribute overrides the name rule (MXNet InitDesc)", () => {
    const v = sym.Variable('fc_bias', { init: new init.Constant(3) });
    const a = zeros([4]);
    new init.Uniform().initialize({ name: 'fc_bias', attrs: v.listAttr() }, a);
    expect(Array.from(a.data)).toEqual([3, 3, 3, 3]);
    const b = zeros([2]);
    new init.Zero().initialize({ name: 'anything', attrs: { __init__: 'ones' } }, b);
    expect(Array.from(b.data)).toEqual([1, 1]);
  });
});

describe('random initializers: statistics on 200k draws', () => {
  test('Uniform(scale) lies in [-scale, scale) with mean 0 and std scale/sqrt(3)', () => {
    const a = zeros([400, 500]);
    new init.Uniform(0.5).initialize('w_weight', a);
    const s = stats(a);
    expect(s.min).toBeGreaterThanOrEqual(-0.5);
    expect(s.max).toBeLessThan(0.5);
    expect(Math.abs(s.mean)).toBeLessThan(0.005);
    expect(Math.abs(s.std - 0.5 / Math.sqrt(3))).toBeLessThan(0.003);
  });

  test('the default Uniform scale is 0.07 and Normal sigma 0.01', () => {
    expect(new init.Uniform().scale).toBe(0.07);
    expect(new init.Normal().sigma).toBe(0.01);
  });

  test('Normal(sigma) has mean 0 and std sigma', () => {
    const a = zeros([200000]);
    new init.Normal(2).initialize('w_weight', a);
    const s = stats(a);
    expect(Math.abs(s.mean)).toBeLessThan(0.02);
    expect(Math.abs(s.std - 2)).toBeLessThan(0.02);
  });

  test('Xavier uniform avg: bound sqrt(3 / ((fan_in + fan_out) / 2)), std bound/sqrt(3)', () => {
    const a = zeros([300, 200, 2, 2]); // fan_in 800, fan_out 1200
    const x = new init.Xavier();
    x.initialize('conv_weight', a);
    const bound = Math.sqrt(3 / 1000);
    expect(x.scaleFor('conv_weight', a.shape)).toBeCloseTo(bound, 12);
    const s = stats(a);
    expect(s.min).toBeGreaterThanOrEqual(-bound);
    expect(s.max).toBeLessThan(bound);
    expect(s.max).toBeGreaterThan(0.99 * bound);
    expect(Math.abs(s.std - bound / Math.sqrt(3))).toBeLessThan(0.01 * bound);
  });

  test('Xavier factor types and gaussian draws', () => {
    const shape = [50, 20];
    expect(new init.Xavier({ factorType: 'in', magnitude: 2 }).scaleFor('w', shape)).toBeCloseTo(Math.sqrt(2 / 20), 12);
    expect(new init.Xavier({ factorType: 'out', magnitude: 2 }).scaleFor('w', shape)).toBeCloseTo(Math.sqrt(2 / 50), 12);
    const a = zeros([400, 500]);
    new init.Xavier({ rndType: 'gaussian', factorType: 'in', magnitude: 2 }).initialize('w_weight', a);
    expect(Math.abs(stats(a).std - Math.sqrt(2 / 500))).toBeLessThan(0.01 * Math.sqrt(2 / 500));
  });

  test('MSRAPrelu is gaussian Xavier with magnitude 2 / (1 + slope^2)', () => {
    const m = new init.MSRAPrelu({ slope: 0.5, factorType: 'in' });
    expect(m.rndType).toBe('gaussian');
    expect(m.magnitude).toBeCloseTo(2 / 1.25, 12);
    const a = zeros([400, 500]);
    m.initialize('w_weight', a);
    expect(Math.abs(stats(a).std - Math.sqrt(1.6 / 500))).toBeLessThan(0.01 * Math.sqrt(1.6 / 500));
  });

  test('Xavier on a vector is a ValueError; bad options too', () => {
    expect(() => new init.Xavier().initialize('v_weight', zeros([5]))).toThrow(/Xavier needs at least 2 dimensions/);
    expect(() => new init.Xavier({ rndType: 'normal' as 'gaussian' })).toThrow(ValueError);
    expect(() => new init.Xavier({ factorType: 'mean' as 'avg' })).toThrow(ValueError);
    expect(() => new init.Uniform(-1)).toThrow(ValueError);
  });

  test('draws are reproducible from the seed', () => {
    const a = zeros([20]);
    const b = zeros([20]);
    seed(3);
    new init.Normal(1).initialize('w_weight', a);
    seed(3);
    new init.Normal(1).initialize('w_weight', b);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });
});

describe('dumps and create', () => {
  test('dumps gives MXNet JSON text', () => {
    expect(new init.Uniform().dumps()).toBe('["uniform", {"scale": 0.07}]');
    expect(new init.Normal(0.5).dumps()).toBe('["normal", {"sigma": 0.5}]');
    expect(new init.Xavier().dumps()).toBe('["xavier", {"rnd_type": "uniform", "factor_type": "avg", "magnitude": 3}]');
    expect(new init.MSRAPrelu().dumps()).toBe('["msraprelu", {"factor_type": "avg", "slope": 0.25}]');
    expect(new init.Zero().dumps()).toBe('["zero", {}]');
    expect(new init.Constant(1e-5).dumps()).toBe('["constant", {"value": 1e-05}]');
  });

  test('create reads names and the JSON form back', () => {
    const x = init.create('["xavier", {"rnd_type": "gaussian", "factor_type": "in", "magnitude": 2}]') as init.Xavier;
    expect([x.rndType, x.factorType, x.magnitude]).toEqual(['gaussian', 'in', 2]);
    expect(init.create('zeros')).toBeInstanceOf(init.Zero);
    expect(init.create('One')).toBeInstanceOf(init.One);
    expect(init.create(new init.Uniform(0.2).dumps())).toEqual(new init.Uniform(0.2));
    const u = new init.Uniform();
    expect(init.create(u)).toBe(u);
  });

  test('unknown names list the known initializers; malformed JSON is a ValueError', () => {
    expect(() => init.create('xavierr')).toThrow(/'xavierr' is not a known initializer \(did you mean 'xavier'\?\); known initializers are constant, msraprelu, normal, one, ones, uniform, xavier, zero, zeros/);
    expect(() => init.create('["xavier", 3]')).toThrow(ValueError);
    expect(() => init.create('[not json')).toThrow(ValueError);
    expect(() => init.create('["constant", {}]')).toThrow(ValueError);
  });
});

describe('Mixed and Load', () => {
  test('Mixed uses the first pattern matching the start of the name', () => {
    const mixed = new init.Mixed(['fc1', '.*'], [new init.Constant(1), new init.Constant(2)]);
    const a = zeros([2]);
    const b = zeros([2]);
    mixed.initialize('fc1_weight', a);
    mixed.initialize('xfc1_weight', b);
    expect([a.data[0], b.data[0]]).toEqual([1, 2]);
    // delegated initializers keep the name rules
    const bias = array([9]);
    mixed.initialize('fc1_bias', bias);
    expect(bias.data[0]).toBe(0);
  });

  test('Mixed without a matching pattern, or with mismatched lists, is a ValueError', () => {
    expect(() => new init.Mixed(['fc'], [new init.Zero()]).initialize('conv_weight', zeros([1]))).toThrow(/did not match any pattern/);
    expect(() => new init.Mixed(['a', 'b'], [new init.Zero()])).toThrow(ValueError);
    expect(() => new init.Mixed(['('], [new init.Zero()])).toThrow(ValueError);
    expect(() => new init.Mixed(['.*'], [new init.Zero()]).dumps()).toThrow(ValueError);
  });

  test('Load copies saved arrays (arg:/aux: prefixes stripped) and falls back to defaultInit', () => {
    const load = new init.Load({ 'arg:fc_weight': array([1, 2]), 'aux:bn_moving_var': array([3]) }, new init.Constant(7));
    const w = zeros([2]);
    const m = zeros([1]);
    const other = zeros([1]);
    load.initialize('fc_weight', w);
    load.initialize('bn_moving_var', m);
    load.initialize('other_weight', other);
    expect([...w.data, ...m.data, ...other.data]).toEqual([1, 2, 3, 7]);
  });

  test('Load: a shape mismatch is a ShapeError; a missing name without default a ValueError', () => {
    const load = new init.Load({ fc_weight: array([1, 2]) });
    expect(() => load.initialize('fc_weight', zeros([3]))).toThrow(ShapeError);
    expect(() => load.initialize('fc_weight', zeros([3]))).toThrow('Load: fc_weight cannot be initialized from loading: shape mismatch, target [3] vs loaded [2]');
    expect(() => load.initialize('fc_bias', zeros([3]))).toThrow(ValueError);
  });
});
