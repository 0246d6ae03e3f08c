/**
 * Recurrent cell kernels (MXNet `rnn_impl.h`): the per-time-step, per-element gate math of one
 * layer-direction. The matrix products around them (x.Wx^T, h.Wh^T and their gradients) are GEMMs
 * the RNN op runs through the kernel table; these kernels do everything in between.
 *
 * Layouts, per time step t: gates (N, G, H) post-activation in MXNet's gate order (LSTM i, f, g, o;
 * GRU r, z, n; vanilla the new state), `extra` (N, H) (LSTM: the cell state c_t; GRU: W_hn.h + b_hn).
 * A batch entry b is active at t when t < its length (every t without sequence lengths); inactive
 * entries leave the running state alone and produce zeros, so padded steps cost nothing downstream.
 */
import type { Req } from '../../base/req';

export type RnnMode = 'rnn_relu' | 'rnn_tanh' | 'lstm' | 'gru';

export interface RnnClip {
  readonly min: number;
  readonly max: number;
  /** Clip NaN cell states to min (cuDNN's NOT_PROPAGATE_NAN) instead of propagating them. */
  readonly nan: boolean;
}

/** One layer-direction: sizes, and where its slots live (offsets into w, workspace, reserve). */
export interface RnnCell {
  readonly mode: RnnMode;
  readonly gates: number;
  readonly steps: number;
  readonly batch: number;
  readonly hidden: number;
  /** Width of the recurrent state and of this direction's output: the projection size or hidden. */
  readonly width: number;
  readonly reverse: boolean;
  readonly clip: RnnClip | null;
  /** Packed parameters: i2h and h2h biases. */
  readonly bx: number;
  readonly bh: number;
  /** Workspace: x.Wx^T for all steps (T, N, GH); h.Wh^T of this step (N, GH); running h (N, width) and c (N, H); new hidden (N, H). */
  readonly xw: number;
  readonly hw: number;
  readonly h: number;
  readonly c: number;
  readonly hNew: number;
  /** Reserve: gates (T, N, GH), extra (T, N, H), LSTMP's pre-projection states (T, N, H) or -1. */
  readonly gateStore: number;
  readonly extraStore: number;
  readonly mStore: number;
  /** Backward workspace: d gates on the input side (T, N, GH), on the hidden side for one step (N, GH), d new hidden (N, H), carried dh (N, width) and dc (N, H), h_{t-1} (N, width), c_{t-1} (N, H), dh_{t-1} being summed (N, width). */
  readonly dgx: number;
  readonly dgh: number;
  readonly dNew: number;
  readonly dh: number;
  readonly dc: number;
  readonly hPrev: number;
  readonly cPrev: number;
  readonly dhPrev: number;
}

