/**
 * Executor: a symbol bound to arrays. `bind` infers shapes once, validates every argument and
 * compiles a flat plan; `forward` and `backward` then loop over that plan's steps.
 */
import type { Backend, BackendName, ExecutorMemory, MemoryKind, MemoryReservation } from '../backend/backend';
import { backendNamed, currentBackend } from '../backend/select';
import { Context } from '../base/context';
import { allocateFloat32, checkAllocation } from '../base/budget';
import { BindError, GradientError, ShapeError, ValueError, listNames } from '../base/errors';
import { Shape, checkShape, shapeToString, shapesEqual, sizeOf } from '../base/shape';
import { NDArray, NestedArray } from '../ndarray/ndarray';
import { array } from '../ndarray/creation';
import { DType, allocateValues } from '../base/dtype';
import { boundTypes, simpleBindTypes } from './dtypes';
import { variableIds } from '../symbol/graph';
import { outputName, outputNames } from '../symbol/node';
import { inferGraphShapes, inferShapesOnce } from '../symbol/infer_shape';
import type { Symbol } from '../symbol/symbol';
import { ArraysArg, GradReq, GradReqArg, checkContext, checkShapeMatches, checkUniqueNames, resolveArrays, resolveGradReqs } from './bind';
import { Plan, compilePlan, runBackward, runForward } from './plan';
import { MonitorCallback, MonitorHook, compileMonitor, runBackwardMonitored, runForwardMonitored } from './monitor';
import { executorDebugStr } from './debug_str';
import { SimpleBindArgs, keywordShapes } from './simple_bind_args';

/** Options of `symbol.bind(ctx, args, options)` (MXNet's `args_grad`, `grad_req`, `aux_states`). */
export interface BindOptions {
  argsGrad?: Readonly<Record<string, NDArray>> | readonly (NDArray | null)[];
  gradReq?: GradReqArg;
  auxStates?: ArraysArg;
  /** The backend whose kernels this executor runs (default: the process-wide one, `mx.getBackend()`). */
  backend?: BackendName;
}

/** Options of `symbol.simpleBind(ctx, options)`: shapes (and dtypes) by argument name, from which every array is allocated. */
export interface SimpleBindOptions {
  shapes?: Readonly<Record<string, Shape>>;
  /** dtypes by argument name (MXNet's `type_dict`); others come from `__dtype__` or inference, else float32. */
  typeDict?: Readonly<Record<string, DType>>;
  gradReq?: GradReqArg;
  /** The backend whose kernels this executor runs (default: the process-wide one, `mx.getBackend()`). */
  backend?: BackendName;
}

/** `executor.memoryPlan()`: the shared region's peak, and each planned array's place and lifetime. */
export interface MemoryPlanReport {
  readonly peakBytes: number;
  /** All bytes planned for op outputs and intermediate gradients (the region and zero gradients). */
  readonly plannedBytes: number;
  /** Bytes one buffer per op output and gradient would take. */
  readonly naiveBytes: number;
  readonly arrays: readonly {
    readonly name: string;
    readonly kind: 'value' | 'gradient';
    readonly shape: Shape;
    readonly offsetBytes: number;
    readonly bytes: number;
    readonly firstStep: number;
    /** Infinity for arrays that live to the end (the outputs). */
    readonly lastStep: number;
  }[];
}

/** How an executor is made, besides its arrays (internal: bind, simpleBind and reshape fill it). */
interface ExecutorParts {
  /** An executor to share memory with (`reshape`). */
  shareWith?: Executor | undefined;
  /** The backend's memory every new array is carved from. */
  memory?: ExecutorMemory | null | undefined;
  /** Where the arrays it is bound with live (default 'plain'). */
  memoryKind?: MemoryKind | undefined;
  backend?: Backend | undefined;
  /** Every graph entry's shape, when the caller has inferred them already (simpleBind). */
  entryShapes?: readonly (Shape | null)[] | undefined;
  /** Every graph entry's dtype, when the caller has inferred them already (simpleBind). */
  entryTypes?: readonly DType[] | undefined;
}

