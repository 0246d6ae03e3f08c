/**
 * Comparisons and logic, element-wise (_equal ...), broadcast (broadcast_equal ...) and with a
 * scalar (_equal_scalar ...): 1/0 as float32, NaN and C truthiness, MXNet docstrings, zero
 * gradients, aliases, and both front ends, on every backend.
 */
import * as mx from 'mxts';
import fc from 'fast-check';
import { describeEachBackend } from '../../helpers/backends';
import { EXACT, expectFrontEndsAgree, nd, sym, uniform } from './helpers';

const truthy = (v: number) => v !== 0; // C: NaN is true

/** The relation each function tests, in float64 with C semantics. */
const RELATIONS: Record<string, (a: number, b: number) => boolean> = {
  equal: (a, b) => a === b,
  not_equal: (a, b) => a !== b,
  greater: (a, b) => a > b,
  greater_equal: (a, b) => a >= b,
  lesser: (a, b) => a < b,
  lesser_equal: (a, b) => a <= b,
  logical_and: (a, b) => truthy(a) && truthy(b),
  logical_or: (a, b) => truthy(a) || truthy(b),
  logical_xor: (a, b) => truthy(a) !== truthy(b),
};

/** MXNet's legacy aliases (mxnet-1.9.1-op-aliases.tsv). */
const ALIASES: Record<string, [string, string]> = {
  equal: ['_Equal', '_EqualScalar'],
  not_equal: ['_Not_Equal', '_NotEqualScalar'],
  greater: ['_Greater', '_GreaterScalar'],
  greater_equal: ['_Greater_Equal', '_GreaterEqualScalar'],
  lesser: ['_Lesser', '_LesserScalar'],
  lesser_equal: ['_Lesser_Equal', '_LesserEqualScalar'],
  logical_and: ['_Logical_And', '_LogicalAndScalar'],
  logical_or: ['_Logical_Or', '_LogicalOrScalar'],
  logical_xor: ['_Logical_Xor', '_LogicalXorScalar'],
};

/** Small integers so that ties happen, plus zeros, NaN and infinities. */
const SPECIAL = [0, -0, 1, -1, 2, NaN, Infinity, -Infinity, 0.5];
const pairs = SPECIAL.flatMap((a) => SPECIAL.map((b) => [a, b] as const));

const tableOf = (f: (a: number, b: number) => boolean, a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a, (v, i) => (f(v, b[i]!) ? 1 : 0));

