/**
 * The RNN forward through time: per layer, per direction, one GEMM for every step's input
 * projection, then per step a GEMM with the running state and the cell kernel. Everything the
 * backward needs stays in the reserve (the op's hidden last output).
 */
import type { Kernels } from '../../backend/backend';
import { fillUniform } from '../../base/random';
import type { Req, Tensor } from '../types';
import type { RnnGeometry, RnnParams } from './geometry';

/** The op's inputs by role (state_cell and sequence_length only when present). */
export interface RnnInputs {
  readonly x: Tensor;
  readonly w: Tensor;
  readonly hx: Tensor;
  readonly cx: Tensor | null;
  readonly lengths: Float32Array | null;
}

export function rnnInputs(p: RnnParams, inputs: readonly Tensor[]): RnnInputs {
  const lstm = p.mode === 'lstm';
  return {
    x: inputs[0]!,
    w: inputs[1]!,
    hx: inputs[2]!,
    cx: lstm ? inputs[3]! : null,
    lengths: p.use_sequence_length ? inputs[lstm ? 4 : 3]!.data : null,
  };
}

/** Layer l's input: the data, the previous layer's output, or its dropped-out copy. */
export function layerInput(g: RnnGeometry, l: number, x: Float32Array, reserve: Float32Array): { data: Float32Array; offset: number; width: number } {
  if (l === 0) return { data: x, offset: 0, width: g.I };
  return { data: reserve, offset: g.dropout ? g.dropped[l - 1]! : g.y[l - 1]!, width: g.D * g.R };
}

export function rnnForward(p: RnnParams, g: RnnGeometry, inputs: readonly Tensor[], outputs: readonly Tensor[], req: readonly Req[], isTrain: boolean, ws: Float32Array, k: Kernels): void {
  const { x, w, hx, cx, lengths } = rnnInputs(p, inputs);
  const { L, D, T, N, H, G, P, R } = g;
  const GH = G * H;
  const reserve = outputs[outputs.length - 1]!.data;
  const hy = p.state_outputs ? outputs[1]! : null;
  const cy = p.state_outputs && cx ? outputs[2]! : null;
  for (let l = 0; l < L; l++) {
    const input = layerInput(g, l, x.data, reserve);
    for (let d = 0; d < D; d++) {
      const ld = l * D + d;
      const cell = g.cells[ld]!;
      k.gemm(false, true, T * N, GH, input.width, 1, input.data, input.width, input.offset, w.data, input.width, g.wx[ld]!, 0, ws, GH, cell.xw);
      k.rnnCopy(hx.data, ld * N * R, ws, cell.h, N * R, 'write');
      if (cx) k.rnnCopy(cx.data, ld * N * H, ws, cell.c, N * H, 'write');
      for (let s = 0; s < T; s++) {
        const t = cell.reverse ? T - 1 - s : s;
        k.gemm(false, true, N, GH, R, 1, ws, R, cell.h, w.data, R, g.wh[ld]!, 0, ws, GH, cell.hw);
        k.rnnCellForward(cell, t, lengths, w.data, ws, reserve);
        // LSTMP: the state carried and output is the projection r = Wr . (o * tanh(c)).
        if (P) k.gemm(false, true, N, P, H, 1, ws, H, cell.hNew, w.data, H, g.wr[ld]!, 0, ws, P, g.rStep);
        k.rnnCommitStep(cell, t, lengths, ws, P ? g.rStep : cell.hNew, ws, reserve, g.y[l]! + d * R, D * R);
      }
      if (hy) k.rnnCopy(ws, cell.h, hy.data, ld * N * R, N * R, req[1]!);
      if (cy) k.rnnCopy(ws, cell.c, cy.data, ld * N * H, N * H, req[2]!);
    }
    if (g.mask[l]! >= 0) {
      const size = T * N * D * R;
      const mask = g.mask[l]!;
      if (isTrain) {
        fillUniform(reserve.subarray(mask, mask + size), 0, 1);
        k.rnnDropoutMask(reserve, mask, size, 1 - p.p);
      } else {
        k.fillConstant(reserve.subarray(mask, mask + size), 1, 'write');
      }
      k.rnnScale(reserve, g.y[l]!, reserve, mask, reserve, g.dropped[l]!, size);
    }
  }
  k.rnnCopy(reserve, g.y[L - 1]!, outputs[0]!.data, 0, T * N * D * R, req[0]!);
}
