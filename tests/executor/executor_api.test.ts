/**
 * Executor.reshape and copyParamsFrom, checked on the examples of MXNet 1.9.1's executor.py
 * docstrings (bind.test.ts covers their validation in depth).
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../helpers/backends';
import { thrown } from '../helpers/errors';

describeEachBackend('Executor.reshape (executor.py docstring)', () => {
  const bound = () => {
    const c = mx.sym.Variable('a').mul(2).add(mx.sym.Variable('b')); // Python: 2 * a + b
    return c.bind(mx.cpu(), { a: mx.nd.zeros([2, 1]), b: mx.nd.ones([2, 1]) });
  };

  test("texec.reshape(allow_up_sizing=True, a=(4, 2), b=(4, 2)) computes 2a + b at the new shape", () => {
    const texec = bound();
    const big = texec.reshape({ a: [4, 2], b: [4, 2] }, { allowUpSizing: true });
    expect(big.argArrays.map((x) => x.shape)).toEqual([[4, 2], [4, 2]]);
    const a = [[0, 1], [2, 3], [4, 5], [6, 7]];
    const [out] = big.forward(false, { a, b: mx.nd.ones([4, 2]) });
    expect(out!.toArray()).toEqual(a.map((row) => row.map((v) => 2 * v + 1)));
  });

  test('without allowUpSizing growing is refused; an unnamed argument changing shape needs partialShaping', () => {
    expect(thrown(() => bound().reshape({ a: [4, 2], b: [4, 2] })).message).toBe('reshape: a new shape [4,2] is larger than [2,1]; pass allowUpSizing');
    const err = thrown(() => bound().reshape({ a: [1, 1] }));
    expect(err).toBeInstanceOf(mx.BindError);
    expect(err.message).toBe('reshape: b would change shape from [2,1] to [1,1]; give its shape or pass partialShaping');
    const small = bound().reshape({ a: [1, 1] }, { partialShaping: true });
    expect(small.forward(false, { a: [[3]], b: [[1]] })[0]!.toArray()).toEqual([[7]]);
  });
});

describeEachBackend('Executor.copyParamsFrom (executor.py docstring: parameters of a checkpoint)', () => {
  test('copies arguments and auxiliary states by name; extra names need allowExtraParams', () => {
    const net = mx.sym.BatchNorm({ data: mx.sym.FullyConnected({ data: mx.sym.Variable('data'), name: 'fc', num_hidden: 2 }), name: 'bn' });
    const exe = net.simpleBind(mx.cpu(), { data: [1, 3], gradReq: 'null' });
    const argParams = { fc_weight: mx.nd.array([[1, 0, 0], [0, 1, 0]]), fc_bias: mx.nd.array([0.5, -0.5]), bn_gamma: mx.nd.ones([2]), bn_beta: mx.nd.zeros([2]) };
    const auxParams = { bn_moving_mean: mx.nd.array([1, 2]), bn_moving_var: mx.nd.array([4, 9]) };
    exe.copyParamsFrom(argParams, auxParams);
    expect(exe.auxDict['bn_moving_var']!.toArray()).toEqual([4, 9]);
    const [out] = exe.forward(false, { data: [[3, 4, 5]] });
    mx.testUtils.assertAlmostEqual(out!.toArray(), [[(3.5 - 1) / Math.sqrt(4.001), (3.5 - 2) / Math.sqrt(9.001)]], { rtol: 1e-5, atol: 1e-6 });
    const extra = thrown(() => exe.copyParamsFrom({ ...argParams, fc2_weight: mx.nd.ones([1]) }));
    expect(extra.argument).toBe('fc2_weight');
    exe.copyParamsFrom({ ...argParams, fc2_weight: mx.nd.ones([1]) }, auxParams, true);
  });
});
