/**
 * Ops between an array and a scalar (`x + 2`, `2 - x`, `x == 2`, ...): MXNet's `_plus_scalar`
 * family, the logic scalars and smooth_l1, from one factory over the backend's scalar math table
 * (`scalarMap` / `scalarGrad` by function name).
 */
import type { ScalarFunction } from '../../backend/reference/scalar_math';
import { bool, float } from '../params';
import { defineOp } from '../registry';
import { sameShapeAll } from '../shape_rules';
import type { AnyOpDef } from '../types';

const PARAMS = {
  scalar: float({ doc: 'the scalar operand', default: 1 }),
  is_int: bool({ doc: 'whether the scalar was given as an integer (NumPy type promotion only)', default: true }),
};

/** How the input gradient is formed: g * f'(x; scalar), or zeros (MXNet's MakeZeroGradNodes). */
type ScalarGradient = 'derivative' | 'zero';

function scalarOp(name: string, aliases: readonly string[], fn: ScalarFunction, formula: string, gradient: ScalarGradient = 'derivative'): AnyOpDef {
  return defineOp({
    name,
    aliases,
    doc: formula,
    params: PARAMS,
    inputs: () => ['data'],
    outputs: () => ['output'],
    inferShape: sameShapeAll(['data']),
    inplace: [[0, 0]],
    // MXNet casts the scalar to the data type (float32) before computing.
    forward: (p, [x], [out], [req], ctx) => ctx.kernels.scalarMap(fn, x!.data, Math.fround(p.scalar), out!.data, req!),
    backward: {
      usesOutGrads: true,
      compute: (p, { inputs: [x], outputs: [y], outGrads: [g] }, [grad], [req], ctx) => {
        if (!grad) return;
        if (gradient === 'zero') ctx.kernels.zeroGradient(grad.data, req!);
        else ctx.kernels.scalarGrad(fn, x!.data, y!.data, Math.fround(p.scalar), g!.data, grad.data, req!);
      },
    },
  });
}

const LOGIC: readonly (readonly [ScalarFunction, string, string, string])[] = [
  ['equal', '_equal_scalar', '_EqualScalar', 'x == scalar'],
  ['not_equal', '_not_equal_scalar', '_NotEqualScalar', 'x != scalar'],
  ['greater', '_greater_scalar', '_GreaterScalar', 'x > scalar'],
  ['greater_equal', '_greater_equal_scalar', '_GreaterEqualScalar', 'x >= scalar'],
  ['lesser', '_lesser_scalar', '_LesserScalar', 'x < scalar'],
  ['lesser_equal', '_lesser_equal_scalar', '_LesserEqualScalar', 'x <= scalar'],
  ['logical_and', '_logical_and_scalar', '_LogicalAndScalar', 'x and scalar are both non-zero'],
  ['logical_or', '_logical_or_scalar', '_LogicalOrScalar', 'x or scalar is non-zero'],
  ['logical_xor', '_logical_xor_scalar', '_LogicalXorScalar', 'exactly one of x and scalar is non-zero'],
];

export const scalarOps: readonly AnyOpDef[] = [
  scalarOp('_plus_scalar', ['_PlusScalar'], 'plus', 'out = x + scalar; dx = g'),
  scalarOp('_minus_scalar', ['_MinusScalar'], 'minus', 'out = x - scalar; dx = g'),
  scalarOp('_rminus_scalar', ['_RMinusScalar'], 'rminus', 'out = scalar - x; dx = -g'),
  scalarOp('_mul_scalar', ['_MulScalar'], 'mul', 'out = x * scalar; dx = g * scalar'),
  scalarOp('_div_scalar', ['_DivScalar'], 'div', 'out = x / scalar; dx = g / scalar'),
  scalarOp('_rdiv_scalar', ['_RDivScalar'], 'rdiv', 'out = scalar / x; dx = -g * scalar / x^2'),
  scalarOp('_power_scalar', ['_PowerScalar'], 'power', 'out = x ^ scalar; dx = g * scalar * x^(scalar-1)'),
  scalarOp('_rpower_scalar', ['_RPowerScalar'], 'rpower', 'out = scalar ^ x; dx = g * out * ln(scalar)'),
  scalarOp('_mod_scalar', ['_ModScalar'], 'mod', "out = x mod scalar with scalar's sign (Python's %), 0 if scalar = 0; dx = g"),
  scalarOp('_rmod_scalar', ['_RModScalar'], 'rmod', "out = scalar mod x with x's sign, 0 where x = 0; dx = -g * floor(scalar / x)"),
  scalarOp('_hypot_scalar', ['_HypotScalar'], 'hypot', 'out = sqrt(x^2 + scalar^2); dx = g * x / out'),
  scalarOp('_maximum_scalar', ['_MaximumScalar'], 'maximum', 'out = max(x, scalar) (NaN propagates); dx = g where x >= scalar'),
  scalarOp('_minimum_scalar', ['_MinimumScalar'], 'minimum', 'out = min(x, scalar) (NaN propagates); dx = g where x <= scalar'),
  scalarOp('smooth_l1', [], 'smooth_l1', 'sigma = scalar: out = 0.5 (sigma x)^2 where |x| < 1/sigma^2, else |x| - 0.5/sigma^2; dx = g * (sigma^2 x or sign(x))'),
  ...LOGIC.map(([fn, name, alias, relation]) => scalarOp(name, [alias], fn, `out = 1 where ${relation}, else 0; dx = 0`, 'zero')),
];
