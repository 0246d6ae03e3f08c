/**
 * SequenceMask, SequenceLast and SequenceReverse (MXNet `sequence_mask-inl.h`,
 * `sequence_last-inl.h`, `sequence_reverse-inl.h`): ops on padded batches of sequences, with an
 * optional `sequence_length` input (present only with use_sequence_length).
 */
import { Shape, shapeToString } from '../../base/shape';
import type { SequenceView } from '../../backend/reference/layers_sequence';
import { bool, float, int } from '../params';
import { defineOp } from '../registry';
import type { InferredShapes, MaybeShape, ShapeSite, Tensor } from '../types';

interface SequenceParams {
  readonly use_sequence_length: boolean;
  readonly axis: number;
}

const USE_LENGTH = bool({ doc: 'read each sequence\'s length from the sequence_length input; otherwise every sequence is full', default: false });

const inputNames = (p: SequenceParams) => (p.use_sequence_length ? ['data', 'sequence_length'] : ['data']);

function viewOf(p: SequenceParams, shape: Shape): SequenceView {
  const axis = p.axis === 1 ? 1 : 0;
  let rest = 1;
  for (let i = 2; i < shape.length; i++) rest *= shape[i]!;
  return { steps: shape[axis]!, batch: shape[1 - axis]!, rest, axis };
}

const lengthsOf = (p: SequenceParams, inputs: readonly Tensor[]) => (p.use_sequence_length ? inputs[1]!.data : null);

/** Checks data and the time axis, fills sequence_length (batch,), and gives the output shape. */
function sequenceShapes(p: SequenceParams, inputs: readonly MaybeShape[], site: ShapeSite, output: (data: Shape) => Shape, axes: readonly number[]): InferredShapes | null {
  const data = inputs[0] ?? null;
  if (!data) return null;
  if (!axes.includes(p.axis)) site.fail('axis', `${p.axis} is not supported: the time axis must be ${axes.join(' or ')}`, axes, p.axis);
  if (data.length < 2) site.fail('data', `shape ${shapeToString(data)} needs at least 2 axes (time and batch)`, 2, data.length);
  const batch = data[p.axis === 0 ? 1 : 0]!;
  return { inputs: p.use_sequence_length ? [data, [batch]] : [data], outputs: [output(data)] };
}

export const sequenceMaskOp = defineOp({
  name: 'SequenceMask',
  doc: [
    'out = data where the step index along axis (0 or 1) is below trunc(sequence_length[b]), `value` elsewhere;',
    'without use_sequence_length out = data. dx = g where kept, 0 where masked; sequence_length gets no gradient.',
  ].join('\n'),
  params: {
    use_sequence_length: USE_LENGTH,
    value: float({ doc: 'the value written at masked positions', default: 0 }),
    axis: int({ doc: 'the time axis, 0 (steps, batch, ...) or 1 (batch, steps, ...)', default: 0 }),
  },
  inputs: inputNames,
  outputs: () => ['output'],
  inferShape: (p, inputs, outputs, site) => sequenceShapes(p, inputs, site, (d) => d, [0, 1]) ?? { inputs, outputs },
  forward: (p, inputs, [out], [req], ctx) => ctx.kernels.sequenceMask(inputs[0]!.data, lengthsOf(p, inputs), viewOf(p, inputs[0]!.shape), p.value, out!.data, req!),
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i === 0,
    compute: (p, { inputs, outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.sequenceMask(g!.data, lengthsOf(p, inputs), viewOf(p, dx.shape), 0, dx.data, req!);
    },
  },
});

export const sequenceLastOp = defineOp({
  name: 'SequenceLast',
  doc: [
    'out[b] = data at step trunc(sequence_length[b]) - 1 along axis (0 or 1), or the last step without use_sequence_length;',
    'the output drops the time axis. dx = g at the read step, 0 elsewhere. mxts reads step 0 for a length of 0',
    '(MXNet reads out of bounds).',
  ].join('\n'),
  params: {
    use_sequence_length: USE_LENGTH,
    axis: int({ doc: 'the time axis, 0 (steps, batch, ...) or 1 (batch, steps, ...)', default: 0 }),
  },
  inputs: inputNames,
  outputs: () => ['output'],
  inferShape: (p, inputs, outputs, site) => sequenceShapes(p, inputs, site, (d) => d.filter((_, i) => i !== p.axis), [0, 1]) ?? { inputs, outputs },
  forward: (p, inputs, [out], [req], ctx) => ctx.kernels.sequenceLast(inputs[0]!.data, lengthsOf(p, inputs), viewOf(p, inputs[0]!.shape), out!.data, req!),
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i === 0,
    compute: (p, { inputs, outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.sequenceLastBackward(g!.data, lengthsOf(p, inputs), viewOf(p, dx.shape), dx.data, req!);
    },
  },
});

export const sequenceReverseOp = defineOp({
  name: 'SequenceReverse',
  doc: [
    'out[t] = data[len-1-t] for t < len = trunc(sequence_length[b]) (or all steps), out[t] = data[t] past len, along axis 0 only',
    '(as MXNet). dx = the same reversal of g; sequence_length gets no gradient.',
  ].join('\n'),
  params: {
    use_sequence_length: USE_LENGTH,
    axis: int({ doc: 'the time axis; only 0 is supported, as in MXNet', default: 0 }),
  },
  inputs: inputNames,
  outputs: () => ['output'],
  inferShape: (p, inputs, outputs, site) => sequenceShapes(p, inputs, site, (d) => d, [0]) ?? { inputs, outputs },
  forward: (p, inputs, [out], [req], ctx) => ctx.kernels.sequenceReverse(inputs[0]!.data, lengthsOf(p, inputs), viewOf(p, inputs[0]!.shape), out!.data, req!),
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i === 0,
    compute: (p, { inputs, outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.sequenceReverse(g!.data, lengthsOf(p, inputs), viewOf(p, dx.shape), dx.data, req!);
    },
  },
});
