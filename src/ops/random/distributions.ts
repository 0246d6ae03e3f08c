/**
 * The distributions MXNet samples from (`random/sample_op.h` parameter structs, `sampler.h`):
 * parameter names, defaults and checks as MXNet's, and the kernel that draws each. The
 * `_random_X`, `_random_X_like` and `_sample_X` families are all built from this one table.
 */
import type { Kernels } from '../../backend/backend';
import type { Uniform01 } from '../../backend/reference/random_distributions';
import { float, int, ParamSchema } from '../params';
import type { Req, ShapeSite } from '../types';
import { paramFail, positiveFloat } from './common';

type Draw = (kernels: Kernels, a: ArrayLike<number>, b: ArrayLike<number>, out: Float32Array, req: Req, uniform01: Uniform01) => void;

export interface Distribution {
  /** The suffix of the op names: `_random_<name>`, `_sample_<name>`. */
  readonly name: string;
  /** MXNet's parameters of `_random_<name>` (and `_random_<name>_like`), first and second. */
  readonly params: ParamSchema;
  readonly paramNames: readonly string[];
  /** Input names of `_sample_<name>`, one per distribution parameter. */
  readonly sampleInputs: readonly string[];
  /** Checks relating two parameters (MXNet's CHECKs at forward time, here at shape inference). */
  readonly check?: (p: Readonly<Record<string, unknown>>, site: ShapeSite) => void;
  /** The law in one line, with MXNet's parameter conventions. */
  readonly law: string;
  readonly draw: Draw;
}

export const UNIFORM: Distribution = {
  name: 'uniform',
  params: {
    low: float({ doc: 'lower bound of the distribution', default: 0 }),
    high: float({ doc: 'upper bound of the distribution', default: 1 }),
  },
  paramNames: ['low', 'high'],
  sampleInputs: ['low', 'high'],
  check: (p, site) => {
    if ((p['high'] as number) < (p['low'] as number)) paramFail(site, 'high', `must not be below low, got low=${String(p['low'])}, high=${String(p['high'])}`, p['high']);
  },
  law: 'uniform on [low, high) (low included, high excluded)',
  draw: (k, a, b, out, req, u) => k.sampleUniform(a, b, out, req, u),
};

export const NORMAL: Distribution = {
  name: 'normal',
  params: {
    loc: float({ doc: 'mean of the distribution', default: 0 }),
    scale: positiveFloat({ doc: 'standard deviation of the distribution (> 0)', default: 1 }),
  },
  paramNames: ['loc', 'scale'],
  sampleInputs: ['mu', 'sigma'],
  law: 'normal with mean loc (mu) and standard deviation scale (sigma), by Box-Muller',
  draw: (k, a, b, out, req, u) => k.sampleNormal(a, b, out, req, u),
};

export const GAMMA: Distribution = {
  name: 'gamma',
  params: {
    alpha: positiveFloat({ doc: 'shape of the gamma distribution (> 0)', default: 1 }),
    beta: positiveFloat({ doc: 'scale of the gamma distribution (> 0)', default: 1 }),
  },
  paramNames: ['alpha', 'beta'],
  sampleInputs: ['alpha', 'beta'],
  law: 'gamma with shape alpha and scale beta (mean alpha beta, variance alpha beta^2), by Marsaglia-Tsang',
  draw: (k, a, b, out, req, u) => k.sampleGamma(a, b, out, req, u),
};

export const EXPONENTIAL: Distribution = {
  name: 'exponential',
  params: { lam: positiveFloat({ doc: 'rate of the exponential distribution (> 0)', default: 1 }) },
  paramNames: ['lam'],
  sampleInputs: ['lam'],
  law: 'exponential with rate lam (mean 1/lam): -log(1 - u) / lam',
  draw: (k, a, _b, out, req, u) => k.sampleExponential(a, out, req, u),
};

export const POISSON: Distribution = {
  name: 'poisson',
  params: { lam: float({ doc: 'rate of the Poisson distribution (>= 0)', default: 1, min: 0 }) },
  paramNames: ['lam'],
  sampleInputs: ['lam'],
  law: 'Poisson with rate lam, returned as float values',
  draw: (k, a, _b, out, req, u) => k.samplePoisson(a, out, req, u),
};

export const NEGATIVE_BINOMIAL: Distribution = {
  name: 'negative_binomial',
  params: {
    k: int({ doc: 'limit of unsuccessful experiments (>= 0)', default: 1, min: 0 }),
    p: float({ doc: 'failure probability in each experiment (>= 0)', default: 1, min: 0 }),
  },
  paramNames: ['k', 'p'],
  sampleInputs: ['k', 'p'],
  law: 'negative binomial, P(x) = C(x+k-1, x) p^k (1-p)^x (mean k(1-p)/p), as Poisson(Gamma(k, (1-p)/p))',
  draw: (k, a, b, out, req, u) => k.sampleNegativeBinomial(a, b, out, req, u),
};

export const GENERALIZED_NEGATIVE_BINOMIAL: Distribution = {
  name: 'generalized_negative_binomial',
  params: {
    mu: float({ doc: 'mean of the distribution (>= 0)', default: 1, min: 0 }),
    alpha: float({ doc: 'dispersion, 1/k of the failure limit k (>= 0)', default: 1, min: 0 }),
  },
  paramNames: ['mu', 'alpha'],
  sampleInputs: ['mu', 'alpha'],
  law: 'negative binomial with mean mu and variance mu + alpha mu^2, as Poisson(Gamma(1/alpha, alpha mu)); alpha 0 is Poisson(mu)',
  draw: (k, a, b, out, req, u) => k.sampleGeneralizedNegativeBinomial(a, b, out, req, u),
};

/** Float32 stores integers exactly up to 2^24; randint refuses bounds beyond. */
export const MAX_EXACT_INT = 2 ** 24;

export const RANDINT: Distribution = {
  name: 'randint',
  params: {
    low: int({ doc: 'lower bound of the distribution (required)' }),
    high: int({ doc: 'upper bound of the distribution, excluded (required)' }),
  },
  paramNames: ['low', 'high'],
  sampleInputs: [],
  check: (p, site) => {
    const low = p['low'] as number;
    const high = p['high'] as number;
    if (!(high > low)) paramFail(site, 'high', `must be above low, got low=${low}, high=${high}`, high);
    if (Math.abs(low) > MAX_EXACT_INT || Math.abs(high) > MAX_EXACT_INT) {
      paramFail(site, Math.abs(low) > MAX_EXACT_INT ? 'low' : 'high', `must lie in [-2^24, 2^24]: mxts stores the integers as float32, got low=${low}, high=${high}`);
    }
  },
  law: 'integers uniform on [low, high): low + floor(u (high - low))',
  draw: (k, a, b, out, req, u) => k.sampleRandint(a, b, out, req, u),
};

/** The distributions with `_random_X`, `_random_X_like` and `_sample_X` ops (randint has only the first). */
export const DISTRIBUTIONS: readonly Distribution[] = [UNIFORM, NORMAL, GAMMA, EXPONENTIAL, POISSON, NEGATIVE_BINOMIAL, GENERALIZED_NEGATIVE_BINOMIAL];
