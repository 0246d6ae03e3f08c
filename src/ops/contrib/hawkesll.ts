/**
 * `_contrib_hawkesll` (MXNet `contrib/hawkes_ll-inl.h`): the log likelihood of N samples of K
 * independent self-exciting Hawkes processes with exponential kernels, observed on (0, max_time],
 * given as left-aligned ragged (N, T) arrays of interarrival times (lags) and process ids (marks).
 * Outputs the log likelihood (N,) and the processes' state at max_time (N, K).
 */
import { shapeToString, Shape } from '../../base/shape';
import type { HawkesInputs } from '../../backend/reference/contrib_hawkes';
import { defineOp } from '../registry';
import type { MaybeShape, ShapeSite, Tensor } from '../types';

const INPUTS = ['lda', 'alpha', 'beta', 'state', 'lags', 'marks', 'valid_length', 'max_time'] as const;

/** Checks every input's rank and size against N (samples), K (marks) and T (sequence length). */
function checkShapes(shapes: readonly Shape[], site: ShapeSite): { n: number; k: number } {
  const expectRank = [2, 1, 1, 2, 2, 2, 1, 1];
  shapes.forEach((shape, i) => {
    if (shape.length !== expectRank[i]) site.fail(INPUTS[i]!, `must be ${expectRank[i]}-d, got ${shapeToString(shape)}`);
  });
  const [n, t] = [shapes[4]![0]!, shapes[4]![1]!];
  const k = shapes[0]![1]!;
  const expected: readonly (readonly number[])[] = [[n, k], [k], [k], [n, k], [n, t], [n, t], [n], [n]];
  shapes.forEach((shape, i) => {
    if (shape.some((d, axis) => d !== expected[i]![axis])) {
      site.fail(INPUTS[i]!, `shape ${shapeToString(shape)} must be ${shapeToString(expected[i]!)} (N = ${n} samples, K = ${k} marks, T = ${t} points from lda and lags)`);
    }
  });
  return { n, k };
}

function hawkesInputs(inputs: readonly Tensor[]): HawkesInputs {
  const [lda, alpha, beta, state, lags, marks, validLength, maxTime] = inputs.map((t) => t.data);
  return {
    lda: lda!, alpha: alpha!, beta: beta!, state: state!, lags: lags!, marks: marks!, validLength: validLength!, maxTime: maxTime!,
    n: inputs[4]!.shape[0]!, k: inputs[0]!.shape[1]!, t: inputs[4]!.shape[1]!,
  };
}

export const hawkesLLOp = defineOp({
  name: '_contrib_hawkesll',
  doc: [
    'Intensity of mark c: lda[i,c] + alpha[c] * sum over earlier points of mark c of beta[c] exp(-beta[c] (t - t_j)), plus the carried state.',
    'output[i] = sum over the valid points (j < valid_length[i]) of log intensity - compensator, minus the compensators up to max_time[i];',
    'out_state[i,c] = sum_j exp(-beta[c] (max_time[i] - t_j)) including the decayed input state. Marks are integers stored as floats.',
    'Gradients for lda, alpha and beta from output only (out_state passes none, as MXNet); state, lags, marks, valid_length, max_time get none.',
  ].join('\n'),
  params: {},
  inputs: () => INPUTS,
  outputs: () => ['output', 'out_state'],
  inferShape: (_p, inputs, outputs, site) => {
    if (!inputs.every((s): s is Shape => s !== null)) return { inputs, outputs };
    const { n, k } = checkShapes(inputs, site);
    const out: MaybeShape[] = [[n], [n, k]];
    return { inputs, outputs: out };
  },
  workspace: (_p, inputs) => 8 * inputs[0]![1]!,
  forward: (_p, inputs, [ll, outState], [llReq, stateReq], ctx) => {
    ctx.kernels.hawkesLogLikelihood(hawkesInputs(inputs), ll!.data, llReq!, outState!.data, stateReq!, ctx.workspace);
  },
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i < 3,
    compute: (_p, { inputs, outGrads: [g] }, [dLda, dAlpha, dBeta], req, ctx) => {
      const grads = { lda: dLda ?? null, alpha: dAlpha ?? null, beta: dBeta ?? null };
      ctx.kernels.hawkesLogLikelihoodBackward(hawkesInputs(inputs), g!.data, {
        lda: grads.lda?.data ?? null, alpha: grads.alpha?.data ?? null, beta: grads.beta?.data ?? null, req: [req[0]!, req[1]!, req[2]!],
      }, ctx.workspace);
    },
  },
});