/** A value `forward` copies into a bound argument: an NDArray, nested arrays, or a flat array of numbers. */
export type FeedValue = NDArray | NestedArray | ArrayLike<number>;
/** Head gradients for `backward`: one array, a list in `listOutputs()` order, or a record by output name. */
export type OutGradsArg = NDArray | readonly NDArray[] | Readonly<Record<string, NDArray>>;

/**
 * A symbol bound to arrays (MXNet's Executor), made by `symbol.bind` or `symbol.simpleBind`: its
 * memory is planned once at bind, then `forward` and `backward` run the graph on the bound arrays,
 * which it reads and writes in place.
 *
 * @example
 * ```ts
 * const net = mx.sym.LinearRegressionOutput(mx.sym.FullyConnected(mx.sym.Variable('data'), { num_hidden: 1, name: 'fc' }), { name: 'lro' });
 * const exec = net.simpleBind(mx.cpu(), { shapes: { data: [4, 3] } });
 * exec.argDict.fc_weight!.data.fill(0.5);
 * exec.forward(true, { data: mx.nd.ones([4, 3]), lro_label: mx.nd.zeros([4]) });
 * exec.outputs[0]!.toArray();   // [[1.5], [1.5], [1.5], [1.5]]
 * exec.backward();              // gradients in exec.gradDict
 * exec.dispose();
 * ```
 */
export class Executor {
  readonly outputs: readonly NDArray[];
  readonly argArrays: readonly NDArray[];
  readonly gradArrays: readonly (NDArray | null)[];
  readonly auxArrays: readonly NDArray[];
  readonly gradReqs: readonly GradReq[];
  private readonly plan: Plan;
  private forwardDone = false;
  /** The installed monitor callback, or null (forward and backward then run the plain loops). */
  private monitor: MonitorHook | null = null;
  private readonly argByName: ReadonlyMap<string, NDArray>;
  /** The backend whose kernels run this executor's plan. */
  readonly backend: Backend;
  private memory: ExecutorMemory | null;
  private disposed = false;
  /**
   * Where the arrays this executor was bound with live: 'arena' (one WebAssembly memory, kernels
   * work in place), 'plain' (plain arrays by design), or 'plain-fallback' (the engine refused the
   * arena, e.g. under `ulimit -v`: slower; docs/reliability.md says what to do). Reshaped
   * executors report their parent's (they view its arrays).
   */
  readonly memoryKind: MemoryKind;

  /** Use `symbol.bind` or `symbol.simpleBind`. */
  constructor(
    readonly symbol: Symbol,
    readonly context: Context,
    args: readonly NDArray[],
    grads: readonly (NDArray | null)[],
    gradReqs: readonly GradReq[],
    aux: readonly NDArray[],
    { shareWith, memory, memoryKind, backend = shareWith?.backend ?? currentBackend(), entryShapes, entryTypes }: ExecutorParts = {},
  ) {
    this.backend = backend;
    this.memoryKind = memoryKind ?? shareWith?.memoryKind ?? 'plain';
    this.memory = memory ?? null;
    const graph = symbol.graph;
    const { args: argIds, aux: auxIds } = variableIds(graph);
    const argNames = symbol.listArguments();
    const given = new Map<number, Shape>();
    argIds.forEach((id, i) => given.set(id, args[i]!.shape));
    auxIds.forEach((id, i) => given.set(id, aux[i]!.shape));
    const shapes = entryShapes ?? inferGraphShapes(graph, given);
    const undecided = shapes.flatMap((s, e) => (s ? [] : [e]));
    if (undecided.length > 0) {
      throw new ShapeError({ op: 'bind' }, `the shapes of ${undecided.length} graph entries cannot be inferred from the arguments`);
    }
    argIds.forEach((id, i) => checkShapeMatches(args[i]!, shapes[graph.entryStart[id]!]!, 'bind', argNames[i]!, 'argument'));
    if (!entryShapes) checkPlannedBuffers(symbol, shapes);
    grads.forEach((grad, i) => grad && checkShapeMatches(grad, args[i]!.shape, 'bind', argNames[i]!, 'gradient array'));

    const variableValues = new Map<number, NDArray>();
    argIds.forEach((id, i) => variableValues.set(id, args[i]!));
    auxIds.forEach((id, i) => variableValues.set(id, aux[i]!));
    const variableGrads = new Map<number, { array: NDArray; req: 'write' | 'add' }>();
    argIds.forEach((id, i) => {
      const req = gradReqs[i]!;
      if (req !== 'null' && grads[i]) variableGrads.set(id, { array: grads[i]!, req });
    });
    const types = entryTypes ?? boundTypes(symbol, args, aux, grads);
    this.plan = compilePlan({ graph, shapes: shapes as Shape[], variableValues, variableGrads, shareValues: shareWith?.plan.entryValues, allocate: memory?.alloc, kernels: backend.kernels, types });
    this.outputs = Object.freeze(graph.heads.map((e) => this.plan.entryValues[e]!));
    this.argArrays = Object.freeze(args.slice());
    this.argByName = new Map(argNames.map((name, i) => [name, args[i]!]));
    this.gradReqs = Object.freeze(gradReqs.map((req, i) => (grads[i] ? req : 'null')));
    this.gradArrays = Object.freeze(grads.map((g, i) => (this.gradReqs[i] === 'null' ? null : g)));
    this.auxArrays = Object.freeze(aux.slice());
  }

