/**
 * Module: a symbol bound for training or inference (MXNet `python/mxnet/module/module.py` and
 * `base_module.py`, single device). Parameters live in the executor's arrays; the optimizer
 * updates them in place. Differences from MXNet: metrics and `predict` drop padded rows, and
 * `fit` returns a per-epoch history, shows progress and stops on the first parameter that
 * becomes non-finite. Option types live in types.ts, `fit` in fit.ts.
 */
import { Context, cpu } from '../base/context';
import { BindError, ValueError, listNames } from '../base/errors';
import { nameRecord, ownValue } from '../base/records';
import { Shape, shapeToString, shapesEqual } from '../base/shape';
import { BatchEndCallback, Logger, consoleLogger } from '../callback';
import type { Executor } from '../executor/executor';
import type { Monitor } from '../monitor';
import type { GradReq } from '../executor/bind';
import { Uniform } from '../initializer/index';
import { AnyMetric, MetricSpec, create as createMetric } from '../metric/index';
import { loadCheckpoint, saveCheckpoint } from '../model/checkpoint';
import { NDArray } from '../ndarray/ndarray';
import { Optimizer, Updater, create as createOptimizer, getUpdater } from '../optimizer/index';
import { Symbol } from '../symbol/symbol';
import { asList, concatRows, headRows, shapeEntries } from './arrays';
import { fitModule } from './fit';
import type { BatchLike, BindOptions, DataIterLike, EpochRecord, FitOptions, InitOptimizerOptions, InitParamsOptions, ModuleOptions, ShapeSpec } from './types';

export type { BatchLike, BindOptions, DataIterLike, EpochRecord, FitOptions, InitOptimizerOptions, InitParamsOptions, ModuleOptions, ShapeSpec } from './types';
export type { ProgressOptions } from './progress';

/**
 * MXNet's `mx.mod.Module`: binds a symbol for training or inference, owns its parameters and
 * optimizer, and runs the training loop (`fit`), evaluation (`score`) and inference (`predict`).
 *
 * @example
 * ```ts
 * const mod = new mx.mod.Module({ symbol: net, logger: mx.callback.silentLogger });
 * const history = mod.fit(train, { numEpoch: 20, evalData: test, evalMetric: 'acc', optimizer: 'sgd', optimizerParams: { learning_rate: 0.1 } });
 * const [[, accuracy]] = mod.score(test, 'acc');
 * const probabilities = mod.predict(test);
 * ```
 */
export class Module {
  readonly symbol: Symbol;
  readonly context: Context;
  readonly dataNames: readonly string[];
  readonly labelNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly paramNames: readonly string[];
  readonly auxNames: readonly string[];
  readonly fixedParamNames: readonly string[];
  logger: Logger;
  binded = false;
  forTraining = false;
  paramsInitialized = false;
  optimizerInitialized = false;
  optimizer: Optimizer | null = null;
  private updater: Updater | null = null;
  private boundExec: Executor | null = null;
  private current: Executor | null = null;
  private readonly reshaped = new Map<string, Executor>();
  /** The monitor `installMonitor` set: installed on every executor this module runs. */
  private monitor: Monitor | null = null;
  private dataDescs: [string, Shape][] = [];
  private labelDescs: [string, Shape][] = [];
  /** Parameters from `Module.loadCheckpoint`, copied in at bind. */
  private loadedParams: [Record<string, NDArray>, Record<string, NDArray>] | null = null;

  constructor(options: ModuleOptions) {
    if (!options || !(options.symbol instanceof Symbol)) throw new ValueError({ op: 'Module', argument: 'symbol' }, 'must be a Symbol');
    this.symbol = options.symbol;
    this.context = options.context ?? cpu();
    this.logger = options.logger ?? consoleLogger;
    this.dataNames = Object.freeze([...(options.dataNames ?? ['data'])]);
    this.labelNames = Object.freeze([...(options.labelNames ?? ['softmax_label'])]);
    this.fixedParamNames = Object.freeze([...(options.fixedParamNames ?? [])]);
    const args = this.symbol.listArguments();
    for (const name of this.dataNames) {
      if (!args.includes(name)) throw new ValueError({ op: 'Module', argument: 'dataNames' }, `'${name}' is not an argument of the symbol; its arguments are ${listNames(args)}`);
    }
    for (const name of this.labelNames) {
      if (!args.includes(name)) this.logger.warn(`Module: label name '${name}' is not an argument of the symbol (arguments: ${listNames(args)}); it will be ignored`);
    }
    const inputs = new Set([...this.dataNames, ...this.labelNames]);
    this.paramNames = Object.freeze(args.filter((n) => !inputs.has(n)));
    const params = new Set(this.paramNames);
    for (const name of this.fixedParamNames) {
      if (!params.has(name)) throw new ValueError({ op: 'Module', argument: 'fixedParamNames' }, `'${name}' is not a parameter; parameters are ${listNames(this.paramNames)}`);
    }
    this.auxNames = Object.freeze(this.symbol.listAuxiliaryStates());
    this.outputNames = Object.freeze(this.symbol.listOutputs());
  }

