/**
 * Density kernels for `_random_pdf_X` (MXNet `random/pdf_op.h`). Parameters hold one value per
 * distribution (Dirichlet: k values); the samples of distribution d are the n consecutive samples
 * d*n ... d*n + n - 1, n = samples / distributions. Values follow MXNet's closed forms as they
 * are (no support check: a uniform density is 1 / (high - low) wherever the sample lies), computed
 * in float64 and stored as float32.
 */
import type { Req } from '../../base/req';
import { digamma, lgamma } from './special_functions';

export type PdfLaw =
  | 'uniform' | 'normal' | 'gamma' | 'exponential' | 'poisson'
  | 'negative_binomial' | 'generalized_negative_binomial' | 'dirichlet';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

function store(out: Float32Array, i: number, value: number, req: Req): void {
  out[i] = req === 'add' ? out[i]! + value : value;
}

/** log P(x; k, p) of the negative binomial as MXNet writes it: p^k (1 - p)^x Gamma(x + k) / (x! Gamma(k)). */
function negativeBinomialLogPdf(x: number, k: number, p: number): number {
  return lgamma(x + k) - lgamma(x + 1) - lgamma(k) + k * Math.log(p) + x * Math.log(1 - p);
}

/** The log density of a scalar law at x with parameters a (and b). */
function scalarLogPdf(law: PdfLaw, x: number, a: number, b: number): number {
  switch (law) {
    case 'uniform':
      return -Math.log(b - a);
    case 'normal':
      return (-0.5 * (x - a) * (x - a)) / (b * b) - Math.log(b) - HALF_LOG_TWO_PI;
    case 'gamma': // b is a rate here, as in MXNet's density (its sampler reads beta as a scale)
      return a * Math.log(b) + (a - 1) * Math.log(x) - b * x - lgamma(a);
    case 'exponential':
      return Math.log(a) - a * x;
    case 'poisson':
      return x * Math.log(a) - lgamma(x + 1) - a;
    case 'negative_binomial':
      return negativeBinomialLogPdf(x, a, b);
    case 'generalized_negative_binomial':
      return negativeBinomialLogPdf(x, 1 / b, 1 / (a * b + 1)) // a = mu, b = alpha;
    case 'dirichlet':
      return NaN; // vector law: dirichletLogPdf
  }
}

/** [d/dx, d/da, d/db] of the log density, written here so the gradient loop allocates nothing. */
const partials = new Float64Array(3);

function negativeBinomialPartials(x: number, k: number, p: number): void {
  partials[0] = 0; // MXNet gives discrete samples no gradient
  partials[1] = digamma(x + k) - digamma(k) + Math.log(p);
  partials[2] = k / p - x / (1 - p);
}

function scalarLogPdfPartials(law: PdfLaw, x: number, a: number, b: number): void {
  switch (law) {
    case 'uniform':
      partials[0] = 0;
      partials[1] = 1 / (b - a);
      partials[2] = -1 / (b - a);
      return;
    case 'normal': {
      const s2 = b * b;
      partials[0] = (a - x) / s2;
      partials[1] = (x - a) / s2;
      partials[2] = ((x - a) * (x - a) - s2) / (s2 * b);
      return;
    }
    case 'gamma':
      partials[0] = (a - 1) / x - b;
      partials[1] = Math.log(b) + Math.log(x) - digamma(a);
      partials[2] = a / b - x;
      return;
    case 'exponential':
      partials[0] = -a;
      partials[1] = 1 / a - x;
      partials[2] = 0;
      return;
    case 'poisson':
      partials[0] = 0;
      partials[1] = x / a - 1;
      partials[2] = 0;
      return;
    case 'negative_binomial':
      negativeBinomialPartials(x, a, b);
      return;
    case 'generalized_negative_binomial': {
      // k = 1 / alpha, p = 1 / (mu alpha + 1): the chain rule from (k, p) back to (mu, alpha).
      const den = a * b + 1;
      negativeBinomialPartials(x, 1 / b, 1 / den);
      const dk = partials[1]!;
      const dp = partials[2]!;
      partials[1] = (-dp * b) / (den * den);
      partials[2] = -dk / (b * b) - (dp * a) / (den * den);
      return;
    }
    case 'dirichlet':
      partials.fill(NaN);
  }
}

