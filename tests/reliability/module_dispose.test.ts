/**
 * `module.dispose()` releases the module's executors at once (the bound one and the ones reshaped
 * for other batch sizes) and leaves the module unbound, ready to bind again.
 */
import { BindError, ValueError } from '../../src/base/errors';
import { silentLogger } from '../../src/callback';
import { Module } from '../../src/module/index';
import { NDArray } from '../../src/ndarray/ndarray';
import { sym } from '../../src/symbol/index';
import { describeEachBackend } from '../helpers/backends';

/** An MLP of ~2 MiB of weights: with batch 256 its executor is large enough for an arena. */
function mlp(): Module {
  const fc1 = sym.FullyConnected(sym.Variable('data'), { num_hidden: 512, name: 'fc1' });
  const fc2 = sym.FullyConnected(sym.Activation(fc1, { act_type: 'relu' }), { num_hidden: 10, name: 'fc2' });
  return new Module({ symbol: sym.SoftmaxOutput(fc2, { name: 'softmax' }), logger: silentLogger });
}

const batch = (n: number) => ({ data: [new NDArray(new Float32Array(n * 1024).fill(0.01), [n, 1024])], label: [new NDArray(new Float32Array(n).fill(3), [n])] });

describeEachBackend('Module.dispose', (backend) => {
  test('releases the bound and the reshaped executors and unbinds the module', () => {
    const mod = mlp();
    mod.bind([['data', [256, 1024]]], [['softmax_label', [256]]]);
    mod.initParams();
    mod.initOptimizer();
    const bound = mod.executor;
    expect(bound.memoryKind).toBe(backend.name === 'wasm' ? 'arena' : 'plain');
    mod.forward(batch(256), true);
    mod.backward();
    mod.update();
    mod.forward(batch(7), false); // a reshaped executor for batch 7
    const reshaped = mod.executor;
    expect(reshaped).not.toBe(bound);
    const [params] = mod.getParams();

    mod.dispose();
    expect(mod.binded).toBe(false);
    expect(mod.paramsInitialized).toBe(false);
    expect(mod.optimizerInitialized).toBe(false);
    expect(() => bound.forward(false)).toThrow(BindError);
    expect(() => reshaped.forward(false)).toThrow(BindError);
    expect(() => mod.forward(batch(256), false)).toThrow(ValueError);
    expect(() => mod.executor).toThrow(/not bound/);
    mod.dispose(); // twice: nothing more happens

    // Bound again with the parameters kept beforehand: the same predictions as before disposal.
    mod.bind([['data', [256, 1024]]], [['softmax_label', [256]]]);
    mod.initParams({ argParams: params, allowMissing: false });
    mod.forward(batch(256), false);
    const again = mod.getOutputs()[0]!.data;
    const check = mlp();
    check.bind([['data', [256, 1024]]], [['softmax_label', [256]]], { forTraining: false });
    check.initParams({ argParams: params });
    check.forward(batch(256), false);
    expect(Array.from(again)).toEqual(Array.from(check.getOutputs()[0]!.data));
    mod.dispose();
    check.dispose();
  });

  test('on a module never bound, does nothing', () => {
    const mod = mlp();
    mod.dispose();
    expect(mod.binded).toBe(false);
  });
});
