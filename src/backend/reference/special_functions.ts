/**
 * Special functions in float64, accurate well beyond float32 (about 1e-14 relative where the
 * value is not near a zero of the function): erf, erfc, erfinv, gamma, lgamma and digamma, with
 * the edge values of C's erff / tgammaf / lgammaf and of MXNet's cephes psi.
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2 / sqrt(pi)
const SQRT_PI = 1.7724538509055159;
const HALF_LOG_TWO_PI = 0.9189385332046728; // log(2 pi) / 2

/** erf by its all-positive series erf(x) = 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (2n+1)!!, for |x| < 2.5. */
function erfSeries(x: number): number {
  const twoX2 = 2 * x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 300; n++) {
    term *= twoX2 / (2 * n + 1);
    sum += term;
    if (term <= sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
}

/** erfc for x >= 2.5 by its continued fraction e^(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))). */
function erfcFraction(x: number): number {
  let f = x;
  for (let k = 80; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / (SQRT_PI * f);
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  const value = ax < 2.5 ? erfSeries(ax) : 1 - erfcFraction(ax);
  return x < 0 ? -value : x === 0 ? x : value;
}

/** 1 - erf(x), without the cancellation for large x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x >= 2.5) return erfcFraction(x);
  return 1 - erf(x);
}

/**
 * The inverse of erf on [-1, 1]: +-inf at +-1, NaN outside. Winitzki's closed form starts Newton's
 * method, which solves erf(x) = y (or erfc(x) = 1 - y near 1, where erf has no digits left).
 */
export function erfinv(y: number): number {
  if (Number.isNaN(y) || y < -1 || y > 1) return NaN;
  if (y === 0) return y;
  const a = Math.abs(y);
  if (a === 1) return y * Infinity;
  const oneMinus = 1 - a; // exact: y is a float32
  const log1my2 = Math.log(oneMinus * (1 + a));
  const k = 2 / (Math.PI * 0.147) + log1my2 / 2;
  let x = Math.sqrt(Math.sqrt(k * k - log1my2 / 0.147) - k);
  for (let i = 0; i < 20; i++) {
    const slope = TWO_OVER_SQRT_PI * Math.exp(-x * x);
    const step = a <= 0.5 ? (erf(x) - a) / slope : (oneMinus - erfc(x)) / slope;
    x -= step;
    if (Math.abs(step) <= 1e-16 * x) break;
  }
  return y < 0 ? -x : x;
}

/** sin(pi x), exact at integers and without the rounding of pi * x for large |x|. */
function sinPi(x: number): number {
  const n = Math.floor(x);
  const s = Math.sin(Math.PI * (x - n));
  return n % 2 === 0 ? s : -s;
}

// Lanczos approximation, g = 7, nine terms (relative error about 1e-15 for x >= 0.5).
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** The Lanczos series A(z) with Gamma(z + 1) = sqrt(2 pi) t^(z + 1/2) e^(-t) A(z), t = z + g + 1/2. */
function lanczosSeries(z: number): number {
  let a = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (z + i);
  return a;
}

/** Gamma(x) (C's tgamma): +-inf at +-0, NaN at negative integers and -inf. */
export function gamma(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return 1 / x;
  if (x < 0 && (x === -Infinity || Number.isInteger(x))) return NaN;
  if (x < 0.5) return Math.PI / (sinPi(x) * gamma(1 - x));
  if (x > 171.7) return Infinity; // beyond float64, let alone float32
  const z = x - 1;
  const t = z + LANCZOS_G + 0.5;
  // t^(z + 1/2) in two halves, so the power does not overflow before e^(-t) brings it back.
  const half = Math.pow(t, (z + 0.5) / 2);
  return Math.sqrt(2 * Math.PI) * half * (half * Math.exp(-t)) * lanczosSeries(z);
}

/** log|Gamma(x)| (C's lgamma): +inf at non-positive integers and at +-inf. */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x === 1 || x === 2) return 0;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(sinPi(x))) - lgamma(1 - x);
  const z = x - 1;
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(lanczosSeries(z));
}

/**
 * The digamma function psi = Gamma'/Gamma. As MXNet's cephes psi, +inf at non-positive integers
 * (its double max, which is inf in float32); otherwise reflection, recurrence, asymptotic series.
 */
export function digamma(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  let shift = 0;
  if (x <= 0) {
    if (Number.isInteger(x) || x === -Infinity) return Infinity;
    // psi(x) = psi(1 - x) - pi / tan(pi x), with x reduced to (-1/2, 1/2] so tan sees a small argument.
    shift = -Math.PI / Math.tan(Math.PI * (x - Math.round(x)));
    x = 1 - x;
  }
  let acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  const inv2 = 1 / (x * x);
  // sum of B_2k / (2k x^2k) for k = 1..7
  const tail = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760 - inv2 / 12))))));
  return shift + acc + Math.log(x) - 0.5 / x - tail;
}
