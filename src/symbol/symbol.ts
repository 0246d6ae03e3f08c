/**
 * Symbol: a thin, immutable wrapper over output entries of a frozen graph. Graph facts (order,
 * argument lists) are computed once per Symbol and cached.
 */
import { ValueError, listNames } from '../base/errors';
import { Shape, checkShape } from '../base/shape';
import { isUnknownShape } from '../base/np_shape';
import type { Context } from '../base/context';
import type { ArraysArg } from '../executor/bind';
import { BindOptions, Executor, bindSymbol, simpleBindSymbol } from '../executor/executor';
import { getOp } from '../ops/registry';
import type { MaybeShape } from '../ops/types';
import { applyOp } from './apply_op';
import { compose, setAttr } from './compose';
import { save as saveSymbolFile, toJSON as symbolToJSON } from './json';
import { lookupAttr, withAliases } from './attrs';
import { IndexedGraph, indexGraph, variableIds } from './graph';
import { inferGraphShapes, inferShapesOnce, listsOf } from './infer_shape';
import { InferredTypeLists, TypeArgs, inferTypePartial, inferTypesOnce } from './infer_type';
import type { DType } from '../base/dtype';
import { Entry, GraphNode, outputName } from './node';
import { visibleOutputs } from './visible';
import { FluentMethods, SplitV2Options, installFluent, splitV2Params } from './fluent_table';
import type { NDArray } from '../ndarray/ndarray';
import { EvalArgs, evalSymbol } from './eval';
import { graphDebugStr } from './debug_str';
import type { SimpleBindArgs } from '../executor/simple_bind_args';

/** Known shapes for inference: by argument name, or in `listArguments()` order with `null` for unknown. */
export type ShapeArgs = Readonly<Record<string, Shape>> | readonly (Shape | null | undefined)[];

/** What `inferShape` returns: shapes of the arguments, outputs and auxiliary states, each in list order. */
export interface InferredShapeLists<S> {
  argShapes: S[];
  outShapes: S[];
  auxShapes: S[];
}

/**
 * A symbolic graph (MXNet's `Symbol`): immutable; operators on it build new symbols. Carries
 * MXNet's fluent methods (`x.exp()`, `x.sum({axis: 1})`, `x.sliceAxis(...)`), installed below.
 *
 * @example
 * ```ts
 * const x = mx.sym.Variable('x');
 * const y = x.mul(2).add(1).exp();                    // _mul_scalar, _plus_scalar, exp nodes
 * y.listArguments();                                  // ['x']
 * y.inferShape({ x: [2, 3] }).outShapes;              // [[2, 3]]
 * y.bind(mx.cpu(), { x: mx.nd.zeros([2, 3]) }).forward()[0]!.toArray(); // e^1 everywhere
 * ```
 */
export interface Symbol extends FluentMethods<Symbol, Symbol> {}

export class Symbol {
  private graphCache: IndexedGraph | undefined;

  constructor(readonly outputs: readonly Entry[]) {
    Object.freeze(this.outputs);
  }

  /** The indexed graph (nodes in MXNet's order), computed once. */
  get graph(): IndexedGraph {
    return (this.graphCache ??= indexGraph(this.outputs));
  }

  /** The head node's name when every head comes from one node, else undefined (a group). */
  get name(): string | undefined {
    const first = this.outputs[0]?.node;
    return first && this.outputs.every((e) => e.node === first) ? first.name : undefined;
  }

  get numOutputs(): number {
    return this.outputs.length;
  }

  listArguments(): string[] {
    return variableIds(this.graph).args.map((id) => this.graph.nodes[id]!.name);
  }

  listAuxiliaryStates(): string[] {
    return variableIds(this.graph).aux.map((id) => this.graph.nodes[id]!.name);
  }

  listInputs(): string[] {
    return this.graph.nodes.filter((n) => n.kind === 'variable').map((n) => n.name);
  }

  listOutputs(): string[] {
    return this.outputs.map((e) => outputName(e.node, e.index));
  }

  /** An attribute of the head node (`lr_mult` also finds `__lr_mult__`); undefined for groups. */
  attr(key: string): string | undefined {
    const node = this.singleNode();
    if (!node) return undefined;
    return key === 'name' ? node.name : lookupAttr(node.attrs, key);
  }

  listAttr(): Record<string, string> {
    const node = this.singleNode();
    return node ? withAliases(node.attrs) : {};
  }

