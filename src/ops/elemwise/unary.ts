/**
 * Element-wise unary math from one factory. The scalar functions and their derivatives are the
 * backend's (`unaryMap` / `unaryGrad` by function name); this file says which ops exist and what
 * each computes. Ops whose MXNet gradient is `MakeZeroGradNodes` (rounding, logical_not) write
 * zeros whatever the head gradient.
 */
import type { UnaryFunction } from '../../backend/reference/unary_math';
import { defineOp } from '../registry';
import { sameShapeAll } from '../shape_rules';
import type { AnyOpDef } from '../types';

/** Functions whose derivative the backend computes from the output alone (unary_math.ts). */
const FROM_OUTPUT: ReadonlySet<UnaryFunction> = new Set(['sigmoid', 'relu', 'tanh', 'exp', 'sqrt']);
const OUTPUT_ONLY = { inputs: [], outputs: [0] } as const;
const INPUT_ONLY = { inputs: [0], outputs: [] } as const;
const NOTHING = { inputs: [], outputs: [] } as const;

/** How the input gradient is formed: g * f'(x, y), or zeros (MXNet's MakeZeroGradNodes). */
type UnaryGradient = 'derivative' | 'zero';

export function unaryOp(name: string, aliases: readonly string[], fn: UnaryFunction, formula: string, gradient: UnaryGradient = 'derivative'): AnyOpDef {
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
      reads: () => (gradient === 'zero' ? NOTHING : FROM_OUTPUT.has(fn) ? OUTPUT_ONLY : INPUT_ONLY),
      compute: (_p, { inputs: [x], outputs: [y], outGrads: [g] }, [grad], [req], ctx) => {
        if (!grad) return;
        if (gradient === 'zero') ctx.kernels.zeroGradient(grad.data, req!);
        else ctx.kernels.unaryGrad(fn, x!.data, y!.data, g!.data, grad.data, req!);
      },
    },
  });
}

/** Each op's formula, by the backend function it maps (op name = function name). */
const UNARY_OPS: readonly (readonly [UnaryFunction, string, UnaryGradient?])[] = [
  ['sigmoid', 'y = 1/(1+exp(-x)); dx = g*y*(1-y)'],
  ['relu', 'y = max(x, 0); dx = g*(x > 0)'],
  ['softsign', 'y = x/(1+|x|); dx = g/(1+|x|)^2'],
  ['tanh', 'y = tanh(x); dx = g*(1-y^2)'],
  ['exp', 'y = exp(x); dx = g*y'],
  ['log', 'y = log(x) (NaN below 0, -inf at 0); dx = g/x'],
  ['sqrt', 'y = sqrt(x); dx = g*0.5/y'],
  ['square', 'y = x^2; dx = g*2x'],
  ['abs', 'y = |x|; dx = g*sign(x) (0 at x = 0)'],
  ['sin', 'y = sin(x); dx = g*cos(x)'],
  ['cos', 'y = cos(x); dx = -g*sin(x)'],
  ['tan', 'y = tan(x); dx = g*(1+y^2)'],
  ['arcsin', 'y = arcsin(x) (NaN outside [-1, 1]); dx = g/sqrt(1-x^2)'],
  ['arccos', 'y = arccos(x) (NaN outside [-1, 1]); dx = -g/sqrt(1-x^2)'],
  ['arctan', 'y = arctan(x); dx = g/(1+x^2)'],
  ['degrees', 'y = x*180/pi (float32 pi); dx = g*180/pi'],
  ['radians', 'y = x*pi/180 (float32 pi); dx = g*pi/180'],
  ['sinh', 'y = sinh(x); dx = g*cosh(x)'],
  ['cosh', 'y = cosh(x); dx = g*sinh(x)'],
  ['arcsinh', 'y = arcsinh(x); dx = g/sqrt(x^2+1)'],
  ['arccosh', 'y = arccosh(x) (NaN below 1); dx = g/sqrt(x^2-1)'],
  ['arctanh', 'y = arctanh(x) (+-inf at +-1, NaN beyond); dx = g/(1-x^2)'],
  ['log10', 'y = log10(x); dx = g/(x ln 10)'],
  ['log2', 'y = log2(x); dx = g/(x ln 2)'],
  ['log1p', 'y = log(1+x), accurate for small x; dx = g/(1+x)'],
  ['expm1', 'y = exp(x)-1, accurate for small x; dx = g*exp(x)'],
  ['reciprocal', 'y = 1/x; dx = -g/x^2'],
  ['rsqrt', 'y = 1/sqrt(x); dx = -g/(2 x sqrt(x))'],
  ['cbrt', 'y = cbrt(x); dx = g/(3 y^2)'],
  ['rcbrt', 'y = 1/cbrt(x); dx = -g/(3 x cbrt(x))'],
  ['negative', 'y = -x; dx = -g'],
  ['sign', 'y = sign(x) (0 at 0 and NaN); dx = g*0'],
  ['round', 'y = x rounded to the nearest integer, halves away from zero; dx = 0', 'zero'],
  ['rint', 'y = the nearer of floor(x) and ceil(x), floor on a tie (1.5 -> 1, -1.5 -> -2); dx = 0', 'zero'],
  ['fix', 'y = x rounded toward zero; dx = 0', 'zero'],
  ['trunc', 'y = x with its fraction dropped (toward zero); dx = 0', 'zero'],
  ['ceil', 'y = ceil(x); dx = 0', 'zero'],
  ['floor', 'y = floor(x); dx = 0', 'zero'],
  ['logical_not', 'y = (x == 0); dx = 0', 'zero'],
  ['erf', 'y = erf(x); dx = g*2/sqrt(pi)*exp(-x^2)'],
  ['erfinv', 'y = erfinv(x) (+-inf at +-1, NaN beyond); dx = g*sqrt(pi)/2*exp(x^2) (MXNet 1.9.1 evaluates it at x)'],
  ['gamma', 'y = Gamma(x); dx = g*y*digamma(x)'],
  ['gammaln', 'y = log|Gamma(x)|; dx = g*digamma(x)'],
];

export const unaryOps: readonly AnyOpDef[] = UNARY_OPS.map(([fn, formula, gradient]) => unaryOp(fn, [], fn, formula, gradient));
