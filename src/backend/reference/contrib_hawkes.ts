/**
 * Log likelihood of marked self-exciting Hawkes processes (MXNet `contrib/hawkes_ll-inl.h`) and its
 * gradient with respect to the background intensities, branching ratios and decays. Samples are
 * processed one after the other with per-mark scratch from the op's workspace.
 */
import type { Req } from '../../base/req';

/** The inputs of one batch: lda and state (N, K), alpha and beta (K), lags and marks (N, T), validLength and maxTime (N). */
export interface HawkesInputs {
  readonly lda: Float32Array;
  readonly alpha: Float32Array;
  readonly beta: Float32Array;
  readonly state: Float32Array;
  readonly lags: Float32Array;
  readonly marks: Float32Array;
  readonly validLength: Float32Array;
  readonly maxTime: Float32Array;
  readonly n: number;
  readonly k: number;
  readonly t: number;
}

function put(out: Float32Array, i: number, v: number, req: Req): void {
  if (req === 'write') out[i] = v;
  else if (req === 'add') out[i]! += v;
}

/** How many leading points of sample i count: indices j < validLength[i] (at most T). */
const pointsOf = (h: HawkesInputs, i: number) => Math.min(h.t, Math.max(0, Math.ceil(h.validLength[i]!)));

/**
 * ll[i] = sum over valid points j (mark c, time t_j) of log(lda[i,c] + alpha[c]*beta[c]*s_c*e) - (lda[i,c]*d + alpha[c]*s_c*(1-e)),
 * d = t_j - (previous time of mark c, initially 0), e = exp(-beta[c] d), s_c the mark's state (then s_c = 1 + s_c e),
 * minus each mark's remaining compensator up to maxTime[i]; outState[i, c] = s_c decayed to maxTime[i].
 * Scratch: 2K floats.
 */
function hawkesLogLikelihood(h: HawkesInputs, ll: Float32Array, llReq: Req, outState: Float32Array, stateReq: Req, scratch: Float32Array): void {
  const { k: K } = h;
  const last = scratch.subarray(0, K);
  const state = scratch.subarray(K, 2 * K);
  for (let i = 0; i < h.n; i++) {
    last.fill(0);
    state.set(h.state.subarray(i * K, (i + 1) * K));
    let total = 0;
    let time = 0;
    for (let j = 0; j < pointsOf(h, i); j++) {
      const c = Math.trunc(h.marks[i * h.t + j]!);
      time += h.lags[i * h.t + j]!;
      const d = time - last[c]!;
      const e = Math.exp(-h.beta[c]! * d);
      const mu = h.lda[i * K + c]!;
      const intensity = mu + h.alpha[c]! * h.beta[c]! * state[c]! * e;
      total += Math.log(intensity) - (mu * d + h.alpha[c]! * state[c]! * (1 - e));
      state[c] = 1 + state[c]! * e;
      last[c] = time;
    }
    for (let c = 0; c < K; c++) {
      const d = h.maxTime[i]! - last[c]!;
      const e = Math.exp(-h.beta[c]! * d);
      total -= h.lda[i * K + c]! * d + h.alpha[c]! * state[c]! * (1 - e);
      put(outState, i * K + c, e * state[c]!, stateReq);
    }
    put(ll, i, total, llReq);
  }
}

/** Gradient outputs (null: not wanted) with their write requests. */
export interface HawkesGrads {
  readonly lda: Float32Array | null;
  readonly alpha: Float32Array | null;
  readonly beta: Float32Array | null;
  readonly req: readonly [Req, Req, Req];
}

/**
 * d lda, d alpha, d beta of sum_i g[i] * ll[i] (the out_state output passes no gradient, as in MXNet),
 * by carrying each mark's state s and its derivative ds/dbeta along the sequence. Scratch: 8K floats.
 */
function hawkesLogLikelihoodBackward(h: HawkesInputs, g: Float32Array, grads: HawkesGrads, scratch: Float32Array): void {
  const { k: K } = h;
  const [last, state, dstate, gMu, gAlpha, gBeta, sumAlpha, sumBeta] = Array.from({ length: 8 }, (_, r) => scratch.subarray(r * K, (r + 1) * K));
  sumAlpha!.fill(0);
  sumBeta!.fill(0);
  for (let i = 0; i < h.n; i++) {
    last!.fill(0);
    dstate!.fill(0);
    gMu!.fill(0);
    gAlpha!.fill(0);
    gBeta!.fill(0);
    state!.set(h.state.subarray(i * K, (i + 1) * K));
    let time = 0;
    for (let j = 0; j < pointsOf(h, i); j++) {
      const c = Math.trunc(h.marks[i * h.t + j]!);
      time += h.lags[i * h.t + j]!;
      const [a, b, s, ds] = [h.alpha[c]!, h.beta[c]!, state![c]!, dstate![c]!];
      const d = time - last![c]!;
      const e = Math.exp(-b * d);
      const intensity = h.lda[i * K + c]! + a * b * s * e;
      gMu![c]! += 1 / intensity - d;
      gAlpha![c]! += (b * s * e) / intensity - s * (1 - e);
      gBeta![c]! += (a * e * (s * (1 - b * d) + b * ds)) / intensity - a * (ds * (1 - e) + s * d * e);
      dstate![c] = e * (ds - d * s);
      state![c] = 1 + s * e;
      last![c] = time;
    }
    for (let c = 0; c < K; c++) {
      const d = h.maxTime[i]! - last![c]!;
      const e = Math.exp(-h.beta[c]! * d);
      const scale = g[i]!;
      if (grads.lda) put(grads.lda, i * K + c, scale * (gMu![c]! - d), grads.req[0]);
      sumAlpha![c]! += scale * (gAlpha![c]! - state![c]! * (1 - e));
      sumBeta![c]! += scale * (gBeta![c]! - h.alpha[c]! * (dstate![c]! * (1 - e) + state![c]! * d * e));
    }
  }
  for (let c = 0; c < K; c++) {
    if (grads.alpha) put(grads.alpha, c, sumAlpha![c]!, grads.req[1]);
    if (grads.beta) put(grads.beta, c, sumBeta![c]!, grads.req[2]);
  }
}

export const contribHawkesKernels = { hawkesLogLikelihood, hawkesLogLikelihoodBackward };
