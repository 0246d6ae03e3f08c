/**
 * The scalar math of ops between an array and a scalar (MXNet's `_plus_scalar` family, logic
 * scalars, smooth_l1): value and derivative in x as mshadow_op defines them, and the kernels
 * that map them. The scalar arrives already rounded to float32, as MXNet casts it to the data type.
 */
import type { Req } from '../../base/req';
import { BINARY_FUNCTIONS, modGradDivisor, mxnetMod } from './binary_math';

interface ScalarFunctionDef {
  readonly f: (x: number, s: number) => number;
  /** d f / d x at x from x, the scalar s and the output y; absent where MXNet's gradient is zero. */
  readonly df?: (x: number, s: number, y: number) => number;
}

/** Smooth L1 (Huber at sigma = s): 0.5 (s x)^2 where |x| < 1/s^2, else |x| - 0.5/s^2; float32 steps as MXNet. */
function smoothL1(x: number, sigma: number): number {
  const sigma2 = Math.fround(sigma * sigma);
  const inverse = Math.fround(1 / sigma2);
  if (x > inverse) return x - 0.5 * inverse;
  if (x < -inverse) return -x - 0.5 * inverse;
  return Math.fround(0.5 * x * x) * sigma2;
}

function smoothL1Grad(x: number, sigma: number): number {
  const sigma2 = Math.fround(sigma * sigma);
  const inverse = Math.fround(1 / sigma2);
  return x > inverse ? 1 : x < -inverse ? -1 : sigma2 * x;
}

const { maximum, minimum, equal, not_equal, greater, greater_equal, lesser, lesser_equal, logical_and, logical_or, logical_xor } = BINARY_FUNCTIONS;

export const SCALAR_FUNCTIONS = {
  plus: { f: (x, s) => x + s, df: () => 1 },
  minus: { f: (x, s) => x - s, df: () => 1 },
  rminus: { f: (x, s) => s - x, df: () => -1 },
  mul: { f: (x, s) => x * s, df: (_x, s) => s },
  div: { f: (x, s) => x / s, df: (_x, s) => 1 / s },
  rdiv: { f: (x, s) => s / x, df: (x, s) => -s / (x * x) },
  power: { f: Math.pow, df: (x, s) => Math.pow(x, s - 1) * s },
  rpower: { f: (x, s) => Math.pow(s, x), df: (_x, s, y) => y * Math.log(s) },
  mod: { f: mxnetMod, df: () => 1 },
  rmod: { f: (x, s) => mxnetMod(s, x), df: (x, s) => modGradDivisor(s, x) },
  hypot: { f: Math.hypot, df: (x, s) => x / Math.hypot(x, s) },
  maximum: { f: maximum.f, df: (x, s) => (x >= s ? 1 : 0) },
  minimum: { f: minimum.f, df: (x, s) => (x <= s ? 1 : 0) },
  smooth_l1: { f: smoothL1, df: smoothL1Grad },
  equal: { f: equal.f },
  not_equal: { f: not_equal.f },
  greater: { f: greater.f },
  greater_equal: { f: greater_equal.f },
  lesser: { f: lesser.f },
  lesser_equal: { f: lesser_equal.f },
  logical_and: { f: logical_and.f },
  logical_or: { f: logical_or.f },
  logical_xor: { f: logical_xor.f },
} satisfies Record<string, ScalarFunctionDef>;

export type ScalarFunction = keyof typeof SCALAR_FUNCTIONS;

const DEFS: Readonly<Record<ScalarFunction, ScalarFunctionDef>> = SCALAR_FUNCTIONS;

/** out (req)= f(x, s). */
function scalarMap(fn: ScalarFunction, x: Float32Array, s: number, out: Float32Array, req: Req): void {
  const { f } = DEFS[fn];
  const n = out.length;
  if (req === 'add') for (let i = 0; i < n; i++) out[i]! += f(x[i]!, s);
  else if (req === 'write') for (let i = 0; i < n; i++) out[i] = f(x[i]!, s);
}

/** dx (req)= g * f'(x; s), y being f(x, s). */
function scalarGrad(fn: ScalarFunction, x: Float32Array, y: Float32Array, s: number, g: Float32Array, dx: Float32Array, req: Req): void {
  const { df } = DEFS[fn];
  if (!df) throw new Error(`scalarGrad: '${fn}' has no derivative`);
  const n = dx.length;
  if (req === 'add') for (let i = 0; i < n; i++) dx[i]! += g[i]! * df(x[i]!, s, y[i]!);
  else if (req === 'write') for (let i = 0; i < n; i++) dx[i] = g[i]! * df(x[i]!, s, y[i]!);
}

export const scalarMathKernels = { scalarMap, scalarGrad };