/** The Dirichlet log density of the k-vector at sample[s..s+k) with concentrations alpha[c..c+k). */
function dirichletLogPdf(sample: Float32Array, s: number, alpha: Float32Array, c: number, k: number): number {
  let sumAlpha = 0;
  let sumLgamma = 0;
  let sumLog = 0;
  for (let j = 0; j < k; j++) {
    const a = alpha[c + j]!;
    sumAlpha += a;
    sumLgamma += lgamma(a);
    sumLog += (a - 1) * Math.log(sample[s + j]!);
  }
  return sumLog + lgamma(sumAlpha) - sumLgamma;
}

/**
 * out[i] = density (or log density) of sample i. `params` are the parameter arrays in input order;
 * `k` is the Dirichlet vector length (1 for scalar laws).
 */
function randomPdf(law: PdfLaw, isLog: boolean, sample: Float32Array, params: readonly Float32Array[], out: Float32Array, k: number, req: Req): void {
  const first = params[0]!;
  const second = params[1] ?? first;
  const distributions = first.length / k;
  if (req === 'null' || distributions === 0) return;
  const perDistribution = out.length / distributions;
  for (let i = 0; i < out.length; i++) {
    const d = Math.floor(i / perDistribution);
    const logPdf = law === 'dirichlet'
      ? dirichletLogPdf(sample, i * k, first, d * k, k)
      : scalarLogPdf(law, sample[i]!, first[d]!, second[d]!);
    store(out, i, isLog ? logPdf : Math.exp(logPdf), req);
  }
}

/**
 * Gradients of `randomPdf`: d out / d sample per sample, d out / d parameter summed over the
 * samples of each distribution. A density's gradient is the log density's times the density.
 */
function randomPdfBackward(
  law: PdfLaw, isLog: boolean, sample: Float32Array, params: readonly Float32Array[], out: Float32Array, outGrad: Float32Array,
  sampleGrad: Float32Array | null, sampleReq: Req, paramGrads: readonly (Float32Array | null)[], paramReqs: readonly Req[], k: number,
): void {
  const first = params[0]!;
  const second = params[1] ?? first;
  const distributions = first.length / k;
  if (distributions === 0) return;
  const perDistribution = out.length / distributions;
  if (law === 'dirichlet') {
    for (let d = 0; d < distributions; d++) {
      let sumAlpha = 0;
      for (let j = 0; j < k; j++) sumAlpha += first[d * k + j]!;
      const psiSum = digamma(sumAlpha);
      for (let j = 0; j < k; j++) {
        const a = first[d * k + j]!;
        const psiA = digamma(a);
        let total = 0;
        for (let s = 0; s < perDistribution; s++) {
          const i = d * perDistribution + s;
          const x = sample[i * k + j]!;
          const g = outGrad[i]! * (isLog ? 1 : out[i]!);
          total += g * (Math.log(x) + psiSum - psiA);
          if (sampleGrad && sampleReq !== 'null') store(sampleGrad, i * k + j, (g * (a - 1)) / x, sampleReq);
        }
        if (paramGrads[0] && paramReqs[0] !== 'null') store(paramGrads[0], d * k + j, total, paramReqs[0]!);
      }
    }
    return;
  }
  for (let d = 0; d < distributions; d++) {
    let totalA = 0;
    let totalB = 0;
    for (let s = 0; s < perDistribution; s++) {
      const i = d * perDistribution + s;
      scalarLogPdfPartials(law, sample[i]!, first[d]!, second[d]!);
      const g = outGrad[i]! * (isLog ? 1 : out[i]!);
      totalA += g * partials[1]!;
      totalB += g * partials[2]!;
      if (sampleGrad && sampleReq !== 'null') store(sampleGrad, i, g * partials[0]!, sampleReq);
    }
    if (paramGrads[0] && paramReqs[0] !== 'null') store(paramGrads[0], d, totalA, paramReqs[0]!);
    if (params.length > 1 && paramGrads[1] && paramReqs[1] !== 'null') store(paramGrads[1], d, totalB, paramReqs[1]!);
  }
}

export const randomPdfKernels = { randomPdf, randomPdfBackward };
