/**
 * The scalar math of element-wise unary ops, one table: each function's value and its derivative
 * written from the input x and/or the output y (as MXNet's mshadow_op functors are), and the
 * kernels that map them over arrays honouring a write/add request.
 */
import type { Req } from '../../base/req';
import { digamma, erf, erfinv, gamma, lgamma } from './special_functions';

interface ScalarFunction {
  readonly f: (x: number) => number;
  /** dy/dx from the input x and the output y. */
  readonly df: (x: number, y: number) => number;
}

/** MXNet's sigmoid, written so large |x| neither overflows nor loses the tail. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** mshadow_op::sign: 0 for 0 and for NaN. */
function sign(x: number): number {
  return x < 0 ? -1 : x > 0 ? 1 : 0;
}

/** mshadow_op::round (C's roundf): halves away from zero. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/** mshadow_op::rint: the nearer of floor and ceil, floor on a tie (so 1.5 -> 1 and -1.5 -> -2). */
function rintMxnet(x: number): number {
  const lo = Math.floor(x);
  const hi = Math.ceil(x);
  return x - lo <= hi - x ? lo : hi;
}

/** mshadow_op::fix: whichever of floor and ceil is nearer zero. */
function fix(x: number): number {
  const lo = Math.floor(x);
  const hi = Math.ceil(x);
  return Math.abs(lo) < Math.abs(hi) ? lo : hi;
}

