/**
 * RNN parameters (MXNet `rnn-inl.h` RNNParam) and the layout every RNN buffer follows: the packed
 * parameter vector (MXNet's, so files trained in MXNet load), the reserve the forward leaves for
 * the backward, and the workspace.
 *
 * Packed parameters: all weights first, per layer, per direction (l0, r0, l1, r1, ...): i2h weight
 * (G*H, layer input), h2h weight (G*H, R), and with projection h2r weight (P, H); then all biases,
 * per layer, per direction: i2h bias (G*H), h2h bias (G*H). Gates in MXNet's order (LSTM i, f, g, o;
 * GRU r, z, n). R = projection_size ?? state_size; layer l > 0 reads D*R features.
 */
import type { Shape } from '../../base/shape';
import type { RnnCell, RnnClip, RnnMode } from '../../backend/reference/rnn_cells';
import { ParamError } from '../../base/errors';
import { bool, enumOf, float, int, optional, ParamsOf } from '../params';

export const RNN_PARAMS = {
  state_size: int({ doc: 'size of the hidden state of each layer (required)', min: 1 }),
  num_layers: int({ doc: 'number of stacked layers (required)', min: 1 }),
  bidirectional: bool({ doc: 'run a second, reversed direction per layer and join the outputs', default: false }),
  mode: enumOf({ doc: 'the recurrent cell (required)', values: ['rnn_relu', 'rnn_tanh', 'lstm', 'gru'] }),
  p: float({ doc: 'dropout rate on the outputs of each layer but the last, while training', default: 0, min: 0, max: 1 }),
  state_outputs: bool({ doc: 'also output the final states (hy, and cy for lstm)', default: false }),
  projection_size: optional(int({ doc: 'LSTMP: project the hidden state to this size', min: 1 })),
  lstm_state_clip_min: optional(float({ doc: 'lower clip of the LSTM cell state (with lstm_state_clip_max)' })),
  lstm_state_clip_max: optional(float({ doc: 'upper clip of the LSTM cell state (with lstm_state_clip_min)' })),
  lstm_state_clip_nan: bool({ doc: 'clip NaN cell states to the clip minimum instead of propagating them', default: false }),
  use_sequence_length: bool({ doc: 'read each sequence\'s length from the sequence_length input', default: false }),
};
export type RnnParams = ParamsOf<typeof RNN_PARAMS>;

export const GATES: Readonly<Record<RnnMode, number>> = { rnn_relu: 1, rnn_tanh: 1, lstm: 4, gru: 3 };

/** Cross-parameter rules (cuDNN's, the only MXNet backend with projection and clipping). */
export function checkRnnParams(p: RnnParams, site: { readonly op: string; readonly node?: string }): void {
  const fail = (argument: string, problem: string): never => {
    throw new ParamError({ op: site.op, node: site.node, argument }, problem);
  };
  if (p.p >= 1) fail('p', `must be in [0, 1): the dropout rate ${p.p} would drop every output`);
  if (p.projection_size !== null) {
    if (p.mode !== 'lstm') fail('projection_size', `is supported only with mode 'lstm', got mode '${p.mode}'`);
    if (p.projection_size > p.state_size) fail('projection_size', `(${p.projection_size}) must not exceed state_size (${p.state_size})`);
  }
  const clipMin = p.lstm_state_clip_min;
  const clipMax = p.lstm_state_clip_max;
  if (clipMin !== null || clipMax !== null) {
    if (p.mode !== 'lstm') fail(clipMin !== null ? 'lstm_state_clip_min' : 'lstm_state_clip_max', `is supported only with mode 'lstm', got mode '${p.mode}'`);
    if (clipMin === null || clipMax === null) fail(clipMin === null ? 'lstm_state_clip_min' : 'lstm_state_clip_max', 'must be given together with ' + (clipMin === null ? 'lstm_state_clip_max' : 'lstm_state_clip_min'));
    if (clipMax! < clipMin!) fail('lstm_state_clip_max', `(${clipMax}) must be >= lstm_state_clip_min (${clipMin})`);
  }
}

export interface RnnSizes {
  readonly L: number;
  readonly D: number;
  readonly G: number;
  readonly H: number;
  /** Projection size, 0 without projection. */
  readonly P: number;
  /** Recurrent state and per-direction output width: P or H. */
  readonly R: number;
}

export function sizesOf(p: RnnParams): RnnSizes {
  const P = p.projection_size ?? 0;
  return { L: p.num_layers, D: p.bidirectional ? 2 : 1, G: GATES[p.mode], H: p.state_size, P, R: P || p.state_size };
}

