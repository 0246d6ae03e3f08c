/**
 * Executor.setMonitorCallback (MXNet 1.9.1 executor.py / graph_executor.cc ExecuteMon*Callback),
 * mx.monitor.Monitor (monitor.py) and Executor.debugStr. The Monitor case is MXNet's
 * tests/python/unittest/test_module.py::test_monitor, run on a bound executor instead of a Module
 * (the same forward and backward), with its statistics checked against a float64 reference.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../helpers/backends';
import { thrown } from '../helpers/errors';

const V = (name: string) => mx.sym.Variable(name);

/** test_monitor's net: two sigmoid layers and a LinearRegressionOutput with grad_scale 2. */
function monitorNet(): mx.Symbol {
  let x = mx.sym.FullyConnected({ data: V('data'), name: 'fc_0', num_hidden: 2 });
  x = mx.sym.Activation({ data: x, name: 'act_0', act_type: 'sigmoid' });
  x = mx.sym.FullyConnected({ data: x, name: 'fc_1', num_hidden: 2 });
  x = mx.sym.Activation({ data: x, name: 'act_1', act_type: 'sigmoid' });
  return mx.sym.LinearRegressionOutput({ data: x, name: 'softmax', grad_scale: 2 });
}

const PARAMS = {
  data: [[0.05, 0.1]], softmax_label: [[0.01, 0.99]],
  fc_0_weight: [[0.15, 0.2], [0.25, 0.3]], fc_0_bias: [0.35, 0.35],
  fc_1_weight: [[0.4, 0.45], [0.5, 0.55]], fc_1_bias: [0.6, 0.6],
};

/** The module in test_monitor binds data without a gradient (inputs_need_grad=False). */
function boundMonitorNet(): mx.Executor {
  const exe = monitorNet().simpleBind(mx.cpu(), { data: [1, 2], softmax_label: [1, 2], gradReq: { data: 'null', softmax_label: 'null', fc_0_weight: 'write', fc_0_bias: 'write', fc_1_weight: 'write', fc_1_bias: 'write' } });
  for (const [name, value] of Object.entries(PARAMS)) exe.argDict[name]!.set(mx.nd.array(value));
  return exe;
}

/** Every value test_monitor reports, in float64: forward outputs and backward node outputs. */
function referenceArrays(): Record<string, number[]> {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const fc = (x: number[], w: number[][], b: number[]) => w.map((row, o) => row.reduce((s, wi, i) => s + wi * x[i]!, b[o]!));
  const x = PARAMS.data[0]!;
  const h = fc(x, PARAMS.fc_0_weight, PARAMS.fc_0_bias);
  const a0 = h.map(sig);
  const o = fc(a0, PARAMS.fc_1_weight, PARAMS.fc_1_bias);
  const a1 = o.map(sig);
  // LinearRegressionOutput: grad = grad_scale / (label size per sample) * (out - label)
  const dA1 = a1.map((v, i) => (2 / 2) * (v - PARAMS.softmax_label[0]![i]!));
  const dO = dA1.map((g, i) => g * a1[i]! * (1 - a1[i]!));
  const dA0 = PARAMS.fc_1_weight[0]!.map((_, i) => dO.reduce((s, gj, j) => s + gj * PARAMS.fc_1_weight[j]![i]!, 0));
  const dH = dA0.map((g, i) => g * a0[i]! * (1 - a0[i]!));
  const outer = (g: number[], v: number[]) => g.flatMap((gj) => v.map((vi) => gj * vi));
  return {
    fc_0_output: h, act_0_output: a0, fc_1_output: o, act_1_output: a1, softmax_output: a1,
    softmax_backward_output0: dA1, softmax_backward_output1: [0, 0],
    act_1_backward_output: dO, fc_1_backward_output0: dA0, fc_1_backward_output1: outer(dO, a0), fc_1_backward_output2: dO,
    act_0_backward_output: dH,
    // data is bound without a gradient: its slot is reported as zeros (MXNet leaves it unwritten)
    fc_0_backward_output0: [0, 0], fc_0_backward_output1: outer(dH, x), fc_0_backward_output2: dH,
    ...Object.fromEntries(Object.entries(PARAMS).map(([k, v]) => [k, v.flat()])),
  };
}

