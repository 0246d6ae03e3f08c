/** Module: bind / initParams / initOptimizer / forward / backward / update, fit, score, predict. */
import { BindError, ValueError } from '../../src/base/errors';
import { nextFloat, seed } from '../../src/base/random';
import { Logger, Speedometer, logTrainMetric, silentLogger } from '../../src/callback';
import { Constant, Uniform } from '../../src/initializer/index';
import { NDArrayIter } from '../../src/io/index';
import { Accuracy, MSE } from '../../src/metric/index';
import { Module } from '../../src/module/index';
import { NDArray } from '../../src/ndarray/ndarray';
import { SGD } from '../../src/optimizer/index';
import { sym } from '../../src/symbol/index';

function recordingLogger(): Logger & { lines: string[]; warnings: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  return { lines, warnings, info: (m) => lines.push(m), warn: (m) => warnings.push(m) };
}

/** y = 2 x0 - 3 x1 + 0.5 x2 + 1 on 64 seeded samples. */
function regressionData(): { x: NDArray; y: NDArray } {
  seed(5);
  const n = 64;
  const x = new Float32Array(n * 3);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 3; j++) x[i * 3 + j] = nextFloat() * 2 - 1;
    y[i] = 2 * x[i * 3]! - 3 * x[i * 3 + 1]! + 0.5 * x[i * 3 + 2]! + 1;
  }
  return { x: new NDArray(x, [n, 3]), y: new NDArray(y, [n]) };
}

/** Two Gaussian blobs in 2-D, 50 samples, label = blob. */
function blobs(): { x: NDArray; y: NDArray } {
  seed(9);
  const n = 50;
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    y[i] = c;
    x[i * 2] = (c ? 2 : -2) + (nextFloat() - 0.5);
    x[i * 2 + 1] = (c ? -1 : 1) + (nextFloat() - 0.5);
  }
  return { x: new NDArray(x, [n, 2]), y: new NDArray(y, [n]) };
}

const linearNet = () => sym.LinearRegressionOutput(sym.FullyConnected(sym.Variable('data'), { num_hidden: 1, name: 'fc' }), { name: 'lro' });
const softmaxNet = () => {
  const fc1 = sym.FullyConnected(sym.Variable('data'), { num_hidden: 8, name: 'fc1' });
  const act = sym.Activation(fc1, { act_type: 'relu', name: 'relu1' });
  const fc2 = sym.FullyConnected(act, { num_hidden: 2, name: 'fc2' });
  return sym.SoftmaxOutput(fc2, { name: 'softmax' });
};

