/**
 * Float64 statistics for the sampling tests: moments with tolerances from the sample size,
 * Kolmogorov-Smirnov and chi-square goodness-of-fit p-values, and the CDFs / PMFs of MXNet's
 * distributions (written from their textbook definitions, independently of the kernels).
 */

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** Sample mean and variance, and their standard errors (the variance's from the 4th moment). */
export function moments(xs: ArrayLike<number>): { mean: number; variance: number; meanSE: number; varianceSE: number } {
  const n = xs.length;
  const m = mean(xs);
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - m;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m4 /= n;
  return { mean: m, variance: m2, meanSE: Math.sqrt(m2 / n), varianceSE: Math.sqrt(Math.max(m4 - m2 * m2, 0) / n) };
}

/** Throws unless the sample mean and variance are within `k` standard errors of the truth. */
export function expectMoments(xs: ArrayLike<number>, trueMean: number, trueVariance: number, k = 5): void {
  const s = moments(xs);
  if (!(Math.abs(s.mean - trueMean) <= k * s.meanSE + 1e-12)) {
    throw new Error(`sample mean ${s.mean} is more than ${k} standard errors (${s.meanSE}) from ${trueMean}`);
  }
  if (!(Math.abs(s.variance - trueVariance) <= k * s.varianceSE + 1e-12)) {
    throw new Error(`sample variance ${s.variance} is more than ${k} standard errors (${s.varianceSE}) from ${trueVariance}`);
  }
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Gamma(x) for x > 0 (Lanczos with the reflection-free form valid for x >= 0.5; recurrence below). */
export function logGamma(x: number): number {
  if (x < 0.5) return logGamma(x + 1) - Math.log(x);
  const y = x - 1;
  const t = y + 7.5;
  let a = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized lower incomplete gamma P(a, x) (series below a + 1, continued fraction above). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.exp(logPrefix) * sum;
  }
  // Lentz's continued fraction for Q(a, x).
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 - Math.exp(logPrefix) * h;
}

export function normalCdf(x: number, mu: number, sigma: number): number {
  const z = (x - mu) / sigma;
  const erf = Math.sign(z) * gammaP(0.5, (z * z) / 2);
  return 0.5 * (1 + erf);
}

export const gammaCdf = (x: number, alpha: number, beta: number) => gammaP(alpha, x / beta);
export const exponentialCdf = (x: number, lam: number) => (x <= 0 ? 0 : 1 - Math.exp(-lam * x));
export const uniformCdf = (x: number, low: number, high: number) => Math.min(1, Math.max(0, (x - low) / (high - low)));

export const poissonPmf = (k: number, lam: number) => Math.exp(k * Math.log(lam) - lam - logGamma(k + 1));

/** P(x) = Gamma(x + r) / (Gamma(r) x!) p^r (1-p)^x, for real r > 0. */
export const negativeBinomialPmf = (x: number, r: number, p: number) =>
  Math.exp(logGamma(x + r) - logGamma(r) - logGamma(x + 1) + r * Math.log(p) + x * Math.log(1 - p));

/** P(K > x) for the Kolmogorov distribution. */
function kolmogorovSurvival(x: number): number {
  if (x < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k < 100; k++) sum += 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * x * x);
  return Math.min(1, Math.max(0, sum));
}

/** Kolmogorov-Smirnov p-value of the sample against a continuous CDF (asymptotic, with Stephens' correction). */
export function ksPValue(xs: ArrayLike<number>, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(xs).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  const sqrtN = Math.sqrt(n);
  return kolmogorovSurvival((sqrtN + 0.12 + 0.11 / sqrtN) * d);
}

/**
 * Chi-square p-value of integer samples against a PMF over 0, 1, 2, ... (or `support` values):
 * categories with an expected count below 5 are pooled with their neighbours, the upper tail
 * gets the remaining probability.
 */
export function chiSquarePValue(xs: ArrayLike<number>, pmf: (k: number) => number, support: readonly number[]): number {
  const n = xs.length;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(xs[i]!, (counts.get(xs[i]!) ?? 0) + 1);
  const cells: { observed: number; expected: number }[] = [];
  let observed = 0;
  let expected = 0;
  let used = 0;
  let seen = 0;
  for (const k of support) {
    observed += counts.get(k) ?? 0;
    seen += counts.get(k) ?? 0;
    const e = n * pmf(k);
    expected += e;
    used += e;
    if (expected >= 5 && n - used >= 5) {
      cells.push({ observed, expected });
      observed = 0;
      expected = 0;
    }
  }
  // The rest of the support (the tail beyond `support`, and any leftover) is one more cell,
  // pooled with the last one when it expects fewer than 5.
  const rest = { observed: observed + (n - seen), expected: expected + Math.max(n - used, 0) };
  const last = cells[cells.length - 1];
  if (rest.expected < 5 && last) {
    last.observed += rest.observed;
    last.expected += rest.expected;
  } else cells.push(rest);
  let chi2 = 0;
  for (const c of cells) chi2 += c.expected > 0 ? (c.observed - c.expected) ** 2 / c.expected : c.observed > 0 ? Infinity : 0;
  const df = cells.length - 1;
  return df > 0 ? 1 - gammaP(df / 2, chi2 / 2) : 1;
}

export const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

/** A goodness-of-fit p-value below this fails the test; with fixed seeds the tests never flake. */
export const P_MIN = 1e-6;
