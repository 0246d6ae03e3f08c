/**
 * Runs real MXNet MNIST checkpoints on 30 real MNIST test digits: loads `prefix-symbol.json` and
 * `prefix-NNNN.params` written by MXNet (Gluon `export`), binds them, and prints each prediction
 * with its probability and the accuracy. Pixels are scaled to [0, 1] (uint8 / 255) in NCHW, as
 * the models' own evaluation scripts do (MentalBlood's `mnist_cnn_evaluation.py`).
 *
 * The checkpoints and digits are not part of the package: point MXTS_MODEL_DIR at a folder holding
 * `symbols/`, `params/` and `data/mnist-30.json` (the project's developers have one beside the
 * checkout); without it the script says so and exits cleanly. Run with
 * `MXTS_MODEL_DIR=/path/to/mxnet-files npx tsx examples/predict_mnist.ts`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as mx from 'mxts';
import { paramsPath, splitParams } from '../src/model/checkpoint';
import { load as loadArrays } from '../src/ndarray/serialize';
import { load as loadSymbol } from '../src/symbol/json';

const SHARED = process.env['MXTS_MODEL_DIR'] ?? path.resolve(__dirname, '..', '..', 'shared', 'mxnet-files');

interface Digits {
  files: string[];
  labels: number[];
  shape: [number, number];
  pixels_uint8: number[][];
}

const MODELS = [
  { prefix: 'mentalblood_mnist', epoch: 35, note: 'Gluon export (MXNet 1.6), tanh LeNet; its head is a tanh layer' },
  { prefix: 'fcrc-demo_lenet', epoch: 1, note: 'Gluon export (MXNet 1.4.1), ReLU LeNet' },
] as const;

/** Softmax of one row of scores: the models end in a plain layer, so this turns scores into probabilities. */
function softmaxRow(row: Float32Array): number[] {
  const max = Math.max(...row);
  const exps = Array.from(row, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

function main(): void {
  if (!fs.existsSync(SHARED)) {
    console.log(`The shared MXNet files are not here (${SHARED}); nothing to run.`);
    return;
  }
  const digits = JSON.parse(fs.readFileSync(path.join(SHARED, 'data', 'mnist-30.json'), 'utf8')) as Digits;
  const [h, w] = digits.shape;
  const n = digits.labels.length;
  const pixels = new Float32Array(n * h * w);
  digits.pixels_uint8.forEach((image, i) => image.forEach((p, j) => (pixels[i * h * w + j] = p / 255)));
  const data = new mx.NDArray(pixels, [n, 1, h, w]);

  for (const model of MODELS) {
    // What loadCheckpoint(prefix, epoch) does, with the symbol and params in their two folders.
    const symbol = loadSymbol(path.join(SHARED, 'symbols', `${model.prefix}-symbol.json`));
    const params = paramsPath(path.join(SHARED, 'params', model.prefix), model.epoch);
    const { argParams, auxParams } = splitParams(loadArrays(params), params);
    const exec = symbol.bind(mx.cpu(), { ...argParams, data }, { auxStates: auxParams, gradReq: 'null' });
    const scores = exec.forward(false)[0]!;
    const classes = scores.shape[1]!;
    console.log(`\n=== ${model.prefix} (epoch ${model.epoch}): ${model.note}`);
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const probs = softmaxRow(scores.data.subarray(i * classes, (i + 1) * classes));
      const predicted = probs.indexOf(Math.max(...probs));
      if (predicted === digits.labels[i]) correct++;
      const mark = predicted === digits.labels[i] ? '' : `  <- label ${digits.labels[i]}`;
      console.log(`${digits.files[i]!.padEnd(12)} predicted ${predicted}  p=${probs[predicted]!.toFixed(4)}${mark}`);
    }
    console.log(`accuracy ${correct}/${n} = ${(correct / n).toFixed(3)}`);
  }
}

main();
