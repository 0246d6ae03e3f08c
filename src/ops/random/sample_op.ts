/**
 * `_random_X` (no inputs, `shape` gives the output) and `_random_X_like` (the output takes the
 * shape of `data`, whose values are ignored and which gets a zero gradient), from MXNet
 * `random/sample_op.cc`. Values are float32; `dtype` float16/float64 is refused until mxts has
 * other dtypes, and randint's int32 values are stored as float32 (exact up to 2^24).
 */
import { defineOp } from '../registry';
import type { AnyOpDef, ForwardContext, Req, Tensor } from '../types';
import { ctxParam, dtypeParam, floatDtypeParam, initShape, processUniform01, shapeParam, STREAM_NOTE } from './common';
import { DISTRIBUTIONS, Distribution, RANDINT } from './distributions';

type Params = Readonly<Record<string, unknown>>;

const ALIASES: Readonly<Record<string, readonly string[]>> = {
  uniform: ['uniform', 'random_uniform'],
  normal: ['normal', 'random_normal'],
};

/**
 * The distribution's parameters as 1-element arrays (float32 as MXNet's float fields, integers
 * exact), for kernels that take one value per parameter set: the op's state, made once per node.
 */
function parameterArrays(dist: Distribution, p: Params): readonly ArrayLike<number>[] {
  const values = dist.paramNames.map((name) => p[name] as number);
  while (values.length < 2) values.push(0);
  return dist === RANDINT ? values.map((v) => Float64Array.of(v)) : values.map((v) => Float32Array.of(v));
}

function sampleInto(dist: Distribution) {
  return (out: Tensor, req: Req, ctx: ForwardContext<readonly ArrayLike<number>[]>) => {
    const [a, b] = ctx.state;
    dist.draw(ctx.kernels, a!, b!, out.data, req, processUniform01);
  };
}

function randomOp(dist: Distribution): AnyOpDef {
  const sample = sampleInto(dist);
  const dtype = dist === RANDINT
    ? dtypeParam({ accepted: ['None', 'int32'], refused: ['int64'], default: 'None', doc: 'the output type; None is int32, stored as float32 (int64 not supported yet)' })
    : floatDtypeParam();
  return defineOp({
    name: `_random_${dist.name}`,
    aliases: ALIASES[dist.name] ?? [`random_${dist.name}`],
    doc: [`Samples ${dist.law}, of the given shape.`, STREAM_NOTE].join('\n'),
    params: { ...dist.params, shape: shapeParam('the output shape; 0 marks a dimension left to inference'), ctx: ctxParam(), dtype },
    inputs: () => [],
    outputs: () => ['output'],
    inferShape: (p: Params, _inputs, outputs, site) => {
      dist.check?.(p, site);
      return initShape(p['shape'] as readonly number[], outputs, site);
    },
    createState: (p: Params) => parameterArrays(dist, p),
    forward: (_p, _inputs, [out], [req], ctx) => sample(out!, req!, ctx),
  });
}

function randomLikeOp(dist: Distribution): AnyOpDef {
  const sample = sampleInto(dist);
  return defineOp({
    name: `_random_${dist.name}_like`,
    doc: [`Samples ${dist.law}, shaped like data (whose values are not read); data gets a zero gradient.`, STREAM_NOTE].join('\n'),
    params: dist.params,
    inputs: () => ['data'],
    outputs: () => ['output'],
    inferShape: (p: Params, [data], [output], site) => {
      dist.check?.(p, site);
      const shape = data ?? output ?? null;
      return { inputs: [shape], outputs: [shape] };
    },
    createState: (p: Params) => parameterArrays(dist, p),
    forward: (_p, _inputs, [out], [req], ctx) => sample(out!, req!, ctx),
    backward: {
      usesOutGrads: false,
      compute: (_p, _io, [dx], [req], ctx) => {
        if (dx && req === 'write') ctx.kernels.fillConstant(dx.data, 0, 'write');
      },
    },
  });
}

export const randomOps: readonly AnyOpDef[] = [...DISTRIBUTIONS.map(randomOp), randomOp(RANDINT)];
export const randomLikeOps: readonly AnyOpDef[] = DISTRIBUTIONS.map(randomLikeOp);