function lengthOf(lengths: Float32Array | null, b: number, steps: number): number {
  if (!lengths) return steps;
  return Math.min(Math.max(Math.trunc(lengths[b]!), 0), steps);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function clipCell(c: number, clip: RnnClip | null): number {
  if (!clip) return c;
  if (Number.isNaN(c)) return clip.nan ? clip.min : c;
  return c < clip.min ? clip.min : c > clip.max ? clip.max : c;
}

/** Whether the clip passed the pre-clip cell value through (its gradient flows). */
function clipPasses(c: number, clip: RnnClip | null): boolean {
  return !clip || (c >= clip.min && c <= clip.max);
}

/** One step's gates from x.Wx^T (ws at xw), h.Wh^T (ws at hw) and the biases; writes the new hidden (pre-projection) to ws at hNew. */
function rnnCellForward(cell: RnnCell, t: number, lengths: Float32Array | null, w: Float32Array, ws: Float32Array, reserve: Float32Array): void {
  const { batch: N, hidden: H, gates: G } = cell;
  const GH = G * H;
  for (let b = 0; b < N; b++) {
    const active = t < lengthOf(lengths, b, cell.steps);
    const xw = cell.xw + (t * N + b) * GH;
    const hw = cell.hw + b * GH;
    const gate = cell.gateStore + (t * N + b) * GH;
    const extra = cell.extraStore + (t * N + b) * H;
    const m = cell.mStore >= 0 ? cell.mStore + (t * N + b) * H : -1;
    const hNew = cell.hNew + b * H;
    for (let k = 0; k < H; k++) {
      let out = 0;
      if (active) {
        // Pre-activation of gate q: ws[xw + q*H + k] + ws[hw + q*H + k] + both biases.
        const a0 = ws[xw + k]! + ws[hw + k]! + w[cell.bx + k]! + w[cell.bh + k]!;
        if (cell.mode === 'rnn_relu' || cell.mode === 'rnn_tanh') {
          out = cell.mode === 'rnn_relu' ? (a0 > 0 ? a0 : 0) : Math.tanh(a0);
          reserve[gate + k] = out;
        } else {
          const a1 = ws[xw + H + k]! + ws[hw + H + k]! + w[cell.bx + H + k]! + w[cell.bh + H + k]!;
          if (cell.mode === 'lstm') {
            const i = sigmoid(a0);
            const f = sigmoid(a1);
            const g = Math.tanh(ws[xw + 2 * H + k]! + ws[hw + 2 * H + k]! + w[cell.bx + 2 * H + k]! + w[cell.bh + 2 * H + k]!);
            const o = sigmoid(ws[xw + 3 * H + k]! + ws[hw + 3 * H + k]! + w[cell.bx + 3 * H + k]! + w[cell.bh + 3 * H + k]!);
            const c = clipCell(f * ws[cell.c + b * H + k]! + i * g, cell.clip);
            ws[cell.c + b * H + k] = c;
            reserve[extra + k] = c;
            reserve[gate + k] = i;
            reserve[gate + H + k] = f;
            reserve[gate + 2 * H + k] = g;
            reserve[gate + 3 * H + k] = o;
            out = o * Math.tanh(c);
          } else {
            const r = sigmoid(a0);
            const z = sigmoid(a1);
            const hn = ws[hw + 2 * H + k]! + w[cell.bh + 2 * H + k]!;
            const n = Math.tanh(ws[xw + 2 * H + k]! + w[cell.bx + 2 * H + k]! + r * hn);
            reserve[gate + k] = r;
            reserve[gate + H + k] = z;
            reserve[gate + 2 * H + k] = n;
            reserve[extra + k] = hn;
            out = (1 - z) * n + z * ws[cell.h + b * cell.width + k]!;
          }
        }
      } else {
        for (let g = 0; g < G; g++) reserve[gate + g * H + k] = 0;
        if (cell.mode === 'lstm' || cell.mode === 'gru') reserve[extra + k] = 0;
      }
      ws[hNew + k] = out;
      if (m >= 0) reserve[m + k] = out;
    }
  }
}

/** The step's state (N, width) from src: active entries update the running h and the layer output row, inactive ones output zeros. */
function rnnCommitStep(cell: RnnCell, t: number, lengths: Float32Array | null, src: Float32Array, srcOff: number, ws: Float32Array, y: Float32Array, yOff: number, yStride: number): void {
  const { batch: N, width: R } = cell;
  for (let b = 0; b < N; b++) {
    const active = t < lengthOf(lengths, b, cell.steps);
    const row = yOff + (t * N + b) * yStride;
    for (let k = 0; k < R; k++) {
      const v = active ? src[srcOff + b * R + k]! : 0;
      if (active) ws[cell.h + b * R + k] = v;
      y[row + k] = v;
    }
  }
}

/**
 * The state each entry read at step t (N, width) into dst: `init` (hx or cx rows) at the entry's
 * first step (t = 0 forward, t = length-1 reverse) or when inactive, else the sequence row of the previous step.
 */
function rnnGatherPrev(cell: RnnCell, t: number, lengths: Float32Array | null, init: Float32Array, initOff: number, seq: Float32Array, seqOff: number, seqStride: number, width: number, dst: Float32Array, dstOff: number): void {
  const N = cell.batch;
  for (let b = 0; b < N; b++) {
    const length = lengthOf(lengths, b, cell.steps);
    const first = !(t < length) || (cell.reverse ? t === length - 1 : t === 0);
    const src = first ? initOff + b * width : seqOff + ((cell.reverse ? t + 1 : t - 1) * N + b) * seqStride;
    const from = first ? init : seq;
    for (let k = 0; k < width; k++) dst[dstOff + b * width + k] = from[src + k]!;
  }
}

/** d(step output) = carried dh + the output gradient at t for active entries, 0 for the rest. */
function rnnStepGrad(cell: RnnCell, t: number, lengths: Float32Array | null, ws: Float32Array, dy: Float32Array, dyOff: number, dyStride: number, dstOff: number): void {
  const { batch: N, width: R } = cell;
  for (let b = 0; b < N; b++) {
    const active = t < lengthOf(lengths, b, cell.steps);
    const row = dyOff + (t * N + b) * dyStride;
    for (let k = 0; k < R; k++) ws[dstOff + b * R + k] = active ? ws[cell.dh + b * R + k]! + dy[row + k]! : 0;
  }
}

/**
 * Backpropagates one step through the gates: from d new hidden (ws at dNew) and the carried dc,
 * writes d gates (input side at dgx[t], hidden side at dgh), the part of dh_{t-1} that skips Wh
 * (GRU's z * dh; zero otherwise) to dhPrev, dc_{t-1} into the carried dc, and adds the bias gradients.
 */
function rnnCellBackward(cell: RnnCell, t: number, lengths: Float32Array | null, reserve: Float32Array, ws: Float32Array, dw: Float32Array | null): void {
  const { batch: N, hidden: H, gates: G } = cell;
  const GH = G * H;
  for (let b = 0; b < N; b++) {
    const active = t < lengthOf(lengths, b, cell.steps);
    const gate = cell.gateStore + (t * N + b) * GH;
    const extra = cell.extraStore + (t * N + b) * H;
    const dgx = cell.dgx + (t * N + b) * GH;
    const dgh = cell.dgh + b * GH;
    for (let k = 0; k < H; k++) {
      const dOut = ws[cell.dNew + b * H + k]!;
      let direct = 0;
      if (!active) {
        for (let g = 0; g < G; g++) ws[dgx + g * H + k] = ws[dgh + g * H + k] = 0;
      } else if (cell.mode === 'rnn_relu' || cell.mode === 'rnn_tanh') {
        const h = reserve[gate + k]!;
        const da = cell.mode === 'rnn_relu' ? (h > 0 ? dOut : 0) : dOut * (1 - h * h);
        ws[dgx + k] = ws[dgh + k] = da;
      } else if (cell.mode === 'lstm') {
        const i = reserve[gate + k]!;
        const f = reserve[gate + H + k]!;
        const g = reserve[gate + 2 * H + k]!;
        const o = reserve[gate + 3 * H + k]!;
        const cPrev = ws[cell.cPrev + b * H + k]!;
        const tc = Math.tanh(reserve[extra + k]!);
        let dc = ws[cell.dc + b * H + k]! + dOut * o * (1 - tc * tc);
        if (!clipPasses(f * cPrev + i * g, cell.clip)) dc = 0;
        const dai = dc * g * i * (1 - i);
        const daf = dc * cPrev * f * (1 - f);
        const dag = dc * i * (1 - g * g);
        const dao = dOut * tc * o * (1 - o);
        ws[dgx + k] = ws[dgh + k] = dai;
        ws[dgx + H + k] = ws[dgh + H + k] = daf;
        ws[dgx + 2 * H + k] = ws[dgh + 2 * H + k] = dag;
        ws[dgx + 3 * H + k] = ws[dgh + 3 * H + k] = dao;
        ws[cell.dc + b * H + k] = dc * f;
      } else {
        const r = reserve[gate + k]!;
        const z = reserve[gate + H + k]!;
        const n = reserve[gate + 2 * H + k]!;
        const hn = reserve[extra + k]!;
        const hPrev = ws[cell.hPrev + b * cell.width + k]!;
        const dan = dOut * (1 - z) * (1 - n * n);
        const dar = dan * hn * r * (1 - r);
        const daz = dOut * (hPrev - n) * z * (1 - z);
        direct = dOut * z;
        ws[dgx + k] = ws[dgh + k] = dar;
        ws[dgx + H + k] = ws[dgh + H + k] = daz;
        ws[dgx + 2 * H + k] = dan;
        ws[dgh + 2 * H + k] = dan * r;
      }
      if (cell.width === H) ws[cell.dhPrev + b * H + k] = direct;
      if (dw && active) {
        for (let g = 0; g < G; g++) {
          dw[cell.bx + g * H + k]! += ws[dgx + g * H + k]!;
          dw[cell.bh + g * H + k]! += ws[dgh + g * H + k]!;
        }
      }
    }
    // LSTMP: dhPrev is (N, P) and nothing skips the projection.
    if (cell.width !== H) for (let k = 0; k < cell.width; k++) ws[cell.dhPrev + b * cell.width + k] = 0;
  }
}

/** The carried dh becomes dh_{t-1} (ws at dhPrev) for active entries; inactive ones keep theirs. */
function rnnCommitGrad(cell: RnnCell, t: number, lengths: Float32Array | null, ws: Float32Array): void {
  const { batch: N, width: R } = cell;
  for (let b = 0; b < N; b++) {
    if (!(t < lengthOf(lengths, b, cell.steps))) continue;
    for (let k = 0; k < R; k++) ws[cell.dh + b * R + k] = ws[cell.dhPrev + b * R + k]!;
  }
}

/** dst[dstOff + i] (=|+=) src[srcOff + i] for i < count. */
function rnnCopy(src: Float32Array, srcOff: number, dst: Float32Array, dstOff: number, count: number, req: Req): void {
  if (req === 'write') for (let i = 0; i < count; i++) dst[dstOff + i] = src[srcOff + i]!;
  else if (req === 'add') for (let i = 0; i < count; i++) dst[dstOff + i]! += src[srcOff + i]!;
}

/** out[outOff + i] = a[aOff + i] * mask[maskOff + i] (dropout between layers, and its gradient). */
function rnnScale(a: Float32Array, aOff: number, mask: Float32Array, maskOff: number, out: Float32Array, outOff: number, count: number): void {
  for (let i = 0; i < count; i++) out[outOff + i] = a[aOff + i]! * mask[maskOff + i]!;
}

/** Turns uniform draws u in [0, 1) into the scaled dropout mask: 1/keep where u < keep, else 0. */
function rnnDropoutMask(mask: Float32Array, offset: number, count: number, keep: number): void {
  for (let i = offset; i < offset + count; i++) mask[i] = keep > 0 && mask[i]! < keep ? 1 / keep : 0;
}

export const rnnCellKernels = {
  rnnCellForward, rnnCommitStep, rnnGatherPrev, rnnStepGrad, rnnCellBackward, rnnCommitGrad, rnnCopy, rnnScale, rnnDropoutMask,
};
