/**
 * Runs real MXNet MNIST checkpoints on 30 real MNIST test digits: loads `prefix-symbol.json` and
 * `prefix-NNNN.params` written by MXNet (Gluon `export`), binds them, and prints the predictions,
 * the accuracy and how confident each model is. Pixels are scaled to [0, 1] (uint8 / 255) in NCHW,
 * as the models' own evaluation scripts do (MentalBlood's `mnist_cnn_evaluation.py`).
 *
 * The two models end differently, and that decides what "confidence" means:
 * - fcrc-demo's LeNet ends in FullyConnected(10): its outputs are logits, and a softmax turns them
 *   into probabilities.
 * - MentalBlood's LeNet ends in tanh(FullyConnected(10)): its outputs are scores in [-1, 1]. A
 *   softmax over ten numbers in [-1, 1] is at most e / (e + 9/e) = 0.451 (one score at 1, nine at
 *   -1), so its "probabilities" always look low however sure the net is. The example shows its
 *   tanh scores instead: the winner's score near 1 and the runner-up's far below it is what a
 *   confident prediction looks like for this head.
 *
 * The checkpoints and digits are not part of the package: point MXTS_MODEL_DIR at a folder holding
 * `symbols/`, `params/` and `data/mnist-30.json`; without it the script says so and exits cleanly.
 * Run with `MXTS_MODEL_DIR=/path/to/mxnet-files npx tsx examples/predict_mnist.ts`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as mx from 'mxts';

const MODEL_DIR = process.env['MXTS_MODEL_DIR'];

interface Digits {
  files: string[];
  labels: number[];
  shape: [number, number];
  pixels_uint8: number[][];
}

interface Model {
  prefix: string;
  epoch: number;
  note: string;
  /** 'logits': softmax gives probabilities; 'tanh': the outputs are scores in [-1, 1]. */
  head: 'logits' | 'tanh';
}

const MODELS: readonly Model[] = [
  { prefix: 'fcrc-demo_lenet', epoch: 1, note: 'Gluon export (MXNet 1.4.1), ReLU LeNet ending in FullyConnected(10): logits', head: 'logits' },
  { prefix: 'mentalblood_mnist', epoch: 35, note: 'Gluon export (MXNet 1.6), tanh LeNet ending in tanh(FullyConnected(10)): scores in [-1, 1]', head: 'tanh' },
];

/** Softmax of one row of logits. */
function softmaxRow(row: Float32Array): number[] {
  const max = Math.max(...row);
  const exps = Array.from(row, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function main(): void {
  if (!MODEL_DIR || !fs.existsSync(MODEL_DIR)) {
    console.log(`Set MXTS_MODEL_DIR to a folder of MXNet MNIST checkpoints (${MODEL_DIR ? `${MODEL_DIR} does not exist` : 'it is not set'}); nothing to run.`);
    return;
  }
  const digits = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'data', 'mnist-30.json'), 'utf8')) as Digits;
  const [h, w] = digits.shape;
  const n = digits.labels.length;
  const pixels = new Float32Array(n * h * w);
  digits.pixels_uint8.forEach((image, i) => image.forEach((p, j) => (pixels[i * h * w + j] = p / 255)));
  const data = new mx.NDArray(pixels, [n, 1, h, w]);
  console.log(`${n} MNIST test digits, pixels / 255, shape [${n}, 1, ${h}, ${w}]`);
  console.log(`labels     ${digits.labels.join(' ')}`);

  for (const model of MODELS) {
    // What mx.model.loadCheckpoint(prefix, epoch) does, with the symbol and params in two folders.
    const symbol = mx.sym.load(path.join(MODEL_DIR, 'symbols', `${model.prefix}-symbol.json`));
    const paramsFile = mx.model.paramsPath(path.join(MODEL_DIR, 'params', model.prefix), model.epoch);
    const { argParams, auxParams } = mx.model.splitParams(mx.nd.load(paramsFile), paramsFile);
    const exec = symbol.bind(mx.cpu(), { ...argParams, data }, { auxStates: auxParams, gradReq: 'null' });
    const outputs = exec.forward(false)[0]!;
    const classes = outputs.shape[1]!;
    console.log(`\n${model.prefix} (epoch ${model.epoch}): ${model.note}`);
    const predicted: number[] = [];
    const top: number[] = [];
    const second: number[] = [];
    for (let i = 0; i < n; i++) {
      const row = outputs.data.subarray(i * classes, (i + 1) * classes);
      const values = model.head === 'logits' ? softmaxRow(row) : Array.from(row);
      const order = values.map((v, c) => [v, c] as const).sort((a, b) => b[0] - a[0]);
      predicted.push(order[0]![1]);
      top.push(order[0]![0]);
      second.push(order[1]![0]);
    }
    const correct = predicted.filter((p, i) => p === digits.labels[i]).length;
    console.log(`predicted  ${predicted.map((p, i) => (p === digits.labels[i] ? String(p) : 'x')).join(' ')}   accuracy ${correct}/${n}`);
    predicted.forEach((p, i) => {
      if (p !== digits.labels[i]) console.log(`  ${digits.files[i]}: predicted ${p}, label ${digits.labels[i]}`);
    });
    const least = top.indexOf(Math.min(...top));
    if (model.head === 'logits') {
      console.log(`softmax probability of the predicted digit: median ${median(top).toFixed(4)}, lowest ${top[least]!.toFixed(4)} (${digits.files[least]}); runner-up median ${median(second).toFixed(4)}`);
    } else {
      const ceiling = Math.E / (Math.E + 9 / Math.E);
      console.log(`tanh score of the predicted digit: median ${median(top).toFixed(4)}, lowest ${top[least]!.toFixed(4)} (${digits.files[least]}); runner-up median ${median(second).toFixed(4)}`);
      console.log(`(a softmax over these scores would top out at ${ceiling.toFixed(3)} even for a perfect score of 1: the head is tanh, not logits)`);
    }
  }
}

main();
