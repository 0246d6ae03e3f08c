/**
 * The scalar math of element-wise unary ops, one table: each function's value and its derivative
 * written from the input x and/or the output y (as MXNet's mshadow_op functors are), and the two
 * kernels that map them over arrays honouring a write/add request.
 */
import type { Req } from '../../ops/types';

interface ScalarFunction {
  readonly f: (x: number) => number;
  /** dy/dx from the input x and the output y. */
  readonly df: (x: number, y: number) => number;
}

/** MXNet's sigmoid, written so large |x| neither overflows nor loses the tail. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export const UNARY_FUNCTIONS = {
  identity: { f: (x) => x, df: () => 1 },
  sigmoid: { f: sigmoid, df: (_x, y) => y * (1 - y) },
  relu: { f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0) },
  tanh: { f: Math.tanh, df: (_x, y) => 1 - y * y },
  exp: { f: Math.exp, df: (_x, y) => y },
  log: { f: Math.log, df: (x) => 1 / x },
  sqrt: { f: Math.sqrt, df: (_x, y) => 0.5 / y },
  square: { f: (x) => x * x, df: (x) => 2 * x },
  abs: { f: Math.abs, df: (x) => Math.sign(x) },
  // NOTE: MXNet returns x itself above 20, where log1p(exp(x)) equals x in float32 anyway.
  softrelu: { f: (x) => (x > 20 ? x : Math.log1p(Math.exp(x))), df: (_x, y) => -Math.expm1(-y) },
  softsign: { f: (x) => x / (1 + Math.abs(x)), df: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))) },
} satisfies Record<string, ScalarFunction>;

export type UnaryFunction = keyof typeof UNARY_FUNCTIONS;

/** out (req)= f(x). */
function unaryMap(fn: UnaryFunction, x: Float32Array, out: Float32Array, req: Req): void {
  const { f } = UNARY_FUNCTIONS[fn];
  const n = out.length;
  if (req === 'add') for (let i = 0; i < n; i++) out[i]! += f(x[i]!);
  else if (req === 'write') for (let i = 0; i < n; i++) out[i] = f(x[i]!);
}

/** dx (req)= g * f'(x, y), y being f(x). */
function unaryGrad(fn: UnaryFunction, x: Float32Array, y: Float32Array, g: Float32Array, dx: Float32Array, req: Req): void {
  const { df } = UNARY_FUNCTIONS[fn];
  const n = dx.length;
  if (req === 'add') for (let i = 0; i < n; i++) dx[i]! += g[i]! * df(x[i]!, y[i]!);
  else if (req === 'write') for (let i = 0; i < n; i++) dx[i] = g[i]! * df(x[i]!, y[i]!);
}

export const unaryMathKernels = { unaryMap, unaryGrad };