  /** The executor of the last forward (the bound one, or one reshaped for another batch size). */
  get executor(): Executor {
    return this.requireBound('executor');
  }

  /** Shapes of data and labels per batch, as bound. */
  get dataShapes(): readonly [string, Shape][] {
    return this.dataDescs;
  }

  get labelShapes(): readonly [string, Shape][] {
    return this.labelDescs;
  }

  /** Allocates the executor for these input shapes. Parameters already initialized are kept. */
  bind(dataShapes: ShapeSpec, labelShapes: ShapeSpec | null = null, options: BindOptions = {}): void {
    if (this.binded && !options.forceRebind) {
      this.logger.warn('Module: already bound, ignoring bind() (pass forceRebind to rebind)');
      return;
    }
    const data = shapeEntries(dataShapes, 'dataShapes');
    const labels = shapeEntries(labelShapes, 'labelShapes');
    const dataNames = data.map(([n]) => n);
    if (dataNames.length !== this.dataNames.length || dataNames.some((n) => !this.dataNames.includes(n))) {
      throw new BindError({ op: 'Module.bind', argument: 'dataShapes' }, `name ${listNames(dataNames) || '(none)'} do not match the module's dataNames ${listNames(this.dataNames)}`);
    }
    for (const [name] of labels) {
      if (!this.labelNames.includes(name)) throw new BindError({ op: 'Module.bind', argument: 'labelShapes' }, `name '${name}' is not among the module's labelNames ${listNames(this.labelNames) || '(none)'}`);
    }
    const saved = this.paramsInitialized ? this.getParams() : null;
    const forTraining = options.forTraining ?? true;
    const req = options.gradReq ?? 'write';
    const gradReq = nameRecord<GradReq>();
    const params = new Set(this.paramNames);
    const fixed = new Set(this.fixedParamNames);
    const dataInputs = new Set(this.dataNames);
    for (const name of this.symbol.listArguments()) {
      if (params.has(name)) gradReq[name] = forTraining && !fixed.has(name) ? req : 'null';
      else if (dataInputs.has(name)) gradReq[name] = forTraining && options.inputsNeedGrad ? req : 'null';
      else gradReq[name] = 'null';
    }
    const shapes = nameRecord<Shape>([...data, ...labels]);
    this.boundExec = this.symbol.simpleBind(this.context, { shapes, gradReq });
    this.current = this.boundExec;
    this.reshaped.clear();
    this.dataDescs = data;
    this.labelDescs = labels;
    this.binded = true;
    this.forTraining = forTraining;
    if (saved) this.boundExec.copyParamsFrom(saved[0], saved[1]);
    else if (this.loadedParams) {
      const [argParams, auxParams] = this.loadedParams;
      this.loadedParams = null;
      this.initParams({ initializer: null, argParams, auxParams, forceInit: true });
    }
  }

  /**
   * Fills parameters from `argParams`/`auxParams` where given, else with `initializer`
   * (default Uniform(0.01)), honouring each variable's `__init__` attribute.
   */
  initParams(options: InitParamsOptions = {}): void {
    if (this.paramsInitialized && !options.forceInit) {
      this.logger.warn('Module: parameters already initialized, ignoring initParams() (pass forceInit to reinitialize)');
      return;
    }
    const exec = this.requireBound('initParams');
    const initializer = options.initializer === undefined ? new Uniform(0.01) : options.initializer;
    const attrs = this.symbol.attrDict();
    const fill = (names: readonly string[], arrays: Record<string, NDArray>, given: Readonly<Record<string, NDArray>> | null | undefined, what: string) => {
      if (given && !options.allowExtra) {
        const known = new Set(names);
        for (const key of Object.keys(given)) {
          if (!known.has(key)) throw new ValueError({ op: 'Module.initParams', argument: key }, `in ${what} is not a ${what === 'argParams' ? 'parameter' : 'auxiliary state'} of the module (${listNames(names) || 'none'}); pass allowExtra to ignore it`);
        }
      }
      for (const name of names) {
        const target = arrays[name]!;
        const value = ownValue(given, name);
        if (value) {
          if (!shapesEqual(value.shape, target.shape)) {
            throw new ValueError({ op: 'Module.initParams', argument: name, expected: target.shape, actual: value.shape }, `in ${what} has shape ${shapeToString(value.shape)} but the module needs ${shapeToString(target.shape)}`);
          }
          target.data.set(value.data);
        } else if (given && !options.allowMissing) {
          throw new ValueError({ op: 'Module.initParams', argument: name }, `is missing from ${what}; pass allowMissing to initialize it instead`);
        } else if (initializer) {
          initializer.initialize({ name, attrs: ownValue(attrs, name) ?? {} }, target);
        } else {
          throw new ValueError({ op: 'Module.initParams', argument: name }, `is missing from ${what} and no initializer was given`);
        }
      }
    };
    fill(this.paramNames, exec.argDict, options.argParams, 'argParams');
    fill(this.auxNames, exec.auxDict, options.auxParams, 'auxParams');
    this.paramsInitialized = true;
  }

