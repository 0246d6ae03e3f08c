/**
 * One error hierarchy for the whole library. Every error carries structured fields (data first)
 * and a message of one shape: `<Op> '<node>': <argument> <problem>`.
 */

export interface ErrorSite {
  /** Operator name as MXNet spells it (`SoftmaxOutput`), or an API name (`bind`, `NDArray`). */
  op?: string | undefined;
  /** Node name in the graph (`sm`, `fullyconnected0`). */
  node?: string | undefined;
  /** The input, parameter or argument at fault (`label`, `grad_scale`). */
  argument?: string | undefined;
  expected?: unknown;
  actual?: unknown;
}

function composeMessage(site: ErrorSite, problem: string): string {
  let head = site.op ?? '';
  if (site.node !== undefined) head += `${head ? ' ' : ''}'${site.node}'`;
  const subject = site.argument !== undefined ? `${site.argument} ${problem}` : problem;
  return head ? `${head}: ${subject}` : subject;
}

/**
 * The base of every error mxts throws. Subclasses say what went wrong (`ShapeError`,
 * `ParamError`, `BindError`, ...); the message names the operator, node and argument, which
 * programs read from `op`, `node`, `argument`, `expected`, `actual` and `problem`.
 *
 * @example
 * ```ts
 * try {
 *   net.inferShape({ data: [8, 5], fc_weight: [3, 4] });
 * } catch (error) {
 *   if (error instanceof mx.ShapeError) console.log(error.message);
 * }
 * ```
 */
export class MXNetError extends Error {
  readonly op: string | undefined;
  readonly node: string | undefined;
  readonly argument: string | undefined;
  readonly expected: unknown;
  readonly actual: unknown;
  /** The problem alone, without the op/node/argument prefix. */
  readonly problem: string;

  constructor(site: ErrorSite, problem: string) {
    super(composeMessage(site, problem));
    this.name = new.target.name;
    this.op = site.op;
    this.node = site.node;
    this.argument = site.argument;
    this.expected = site.expected;
    this.actual = site.actual;
    this.problem = problem;
  }
}

/** Shapes that fit no rule, or disagree between inputs (shape inference, NDArray creation). */
export class ShapeError extends MXNetError {}
/** Operator parameters: unknown names, wrong kinds, values out of range, missing required ones. */
export class ParamError extends MXNetError {}
/** `bind` / `simpleBind` / `forward` feeds: missing, unknown or mis-shaped arrays. */
export class BindError extends MXNetError {}
/** Backward: missing head gradients, gradients through ops without one, backward before forward. */
export class GradientError extends MXNetError {}
/** Any other bad value given to the API (wrong type, out-of-range index, unknown name). */
export class ValueError extends MXNetError {}
/** Malformed files: symbol JSON or NDArray bytes that cannot be read. */
export class FormatError extends MXNetError {}
/** dtypes: type inference conflicts, an op/dtype combination mxts does not compute, `.data` of a non-float32 array. */
export class DTypeError extends MXNetError {}
/**
 * A size beyond the limits (`mx.config`: bytes per allocation, outputs per node, nesting depth):
 * refused before anything is allocated. `node`, `shape` and `bytes` say what asked for how much.
 */
export class ResourceError extends MXNetError {
  readonly shape: readonly number[] | undefined;
  readonly bytes: number | undefined;

  constructor(site: ErrorSite & { shape?: readonly number[]; bytes?: number }, problem: string) {
    super(site, problem);
    this.shape = site.shape;
    this.bytes = site.bytes;
  }
}
/** A file that cannot be opened or read (missing, a directory, no permission). `code` is Node's (`ENOENT`). */
export class FileError extends MXNetError {
  readonly code: string | undefined;

  constructor(site: ErrorSite & { code?: string }, problem: string) {
    super(site, problem);
    this.code = site.code;
  }
}

/** How many names a message lists before "and N more". */
export const LISTED_NAMES = 10;

/**
 * A list for an error message: the first 10 items joined with `, `, then `and N more`, so that
 * messages about large graphs stay short. Every message that prints a list uses this.
 */
export function listNames(items: readonly unknown[], max = LISTED_NAMES): string {
  const shown = items.slice(0, max).map(String).join(', ');
  return items.length > max ? `${shown}, and ${items.length - max} more` : shown;
}

/** Levenshtein distance, for "did you mean" hints. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      const cost = a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** ` (did you mean 'x'?)` when a known name is close to the given one, else ``. */
export function didYouMean(given: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(given, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const close = best !== undefined && bestDistance <= Math.max(2, Math.floor(given.length / 3));
  return close ? ` (did you mean '${best}'?)` : '';
}
