/**
 * The mxts side of workloads W1-W6, built from an mxts module passed in, so that the benches
 * (which pass `../src/index`) and the A/B of two trees (`ab_trees.ts`, which passes each tree's
 * own module) time exactly the same work. Nothing here imports mxts at run time: the caller
 * decides which tree is loaded, and when.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as MxModule from '../src/index';

export type Mx = typeof MxModule;
type Executor = MxModule.Executor;
type Sym = MxModule.Symbol;

export interface Workload {
  /** One timed call. */
  readonly run: () => void;
  /** Named copies of the arrays that two trees must agree on after the same number of calls. */
  readonly results: () => [string, Float32Array][];
  /** The arrays the work reads (arguments, auxiliary states, operands), by name. */
  readonly inputs: () => [string, MxModule.NDArray][];
  readonly exec?: Executor;
}

/**
 * `run` called `times` times per call. The A/B times small workloads through this rather than
 * measure()'s `inner` loop: each tree gets its own copy of this module, so each has its own loop
 * (one shared loop calling both trees' closures was seen to favour whichever tree ran first).
 */
export function repeated(run: () => void, times: number): () => void {
  return () => {
    for (let k = 0; k < times; k++) run();
  };
}

const copy = (a: { data: Float32Array }) => a.data.slice();
const bound = (exec: Executor): [string, MxModule.NDArray][] => [...Object.entries(exec.argDict), ...Object.entries(exec.auxDict).map(([n, a]): [string, MxModule.NDArray] => [`aux ${n}`, a])];
const outputs = (exec: Executor): [string, Float32Array][] => exec.outputs.map((o, i) => [`output ${i}`, copy(o)]);

/** W1: `mx.nd.dot` of two seeded 1024x1024 uniform(-1, 1) matrices. */
export function w1Operands(mx: Mx, n = 1024): { a: MxModule.NDArray; b: MxModule.NDArray } {
  mx.random.seed(1);
  const a = mx.nd.uniform(-1, 1, [n, n]);
  const b = mx.nd.uniform(-1, 1, [n, n]);
  return { a, b };
}

export function w1Matmul(mx: Mx, n = 1024): Workload {
  const { a, b } = w1Operands(mx, n);
  let last: MxModule.NDArray | null = null;
  return { run: () => void (last = mx.nd.dot(a, b)), results: () => (last ? [['dot', copy(last)]] : []), inputs: () => [['a', a], ['b', b]] };
}

/** W2: a 784-512-256-10 MLP (relu, SoftmaxOutput), batch 128, one step = forward, backward, SGD. */
export const W2_BATCH = 128;
export const W2_SIZES = [784, 512, 256, 10] as const;
export const W2_LR = 0.01;

export function w2Mlp(mx: Mx, seed = 2): Workload & { readonly exec: Executor } {
  let net: Sym = mx.sym.Variable('data');
  for (let i = 1; i < W2_SIZES.length; i++) {
    net = mx.sym.FullyConnected(net, { num_hidden: W2_SIZES[i]!, name: `fc${i}` });
    if (i < W2_SIZES.length - 1) net = mx.sym.Activation(net, { act_type: 'relu', name: `relu${i}` });
  }
  net = mx.sym.SoftmaxOutput(net, { name: 'softmax' });
  const params = net.listArguments().filter((n) => n !== 'data' && n !== 'softmax_label');
  const exec = net.simpleBind(mx.cpu(), { shapes: { data: [W2_BATCH, W2_SIZES[0]] }, gradReq: Object.fromEntries(params.map((p) => [p, 'write' as const])) });
  mx.random.seed(seed);
  for (const p of params) if (p.endsWith('_weight')) exec.argDict[p]!.set(mx.nd.uniform(-0.05, 0.05, exec.argDict[p]!.shape));
  exec.argDict['data']!.set(mx.nd.uniform(0, 1, [W2_BATCH, W2_SIZES[0]]));
  exec.argDict['softmax_label']!.set(Array.from({ length: W2_BATCH }, (_, i) => i % 10));
  return { exec, ...trainStep(mx, exec, params, W2_LR, W2_BATCH) };
}

