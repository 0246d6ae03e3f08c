/**
 * Element-wise unary math from one factory: each entry is a forward formula and a derivative
 * written in terms of the input x and/or the output y, as MXNet's mshadow_op functors are.
 */
import { defineOp } from '../registry';
import { mapUnary } from '../kernels/elementwise';
import { expInto, sigmoidInto, tanhInto } from '../kernels/wasm/vector_simd';
import { activationGradInto, reluInto } from '../kernels/wasm/level1_simd';
import { sameShapeAll } from '../shape_rules';
import type { AnyOpDef, Req } from '../types';

export interface UnaryMath {
  readonly forward: (x: number) => number;
  /** d y / d x, from the input x and the output y. */
  readonly derivative: (x: number, y: number) => number;
  readonly formula: string;
  /** A whole-array kernel for the forward, used instead of mapping `forward` when given. */
  readonly forwardInto?: (x: Float32Array, out: Float32Array, req: Req) => void;
  /** A whole-array kernel for dx (req)= g * f'(x, y), used instead of mapping `derivative`. */
  readonly backwardInto?: (x: Float32Array, y: Float32Array, g: Float32Array, dx: Float32Array, req: Req) => void;
}

/** out (req)= f(x), through the whole-array kernel when the math has one. */
export function unaryForward(math: UnaryMath, x: Float32Array, out: Float32Array, req: Req): void {
  if (math.forwardInto) math.forwardInto(x, out, req);
  else mapUnary(x, out, math.forward, req);
}

/** dx (req)= g * f'(x, y). */
export function unaryBackward(math: UnaryMath, x: Float32Array, y: Float32Array, g: Float32Array, dx: Float32Array, req: Req): void {
  if (math.backwardInto) math.backwardInto(x, y, g, dx, req);
  else if (req === 'add') for (let i = 0; i < dx.length; i++) dx[i]! += g[i]! * math.derivative(x[i]!, y[i]!);
  else if (req === 'write') for (let i = 0; i < dx.length; i++) dx[i] = g[i]! * math.derivative(x[i]!, y[i]!);
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
    inplace: [[0, 0]],
    forward: (_p, [x], [out], [req]) => unaryForward(math, x!.data, out!.data, req!),
    backward: {
      usesOutGrads: true,
      compute: (_p, { inputs: [x], outputs: [y], outGrads: [g] }, [grad], [req]) => {
        if (grad) unaryBackward(math, x!.data, y!.data, g!.data, grad.data, req!);
      },
    },
  });
}

/** MXNet's sigmoid, written so large |x| neither overflows nor loses the tail. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

// The hot activations get whole-array kernels: mapping a function argument over an array is a call
// per element that V8 cannot inline once several ops share the loop; these run in WebAssembly.
const reluBackwardInto = (x: Float32Array, _y: Float32Array, g: Float32Array, dx: Float32Array, req: Req) => activationGradInto('relu', x, g, dx, req);
const tanhBackwardInto = (_x: Float32Array, y: Float32Array, g: Float32Array, dx: Float32Array, req: Req) => activationGradInto('tanh', y, g, dx, req);
const sigmoidBackwardInto = (_x: Float32Array, y: Float32Array, g: Float32Array, dx: Float32Array, req: Req) => activationGradInto('sigmoid', y, g, dx, req);

/** The math of each element-wise op (also used by Activation's act_types). */
export const UNARY_MATH = {
  sigmoid: { forward: sigmoid, forwardInto: sigmoidInto, backwardInto: sigmoidBackwardInto, derivative: (_x, y) => y * (1 - y), formula: 'y = 1/(1+exp(-x)); dx = g*y*(1-y)' },
  relu: { forward: (x) => (x > 0 ? x : 0), forwardInto: reluInto, backwardInto: reluBackwardInto, derivative: (x) => (x > 0 ? 1 : 0), formula: 'y = max(x, 0); dx = g*(x > 0)' },
  tanh: { forward: Math.tanh, forwardInto: tanhInto, backwardInto: tanhBackwardInto, derivative: (_x, y) => 1 - y * y, formula: 'y = tanh(x); dx = g*(1-y^2)' },
  exp: { forward: Math.exp, forwardInto: expInto, derivative: (_x, y) => y, formula: 'y = exp(x); dx = g*y' },
  log: { forward: Math.log, derivative: (x) => 1 / x, formula: 'y = log(x) (NaN below 0, -inf at 0); dx = g/x' },
  sqrt: { forward: Math.sqrt, derivative: (_x, y) => 0.5 / y, formula: 'y = sqrt(x); dx = g*0.5/y' },
  square: { forward: (x) => x * x, derivative: (x) => 2 * x, formula: 'y = x^2; dx = g*2x' },
  abs: { forward: Math.abs, derivative: (x) => Math.sign(x), formula: 'y = |x|; dx = g*sign(x) (0 at x = 0)' },
} satisfies Record<string, UnaryMath>;

export const unaryOps: readonly AnyOpDef[] = Object.entries(UNARY_MATH).map(([name, math]) => unaryOp(name, [], math));