describe('Module construction and binding', () => {
  test('parameter names are the arguments that are neither data nor label', () => {
    const mod = new Module({ symbol: linearNet(), labelNames: ['lro_label'], logger: silentLogger });
    expect(mod.paramNames).toEqual(['fc_weight', 'fc_bias']);
    expect(mod.outputNames).toEqual(['lro_output']);
  });

  test('a data name that is not an argument is a ValueError; a missing label name only warns', () => {
    expect(() => new Module({ symbol: linearNet(), dataNames: ['x'], logger: silentLogger })).toThrow("Module: dataNames 'x' is not an argument of the symbol; its arguments are data, fc_weight, fc_bias, lro_label");
    const logger = recordingLogger();
    new Module({ symbol: linearNet(), logger });
    expect(logger.warnings[0]).toMatch(/label name 'softmax_label' is not an argument/);
    expect(() => new Module({ symbol: linearNet(), labelNames: ['lro_label'], fixedParamNames: ['w'] })).toThrow(ValueError);
    expect(() => new Module({ symbol: 'net' as unknown as ReturnType<typeof linearNet> })).toThrow(ValueError);
  });

  test('labels and fixed parameters get no gradient; parameters do; data only with inputsNeedGrad', () => {
    const mod = new Module({ symbol: linearNet(), labelNames: ['lro_label'], fixedParamNames: ['fc_bias'], logger: silentLogger });
    mod.bind([['data', [4, 3]]], [['lro_label', [4, 1]]]);
    mod.initParams();
    expect(mod.executor.gradReqs).toEqual(['null', 'write', 'null', 'null']); // data, fc_weight, fc_bias, lro_label
    expect(() => mod.getInputGrads()).toThrow(/bind with inputsNeedGrad/);
    const withInputs = new Module({ symbol: linearNet(), labelNames: ['lro_label'], logger: silentLogger });
    withInputs.bind({ data: [4, 3] }, { lro_label: [4, 1] }, { inputsNeedGrad: true });
    withInputs.initParams({ initializer: new Constant(1) });
    withInputs.forward({ data: [new NDArray(new Float32Array(12), [4, 3])], label: [new NDArray(new Float32Array(4).fill(1), [4, 1])] });
    withInputs.backward();
    // d/d data of (w.x + b - y) with w = 1, b = 0, x = 0, y = 1: every entry -1
    expect(Array.from(withInputs.getInputGrads()[0]!.data)).toEqual(new Array(12).fill(-1));
    const inference = new Module({ symbol: linearNet(), labelNames: ['lro_label'], logger: silentLogger });
    inference.bind({ data: [4, 3] }, null, { forTraining: false });
    expect(inference.executor.gradReqs.every((r) => r === 'null')).toBe(true);
  });

  test('binding names that do not match the module is a BindError; binding twice warns', () => {
    const logger = recordingLogger();
    const mod = new Module({ symbol: linearNet(), labelNames: ['lro_label'], logger });
    expect(() => mod.bind({ x: [4, 3] })).toThrow(BindError);
    expect(() => mod.bind({ data: [4, 3] }, { y: [4, 1] })).toThrow(BindError);
    mod.bind({ data: [4, 3] }, { lro_label: [4, 1] });
    mod.bind({ data: [4, 3] }, { lro_label: [4, 1] });
    expect(logger.warnings).toEqual(['Module: already bound, ignoring bind() (pass forceRebind to rebind)']);
  });

  test('calls out of order are ValueErrors that say what to call', () => {
    const mod = new Module({ symbol: linearNet(), labelNames: ['lro_label'], logger: silentLogger });
    expect(() => mod.forward({ data: [] })).toThrow('Module.forward: the module is not bound: call bind() first');
    mod.bind({ data: [4, 3] }, { lro_label: [4, 1] });
    expect(() => mod.forward({ data: [new NDArray(new Float32Array(12), [4, 3])] })).toThrow(/call initParams\(\) first/);
    mod.initParams();
    expect(() => mod.update()).toThrow(/call initOptimizer\(\) first/);
    expect(() => mod.forward({ data: [] })).toThrow(/must hold 1 array\(s\) for data/);
    const inference = new Module({ symbol: linearNet(), labelNames: ['lro_label'], logger: silentLogger });
    inference.bind({ data: [4, 3] }, null, { forTraining: false });
    inference.initParams();
    inference.forward({ data: [new NDArray(new Float32Array(12), [4, 3])] });
    expect(() => inference.backward()).toThrow(/bound for inference/);
  });
});

