/**
 * Binary arithmetic, mod and hypot, element-wise and broadcast: float64 references on seeded
 * inputs, MXNet's mod for negative operands and zero divisors, NaN in maximum/minimum, gradients
 * reduced over broadcast axes, MXNet docstrings, _grad_add, shape errors; on every backend.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { EXACT, F32, NUMERIC, expectFrontEndsAgree, nd, sym, uniform } from './helpers';

/** Python's % (the divisor's sign), 0 for a zero divisor: C's exact fmod (JS %), moved to the divisor's side. */
function pythonMod(a: number, b: number): number {
  if (b === 0) return 0;
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

interface Case {
  readonly f: (a: number, b: number) => number;
  readonly da: (a: number, b: number) => number;
  readonly db: (a: number, b: number) => number;
  readonly elemwise: string;
  readonly broadcast: string;
}

/** Textbook formulas (MXNet test_operator's numpy references). */
const CASES: Record<string, Case> = {
  add: { f: (a, b) => a + b, da: () => 1, db: () => 1, elemwise: 'elemwise_add', broadcast: 'broadcast_add' },
  sub: { f: (a, b) => a - b, da: () => 1, db: () => -1, elemwise: 'elemwise_sub', broadcast: 'broadcast_sub' },
  mul: { f: (a, b) => a * b, da: (_a, b) => b, db: (a) => a, elemwise: 'elemwise_mul', broadcast: 'broadcast_mul' },
  div: { f: (a, b) => a / b, da: (_a, b) => 1 / b, db: (a, b) => -a / (b * b), elemwise: 'elemwise_div', broadcast: 'broadcast_div' },
  maximum: { f: Math.max, da: (a, b) => (a >= b ? 1 : 0), db: (a, b) => (a < b ? 1 : 0), elemwise: '_maximum', broadcast: 'broadcast_maximum' },
  minimum: { f: Math.min, da: (a, b) => (a <= b ? 1 : 0), db: (a, b) => (a > b ? 1 : 0), elemwise: '_minimum', broadcast: 'broadcast_minimum' },
  power: { f: Math.pow, da: (a, b) => b * Math.pow(a, b - 1), db: (a, b) => Math.pow(a, b) * Math.log(a), elemwise: '_power', broadcast: 'broadcast_power' },
  // MXNet test_binary_op / test_broadcast_binary_op: mod's gradients are g and -g * (a // b).
  mod: { f: pythonMod, da: () => 1, db: (a, b) => -Math.floor(a / b), elemwise: '_mod', broadcast: 'broadcast_mod' },
  hypot: { f: Math.hypot, da: (a, b) => a / Math.hypot(a, b), db: (a, b) => b / Math.hypot(a, b), elemwise: '_hypot', broadcast: 'broadcast_hypot' },
};

/** Positive operands for power (ln a) and well away from ties and integer quotients. */
const inputs = (shapeA: number[], shapeB: number[], seed: number) => [uniform(0.5, 3, shapeA, seed), uniform(0.5, 3, shapeB, seed + 1).add(0.0137)] as const;

/** Float64 broadcast reference: values and the two gradients summed to the operands' shapes. */
function reference(c: Case, a: mx.NDArray, b: mx.NDArray, g: mx.NDArray) {
  const outShape = g.shape;
  const index = (shape: readonly number[], o: number) => {
    let rest = o;
    let flat = 0;
    let stride = 1;
    for (let k = outShape.length - 1; k >= 0; k--) {
      const i = rest % outShape[k]!;
      rest = Math.floor(rest / outShape[k]!);
      const axis = k - (outShape.length - shape.length);
      if (axis >= 0) {
        flat += (shape[axis] === 1 ? 0 : i) * stride;
        stride *= shape[axis]!;
      }
    }
    return flat;
  };
  const out: number[] = [];
  const ga = new Array<number>(a.size).fill(0);
  const gb = new Array<number>(b.size).fill(0);
  for (let o = 0; o < g.size; o++) {
    const ia = index(a.shape, o);
    const ib = index(b.shape, o);
    const [x, y] = [a.data[ia]!, b.data[ib]!];
    out.push(c.f(x, y));
    ga[ia]! += g.data[o]! * c.da(x, y);
    gb[ib]! += g.data[o]! * c.db(x, y);
  }
  return { out, ga, gb };
}

function run(op: string, a: mx.NDArray, b: mx.NDArray, g: mx.NDArray) {
  const exec = sym[op]!(mx.sym.Variable('a'), mx.sym.Variable('b')).bind(mx.cpu(), { a, b }, { gradReq: 'write' });
  const out = exec.forward(true)[0]!;
  exec.backward([g]);
  return { out, ga: exec.gradDict['a']!, gb: exec.gradDict['b']! };
}

describeEachBackend('binary arithmetic', () => {
  describe.each(Object.keys(CASES))('%s', (name) => {
    const c = CASES[name]!;

    test('elemwise: values and both gradients match the float64 reference', () => {
      const [a, b] = inputs([3, 5], [3, 5], 41);
      const g = uniform(-1, 1, [3, 5], 43);
      const ref = reference(c, a, b, g);
      const got = run(c.elemwise, a, b, g);
      mx.testUtils.assertAlmostEqual(got.out.data, ref.out, F32);
      mx.testUtils.assertAlmostEqual(got.ga.data, ref.ga, { rtol: 1e-5, atol: 1e-6 });
      mx.testUtils.assertAlmostEqual(got.gb.data, ref.gb, { rtol: 1e-5, atol: 1e-6 });
      expectFrontEndsAgree(c.elemwise, [a, b]);
    });

    test.each([
      [[2, 3, 4], [2, 3, 4]],
      [[2, 1, 4], [1, 3, 1]],
      [[3, 4], [4]],
      [[1], [2, 3]],
    ])('broadcast %j with %j: values and gradients summed over the broadcast axes', (shapeA, shapeB) => {
      const [a, b] = inputs(shapeA, shapeB, 44);
      const outShape = mx.sym.broadcast_add(mx.sym.Variable('a'), mx.sym.Variable('b')).inferShape({ a: shapeA, b: shapeB }).outShapes[0]!;
      const g = uniform(-1, 1, outShape, 46);
      const ref = reference(c, a, b, g);
      const got = run(c.broadcast, a, b, g);
      expect(got.out.shape).toEqual(outShape);
      mx.testUtils.assertAlmostEqual(got.out.data, ref.out, F32);
      mx.testUtils.assertAlmostEqual(got.ga.data, ref.ga, { rtol: 1e-5, atol: 1e-5 });
      mx.testUtils.assertAlmostEqual(got.gb.data, ref.gb, { rtol: 1e-5, atol: 1e-5 });
      expectFrontEndsAgree(c.broadcast, [a, b]);
    });

    test('numeric gradient of the broadcast op ([3,1] against [1,4])', () => {
      const [a, b] = inputs([3, 1], [1, 4], 47);
      mx.testUtils.checkNumericGradient(sym[c.broadcast]!(mx.sym.Variable('a'), mx.sym.Variable('b')), { a, b }, { ...NUMERIC, numericEps: 1e-3 });
    });
  });

  test("MXNet's mod: the divisor's sign for negative operands, 0 for a zero divisor, NaN from NaN and infinite dividends", () => {
    const a = mx.nd.array([7, -7, 7, -7, 5, 0, -3, NaN, Infinity, 2.5, -1]);
    const b = mx.nd.array([3, 3, -3, -3, 0, 2, 3, 2, 2, 1, Infinity]);
    mx.testUtils.assertAlmostEqual(nd['_mod']!(a, b).data, [1, 2, -2, -1, 0, 0, 0, NaN, NaN, 0.5, Infinity], EXACT);
    // float32 operands are computed in float64 before rounding: 0.3 mod 0.1 is no multiple of 0.1.
    const x = mx.nd.array([0.3]);
    const y = mx.nd.array([0.1]);
    expect(nd['_mod']!(x, y).data[0]).toBe(Math.fround(pythonMod(x.data[0]!, y.data[0]!)));
  });

  test('MXNet docstrings: broadcast_mod and broadcast_hypot', () => {
    const x = mx.nd.array([[8, 8, 8], [8, 8, 8]]);
    expect(nd['broadcast_mod']!(x, mx.nd.array([[2], [3]])).toArray()).toEqual([[0, 0, 0], [2, 2, 2]]);
    const three = mx.nd.array([[3, 3, 3]]);
    expect(nd['broadcast_hypot']!(three, mx.nd.array([[4], [4]])).toArray()).toEqual([[5, 5, 5], [5, 5, 5]]);
    expect(nd['broadcast_hypot']!(three, mx.nd.array([[0], [4]])).toArray()).toEqual([[3, 3, 3], [5, 5, 5]]);
  });

  test('maximum and minimum propagate NaN from either operand; gradients skip NaN comparisons', () => {
    const a = mx.nd.array([NaN, 1, 2, -0]);
    const b = mx.nd.array([1, NaN, 2, 0]);
    mx.testUtils.assertAlmostEqual(nd['_maximum']!(a, b).data, [NaN, NaN, 2, 0], EXACT);
    mx.testUtils.assertAlmostEqual(nd['_minimum']!(a, b).data, [NaN, NaN, 2, 0], EXACT);
    const got = run('_maximum', a, b, mx.nd.ones([4]));
    expect(Array.from(got.ga.data)).toEqual([0, 0, 1, 1]);
    expect(Array.from(got.gb.data)).toEqual([0, 0, 0, 0]);
  });

  test('hypot of huge operands does not overflow; its gradient at (0, 0) is NaN as 0/0', () => {
    expect(nd['_hypot']!(mx.nd.array([3e30]), mx.nd.array([4e30])).data[0]).toBe(Math.fround(5e30));
    const got = run('_hypot', mx.nd.array([0]), mx.nd.array([0]), mx.nd.ones([1]));
    expect(Number.isNaN(got.ga.data[0]!)).toBe(true);
  });

  test("gradReq 'add' accumulates the broadcast gradient onto what is there", () => {
    const [a, b] = inputs([2, 1], [1, 3], 48);
    const ga = mx.nd.array([[10], [20]]);
    const exec = mx.sym.broadcast_mul(mx.sym.Variable('a'), mx.sym.Variable('b')).bind(mx.cpu(), { a, b }, { argsGrad: { a: ga }, gradReq: { a: 'add', b: 'null' } });
    exec.forward(true);
    exec.backward([mx.nd.ones([2, 3])]);
    const sumB = Array.from(b.data).reduce((s, v) => s + v, 0);
    mx.testUtils.assertAlmostEqual(exec.gradDict['a']!.data, [10 + sumB, 20 + sumB], F32);
  });

  test('_grad_add adds like elemwise_add but has no gradient: binding one fails', () => {
    const [a, b] = inputs([2, 2], [2, 2], 49);
    mx.testUtils.assertAlmostEqual(nd['_grad_add']!(a, b).data, nd['elemwise_add']!(a, b).data, EXACT);
    const s = sym['_grad_add']!(mx.sym.Variable('a'), mx.sym.Variable('b'));
    expect(() => s.bind(mx.cpu(), { a, b }, { gradReq: 'write' })).toThrow(mx.MXNetError);
  });

  test('elemwise ops need equal shapes and broadcast ops compatible ones: shape errors name op, node and input', () => {
    const s = sym['_mod']!(mx.sym.Variable('a'), mx.sym.Variable('b'), { name: 'm' });
    expect(() => s.inferShape({ a: [2, 3], b: [3, 2] })).toThrow(mx.ShapeError);
    expect(() => s.inferShape({ a: [2, 3], b: [3, 2] })).toThrow("_mod 'm': rhs shape [3,2] does not match lhs [2,3]");
    const t = sym['broadcast_hypot']!(mx.sym.Variable('a'), mx.sym.Variable('b'), { name: 'h' });
    expect(() => t.inferShape({ a: [2, 3], b: [4] })).toThrow(/broadcast_hypot 'h': rhs shape \[4\] cannot be broadcast with lhs \[2,3\]/);
  });
});