  /** Copies of the parameters and auxiliary states: `[argParams, auxParams]`. */
  getParams(): [Record<string, NDArray>, Record<string, NDArray>] {
    const exec = this.requireBound('getParams');
    if (!this.paramsInitialized) throw new ValueError({ op: 'Module.getParams' }, 'parameters are not initialized: call initParams() first');
    const args = exec.argDict;
    const aux = exec.auxDict;
    return [nameRecord(this.paramNames.map((n) => [n, args[n]!.copy()])), nameRecord(this.auxNames.map((n) => [n, aux[n]!.copy()]))];
  }

  /** Sets every parameter from these records (missing names are an error unless allowMissing). */
  setParams(argParams: Readonly<Record<string, NDArray>>, auxParams: Readonly<Record<string, NDArray>> = {}, options: { allowMissing?: boolean; forceInit?: boolean; allowExtra?: boolean } = {}): void {
    this.initParams({ initializer: null, argParams, auxParams, allowMissing: options.allowMissing ?? false, forceInit: options.forceInit ?? true, allowExtra: options.allowExtra ?? false });
  }

  /** Creates the optimizer; `rescale_grad` defaults to 1/batchSize, which averages gradients over the batch. */
  initOptimizer(options: InitOptimizerOptions = {}): void {
    this.requireBound('initOptimizer');
    if (!this.paramsInitialized) throw new ValueError({ op: 'Module.initOptimizer' }, 'parameters are not initialized: call initParams() first');
    if (this.optimizerInitialized && !options.forceInit) {
      this.logger.warn('Module: optimizer already initialized, ignoring initOptimizer() (pass forceInit to replace it)');
      return;
    }
    const batchSize = this.dataDescs[0]?.[1][0] ?? 1;
    const spec = options.optimizer ?? 'sgd';
    let optimizer: Optimizer;
    if (spec instanceof Optimizer) {
      optimizer = spec;
      if (optimizer.rescaleGrad !== 1 / batchSize) {
        this.logger.warn(`Module: the optimizer was created outside the module and its rescaleGrad ${optimizer.rescaleGrad} is not 1/batchSize (${1 / batchSize}); is this intended?`);
      }
    } else {
      const params: Record<string, unknown> = { ...(options.optimizerParams ?? { learning_rate: 0.01 }) };
      if (!('rescale_grad' in params) && !('rescaleGrad' in params)) params['rescaleGrad'] = 1 / batchSize;
      params['paramIdx2Name'] = this.paramNames;
      params['sym'] = this.symbol;
      optimizer = createOptimizer(spec, params);
    }
    this.optimizer = optimizer;
    this.updater = getUpdater(optimizer);
    this.optimizerInitialized = true;
  }