  /** `{nodeName: attrs}` over every node that has attributes. */
  attrDict(): Record<string, Record<string, string>> {
    const out = Object.create(null) as Record<string, Record<string, string>>;
    for (const node of this.graph.nodes) if (Object.keys(node.attrs).length > 0) out[node.name] = withAliases(node.attrs);
    return out;
  }

  /** Every visible output of every node, in graph order. */
  getInternals(): Symbol {
    return new Symbol(this.graph.nodes.flatMap((node) => visibleOutputs(node)));
  }

  /** The inputs of the head node(s) as one group, or null when there are none. */
  getChildren(): Symbol | null {
    const inputs = [...new Set(this.outputs.map((e) => e.node))].flatMap((node) => (node.kind === 'op' ? node.inputs : []));
    return inputs.length > 0 ? new Symbol(inputs) : null;
  }

  /** One head, by index or by output name (`get('fc1_output')`). */
  get(key: number | string): Symbol {
    if (typeof key === 'number') {
      if (!Number.isInteger(key) || key < 0 || key >= this.outputs.length) {
        throw new ValueError({ op: 'Symbol.get', argument: 'index' }, `${key} is out of range for ${this.outputs.length} outputs`);
      }
      return new Symbol([this.outputs[key]!]);
    }
    const names = this.listOutputs();
    const matches = names.flatMap((n, i) => (n === key ? [i] : []));
    if (matches.length === 0) throw new ValueError({ op: 'Symbol.get', argument: 'name' }, `'${key}' matches no output; outputs are ${listNames(names)}`);
    if (matches.length > 1) throw new ValueError({ op: 'Symbol.get', argument: 'name' }, `'${key}' matches several outputs`);
    return new Symbol([this.outputs[matches[0]!]!]);
  }

  /**
   * Shapes of arguments, outputs and auxiliary states from the shapes given. Throws a ShapeError
   * naming the node on a conflict, and naming the undecided arguments when information is missing
   * (MXNet returns None there; use `inferShapePartial` to get what can be inferred).
   */
  inferShape(shapes: ShapeArgs): InferredShapeLists<Shape> {
    return inferShapesOnce(this, shapes).lists;
  }

  /** Like `inferShape`, with null for whatever cannot be inferred. */
  inferShapePartial(shapes: ShapeArgs): InferredShapeLists<MaybeShape> {
    return listsOf(this, inferGraphShapes(this.graph, this.givenShapes(shapes)));
  }

  /**
   * dtypes of arguments, outputs and auxiliary states from the dtypes given (and variables'
   * `__dtype__`), by the ops' type rules (MXNet's `infer_type`). Throws a DTypeError naming the
   * node on a conflict and the undecided arguments when information is missing.
   */
  inferType(types: TypeArgs = {}): InferredTypeLists<DType> {
    return inferTypesOnce(this, types).lists;
  }

  /** Like `inferType`, with null for whatever cannot be inferred. */
  inferTypePartial(types: TypeArgs = {}): InferredTypeLists<DType | null> {
    return inferTypePartial(this, types);
  }

  /** Variable node id -> shape, from a record by name or a list in `listArguments()` order. */
  givenShapes(shapes: ShapeArgs): Map<number, Shape> {
    const given = new Map<number, Shape>();
    const { args, aux } = variableIds(this.graph);
    if (Array.isArray(shapes)) {
      if (shapes.length > args.length) throw new ValueError({ op: 'inferShape', argument: 'shapes' }, `has ${shapes.length} entries but the symbol has ${args.length} arguments`);
      shapes.forEach((shape, i) => {
        if (shape && !isUnknownShape(shape)) given.set(args[i]!, checkShape(shape, { op: 'inferShape', argument: this.graph.nodes[args[i]!]!.name }));
      });
      return given;
    }
    const byName = new Map<string, number[]>();
    for (const id of [...args, ...aux]) {
      const name = this.graph.nodes[id]!.name;
      const ids = byName.get(name);
      if (ids) ids.push(id);
      else byName.set(name, [id]);
    }
    for (const [name, shape] of Object.entries(shapes as Record<string, Shape>)) {
      const ids = byName.get(name);
      if (ids === undefined) {
        throw new ValueError({ op: 'inferShape', argument: name }, `is not an argument of the symbol; its arguments are ${listNames([...byName.keys()])}`);
      }
      if (isUnknownShape(shape)) continue; // legacy: a 0 dimension means unknown (NumPy semantics: -1)
      const checked = checkShape(shape, { op: 'inferShape', argument: name });
      for (const id of ids) given.set(id, checked);
    }
    return given;
  }

