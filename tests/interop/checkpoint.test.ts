/**
 * Checkpoints (`prefix-symbol.json` + `prefix-%04d.params`): save/load round trips in a temporary
 * folder (runs everywhere), and the real MXNet checkpoints: their parameters fit their symbols,
 * and the MNIST models classify the 30 real digits.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as mx from 'mxts';
import { loadCheckpoint, paramsPath, saveCheckpoint, splitParams } from '../../src/model/checkpoint';
import { load as loadArrays, loadBytes, saveBytes } from '../../src/ndarray/serialize';
import { fromJSON, load as loadSymbol, save as saveSymbol, toJSON } from '../../src/symbol/json';
import { PARAMS_DIR, SHARED_DIR, SYMBOLS_DIR, describeSharedFiles } from './shared_files';

const sym = mx.sym as unknown as Record<string, (...args: unknown[]) => mx.Symbol>;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxts-interop-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('checkpoints written by mxts', () => {
  test('paramsPath formats the epoch as %04d', () => {
    expect(paramsPath('m', 7)).toBe('m-0007.params');
    expect(paramsPath('m', 12345)).toBe('m-12345.params');
    expect(paramsPath('m', -1)).toBe('m--001.params');
    expect(() => paramsPath('m', 1.5)).toThrow(mx.ValueError);
  });

  test('saveCheckpoint / loadCheckpoint round trip: symbol text, arg: and aux: parameters', () => {
    const net = sym.BatchNorm!(sym.FullyConnected!(mx.sym.Variable('data'), { num_hidden: 3, name: 'fc' }), { name: 'bn' });
    const argParams = { fc_weight: mx.nd.array([[1, 2], [3, 4], [5, 6]]), fc_bias: mx.nd.array([0.5, 0, -1]), bn_gamma: mx.nd.ones([3]), bn_beta: mx.nd.zeros([3]) };
    const auxParams = { bn_moving_mean: mx.nd.zeros([3]), bn_moving_var: mx.nd.ones([3]) };
    const prefix = path.join(dir, 'net');
    saveCheckpoint(prefix, 3, net, argParams, auxParams);
    expect(fs.existsSync(`${prefix}-symbol.json`)).toBe(true);
    expect(fs.existsSync(`${prefix}-0003.params`)).toBe(true);
    const names = Object.keys(loadArrays(`${prefix}-0003.params`));
    expect(names).toEqual(['arg:fc_weight', 'arg:fc_bias', 'arg:bn_gamma', 'arg:bn_beta', 'aux:bn_moving_mean', 'aux:bn_moving_var']);
    const back = loadCheckpoint(prefix, 3);
    expect(toJSON(back.symbol)).toBe(toJSON(net));
    expect(Object.keys(back.argParams)).toEqual(Object.keys(argParams));
    expect(Object.keys(back.auxParams)).toEqual(Object.keys(auxParams));
    expect(back.argParams['fc_weight']!.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    const exec = back.symbol.bind(mx.cpu(), { ...back.argParams, data: mx.nd.array([[1, 1]]) }, { auxStates: back.auxParams, gradReq: 'null' });
    expect(exec.forward(false)[0]!.shape).toEqual([1, 3]);
  });

  test('symbol save/load and nd save/load go through files', () => {
    const file = path.join(dir, 'x-symbol.json');
    const net = sym.SoftmaxOutput!(mx.sym.Variable('x'), { name: 'sm' });
    saveSymbol(net, file);
    expect(fs.readFileSync(file, 'utf8')).toBe(toJSON(net));
    expect(loadSymbol(file).listArguments()).toEqual(['x', 'sm_label']);
    expect(() => loadSymbol(path.join(dir, 'missing.json'))).toThrow(/ENOENT/);
  });

  test('splitParams: unnamed lists and names without a prefix are errors; other prefixes are ignored', () => {
    const one = mx.nd.array([1]);
    expect(() => splitParams([one], 'f.params')).toThrow(mx.FormatError);
    expect(() => splitParams(loadBytes(saveBytes({ weight: one })), 'f.params')).toThrow(/'weight' has no arg:\/aux: prefix/);
    const split = splitParams(loadBytes(saveBytes({ 'arg:a:b': one, 'opt:x': one, 'aux:__proto__': one })), 'f.params');
    expect(Object.keys(split.argParams)).toEqual(['a:b']);
    expect(Object.keys(split.auxParams)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(split.auxParams)).toBeNull();
  });
});

const PAIRS: [string, number][] = [
  ['bike-predict_mymodel', 100],
  ['mtcnn_det2', 1],
  ['camixxx-kaggle_mx_mlp', 15],
  ['clojurenorth_mymodel', 10000],
  ['fcrc-demo_lenet', 1],
  ['mentalblood_mnist', 35],
];

interface Digits {
  labels: number[];
  shape: [number, number];
  pixels_uint8: number[][];
}

describeSharedFiles('real MXNet checkpoints', () => {
  function realCheckpoint(prefix: string, epoch: number) {
    const symbol = fromJSON(fs.readFileSync(path.join(SYMBOLS_DIR, `${prefix}-symbol.json`), 'utf8'), prefix);
    const file = paramsPath(path.join(PARAMS_DIR, prefix), epoch);
    return { symbol, ...splitParams(loadArrays(file), file) };
  }

  test.each(PAIRS)('%s: every parameter is an argument of the symbol, with the inferred shape', (prefix, epoch) => {
    const { symbol, argParams, auxParams } = realCheckpoint(prefix, epoch);
    const args = symbol.listArguments();
    expect(Object.keys(auxParams)).toEqual([]);
    for (const name of Object.keys(argParams)) expect(args).toContain(name);
    const missing = args.filter((a) => !(a in argParams));
    expect(missing.every((a) => a === 'data' || a.endsWith('label'))).toBe(true);
    const shapes = Object.fromEntries(Object.keys(argParams).map((k) => [k, argParams[k]!.shape]));
    const inferred = symbol.inferShapePartial(shapes);
    args.forEach((name, i) => {
      if (name in argParams) expect(inferred.argShapes[i]).toEqual(argParams[name]!.shape);
    });
  });

  test('loadCheckpoint reads a real checkpoint copied under one prefix', () => {
    const prefix = path.join(dir, 'mnist');
    fs.copyFileSync(path.join(SYMBOLS_DIR, 'mentalblood_mnist-symbol.json'), `${prefix}-symbol.json`);
    fs.copyFileSync(path.join(PARAMS_DIR, 'mentalblood_mnist-0035.params'), `${prefix}-0035.params`);
    const { symbol, argParams } = loadCheckpoint(prefix, 35);
    expect(symbol.listOutputs()).toEqual(['hybridsequential9_dense1_tanh_fwd_output']);
    expect(Object.keys(argParams)).toHaveLength(8);
  });

  test.each([['mentalblood_mnist', 35, 29], ['fcrc-demo_lenet', 1, 28]] as const)('%s classifies the 30 MNIST digits (pixels / 255, NCHW)', (prefix, epoch, atLeast) => {
    const digits = JSON.parse(fs.readFileSync(path.join(SHARED_DIR, 'data', 'mnist-30.json'), 'utf8')) as Digits;
    const [h, w] = digits.shape;
    const n = digits.labels.length;
    const pixels = Float32Array.from(digits.pixels_uint8.flat(), (p) => p / 255);
    const { symbol, argParams, auxParams } = realCheckpoint(prefix, epoch);
    const exec = symbol.bind(mx.cpu(), { ...argParams, data: new mx.NDArray(pixels, [n, 1, h, w]) }, { auxStates: auxParams, gradReq: 'null' });
    const scores = exec.forward(false)[0]!;
    expect(scores.shape).toEqual([n, 10]);
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const row = Array.from(scores.data.subarray(i * 10, i * 10 + 10));
      if (row.indexOf(Math.max(...row)) === digits.labels[i]) correct++;
    }
    expect(correct).toBeGreaterThanOrEqual(atLeast);
  });
});