/** Length of the packed parameter vector (MXNet's GetRnnParamSize). */
export function paramSize(p: RnnParams, inputSize: number): number {
  const { L, D, G, H, P, R } = sizesOf(p);
  let size = 0;
  for (let l = 0; l < L; l++) size += D * (G * H * ((l === 0 ? inputSize : D * R) + R + 2) + P * H);
  return size;
}

export interface RnnGeometry extends RnnSizes {
  readonly T: number;
  readonly N: number;
  readonly I: number;
  /** Whether layers > 0 read a dropped-out copy (p > 0): reserve then holds masks and those copies. */
  readonly dropout: boolean;
  /** By layer * D + direction: the cell, and its i2h, h2h, h2r (-1 without projection) weight offsets. */
  readonly cells: readonly RnnCell[];
  readonly wx: readonly number[];
  readonly wh: readonly number[];
  readonly wr: readonly number[];
  /** By layer: reserve offsets of its output Y (T, N, D*R), and of the mask and dropped copy it feeds the next layer (-1 for the last). */
  readonly y: readonly number[];
  readonly mask: readonly number[];
  readonly dropped: readonly number[];
  readonly reserveSize: number;
  /** Workspace: one step's projected state (N, P); d layer outputs, ping-pong (T, N, D*R) each. */
  readonly rStep: number;
  readonly dyA: number;
  readonly dyB: number;
  readonly workspaceSize: number;
}

/** The layout for (params, data shape): the RNN op's state, made once per bound node. */
export function rnnGeometry(p: RnnParams, data: Shape): RnnGeometry {
  const sizes = sizesOf(p);
  const { L, D, G, H, P, R } = sizes;
  const [T, N, I] = data as [number, number, number];
  const GH = G * H;
  const dropout = p.p > 0 && L > 1;
  const clip: RnnClip | null = p.lstm_state_clip_min !== null && p.lstm_state_clip_max !== null
    ? { min: p.lstm_state_clip_min, max: p.lstm_state_clip_max, nan: p.lstm_state_clip_nan } : null;
  // Workspace: shared by every layer-direction (they run one after another).
  let ws = 0;
  const take = (n: number) => (ws += n) - n;
  const xw = take(T * N * GH), hw = take(N * GH), h = take(N * R), c = take(N * H), hNew = take(N * H), rStep = take(N * P);
  const dgx = take(T * N * GH), dgh = take(N * GH), dNew = take(N * H), dh = take(N * R), dc = take(N * H);
  const hPrev = take(N * R), cPrev = take(N * H), dhPrev = take(N * R), dyA = take(T * N * D * R), dyB = take(T * N * D * R);
  let rs = 0;
  const store = (n: number) => (rs += n) - n;
  let w = 0;
  let bias = 0;
  for (let l = 0; l < L; l++) bias += D * (GH * ((l === 0 ? I : D * R) + R) + P * H);
  const cells: RnnCell[] = [];
  const wx: number[] = [], wh: number[] = [], wr: number[] = [], y: number[] = [], mask: number[] = [], dropped: number[] = [];
  for (let l = 0; l < L; l++) {
    const input = l === 0 ? I : D * R;
    for (let d = 0; d < D; d++) {
      wx.push(w);
      wh.push(w + GH * input);
      wr.push(P ? w + GH * (input + R) : -1);
      w += GH * (input + R) + P * H;
      const gateStore = store(T * N * GH);
      const extraStore = p.mode === 'lstm' || p.mode === 'gru' ? store(T * N * H) : 0;
      const mStore = P ? store(T * N * H) : -1;
      cells.push({
        mode: p.mode, gates: G, steps: T, batch: N, hidden: H, width: R, reverse: d === 1, clip,
        bx: bias, bh: bias + GH, xw, hw, h, c, hNew, gateStore, extraStore, mStore, dgx, dgh, dNew, dh, dc, hPrev, cPrev, dhPrev,
      });
      bias += 2 * GH;
    }
    y.push(store(T * N * D * R));
    mask.push(dropout && l < L - 1 ? store(T * N * D * R) : -1);
    dropped.push(dropout && l < L - 1 ? store(T * N * D * R) : -1);
  }
  return { ...sizes, T, N, I, dropout, cells, wx, wh, wr, y, mask, dropped, reserveSize: rs, rStep, dyA, dyB, workspaceSize: ws };
}