  /** Binds arrays to the arguments (they are used, not copied) and compiles an Executor. */
  bind(ctx: Context, args: ArraysArg, options: BindOptions = {}): Executor {
    return bindSymbol(this, ctx, args, options);
  }

  /**
   * Allocates every array from the shapes given (zero-filled) and compiles an Executor. Shapes go
   * in `shapes`, or at the top level as in MXNet (`simpleBind(ctx, {data: [2, 5], gradReq: 'null'})`).
   */
  simpleBind(ctx: Context, options: SimpleBindArgs = {}): Executor {
    return simpleBindSymbol(this, ctx, options);
  }

  /**
   * Replaces the variables named in `inputs` by those symbols (MXNet's `sym(fc3_data=net1,
   * name='composed')`). The head is renamed to `options.name`, or to '' without one, as MXNet does.
   */
  compose(inputs: Readonly<Record<string, Symbol>> | readonly Symbol[], options: { name?: string } = {}): Symbol {
    return compose(this, inputs, options.name);
  }

  /** Binds the arrays given (no gradients), runs forward and returns the outputs (MXNet's `eval`). */
  eval(args: EvalArgs = {}): NDArray[] {
    return evalSymbol(this, args);
  }

  /** The graph as MXNet's `debug_str()` prints it: outputs, variables, ops with inputs and attributes. */
  debugStr(): string {
    return graphDebugStr(this.graph, this.outputs);
  }

  /** The number of outputs (Python's `len(sym)`). */
  get length(): number {
    return this.outputs.length;
  }

  /** Each output as a symbol of its own (Python's `for out in sym`). */
  *[globalThis.Symbol.iterator](): IterableIterator<Symbol> {
    for (let i = 0; i < this.outputs.length; i++) yield this.get(i);
  }

  /** MXNet 1.9.1's symbol JSON text, byte for byte as MXNet writes it. */
  toJSON(): string {
    return symbolToJSON(this);
  }

  /** Writes `toJSON()` to a file (Node only). */
  save(path: string): void {
    saveSymbolFile(this, path);
  }

  /** A copy whose head node has these attributes (string values; `name` renames it). */
  setAttr(attrs: Readonly<Record<string, string>>): Symbol {
    return setAttr(this, attrs);
  }

  /** `this + x`: `elemwise_add` with a symbol (node `_plus0`), `_plus_scalar` with a number. */
  add(x: Symbol | number): Symbol {
    return arithmetic(this, x, '_Plus', '_PlusScalar');
  }

  sub(x: Symbol | number): Symbol {
    return arithmetic(this, x, '_Minus', '_MinusScalar');
  }

  mul(x: Symbol | number): Symbol {
    return arithmetic(this, x, '_Mul', '_MulScalar');
  }

  div(x: Symbol | number): Symbol {
    return arithmetic(this, x, '_Div', '_DivScalar');
  }

  /** `this % x` (Python's `__mod__`): `_Mod` / `_ModScalar`. */
  mod(x: Symbol | number): Symbol {
    return arithmetic(this, x, '_Mod', '_ModScalar');
  }

  pow(x: Symbol | number): Symbol {
    return arithmetic(this, x, '_Power', '_PowerScalar');
  }

  /** `x - this` (`__rsub__`: `_RMinusScalar` for a number). */
  rsub(x: Symbol | number): Symbol {
    return x instanceof Symbol ? x.sub(this) : callOp('_RMinusScalar', [this, { scalar: checkedScalar(x, '_RMinusScalar') }]);
  }

  /** `x / this`. */
  rdiv(x: Symbol | number): Symbol {
    return x instanceof Symbol ? x.div(this) : callOp('_RDivScalar', [this, { scalar: checkedScalar(x, '_RDivScalar') }]);
  }

  /** `x % this`. */
  rmod(x: Symbol | number): Symbol {
    return x instanceof Symbol ? x.mod(this) : callOp('_RModScalar', [this, { scalar: checkedScalar(x, '_RModScalar') }]);
  }