  /** Argument arrays by name, in a prototype-free record (a variable may be named `__proto__`). */
  get argDict(): Record<string, NDArray> {
    return zipRecord(this.symbol.listArguments(), this.argArrays);
  }

  /** Gradient arrays by argument name; arguments with gradReq 'null' are omitted. Prototype-free. */
  get gradDict(): Record<string, NDArray> {
    const out = Object.create(null) as Record<string, NDArray>;
    this.symbol.listArguments().forEach((name, i) => {
      const grad = this.gradArrays[i];
      if (grad) out[name] = grad;
    });
    return out;
  }

  get auxDict(): Record<string, NDArray> {
    return zipRecord(this.symbol.listAuxiliaryStates(), this.auxArrays);
  }

  /** Outputs by name; throws when two heads share a name (as MXNet's `output_dict`). */
  get outputDict(): Record<string, NDArray> {
    const names = this.symbol.listOutputs();
    const seen = new Set<string>();
    const repeated = names.find((name) => seen.has(name) || !seen.add(name));
    if (repeated !== undefined) throw new ValueError({ op: 'outputDict', argument: repeated }, 'names more than one output: use exec.outputs by index');
    return zipRecord(names, this.outputs);
  }

  /** Bytes this executor allocated for op outputs and intermediate gradients. */
  get plannedBytes(): number {
    return this.plan.plannedBytes;
  }

  /**
   * Where op outputs and intermediate gradients live: one region of `peakBytes` that they share,
   * each array's byte offset in it and its lifetime in plan steps (forward steps are the node
   * ids, then one step for the head gradients, then the backward steps in reverse node order).
   * Arrays with a `null` offset have memory of their own (gradients nobody writes: zeros).
   */
  memoryPlan(): MemoryPlanReport {
    const { graph } = this.symbol;
    const name = (entry: number) => outputName(graph.nodes[graph.entryNode[entry]!]!, entry - graph.entryStart[graph.entryNode[entry]!]!);
    const arrays = this.plan.layout.buffers.map((b) => ({
      name: name(b.entry),
      kind: b.kind,
      shape: b.shape,
      offsetBytes: b.offset * 4,
      bytes: sizeOf(b.shape) * 4,
      firstStep: b.first,
      lastStep: b.last,
    }));
    return { peakBytes: this.plan.layout.peakFloats * 4, plannedBytes: this.plan.plannedBytes, naiveBytes: this.plan.naiveBytes, arrays };
  }

  /** Bytes the same outputs and gradients would take with one buffer each (no reuse). */
  get naiveBytes(): number {
    return this.plan.naiveBytes;
  }