  /** Runs the graph on a batch (reshaping the executor when the batch size changes). */
  forward(batch: BatchLike, isTrain?: boolean): void {
    this.requireBound('forward');
    if (!this.paramsInitialized) throw new ValueError({ op: 'Module.forward' }, 'parameters are not initialized: call initParams() first');
    if (!batch || !Array.isArray(batch.data) || batch.data.length !== this.dataNames.length) {
      throw new ValueError({ op: 'Module.forward', argument: 'batch.data' }, `must hold ${this.dataNames.length} array(s) for ${listNames(this.dataNames)}`);
    }
    // Batches hold their arrays in the order of the shapes bound (the iterator's provideData).
    const labels = (batch.label ?? []).slice(0, this.labelDescs.length);
    const feeds = nameRecord<NDArray>();
    const shapes = nameRecord<Shape>();
    this.dataDescs.forEach(([name], i) => {
      const arr = batch.data[i]!;
      if (!(arr instanceof NDArray)) throw new ValueError({ op: 'Module.forward', argument: name }, 'must be an NDArray');
      feeds[name] = arr;
      shapes[name] = arr.shape;
    });
    const batchSize = shapes[this.dataDescs[0]![0]]![0]!;
    this.labelDescs.forEach(([name, shape], i) => {
      const arr = labels[i];
      if (arr) {
        feeds[name] = arr;
        shapes[name] = arr.shape;
      } else shapes[name] = [batchSize, ...shape.slice(1)];
    });
    const exec = this.execFor(shapes);
    exec.forward(isTrain ?? this.forTraining, feeds);
  }

  backward(outGrads?: NDArray | readonly NDArray[]): void {
    const exec = this.requireBound('backward');
    if (!this.forTraining) throw new ValueError({ op: 'Module.backward' }, 'the module is bound for inference: bind with forTraining to run backward');
    exec.backward(outGrads);
  }

  /** Applies the optimizer to every trainable parameter with its gradient. */
  update(): void {
    const exec = this.requireBound('update');
    if (!this.optimizerInitialized || !this.updater) throw new ValueError({ op: 'Module.update' }, 'the optimizer is not initialized: call initOptimizer() first');
    const args = exec.argDict;
    const grads = exec.gradDict;
    for (const name of this.paramNames) {
      const grad = grads[name];
      if (grad) this.updater.call(name, grad, args[name]!);
    }
  }

  /** The outputs of the last forward. */
  getOutputs(): readonly NDArray[] {
    return this.requireBound('getOutputs').outputs;
  }

  /** Gradients of the data inputs (bind with inputsNeedGrad). */
  getInputGrads(): NDArray[] {
    const grads = this.requireBound('getInputGrads').gradDict;
    return this.dataNames.map((name) => {
      const g = grads[name];
      if (!g) throw new ValueError({ op: 'Module.getInputGrads', argument: name }, 'has no gradient: bind with inputsNeedGrad');
      return g;
    });
  }

  /**
   * Feeds the last outputs and `labels` (named as bound, else by labelNames) to the metric,
   * leaving out `pad` trailing rows.
   */
  updateMetric(evalMetric: AnyMetric, labels: readonly NDArray[] | null | undefined, pad = 0): void {
    const outputs = this.getOutputs();
    const keep = (arr: NDArray) => (pad > 0 && arr.ndim > 0 ? headRows(arr, arr.shape[0]! - pad) : arr);
    const labelDict = nameRecord<NDArray>();
    (labels ?? []).forEach((arr, i) => {
      const name = this.labelDescs[i]?.[0] ?? this.labelNames[i];
      if (name !== undefined) labelDict[name] = keep(arr);
    });
    const outputDict = nameRecord<NDArray>();
    outputs.forEach((arr, i) => (outputDict[this.outputNames[i]!] = keep(arr)));
    evalMetric.updateDict(labelDict, outputDict);
  }

  /** Evaluates `evalMetric` over the iterator (from its start unless reset is false). */
  score(evalData: DataIterLike, evalMetric: MetricSpec, options: { numBatch?: number; batchEndCallback?: BatchEndCallback | readonly BatchEndCallback[]; reset?: boolean; epoch?: number } = {}): [string, number][] {
    this.requireBound('score');
    const metric = createMetric(evalMetric);
    if (options.reset ?? true) evalData.reset();
    metric.reset();
    let nbatch = 0;
    for (let batch = evalData.next(); batch; batch = evalData.next()) {
      if (options.numBatch !== undefined && nbatch === options.numBatch) break;
      this.forward(batch, false);
      this.updateMetric(metric, batch.label, batch.pad);
      for (const cb of asList(options.batchEndCallback)) cb({ epoch: options.epoch ?? 0, nbatch, evalMetric: metric });
      nbatch++;
    }
    return metric.getNameValue();
  }

