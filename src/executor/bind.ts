/**
 * Argument handling for `bind` and `simpleBind`: arrays by name or in `listArguments()` order,
 * gradient requests, auxiliary states, all validated with the argument named.
 */
import { Context } from '../base/context';
import { BindError, ValueError } from '../base/errors';
import { Shape, shapeToString, shapesEqual } from '../base/shape';
import { NDArray } from '../ndarray/ndarray';

export type GradReq = 'write' | 'add' | 'null';
export type ArraysArg = Readonly<Record<string, NDArray>> | readonly NDArray[];
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
    throw new BindError({ op, argument: what }, `are required: ${names.join(', ')}`);
  }
  if (Array.isArray(given)) {
    if (given.length !== names.length) {
      throw new BindError({ op, argument: what }, `has ${given.length} arrays but the symbol has ${names.length} (${names.join(', ')})`);
    }
    return given.map((array, i) => checkArray(array, op, names[i]!));
  }
  const record = given as Readonly<Record<string, NDArray>>;
  return names.map((name) => {
    if (!Object.prototype.hasOwnProperty.call(record, name)) {
      throw new BindError({ op, argument: name }, `is missing from ${what}; the symbol needs ${names.join(', ')}`);
    }
    return checkArray(record[name], op, name);
  });
}

function checkArray(value: unknown, op: string, name: string): NDArray {
  if (!(value instanceof NDArray)) throw new BindError({ op, argument: name }, `must be an NDArray, got ${value === null ? 'null' : typeof value}`);
  return value;
}

/** Per-argument gradient request: a string for all, a record (unnamed = 'null') or a list. */
export function resolveGradReqs(gradReq: GradReqArg, names: readonly string[], op: string): GradReq[] {
  const check = (req: unknown, name: string): GradReq => {
    if (typeof req !== 'string' || !GRAD_REQS.includes(req)) throw new BindError({ op, argument: `gradReq for ${name}` }, `must be 'write', 'add' or 'null', got ${String(req)}`);
    return req as GradReq;
  };
  if (typeof gradReq === 'string') return names.map((name) => check(gradReq, name));
  if (Array.isArray(gradReq)) {
    if (gradReq.length !== names.length) throw new BindError({ op, argument: 'gradReq' }, `has ${gradReq.length} entries but the symbol has ${names.length} arguments`);
    return gradReq.map((req, i) => check(req, names[i]!));
  }
  const record = gradReq as Readonly<Record<string, GradReq>>;
  for (const key of Object.keys(record)) {
    if (!names.includes(key)) throw new BindError({ op, argument: key }, `in gradReq is not an argument; arguments are ${names.join(', ')}`);
  }
  return names.map((name) => (record[name] === undefined ? 'null' : check(record[name], name)));
}

export function checkShapeMatches(array: NDArray, expected: Shape, op: string, name: string, what: string): void {
  if (!shapesEqual(array.shape, expected)) {
    throw new BindError({ op, argument: name, expected, actual: array.shape }, `${what} has shape ${shapeToString(array.shape)} but the graph needs ${shapeToString(expected)}`);
  }
}