/** forward(true), backward, and mxts's SGD updater on every parameter (lr on the batch mean). */
function trainStep(mx: Mx, exec: Executor, params: readonly string[], lr: number, batch: number): Workload {
  const updater = mx.optimizer.getUpdater(new mx.optimizer.SGD({ learningRate: lr, rescaleGrad: 1 / batch }));
  const weights = params.map((p) => exec.argDict[p]!);
  const grads = params.map((p) => exec.gradDict[p]!);
  const run = () => {
    exec.forward(true);
    exec.backward();
    for (let i = 0; i < weights.length; i++) updater.call(i, grads[i]!, weights[i]!);
  };
  const named = (kind: string, arrays: readonly MxModule.NDArray[]) => arrays.map((a, i): [string, Float32Array] => [`${kind} ${params[i]}`, copy(a)]);
  return { run, results: () => [...outputs(exec), ...named('grad', grads), ...named('updated', weights)], inputs: () => bound(exec) };
}

/** W3: sigmoid over 4M floats and softmax over 4096 rows of 1000, seeded uniform(-4, 4). */
export const W3_SIGMOID_N = 4 * 1024 * 1024;
export const W3_ROWS = 4096;
export const W3_COLS = 1000;

export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 8 - 4;
}

export function w3Inputs(): { sigmoid: Float32Array; softmax: Float32Array } {
  return {
    sigmoid: Float32Array.from({ length: W3_SIGMOID_N }, seeded(1)),
    softmax: Float32Array.from({ length: W3_ROWS * W3_COLS }, seeded(2)),
  };
}

/** The op bound with simpleBind (its arrays in the executor's memory); one call = forward(). */
export function w3Executor(mx: Mx, op: 'sigmoid' | 'softmax', data: Float32Array): Workload & { readonly exec: Executor } {
  const net = op === 'sigmoid' ? mx.sym.sigmoid(mx.sym.Variable('data')) : mx.sym.softmax(mx.sym.Variable('data'));
  const shape = op === 'sigmoid' ? [W3_SIGMOID_N] : [W3_ROWS, W3_COLS];
  const exec = net.simpleBind(mx.cpu(), { shapes: { data: shape }, gradReq: 'null' });
  exec.argDict['data']!.set(data);
  return { exec, run: () => void exec.forward(), results: () => outputs(exec), inputs: () => bound(exec) };
}

/** W4: a 3x4 LogisticRegressionOutput, forward(true) + backward per call (the blog experiment). */
export function w4SmallHead(mx: Mx): Workload & { readonly exec: Executor } {
  const data = mx.sym.Variable('m');
  const label = mx.sym.Variable('n');
  const exec = mx.sym.LogisticRegressionOutput({ data, label }).bind(mx.cpu(), { m: mx.nd.ones([3, 4]), n: mx.nd.zeros([3, 4]) }, { gradReq: { m: 'write' } });
  return {
    exec,
    run: () => { exec.forward(true); exec.backward(); },
    results: () => [...outputs(exec), ['grad m', copy(exec.gradDict['m']!)]],
    inputs: () => bound(exec),
  };
}

/** W5: LeNet (conv 20@5x5, tanh, max-pool 2, conv 50@5x5, tanh, max-pool 2, fc 500, tanh, fc 10). */
export const W5_BATCH = 64;
export const W5_LR = 0.01;

