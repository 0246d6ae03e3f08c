/**
 * `RNN` (MXNet `rnn.cc`, `rnn-inl.h`, `rnn_impl.h`): stacked, optionally bidirectional vanilla RNN
 * (relu/tanh), LSTM (optionally projected, LSTMP, and cell-clipped) and GRU layers over (T, N, I)
 * data, with the weights in one packed vector (layout in geometry.ts).
 */
import { shapeToString } from '../../base/shape';
import { defineOp } from '../registry';
import type { InferredShapes, MaybeShape, ShapeSite } from '../types';
import { checkRnnParams, paramSize, RNN_PARAMS, rnnGeometry, RnnParams, sizesOf } from './geometry';
import { rnnBackward } from './rnn_backward';
import { rnnForward } from './rnn_forward';

function inputNames(p: RnnParams): string[] {
  const names = ['data', 'parameters', 'state'];
  if (p.mode === 'lstm') names.push('state_cell');
  if (p.use_sequence_length) names.push('sequence_length');
  return names;
}

function visibleOutputs(p: RnnParams): string[] {
  if (!p.state_outputs) return ['output'];
  return p.mode === 'lstm' ? ['output', 'state_output', 'statecell_output'] : ['output', 'state_output'];
}

function inferShape(p: RnnParams, inputs: readonly MaybeShape[], outputs: readonly MaybeShape[], site: ShapeSite): InferredShapes {
  checkRnnParams(p, site);
  const data = inputs[0] ?? null;
  if (!data) return { inputs, outputs };
  if (data.length !== 3) site.fail('data', `shape ${shapeToString(data)} must have 3 axes (sequence length, batch size, input size)`, 3, data.length);
  const [T, N, I] = data as [number, number, number];
  const { L, D, H, R } = sizesOf(p);
  const size = paramSize(p, I);
  const given = inputs[1] ?? null;
  if (given && (given.length !== 1 || given[0] !== size)) {
    site.fail('parameters', `shape ${shapeToString(given)} does not match [${size}]: mode ${p.mode} with ${L} layer(s), ${D} direction(s), input size ${I} and state size ${H}${p.projection_size !== null ? ` (projection ${p.projection_size})` : ''} packs ${size} values`, [size], given);
  }
  const shapes: MaybeShape[] = [data, [size], [L * D, N, R]];
  if (p.mode === 'lstm') shapes.push([L * D, N, H]);
  if (p.use_sequence_length) shapes.push([N]);
  const outs: MaybeShape[] = [[T, N, D * R]];
  if (p.state_outputs) {
    outs.push([L * D, N, R]);
    if (p.mode === 'lstm') outs.push([L * D, N, H]);
  }
  outs.push([rnnGeometry(p, data).reserveSize]);
  return { inputs: shapes, outputs: outs };
}

export const rnnOp = defineOp({
  name: 'RNN',
  aliases: ['_npx_rnn'],
  doc: [
    'Per layer and direction (the reverse one runs t = T-1..0), from h_{-1} = state, c_{-1} = state_cell:',
    'rnn_relu/rnn_tanh h_t = act(Wx x_t + bx + Wh h_{t-1} + bh); lstm i,f,o = sigmoid(.), g = tanh(.), c_t = f c_{t-1} + i g',
    '(clipped to [lstm_state_clip_min, max] when given), h_t = o tanh(c_t) (LSTMP: h_t = Wr (o tanh c_t)); gru r,z = sigmoid(.),',
    'n = tanh(Wx_n x_t + bx_n + r (Wh_n h_{t-1} + bh_n)), h_t = (1-z) n + z h_{t-1}. Layer l > 0 reads the directions\' outputs joined',
    '(dropout p between layers while training). output = last layer\'s h (T, N, D*R); state_output/statecell_output the final states.',
    'With sequence_length, entry b runs steps t < length[b] only (outputs 0 past it; final states at its own last step), as cuDNN.',
    'Backward through time to data, parameters, state and state_cell; the hidden `reserve` output keeps gates and states.',
  ].join('\n'),
  params: RNN_PARAMS,
  inputs: inputNames,
  outputs: (p) => [...visibleOutputs(p), 'reserve'],
  numVisibleOutputs: (p) => visibleOutputs(p).length,
  // MXNet keeps the reserve in the op's state, not as a graph output.
  numGraphOutputs: (p) => visibleOutputs(p).length,
  inferShape,
  workspace: (p, [data]) => rnnGeometry(p, data!).workspaceSize,
  createState: (p, [data]) => rnnGeometry(p, data!),
  forward: (p, inputs, outputs, req, ctx) => rnnForward(p, ctx.state, inputs, outputs, req, ctx.isTrain, ctx.workspace, ctx.kernels),
  backward: {
    usesOutGrads: true,
    differentiable: (p, i) => i < (p.mode === 'lstm' ? 4 : 3),
    compute: (p, io, inGrads, req, ctx) => rnnBackward(p, ctx.state, io, inGrads, req, ctx.workspace, ctx.kernels),
  },
});
