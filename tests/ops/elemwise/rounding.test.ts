/**
 * Rounding, sign and logical_not: MXNet's docstring examples, its tie rules (round: halves away
 * from zero; rint: the floor on a tie, so 1.5 -> 1 and -1.5 -> -2; fix and trunc: toward zero),
 * NaN and infinities, and MXNet's zero gradients, on every backend.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { EXACT, expectFrontEndsAgree, forwardBackward, nd, uniform } from './helpers';

const ROUNDING = ['round', 'rint', 'fix', 'trunc', 'ceil', 'floor'] as const;

/** Float64 references written from the rules in MXNet's docs and mshadow_op. */
const RULES: Record<(typeof ROUNDING)[number], (x: number) => number> = {
  round: (x) => Math.sign(x) * Math.floor(Math.abs(x) + 0.5),
  rint: (x) => (x - Math.floor(x) <= Math.ceil(x) - x ? Math.floor(x) : Math.ceil(x)),
  fix: (x) => (x < 0 ? Math.ceil(x) : Math.floor(x)),
  trunc: (x) => (x < 0 ? Math.ceil(x) : Math.floor(x)),
  ceil: Math.ceil,
  floor: Math.floor,
};

const values = (a: mx.NDArray) => Array.from(a.data);

describeEachBackend('rounding, sign and logical_not', () => {
  test('MXNet docstrings', () => {
    const x = mx.nd.array([-2.1, -1.9, 1.5, 1.9, 2.1]);
    const halves = mx.nd.array([-1.5, 1.5, -1.9, 1.9, 2.1]);
    expect(values(nd['round']!(halves))).toEqual([-2, 2, -2, 2, 2]);
    expect(values(nd['rint']!(halves))).toEqual([-2, 1, -2, 2, 2]);
    expect(values(nd['ceil']!(x))).toEqual([-2, -1, 2, 2, 3]);
    expect(values(nd['floor']!(x))).toEqual([-3, -2, 1, 1, 2]);
    expect(values(nd['trunc']!(x))).toEqual([-2, -1, 1, 1, 2]);
    expect(values(nd['fix']!(mx.nd.array([-2.1, -1.9, 1.9, 2.1])))).toEqual([-2, -1, 1, 2]);
    expect(values(nd['sign']!(mx.nd.array([-2, 0, 3])))).toEqual([-1, 0, 1]);
    expect(values(nd['logical_not']!(mx.nd.array([-2, 0, 1])))).toEqual([0, 1, 0]);
  });

  test('MXNet test_round_ceil_floor: round + ceil + floor of 5.543 is 17', () => {
    const x = mx.nd.full([3, 4], 5.543);
    const sum = nd['round']!(x).add(nd['ceil']!(x)).add(nd['floor']!(x));
    expect(values(sum)).toEqual(new Array(12).fill(17));
  });

  test('ties: round goes away from zero, rint to the floor, fix and trunc toward zero', () => {
    const ties = mx.nd.array([0.5, -0.5, 2.5, -2.5, 3.5, -3.5]);
    expect(values(nd['round']!(ties))).toEqual([1, -1, 3, -3, 4, -4]);
    expect(values(nd['rint']!(ties))).toEqual([0, -1, 2, -3, 3, -4]);
    expect(values(nd['fix']!(ties))).toEqual([0, -0, 2, -2, 3, -3]);
    expect(values(nd['trunc']!(ties))).toEqual([0, -0, 2, -2, 3, -3]);
  });

  test.each(ROUNDING)('%s matches its rule on seeded inputs, keeps large integers, and passes NaN and infinities', (op) => {
    const x = uniform(-50, 50, [5, 20], 21);
    mx.testUtils.assertAlmostEqual(nd[op]!(x).data, Array.from(x.data, RULES[op]), EXACT);
    const special = mx.nd.array([16777216, -8388609, 0.49999997, NaN, Infinity, -Infinity]);
    mx.testUtils.assertAlmostEqual(nd[op]!(special).data, Array.from(special.data, RULES[op]), EXACT);
    expectFrontEndsAgree(op, [x]);
  });

  test('sign of NaN is 0 and logical_not treats NaN as true, as C', () => {
    expect(values(nd['sign']!(mx.nd.array([NaN, -0, -Infinity])))).toEqual([0, 0, -1]);
    expect(values(nd['logical_not']!(mx.nd.array([NaN, -0, 1e-30])))).toEqual([0, 1, 0]);
  });

  test.each([...ROUNDING, 'logical_not'])('%s: the gradient is zeros even where the head gradient is NaN (MakeZeroGradNodes)', (op) => {
    const x = uniform(-3, 3, [2, 4], 22);
    const g = mx.nd.array([[1, NaN, Infinity, -2], [3, 4, 5, 6]]);
    const [, dx] = forwardBackward(op, x, g);
    expect(values(dx)).toEqual(new Array(8).fill(0));
  });

  test('sign: the gradient is head gradient times 0, so a NaN head gradient stays NaN (_backward_sign)', () => {
    const [, dx] = forwardBackward('sign', mx.nd.array([-1, 2, 3]), mx.nd.array([5, NaN, -1]));
    mx.testUtils.assertAlmostEqual(dx.data, [0, NaN, -0], EXACT);
  });

  test("gradReq 'add' leaves the accumulated gradient unchanged for a zero-gradient op", () => {
    const x = mx.nd.array([0.2, 1.7]);
    const grad = mx.nd.array([5, -6]);
    const exec = mx.sym.floor(mx.sym.Variable('x')).bind(mx.cpu(), { x }, { argsGrad: { x: grad }, gradReq: 'add' });
    exec.forward(true);
    exec.backward([mx.nd.ones([2])]);
    expect(values(exec.gradDict['x']!)).toEqual([5, -6]);
  });
});