export function lenetSymbol(mx: Mx): Sym {
  let net: Sym = mx.sym.Variable('data');
  net = mx.sym.Convolution(net, { kernel: [5, 5], num_filter: 20, name: 'conv1' });
  net = mx.sym.Activation(net, { act_type: 'tanh' });
  net = mx.sym.Pooling(net, { pool_type: 'max', kernel: [2, 2], stride: [2, 2] });
  net = mx.sym.Convolution(net, { kernel: [5, 5], num_filter: 50, name: 'conv2' });
  net = mx.sym.Activation(net, { act_type: 'tanh' });
  net = mx.sym.Pooling(net, { pool_type: 'max', kernel: [2, 2], stride: [2, 2] });
  net = mx.sym.Flatten(net);
  net = mx.sym.FullyConnected(net, { num_hidden: 500, name: 'fc1' });
  net = mx.sym.Activation(net, { act_type: 'tanh' });
  net = mx.sym.FullyConnected(net, { num_hidden: 10, name: 'fc2' });
  return mx.sym.SoftmaxOutput(net, { name: 'softmax' });
}

export function lenetParams(net: Sym): string[] {
  return net.listArguments().filter((n) => n !== 'data' && n !== 'softmax_label');
}

/** One LeNet training step on batch 64 (gradReq 'write' on every parameter), SGD lr 0.01. */
export function w5LenetTrain(mx: Mx): Workload & { readonly exec: Executor } {
  const net = lenetSymbol(mx);
  const params = lenetParams(net);
  const gradReq = Object.fromEntries(params.map((n) => [n, 'write' as const]));
  const exec = net.simpleBind(mx.cpu(), { shapes: { data: [W5_BATCH, 1, 28, 28] }, gradReq });
  mx.random.seed(5);
  for (const name of params) if (name.endsWith('_weight')) exec.argDict[name]!.set(mx.nd.uniform(-0.1, 0.1, exec.argDict[name]!.shape));
  exec.argDict['data']!.set(mx.nd.uniform(0, 1, [W5_BATCH, 1, 28, 28]));
  exec.argDict['softmax_label']!.set(Array.from({ length: W5_BATCH }, (_, i) => i % 10));
  return { exec, ...trainStep(mx, exec, params, W5_LR, W5_BATCH) };
}

/**
 * LeNet inference, batch 64: forward(false). The bench leaves the data zero; the A/B fills it
 * (uniform(0, 1)) so that comparing the two trees' outputs tests more than the biases.
 */
export function w5LenetInference(mx: Mx, fillData = false): Workload & { readonly exec: Executor } {
  const exec = lenetSymbol(mx).simpleBind(mx.cpu(), { shapes: { data: [W5_BATCH, 1, 28, 28] }, gradReq: 'null' });
  mx.random.seed(8);
  for (const [name, array] of Object.entries(exec.argDict)) if (name.endsWith('_weight')) array.set(mx.nd.uniform(-0.1, 0.1, array.shape));
  if (fillData) exec.argDict['data']!.set(mx.nd.uniform(0, 1, [W5_BATCH, 1, 28, 28]));
  return { exec, run: () => void exec.forward(false), results: () => outputs(exec), inputs: () => bound(exec) };
}

/** W6: real MXNet symbol files from ../shared/mxnet-files, random weights, one 224x224 image. */
export const W6_SYMBOLS = join(__dirname, '..', '..', 'shared', 'mxnet-files', 'symbols');
export const W6_FILES = ['plant-seeds_resnet-50-symbol.json', 'h2oai-deepwater_Inception-BN-symbol.json'] as const;

/** Null when the symbol file is absent. */
export function w6RealModel(mx: Mx, file: string): (Workload & { readonly exec: Executor }) | null {
  const path = join(W6_SYMBOLS, file);
  if (!existsSync(path)) return null;
  const exec = mx.sym.load(path).simpleBind(mx.cpu(), { shapes: { data: [1, 3, 224, 224] }, gradReq: 'null' });
  mx.random.seed(6);
  for (const [name, array] of Object.entries(exec.argDict)) if (name.endsWith('_weight')) array.set(mx.nd.normal(0, 0.05, array.shape));
  for (const [name, array] of Object.entries(exec.auxDict)) if (name.endsWith('_var')) array.set(1);
  exec.argDict['data']!.set(mx.nd.uniform(0, 1, [1, 3, 224, 224]));
  return { exec, run: () => void exec.forward(false), results: () => outputs(exec), inputs: () => bound(exec) };
}
