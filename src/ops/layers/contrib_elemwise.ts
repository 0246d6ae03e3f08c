/**
 * Element-wise contrib ops (MXNet `contrib/gradient_multiplier_op.cc`, `contrib/stes_op.cc`,
 * `contrib/quadratic_op.cc`, `contrib/transformer.cc`): maps whose gradients are simple scalings
 * or straight-through estimators.
 */
import { bool, float } from '../params';
import { defineOp } from '../registry';
import { sameShapeAll } from '../shape_rules';
import type { AnyOpDef } from '../types';

/** MXNet's round: halves away from zero (C roundf), not toward +inf as Math.round. */
const roundHalfAway = (v: number) => Math.sign(v) * Math.round(Math.abs(v));

export const gradientMultiplierOp = defineOp({
  name: '_contrib_gradientmultiplier',
  doc: 'out = data; dx = g * scalar (a negative scalar reverses the gradient, as in domain-adversarial training).',
  params: {
    scalar: float({ doc: 'multiplies the gradient', default: 1 }),
    is_int: bool({ doc: 'whether the scalar was given as an integer (NumPy type promotion only)', default: true }),
  },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: sameShapeAll(['data']),
  inplace: [[0, 0]],
  forward: (_p, [x], [out], [req], ctx) => ctx.kernels.unaryMap('identity', x!.data, out!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (p, { outGrads: [g] }, [dx], [req], ctx) => {
      const s = Math.fround(p.scalar);
      if (dx) ctx.kernels.mapUnary(g!.data, dx.data, (v) => v * s, req!);
    },
  },
});

/** A straight-through estimator: forward f, backward passes the head gradient unchanged. */
function straightThrough(name: string, f: (v: number) => number, formula: string): AnyOpDef {
  return defineOp({
    name,
    doc: `${formula}; dx = g (straight-through estimator: the gradient of the identity).`,
    params: {},
    inputs: () => ['data'],
    outputs: () => ['output'],
    inferShape: sameShapeAll(['data']),
    inplace: [[0, 0]],
    forward: (_p, [x], [out], [req], ctx) => ctx.kernels.mapUnary(x!.data, out!.data, f, req!),
    backward: {
      usesOutGrads: true,
      compute: (_p, { outGrads: [g] }, [dx], [req], ctx) => {
        if (dx) ctx.kernels.unaryMap('identity', g!.data, dx.data, req!);
      },
    },
  });
}

export const quadraticOp = defineOp({
  name: '_contrib_quadratic',
  doc: 'out = a*x^2 + b*x + c; dx = g * (2a*x + b).',
  params: {
    a: float({ doc: 'coefficient of the quadratic term', default: 0 }),
    b: float({ doc: 'coefficient of the linear term', default: 0 }),
    c: float({ doc: 'constant term', default: 0 }),
  },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: sameShapeAll(['data']),
  inplace: [[0, 0]],
  forward: (p, [x], [out], [req], ctx) => ctx.kernels.mapUnary(x!.data, out!.data, (v) => p.a * v * v + p.b * v + p.c, req!),
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [x], outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.mapBinary(x!.data, g!.data, dx.data, (v, h) => h * (2 * p.a * v + p.b), req!);
    },
  },
});

export const divSqrtDimOp = defineOp({
  name: '_contrib_div_sqrt_dim',
  doc: 'out = data / sqrt(d), d the size of the last axis; dx = g / sqrt(d).',
  params: {},
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: sameShapeAll(['data']),
  inplace: [[0, 0]],
  forward: (_p, [x], [out], [req], ctx) => {
    const root = Math.fround(Math.sqrt(x!.shape[x!.shape.length - 1] ?? 1));
    ctx.kernels.mapUnary(x!.data, out!.data, (v) => v / root, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (_p, { outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx) return;
      const root = Math.fround(Math.sqrt(dx.shape[dx.shape.length - 1] ?? 1));
      ctx.kernels.mapUnary(g!.data, dx.data, (v) => v / root, req!);
    },
  },
});

export const contribElemwiseOps: readonly AnyOpDef[] = [
  gradientMultiplierOp,
  straightThrough('_contrib_round_ste', roundHalfAway, 'out = round(x), halves away from zero'),
  straightThrough('_contrib_sign_ste', Math.sign, 'out = sign(x) (0 at 0)'),
  quadraticOp,
  divSqrtDimOp,
];