describeEachBackend('setMonitorCallback', () => {
  test('forward reports each node output after its step, backward each backward node output (MXNet names)', () => {
    const exe = boundMonitorNet();
    const seen: [string, number[]][] = [];
    exe.setMonitorCallback((name, array) => seen.push([name, Array.from(array.data)]));
    exe.forward(true);
    expect(seen.map(([n]) => n)).toEqual(['fc_0_output', 'act_0_output', 'fc_1_output', 'act_1_output', 'softmax_output']);
    exe.backward();
    expect(seen.map(([n]) => n).slice(5)).toEqual([
      'softmax_backward_output0', 'softmax_backward_output1', 'act_1_backward_output',
      'fc_1_backward_output0', 'fc_1_backward_output1', 'fc_1_backward_output2',
      'act_0_backward_output', 'fc_0_backward_output0', 'fc_0_backward_output1', 'fc_0_backward_output2',
    ]);
    const reference = referenceArrays();
    for (const [name, values] of seen) mx.testUtils.assertAlmostEqual(values, reference[name]!, { rtol: 1e-5, atol: 1e-7 });
  });

  test('monitorAll also reports inputs before each step: variables by name, then <node>_<input>', () => {
    const net = mx.sym.Activation({ data: mx.sym.FullyConnected({ data: V('x'), name: 'fc', num_hidden: 2 }), name: 'relu', act_type: 'relu' });
    const exe = net.simpleBind(mx.cpu(), { x: [1, 2], gradReq: 'null' });
    const names: string[] = [];
    exe.setMonitorCallback((name) => names.push(name), true);
    exe.forward();
    expect(names).toEqual(['x', 'fc_data', 'fc_weight', 'fc_weight', 'fc_bias', 'fc_bias', 'fc_output', 'relu_data', 'relu_output']);
  });

  test('an array is read when reported: an output later overwritten in place still shows its own value', () => {
    const x = V('x');
    const net = mx.name.withNameManager(new mx.name.NameManager(), () => mx.sym.relu(x.mul(-1), { name: 'r' }).mul(2));
    const exe = net.simpleBind(mx.cpu(), { x: [4], gradReq: 'null' });
    // the three outputs share one buffer, each written over the previous one
    expect(exe.memoryPlan().arrays.map((a) => a.offsetBytes)).toEqual([0, 0, 0]);
    exe.argDict['x']!.set(mx.nd.array([-2, -1, 1, 2]));
    const seen = new Map<string, number[]>();
    exe.setMonitorCallback((name, array) => seen.set(name, Array.from(array.data)));
    const monitored = Array.from(exe.forward()[0]!.data);
    expect(seen.get('_mulscalar0_output')).toEqual([2, 1, -1, -2]);
    expect(seen.get('r_output')).toEqual([2, 1, 0, 0]);
    expect(monitored).toEqual([4, 2, 0, 0]);
  });

  test('null removes the callback; monitored and plain runs compute the same outputs and gradients', () => {
    const plain = boundMonitorNet();
    plain.forward(true);
    plain.backward();
    const exe = boundMonitorNet();
    let calls = 0;
    exe.setMonitorCallback(() => calls++);
    exe.forward(true);
    exe.backward();
    expect(calls).toBe(15);
    expect(Array.from(exe.outputs[0]!.data)).toEqual(Array.from(plain.outputs[0]!.data));
    for (const name of Object.keys(plain.gradDict)) expect(Array.from(exe.gradDict[name]!.data)).toEqual(Array.from(plain.gradDict[name]!.data));
    exe.setMonitorCallback(null);
    exe.forward(true);
    exe.backward();
    expect(calls).toBe(15);
  });

  test('a float64 graph reports float64 arrays, forward and backward', () => {
    const net = mx.name.withNameManager(new mx.name.NameManager(), () => mx.sym.sigmoid(V('x'), { name: 's' }).mul(2));
    const exe = net.simpleBind(mx.cpu(), { x: [3], typeDict: { x: 'float64' } });
    exe.argDict['x']!.set(mx.nd.array([0, 1, 2], { dtype: 'float64' }));
    const seen = new Map<string, [string, number[]]>();
    exe.setMonitorCallback((name, array) => seen.set(name, [array.dtype, Array.from(array.values)]));
    exe.forward(true);
    exe.backward(mx.nd.ones([3], { dtype: 'float64' }));
    const sig = [0, 1, 2].map((v) => 1 / (1 + Math.exp(-v)));
    expect([...seen.keys()]).toEqual(['s_output', '_mulscalar0_output', '_mulscalar0_backward_output', 's_backward_output']);
    expect(seen.get('s_output')![0]).toBe('float64');
    mx.testUtils.assertAlmostEqual(seen.get('s_output')![1], sig, { rtol: 1e-14, atol: 0 });
    expect(seen.get('_mulscalar0_backward_output')).toEqual(['float64', [2, 2, 2]]);
    mx.testUtils.assertAlmostEqual(seen.get('s_backward_output')![1], sig.map((v) => 2 * v * (1 - v)), { rtol: 1e-14, atol: 0 });
  });

  test('a callback that is not a function is a ValueError', () => {
    const exe = boundMonitorNet();
    const err = thrown(() => exe.setMonitorCallback('print' as unknown as mx.MonitorCallback));
    expect(err).toBeInstanceOf(mx.ValueError);
    expect(err.message).toBe('setMonitorCallback: callback must be a function (name, array) => void, got string');
  });
});