  /**
   * Releases the executor's memory now instead of when it is collected: the worker threads drop
   * their hold on its arena at once. The executor cannot run afterwards; arrays already taken from
   * it stay readable until they are dropped.
   */
  dispose(): void {
    this.disposed = true;
    this.memory?.release();
    this.memory = null;
  }

  private checkLive(op: string): void {
    if (this.disposed) throw new BindError({ op }, 'was called on an executor that was disposed of');
  }

  /** Copies `feeds` (by argument name) into the bound arrays, runs the graph, returns `outputs`. */
  forward(isTrain = false, feeds?: Readonly<Record<string, FeedValue>>): readonly NDArray[] {
    this.checkLive('forward');
    if (feeds !== undefined) this.copyFeeds(feeds);
    if (this.monitor) runForwardMonitored(this.plan, isTrain, this.monitor);
    else runForward(this.plan, isTrain);
    this.forwardDone = true;
    return this.outputs;
  }

  private copyFeeds(feeds: Readonly<Record<string, FeedValue>>): void {
    if (typeof feeds !== 'object' || feeds === null || Array.isArray(feeds)) throw new BindError({ op: 'forward', argument: 'feeds' }, 'must be a record of argument name -> values');
    for (const name of Object.keys(feeds)) {
      const given: unknown = feeds[name];
      const target = this.argByName.get(name);
      if (!target) throw new BindError({ op: 'forward', argument: name }, `is not an argument of the symbol; arguments are ${listNames([...this.argByName.keys()])}`);
      // Nested lists are read with their shape; flat typed arrays must hold exactly the elements.
      if (!(given instanceof NDArray) && !Array.isArray(given) && !(ArrayBuffer.isView(given) && !(given instanceof DataView) && !(given instanceof BigInt64Array) && !(given instanceof BigUint64Array))) {
        throw new BindError({ op: 'forward', argument: name }, `must be an NDArray, a nested list of numbers or a number typed array, got ${given === null ? 'null' : typeof given}`);
      }
      const value = Array.isArray(given) ? array(given as NestedArray) : (given as NDArray | ArrayLike<number>);
      const length = value instanceof NDArray ? value.size : value.length;
      if (value instanceof NDArray ? !shapesEqual(value.shape, target.shape) : length !== target.size) {
        const shown = value instanceof NDArray ? shapeToString(value.shape) : `${length} values`;
        throw new BindError({ op: 'forward', argument: name, expected: target.shape }, `has ${shown} but the bound array has shape ${shapeToString(target.shape)}`);
      }
      target.set(value);
    }
  }

