/**
 * Connectionist temporal classification loss (Graves et al. 2006), forward-backward in log space.
 * data (T, N, C) holds unnormalized activations; each sequence's log-softmax, alphas and betas live
 * in the caller's workspace (T*C + 2*T*S floats, S = 2*maxLabel + 1), reused sequence by sequence.
 */

export interface CtcSequences {
  readonly steps: number;
  readonly batch: number;
  readonly classes: number;
  /** Label columns (the padded label length). */
  readonly maxLabel: number;
  readonly blank: number;
  /** Labels end at the first occurrence of this value unless labelLengths are given. */
  readonly padding: number;
}

function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

function labelLength(label: Float32Array, n: number, q: CtcSequences, labelLengths: Float32Array | null): number {
  if (labelLengths) return Math.min(Math.max(Math.trunc(labelLengths[n]!), 0), q.maxLabel);
  let length = 0;
  while (length < q.maxLabel && Math.trunc(label[n * q.maxLabel + length]!) !== q.padding) length++;
  return length;
}

/**
 * loss[n] = -log p(label_n | data[:, n]) summed over all alignments; grad (T, N, C) receives
 * d loss[n] / d data[t, n, c] = softmax - (1/p) * sum over label positions s of class c of
 * alpha_t(s) * beta_t(s) / y_t(c), and 0 past the sequence's data length. A label no alignment
 * fits (too long for the data) gives an infinite loss and a zero gradient.
 */
function ctcLoss(
  data: Float32Array, label: Float32Array, dataLengths: Float32Array | null, labelLengths: Float32Array | null, q: CtcSequences,
  loss: Float32Array, grad: Float32Array, workspace: Float32Array,
): void {
  const { steps, batch, classes, maxLabel, blank } = q;
  const width = 2 * maxLabel + 1;
  const logp = workspace.subarray(0, steps * classes);
  const alpha = workspace.subarray(steps * classes, steps * classes + steps * width);
  const beta = workspace.subarray(steps * classes + steps * width, steps * classes + 2 * steps * width);
  grad.fill(0);
  for (let n = 0; n < batch; n++) {
    const T = dataLengths ? Math.min(Math.max(Math.trunc(dataLengths[n]!), 0), steps) : steps;
    const S = 2 * labelLength(label, n, q, labelLengths) + 1;
    const z = (s: number) => (s % 2 === 0 ? blank : Math.trunc(label[n * maxLabel + (s - 1) / 2]!));
    const skips = (s: number) => s >= 2 && z(s) !== blank && z(s) !== z(s - 2);
    for (let t = 0; t < T; t++) {
      const row = (t * batch + n) * classes;
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, data[row + c]!);
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(data[row + c]! - max);
      const logSum = max + Math.log(sum);
      for (let c = 0; c < classes; c++) logp[t * classes + c] = data[row + c]! - logSum;
    }
    for (let t = 0; t < T; t++) {
      for (let s = 0; s < S; s++) {
        let a: number;
        if (t === 0) a = s < 2 ? 0 : -Infinity;
        else {
          a = alpha[(t - 1) * width + s]!;
          if (s >= 1) a = logAdd(a, alpha[(t - 1) * width + s - 1]!);
          if (skips(s)) a = logAdd(a, alpha[(t - 1) * width + s - 2]!);
        }
        alpha[t * width + s] = a + logp[t * classes + z(s)]!;
      }
    }
    for (let t = T - 1; t >= 0; t--) {
      for (let s = S - 1; s >= 0; s--) {
        let b: number;
        if (t === T - 1) b = s >= S - 2 ? 0 : -Infinity;
        else {
          b = beta[(t + 1) * width + s]!;
          if (s + 1 < S) b = logAdd(b, beta[(t + 1) * width + s + 1]!);
          if (s + 2 < S && skips(s + 2)) b = logAdd(b, beta[(t + 1) * width + s + 2]!);
        }
        beta[t * width + s] = b + logp[t * classes + z(s)]!;
      }
    }
    const logP = T === 0 ? -Infinity : logAdd(alpha[(T - 1) * width + S - 1]!, S > 1 ? alpha[(T - 1) * width + S - 2]! : -Infinity);
    loss[n] = -logP;
    if (logP === -Infinity) continue;
    for (let t = 0; t < T; t++) {
      const row = (t * batch + n) * classes;
      for (let c = 0; c < classes; c++) grad[row + c] = Math.exp(logp[t * classes + c]!);
      for (let s = 0; s < S; s++) {
        const c = z(s);
        grad[row + c]! -= Math.exp(alpha[t * width + s]! + beta[t * width + s]! - logp[t * classes + c]! - logP);
      }
    }
  }
}

/** dx (req)= head[n] * grad[t, n, c]. */
function ctcLossBackward(grad: Float32Array, head: Float32Array, steps: number, batch: number, classes: number, dx: Float32Array, req: 'write' | 'add' | 'null'): void {
  if (req === 'null') return;
  for (let t = 0; t < steps; t++) {
    for (let n = 0; n < batch; n++) {
      for (let c = 0; c < classes; c++) {
        const i = (t * batch + n) * classes + c;
        const v = head[n]! * grad[i]!;
        dx[i] = req === 'add' ? dx[i]! + v : v;
      }
    }
  }
}

export const layersCtcKernels = { ctcLoss, ctcLossBackward };
