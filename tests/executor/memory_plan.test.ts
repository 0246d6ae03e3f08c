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

describe('one memory plan over forward and backward', () => {
  test('memoryPlan(): arrays whose lifetimes overlap never share bytes; the region holds them all', () => {
    const exec = bindWithRandomValues(residualNet(), 'write');
    const plan = exec.memoryPlan();
    expect(plan.arrays.length).toBeGreaterThan(20);
    expect(plan.peakBytes).toBeLessThan(plan.naiveBytes);
    for (const a of plan.arrays) expect(a.offsetBytes + a.bytes).toBeLessThanOrEqual(plan.peakBytes);
    for (let i = 0; i < plan.arrays.length; i++) {
      for (let j = i + 1; j < plan.arrays.length; j++) {
        const a = plan.arrays[i]!;
        const b = plan.arrays[j]!;
        const overlapInTime = a.firstStep <= b.lastStep && b.firstStep <= a.lastStep;
        const overlapInMemory = a.offsetBytes < b.offsetBytes + b.bytes && b.offsetBytes < a.offsetBytes + a.bytes;
        // In place is the one exception: an output written over the input whose last reader it is.
        const inPlace = a.kind === 'value' && b.kind === 'value' && (a.lastStep === b.firstStep || b.lastStep === a.firstStep);
        if (overlapInTime && overlapInMemory && !inPlace) throw new Error(`${a.name} (${a.kind}) and ${b.name} (${b.kind}) overlap`);
      }
    }
    // Gradients reuse the places of values that backward does not read.
    expect(plan.arrays.some((a) => a.kind === 'gradient')).toBe(true);
  });

  test('a training bind of a chain of FullyConnected + relu plans less than one buffer per array', () => {
    let net: mx.Symbol = mx.sym.Variable('data');
    for (let i = 0; i < 6; i++) net = mx.sym.Activation(mx.sym.FullyConnected(net, { num_hidden: 64, name: `fc${i}` }), { act_type: 'relu' });
    net = mx.sym.SoftmaxOutput(net, { name: 'sm' });
    const exec = net.simpleBind(mx.cpu(), { shapes: { data: [32, 64] }, gradReq: 'write' });
    // relu reads only its output and FullyConnected only its inputs: each FullyConnected output can
    // go once relu has run, and each gradient once its node's backward has run.
    expect(exec.plannedBytes).toBeLessThan(0.75 * exec.naiveBytes);
  });

  test('simpleBind infers shapes once: each op shape rule runs as often as in one inferShape', async () => {
    const { registerOp, getOp } = await import('../../src/ops/registry');
    let calls = 0;
    const identity = getOp('identity');
    registerOp({ ...identity, name: '_test_counting_identity', aliases: [], inferShape: (p, i, o, site) => { calls++; return identity.inferShape(p, i, o, site); } });
    // A chain of five counting ops, read from JSON (the mx.sym front end was generated before).
    const nodes = [{ op: 'null', name: 'x', inputs: [] }, ...Array.from({ length: 5 }, (_, i) => ({ op: '_test_counting_identity', name: `c${i}`, inputs: [[i, 0, 0]] }))];
    const y = mx.sym.fromJSON(JSON.stringify({ nodes, arg_nodes: [0], heads: [[5, 0, 0]], attrs: { mxnet_version: ['int', 10901] } }));
    calls = 0;
    y.inferShape({ x: [3, 4] });
    const once = calls;
    expect(once).toBeGreaterThan(0);
    calls = 0;
    y.simpleBind(mx.cpu(), { shapes: { x: [3, 4] }, gradReq: 'write' });
    expect(calls).toBe(once);
  });
});