describe('initParams and parameters', () => {
  test('default Uniform(0.01) for weights, zero biases, and a variable __init__ honoured', () => {
    seed(1);
    const w = sym.Variable('fc2_weight', { init: new Constant(0.5) });
    const fc1 = sym.FullyConnected(sym.Variable('data'), { num_hidden: 20, name: 'fc1' });
    const fc2 = sym.FullyConnected(fc1, w, { num_hidden: 2, name: 'fc2' });
    const mod = new Module({ symbol: sym.SoftmaxOutput(fc2, { name: 'softmax' }), logger: silentLogger });
    mod.bind({ data: [2, 30] }, { softmax_label: [2] });
    mod.initParams();
    const [args] = mod.getParams();
    const w1 = Array.from(args['fc1_weight']!.data);
    expect(Math.max(...w1.map(Math.abs))).toBeLessThanOrEqual(0.01);
    expect(new Set(w1).size).toBeGreaterThan(500);
    expect(Array.from(args['fc1_bias']!.data).every((v) => v === 0)).toBe(true);
    expect(Array.from(args['fc2_weight']!.data).every((v) => v === 0.5)).toBe(true);
  });

  test('setParams / getParams round trip gives the same predictions in another module', () => {
    const { x, y } = blobs();
    const a = new Module({ symbol: softmaxNet(), logger: silentLogger });
    a.fit(new NDArrayIter({ data: x, label: y, batchSize: 10 }), { numEpoch: 2, optimizerParams: { learning_rate: 0.5 }, initializer: new Uniform(0.5) });
    const [args, aux] = a.getParams();
    const b = new Module({ symbol: softmaxNet(), logger: silentLogger });
    b.bind({ data: [10, 2] }, { softmax_label: [10] }, { forTraining: false });
    b.setParams(args, aux);
    const pa = a.predict(new NDArrayIter({ data: x, batchSize: 10 })) as NDArray;
    const pb = b.predict(new NDArrayIter({ data: x, batchSize: 10 })) as NDArray;
    expect(Array.from(pb.data)).toEqual(Array.from(pa.data));
    // getParams returns copies
    args['fc1_weight']!.data.fill(0);
    expect(a.getParams()[0]['fc1_weight']!.data.some((v) => v !== 0)).toBe(true);
  });

  test('missing, extra and mis-shaped parameters are ValueErrors unless allowed', () => {
    const mod = new Module({ symbol: linearNet(), labelNames: ['lro_label'], logger: silentLogger });
    mod.bind({ data: [4, 3] }, { lro_label: [4, 1] });
    const w = new NDArray(new Float32Array(3).fill(1), [1, 3]);
    const b = new NDArray(new Float32Array(1), [1]);
    expect(() => mod.setParams({ fc_weight: w })).toThrow('Module.initParams: fc_bias is missing from argParams; pass allowMissing to initialize it instead');
    expect(() => mod.setParams({ fc_weight: w, fc_bias: b, extra: b })).toThrow(/extra in argParams is not a parameter/);
    expect(() => mod.setParams({ fc_weight: b, fc_bias: b })).toThrow('Module.initParams: fc_weight in argParams has shape [1] but the module needs [1,3]');
    mod.setParams({ fc_weight: w, fc_bias: b, extra: b }, {}, { allowExtra: true });
    expect(Array.from(mod.getParams()[0]['fc_weight']!.data)).toEqual([1, 1, 1]);
    mod.initParams({ initializer: new Constant(2), argParams: { fc_weight: w }, allowMissing: true, forceInit: true });
    expect(Array.from(mod.getParams()[0]['fc_bias']!.data)).toEqual([0]); // bias by the name rule
  });
});