  /**
   * Runs the gradient pass. Head gradients may be omitted for heads that ignore them (loss heads:
   * SoftmaxOutput, the regression outputs, MakeLoss, BlockGrad); other heads need one.
   */
  backward(outGrads?: OutGradsArg): void {
    this.checkLive('backward');
    if (!this.forwardDone) throw new GradientError({ op: 'backward' }, 'was called before forward: run forward(true) first');
    const heads = this.plan.heads;
    const single = outGrads instanceof NDArray;
    const list = single || outGrads === undefined || Array.isArray(outGrads) ? (outGrads as readonly NDArray[] | NDArray | undefined) : this.outGradsFromRecord(outGrads as Readonly<Record<string, NDArray>>);
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i]!;
      if (!head.target) continue;
      const grad = single ? (i === 0 ? (list as NDArray) : undefined) : (list as readonly NDArray[] | undefined)?.[i];
      if (!grad) {
        throw new GradientError({ op: 'backward', argument: head.name }, 'needs a head gradient: its operator is not a loss head. Pass outGrads, or end the graph with a loss (MakeLoss, SoftmaxOutput, ...)');
      }
      if (!(grad instanceof NDArray)) throw new GradientError({ op: 'backward', argument: `outGrads[${i}]` }, 'must be an NDArray');
      checkShapeMatches(grad, head.shape, 'backward', head.name, 'head gradient');
      const target = head.target.values;
      if (head.req === 'add') for (let k = 0; k < target.length; k++) target[k]! += grad.values[k]!;
      else head.target.set(grad);
    }
    if (this.monitor) runBackwardMonitored(this.plan, this.monitor);
    else runBackward(this.plan);
  }

  /**
   * Calls `callback(name, array)` for every node output as forward computes it (`fc1_output`),
   * with `monitorAll` for its inputs before (`fc1_data`, and variables by name), and for the input
   * gradients each backward step computes (`fc1_backward_output0`). `null` removes it.
   */
  setMonitorCallback(callback: MonitorCallback | null, monitorAll = false): void {
    this.monitor = callback === null ? null : compileMonitor(this.symbol.graph, this.plan, callback, monitorAll);
  }

  /** The graph, the compiled forward and backward steps with their shapes, and the memory plan. */
  debugStr(): string {
    return executorDebugStr(this.symbol, this.plan, this.memoryPlan());
  }

  /** Copies parameters into the bound arrays; unknown names throw unless `allowExtraParams`. */
  copyParamsFrom(argParams: Readonly<Record<string, NDArray>>, auxParams: Readonly<Record<string, NDArray>> = {}, allowExtraParams = false): void {
    const copyInto = (params: Readonly<Record<string, NDArray>>, targets: Record<string, NDArray>, what: string) => {
      if (typeof params !== 'object' || params === null) throw new BindError({ op: 'copyParamsFrom', argument: what }, 'must be a record of name -> NDArray');
      for (const [name, value] of Object.entries(params)) {
        const target = targets[name];
        if (!target) {
          if (allowExtraParams) continue;
          throw new BindError({ op: 'copyParamsFrom', argument: name }, `is not among the ${what} (${listNames(Object.keys(targets))})`);
        }
        if (!(value instanceof NDArray)) throw new BindError({ op: 'copyParamsFrom', argument: name }, `must be an NDArray, got ${value === null ? 'null' : typeof value}`);
        checkShapeMatches(value, target.shape, 'copyParamsFrom', name, 'parameter');
        target.set(value);
      }
    };
    copyInto(argParams, this.argDict, 'arguments');
    copyInto(auxParams, this.auxDict, 'auxiliary states');
  }

  /**
   * A new executor for new input shapes that shares memory with this one: arrays whose shape is
   * unchanged are shared, smaller ones are views of the same buffers, larger ones need
   * `allowUpSizing`. Arguments whose shape changes without being named need `partialShaping`.
   */
  reshape(shapes: Readonly<Record<string, Shape>>, options: { partialShaping?: boolean; allowUpSizing?: boolean } = {}): Executor {
    this.checkLive('reshape');
    const graph = this.symbol.graph;
    const argNames = this.symbol.listArguments();
    const auxNames = this.symbol.listAuxiliaryStates();
    const { args: argIds, aux: auxIds } = variableIds(graph);
    const named = new Map<number, Shape>();
    for (const [name, shape] of Object.entries(shapes)) {
      const i = argNames.indexOf(name);
      if (i < 0) throw new BindError({ op: 'reshape', argument: name }, `is not an argument; arguments are ${listNames(argNames)}`);
      named.set(argIds[i]!, checkShape(shape, { op: 'reshape', argument: name }));
    }
    // Infer from the named shapes; whatever stays undecided keeps its current shape.
    const firstPass = inferGraphShapes(graph, named);
    const given = new Map(named);
    [...argIds, ...auxIds].forEach((id, k) => {
      const current = k < argIds.length ? this.argArrays[k]! : this.auxArrays[k - argIds.length]!;
      if (!given.has(id) && !firstPass[graph.entryStart[id]!]) given.set(id, current.shape);
    });
    const entryShapes = inferGraphShapes(graph, given);
    const fit = (old: NDArray, id: number, name: string): NDArray => {
      const shape = entryShapes[graph.entryStart[id]!]!;
      if (shapesEqual(old.shape, shape)) return old;
      if (!named.has(id) && !options.partialShaping) {
        throw new BindError({ op: 'reshape', argument: name }, `would change shape from ${shapeToString(old.shape)} to ${shapeToString(shape)}; give its shape or pass partialShaping`);
      }
      const size = sizeOf(shape);
      if (size <= old.size) return new NDArray(old.values.subarray(0, size), shape, { dtype: old.dtype });
      if (!options.allowUpSizing) throw new BindError({ op: 'reshape', argument: name }, `new shape ${shapeToString(shape)} is larger than ${shapeToString(old.shape)}; pass allowUpSizing`);
      const floats = allocateFloat32({ op: 'reshape', node: name, shape });
      return old.dtype === 'float32' ? new NDArray(floats, shape) : new NDArray(allocateValues(old.dtype, size), shape, { dtype: old.dtype });
    };
    const args = argIds.map((id, i) => fit(this.argArrays[i]!, id, argNames[i]!));
    const grads = argIds.map((id, i) => (this.gradArrays[i] ? fit(this.gradArrays[i]!, id, argNames[i]!) : null));
    const aux = auxIds.map((id, i) => fit(this.auxArrays[i]!, id, auxNames[i]!));
    return new Executor(this.symbol, this.context, args, grads, this.gradReqs, aux, { shareWith: this });
  }

  private outGradsFromRecord(record: Readonly<Record<string, NDArray>>): (NDArray | undefined)[] {
    const names = this.symbol.listOutputs();
    const known = new Set(names);
    for (const key of Object.keys(record)) {
      if (!known.has(key)) throw new GradientError({ op: 'backward', argument: key }, `is not an output; outputs are ${listNames(names)}`);
    }
    return names.map((name) => (Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined));
  }
}

