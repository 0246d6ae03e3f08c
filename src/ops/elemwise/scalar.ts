/** Arithmetic with a scalar (`x + 2`, `2 - x`, ...): MXNet's `_plus_scalar` family. */
import { defineOp } from '../registry';
import { float, bool } from '../params';
import { sameShapeAll } from '../shape_rules';
import type { AnyOpDef } from '../types';

const PARAMS = {
  scalar: float({ doc: 'the scalar operand', default: 1 }),
  is_int: bool({ doc: 'whether the scalar was given as an integer (NumPy type promotion only)', default: true }),
};

interface ScalarMath {
  /** Forward at x with the scalar already rounded to float32, as MXNet casts it to the data type. */
  readonly forward: (x: number, s: number) => number;
  readonly grad: (x: number, s: number, y: number) => number;
  readonly formula: string;
}

function scalarOp(name: string, aliases: readonly string[], math: ScalarMath): AnyOpDef {
  return defineOp({
    name,
    aliases,
    doc: math.formula,
    params: PARAMS,
    inputs: () => ['data'],
    outputs: () => ['output'],
    inferShape: sameShapeAll(['data']),
    inplace: [[0, 0]],
    forward: (p, [x], [out], [req], ctx) => {
      const s = Math.fround(p.scalar);
      ctx.kernels.mapUnary(x!.data, out!.data, (v) => math.forward(v, s), req!);
    },
    backward: {
      usesOutGrads: true,
      compute: (p, { inputs: [x], outputs: [y], outGrads: [g] }, [grad], [req]) => {
        if (!grad) return;
        const s = Math.fround(p.scalar);
        const xs = x!.data;
        const ys = y!.data;
        const gs = g!.data;
        const out = grad.data;
        for (let i = 0; i < out.length; i++) {
          const v = gs[i]! * math.grad(xs[i]!, s, ys[i]!);
          out[i] = req === 'add' ? out[i]! + v : v;
        }
      },
    },
  });
}

export const scalarOps: readonly AnyOpDef[] = [
  scalarOp('_plus_scalar', ['_PlusScalar'], { forward: (x, s) => x + s, grad: () => 1, formula: 'out = x + scalar; dx = g' }),
  scalarOp('_minus_scalar', ['_MinusScalar'], { forward: (x, s) => x - s, grad: () => 1, formula: 'out = x - scalar; dx = g' }),
  scalarOp('_rminus_scalar', ['_RMinusScalar'], { forward: (x, s) => s - x, grad: () => -1, formula: 'out = scalar - x; dx = -g' }),
  scalarOp('_mul_scalar', ['_MulScalar'], { forward: (x, s) => x * s, grad: (_x, s) => s, formula: 'out = x * scalar; dx = g * scalar' }),
  scalarOp('_div_scalar', ['_DivScalar'], { forward: (x, s) => x / s, grad: (_x, s) => 1 / s, formula: 'out = x / scalar; dx = g / scalar' }),
  scalarOp('_rdiv_scalar', ['_RDivScalar'], { forward: (x, s) => s / x, grad: (x, s) => -s / (x * x), formula: 'out = scalar / x; dx = -g * scalar / x^2' }),
  scalarOp('_power_scalar', ['_PowerScalar'], { forward: (x, s) => Math.pow(x, s), grad: (x, s) => s * Math.pow(x, s - 1), formula: 'out = x ^ scalar; dx = g * scalar * x^(scalar-1)' }),
  scalarOp('_rpower_scalar', ['_RPowerScalar'], { forward: (x, s) => Math.pow(s, x), grad: (_x, s, y) => y * Math.log(s), formula: 'out = scalar ^ x; dx = g * out * ln(scalar)' }),
];