// MXNet's degrees/radians use float32 pi and float32 constants (180.0f / PI).
const PI_F32 = Math.fround(Math.PI);
const DEGREES_PER_RADIAN = Math.fround(180 / PI_F32);
const RADIANS_PER_DEGREE = Math.fround(PI_F32 / 180);
const HALF_SQRT_PI = 0.5 * Math.sqrt(Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

const ZERO_GRADIENT = () => 0;

export const UNARY_FUNCTIONS = {
  identity: { f: (x) => x, df: () => 1 },
  sigmoid: { f: sigmoid, df: (_x, y) => y * (1 - y) },
  // The derivative from the output (y > 0 exactly where x > 0), so backward needs no input.
  relu: { f: (x) => (x > 0 ? x : 0), df: (_x, y) => (y > 0 ? 1 : 0) },
  tanh: { f: Math.tanh, df: (_x, y) => 1 - y * y },
  exp: { f: Math.exp, df: (_x, y) => y },
  log: { f: Math.log, df: (x) => 1 / x },
  sqrt: { f: Math.sqrt, df: (_x, y) => 0.5 / y },
  square: { f: (x) => x * x, df: (x) => 2 * x },
  abs: { f: Math.abs, df: sign },
  // NOTE: MXNet returns x itself above 20, where log1p(exp(x)) equals x in float32 anyway.
  softrelu: { f: (x) => (x > 20 ? x : Math.log1p(Math.exp(x))), df: (_x, y) => -Math.expm1(-y) },
  softsign: { f: (x) => x / (1 + Math.abs(x)), df: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))) },
  // trigonometric and hyperbolic (elemwise_unary_op_trig.cc)
  sin: { f: Math.sin, df: (x) => Math.cos(x) },
  cos: { f: Math.cos, df: (x) => -Math.sin(x) },
  tan: { f: Math.tan, df: (_x, y) => y * y + 1 },
  arcsin: { f: Math.asin, df: (x) => 1 / Math.sqrt(1 - x * x) },
  arccos: { f: Math.acos, df: (x) => -1 / Math.sqrt(1 - x * x) },
  arctan: { f: Math.atan, df: (x) => 1 / (x * x + 1) },
  degrees: { f: (x) => DEGREES_PER_RADIAN * x, df: () => DEGREES_PER_RADIAN },
  radians: { f: (x) => RADIANS_PER_DEGREE * x, df: () => RADIANS_PER_DEGREE },
  sinh: { f: Math.sinh, df: (x) => Math.cosh(x) },
  cosh: { f: Math.cosh, df: (x) => Math.sinh(x) },
  arcsinh: { f: Math.asinh, df: (x) => 1 / Math.hypot(x, 1) },
  arccosh: { f: Math.acosh, df: (x) => 1 / Math.sqrt(x * x - 1) },
  arctanh: { f: Math.atanh, df: (x) => 1 / (1 - x * x) },
  // logarithms and exponentials (elemwise_unary_op_logexp.cc)
  log10: { f: Math.log10, df: (x) => 1 / (Math.LN10 * x) },
  log2: { f: Math.log2, df: (x) => 1 / (Math.LN2 * x) },
  log1p: { f: Math.log1p, df: (x) => 1 / (1 + x) },
  expm1: { f: Math.expm1, df: (x) => Math.exp(x) },
  // powers (elemwise_unary_op_pow.cc)
  reciprocal: { f: (x) => 1 / x, df: (x) => -1 / (x * x) },
  // MXNet rounds the root to float32 before taking the reciprocal (1.0f / sqrtf(x)).
  rsqrt: { f: (x) => 1 / Math.fround(Math.sqrt(x)), df: (x) => -0.5 / (Math.sqrt(x) * x) },
  cbrt: { f: Math.cbrt, df: (_x, y) => 1 / (3 * y * y) },
  rcbrt: { f: (x) => 1 / Math.fround(Math.cbrt(x)), df: (x) => -1 / (3 * Math.cbrt(x) * x) },
  // rounding and sign: MXNet's gradients are zero (sign's backward multiplies by 0, so NaN*0 stays NaN)
  sign: { f: sign, df: ZERO_GRADIENT },
  round: { f: roundHalfAway, df: ZERO_GRADIENT },
  rint: { f: rintMxnet, df: ZERO_GRADIENT },
  fix: { f: fix, df: ZERO_GRADIENT },
  trunc: { f: Math.trunc, df: ZERO_GRADIENT },
  ceil: { f: Math.ceil, df: ZERO_GRADIENT },
  floor: { f: Math.floor, df: ZERO_GRADIENT },
  logical_not: { f: (x) => (x !== 0 ? 0 : 1), df: ZERO_GRADIENT },
  negative: { f: (x) => -x, df: () => -1 },
  // special functions
  erf: { f: erf, df: (x) => TWO_OVER_SQRT_PI * Math.exp(-x * x) },
  // NOTE: MXNet 1.9.1 evaluates erfinv's derivative sqrt(pi)/2 exp(y^2) at the input x, not at
  // y = erfinv(x) (ElemwiseGradUseIn with erfinv_grad); we keep its numbers.
  erfinv: { f: erfinv, df: (x) => HALF_SQRT_PI * Math.exp(x * x) },
  gamma: { f: gamma, df: (x, y) => y * digamma(x) },
  gammaln: { f: lgamma, df: (x) => digamma(x) },
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

/** out (req)= clip(alpha x + beta, 0, 1), in float32 steps as MXNet's hard_sigmoid. */
function hardSigmoid(x: Float32Array, alpha: number, beta: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const a = Math.fround(alpha);
  const b = Math.fround(beta);
  for (let i = 0; i < out.length; i++) {
    let v = Math.fround(Math.fround(a * x[i]!) + b);
    v = 1 < v ? 1 : v;
    v = 0 > v ? 0 : v;
    out[i] = req === 'add' ? out[i]! + v : v;
  }
}

/** dx (req)= g * alpha where 0 < alpha x + beta < 1, else 0. */
function hardSigmoidGrad(x: Float32Array, alpha: number, beta: number, g: Float32Array, dx: Float32Array, req: Req): void {
  if (req === 'null') return;
  const a = Math.fround(alpha);
  const b = Math.fround(beta);
  for (let i = 0; i < dx.length; i++) {
    const v = Math.fround(Math.fround(a * x[i]!) + b);
    const d = v > 0 && v < 1 ? g[i]! * a : 0;
    dx[i] = req === 'add' ? dx[i]! + d : d;
  }
}

export const unaryMathKernels = { unaryMap, unaryGrad, hardSigmoid, hardSigmoidGrad };