function chosenBackend(name: BackendName | undefined, site: string): Backend {
  return name === undefined ? currentBackend() : backendNamed(name, site);
}

/** Before compiling a plan: every op output (a value and its gradient) and workspace must fit the byte budget. */
function checkPlannedBuffers(symbol: Symbol, shapes: readonly (Shape | null)[]): void {
  const graph = symbol.graph;
  graph.nodes.forEach((node, id) => {
    if (node.kind !== 'op') return;
    outputNames(node).forEach((output, k) => {
      const shape = shapes[graph.entryStart[id]! + k];
      // A safety net for an op whose inference lets a bad parameter through (fuzzing found
      // broadcast_to with shape "-3" inferring (-3,)): refused here, not by the engine later.
      if (shape && !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
        throw new ShapeError({ op: node.op.name, node: node.name, argument: output }, `was inferred with shape ${shapeToString(shape)}; dimensions must be non-negative integers (check the node's parameters)`);
      }
      if (shape) checkAllocation({ op: node.op.name, node: node.name, argument: output, shape });
    });
    const inputShapes = graph.inputEntries[id]!.map((e) => shapes[e]);
    if (!inputShapes.every((shape): shape is Shape => !!shape)) return;
    const floats = node.op.workspace?.(node.params, inputShapes);
    if (floats !== undefined) checkAllocation({ op: node.op.name, node: node.name, argument: 'workspace', shape: [floats] });
  });
}

/** A prototype-free record, so names such as `__proto__` and `constructor` are ordinary keys. */
function zipRecord(names: readonly string[], arrays: readonly NDArray[]): Record<string, NDArray> {
  const out = Object.create(null) as Record<string, NDArray>;
  names.forEach((name, i) => (out[name] = arrays[i]!));
  return out;
}

function checkOptions(options: unknown, op: string): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new BindError({ op, argument: 'options' }, `must be an object, got ${options === null ? 'null' : typeof options}`);
}

