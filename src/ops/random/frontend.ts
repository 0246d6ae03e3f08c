/**
 * The `mx.nd.random` / `mx.sym.random` functions, as MXNet's python `random.py` defines them:
 * scalar parameters call `_random_X` (mx.nd draws shape (1,) when no shape is given), array or
 * symbol parameters call `_sample_X` (one distribution per element). Both front ends build their
 * namespace from this file, giving how to read a call and how to reach an op.
 */
import { ValueError } from '../../base/errors';
import { describe } from '../../base/shape';

interface SamplerSpec {
  /** Front-end name and parameters with their defaults (undefined: required). */
  readonly params: readonly (readonly [string, number | undefined])[];
  readonly randomOp: string;
  readonly sampleOp: string | null;
  /** The op's name for each front-end parameter, when it differs (exponential's scale is 1/lam). */
  readonly opParams?: readonly string[];
}

export const SAMPLERS = {
  uniform: { params: [['low', 0], ['high', 1]], randomOp: '_random_uniform', sampleOp: '_sample_uniform' },
  normal: { params: [['loc', 0], ['scale', 1]], randomOp: '_random_normal', sampleOp: '_sample_normal' },
  poisson: { params: [['lam', 1]], randomOp: '_random_poisson', sampleOp: '_sample_poisson' },
  exponential: { params: [['scale', 1]], randomOp: '_random_exponential', sampleOp: '_sample_exponential', opParams: ['lam'] },
  gamma: { params: [['alpha', 1], ['beta', 1]], randomOp: '_random_gamma', sampleOp: '_sample_gamma' },
  negative_binomial: { params: [['k', 1], ['p', 1]], randomOp: '_random_negative_binomial', sampleOp: '_sample_negative_binomial' },
  generalized_negative_binomial: {
    params: [['mu', 1], ['alpha', 1]], randomOp: '_random_generalized_negative_binomial', sampleOp: '_sample_generalized_negative_binomial',
  },
  randint: { params: [['low', undefined], ['high', undefined]], randomOp: '_random_randint', sampleOp: null },
} as const satisfies Record<string, SamplerSpec>;

export type SamplerName = keyof typeof SAMPLERS;

/** How a front end reaches ops: its input type, and calling an op with inputs and parameters. */
export interface FrontEnd<T> {
  readonly isInput: (value: unknown) => value is T;
  readonly call: (op: string, inputs: readonly T[], params: Record<string, unknown>) => unknown;
  readonly reciprocal: (value: T) => T;
  /** The shape `_random_X` gets when none is given: (1,) for mx.nd, left to inference for mx.sym. */
  readonly defaultShape: readonly number[] | undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Positional arguments in `names` order, then one trailing object of keyword arguments. */
export function readCall(fn: string, names: readonly string[], args: readonly unknown[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  let positional = args;
  const last = args[args.length - 1];
  const keywords = isPlainObject(last) ? last : {};
  if (isPlainObject(last)) positional = args.slice(0, -1);
  if (positional.length > names.length) {
    throw new ValueError({ op: `random.${fn}`, actual: positional.length }, `takes at most ${names.length} positional arguments (${names.join(', ')}), got ${positional.length}`);
  }
  positional.forEach((value, i) => (values[names[i]!] = value));
  for (const [key, value] of Object.entries(keywords)) {
    if (value === undefined) continue;
    if (key in values && values[key] !== undefined) throw new ValueError({ op: `random.${fn}`, argument: key }, 'is given twice (by position and by name)');
    values[key] = value;
  }
  return values;
}

/** `fn(param..., shape?, {dtype, ctx, out, name, ...})`, dispatching on the parameters' kind. */
export function makeSampler<T>(fn: SamplerName, io: FrontEnd<T>): (...args: unknown[]) => unknown {
  const spec: SamplerSpec = SAMPLERS[fn];
  const names = spec.params.map(([name]) => name);
  return (...args) => {
    const call = readCall(fn, [...names, 'shape'], args);
    const values = spec.params.map(([name, fallback]) => {
      const value = call[name] ?? fallback;
      if (value === undefined) throw new ValueError({ op: `random.${fn}`, argument: name }, 'is required');
      delete call[name];
      return value;
    });
    const opNames = spec.opParams ?? names;
    const reciprocal = spec.opParams !== undefined;
    if (values.every((v) => io.isInput(v))) {
      if (!spec.sampleOp) throw new ValueError({ op: `random.${fn}`, argument: names[0] }, 'must be a number');
      const inputs = (values as T[]).map((v) => (reciprocal ? io.reciprocal(v) : v));
      return io.call(spec.sampleOp, inputs, call);
    }
    values.forEach((v, i) => {
      if (typeof v !== 'number') {
        throw new ValueError({ op: `random.${fn}`, argument: names[i] }, `must be a number, or every parameter an array of the same kind, got ${describe(v)}`);
      }
    });
    const params: Record<string, unknown> = { ...call };
    if (params['shape'] === undefined && params['out'] === undefined && io.defaultShape) params['shape'] = io.defaultShape;
    (values as number[]).forEach((v, i) => (params[opNames[i]!] = reciprocal ? 1 / v : v));
    return io.call(spec.randomOp, [], params);
  };
}
