/**
 * Multi-head attention products over interleaved projections (MXNet `contrib/transformer.cc`).
 * A projection tensor is (seq, batch, heads * parts * dim): for each (position, batch entry, head)
 * it holds `parts` consecutive vectors of `dim` (q, k, v for self-attention; k, v for
 * encoder-decoder; just q for queries). Attention batch i = b * heads + h.
 */
import type { Req } from '../../base/req';

/** Where one part (q, k or v) of an interleaved projection tensor lives. */
export interface ProjectionView {
  readonly seq: number;
  /** batch * heads: the attention batches. */
  readonly batches: number;
  readonly dim: number;
  /** Vectors per (position, head): 3 for q/k/v, 2 for k/v, 1 for a plain projection. */
  readonly parts: number;
  /** Which of them this view reads. */
  readonly part: number;
}

/** Offset of the vector at (position l, attention batch i). */
function at(view: ProjectionView, l: number, i: number): number {
  return (l * view.batches + i) * view.parts * view.dim + view.part * view.dim;
}

function put(out: Float32Array, o: number, v: number, req: Req): void {
  if (req === 'write') out[o] = v;
  else if (req === 'add') out[o]! += v;
}

/** out[i, s, t] = scale * q[s, i] . k[t, i]; out is (batches, q.seq, k.seq). */
function interleavedScores(q: Float32Array, qv: ProjectionView, k: Float32Array, kv: ProjectionView, scale: number, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const dim = qv.dim;
  let o = 0;
  for (let i = 0; i < qv.batches; i++) {
    for (let s = 0; s < qv.seq; s++) {
      const qo = at(qv, s, i);
      for (let t = 0; t < kv.seq; t++, o++) {
        const ko = at(kv, t, i);
        let sum = 0;
        for (let d = 0; d < dim; d++) sum += q[qo + d]! * k[ko + d]!;
        put(out, o, scale * sum, req);
      }
    }
  }
}

/**
 * Gradients of interleavedScores, accumulated (+=) into the views of dq and dk (null: skip):
 * dq[s, i] += scale * sum_t g[i, s, t] k[t, i]; dk[t, i] += scale * sum_s g[i, s, t] q[s, i].
 */
function interleavedScoresBackward(g: Float32Array, q: Float32Array, qv: ProjectionView, k: Float32Array, kv: ProjectionView, scale: number, dq: Float32Array | null, dk: Float32Array | null): void {
  const dim = qv.dim;
  const [ls, lt] = [qv.seq, kv.seq];
  for (let i = 0; i < qv.batches; i++) {
    const gi = i * ls * lt;
    if (dq) {
      for (let s = 0; s < ls; s++) {
        const qo = at(qv, s, i);
        for (let d = 0; d < dim; d++) {
          let sum = 0;
          for (let t = 0; t < lt; t++) sum += g[gi + s * lt + t]! * k[at(kv, t, i) + d]!;
          dq[qo + d]! += scale * sum;
        }
      }
    }
    if (dk) {
      for (let t = 0; t < lt; t++) {
        const ko = at(kv, t, i);
        for (let d = 0; d < dim; d++) {
          let sum = 0;
          for (let s = 0; s < ls; s++) sum += g[gi + s * lt + t]! * q[at(qv, s, i) + d]!;
          dk[ko + d]! += scale * sum;
        }
      }
    }
  }
}

/** out[s, i] = sum_t att[i, s, t] v[t, i]; att is (batches, seqOut, v.seq), out is (seqOut, batches * dim). */
function interleavedApply(att: Float32Array, seqOut: number, v: Float32Array, vv: ProjectionView, out: Float32Array, req: Req): void {
  if (req === 'null') return;
  const dim = vv.dim;
  const lt = vv.seq;
  for (let s = 0; s < seqOut; s++) {
    for (let i = 0; i < vv.batches; i++) {
      const ai = (i * seqOut + s) * lt;
      const o = (s * vv.batches + i) * dim;
      for (let d = 0; d < dim; d++) {
        let sum = 0;
        for (let t = 0; t < lt; t++) sum += att[ai + t]! * v[at(vv, t, i) + d]!;
        put(out, o + d, sum, req);
      }
    }
  }
}

/**
 * Gradients of interleavedApply: datt[i, s, t] (req)= g[s, i] . v[t, i];
 * dv[t, i] += sum_s att[i, s, t] g[s, i] (accumulated into the view of dv; null: skip).
 */
function interleavedApplyBackward(g: Float32Array, att: Float32Array, seqOut: number, v: Float32Array, vv: ProjectionView, datt: Float32Array | null, dattReq: Req, dv: Float32Array | null): void {
  const dim = vv.dim;
  const lt = vv.seq;
  for (let i = 0; i < vv.batches; i++) {
    if (datt && dattReq !== 'null') {
      for (let s = 0; s < seqOut; s++) {
        const go = (s * vv.batches + i) * dim;
        for (let t = 0; t < lt; t++) {
          const vo = at(vv, t, i);
          let sum = 0;
          for (let d = 0; d < dim; d++) sum += g[go + d]! * v[vo + d]!;
          put(datt, (i * seqOut + s) * lt + t, sum, dattReq);
        }
      }
    }
    if (dv) {
      for (let t = 0; t < lt; t++) {
        const vo = at(vv, t, i);
        for (let d = 0; d < dim; d++) {
          let sum = 0;
          for (let s = 0; s < seqOut; s++) sum += att[(i * seqOut + s) * lt + t]! * g[(s * vv.batches + i) * dim + d]!;
          dv[vo + d]! += sum;
        }
      }
    }
  }
}

export const contribAttentionKernels = { interleavedScores, interleavedScoresBackward, interleavedApply, interleavedApplyBackward };
