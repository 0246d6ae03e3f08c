/**
 * Binary element-wise ops: `elemwise_*` / `_name` (identical shapes, MXNet's Symbol `+ - * /`) and
 * `broadcast_*` (NumPy-style broadcasting, MXNet's NDArray `+ - * /`), from one factory over the
 * backend's binary math table (`binaryMap`, `broadcastMap`, `binaryGrad` by function name).
 */
import type { BinaryFunction } from '../../backend/reference/binary_math';
import { defineOp } from '../registry';
import { broadcastRule, sameShapeAll } from '../shape_rules';
import type { AnyOpDef } from '../types';

/**
 * How input gradients are formed: from the function's partial derivatives, as zeros (MXNet's
 * MakeZeroGradNodes, for comparisons), or not at all (no FGradient: binding a gradient fails).
 */
export type BinaryGradient = 'derivative' | 'zero' | 'none';

const INPUTS = ['lhs', 'rhs'] as const;

export function binaryOp(name: string, aliases: readonly string[], fn: BinaryFunction, formula: string, broadcast: boolean, gradient: BinaryGradient = 'derivative'): AnyOpDef {
  return defineOp({
    name,
    aliases,
    doc: `${formula}${broadcast ? ' (broadcasting)' : ' (shapes must be equal)'}`,
    params: {},
    inputs: () => INPUTS,
    outputs: () => ['output'],
    inferShape: broadcast ? broadcastRule : sameShapeAll(INPUTS),
    forward: (_p, [a, b], [out], [req], ctx) => {
      if (a!.data.length === out!.data.length && b!.data.length === out!.data.length) ctx.kernels.binaryMap(fn, a!.data, b!.data, out!.data, req!);
      else ctx.kernels.broadcastMap(fn, a!.data, a!.shape, b!.data, b!.shape, out!.data, out!.shape, req!);
    },
    ...(gradient === 'none' ? {} : {
      backward: {
        usesOutGrads: true,
        // Sums and differences need only the shapes; every other derivative reads both operands.
        reads: () => (gradient === 'zero' || fn === 'add' || fn === 'sub' ? { inputs: [], outputs: [] } : { inputs: [0, 1], outputs: [] }),
        compute: (_p, { inputs: [a, b], outGrads: [g] }, grads, reqs, ctx) => {
          (['lhs', 'rhs'] as const).forEach((operand, i) => {
            const grad = grads[i];
            if (!grad) return;
            if (gradient === 'zero') ctx.kernels.zeroGradient(grad.data, reqs[i]!);
            else ctx.kernels.binaryGrad(fn, operand, a!.data, a!.shape, b!.data, b!.shape, g!.data, g!.shape, grad.data, reqs[i]!);
          });
        },
      },
    }),
  });
}

/** The arithmetic functions, with their formulas. */
const ARITHMETIC = [
  ['add', 'out = lhs + rhs; d/dlhs = g, d/drhs = g'],
  ['sub', 'out = lhs - rhs; d/dlhs = g, d/drhs = -g'],
  ['mul', 'out = lhs * rhs; d/dlhs = g*rhs, d/drhs = g*lhs'],
  ['div', 'out = lhs / rhs; d/dlhs = g/rhs, d/drhs = -g*lhs/rhs^2'],
  ['maximum', 'out = max(lhs, rhs) (NaN propagates); the gradient goes to lhs where lhs >= rhs, else to rhs'],
  ['minimum', 'out = min(lhs, rhs) (NaN propagates); the gradient goes to lhs where lhs <= rhs, else to rhs'],
  ['power', 'out = lhs ^ rhs; d/dlhs = g*rhs*lhs^(rhs-1), d/drhs = g*out*ln(lhs)'],
  ['mod', "out = lhs mod rhs with rhs's sign (Python's %), 0 where rhs = 0; d/dlhs = g, d/drhs = -g*floor(lhs/rhs)"],
  ['hypot', 'out = sqrt(lhs^2 + rhs^2); d/dlhs = g*lhs/out, d/drhs = g*rhs/out'],
] as const satisfies readonly (readonly [BinaryFunction, string])[];

const FORMULA = Object.fromEntries(ARITHMETIC) as Record<(typeof ARITHMETIC)[number][0], string>;

export const binaryOps: readonly AnyOpDef[] = [
  binaryOp('elemwise_add', ['_add', '_plus', '_Plus'], 'add', FORMULA.add, false),
  binaryOp('elemwise_sub', ['_sub', '_minus', '_Minus'], 'sub', FORMULA.sub, false),
  binaryOp('elemwise_mul', ['_mul', '_Mul'], 'mul', FORMULA.mul, false),
  binaryOp('elemwise_div', ['_div', '_Div'], 'div', FORMULA.div, false),
  binaryOp('_maximum', ['_Maximum'], 'maximum', FORMULA.maximum, false),
  binaryOp('_minimum', ['_Minimum'], 'minimum', FORMULA.minimum, false),
  binaryOp('_power', ['_Power', '_pow'], 'power', FORMULA.power, false),
  binaryOp('_mod', ['_Mod'], 'mod', FORMULA.mod, false),
  binaryOp('_hypot', ['_Hypot'], 'hypot', FORMULA.hypot, false),
  // Gradient aggregation's add: MXNet registers no gradient for it.
  binaryOp('_grad_add', [], 'add', FORMULA.add, false, 'none'),
  binaryOp('broadcast_add', ['broadcast_plus'], 'add', FORMULA.add, true),
  binaryOp('broadcast_sub', ['broadcast_minus'], 'sub', FORMULA.sub, true),
  binaryOp('broadcast_mul', [], 'mul', FORMULA.mul, true),
  binaryOp('broadcast_div', [], 'div', FORMULA.div, true),
  binaryOp('broadcast_maximum', [], 'maximum', FORMULA.maximum, true),
  binaryOp('broadcast_minimum', [], 'minimum', FORMULA.minimum, true),
  binaryOp('broadcast_power', [], 'power', FORMULA.power, true),
  binaryOp('broadcast_mod', [], 'mod', FORMULA.mod, true),
  binaryOp('broadcast_hypot', [], 'hypot', FORMULA.hypot, true),
];
