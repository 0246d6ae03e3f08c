/** @jest-environment ./tests/onnx/ort_environment.js */
/**
 * The real MXNet models of ../shared/mxnet-files export to ONNX and give mxts's outputs in
 * onnxruntime-node (relative error <= 1e-4): the six with trained parameters (the two MNIST nets
 * on the 30 real digits, one of them exported from its .params path), the others with seeded
 * parameters. The U-Net file is not shape-consistent (SOURCES.md), so its export fails as its
 * shape inference does. Imported back, the trained ones give the same outputs bit for bit.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as mx from 'mxts';
import { PARAMS_DIR, SHARED_DIR, describeSharedFiles, readSymbolText } from '../interop/shared_files';
import { exportAndCompare, randomParams, relativeError, runMxts, runOrt } from './onnx_helpers';

/** Input shapes: SOURCES.md's, smaller where the net allows (global pooling) to keep the run short. */
const SEEDED: [string, number[]][] = [
  ['apache-mxnet_save_000800', [2, 200]],
  ['h2oai-deepwater_lenet-py', [2, 1, 28, 28]],
  ['h2oai-deepwater_Inception-BN', [1, 3, 224, 224]],
  ['plant-seeds_resnet-50', [1, 3, 32, 32]],
  ['plant-seeds_resnet_checkpoint', [1, 3, 32, 32]],
  ['squeezenet-v1.2_model', [1, 3, 224, 224]],
  ['apache-mxnet_mkldnn-model1', [1, 3, 32, 32]],
  ['llv22-daily_mx_mlp', [2, 16]],
];

const TRAINED: [string, number, number[]][] = [
  ['bike-predict_mymodel', 100, [4, 6]],
  ['mtcnn_det2', 1, [2, 3, 24, 24]],
  ['camixxx-kaggle_mx_mlp', 15, [3, 784]],
  ['clojurenorth_mymodel', 10000, [3, 203]],
  ['fcrc-demo_lenet', 1, [30, 1, 28, 28]],
  ['mentalblood_mnist', 35, [30, 1, 28, 28]],
];

interface Digits {
  shape: [number, number];
  pixels_uint8: number[][];
}

function splitParams(loaded: Record<string, mx.NDArray>): { argParams: Record<string, mx.NDArray>; auxParams: Record<string, mx.NDArray> } {
  const argParams: Record<string, mx.NDArray> = {};
  const auxParams: Record<string, mx.NDArray> = {};
  for (const [key, value] of Object.entries(loaded)) (key.startsWith('aux:') ? auxParams : argParams)[key.slice(4)] = value;
  return { argParams, auxParams };
}

const load = (prefix: string) => mx.sym.fromJSON(readSymbolText(`${prefix}-symbol.json`), prefix);

function input(prefix: string, shape: number[]): mx.NDArray {
  if (shape[0] === 30 && shape[2] === 28) {
    const digits = JSON.parse(fs.readFileSync(path.join(SHARED_DIR, 'data', 'mnist-30.json'), 'utf8')) as Digits;
    return new mx.NDArray(Float32Array.from(digits.pixels_uint8.flat(), (p) => p / 255), shape);
  }
  mx.random.seed(prefix.length);
  return mx.nd.random.uniform(0, 1, shape);
}

describeSharedFiles('real MXNet models in ONNX Runtime', () => {
  test.each(SEEDED)('%s with seeded parameters, data %j', async (prefix, shape) => {
    const symbol = load(prefix);
    const { argParams, auxParams } = randomParams(symbol, { data: shape });
    const error = await exportAndCompare(symbol, argParams, auxParams, { data: input(prefix, shape) });
    expect(error).toBeLessThanOrEqual(1e-4);
  }, 900_000);

  test.each(TRAINED)('%s-%i with its trained parameters, data %j', async (prefix, epoch, shape) => {
    const symbol = load(prefix);
    const file = path.join(PARAMS_DIR, `${prefix}-${String(epoch).padStart(4, '0')}.params`);
    // The .params path itself, as MXNet's export_model accepts it (arg:/aux: prefixes and all).
    const bytes = mx.onnx.exportModel(symbol, file, { inputShapes: { data: shape } });
    const { argParams, auxParams } = splitParams(mx.nd.load(file) as Record<string, mx.NDArray>);
    const data = input(prefix, shape);
    const expected = runMxts(symbol, argParams, auxParams, { data });
    const actual = await runOrt(bytes, { data });
    expect(actual.map((o) => o.dims)).toEqual(expected.map((o) => o.shape));
    expected.forEach((e, k) => expect(relativeError(actual[k]!.data, e.data)).toBeLessThanOrEqual(1e-4));

    const back = mx.onnx.importModel(bytes);
    const again = runMxts(back.symbol, back.argParams, back.auxParams, { data });
    expected.forEach((e, k) => expect(Array.from(again[k]!.data)).toEqual(Array.from(e.data)));
  }, 60_000);

  test('every operator of the 15 files is exportable', () => {
    const files = fs.readdirSync(path.join(SHARED_DIR, 'symbols')).filter((f) => f.endsWith('-symbol.json'));
    expect(files).toHaveLength(15);
    const ops = new Set(files.flatMap((f) => load(f.replace('-symbol.json', '')).graph.nodes.flatMap((n) => (n.kind === 'op' ? [n.op.name] : []))));
    expect([...ops].filter((op) => !mx.onnx.exportableOps().includes(op))).toEqual([]);
  });

  test('the U-Net file, whose Concat shapes disagree (SOURCES.md), has no shapes to export with', () => {
    const symbol = load('h2oai-deepwater_unet-cpp');
    expect(() => symbol.inferShape({ data: [1, 3, 256, 256] })).toThrow(/Concat 'pool3_concat'/);
    expect(() => mx.onnx.exportModel(symbol, {}, { inputShapes: { data: [1, 3, 256, 256] } })).toThrow(mx.onnx.OnnxExportError);
  });
});
