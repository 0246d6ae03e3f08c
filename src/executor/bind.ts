/**
 * Argument handling for `bind` and `simpleBind`: arrays by name or in `listArguments()` order,
 * gradient requests, auxiliary states, all validated with the argument named.
 */
import { Context } from '../base/context';
import { BindError, ValueError, listNames } from '../base/errors';
import { Shape, shapeToString, shapesEqual } from '../base/shape';
import { NDArray } from '../ndarray/ndarray';

/** How backward stores an argument's gradient: overwrite it, add to it, or skip it (MXNet's grad_req). */
export type GradReq = 'write' | 'add' | 'null';
/** Arrays by argument name, or a list in `listArguments()` (or `listAuxiliaryStates()`) order. */
export type ArraysArg = Readonly<Record<string, NDArray>> | readonly NDArray[];
/** One {@link GradReq} for every argument, or one per argument by name or in list order. */
export type GradReqArg = GradReq | Readonly<Record<string, GradReq>> | readonly GradReq[];

const GRAD_REQS: readonly string[] = ['write', 'add', 'null'];

export function checkContext(ctx: unknown, op: string): void {
  if (!(ctx instanceof Context)) throw new ValueError({ op, argument: 'ctx' }, 'must be a Context such as mx.cpu()');
}

export function checkUniqueNames(names: readonly string[], op: string, what: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new BindError({ op, argument: name }, `appears twice among the ${what}: give the variables distinct names`);
    seen.add(name);
  }
}

/** Arrays for `names`, from a record (every name required; extra keys ignored, as MXNet) or a list. */
export function resolveArrays(given: ArraysArg | undefined, names: readonly string[], op: string, what: string): NDArray[] {
  if (given === undefined) {
    if (names.length === 0) return [];
    throw new BindError({ op, argument: what }, `are required: ${listNames(names)}`);
  }
  if (Array.isArray(given)) {
    if (given.length !== names.length) {
      throw new BindError({ op, argument: what }, `has ${given.length} arrays but the symbol has ${names.length} (${listNames(names)})`);
    }
    return given.map((array, i) => checkArray(array, op, names[i]!));
  }
  if (typeof given !== 'object' || given === null) throw new BindError({ op, argument: what }, `must be a record (name -> NDArray) or a list of NDArrays, got ${describeValue(given)}`);
  const record = given as Readonly<Record<string, NDArray>>;
  return names.map((name) => {
    if (!Object.prototype.hasOwnProperty.call(record, name)) {
      throw new BindError({ op, argument: name }, `is missing from ${what}; the symbol needs ${listNames(names)}`);
    }
    return checkArray(record[name], op, name);
  });
}

function checkArray(value: unknown, op: string, name: string): NDArray {
  if (!(value instanceof NDArray)) throw new BindError({ op, argument: name }, `must be an NDArray, got ${value === null ? 'null' : typeof value}`);
  return value;
}

const VALID_GRAD_REQS = "'write', 'add', 'null', or a record (argument name -> one of them) or a list of them in listArguments() order";

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/**
 * Per-argument gradient request: a string for all, a record (arguments not named get 'null') or
 * a list. Anything else (numbers, booleans, null) is a BindError listing the valid values, never
 * a silent default. Record keys are read as own properties, so names like `constructor` work.
 */
export function resolveGradReqs(gradReq: GradReqArg, names: readonly string[], op: string): GradReq[] {
  const check = (req: unknown, name: string): GradReq => {
    if (typeof req !== 'string' || !GRAD_REQS.includes(req)) throw new BindError({ op, argument: `gradReq for ${name}` }, `must be 'write', 'add' or 'null', got ${describeValue(req)}`);
    return req as GradReq;
  };
  if (typeof gradReq === 'string') {
    if (!GRAD_REQS.includes(gradReq)) throw new BindError({ op, argument: 'gradReq' }, `must be ${VALID_GRAD_REQS}; got ${describeValue(gradReq)}`);
    return names.map((name) => check(gradReq, name));
  }
  if (Array.isArray(gradReq)) {
    if (gradReq.length !== names.length) throw new BindError({ op, argument: 'gradReq' }, `has ${gradReq.length} entries but the symbol has ${names.length} arguments`);
    return gradReq.map((req, i) => check(req, names[i]!));
  }
  if (typeof gradReq !== 'object' || gradReq === null || gradReq instanceof Map) {
    throw new BindError({ op, argument: 'gradReq' }, `must be ${VALID_GRAD_REQS}; got ${describeValue(gradReq)}`);
  }
  const record = gradReq as Readonly<Record<string, unknown>>;
  const known = new Set(names);
  for (const key of Object.keys(record)) {
    if (!known.has(key)) throw new BindError({ op, argument: key }, `in gradReq is not an argument; arguments are ${listNames(names)}`);
  }
  return names.map((name) => (Object.prototype.hasOwnProperty.call(record, name) ? check(record[name], name) : 'null'));
}

export function checkShapeMatches(array: NDArray, expected: Shape, op: string, name: string, what: string): void {
  if (!shapesEqual(array.shape, expected)) {
    throw new BindError({ op, argument: name, expected, actual: array.shape }, `${what} has shape ${shapeToString(array.shape)} but the graph needs ${shapeToString(expected)}`);
  }
}
