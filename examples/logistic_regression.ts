/**
 * Logistic regression on real data: is a car from the USA? The 392 complete rows of the
 * `vega-datasets` cars data (1970-82 models), from standardized horsepower, weight, displacement
 * and acceleration, with FullyConnected(1) -> LogisticRegressionOutput trained by Module.fit.
 * Every 5th car is held out (78 cars); features are standardized with training statistics only.
 * Prints the held-out accuracy (against the 62% of always saying "USA") and the head loss: the
 * binary cross-entropy per car that LogisticRegressionOutput's gradient descends
 * (docs/loss_readout.md). Run with `npx tsx examples/logistic_regression.ts`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as mx from 'mxts';

export interface Car {
  Name: string;
  Miles_per_Gallon: number | null;
  Cylinders: number;
  Displacement: number | null;
  Horsepower: number | null;
  Weight_in_lbs: number | null;
  Acceleration: number | null;
  Origin: string;
}

export const FEATURES = ['Horsepower', 'Weight_in_lbs', 'Displacement', 'Acceleration'] as const;

/** The cars of `vega-datasets` (a JSON file in the package; require.resolve finds the package). */
export function loadCars(): Car[] {
  const entry = require.resolve('vega-datasets');
  return JSON.parse(fs.readFileSync(path.join(path.dirname(entry), '..', 'data', 'cars.json'), 'utf8')) as Car[];
}

export interface CarsSplit {
  trainX: number[][];
  testX: number[][];
  train: Car[];
  test: Car[];
}

/**
 * Cars with every feature and mpg known, every 5th held out; features standardized with the
 * training split's mean and standard deviation.
 */
export function splitCars(cars: readonly Car[]): CarsSplit {
  const complete = cars.filter((c) => c.Miles_per_Gallon !== null && FEATURES.every((f) => typeof c[f] === 'number'));
  const train = complete.filter((_, i) => i % 5 !== 4);
  const test = complete.filter((_, i) => i % 5 === 4);
  const raw = (c: Car) => FEATURES.map((f) => c[f] as number);
  const mean = FEATURES.map((_, j) => train.reduce((s, c) => s + raw(c)[j]!, 0) / train.length);
  const std = FEATURES.map((_, j) => Math.sqrt(train.reduce((s, c) => s + (raw(c)[j]! - mean[j]!) ** 2, 0) / train.length));
  const standardize = (c: Car) => raw(c).map((v, j) => (v - mean[j]!) / std[j]!);
  return { trainX: train.map(standardize), testX: test.map(standardize), train, test };
}

export interface LogisticResult {
  heldOutAccuracy: number;
  /** Accuracy of always answering the training split's majority class, on the held-out cars. */
  baselineAccuracy: number;
  /** Binary cross-entropy per held-out car, read from the LogisticRegressionOutput head. */
  heldOutHeadLoss: number;
  history: mx.mod.EpochRecord[];
  trainSize: number;
  testSize: number;
}

/** Fraction of probabilities on the right side of 0.5. */
function binaryAccuracy(label: mx.NDArray, pred: mx.NDArray): [number, number] {
  let correct = 0;
  for (let i = 0; i < label.size; i++) if ((pred.data[i]! > 0.5 ? 1 : 0) === label.data[i]) correct++;
  return [correct, label.size];
}

export function runLogisticRegression(options: { seed?: number; numEpoch?: number; logger?: mx.callback.Logger } = {}): LogisticResult {
  mx.random.seed(options.seed ?? 1);
  const { trainX, testX, train, test } = splitCars(loadCars());
  const isUSA = (c: Car) => (c.Origin === 'USA' ? 1 : 0);
  const trainY = train.map(isUSA);
  const testY = test.map(isUSA);

  const net = mx.sym.LogisticRegressionOutput(mx.sym.FullyConnected(mx.sym.Variable('data'), { num_hidden: 1, name: 'fc' }), mx.sym.Variable('usa_label'), { name: 'usa' });
  const batchSize = 16;
  const trainIter = new mx.io.NDArrayIter({ data: mx.nd.array(trainX), label: mx.nd.array(trainY), labelName: 'usa_label', batchSize, shuffle: true });
  const testIter = new mx.io.NDArrayIter({ data: mx.nd.array(testX), label: mx.nd.array(testY), labelName: 'usa_label', batchSize });
  const mod = new mx.mod.Module({ symbol: net, labelNames: ['usa_label'], logger: options.logger ?? mx.callback.consoleLogger });
  const metrics = () => [new mx.metric.CustomMetric(binaryAccuracy, { name: 'accuracy' }), new mx.metric.HeadLoss(net)];
  const history = mod.fit(trainIter, {
    numEpoch: options.numEpoch ?? 40,
    evalData: testIter,
    evalMetric: metrics(),
    initializer: new mx.init.Xavier(),
    optimizer: 'sgd',
    optimizerParams: { learning_rate: 0.1, momentum: 0.9 },
  });
  const scores = Object.fromEntries(mod.score(testIter, metrics()));
  const majority = trainY.filter((y) => y === 1).length * 2 >= trainY.length ? 1 : 0;
  return {
    heldOutAccuracy: scores['accuracy']!,
    baselineAccuracy: testY.filter((y) => y === majority).length / testY.length,
    heldOutHeadLoss: scores['head_loss']!,
    history,
    trainSize: train.length,
    testSize: test.length,
  };
}

if (process.argv[1]?.endsWith('logistic_regression.ts')) {
  const r = runLogisticRegression({ logger: mx.callback.silentLogger });
  console.log('epoch  train-acc  train-loss  held-out-acc  held-out-loss');
  for (const e of r.history.filter((e) => e.epoch % 5 === 4)) {
    console.log(`${String(e.epoch).padStart(5)}  ${e.train['accuracy']!.toFixed(4).padStart(9)}  ${e.train['head_loss']!.toFixed(4).padStart(10)}  ${e.eval!['accuracy']!.toFixed(4).padStart(12)}  ${e.eval!['head_loss']!.toFixed(4).padStart(13)}`);
  }
  console.log(`\nis the car from the USA? trained on ${r.trainSize} cars, held out ${r.testSize}`);
  console.log(`held-out accuracy ${(100 * r.heldOutAccuracy).toFixed(1)}% (always "USA": ${(100 * r.baselineAccuracy).toFixed(1)}%)`);
  console.log(`held-out head loss (binary cross-entropy per car) ${r.heldOutHeadLoss.toFixed(4)}`);
  if (r.heldOutAccuracy < 0.8) process.exitCode = 1;
}
