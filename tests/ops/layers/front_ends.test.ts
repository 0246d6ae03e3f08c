/** Every layer op gives the same forward values through mx.nd and through mx.sym + bind. */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

type Case = [name: string, inputs: () => Record<string, mx.NDArray>, params: Record<string, unknown>];

const u = (shape: number[], low = -1, high = 1) => mx.nd.random.uniform(low, high, shape);

const CASES: Case[] = [
  ['LayerNorm', () => ({ data: u([2, 3]), gamma: u([3]), beta: u([3]) }), {}],
  ['InstanceNorm', () => ({ data: u([2, 3, 2]), gamma: u([3]), beta: u([3]) }), {}],
  ['GroupNorm', () => ({ data: u([2, 4, 2]), gamma: u([2]), beta: u([2]) }), { num_groups: 2 }],
  ['L2Normalization', () => ({ data: u([2, 3, 2]) }), { mode: 'spatial' }],
  ['LRN', () => ({ data: u([1, 4, 2, 2]) }), { nsize: 3 }],
  ['SequenceMask', () => ({ data: u([3, 2, 2]), sequence_length: mx.nd.array([1, 3]) }), { use_sequence_length: true, value: -2 }],
  ['SequenceLast', () => ({ data: u([3, 2, 2]), sequence_length: mx.nd.array([2, 1]) }), { use_sequence_length: true }],
  ['SequenceReverse', () => ({ data: u([3, 2, 2]), sequence_length: mx.nd.array([2, 3]) }), { use_sequence_length: true }],
  ['softmin', () => ({ data: u([2, 3]) }), { temperature: 2 }],
  ['softmax_cross_entropy', () => ({ data: u([2, 3]), label: mx.nd.array([2, 0]) }), {}],
  ['SVMOutput', () => ({ data: u([2, 3]), label: mx.nd.array([2, 0]) }), { margin: 0.5 }],
  ['_contrib_gradientmultiplier', () => ({ data: u([2, 3]) }), { scalar: 3 }],
  ['_contrib_round_ste', () => ({ data: u([2, 3], -3, 3) }), {}],
  ['_contrib_sign_ste', () => ({ data: u([2, 3]) }), {}],
  ['_contrib_quadratic', () => ({ data: u([2, 3]) }), { a: 1, b: -2, c: 0.5 }],
  ['_contrib_div_sqrt_dim', () => ({ data: u([2, 4]) }), {}],
  ['CTCLoss', () => ({ data: u([4, 2, 3]), label: mx.nd.array([[1, 2], [2, 0]]) }), {}],
];

beforeEach(() => mx.random.seed(29));

describeEachBackend('layer ops through both front ends', () => {
  test.each(CASES)('%s: mx.nd and mx.sym + bind agree exactly', (name, makeInputs, params) => {
    const inputs = makeInputs();
    const nd = (mx.nd as unknown as Record<string, (...a: unknown[]) => mx.NDArray>)[name]!;
    const sym = (mx.sym as unknown as Record<string, (...a: unknown[]) => mx.Symbol>)[name]!;
    const imperative = nd({ ...inputs, ...params });
    const variables = Object.fromEntries(Object.keys(inputs).map((k) => [k, mx.sym.Variable(k)]));
    const symbol = sym({ ...variables, ...params });
    const exec = symbol.bind(mx.cpu(), inputs, { gradReq: 'null' });
    const [out] = exec.forward(false);
    expect(out!.shape).toEqual(imperative.shape);
    mx.testUtils.assertAlmostEqual(out!, imperative, { rtol: 0, atol: 0 });
  });
});
