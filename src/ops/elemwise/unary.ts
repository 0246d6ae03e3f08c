/**
 * Element-wise unary math from one factory: each entry is a forward formula and a derivative
 * written in terms of the input x and/or the output y, as MXNet's mshadow_op functors are.
 */
import { defineOp } from '../registry';
import { mapUnary } from '../kernels/elementwise';
import { sigmoidInto } from '../kernels/wasm/vector_simd';
import { sameShapeAll } from '../shape_rules';
import type { AnyOpDef, Req } from '../types';

export interface UnaryMath {
  readonly forward: (x: number) => number;
  /** d y / d x, from the input x and the output y. */
  readonly derivative: (x: number, y: number) => number;
  readonly formula: string;
  /** A whole-array kernel for the forward, used instead of mapping `forward` when given. */
  readonly forwardInto?: (x: Float32Array, out: Float32Array, req: Req) => void;
}

export function unaryOp(name: string, aliases: readonly string[], math: UnaryMath): AnyOpDef {
  return defineOp({
    name,
    aliases,
    doc: math.formula,
    params: {},
    inputs: () => ['data'],
    outputs: () => ['output'],
    inferShape: sameShapeAll(['data']),
    forward: (_p, [x], [out], [req]) => (math.forwardInto ? math.forwardInto(x!.data, out!.data, req!) : mapUnary(x!.data, out!.data, math.forward, req!)),
    backward: {
      usesOutGrads: true,
      compute: (_p, { inputs: [x], outputs: [y], outGrads: [g] }, [grad], [req]) => {
        if (!grad) return;
        const xs = x!.data;
        const ys = y!.data;
        const gs = g!.data;
        const out = grad.data;
        if (req === 'add') for (let i = 0; i < out.length; i++) out[i]! += gs[i]! * math.derivative(xs[i]!, ys[i]!);
        else for (let i = 0; i < out.length; i++) out[i] = gs[i]! * math.derivative(xs[i]!, ys[i]!);
      },
    },
  });
}

/** MXNet's sigmoid, written so large |x| neither overflows nor loses the tail. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export const unaryOps: readonly AnyOpDef[] = [
  unaryOp('sigmoid', [], { forward: sigmoid, forwardInto: sigmoidInto, derivative: (_x, y) => y * (1 - y), formula: 'y = 1/(1+exp(-x)); dx = g*y*(1-y)' }),
  unaryOp('relu', [], { forward: (x) => (x > 0 ? x : 0), derivative: (x) => (x > 0 ? 1 : 0), formula: 'y = max(x, 0); dx = g*(x > 0)' }),
  unaryOp('tanh', [], { forward: Math.tanh, derivative: (_x, y) => 1 - y * y, formula: 'y = tanh(x); dx = g*(1-y^2)' }),
  unaryOp('exp', [], { forward: Math.exp, derivative: (_x, y) => y, formula: 'y = exp(x); dx = g*y' }),
  unaryOp('log', [], { forward: Math.log, derivative: (x) => 1 / x, formula: 'y = log(x) (NaN below 0, -inf at 0); dx = g/x' }),
  unaryOp('sqrt', [], { forward: Math.sqrt, derivative: (_x, y) => 0.5 / y, formula: 'y = sqrt(x); dx = g*0.5/y' }),
  unaryOp('square', [], { forward: (x) => x * x, derivative: (x) => 2 * x, formula: 'y = x^2; dx = g*2x' }),
  unaryOp('abs', [], { forward: Math.abs, derivative: (x) => Math.sign(x), formula: 'y = |x|; dx = g*sign(x) (0 at x = 0)' }),
];
