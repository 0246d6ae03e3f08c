/**
 * `Module.fit` (MXNet `base_module.py`): bind -> initParams -> initOptimizer, then per epoch the
 * batches' forward, backward, update and metric update, the progress display, the epoch's log
 * lines, callbacks and evaluation. Written against Module's public methods.
 */
import { ValueError } from '../base/errors';
import { nameRecord } from '../base/records';
import { BatchEndCallback, fmt } from '../callback';
import { create as createMetric } from '../metric/index';
import { Uniform } from '../initializer/index';
import { asList } from './arrays';
import type { Module } from './module';
import { Progress, expectedBatches } from './progress';
import type { DataIterLike, EpochRecord, FitOptions, InitOptimizerOptions } from './types';

export function fitModule(mod: Module, trainData: DataIterLike, options: FitOptions): EpochRecord[] {
  const logger = options.logger ?? mod.logger;
  const numEpoch = options.numEpoch;
  const beginEpoch = options.beginEpoch ?? 0;
  if (!Number.isInteger(numEpoch) || numEpoch < beginEpoch) throw new ValueError({ op: 'Module.fit', argument: 'numEpoch' }, `must be an integer not below beginEpoch (${beginEpoch}), got ${String(numEpoch)}`);
  mod.bind(trainData.provideData, trainData.provideLabel, { forTraining: true, forceRebind: options.forceRebind ?? false });
  // Parameters already there (a loaded checkpoint, an earlier fit) are kept without a warning;
  // argParams given to an initialized module still get initParams' warning, as in MXNet.
  if (!mod.paramsInitialized || options.argParams || options.auxParams) {
    mod.initParams({
      initializer: options.initializer ?? new Uniform(0.01),
      argParams: options.argParams ?? null,
      auxParams: options.auxParams ?? null,
      allowMissing: options.allowMissing ?? false,
      forceInit: false,
    });
  }
  const optimizerOptions: InitOptimizerOptions = { optimizer: options.optimizer ?? 'sgd' };
  if (options.optimizerParams) optimizerOptions.optimizerParams = options.optimizerParams;
  mod.initOptimizer(optimizerOptions);
  if (options.monitor) mod.installMonitor(options.monitor);
  const evalMetric = createMetric(options.evalMetric ?? 'acc');
  const validationMetric = options.validationMetric ? createMetric(options.validationMetric) : evalMetric;
  const progressOption = options.progress ?? true;
  const batchSize = trainData.provideData[0]?.shape[0] ?? 1;
  const progress = progressOption === false ? null : new Progress(logger, batchSize, progressOption === true ? {} : progressOption);
  let total = expectedBatches(trainData);
  const history: EpochRecord[] = [];
  for (let epoch = beginEpoch; epoch < numEpoch; epoch++) {
    const tic = performance.now();
    evalMetric.reset();
    progress?.startEpoch(epoch, total);
    let nbatch = 0;
    for (let batch = trainData.next(); batch; batch = trainData.next()) {
      options.monitor?.tic();
      mod.forward(batch, true);
      mod.backward();
      mod.update();
      checkFinite(mod, epoch, nbatch);
      mod.updateMetric(evalMetric, batch.label, batch.pad);
      options.monitor?.tocPrint(logger);
      progress?.batch(nbatch, evalMetric);
      for (const cb of asList(options.batchEndCallback)) cb({ epoch, nbatch, evalMetric });
      nbatch++;
    }
    progress?.endEpoch();
    total = nbatch;
    const train = nameRecord(evalMetric.getGlobalNameValue());
    for (const [name, value] of Object.entries(train)) logger.info(`Epoch[${epoch}] Train-${name}=${fmt(value)}`);
    const time = (performance.now() - tic) / 1000;
    logger.info(`Epoch[${epoch}] Time cost=${time.toFixed(3)}`);
    const callbacks = asList(options.epochEndCallback);
    if (callbacks.length > 0) {
      const [argParams, auxParams] = mod.getParams();
      for (const cb of callbacks) cb(epoch, mod.symbol, argParams, auxParams);
    }
    let evalValues: Record<string, number> | null = null;
    if (options.evalData) {
      const scoreOptions: { epoch: number; batchEndCallback?: BatchEndCallback | readonly BatchEndCallback[] } = { epoch };
      if (options.evalBatchEndCallback) scoreOptions.batchEndCallback = options.evalBatchEndCallback;
      evalValues = nameRecord(mod.score(options.evalData, validationMetric, scoreOptions));
      for (const [name, value] of Object.entries(evalValues)) logger.info(`Epoch[${epoch}] Validation-${name}=${fmt(value)}`);
    }
    history.push(Object.freeze({ epoch, train, eval: evalValues, time }));
    trainData.reset();
  }
  return history;
}

/** Stops training at the first parameter that became NaN or infinite, naming it. */
function checkFinite(mod: Module, epoch: number, nbatch: number): void {
  const args = mod.executor.argDict;
  for (const name of mod.paramNames) {
    const data = args[name]!.data;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]!)) {
        throw new ValueError(
          { op: 'Module.fit', argument: name, actual: data[i] },
          `became ${data[i]} at epoch ${epoch}, batch ${nbatch} (element ${i}): training diverged; lower the learning rate, clip gradients (clip_gradient) or check the data`,
        );
      }
    }
  }
}
