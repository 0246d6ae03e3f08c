/**
 * Bind-time memory planning: buffers of values nobody reads any more are reused by later
 * outputs. Results must not change, heads must keep their values, and values a backward step
 * reads must survive until backward.
 */
import * as mx from 'mxts';

function residualNet(): mx.Symbol {
  const data = mx.sym.Variable('data');
  let x = mx.sym.Convolution(data, { kernel: [3, 3], pad: [1, 1], num_filter: 4, name: 'c0' });
  for (let i = 1; i <= 3; i++) {
    const branch = mx.sym.Activation(mx.sym.Convolution(x, { kernel: [3, 3], pad: [1, 1], num_filter: 4, name: `c${i}` }), { act_type: 'relu' });
    x = mx.sym.Activation(x.add(mx.sym.BatchNorm(branch, { name: `bn${i}` })), { act_type: 'tanh' });
  }
  return mx.sym.SoftmaxOutput(mx.sym.FullyConnected(mx.sym.Flatten(x), { num_hidden: 5, name: 'fc' }), { name: 'sm' });
}

function bindWithRandomValues(net: mx.Symbol, gradReq: 'null' | 'write'): mx.Executor {
  const exec = net.simpleBind(mx.cpu(), { shapes: { data: [2, 3, 6, 6] }, gradReq });
  mx.random.seed(21);
  for (const array of [...Object.values(exec.argDict), ...Object.values(exec.auxDict)]) array.set(mx.nd.uniform(0.1, 1, array.shape));
  exec.argDict['sm_label']!.set([1, 3]);
  return exec;
}

describe('executor memory plan', () => {
  test('an inference bind reuses buffers and computes the same outputs as a training bind', () => {
    const net = residualNet();
    const inference = bindWithRandomValues(net, 'null');
    const training = bindWithRandomValues(net, 'write');
    expect(inference.plannedBytes).toBeLessThan(inference.naiveBytes / 2);
    inference.forward(false);
    training.forward(false);
    mx.testUtils.assertAlmostEqual(inference.outputs[0]!, training.outputs[0]!, { rtol: 0, atol: 0 });
  });

  test('values read by backward are kept: gradients match a plan that reuses nothing', () => {
    const net = residualNet();
    const exec = bindWithRandomValues(net, 'write');
    exec.forward(true);
    exec.backward();
    const grads = Object.fromEntries(Object.entries(exec.gradDict).map(([k, v]) => [k, v.copy()]));
    // A group exposing every internal value makes every value a head, so nothing is reused.
    const everything = mx.sym.Group([net, net.getInternals()]);
    const reference = everything.simpleBind(mx.cpu(), { shapes: { data: [2, 3, 6, 6] }, gradReq: 'write' });
    expect(reference.plannedBytes).toBeGreaterThanOrEqual(exec.plannedBytes);
    reference.copyParamsFrom(exec.argDict, exec.auxDict);
    reference.forward(true);
    expect(Array.from(reference.outputs[0]!.data)).toEqual(Array.from(exec.outputs[0]!.data));
    // Only the loss head needs no gradient; the internals get zero head gradients.
    reference.backward(reference.outputs.map((o) => mx.nd.zeros(o.shape)));
    for (const [name, grad] of Object.entries(grads)) {
      if (name === 'sm_label') continue;
      mx.testUtils.assertAlmostEqual(reference.gradDict[name]!, grad, { rtol: 1e-5, atol: 1e-7 });
    }
  });

  test('a head that is also an intermediate value keeps its value after forward', () => {
    const x = mx.sym.Variable('x');
    const a = mx.sym.sigmoid(x, { name: 'a' });
    const b = mx.sym.tanh(mx.sym.sigmoid(mx.sym.tanh(a)));
    const exec = mx.sym.Group([a, b]).bind(mx.cpu(), { x: mx.nd.array([[0.5, -1], [2, 3]]) }, { gradReq: 'null' });
    exec.forward();
    const expected = [0.5, -1, 2, 3].map((v) => 1 / (1 + Math.exp(-v)));
    mx.testUtils.assertAlmostEqual(exec.outputs[0]!, [[expected[0]!, expected[1]!], [expected[2]!, expected[3]!]], { rtol: 1e-6, atol: 1e-7 });
  });

  test('a chain of element-wise ops in inference runs in place: one buffer in all, same values', () => {
    let y: mx.Symbol = mx.sym.Variable('x');
    for (let i = 0; i < 10; i++) y = mx.sym.tanh(y);
    const exec = y.simpleBind(mx.cpu(), { shapes: { x: [100] }, gradReq: 'null' });
    expect(exec.naiveBytes).toBe(10 * 400);
    expect(exec.plannedBytes).toBe(400);
    const x = Array.from({ length: 100 }, (_, i) => (i - 50) / 10);
    exec.forward(false, { x });
    const expected = x.map((v) => {
      for (let i = 0; i < 10; i++) v = Math.fround(Math.tanh(v));
      return v;
    });
    mx.testUtils.assertAlmostEqual(exec.outputs[0]!, expected, { rtol: 1e-6, atol: 1e-7 });
  });

  test('in place is not used when the input is read again later or is a bound argument', () => {
    const x = mx.sym.Variable('x');
    const a = mx.sym.sigmoid(x, { name: 'a' });
    const b = mx.sym.tanh(a, { name: 'b' }); // could overwrite a, but c reads a afterwards
    const c = mx.sym.elemwise_add(b, a, { name: 'c' });
    const exec = c.bind(mx.cpu(), { x: mx.nd.array([0.5, -2, 3, 0]) }, { gradReq: 'null' });
    exec.forward();
    const s = [0.5, -2, 3, 0].map((v) => 1 / (1 + Math.exp(-v)));
    mx.testUtils.assertAlmostEqual(exec.outputs[0]!, s.map((v) => Math.tanh(v) + v), { rtol: 1e-6, atol: 1e-7 });
    // The bound argument itself is never overwritten.
    expect(Array.from(exec.argDict['x']!.data)).toEqual([0.5, -2, 3, 0]);
  });
});
