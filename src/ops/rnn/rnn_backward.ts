/**
 * The RNN backward through time, from the last layer down: per direction, the steps in the
 * reverse of their forward order, then one GEMM each for the input weights' gradient and the
 * layer input's. Gradients reach data, parameters, state and state_cell.
 */
import type { Kernels } from '../../backend/backend';
import type { BackwardIO, Req, Tensor } from '../types';
import type { RnnGeometry, RnnParams } from './geometry';
import { layerInput, rnnInputs } from './rnn_forward';

export function rnnBackward(p: RnnParams, g: RnnGeometry, io: BackwardIO, inGrads: readonly (Tensor | null)[], req: readonly Req[], ws: Float32Array, k: Kernels): void {
  const { x, w, hx, cx, lengths } = rnnInputs(p, io.inputs);
  const { L, D, T, N, H, G, P, R } = g;
  const GH = G * H;
  const reserve = io.outputs[io.outputs.length - 1]!.data;
  const gradOf = (i: number) => (req[i] === 'null' ? null : inGrads[i] ?? null);
  const dx = gradOf(0);
  const dw = gradOf(1);
  const dhx = gradOf(2);
  const dcx = cx ? gradOf(3) : null;
  const dhy = p.state_outputs ? io.outGrads[1]!.data : null;
  const dcy = p.state_outputs && cx ? io.outGrads[2]!.data : null;
  if (dw && req[1] === 'write') k.fillConstant(dw.data, 0, 'write');
  const dwData = dw ? dw.data : null;
  // d layer output: the head gradient for the last layer, then ping-pong buffers in the workspace.
  let dy = io.outGrads[0]!.data;
  let dyOff = 0;
  let spare = g.dyA;
  for (let l = L - 1; l >= 0; l--) {
    const input = layerInput(g, l, x.data, reserve);
    // Where d(layer input) goes: the data gradient for layer 0, else the spare buffer.
    const target = l === 0 ? (dx ? dx.data : null) : ws;
    const targetOff = l === 0 ? 0 : spare;
    for (let d = 0; d < D; d++) {
      const ld = l * D + d;
      const cell = g.cells[ld]!;
      if (dhy) k.rnnCopy(dhy, ld * N * R, ws, cell.dh, N * R, 'write');
      else k.fillConstant(ws.subarray(cell.dh, cell.dh + N * R), 0, 'write');
      if (cx) {
        if (dcy) k.rnnCopy(dcy, ld * N * H, ws, cell.dc, N * H, 'write');
        else k.fillConstant(ws.subarray(cell.dc, cell.dc + N * H), 0, 'write');
      }
      for (let s = 0; s < T; s++) {
        const t = cell.reverse ? s : T - 1 - s;
        if (P) {
          // LSTMP: dr = dh + dy; d(o * tanh c) = dr . Wr; dWr += dr^T . m_t.
          k.rnnStepGrad(cell, t, lengths, ws, dy, dyOff + d * R, D * R, g.rStep);
          k.gemm(false, false, N, H, P, 1, ws, P, g.rStep, w.data, H, g.wr[ld]!, 0, ws, H, cell.dNew);
          if (dwData) k.gemm(true, false, P, H, N, 1, ws, P, g.rStep, reserve, H, cell.mStore + t * N * H, 1, dwData, H, g.wr[ld]!);
        } else {
          k.rnnStepGrad(cell, t, lengths, ws, dy, dyOff + d * R, D * R, cell.dNew);
        }
        k.rnnGatherPrev(cell, t, lengths, hx.data, ld * N * R, reserve, g.y[l]! + d * R, D * R, R, ws, cell.hPrev);
        if (cx) k.rnnGatherPrev(cell, t, lengths, cx.data, ld * N * H, reserve, cell.extraStore, H, H, ws, cell.cPrev);
        k.rnnCellBackward(cell, t, lengths, reserve, ws, dwData);
        k.gemm(false, false, N, R, GH, 1, ws, GH, cell.dgh, w.data, R, g.wh[ld]!, 1, ws, R, cell.dhPrev);
        k.rnnCommitGrad(cell, t, lengths, ws);
        if (dwData) k.gemm(true, false, GH, R, N, 1, ws, GH, cell.dgh, ws, R, cell.hPrev, 1, dwData, R, g.wh[ld]!);
      }
      if (dwData) k.gemm(true, false, GH, input.width, T * N, 1, ws, GH, cell.dgx, input.data, input.width, input.offset, 1, dwData, input.width, g.wx[ld]!);
      if (target) {
        const beta = d === 1 || (l === 0 && req[0] === 'add') ? 1 : 0;
        k.gemm(false, false, T * N, input.width, GH, 1, ws, GH, cell.dgx, w.data, input.width, g.wx[ld]!, beta, target, input.width, targetOff);
      }
      if (dhx) k.rnnCopy(ws, cell.dh, dhx.data, ld * N * R, N * R, req[2]!);
      if (dcx) k.rnnCopy(ws, cell.dc, dcx.data, ld * N * H, N * H, req[3]!);
    }
    if (l > 0) {
      // The layer below's output gradient: d(dropped copy) times the mask, or as it is.
      if (g.mask[l - 1]! >= 0) k.rnnScale(ws, spare, reserve, g.mask[l - 1]!, ws, spare, T * N * D * R);
      dy = ws;
      dyOff = spare;
      spare = spare === g.dyA ? g.dyB : g.dyA;
    }
  }
}
