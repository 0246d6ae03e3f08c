/**
 * `_shuffle` (MXNet random/shuffle_op.cc): a permutation along the first axis that keeps rows
 * intact, uniform over the permutations (chi-square over the 24 orders of 4 rows above p = 1e-6),
 * in place or not, reproducible; no gradient, as MXNet registers none.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { getOp } from '../../../src/ops/registry';
import { describeEachBackend, testContext } from '../../helpers/backends';
import { chiSquarePValue, P_MIN, range } from './statistics';

const rowsOf = (a: mx.NDArray) => (a.toArray() as number[][]).map((r) => JSON.stringify(r));

describeEachBackend('_shuffle', () => {
  test('a 2-d array keeps its rows, in some order (MXNet docstring)', () => {
    mx.random.seed(2);
    const x = mx.nd.arange(0, 20).reshape([5, 4]);
    const out = mx.nd._shuffle(x);
    expect(out.shape).toEqual([5, 4]);
    expect([...rowsOf(out)].sort()).toEqual([...rowsOf(x)].sort());
  });

  test('property: 1-d to 4-d inputs come out as a permutation of their first-axis slices', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }), fc.integer(), (shape, seed) => {
      mx.random.seed(seed);
      const size = shape.reduce((a, b) => a * b, 1);
      const x = mx.nd.arange(0, size).reshape(shape);
      const out = mx.nd.shuffle(x);
      const row = size / shape[0]!;
      const slices = (a: Float32Array) => range(shape[0]!).map((r) => Array.from(a.subarray(r * row, (r + 1) * row)).join(','));
      expect(slices(out.data).sort()).toEqual(slices(x.data).sort());
    }), { numRuns: 50 });
  });

  test('all 24 orders of 4 rows are equally likely (chi-square)', () => {
    mx.random.seed(8);
    const exec = mx.sym._shuffle({ data: mx.sym.Variable('x') }).bind(mx.cpu(), { x: mx.nd.array([0, 1, 2, 3]) }, { gradReq: 'null' });
    const orders = new Map<string, number>();
    const draws: number[] = [];
    for (let i = 0; i < 12000; i++) {
      const key = Array.from(exec.forward()[0]!.data).join('');
      if (!orders.has(key)) orders.set(key, orders.size);
      draws.push(orders.get(key)!);
    }
    expect(orders.size).toBe(24);
    expect(chiSquarePValue(draws, () => 1 / 24, range(24))).toBeGreaterThan(P_MIN);
  });

  test('in place (output buffer = input buffer) gives the same order as out of place; add accumulates', () => {
    const def = getOp('_shuffle');
    const ctx = testContext(false, 8 + 5);
    const source = Float32Array.from(range(40));
    mx.random.seed(6);
    const out = new Float32Array(40);
    def.forward({}, [{ data: source, shape: [5, 8] }], [{ data: out, shape: [5, 8] }], ['write'], ctx);
    mx.random.seed(6);
    const inPlace = Float32Array.from(range(40));
    def.forward({}, [{ data: inPlace, shape: [5, 8] }], [{ data: inPlace, shape: [5, 8] }], ['write'], ctx);
    expect(Array.from(inPlace)).toEqual(Array.from(out));
    mx.random.seed(6);
    const added = new Float32Array(40).fill(100);
    def.forward({}, [{ data: source, shape: [5, 8] }], [{ data: added, shape: [5, 8] }], ['add'], ctx);
    expect(Array.from(added)).toEqual(Array.from(out, (v) => v + 100));
  });

  test('inside a graph, where the memory plan may hand it its input buffer, the rows are still a permutation', () => {
    mx.random.seed(19);
    const x = mx.nd.random.uniform(-1, 1, [6, 3]);
    const s = mx.sym._shuffle({ data: mx.sym.exp(mx.sym.Variable('x')) });
    const [out] = s.bind(mx.cpu(), { x }, { gradReq: 'null' }).forward();
    expect([...rowsOf(out!)].sort()).toEqual([...rowsOf(mx.nd.exp(x))].sort());
  });

  test('the same seed gives the same order; another seed another', () => {
    const x = mx.nd.arange(0, 10);
    mx.random.seed(1);
    const a = Array.from(mx.nd._shuffle(x).data);
    mx.random.seed(1);
    expect(Array.from(mx.nd.shuffle(x).data)).toEqual(a);
    mx.random.seed(2);
    expect(Array.from(mx.nd._shuffle(x).data)).not.toEqual(a);
  });
});

describe('_shuffle shapes and gradient', () => {
  test('the output has the data shape, inferred both ways', () => {
    const s = mx.sym._shuffle({ data: mx.sym.Variable('x') });
    expect(s.inferShape({ x: [3, 2] }).outShapes).toEqual([[3, 2]]);
    expect(mx.sym.elemwise_add(s, mx.sym.Variable('y')).inferShape({ y: [4, 1] }).argShapes).toEqual([[4, 1], [4, 1]]);
  });

  test('no gradient: binding with a gradient through _shuffle fails, as MXNet registers no FGradient', () => {
    const s = mx.sym._shuffle({ data: mx.sym.Variable('x'), name: 'sh' });
    expect(() => s.bind(mx.cpu(), { x: mx.nd.ones([3]) }, { gradReq: 'write' })).toThrow(mx.MXNetError);
    expect(() => s.bind(mx.cpu(), { x: mx.nd.ones([3]) }, { gradReq: 'write' })).toThrow(/_shuffle/);
  });
});
