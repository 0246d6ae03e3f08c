/**
 * Sampling kernels for the continuous and counting distributions (MXNet `random/sampler.h`).
 * Every kernel draws from the `uniform01` source it is given (the op passes the seeded process
 * generator), so a kernel is deterministic given its source. Parameters come as arrays of
 * `nParams` values; output element i uses parameter i / (out.length / nParams), so one kernel
 * serves both `_random_X` (one parameter set) and `_sample_X` (one set per input element).
 */
import type { Req } from '../../base/req';

/** A uniform draw in [0, 1) (32 random bits); each call advances the stream. */
export type Uniform01 = () => number;

type Params = ArrayLike<number>;

function store(out: Float32Array, i: number, value: number, req: Req): void {
  out[i] = req === 'add' ? out[i]! + value : value;
}

/** One standard normal draw (Box-Muller on two uniforms; the sine half is not kept). */
function standardNormal(uniform01: Uniform01): number {
  const u1 = 1 - uniform01(); // in (0, 1], so the log is finite
  const u2 = uniform01();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Gamma(shape a, scale b) by Marsaglia-Tsang, boosted for a < 1 by u^(1/a) as MXNet does
 * (a = 0 gives 0). A negative or NaN shape has no distribution: NaN (the loop would not end).
 */
export function drawGamma(a: number, b: number, uniform01: Uniform01): number {
  if (!(a >= 0)) return NaN;
  const d = a < 1 ? a + 2 / 3 : a - 1 / 3;
  const k = Math.sqrt(9 * d);
  const c = 1 / k;
  let sample: number;
  for (;;) {
    const z = standardNormal(uniform01);
    if (z > -k) {
      const x = 1 + c * z;
      const v = x * x * x;
      if (Math.log(1 - uniform01()) < 0.5 * z * z + d * (1 - v + Math.log(v))) {
        sample = d * v * b;
        break;
      }
    }
  }
  return a < 1 ? sample * Math.pow(uniform01(), 1 / a) : sample;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Gamma(x) for x >= 1 (Lanczos, g = 7; ~1e-15 relative). */
function logGamma(x: number): number {
  const y = x - 1;
  const t = y + 7.5;
  let a = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Poisson(lambda): products of uniforms below 12, Numerical Recipes' Lorentzian rejection above
 * (MXNet's two regimes, in float64 here). A negative rate gives 0 as in MXNet; an infinite or NaN
 * rate gives itself.
 */
export function drawPoisson(lambda: number, uniform01: Uniform01): number {
  if (!Number.isFinite(lambda)) return lambda;
  if (lambda < 12) {
    const limit = Math.exp(-lambda);
    let count = 0;
    for (let prod = uniform01(); prod > limit; prod *= uniform01()) count++;
    return count;
  }
  const sq = Math.sqrt(2 * lambda);
  const logLambda = Math.log(lambda);
  const g = lambda * logLambda - logGamma(lambda + 1);
  let em: number;
  let t: number;
  do {
    let y: number;
    do {
      y = Math.tan(Math.PI * uniform01());
      em = sq * y + lambda;
    } while (em < 0);
    em = Math.floor(em);
    t = 0.9 * (1 + y * y) * Math.exp(em * logLambda - logGamma(em + 1) - g);
  } while (uniform01() > t);
  return em;
}

/** Uniform in [low, high): float32 of low + (high - low) u, kept below high when rounding reaches it. */
function sampleUniform(low: Params, high: Params, out: Float32Array, req: Req, uniform01: Uniform01): void {
  if (req === 'null') return;
  const batch = out.length / low.length;
  for (let i = 0; i < out.length; i++) {
    const lo = low[Math.floor(i / batch)]!;
    const hi = high[Math.floor(i / batch)]!;
    let v = Math.fround(lo + (hi - lo) * uniform01());
    if (v >= hi && hi > lo) v = Math.fround(lo);
    store(out, i, v, req);
  }
}

/** Normal(mu, sigma): Box-Muller, both halves of each pair used on consecutive elements. */
function sampleNormal(mu: Params, sigma: Params, out: Float32Array, req: Req, uniform01: Uniform01): void {
  if (req === 'null') return;
  const batch = out.length / mu.length;
  for (let i = 0; i < out.length; i += 2) {
    const u1 = 1 - uniform01();
    const u2 = uniform01();
    const radius = Math.sqrt(-2 * Math.log(u1));
    const p = Math.floor(i / batch);
    store(out, i, mu[p]! + sigma[p]! * radius * Math.cos(2 * Math.PI * u2), req);
    if (i + 1 < out.length) {
      const q = Math.floor((i + 1) / batch);
      store(out, i + 1, mu[q]! + sigma[q]! * radius * Math.sin(2 * Math.PI * u2), req);
    }
  }
}

function sampleGamma(alpha: Params, beta: Params, out: Float32Array, req: Req, uniform01: Uniform01): void {
  if (req === 'null') return;
  const batch = out.length / alpha.length;
  for (let i = 0; i < out.length; i++) {
    const p = Math.floor(i / batch);
    store(out, i, drawGamma(alpha[p]!, beta[p]!, uniform01), req);
  }
}

/** Exponential with rate lam: -log(1 - u) / lam. */
function sampleExponential(lam: Params, out: Float32Array, req: Req, uniform01: Uniform01): void {
  if (req === 'null') return;
  const batch = out.length / lam.length;
  for (let i = 0; i < out.length; i++) store(out, i, -Math.log(1 - uniform01()) / lam[Math.floor(i / batch)]!, req);
}

function samplePoisson(lam: Params, out: Float32Array, req: Req, uniform01: Uniform01): void {
  if (req === 'null') return;
  const batch = out.length / lam.length;
  for (let i = 0; i < out.length; i++) store(out, i, drawPoisson(lam[Math.floor(i / batch)]!, uniform01), req);
}

/** Negative binomial(k, p) as the Poisson-gamma mixture Poisson(Gamma(k, (1 - p) / p)). */
function sampleNegativeBinomial(k: Params, p: Params, out: Float32Array, req: Req, uniform01: Uniform01): void {
  if (req === 'null') return;
  const batch = out.length / k.length;
  for (let i = 0; i < out.length; i++) {
    const j = Math.floor(i / batch);
    const lambda = drawGamma(k[j]!, (1 - p[j]!) / p[j]!, uniform01);
    store(out, i, drawPoisson(lambda, uniform01), req);
  }
}

/** Generalized negative binomial(mu, alpha): Poisson(Gamma(1/alpha, alpha mu)); alpha = 0 is Poisson(mu). */
function sampleGeneralizedNegativeBinomial(mu: Params, alpha: Params, out: Float32Array, req: Req, uniform01: Uniform01): void {
  if (req === 'null') return;
  const batch = out.length / mu.length;
  for (let i = 0; i < out.length; i++) {
    const j = Math.floor(i / batch);
    const a = alpha[j]!;
    const lambda = a === 0 ? mu[j]! : drawGamma(1 / a, a * mu[j]!, uniform01);
    store(out, i, drawPoisson(lambda, uniform01), req);
  }
}

/** Integers uniform in [low, high): low + floor(u (high - low)). */
function sampleRandint(low: Params, high: Params, out: Float32Array, req: Req, uniform01: Uniform01): void {
  if (req === 'null') return;
  const batch = out.length / low.length;
  for (let i = 0; i < out.length; i++) {
    const j = Math.floor(i / batch);
    store(out, i, low[j]! + Math.floor(uniform01() * (high[j]! - low[j]!)), req);
  }
}

export const randomDistributionKernels = {
  sampleUniform,
  sampleNormal,
  sampleGamma,
  sampleExponential,
  samplePoisson,
  sampleNegativeBinomial,
  sampleGeneralizedNegativeBinomial,
  sampleRandint,
};