describe('training', () => {
  test('one manual step: SGD with rescale_grad = 1/batch moves the weight by -lr * mean gradient', () => {
    const mod = new Module({ symbol: linearNet(), labelNames: ['lro_label'], logger: silentLogger });
    mod.bind({ data: [2, 1] }, { lro_label: [2, 1] });
    mod.setParams({ fc_weight: new NDArray(Float32Array.from([0]), [1, 1]), fc_bias: new NDArray(Float32Array.from([0]), [1]) });
    mod.initOptimizer({ optimizerParams: { learning_rate: 0.1 } });
    expect(mod.optimizer!.rescaleGrad).toBe(0.5);
    mod.forward({ data: [new NDArray(Float32Array.from([1, 3]), [2, 1])], label: [new NDArray(Float32Array.from([2, 6]), [2, 1])] }, true);
    mod.backward();
    mod.update();
    // LinearRegressionOutput gradient (out - y) = [-2, -6]; dW = sum x (out - y) = -20; mean -10
    const [args] = mod.getParams();
    expect(args['fc_weight']!.data[0]).toBeCloseTo(1.0, 6);
    expect(args['fc_bias']!.data[0]).toBeCloseTo(0.4, 6);
  });

  test('fit learns a linear regression; the history has one record per epoch', () => {
    const { x, y } = regressionData();
    const logger = recordingLogger();
    const mod = new Module({ symbol: linearNet(), labelNames: ['lro_label'], logger });
    const train = new NDArrayIter({ data: x, label: y, batchSize: 8, labelName: 'lro_label' });
    const history = mod.fit(train, { numEpoch: 30, evalMetric: 'mse', optimizerParams: { learning_rate: 0.2, momentum: 0.9 } });
    expect(history).toHaveLength(30);
    expect(history[0]!.epoch).toBe(0);
    expect(Object.keys(history[0]!.train)).toEqual(['mse']);
    expect(history[0]!.eval).toBeNull();
    expect(history[29]!.train['mse']).toBeLessThan(1e-4);
    expect(history[29]!.train['mse']).toBeLessThan(history[0]!.train['mse']!);
    const [args] = mod.getParams();
    const w = Array.from(args['fc_weight']!.data);
    [2, -3, 0.5].forEach((v, i) => expect(w[i]).toBeCloseTo(v, 2));
    expect(args['fc_bias']!.data[0]).toBeCloseTo(1, 2);
    expect(logger.lines[0]).toMatch(/^Epoch\[0\] Train-mse=\d+\.\d{6}$/);
    expect(logger.lines[1]).toMatch(/^Epoch\[0\] Time cost=\d+\.\d{3}$/);
  });

  test('fit classifies two blobs; score and predict on held-out data, with pad rows dropped', () => {
    const { x, y } = blobs();
    seed(2);
    const mod = new Module({ symbol: softmaxNet(), logger: silentLogger });
    const train = new NDArrayIter({ data: x, label: y, batchSize: 16, shuffle: true });
    const evalIter = new NDArrayIter({ data: x, label: y, batchSize: 16 });
    const history = mod.fit(train, { numEpoch: 10, evalData: evalIter, initializer: new Uniform(0.5), optimizerParams: { learning_rate: 0.5 } });
    expect(history[9]!.train['accuracy']).toBe(1);
    expect(history[9]!.eval).toEqual({ accuracy: 1 });
    expect(mod.score(evalIter, 'acc')).toEqual([['accuracy', 1]]);
    const probs = mod.predict(evalIter) as NDArray;
    expect(probs.shape).toEqual([50, 2]); // 4 batches of 16 = 64 rows, 14 of them padding
    for (let i = 0; i < 50; i++) expect(probs.data[i * 2 + y.data[i]!]).toBeGreaterThan(0.5);
    const list = mod.predict(evalIter, { alwaysOutputList: true, numBatch: 1 }) as NDArray[];
    expect(list).toHaveLength(1);
    expect(list[0]!.shape).toEqual([16, 2]);
    const single = mod.predict(x) as NDArray;
    expect(Array.from(single.data)).toEqual(Array.from(probs.data));
  });

  test('the same seed gives the same history', () => {
    const run = () => {
      seed(123);
      const { x, y } = blobs();
      const mod = new Module({ symbol: softmaxNet(), logger: silentLogger });
      return mod.fit(new NDArrayIter({ data: x, label: y, batchSize: 10, shuffle: true }), { numEpoch: 3, evalMetric: 'ce', initializer: new Uniform(0.3) }).map((r) => r.train);
    };
    expect(run()).toEqual(run());
  });

  test('metrics drop padded rows', () => {
    const mod = new Module({ symbol: linearNet(), labelNames: ['lro_label'], logger: silentLogger });
    mod.bind({ data: [4, 1] }, { lro_label: [4] });
    mod.setParams({ fc_weight: new NDArray(Float32Array.from([1]), [1, 1]), fc_bias: new NDArray(Float32Array.from([0]), [1]) });
    mod.forward({ data: [new NDArray(Float32Array.from([1, 2, 3, 4]), [4, 1])] }, false);
    const mse = new MSE();
    mod.updateMetric(mse, [new NDArray(Float32Array.from([1, 2, 0, 0]), [4])], 2);
    expect(mse.get()[1]).toBe(0);
  });

  test('fixed parameters are not updated', () => {
    const { x, y } = regressionData();
    const mod = new Module({ symbol: linearNet(), labelNames: ['lro_label'], fixedParamNames: ['fc_bias'], logger: silentLogger });
    mod.fit(new NDArrayIter({ data: x, label: y, batchSize: 8, labelName: 'lro_label' }), { numEpoch: 2, evalMetric: 'mse', initializer: new Constant(0.25) });
    expect(mod.getParams()[0]['fc_bias']!.data[0]).toBe(0);
    expect(mod.getParams()[0]['fc_weight']!.data[0]).not.toBe(0.25);
  });

  test('fit stops with a ValueError naming the first parameter that became non-finite', () => {
    const { x, y } = regressionData();
    const mod = new Module({ symbol: linearNet(), labelNames: ['lro_label'], logger: silentLogger });
    const train = new NDArrayIter({ data: x, label: y, batchSize: 8, labelName: 'lro_label' });
    expect(() => mod.fit(train, { numEpoch: 50, evalMetric: 'mse', optimizerParams: { learning_rate: 1e6 } })).toThrow(/^Module\.fit: fc_weight became (NaN|Infinity|-Infinity) at epoch \d+, batch \d+ \(element \d\): training diverged/);
  });

  test('a hand-made optimizer with an unscaled rescaleGrad triggers a warning', () => {
    const logger = recordingLogger();
    const mod = new Module({ symbol: linearNet(), labelNames: ['lro_label'], logger });
    mod.bind({ data: [4, 3] }, { lro_label: [4, 1] });
    mod.initParams();
    mod.initOptimizer({ optimizer: new SGD() });
    expect(logger.warnings[0]).toMatch(/rescaleGrad 1 is not 1\/batchSize \(0.25\)/);
  });

  test('callbacks: batch-end gets epoch/nbatch/metric; epoch-end gets parameter copies', () => {
    const { x, y } = blobs();
    const seen: [number, number][] = [];
    const epochs: string[][] = [];
    const mod = new Module({ symbol: softmaxNet(), logger: silentLogger });
    mod.fit(new NDArrayIter({ data: x, label: y, batchSize: 25 }), {
      numEpoch: 2,
      evalMetric: new Accuracy(),
      batchEndCallback: (p) => seen.push([p.epoch, p.nbatch]),
      epochEndCallback: (epoch, _s, args) => epochs.push([String(epoch), ...Object.keys(args)]),
    });
    expect(seen).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    expect(epochs).toEqual([['0', 'fc1_weight', 'fc1_bias', 'fc2_weight', 'fc2_bias'], ['1', 'fc1_weight', 'fc1_bias', 'fc2_weight', 'fc2_bias']]);
  });

  test('a batch holds its arrays in the bound (iterator) order, whatever the order of dataNames', () => {
    const a = sym.Variable('a');
    const b = sym.Variable('b');
    const net = sym.LinearRegressionOutput(sym.broadcast_sub(a, b), { name: 'lro' });
    const mod = new Module({ symbol: net, dataNames: ['b', 'a'], labelNames: ['lro_label'], logger: silentLogger });
    const it = new NDArrayIter({ data: { b: new NDArray(Float32Array.from([1, 1]), [2, 1]), a: new NDArray(Float32Array.from([5, 7]), [2, 1]) }, label: { lro_label: new NDArray(new Float32Array(2), [2, 1]) }, batchSize: 2 });
    expect(it.provideData.map((d) => d.name)).toEqual(['a', 'b']);
    mod.bind(it.provideData, it.provideLabel, { forTraining: false });
    mod.initParams();
    expect(Array.from((mod.predict(it) as NDArray).data)).toEqual([4, 6]);
  });

  test('numEpoch must be an integer', () => {
    const { x, y } = blobs();
    const mod = new Module({ symbol: softmaxNet(), logger: silentLogger });
    expect(() => mod.fit(new NDArrayIter({ data: x, label: y, batchSize: 25 }), { numEpoch: 1.5 })).toThrow(ValueError);
  });
});