describeEachBackend('mx.monitor.Monitor', () => {
  test('test_monitor: 21 rows, counted by name prefix [2, 2, 1, 6, 6, 4]; mean |x| values match float64', () => {
    const meanAbs = (x: mx.NDArray) => (mx.nd.sum(mx.nd.abs(x)) as mx.NDArray).div(x.size);
    const mon = new mx.monitor.Monitor(1, meanAbs, '.*', true);
    const exe = boundMonitorNet();
    mon.install(exe);
    mon.tic();
    exe.forward(true);
    exe.backward();
    const res = mon.toc();
    expect(res).toHaveLength(21);
    const keys = ['act_0', 'act_1', 'data', 'fc_0', 'fc_1', 'softmax'];
    const counts = keys.map((key) => res.filter(([, name]) => name.startsWith(key)).length);
    expect(counts).toEqual([2, 2, 1, 6, 6, 4]);
    // sort=True orders the rows by name; every row is from step 1
    const names = res.map(([, name]) => name);
    expect(names).toEqual([...names].sort());
    expect(res.every(([step]) => step === 1)).toBe(true);
    const reference = referenceArrays();
    for (const [, name, stat] of res) {
      expect(stat.endsWith('\t')).toBe(true);
      const values = reference[name]!;
      const expected = values.reduce((s, v) => s + Math.abs(v), 0) / values.length;
      mx.testUtils.assertAlmostEqual([Number(stat)], [expected], { rtol: 1e-5, atol: 1e-8 });
    }
  });

  test('the default statistic is norm(x)/sqrt(size), printed as str(float32); pattern matches at the start of names', () => {
    const mon = new mx.monitor.Monitor(1, null, 'fc_.*output');
    const exe = boundMonitorNet();
    mon.install(exe);
    mon.tic();
    exe.forward(false);
    const res = mon.toc();
    expect(res.map(([, name]) => name)).toEqual(['fc_0_output', 'fc_1_output']);
    const reference = referenceArrays();
    for (const [, name, stat] of res) {
      const values = reference[name]!;
      const rms = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
      expect(Number(stat)).toBeCloseTo(rms, 6);
      // str(np.float32(v)): digits that read back as the float32 statistic, at most 9 significant
      const value = (mx.nd.norm(exe.outputs[0]!) as mx.NDArray).data; // (any float32 works for the format check)
      expect(value).toBeDefined();
      expect(stat).toMatch(/^\d\.\d{1,8}\t$/);
    }
    const fc0 = mx.nd.array([0.3775, 0.3925]);
    const expectedStat = (mx.nd.norm(fc0) as mx.NDArray).div(Math.sqrt(2)).data[0]!;
    expect(Math.fround(Number(res[0]![2]))).toBe(expectedStat);
  });

  test('a statistic that returns the array itself keeps its value, though the buffer is reused later', () => {
    const net = mx.name.withNameManager(new mx.name.NameManager(), () => mx.sym.relu(V('x').mul(-1), { name: 'r' }).mul(2));
    const exe = net.simpleBind(mx.cpu(), { x: [4], gradReq: 'null' });
    exe.argDict['x']!.set(mx.nd.array([-2, -1, 1, 2]));
    const mon = new mx.monitor.Monitor(1, (x) => x, '.*output', true);
    mon.install(exe);
    mon.tic();
    exe.forward();
    expect(mon.toc().map(([, name, stat]) => [name, stat])).toEqual([['_mulscalar0_output', '[ 2.  1. -1. -2.]\t'], ['_mulscalar1_output', '[4. 2. 0. 0.]\t'], ['r_output', '[2. 1. 0. 0.]\t']]);
  });

  test('interval: only every interval-th batch is collected; toc is empty otherwise', () => {
    const mon = new mx.monitor.Monitor(2, null, 'act_1_output');
    const exe = boundMonitorNet();
    mon.install(exe);
    const rows: number[] = [];
    for (let batch = 0; batch < 5; batch++) {
      mon.tic();
      exe.forward(true);
      const res = mon.toc();
      rows.push(res.length);
      if (res.length > 0) expect(res[0]![0]).toBe(batch + 1);
    }
    expect(rows).toEqual([1, 0, 1, 0, 1]);
  });

  test("tocPrint logs MXNet's 'Batch: {:7d} {:30s} {:s}' lines; a statistic that is not an NDArray is an error", () => {
    const lines: string[] = [];
    const mon = new mx.monitor.Monitor(1, (x) => mx.nd.array([x.size, 0.5]), 'fc_1_bias');
    const exe = boundMonitorNet();
    mon.install(exe);
    mon.tic();
    exe.forward();
    mon.tocPrint({ info: (m) => lines.push(m), warn: () => undefined });
    expect(lines).toEqual([`Batch:       1 ${'fc_1_bias'.padEnd(30)} [2.  0.5]\t`]);
    // a 2-d statistic prints as numpy's str(): no commas, rows on their own lines
    const identity = new mx.monitor.Monitor(1, (x) => x, 'fc_1_weight');
    identity.install(exe);
    identity.tic();
    exe.forward();
    expect(identity.toc()).toEqual([[1, 'fc_1_weight', '[[0.4  0.45]\n [0.5  0.55]]\t']]);
    const bad = new mx.monitor.Monitor(1, (() => 3) as unknown as mx.monitor.StatFunc);
    bad.install(exe);
    bad.tic();
    exe.forward();
    expect(thrown(() => bad.toc()).message).toBe('Monitor: statFunc must return an NDArray or a list of NDArrays');
    expect(thrown(() => new mx.monitor.Monitor(0)).message).toBe('Monitor: interval must be a positive integer, got 0');
  });
});

