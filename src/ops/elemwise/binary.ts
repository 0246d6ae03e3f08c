/**
 * Binary arithmetic: `elemwise_*` (identical shapes, MXNet's Symbol `+ - * /`) and `broadcast_*`
 * (NumPy-style broadcasting, MXNet's NDArray `+ - * /`), both from one table of formulas.
 */
import { defineOp } from '../registry';
import { Arithmetic, binaryInto } from '../../backend/wasm/level1_simd';
import { broadcastRule, sameShapeAll } from '../shape_rules';
import type { AnyOpDef } from '../types';

interface BinaryMath {
  readonly forward: (a: number, b: number) => number;
  /** d out / d a and d out / d b at (a, b). */
  readonly gradA: (a: number, b: number) => number;
  readonly gradB: (a: number, b: number) => number;
  readonly formula: string;
  /** The whole-array kernel for equal shapes, where there is one. */
  readonly arithmetic?: Arithmetic;
}

const MATH = {
  add: { arithmetic: 'add', forward: (a, b) => a + b, gradA: () => 1, gradB: () => 1, formula: 'out = lhs + rhs; d/dlhs = g, d/drhs = g' },
  sub: { arithmetic: 'sub', forward: (a, b) => a - b, gradA: () => 1, gradB: () => -1, formula: 'out = lhs - rhs; d/dlhs = g, d/drhs = -g' },
  mul: { arithmetic: 'mul', forward: (a, b) => a * b, gradA: (_a, b) => b, gradB: (a) => a, formula: 'out = lhs * rhs; d/dlhs = g*rhs, d/drhs = g*lhs' },
  div: { arithmetic: 'div', forward: (a, b) => a / b, gradA: (_a, b) => 1 / b, gradB: (a, b) => -a / (b * b), formula: 'out = lhs / rhs; d/dlhs = g/rhs, d/drhs = -g*lhs/rhs^2' },
  maximum: { forward: (a, b) => (a >= b ? a : b), gradA: (a, b) => (a >= b ? 1 : 0), gradB: (a, b) => (a >= b ? 0 : 1), formula: 'out = max(lhs, rhs); the gradient goes to the larger (lhs on ties)' },
  minimum: { forward: (a, b) => (a <= b ? a : b), gradA: (a, b) => (a <= b ? 1 : 0), gradB: (a, b) => (a <= b ? 0 : 1), formula: 'out = min(lhs, rhs); the gradient goes to the smaller (lhs on ties)' },
  power: { forward: (a, b) => Math.pow(a, b), gradA: (a, b) => b * Math.pow(a, b - 1), gradB: (a, b) => Math.pow(a, b) * Math.log(a), formula: 'out = lhs ^ rhs; d/dlhs = g*rhs*lhs^(rhs-1), d/drhs = g*out*ln(lhs)' },
} satisfies Record<string, BinaryMath>;

const INPUTS = ['lhs', 'rhs'] as const;

function binaryOp(name: string, aliases: readonly string[], math: BinaryMath, broadcast: boolean): AnyOpDef {
  return defineOp({
    name,
    aliases,
    doc: `${math.formula}${broadcast ? ' (broadcasting)' : ' (shapes must be equal)'}`,
    params: {},
    inputs: () => INPUTS,
    outputs: () => ['output'],
    inferShape: broadcast ? broadcastRule : sameShapeAll(INPUTS),
    forward: (_p, [a, b], [out], [req], ctx) => {
      if (math.arithmetic && a!.data.length === out!.data.length && b!.data.length === out!.data.length) binaryInto(math.arithmetic, a!.data, b!.data, out!.data, req!);
      else ctx.kernels.broadcastBinary(a!.data, a!.shape, b!.data, b!.shape, out!.data, out!.shape, math.forward, req!);
    },
    backward: {
      usesOutGrads: true,
      compute: (_p, { inputs: [a, b], outGrads: [g] }, [gradA, gradB], [reqA, reqB], ctx) => {
        const x = a!.data;
        const y = b!.data;
        const gd = g!.data;
        if (gradA) ctx.kernels.reduceBroadcastGrad(g!.shape, a!.shape, b!.shape, 'a', gradA.data, reqA!, (o, ai, bi) => gd[o]! * math.gradA(x[ai]!, y[bi]!));
        if (gradB) ctx.kernels.reduceBroadcastGrad(g!.shape, a!.shape, b!.shape, 'b', gradB.data, reqB!, (o, ai, bi) => gd[o]! * math.gradB(x[ai]!, y[bi]!));
      },
    },
  });
}

export const binaryOps: readonly AnyOpDef[] = [
  binaryOp('elemwise_add', ['_add', '_plus', '_Plus'], MATH.add, false),
  binaryOp('elemwise_sub', ['_sub', '_minus', '_Minus'], MATH.sub, false),
  binaryOp('elemwise_mul', ['_mul', '_Mul'], MATH.mul, false),
  binaryOp('elemwise_div', ['_div', '_Div'], MATH.div, false),
  binaryOp('_maximum', ['_Maximum'], MATH.maximum, false),
  binaryOp('_minimum', ['_Minimum'], MATH.minimum, false),
  binaryOp('_power', ['_Power', '_pow'], MATH.power, false),
  binaryOp('broadcast_add', ['broadcast_plus'], MATH.add, true),
  binaryOp('broadcast_sub', ['broadcast_minus'], MATH.sub, true),
  binaryOp('broadcast_mul', [], MATH.mul, true),
  binaryOp('broadcast_div', [], MATH.div, true),
  binaryOp('broadcast_maximum', [], MATH.maximum, true),
  binaryOp('broadcast_minimum', [], MATH.minimum, true),
  binaryOp('broadcast_power', [], MATH.power, true),
];