describe('Speedometer', () => {
  test('logs speed and the metric every `frequent` batches, resetting the local metric', () => {
    const logger = recordingLogger();
    let clock = 0;
    const speedo = Speedometer(10, 2, { logger, now: () => clock });
    const acc = new Accuracy();
    acc.numInst = 4;
    acc.sumMetric = 3;
    for (let nbatch = 0; nbatch < 5; nbatch++) {
      clock += 0.5;
      speedo({ epoch: 1, nbatch, evalMetric: acc });
    }
    expect(logger.lines[0]).toBe('Epoch[1] Batch [0-2]\tSpeed: 20.00 samples/sec\taccuracy=0.750000');
    expect(logger.lines[1]).toBe('Epoch[1] Batch [2-4]\tSpeed: 20.00 samples/sec\taccuracy=nan');
    speedo({ epoch: 2, nbatch: 0, evalMetric: null });
    clock += 1;
    speedo({ epoch: 2, nbatch: 2, evalMetric: null });
    expect(logger.lines[2]).toBe('Iter[2] Batch [2]\tSpeed: 20.00 samples/sec');
  });
});

describe('logTrainMetric', () => {
  test('logs the training metric every `period` batches and can reset the local counters', () => {
    const logger = recordingLogger();
    const log = logTrainMetric(2, { logger, autoReset: true });
    const acc = new Accuracy();
    acc.numInst = 4;
    acc.sumMetric = 1;
    log({ epoch: 3, nbatch: 1, evalMetric: acc });
    expect(logger.lines).toEqual([]);
    log({ epoch: 3, nbatch: 2, evalMetric: acc });
    expect(logger.lines).toEqual(['Iter[3] Batch[2] Train-accuracy=0.250000']);
    expect(acc.numInst).toBe(0);
  });
});