  /**
   * Outputs over the iterator with padded rows dropped, concatenated across batches (one NDArray
   * for a single output unless alwaysOutputList). An NDArray is run as one batch: output 0.
   */
  predict(evalData: DataIterLike | NDArray, options: { numBatch?: number; reset?: boolean; alwaysOutputList?: boolean } = {}): NDArray | NDArray[] {
    this.requireBound('predict');
    if (evalData instanceof NDArray) {
      this.forward({ data: [evalData] }, false);
      return this.getOutputs()[0]!.copy();
    }
    if (options.reset ?? true) evalData.reset();
    const collected: NDArray[][] = this.outputNames.map(() => []);
    let nbatch = 0;
    for (let batch = evalData.next(); batch; batch = evalData.next()) {
      if (options.numBatch !== undefined && nbatch === options.numBatch) break;
      this.forward(batch, false);
      this.getOutputs().forEach((out, i) => collected[i]!.push(headRows(out, out.shape[0]! - batch.pad).copy()));
      nbatch++;
    }
    if (nbatch === 0) throw new ValueError({ op: 'Module.predict', argument: 'evalData' }, 'gave no batch: reset the iterator or pass reset: true');
    const merged = collected.map(concatRows);
    return merged.length === 1 && !options.alwaysOutputList ? merged[0]! : merged;
  }

  /**
   * bind -> initParams (skipped when parameters are already there, e.g. loaded) -> initOptimizer,
   * then `numEpoch` epochs of forward, backward, update and metric update per batch, with a
   * progress display (`progress` option); the train metric (and evalMetric on evalData) is logged
   * and recorded each epoch. Stops with a ValueError naming the first parameter that becomes NaN
   * or infinite. See fit.ts.
   */
  fit(trainData: DataIterLike, options: FitOptions): EpochRecord[] {
    return fitModule(this, trainData, options);
  }

  /**
   * Writes `prefix-symbol.json` and `prefix-%04d.params` (MXNet's `save_checkpoint`: parameters
   * as `arg:<name>`, auxiliary states as `aux:<name>`), readable by MXNet and `mx.model.loadCheckpoint`.
   */
  saveCheckpoint(prefix: string, epoch: number): void {
    const [argParams, auxParams] = this.getParams();
    saveCheckpoint(prefix, epoch, this.symbol, argParams, auxParams);
  }

  /**
   * Releases the module's executors now (the bound one and those reshaped for other batch sizes):
   * their arenas and the worker threads' hold on them go at once instead of at the next garbage
   * collection. The module is then unbound, and its parameters went with the executor: take
   * `getParams()` first to keep them, then `bind` and `setParams` to use the module again.
   * Calling it twice, or on a module never bound, does nothing.
   */
  dispose(): void {
    for (const exec of this.reshaped.values()) exec.dispose();
    this.boundExec?.dispose();
    this.reshaped.clear();
    this.boundExec = null;
    this.current = null;
    this.binded = false;
    this.paramsInitialized = false;
    // Optimizer states (momentum...) belong to the parameters that are gone.
    this.optimizerInitialized = false;
    this.optimizer = null;
    this.updater = null;
  }

  /**
   * MXNet's `Module.load`: a Module over the checkpoint's symbol whose parameters are the saved
   * ones once bound (`bind`, `fit`, or `predict` after `bind`). Optimizer states are not saved.
   */
  static loadCheckpoint(prefix: string, epoch: number, options: Omit<ModuleOptions, 'symbol'> = {}): Module {
    const { symbol, argParams, auxParams } = loadCheckpoint(prefix, epoch);
    const mod = new Module({ ...options, symbol });
    mod.loadedParams = [argParams, auxParams];
    return mod;
  }

  /** Installs a monitor on the module's executors (MXNet's `install_monitor`; the module must be bound). */
  installMonitor(mon: Monitor): void {
    this.requireBound('installMonitor');
    this.monitor = mon;
    for (const exec of [this.boundExec!, ...this.reshaped.values()]) mon.install(exec);
  }

  private requireBound(op: string): Executor {
    if (!this.binded || !this.current) throw new ValueError({ op: `Module.${op}` }, 'the module is not bound: call bind() first');
    return this.current;
  }

  /** The executor for these input shapes: the bound one, or a reshaped one sharing its parameters. */
  private execFor(shapes: Record<string, Shape>): Executor {
    const bound = this.boundExec!;
    const args = bound.argDict;
    const same = Object.entries(shapes).every(([name, shape]) => !args[name] || shapesEqual(args[name]!.shape, shape));
    if (same) {
      this.current = bound;
      return bound;
    }
    const key = JSON.stringify(shapes);
    let exec = this.reshaped.get(key);
    if (!exec) {
      const known = nameRecord(Object.entries(shapes).filter(([name]) => args[name]));
      exec = bound.reshape(known, { allowUpSizing: true, partialShaping: true });
      this.reshaped.set(key, exec);
      this.monitor?.install(exec);
    }
    this.current = exec;
    return exec;
  }
}
