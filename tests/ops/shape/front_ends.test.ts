/**
 * mx.nd.X and mx.sym.X + bind agree for every op of the family, on seeded inputs (and through a
 * JSON round trip of the symbol, which stores the parameters as MXNet's strings).
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { EXACT, forwardSym } from './reference';

type Case = readonly [op: string, inputShapes: readonly (readonly number[])[], params: Record<string, unknown>];

const CASES: readonly Case[] = [
  ['_zeros', [], { shape: [2, 3] }],
  ['_full', [], { shape: [3], value: -2.5 }],
  ['_linspace', [], { start: -1, stop: 1, num: 7, endpoint: false }],
  ['_contrib_arange_like', [[2, 3]], { start: 1, step: 0.5, axis: 1 }],
  ['squeeze', [[2, 1, 3, 1]], { axis: [-1] }],
  ['reshape_like', [[2, 6], [3, 4]], {}],
  ['where', [[2, 3], [2, 3], [2, 3]], {}],
  ['slice', [[4, 5]], { begin: [null, -1], end: [null, 0], step: [2, -2] }],
  ['slice_like', [[4, 5], [2, 3]], { axes: [1] }],
  ['_slice_assign', [[4, 5], [2, 5]], { begin: [1], end: [3] }],
  ['_slice_assign_scalar', [[4, 5]], { scalar: 3, begin: [0, 1], end: [4, 5], step: [2, 2] }],
  ['tile', [[2, 3]], { reps: [2, 1, 2] }],
  ['repeat', [[2, 3]], { repeats: 2, axis: 0 }],
  ['reverse', [[2, 3, 4]], { axis: [0, 2] }],
  ['SwapAxis', [[2, 3, 4]], { dim1: 0, dim2: 2 }],
  ['stack', [[2, 3], [2, 3]], { axis: 1 }],
  ['broadcast_to', [[1, 3]], { shape: [4, 0] }],
  ['broadcast_like', [[1, 3], [2, 3]], {}],
  ['broadcast_axis', [[2, 1]], { axis: [1], size: [3] }],
  ['identity', [[2, 3]], {}],
  ['shape_array', [[2, 3, 4]], {}],
  ['Pad', [[1, 2, 3, 3]], { mode: 'reflect', pad_width: [0, 0, 0, 0, 2, 1, 1, 2] }],
  ['Crop', [[1, 2, 5, 5]], { num_args: 1, h_w: [3, 2], center_crop: true }],
  ['depth_to_space', [[1, 8, 2, 3]], { block_size: 2 }],
  ['space_to_depth', [[1, 2, 4, 6]], { block_size: 2 }],
];

describeEachBackend('mx.nd and mx.sym agree', () => {
  beforeEach(() => mx.random.seed(101));

  test.each(CASES)('%s', (op, inputShapes, params) => {
    const inputs = inputShapes.map((shape) => mx.nd.random.uniform(-1, 1, shape));
    const nd = (mx.nd as unknown as Record<string, (...args: unknown[]) => mx.NDArray | mx.NDArray[]>)[op]!;
    const sym = (mx.sym as unknown as Record<string, (...args: unknown[]) => mx.Symbol>)[op]!;
    const viaNd = nd(...inputs, params);
    const names = inputs.map((_, i) => `in${i}`);
    const symbol = sym(...names.map((n) => mx.sym.Variable(n)), params);
    const args = Object.fromEntries(names.map((n, i) => [n, inputs[i]!]));
    const viaSym = forwardSym(symbol, args);
    const viaJson = forwardSym(mx.sym.fromJSON(symbol.toJSON()), args);
    const expected = Array.isArray(viaNd) ? viaNd : [viaNd];
    expect(viaSym.length).toBe(expected.length);
    expected.forEach((want, i) => {
      mx.testUtils.assertAlmostEqual(viaSym[i]!, want, EXACT);
      mx.testUtils.assertAlmostEqual(viaJson[i]!, want, EXACT);
    });
  });

  test('_split_v2 (multi-output) agrees too', () => {
    const x = mx.nd.random.uniform(-1, 1, [3, 6]);
    const viaNd = mx.nd._split_v2(x, { indices: [0, 1, 4], axis: 1 });
    const viaSym = forwardSym(mx.sym._split_v2({ data: mx.sym.Variable('x'), indices: [0, 1, 4], axis: 1 }), { x });
    viaNd.forEach((want, i) => mx.testUtils.assertAlmostEqual(viaSym[i]!, want, EXACT));
  });
});
