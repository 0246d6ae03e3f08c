/**
 * The scalar math of element-wise binary ops (`elemwise_*`, `broadcast_*`, comparisons, logic),
 * one table of value and partial derivatives as MXNet's mshadow_op functors define them, and the
 * kernels that map them over equal-shape or broadcast arrays honouring a write/add request.
 */
import { Shape, broadcastStrides } from '../../base/shape';
import type { Req } from '../../base/req';
import { forEachBroadcast } from './elementwise';

interface BinaryFunctionDef {
  readonly f: (a: number, b: number) => number;
  /** d f / d a and d f / d b at (a, b); absent for comparisons, whose gradients MXNet zeroes. */
  readonly da?: (a: number, b: number) => number;
  readonly db?: (a: number, b: number) => number;
}

/**
 * MXNet's mod (mshadow_op::mod): the remainder with the divisor's sign (Python's %), computed in
 * float64, and 0 when the divisor is 0.
 */
export function mxnetMod(a: number, b: number): number {
  if (b === 0) return 0;
  if (b < 0) {
    if (a < 0) return -(-a % -b);
    const r = a % -b;
    return r + (r !== 0 ? b : 0);
  }
  if (a < 0) {
    const r = -a % b;
    return -r + (r !== 0 ? b : 0);
  }
  return a % b;
}

/** d(a mod b)/db = -floor(a / b), the quotient taken in float32 as MXNet's mod_rgrad. */
export function modGradDivisor(a: number, b: number): number {
  return -Math.floor(Math.fround(a / b));
}

const truth = (v: boolean) => (v ? 1 : 0);

export const BINARY_FUNCTIONS = {
  add: { f: (a, b) => a + b, da: () => 1, db: () => 1 },
  sub: { f: (a, b) => a - b, da: () => 1, db: () => -1 },
  mul: { f: (a, b) => a * b, da: (_a, b) => b, db: (a) => a },
  div: { f: (a, b) => a / b, da: (_a, b) => 1 / b, db: (a, b) => -a / (b * b) },
  // NaN in either operand propagates; the gradient goes to lhs where lhs >= rhs (<= for minimum).
  maximum: { f: (a, b) => (Number.isNaN(a) ? a : a > b ? a : b), da: (a, b) => truth(a >= b), db: (a, b) => truth(a < b) },
  minimum: { f: (a, b) => (Number.isNaN(a) ? a : a < b ? a : b), da: (a, b) => truth(a <= b), db: (a, b) => truth(a > b) },
  power: { f: Math.pow, da: (a, b) => Math.pow(a, b - 1) * b, db: (a, b) => Math.pow(a, b) * Math.log(a) },
  mod: { f: mxnetMod, da: () => 1, db: modGradDivisor },
  hypot: { f: Math.hypot, da: (a, b) => a / Math.hypot(a, b), db: (a, b) => b / Math.hypot(a, b) },
  equal: { f: (a, b) => truth(a === b) },
  not_equal: { f: (a, b) => truth(a !== b) },
  greater: { f: (a, b) => truth(a > b) },
  greater_equal: { f: (a, b) => truth(a >= b) },
  lesser: { f: (a, b) => truth(a < b) },
  lesser_equal: { f: (a, b) => truth(a <= b) },
  // C truthiness: any non-zero value, NaN included, is true.
  logical_and: { f: (a, b) => truth(a !== 0 && b !== 0) },
  logical_or: { f: (a, b) => truth(a !== 0 || b !== 0) },
  logical_xor: { f: (a, b) => truth((a !== 0) !== (b !== 0)) },
} satisfies Record<string, BinaryFunctionDef>;

export type BinaryFunction = keyof typeof BINARY_FUNCTIONS;

const DEFS: Readonly<Record<BinaryFunction, BinaryFunctionDef>> = BINARY_FUNCTIONS;

/** out (req)= f(a, b) element by element, for same-length arrays (out may be a or b). */
function binaryMap(fn: BinaryFunction, a: Float32Array, b: Float32Array, out: Float32Array, req: Req): void {
  const { f } = DEFS[fn];
  const n = out.length;
  if (req === 'add') for (let i = 0; i < n; i++) out[i]! += f(a[i]!, b[i]!);
  else if (req === 'write') for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!);
}

/** out (req)= f(a, b) with NumPy broadcasting of a and b to outShape. */
function broadcastMap(fn: BinaryFunction, a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, out: Float32Array, outShape: Shape, req: Req): void {
  if (req === 'null') return;
  if (a.length === out.length && b.length === out.length) return binaryMap(fn, a, b, out, req);
  const { f } = DEFS[fn];
  const add = req === 'add';
  forEachBroadcast(outShape, broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape), (o, ai, bi) => {
    const v = f(a[ai]!, b[bi]!);
    out[o] = add ? out[o]! + v : v;
  });
}

/**
 * Gradient of one operand (`lhs` = a, `rhs` = b): dst (req)= g * df/d(operand), summed over the
 * axes that operand was broadcast along.
 */
function binaryGrad(
  fn: BinaryFunction, operand: 'lhs' | 'rhs',
  a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape,
  g: Float32Array, outShape: Shape, dst: Float32Array, req: Req,
): void {
  if (req === 'null') return;
  const def = DEFS[fn];
  const d = operand === 'lhs' ? def.da : def.db;
  if (!d) throw new Error(`binaryGrad: '${fn}' has no derivative`);
  if (a.length === g.length && b.length === g.length) {
    if (req === 'add') for (let i = 0; i < g.length; i++) dst[i]! += g[i]! * d(a[i]!, b[i]!);
    else for (let i = 0; i < g.length; i++) dst[i] = g[i]! * d(a[i]!, b[i]!);
    return;
  }
  if (req === 'write') dst.fill(0);
  const lhs = operand === 'lhs';
  forEachBroadcast(outShape, broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape), (o, ai, bi) => {
    dst[lhs ? ai : bi]! += g[o]! * d(a[ai]!, b[bi]!);
  });
}

export const binaryMathKernels = { binaryMap, broadcastMap, binaryGrad };
