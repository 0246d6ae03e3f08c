/**
 * Element-wise unary math from one factory. The scalar functions and their derivatives are the
 * backend's (`unaryMap` / `unaryGrad` by function name); this file says which ops exist and what
 * each computes.
 */
import type { UnaryFunction } from '../../backend/reference/unary_math';
import { defineOp } from '../registry';
import { sameShapeAll } from '../shape_rules';
import type { AnyOpDef } from '../types';

export function unaryOp(name: string, aliases: readonly string[], fn: UnaryFunction, formula: string): AnyOpDef {
  return defineOp({
    name,
    aliases,
    doc: formula,
    params: {},
    inputs: () => ['data'],
    outputs: () => ['output'],
    inferShape: sameShapeAll(['data']),
    inplace: [[0, 0]],
    forward: (_p, [x], [out], [req], ctx) => ctx.kernels.unaryMap(fn, x!.data, out!.data, req!),
    backward: {
      usesOutGrads: true,
      compute: (_p, { inputs: [x], outputs: [y], outGrads: [g] }, [grad], [req], ctx) => {
        if (grad) ctx.kernels.unaryGrad(fn, x!.data, y!.data, g!.data, grad.data, req!);
      },
    },
  });
}

/** Each op's formula, by the backend function it maps. */
const UNARY_OPS: readonly (readonly [UnaryFunction, string])[] = [
  ['sigmoid', 'y = 1/(1+exp(-x)); dx = g*y*(1-y)'],
  ['relu', 'y = max(x, 0); dx = g*(x > 0)'],
  ['tanh', 'y = tanh(x); dx = g*(1-y^2)'],
  ['exp', 'y = exp(x); dx = g*y'],
  ['log', 'y = log(x) (NaN below 0, -inf at 0); dx = g/x'],
  ['sqrt', 'y = sqrt(x); dx = g*0.5/y'],
  ['square', 'y = x^2; dx = g*2x'],
  ['abs', 'y = |x|; dx = g*sign(x) (0 at x = 0)'],
];

export const unaryOps: readonly AnyOpDef[] = UNARY_OPS.map(([fn, formula]) => unaryOp(fn, [], fn, formula));