/** `symbol.bind(ctx, args, {argsGrad, gradReq, auxStates})`. */
export function bindSymbol(symbol: Symbol, ctx: Context, args: ArraysArg, options: BindOptions = {}): Executor {
  checkContext(ctx, 'bind');
  checkOptions(options, 'bind');
  const argNames = symbol.listArguments();
  const auxNames = symbol.listAuxiliaryStates();
  checkUniqueNames([...argNames, ...auxNames], 'bind', 'arguments and auxiliary states');
  const argArrays = resolveArrays(args, argNames, 'bind', 'args');
  const auxArrays = resolveArrays(options.auxStates ?? (auxNames.length === 0 ? [] : undefined), auxNames, 'bind', 'auxStates');
  const reqs = resolveGradReqs(options.gradReq === undefined ? 'write' : options.gradReq, argNames, 'bind');
  let grads: (NDArray | null)[];
  if (options.argsGrad === undefined) {
    argArrays.forEach((a, i) => reqs[i] !== 'null' && checkAllocation({ op: 'bind', node: argNames[i]!, argument: 'gradient', shape: a.shape }));
    const zerosLike = (a: NDArray, i: number) => (a.dtype === 'float32' ? new NDArray(allocateFloat32({ op: 'bind', node: argNames[i]!, argument: 'gradient', shape: a.shape }), a.shape) : new NDArray(allocateValues(a.dtype, a.size), a.shape, { dtype: a.dtype }));
    grads = argArrays.map((a, i) => (reqs[i] === 'null' ? null : zerosLike(a, i)));
  } else if (Array.isArray(options.argsGrad)) {
    if (options.argsGrad.length !== argNames.length) throw new BindError({ op: 'bind', argument: 'argsGrad' }, `has ${options.argsGrad.length} entries but the symbol has ${argNames.length} arguments`);
    grads = options.argsGrad.map((g) => g ?? null);
  } else {
    const record = options.argsGrad as Readonly<Record<string, NDArray>>;
    if (typeof record !== 'object' || record === null) throw new BindError({ op: 'bind', argument: 'argsGrad' }, 'must be a record (name -> NDArray) or a list of NDArrays or nulls');
    const known = new Set(argNames);
    for (const key of Object.keys(record)) if (!known.has(key)) throw new BindError({ op: 'bind', argument: key }, `in argsGrad is not an argument; arguments are ${listNames(argNames)}`);
    grads = argNames.map((name) => (Object.prototype.hasOwnProperty.call(record, name) ? record[name] ?? null : null));
  }
  grads.forEach((g, i) => {
    if (g !== null && !(g instanceof NDArray)) throw new BindError({ op: 'bind', argument: argNames[i] }, 'gradient must be an NDArray or null');
  });
  return new Executor(symbol, ctx, argArrays, grads, reqs, auxArrays, { backend: chosenBackend(options.backend, 'bind') });
}

/** `symbol.simpleBind(ctx, {shapes, gradReq})`: every array allocated (zero-filled) from inferred shapes. */
export function simpleBindSymbol(symbol: Symbol, ctx: Context, args: SimpleBindArgs = {}): Executor {
  checkContext(ctx, 'simpleBind');
  checkOptions(args, 'simpleBind');
  const options = keywordShapes(symbol, args); // MXNet's simple_bind(ctx, data=(2, 5)): shapes at the top level
  const argNames = symbol.listArguments();
  const auxNames = symbol.listAuxiliaryStates();
  checkUniqueNames([...argNames, ...auxNames], 'simpleBind', 'arguments and auxiliary states');
  // One shape inference for everything: the argument lists, the memory bound and the plan.
  const { lists: { argShapes, auxShapes }, entries } = inferShapesOnce(symbol, options.shapes ?? {});
  const { argTypes, auxTypes, entryTypes } = simpleBindTypes(symbol, options.typeDict);
  const reqs = resolveGradReqs(options.gradReq === undefined ? 'write' : options.gradReq, argNames, 'simpleBind');
  // Every array is checked against the byte budget before the first one is allocated.
  argShapes.forEach((shape, i) => checkAllocation({ op: 'simpleBind', node: argNames[i]!, shape }));
  auxShapes.forEach((shape, i) => checkAllocation({ op: 'simpleBind', node: auxNames[i]!, shape }));
  const backend = chosenBackend(options.backend, 'simpleBind');
  // Every array here is the executor's own, so large executors get them all from one memory of
  // the backend's (a WebAssembly arena, where kernels work in place).
  checkPlannedBuffers(symbol, entries); // before the backend reserves memory for them all
  const build = ({ memory, kind }: MemoryReservation) => {
    const zerosOf = (shape: Shape, node: string, dtype: DType) =>
      dtype !== 'float32' ? new NDArray(allocateValues(dtype, sizeOf(shape)), shape, { dtype }) : new NDArray(memory ? memory.alloc(sizeOf(shape)) : plainZeros({ op: 'simpleBind', node, shape }), shape);
    const args = argShapes.map((shape, i) => zerosOf(shape, argNames[i]!, argTypes[i]!));
    const grads = argShapes.map((shape, i) => (reqs[i] === 'null' ? null : zerosOf(shape, argNames[i]!, argTypes[i]!)));
    const aux = auxShapes.map((shape, i) => zerosOf(shape, auxNames[i]!, auxTypes[i]!));
    return new Executor(symbol, ctx, args, grads, reqs, aux, { memory, memoryKind: kind, backend, entryShapes: entries, entryTypes });
  };
  const first = backend.reserveMemory(arenaBound(entries, argShapes));
  if (first.kind !== 'plain-fallback') return build(first);
  // The bound counts every op output twice (a value and a gradient); the plan shares buffers and
  // needs far less. Bound with plain arrays, the executor knows its exact need: try that size.
  const plain = build(first);
  const retry = backend.reserveMemory(exactFloats(plain));
  if (retry.kind !== 'plain-fallback') return build(retry);
  warnPlainFallback(retry.refused);
  return plain;
}

