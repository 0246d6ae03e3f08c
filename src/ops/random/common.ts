/**
 * What the sampling ops share: the random source they hand to kernels, dtype parameters that
 * refuse what mxts cannot store yet, positive-number parameters, and MXNet's InitShape rule.
 *
 * Every draw comes from mxts's one seeded generator (`mx.random.seed`, src/base/random.ts,
 * xoshiro128**): draws are reproducible for a seed, but they are not MXNet's mt19937 streams.
 */
import { ParamError } from '../../base/errors';
import { nextFloat } from '../../base/random';
import { describe, Shape, shapeToString } from '../../base/shape';
import type { Uniform01 } from '../../backend/reference/random_distributions';
import { intTuple, ParamSpec, string } from '../params';
import type { InferredShapes, MaybeShape, ShapeSite } from '../types';

/** The process-wide seeded source, passed to kernels so they stay deterministic given it. */
export const processUniform01: Uniform01 = nextFloat;

/** The note every sampling op's doc carries. */
export const STREAM_NOTE = "Draws come from mxts's seeded generator (mx.random.seed): reproducible, but not MXNet's mt19937 stream.";

/**
 * A dtype enum where `accepted` names are computed and stored as float32, and `refused` ones
 * (valid in MXNet) are a ParamError until mxts has other dtypes.
 */
export function dtypeParam(options: { accepted: readonly string[]; refused: readonly string[]; default: string; doc: string }): ParamSpec<string> {
  return {
    doc: options.doc,
    default: options.default,
    parse: (raw, site) => {
      const value = raw === null ? 'None' : raw;
      if (typeof value === 'string' && options.accepted.includes(value)) return value;
      if (typeof value === 'string' && options.refused.includes(value)) {
        throw new ParamError({ ...site, actual: value }, `${value} is not supported yet: mxts stores sampled values as float32 only`);
      }
      const all = [...options.accepted, ...options.refused].map((v) => `'${v}'`).join(', ');
      throw new ParamError({ ...site, actual: raw, expected: options.accepted }, `must be one of ${all}, got ${describe(raw)}`);
    },
  };
}

/** MXNet's float dtype enum of the sampling ops: None means float32. */
export const floatDtypeParam = () =>
  dtypeParam({ accepted: ['None', 'float32'], refused: ['float16', 'float64', 'bfloat16'], default: 'None', doc: 'the output type; None is float32 (float16/float64 not supported yet)' });

/** A float32 parameter (MXNet `float` field) that must be > 0. */
export function positiveFloat(options: { doc: string; default: number }): ParamSpec<number> {
  return {
    doc: options.doc,
    default: options.default,
    parse: (raw, site) => {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new ParamError({ ...site, actual: raw }, `must be a finite number, got ${describe(raw)}`);
      if (!(value > 0)) throw new ParamError({ ...site, actual: value, expected: '> 0' }, `must be positive, got ${value}`);
      return value;
    },
  };
}

export const shapeParam = (doc: string, min = 0) => intTuple({ doc, default: [], min });
export const ctxParam = () => string({ doc: 'the device context of imperative calls (mxts runs on the CPU)', default: '' });

/**
 * InitShape: `shape` gives the output; an empty shape or a 0 dimension is unknown (MXNet 1.x
 * legacy shapes) and is taken from the output's consumers.
 */
export function initShape(shape: Shape, [output]: readonly MaybeShape[], site: ShapeSite): InferredShapes {
  if (shape.length > 0 && !shape.includes(0)) return { inputs: [], outputs: [shape] };
  if (output && shape.length > 0) {
    const fits = output.length === shape.length && shape.every((d, i) => d === 0 || d === output[i]);
    if (!fits) site.fail('shape', `(${shape.join(',')}) does not match the output shape ${shapeToString(output)} inferred from its consumers`, shape, output);
  }
  return { inputs: [], outputs: [output ?? null] };
}

/** A ParamError from inside a shape rule, for checks that relate two parameters. */
export function paramFail(site: ShapeSite, argument: string, problem: string, actual?: unknown): never {
  throw new ParamError({ op: site.op, node: site.node, argument, actual }, problem);
}
