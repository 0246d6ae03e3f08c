/**
 * A float64 reference for RNN written independently of src: named per-layer matrices as gluon's
 * rnn_layer.py creates them (`l0_i2h_weight`, `r1_h2h_bias`, ...), packed in the order gluon's
 * `_forward_kernel` concatenates them, and a per-entry, per-step loop with the gate formulas of
 * MXNet's RNN docstring.
 */
import * as mx from 'mxts';

export type Mode = 'rnn_relu' | 'rnn_tanh' | 'lstm' | 'gru';

export interface RnnConfig {
  mode: Mode;
  layers: number;
  bidirectional: boolean;
  hidden: number;
  input: number;
  projection?: number;
  clip?: { min: number; max: number };
}

const GATE_COUNT: Record<Mode, number> = { rnn_relu: 1, rnn_tanh: 1, lstm: 4, gru: 3 };

/** gluon's parameter names and shapes: per layer, per direction ('l' then 'r'). */
export function gluonParamShapes(c: RnnConfig): [string, number[]][] {
  const ng = GATE_COUNT[c.mode];
  const nh = c.hidden;
  const nr = c.projection ?? nh;
  const shapes: [string, number[]][] = [];
  let ni = c.input;
  for (let i = 0; i < c.layers; i++) {
    for (const j of c.bidirectional ? ['l', 'r'] : ['l']) {
      shapes.push([`${j}${i}_i2h_weight`, [ng * nh, ni]], [`${j}${i}_h2h_weight`, [ng * nh, nr]]);
      if (c.projection) shapes.push([`${j}${i}_h2r_weight`, [nr, nh]]);
      shapes.push([`${j}${i}_i2h_bias`, [ng * nh]], [`${j}${i}_h2h_bias`, [ng * nh]]);
    }
    ni = nr * (c.bidirectional ? 2 : 1);
  }
  return shapes;
}

/** gluon 1.9.1 `_forward_kernel`: for t in (weight, bias), for layer, for direction, for g in (i2h, h2h[, h2r]). */
export function gluonPackOrder(c: RnnConfig): string[] {
  const names: string[] = [];
  for (const t of ['weight', 'bias']) {
    for (let l = 0; l < c.layers; l++) {
      for (const d of c.bidirectional ? ['l', 'r'] : ['l']) {
        for (const g of c.projection && t === 'weight' ? ['i2h', 'h2h', 'h2r'] : ['i2h', 'h2h']) names.push(`${d}${l}_${g}_${t}`);
      }
    }
  }
  return names;
}

export type Named = Record<string, mx.NDArray>;

export function randomNamed(c: RnnConfig, scale = 0.5): Named {
  return Object.fromEntries(gluonParamShapes(c).map(([name, shape]) => [name, mx.nd.random.uniform(-scale, scale, shape)]));
}

export function pack(c: RnnConfig, named: Named): mx.NDArray {
  const values: number[] = [];
  for (const name of gluonPackOrder(c)) values.push(...named[name]!.data);
  return mx.nd.array(values);
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

export interface RnnResult {
  out: number[];
  hy: number[];
  cy: number[];
}

/** Runs the stacked network in float64 on (T, N, I) data; lengths limit each entry's steps (cuDNN semantics). */
export function referenceRnn(c: RnnConfig, x: mx.NDArray, named: Named, hx: mx.NDArray, cx: mx.NDArray | null, lengths?: number[]): RnnResult {
  const [T, N] = x.shape as [number, number, number];
  const H = c.hidden;
  const R = c.projection ?? H;
  const D = c.bidirectional ? 2 : 1;
  let input = Array.from(x.data);
  let width = c.input;
  const hy: number[] = new Array(c.layers * D * N * R).fill(0);
  const cy: number[] = new Array(c.layers * D * N * H).fill(0);
  for (let l = 0; l < c.layers; l++) {
    const out: number[] = new Array(T * N * D * R).fill(0);
    for (let d = 0; d < D; d++) {
      const p = (g: string) => Array.from(named[`${d ? 'r' : 'l'}${l}_${g}`]!.data);
      const [W, U, bW, bU] = [p('i2h_weight'), p('h2h_weight'), p('i2h_bias'), p('h2h_bias')];
      const Wr = c.projection ? p('h2r_weight') : null;
      const state = l * D + d;
      for (let b = 0; b < N; b++) {
        const len = lengths ? lengths[b]! : T;
        let h = Array.from({ length: R }, (_, k) => hx.data[(state * N + b) * R + k]!);
        let cell = cx ? Array.from({ length: H }, (_, k) => cx.data[(state * N + b) * H + k]!) : [];
        for (let s = 0; s < len; s++) {
          const t = d ? len - 1 - s : s;
          const xt = input.slice((t * N + b) * width, (t * N + b + 1) * width);
          const wx = (row: number) => bW[row]! + xt.reduce((sum, v, j) => sum + W[row * width + j]! * v, 0);
          const uh = (row: number) => bU[row]! + h.reduce((sum, v, j) => sum + U[row * R + j]! * v, 0);
          let next: number[];
          if (c.mode === 'rnn_relu' || c.mode === 'rnn_tanh') {
            next = Array.from({ length: H }, (_, k) => {
              const a = wx(k) + uh(k);
              return c.mode === 'rnn_relu' ? Math.max(a, 0) : Math.tanh(a);
            });
          } else if (c.mode === 'lstm') {
            const m: number[] = [];
            cell = cell.map((cPrev, k) => {
              const i = sigmoid(wx(k) + uh(k));
              const f = sigmoid(wx(H + k) + uh(H + k));
              const g = Math.tanh(wx(2 * H + k) + uh(2 * H + k));
              const o = sigmoid(wx(3 * H + k) + uh(3 * H + k));
              let cNew = f * cPrev + i * g;
              if (c.clip) cNew = Math.min(Math.max(cNew, c.clip.min), c.clip.max);
              m.push(o * Math.tanh(cNew));
              return cNew;
            });
            next = Wr ? Array.from({ length: R }, (_, q) => m.reduce((sum, v, k) => sum + Wr[q * H + k]! * v, 0)) : m;
          } else {
            next = Array.from({ length: H }, (_, k) => {
              const r = sigmoid(wx(k) + uh(k));
              const z = sigmoid(wx(H + k) + uh(H + k));
              const n = Math.tanh(wx(2 * H + k) + r * uh(2 * H + k));
              return (1 - z) * n + z * h[k]!;
            });
          }
          h = next;
          for (let k = 0; k < R; k++) out[(t * N + b) * D * R + d * R + k] = h[k]!;
        }
        for (let k = 0; k < R; k++) hy[(state * N + b) * R + k] = h[k]!;
        for (let k = 0; k < cell.length; k++) cy[(state * N + b) * H + k] = cell[k]!;
      }
    }
    input = out;
    width = D * R;
  }
  return { out: input, hy, cy };
}