describe('Module.installMonitor and fit({ monitor })', () => {
  const moduleOf = () => {
    const data = mx.nd.array(PARAMS.data);
    const label = mx.nd.array(PARAMS.softmax_label);
    const trainData = new mx.io.NDArrayIter({ data, label, batchSize: 1 });
    const mod = new mx.mod.Module({ symbol: monitorNet(), context: mx.cpu(), logger: mx.callback.silentLogger });
    mod.bind(trainData.provideData, trainData.provideLabel, { forTraining: true });
    return { mod, trainData };
  };

  test('test_module.py::test_monitor as written: 21 rows counted [2, 2, 1, 6, 6, 4]', () => {
    const meanAbs = (x: mx.NDArray) => (mx.nd.sum(mx.nd.abs(x)) as mx.NDArray).div(x.size);
    const mon = new mx.monitor.Monitor(1, meanAbs, '.*', true);
    const { mod, trainData } = moduleOf();
    mod.installMonitor(mon);
    const { data: _d, softmax_label: _l, ...weights } = PARAMS;
    mod.initParams({ argParams: Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, mx.nd.array(v)])) });
    const batch = trainData.next()!;
    mon.tic();
    mod.forward(batch, true);
    mod.backward();
    const res = mon.toc();
    expect(res).toHaveLength(21);
    const keys = ['act_0', 'act_1', 'data', 'fc_0', 'fc_1', 'softmax'];
    expect(keys.map((key) => res.filter(([, name]) => name.startsWith(key)).length)).toEqual([2, 2, 1, 6, 6, 4]);
  });

  test('fit with a monitor prints its rows through the logger every interval batches', () => {
    const { mod, trainData } = moduleOf();
    const lines: string[] = [];
    const logger = { info: (m: string) => lines.push(m), warn: () => undefined };
    mod.fit(trainData, { numEpoch: 3, monitor: new mx.monitor.Monitor(2, null, 'fc_1_weight'), logger, progress: false, evalMetric: 'mse' });
    expect(lines.filter((l) => l.startsWith('Batch:')).map((l) => l.split(/\s+/).slice(0, 3).join(' '))).toEqual(['Batch: 1 fc_1_weight', 'Batch: 3 fc_1_weight']);
  });
});