describeEachBackend('comparisons and logic', () => {
  describe.each(Object.keys(RELATIONS))('%s', (fn) => {
    const relation = RELATIONS[fn]!;
    const [alias, scalarAlias] = ALIASES[fn]!;

    test('element-wise over every pair of special values (NaN, +-0, +-inf), and its alias', () => {
      const a = mx.nd.array(pairs.map(([x]) => x));
      const b = mx.nd.array(pairs.map(([, y]) => y));
      const expected = tableOf(relation, a.data, b.data);
      mx.testUtils.assertAlmostEqual(nd[`_${fn}`]!(a, b).data, expected, EXACT);
      mx.testUtils.assertAlmostEqual(nd[alias]!(a, b).data, expected, EXACT);
      expectFrontEndsAgree(`_${fn}`, [a, b]);
    });

    test('broadcast over seeded small integers ([3,1,4] against [2,1])', () => {
      const a = mx.nd.array(Array.from(uniform(-2, 3, [12], 51).data, Math.floor), { shape: [3, 1, 4] });
      const b = mx.nd.array(Array.from(uniform(-2, 3, [2], 52).data, Math.floor), { shape: [2, 1] });
      const out = nd[`broadcast_${fn}`]!(a, b);
      expect(out.shape).toEqual([3, 2, 4]);
      const expected: number[] = [];
      for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 4; k++) expected.push(relation(a.data[i * 4 + k]!, b.data[j]!) ? 1 : 0);
      mx.testUtils.assertAlmostEqual(out.data, expected, EXACT);
      expectFrontEndsAgree(`broadcast_${fn}`, [a, b]);
    });

    test('with a scalar (compared as float32), and its alias', () => {
      const x = mx.nd.array(SPECIAL);
      for (const scalar of [0, 1, -1, 0.1]) {
        const params = { scalar };
        const expected = tableOf(relation, x.data, new Array(SPECIAL.length).fill(Math.fround(scalar)));
        mx.testUtils.assertAlmostEqual(nd[`_${fn}_scalar`]!(x, params).data, expected, EXACT);
        mx.testUtils.assertAlmostEqual(nd[scalarAlias]!(x, params).data, expected, EXACT);
      }
      expectFrontEndsAgree(`_${fn}_scalar`, [x], { scalar: 1 });
    });

    test('gradients are zeros for every input, whatever the head gradient (MakeZeroGradNodes)', () => {
      const a = uniform(-1, 1, [2, 3], 53);
      const b = uniform(-1, 1, [1, 3], 54);
      const g = mx.nd.array([[1, NaN, Infinity], [2, 3, 4]]);
      const exec = sym[`broadcast_${fn}`]!(mx.sym.Variable('a'), mx.sym.Variable('b')).bind(mx.cpu(), { a, b }, { gradReq: 'write' });
      exec.forward(true);
      exec.backward([g]);
      expect(Array.from(exec.gradDict['a']!.data)).toEqual(new Array(6).fill(0));
      expect(Array.from(exec.gradDict['b']!.data)).toEqual(new Array(3).fill(0));
      const sx = sym[`_${fn}_scalar`]!(mx.sym.Variable('x'), { scalar: 0.5 }).bind(mx.cpu(), { x: a }, { gradReq: 'write' });
      sx.forward(true);
      sx.backward([mx.nd.full([2, 3], NaN)]);
      expect(Array.from(sx.gradDict['x']!.data)).toEqual(new Array(6).fill(0));
    });
  });

  test('MXNet docstrings: broadcast comparisons of x = ones(2,3) with y = [[0],[1]]', () => {
    const x = mx.nd.ones([2, 3]);
    const y = mx.nd.array([[0], [1]]);
    const table: Record<string, number[][]> = {
      broadcast_equal: [[0, 0, 0], [1, 1, 1]],
      broadcast_not_equal: [[1, 1, 1], [0, 0, 0]],
      broadcast_greater: [[1, 1, 1], [0, 0, 0]],
      broadcast_greater_equal: [[1, 1, 1], [1, 1, 1]],
      broadcast_lesser: [[0, 0, 0], [0, 0, 0]],
      broadcast_lesser_equal: [[0, 0, 0], [1, 1, 1]],
      broadcast_logical_and: [[0, 0, 0], [1, 1, 1]],
    };
    for (const [op, expected] of Object.entries(table)) expect(nd[op]!(x, y).toArray()).toEqual(expected);
    const z = mx.nd.array([[1, 1, 0], [1, 1, 0]]);
    const w = mx.nd.array([[1], [0]]);
    expect(nd['broadcast_logical_or']!(z, w).toArray()).toEqual([[1, 1, 1], [1, 1, 0]]);
    expect(nd['broadcast_logical_xor']!(z, w).toArray()).toEqual([[0, 0, 1], [1, 1, 0]]);
  });

  test('the scalar is rounded to float32 before comparing, as MXNet casts it to the data type', () => {
    const x = mx.nd.array([0.1]);
    expect(nd['_equal_scalar']!(x, { scalar: 0.1 }).data[0]).toBe(1);
    expect(nd['_greater_scalar']!(x, { scalar: 0.1 }).data[0]).toBe(0);
  });

  test('a scalar that is not a finite number is a ParamError naming op and argument', () => {
    expect(() => nd['_equal_scalar']!(mx.nd.ones([2]), { scalar: 'nan' })).toThrow(mx.ParamError);
    expect(() => nd['_equal_scalar']!(mx.nd.ones([2]), { scalar: 'two' })).toThrow(/scalar/);
  });

  test('property: broadcast comparison shapes are the NumPy broadcast of the operands', () => {
    const dims = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 3 });
    fc.assert(fc.property(dims, fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), (shape, ones) => {
      const full = shape.length ? shape : [2];
      const other = full.map((d, i) => (ones[i] ? 1 : d));
      const out = nd['broadcast_greater']!(mx.nd.ones(full), mx.nd.zeros(other));
      expect(out.shape).toEqual(full);
      expect(Array.from(out.data).every((v) => v === 1)).toBe(true);
    }), { numRuns: 40 });
  });
});
