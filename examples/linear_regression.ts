/**
 * Linear regression on real data: miles per gallon of the `vega-datasets` cars (392 complete
 * rows) from standardized horsepower, weight, displacement and acceleration, with
 * FullyConnected(1) -> LinearRegressionOutput trained by Module.fit. The same split as
 * logistic_regression.ts (every 5th car held out, training statistics only). Prints held-out
 * RMSE and MAE in mpg next to the label's standard deviation (the RMSE of predicting the mean),
 * and the head loss: half the squared error per car that LinearRegressionOutput's gradient
 * descends (docs/loss_readout.md). Run with `npx tsx examples/linear_regression.ts`.
 */
import * as mx from 'mxts';
import { loadCars, splitCars } from './logistic_regression';
import { savePictures } from './util/pictures';

export interface LinearResult {
  heldOutRMSE: number;
  heldOutMAE: number;
  /** Standard deviation of the held-out mpg: the RMSE of always predicting their mean. */
  labelStd: number;
  /** 0.5 * squared error per held-out car, read from the LinearRegressionOutput head. */
  heldOutHeadLoss: number;
  /** Learned weights by feature (mpg per standard deviation) and the bias. */
  weights: number[];
  bias: number;
  history: mx.mod.EpochRecord[];
  trainSize: number;
  testSize: number;
  symbol: mx.Symbol;
}

export function runLinearRegression(options: { seed?: number; numEpoch?: number; logger?: mx.callback.Logger } = {}): LinearResult {
  mx.random.seed(options.seed ?? 1);
  const { trainX, testX, train, test } = splitCars(loadCars());
  const mpg = (c: { Miles_per_Gallon: number | null }) => c.Miles_per_Gallon!;
  const trainY = train.map(mpg);
  const testY = test.map(mpg);

  const net = mx.sym.LinearRegressionOutput(mx.sym.FullyConnected(mx.sym.Variable('data'), { num_hidden: 1, name: 'fc' }), mx.sym.Variable('mpg_label'), { name: 'mpg' });
  const batchSize = 16;
  const trainIter = new mx.io.NDArrayIter({ data: mx.nd.array(trainX), label: mx.nd.array(trainY), labelName: 'mpg_label', batchSize, shuffle: true });
  const testIter = new mx.io.NDArrayIter({ data: mx.nd.array(testX), label: mx.nd.array(testY), labelName: 'mpg_label', batchSize });
  const mod = new mx.mod.Module({ symbol: net, labelNames: ['mpg_label'], logger: options.logger ?? mx.callback.consoleLogger });
  const history = mod.fit(trainIter, {
    numEpoch: options.numEpoch ?? 40,
    evalData: testIter,
    evalMetric: ['rmse', new mx.metric.HeadLoss(net)],
    initializer: new mx.init.Xavier(),
    optimizer: 'sgd',
    // 20 batches per epoch: the rate halves every 10 epochs.
    optimizerParams: { learning_rate: 0.05, momentum: 0.9, lr_scheduler: new mx.lr_scheduler.FactorScheduler({ step: 200, factor: 0.5 }) },
  });

  // Errors over the whole held-out split (the rmse metric averages per batch, as MXNet's does).
  const pred = mod.predict(testIter) as mx.NDArray;
  let se = 0;
  let ae = 0;
  testY.forEach((y, i) => {
    se += (pred.data[i]! - y) ** 2;
    ae += Math.abs(pred.data[i]! - y);
  });
  const mean = testY.reduce((s, y) => s + y, 0) / testY.length;
  const [[, heldOutHeadLoss]] = mod.score(testIter, new mx.metric.HeadLoss(net)) as [[string, number]];
  const [args] = mod.getParams();
  return {
    heldOutRMSE: Math.sqrt(se / testY.length),
    heldOutMAE: ae / testY.length,
    labelStd: Math.sqrt(testY.reduce((s, y) => s + (y - mean) ** 2, 0) / testY.length),
    heldOutHeadLoss,
    weights: Array.from(args['fc_weight']!.data),
    bias: args['fc_bias']!.data[0]!,
    history,
    trainSize: train.length,
    testSize: test.length,
    symbol: net,
  };
}

if (process.argv[1]?.endsWith('linear_regression.ts')) {
  const r = runLinearRegression({ logger: mx.callback.silentLogger });
  // The rmse columns are mx.metric.RMSE as MXNet computes it: the mean of per-batch RMSEs.
  console.log('epoch  train-rmse  train-loss  held-out-rmse  held-out-loss   (rmse: mean of per-batch RMSEs)');
  for (const e of r.history.filter((e) => e.epoch % 5 === 4)) {
    console.log(`${String(e.epoch).padStart(5)}  ${e.train['rmse']!.toFixed(3).padStart(10)}  ${e.train['head_loss']!.toFixed(3).padStart(10)}  ${e.eval!['rmse']!.toFixed(3).padStart(13)}  ${e.eval!['head_loss']!.toFixed(3).padStart(13)}`);
  }
  console.log(`\nmiles per gallon: trained on ${r.trainSize} cars, held out ${r.testSize}`);
  const batchMean = r.history[r.history.length - 1]!.eval!['rmse']!;
  console.log(`held-out RMSE over all ${r.testSize} cars at once ${r.heldOutRMSE.toFixed(3)} mpg, MAE ${r.heldOutMAE.toFixed(3)} mpg (label standard deviation ${r.labelStd.toFixed(3)} mpg)`);
  console.log(`  the table's last held-out-rmse, ${batchMean.toFixed(3)}, averages the RMSEs of the ${Math.ceil(r.testSize / 16)} batches of 16: a mean of square roots, which comes out lower`);
  console.log(`held-out head loss (0.5 * squared error per car) ${r.heldOutHeadLoss.toFixed(3)} = RMSE^2 / 2`);
  console.log(`mpg = ${r.bias.toFixed(2)} ${r.weights.map((w, j) => `${w < 0 ? '-' : '+'} ${Math.abs(w).toFixed(2)} * ${['horsepower', 'weight', 'displacement', 'acceleration'][j]}`).join(' ')} (standardized features)`);
  if (r.heldOutRMSE >= r.labelStd) process.exitCode = 1;
  savePictures('linear_regression', r.symbol, { data: [16, 4], mpg_label: [16] }, r.history);
}