/**
 * A plain zero array for simpleBind, the budget checked first. Not budget.ts's allocateFloat32:
 * arrays made there (behind its try/catch) made the reference backend's convolution step allocate
 * ~6 KB per step once warm (tests/executor/allocation.test.ts); made here, nothing.
 */
function plainZeros(site: { op: string; node: string; shape: Shape }): Float32Array {
  checkAllocation(site);
  return new Float32Array(sizeOf(site.shape));
}

/** Floats an executor's arena must hold: its arguments, gradients, auxiliary states and plan. */
function exactFloats(exec: Executor): number {
  const padded = (array: NDArray | null) => (array ? Math.ceil(array.size / 4) * 4 : 0);
  const bound = [...exec.argArrays, ...exec.gradArrays, ...exec.auxArrays].reduce((sum, array) => sum + padded(array), 0);
  // The plan's region and its zero gradients, each rounded up to whole SIMD vectors.
  return bound + exec.plannedBytes / 4 + 4 * (exec.memoryPlan().arrays.length + 1);
}

let warnedPlainFallback = false;

/** Says once per process that executors run on plain arrays because arenas were refused. */
function warnPlainFallback(reason: string): void {
  if (warnedPlainFallback) return;
  warnedPlainFallback = true;
  const message = `mxts: executors run on plain arrays, slower, because ${reason}. Under a virtual-memory limit (ulimit -v) V8 reserves about 10 GiB of address space for each WebAssembly memory: raise the limit, or run Node with --disable-wasm-trap-handler. executor.memoryKind is 'plain-fallback' for each executor concerned.`;
  const proc = (globalThis as { process?: { emitWarning?: (message: string, options: { code: string }) => void } }).process;
  if (proc?.emitWarning) proc.emitWarning(message, { code: 'MXTS_ARENA_REFUSED' });
  else console.warn(message);
}

/**
 * Floats an executor can allocate at most: arguments and their gradients, auxiliary states, and
 * every op output twice (a value and a gradient), each rounded up to whole SIMD vectors.
 */
function arenaBound(entryShapes: readonly (Shape | null)[], argShapes: readonly Shape[]): number {
  const padded = (shape: Shape | null) => (shape ? Math.ceil(sizeOf(shape) / 4) * 4 : 0);
  const entries = entryShapes.reduce((sum, shape) => sum + 2 * padded(shape), 0);
  return entries + argShapes.reduce((sum, shape) => sum + padded(shape), 0);
}