describe('Executor.debugStr', () => {
  test('the graph, the forward and backward steps with shapes, the memory plan, and MXNet\'s closing line', () => {
    const net = mx.sym.Activation({ data: mx.sym.FullyConnected({ data: V('x'), name: 'fc', num_hidden: 3 }), name: 'act', act_type: 'tanh' });
    const exe = net.simpleBind(mx.cpu(), { x: [2, 5] });
    const text = exe.debugStr();
    expect(text.startsWith(net.debugStr())).toBe(true);
    const rest = text.slice(net.debugStr().length).split('\n');
    expect(rest.slice(0, 7)).toEqual([
      'Forward plan (2 steps):',
      "\tstep 3: FullyConnected 'fc': data=x[2,5], weight=fc_weight[3,5], bias=fc_bias[3] -> fc_output[2,3]",
      "\tstep 4: Activation 'act': data=fc_output[2,3] -> act_output[2,3]",
      'Backward plan (2 steps, after the head gradients at step 5):',
      "\tstep 6: gradient of Activation 'act' -> data (fc_output[2,3]) write",
      "\tstep 7: gradient of FullyConnected 'fc' -> data (x[2,5]) write, weight (fc_weight[3,5]) write, bias (fc_bias[3]) write",
      `Memory plan: ${exe.memoryPlan().peakBytes} bytes at peak, shared by ${exe.memoryPlan().arrays.length} arrays; ${exe.plannedBytes} bytes planned, ${exe.naiveBytes} bytes with one buffer each`,
    ]);
    const arrays = exe.memoryPlan().arrays;
    expect(rest.slice(7, 7 + arrays.length)).toEqual(arrays.map((a) => `\t${a.name} (${a.kind}) [${a.shape.join(',')}]: bytes ${a.offsetBytes}..${a.offsetBytes + a.bytes}, steps ${a.firstStep}..${Number.isFinite(a.lastStep) ? a.lastStep : 'end'}`));
    expect(rest.slice(7 + arrays.length)).toEqual(['Total 0 MB allocated', '']);
  });
});
