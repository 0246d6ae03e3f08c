/**
 * `_random_pdf_X` (MXNet `random/pdf_op.{h,cc}`): the density (or, with is_log, the log density)
 * of each sample under the distribution at its leading index. Parameter arrays share one shape,
 * the leading sub-shape of `sample` (Dirichlet: with the vector length k last); out[i...] is the
 * density of sample[i...] under parameters [i]. Gradients flow to the sample (zero for discrete
 * laws and the uniform) and to the parameters, summed over each distribution's samples.
 */
import { shapesEqual, shapeToString, type Shape } from '../../base/shape';
import type { PdfLaw } from '../../backend/reference/random_pdf';
import { bool } from '../params';
import { defineOp } from '../registry';
import type { AnyOpDef, InferredShapes, MaybeShape, ShapeSite } from '../types';

interface PdfLawDef {
  readonly law: PdfLaw;
  readonly params: readonly string[];
  readonly formula: string;
}

const LAWS: readonly PdfLawDef[] = [
  { law: 'uniform', params: ['low', 'high'], formula: 'p(x) = 1 / (high - low), whatever x is (MXNet checks no support); zero gradient to sample' },
  { law: 'normal', params: ['mu', 'sigma'], formula: 'p(x) = exp(-(x - mu)^2 / (2 sigma^2)) / (sqrt(2 pi) sigma)' },
  {
    law: 'gamma',
    params: ['alpha', 'beta'],
    formula: "p(x) = beta^alpha x^(alpha - 1) exp(-beta x) / Gamma(alpha): beta acts as a rate, as in MXNet's density (its doc calls it a scale, and its sampler reads it as one)",
  },
  { law: 'exponential', params: ['lam'], formula: 'p(x) = lam exp(-lam x)' },
  { law: 'poisson', params: ['lam'], formula: 'p(x) = lam^x exp(-lam) / Gamma(x + 1); zero gradient to sample' },
  {
    law: 'negative_binomial',
    params: ['k', 'p'],
    formula: 'p(x) = Gamma(x + k) / (Gamma(x + 1) Gamma(k)) p^k (1 - p)^x (k may be real); zero gradient to sample',
  },
  {
    law: 'generalized_negative_binomial',
    params: ['mu', 'alpha'],
    formula: 'the negative binomial density with k = 1 / alpha, p = 1 / (mu alpha + 1); zero gradient to sample',
  },
  {
    law: 'dirichlet',
    params: ['alpha'],
    formula: 'p(x) = Gamma(sum alpha) / prod Gamma(alpha_j) prod x_j^(alpha_j - 1) over the last axis (length k) of sample and alpha',
  },
];

type Params = { readonly is_log: boolean };

/**
 * MXNet's PdfOpShape: nothing is inferred until every input shape is known; then the parameters
 * must agree with each other and with the leading sub-shape of sample (Dirichlet: leading
 * sub-shape with sample's last axis), and the output is sample's shape (Dirichlet: without the
 * last axis, and (1) for a single vector).
 */
function pdfShape(names: readonly string[], vector: boolean, inputs: readonly MaybeShape[], outputs: readonly MaybeShape[], site: ShapeSite): InferredShapes {
  if (inputs.some((s) => s === null)) return { inputs, outputs };
  const known = inputs as readonly Shape[];
  const sample = known[0]!;
  for (let i = 2; i < known.length; i++) {
    if (!shapesEqual(known[i], known[i - 1])) {
      site.fail(names[i]!, `shape ${shapeToString(known[i])} does not match ${names[i - 1]} ${shapeToString(known[i - 1])}`, known[i - 1], known[i]);
    }
  }
  const first = known[1]!;
  if (first.length > sample.length) {
    site.fail('sample', `has ${sample.length} dimensions, fewer than ${names[1]} ${shapeToString(first)} (it needs at least as many)`, first.length, sample.length);
  }
  const expected = sample.slice(0, first.length);
  if (vector && expected.length > 0) expected[expected.length - 1] = sample[sample.length - 1]!;
  if (!shapesEqual(first, expected)) {
    const what = vector ? `the leading sub-shape of sample ${shapeToString(sample)} with its last axis` : `the leading sub-shape of sample ${shapeToString(sample)}`;
    site.fail(names[1]!, `shape ${shapeToString(first)} must be ${shapeToString(expected)} (${what})`, expected, first);
  }
  const output: Shape = vector ? (sample.length === 1 ? [1] : sample.slice(0, -1)) : sample;
  if (outputs[0] && !shapesEqual(outputs[0], output)) {
    site.fail('output', `shape ${shapeToString(outputs[0])} does not match the inferred ${shapeToString(output)}`, output, outputs[0]);
  }
  return { inputs: known, outputs: [output] };
}

function pdfOp({ law, params, formula }: PdfLawDef): AnyOpDef {
  const names = ['sample', ...params];
  const vector = law === 'dirichlet';
  const vectorLength = (sample: Shape) => (vector ? sample[sample.length - 1]! : 1);
  return defineOp({
    name: `_random_pdf_${law}`,
    aliases: [`random_pdf_${law}`],
    doc: [
      `out = density of sample under the ${law} law with parameters ${params.join(', ')} (log density when is_log): ${formula}.`,
      vector
        ? 'alpha.shape = sample.shape[:alpha.ndim] with its last axis k = sample.shape[-1]; out.shape = sample.shape[:-1] ((1) for one vector).'
        : `${params.join(' and ')} share one shape, the leading sub-shape of sample; out.shape = sample.shape.`,
      `Gradients: d out / d sample elementwise, d out / d ${params.join(', ')} summed over each distribution's samples (log-density gradient times the density unless is_log).`,
    ].join('\n'),
    params: { is_log: bool({ doc: 'If set, compute the log density instead of the density.', default: false }) },
    inputs: () => names,
    outputs: () => ['output'],
    inferShape: (_p: Params, inputs, outputs, site) => pdfShape(names, vector, inputs, outputs, site),
    forward: (p: Params, [sample, ...parameters], [out], [req], ctx) => {
      ctx.kernels.randomPdf(law, p.is_log, sample!.data, parameters.map((t) => t.data), out!.data, vectorLength(sample!.shape), req!);
    },
    backward: {
      usesOutGrads: true,
      compute: (p: Params, io, [sampleGrad, ...paramGrads], [sampleReq, ...paramReqs], ctx) => {
        const [sample, ...parameters] = io.inputs;
        ctx.kernels.randomPdfBackward(
          law, p.is_log, sample!.data, parameters.map((t) => t.data), io.outputs[0]!.data, io.outGrads[0]!.data,
          sampleGrad?.data ?? null, sampleReq!, paramGrads.map((g) => g?.data ?? null), paramReqs, vectorLength(sample!.shape),
        );
      },
    },
  });
}

export const randomPdfOps: readonly AnyOpDef[] = LAWS.map(pdfOp);