  /** `x ** this` (`__rpow__` calls `_internal._rpower_scalar`, so the node is `_rpower_scalar0`). */
  rpow(x: Symbol | number): Symbol {
    return x instanceof Symbol ? x.pow(this) : callOp('_rpower_scalar', [this, { scalar: checkedScalar(x, '_rpower_scalar') }]);
  }

  /** `-this`, stored as MXNet stores it: `_mul_scalar` with scalar "-1.0". */
  neg(): Symbol {
    return callOp('_MulScalar', [this, { scalar: '-1.0' }]);
  }

  /** `this == x` (`__eq__`): `_equal` with a symbol, `_equal_scalar` with a number; 1 where true, else 0. */
  equal(x: Symbol | number): Symbol {
    return arithmetic(this, x, '_equal', '_equal_scalar');
  }

  notEqual(x: Symbol | number): Symbol {
    return arithmetic(this, x, '_not_equal', '_not_equal_scalar');
  }

  greater(x: Symbol | number): Symbol {
    return arithmetic(this, x, '_greater', '_greater_scalar');
  }

  greaterEqual(x: Symbol | number): Symbol {
    return arithmetic(this, x, '_greater_equal', '_greater_equal_scalar');
  }

  lesser(x: Symbol | number): Symbol {
    return arithmetic(this, x, '_lesser', '_lesser_scalar');
  }

  lesserEqual(x: Symbol | number): Symbol {
    return arithmetic(this, x, '_lesser_equal', '_lesser_equal_scalar');
  }

  /**
   * MXNet's fluent `reshape`: `reshape(shape, {reverse})` or `reshape({shape, reverse, name})`;
   * a `reshape` node (`reshape0`).
   */
  reshape(shape: readonly number[] | Readonly<Record<string, unknown>>, params: Readonly<Record<string, unknown>> = {}): Symbol {
    return callOp('reshape', [this, Array.isArray(shape) ? { ...params, shape } : { ...shape, ...params }]);
  }

  /** MXNet's `split_v2`: `_split_v2` into a section count or at split points (a grouped symbol). */
  splitV2(indicesOrSections: number | readonly number[], options: SplitV2Options = {}): Symbol {
    return callOp('_split_v2', [this, splitV2Params(indicesOrSections, options)]);
  }

  split_v2(indicesOrSections: number | readonly number[], options: SplitV2Options = {}): Symbol {
    return this.splitV2(indicesOrSections, options);
  }

  /** `cast` to `dtype` (MXNet's fluent `astype`, node `cast0`). */
  astype(dtype: string, params: Readonly<Record<string, unknown>> = {}): Symbol {
    return callOp('cast', [this, { ...params, dtype }]);
  }

  toString(): string {
    return `<Symbol ${this.name ?? 'group [' + this.outputs.map((e) => e.node.name).join(', ') + ']'}>`;
  }

  private singleNode(): GraphNode | undefined {
    const name = this.name;
    return name === undefined ? undefined : this.outputs[0]!.node;
  }
}

function callOp(name: string, args: readonly unknown[]): Symbol {
  return applyOp(getOp(name), name, args);
}

function checkedScalar(x: unknown, op: string): number {
  if (typeof x !== 'number') throw new ValueError({ op, argument: 'scalar' }, `must be a Symbol or a number, got ${typeof x}`);
  return x;
}

function arithmetic(lhs: Symbol, rhs: Symbol | number, symbolOp: string, scalarOp: string): Symbol {
  if (rhs instanceof Symbol) return callOp(symbolOp, [lhs, rhs]);
  if (typeof rhs !== 'number') throw new ValueError({ op: symbolOp, argument: 'rhs' }, 'must be a Symbol or a number');
  return callOp(scalarOp, [lhs, { scalar: rhs }]);
}

// Fluent methods call the op with the receiver as the first input and MXNet's op name as the
// naming hint (`x.exp()` -> node `exp0`).
installFluent(Symbol.prototype, (_method, opName, args) => callOp(opName, args));

/** A symbol of several heads (`mx.sym.Group`). */
export function group(symbols: readonly Symbol[]): Symbol {
  if (!Array.isArray(symbols) || symbols.length === 0 || !symbols.every((s) => s instanceof Symbol)) {
    throw new ValueError({ op: 'Group', argument: 'symbols' }, 'must be a non-empty list of symbols');
  }
  return new Symbol(symbols.flatMap((s) => s.outputs));
}

export function symbolOf(node: GraphNode): Symbol {
  return new Symbol(visibleOutputs(node));
}

