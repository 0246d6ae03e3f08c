/**
 * `CTCLoss` (aliases `ctc_loss`, `_contrib_CTCLoss`, `_contrib_ctc_loss`; MXNet `nn/ctc_loss-inl.h`):
 * connectionist temporal classification loss over unnormalized activations (T, N, C).
 */
import { shapeToString } from '../../base/shape';
import { bool, enumOf, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { Tensor } from '../types';

const PARAMS = {
  use_data_lengths: bool({ doc: 'read each sequence\'s length from the data_lengths input; otherwise all T steps', default: false }),
  use_label_lengths: bool({ doc: 'read label lengths from the label_lengths input; otherwise a label ends at the first padding value', default: false }),
  blank_label: enumOf({ doc: 'first: class 0 is blank and labels pad with 0; last: class C-1 is blank and labels pad with -1', values: ['first', 'last'], default: 'first' }),
};
type Params = ParamsOf<typeof PARAMS>;

function inputNames(p: Params): string[] {
  return ['data', 'label', ...(p.use_data_lengths ? ['data_lengths'] : []), ...(p.use_label_lengths ? ['label_lengths'] : [])];
}

function lengthInputs(p: Params, inputs: readonly Tensor[]): { dataLengths: Float32Array | null; labelLengths: Float32Array | null } {
  return {
    dataLengths: p.use_data_lengths ? inputs[2]!.data : null,
    labelLengths: p.use_label_lengths ? inputs[p.use_data_lengths ? 3 : 2]!.data : null,
  };
}

export const ctcLossOp = defineOp({
  name: 'CTCLoss',
  aliases: ['ctc_loss', '_contrib_CTCLoss', '_contrib_ctc_loss'],
  doc: [
    'data (T, N, C) activations (softmax applied inside), label (N, L) class indices. out[n] = -log sum over alignments',
    'of prod_t softmax(data[t, n])[path_t], paths collapsing (repeats merged, blanks dropped) to label n. The hidden',
    'second output holds d out[n] / d data (softmax - posterior of each class), 0 past data_lengths[n];',
    'backward: d data = g[n] * that gradient. Lengths truncate to integers. Outputs are named output0/output1 as in',
    'MXNet 1.9.1 (its output-name attribute is misspelt, so the defaults apply). An infeasible label gives loss inf, gradient 0.',
  ].join('\n'),
  params: PARAMS,
  inputs: inputNames,
  outputs: () => ['output0', 'output1'],
  numVisibleOutputs: () => 1,
  inferShape: (p, inputs, _outputs, site) => {
    const names = inputNames(p);
    const [data, label] = inputs;
    if (data && data.length !== 3) site.fail('data', `shape ${shapeToString(data)} must be 3-d (steps, batch, classes)`, 3, data.length);
    if (label && label.length !== 2) site.fail('label', `shape ${shapeToString(label)} must be 2-d (batch, label length)`, 2, label.length);
    if (data && label && data[1] !== label[0]) site.fail('label', `shape ${shapeToString(label)} has batch ${label[0]}, data ${shapeToString(data)} has ${data[1]}`, data[1], label[0]);
    if (data && label && label[1]! > data[0]!) site.fail('label', `length ${label[1]} exceeds the ${data[0]} steps of data ${shapeToString(data)}`, data[0], label[1]);
    const batch = data?.[1] ?? label?.[0];
    const lengths = names.slice(2).map((name, i) => {
      const given = inputs[2 + i] ?? null;
      if (given && (given.length !== 1 || (batch !== undefined && given[0] !== batch))) site.fail(name, `shape ${shapeToString(given)} must be (${batch ?? 'batch'},)`, [batch], given);
      return given ?? (batch === undefined ? null : [batch]);
    });
    return { inputs: [data ?? null, label ?? null, ...lengths], outputs: [batch === undefined ? null : [batch], data ?? null] };
  },
  // One sequence at a time: its log-softmax (T*C), alphas and betas (T*S each, S = 2L+1).
  workspace: (_p, [data, label]) => data![0]! * data![2]! + 2 * data![0]! * (2 * label![1]! + 1),
  forward: (p, inputs, [loss, grad], _req, ctx) => {
    const [data, label] = inputs;
    const [steps, batch, classes] = data!.shape as [number, number, number];
    const { dataLengths, labelLengths } = lengthInputs(p, inputs);
    const blankFirst = p.blank_label === 'first';
    const sequences = { steps, batch, classes, maxLabel: label!.shape[1]!, blank: blankFirst ? 0 : classes - 1, padding: blankFirst ? 0 : -1 };
    ctx.kernels.ctcLoss(data!.data, label!.data, dataLengths, labelLengths, sequences, loss!.data, grad!.data, ctx.workspace);
  },
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i === 0,
    compute: (_p, { outputs: [, grad], outGrads: [head] }, [dx], [req], ctx) => {
      if (!dx) return;
      const [steps, batch, classes] = dx.shape as [number, number, number];
      ctx.kernels.ctcLossBackward(grad!.data, head!.data, steps, batch, classes, dx.data, req!);
    },
  },
});
