/**
 * _rnn_param_concat: Concat's values and gradient (MXNet's concat docstring example), its special
 * shape rule (1 or 2 unknown inputs filled from the output, as gluon's fused layers need), and the
 * gluon packing pipeline into RNN.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { thrown } from '../../helpers/errors';
import { gluonPackOrder, pack, randomNamed, referenceRnn, RnnConfig } from './rnn_reference';

const EXACT = { rtol: 0, atol: 0 };

beforeEach(() => mx.random.seed(17));

describeEachBackend('_rnn_param_concat values', () => {
  test('MXNet concat docstring: x, y, z joined along dim 0, and y, z along dim 1', () => {
    const x = mx.nd.array([[1, 1], [2, 2]]);
    const y = mx.nd.array([[3, 3], [4, 4], [5, 5]]);
    const z = mx.nd.array([[6, 6], [7, 7], [8, 8]]);
    mx.testUtils.assertAlmostEqual(mx.nd._rnn_param_concat(x, y, z, { dim: 0 }), [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6], [7, 7], [8, 8]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._npi_rnn_param_concat(y, z, { dim: 1 }), [[3, 3, 6, 6], [4, 4, 7, 7], [5, 5, 8, 8]], EXACT);
  });

  test('the gradient splits the head gradient back (exact and numeric); sym agrees with nd', () => {
    const s = mx.sym._rnn_param_concat(mx.sym.Variable('a'), mx.sym.Variable('b'), { dim: 1, name: 'pc' });
    const loc = { a: mx.nd.random.uniform(-1, 1, [2, 1]), b: mx.nd.random.uniform(-1, 1, [2, 3]) };
    mx.testUtils.checkSymbolicForward(s, loc, [mx.nd._rnn_param_concat(loc.a, loc.b, { dim: 1 })], EXACT);
    mx.testUtils.checkSymbolicBackward(s, loc, [[[1, 2, 3, 4], [5, 6, 7, 8]]], { a: [[1], [5]], b: [[2, 3, 4], [6, 7, 8]] }, EXACT);
    mx.testUtils.checkNumericGradient(s, loc, { rtol: 1e-2, atol: 1e-3 });
  });

  test('gluon\'s packing (weights then biases, l/r per layer) feeds RNN the layer the reference computes', () => {
    const c: RnnConfig = { mode: 'lstm', layers: 2, bidirectional: true, hidden: 2, input: 3 };
    const named = randomNamed(c);
    const order = gluonPackOrder(c);
    const params = mx.sym._rnn_param_concat(...order.map((n) => mx.sym.Variable(n)), { dim: 0, name: 'pc' });
    const s = mx.sym.RNN({ data: mx.sym.Variable('data'), parameters: params, state: mx.sym.Variable('h0'), state_cell: mx.sym.Variable('c0'), mode: 'lstm', state_size: 2, num_layers: 2, bidirectional: true, name: 'rnn' });
    const data = mx.nd.random.uniform(-1, 1, [3, 2, 3]);
    const h0 = mx.nd.random.uniform(-1, 1, [4, 2, 2]);
    const c0 = mx.nd.random.uniform(-1, 1, [4, 2, 2]);
    const flat: Record<string, mx.NDArray> = Object.fromEntries(order.map((n) => [n, named[n]!.reshape([-1])]));
    const out = s.bind(mx.cpu(), { data, h0, c0, ...flat }).forward(false)[0]!;
    mx.testUtils.assertAlmostEqual(out, mx.nd.array(referenceRnn(c, data, named, h0, c0).out).reshape([3, 2, 4]), { rtol: 1e-4, atol: 1e-5 });
    mx.testUtils.assertAlmostEqual(mx.nd._rnn_param_concat(...order.map((n) => flat[n]!), { dim: 0 }), pack(c, named), EXACT);
  });
});

describe('_rnn_param_concat shape rule', () => {
  test('with the output known (from RNN), the 1 or 2 unknown i2h weights get the residual split evenly', () => {
    const c: RnnConfig = { mode: 'gru', layers: 1, bidirectional: true, hidden: 2, input: 5 };
    const order = gluonPackOrder(c);
    const params = mx.sym._rnn_param_concat(...order.map((n) => mx.sym.Variable(n)), { dim: 0, name: 'pc' });
    const s = mx.sym.RNN({ data: mx.sym.Variable('data'), parameters: params, mode: 'gru', state_size: 2, num_layers: 1, bidirectional: true, name: 'rnn' });
    const known: Record<string, number[]> = { data: [2, 1, 5] };
    for (const n of order) if (!n.endsWith('i2h_weight')) known[n] = [n.endsWith('bias') ? 6 : 12];
    const shapes = s.inferShape(known);
    const byName = Object.fromEntries(s.listArguments().map((n, i) => [n, shapes.argShapes[i]]));
    expect(byName['l0_i2h_weight']).toEqual([30]);
    expect(byName['r0_i2h_weight']).toEqual([30]);
    const one = mx.sym._rnn_param_concat(mx.sym.Variable('a'), mx.sym.Variable('b', { shape: [2, 3] }), { dim: 1 });
    // elemwise_add with a known operand tells the concat its output shape.
    expect(one.add(mx.sym.Variable('c')).inferShape({ b: [2, 3], c: [2, 7] }).argShapes).toEqual([[2, 4], [2, 3], [2, 7]]);
  });

  test('errors: inputs must agree off the axis; the known inputs must not exceed the output', () => {
    const s = mx.sym._rnn_param_concat(mx.sym.Variable('a'), mx.sym.Variable('b'), { dim: 0, name: 'pc' });
    const e = thrown(() => s.inferShape({ a: [2, 3], b: [2, 4] }));
    expect(e).toBeInstanceOf(mx.ShapeError);
    expect(e.message).toBe("_rnn_param_concat 'pc': arg1 shape [2,4] does not match [2,3] off the concat axis 0: inputs may differ only along dim");
    expect(() => s.add(mx.sym.Variable('c')).inferShape({ a: [5], c: [3] })).toThrow(/output size 3 along dim is less than the known inputs' 5/);
    expect(() => s.inferShape({ a: [2, 3], b: [2, 3, 1] })).toThrow(mx.ShapeError);
  });
});
