/** Module.saveCheckpoint / Module.loadCheckpoint (MXNet's Module.save_checkpoint / Module.load). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as mx from 'mxts';
import { silentLogger } from '../../src/callback';
import { Module } from '../../src/module/index';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxts-module-ckpt-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function data(): { x: mx.NDArray; y: mx.NDArray } {
  mx.random.seed(11);
  const x = mx.nd.random.uniform(-1, 1, [30, 3]);
  const y = mx.nd.array(Array.from({ length: 30 }, (_, i) => (x.data[3 * i]! - x.data[3 * i + 2]! > 0 ? 1 : 0)));
  return { x, y };
}

function net(): mx.Symbol {
  const fc1 = mx.sym.FullyConnected(mx.sym.Variable('data'), { num_hidden: 6, name: 'fc1' });
  const act = mx.sym.Activation(fc1, { act_type: 'tanh', name: 'tanh1' });
  return mx.sym.SoftmaxOutput(mx.sym.FullyConnected(act, { num_hidden: 2, name: 'fc2' }), { name: 'softmax' });
}

test('fit, save, load: the loaded module predicts exactly what the trained one did', () => {
  const { x, y } = data();
  const mod = new Module({ symbol: net(), logger: silentLogger });
  mod.fit(new mx.io.NDArrayIter({ data: x, label: y, batchSize: 10, shuffle: true }), { numEpoch: 3, optimizerParams: { learning_rate: 0.3 } });
  const prefix = path.join(dir, 'toy');
  mod.saveCheckpoint(prefix, 3);
  expect(fs.existsSync(`${prefix}-symbol.json`)).toBe(true);
  expect(fs.existsSync(`${prefix}-0003.params`)).toBe(true);

  const loaded = Module.loadCheckpoint(prefix, 3, { logger: silentLogger });
  expect(loaded.paramNames).toEqual(mod.paramNames);
  expect(loaded.symbol.toJSON()).toBe(mod.symbol.toJSON());
  const iter = new mx.io.NDArrayIter({ data: x, label: y, batchSize: 10 });
  loaded.bind(iter.provideData, iter.provideLabel, { forTraining: false });
  expect(loaded.paramsInitialized).toBe(true);
  const before = mod.predict(iter) as mx.NDArray;
  const after = loaded.predict(iter) as mx.NDArray;
  expect(Array.from(after.data)).toEqual(Array.from(before.data));
  const [argsA] = mod.getParams();
  const [argsB] = loaded.getParams();
  for (const name of mod.paramNames) expect(Array.from(argsB[name]!.data)).toEqual(Array.from(argsA[name]!.data));
});

test('the files are MXNet checkpoints: mx.model.loadCheckpoint reads arg: parameters', () => {
  const { x, y } = data();
  const mod = new Module({ symbol: net(), logger: silentLogger });
  mod.fit(new mx.io.NDArrayIter({ data: x, label: y, batchSize: 10 }), { numEpoch: 1 });
  const prefix = path.join(dir, 'plain');
  mod.saveCheckpoint(prefix, 0);
  const ckpt = mx.model.loadCheckpoint(prefix, 0);
  expect(Object.keys(ckpt.argParams).sort()).toEqual([...mod.paramNames].sort());
  expect(Object.keys(ckpt.auxParams)).toEqual([]);
});

test('a loaded module resumes training from the saved parameters: the same epoch as the original continuing', () => {
  const { x, y } = data();
  const mod = new Module({ symbol: net(), logger: silentLogger });
  const train = () => new mx.io.NDArrayIter({ data: x, label: y, batchSize: 10 });
  const sgd = { optimizer: 'sgd', optimizerParams: { learning_rate: 0.3 }, evalMetric: 'ce', progress: false } as const;
  mod.fit(train(), { ...sgd, numEpoch: 5, initializer: new mx.init.Xavier() });
  const prefix = path.join(dir, 'resume');
  mod.saveCheckpoint(prefix, 5);
  const logger = { lines: [] as string[], warnings: [] as string[], info(m: string) { this.lines.push(m); }, warn(m: string) { this.warnings.push(m); } };
  const loaded = Module.loadCheckpoint(prefix, 5, { logger });
  const resumed = loaded.fit(train(), { ...sgd, numEpoch: 7, beginEpoch: 5 });
  expect(logger.warnings).toEqual([]); // the loaded parameters are kept without an initParams warning
  const continued = mod.fit(train(), { ...sgd, numEpoch: 7, beginEpoch: 5 });
  expect(resumed.map((r) => [r.epoch, r.train])).toEqual(continued.map((r) => [r.epoch, r.train]));
  expect(resumed[1]!.train['cross-entropy']).toBeLessThan(Math.log(2));
});

test('saving before parameters exist, or loading a missing checkpoint, is an error', () => {
  const mod = new Module({ symbol: net(), logger: silentLogger });
  expect(() => mod.saveCheckpoint(path.join(dir, 'nothing'), 0)).toThrow(mx.MXNetError);
  expect(() => Module.loadCheckpoint(path.join(dir, 'missing'), 0)).toThrow();
});
