/**
 * `_sample_unique_zipfian` (MXNet `random/unique_sample_op.{h,cc}`): for each of shape[0] rows,
 * shape[1] distinct classes in [0, range_max) from the approximately log-uniform law
 * P(c) ~ (log(c + 2) - log(c + 1)) / log(range_max + 1), drawn as MXNet does:
 * c = round(exp(u log range_max)) - 1, redrawn until new. The second output counts the draws per
 * row. MXNet's int64 outputs are stored as float32 here (exact below 2^24, so range_max <= 2^24).
 */
import { int, intTuple } from '../params';
import { defineOp } from '../registry';
import { processUniform01, STREAM_NOTE } from './common';
import { MAX_EXACT_INT } from './distributions';

/** Size of the open-addressing set holding a row's classes: a power of two >= 2 numSampled. */
function tableSize(numSampled: number): number {
  let size = 2;
  while (size < 2 * numSampled) size *= 2;
  return size;
}

export const sampleUniqueZipfianOp = defineOp({
  name: '_sample_unique_zipfian',
  doc: [
    'samples (batch, num_sampled): distinct classes per row, c = round(exp(u log range_max)) - 1 redrawn until new;',
    'num_tries (batch,): the draws each row took. Not differentiable.',
    STREAM_NOTE,
  ].join('\n'),
  params: {
    range_max: int({ doc: 'the number of possible classes (required)', min: 1, max: MAX_EXACT_INT }),
    shape: intTuple({ doc: '(batch_size, num_sampled); empty takes it from the output', default: [], min: 0 }),
  },
  inputs: () => [],
  outputs: () => ['output0', 'output1'],
  workspace: (p) => (p.shape.length === 2 ? tableSize(p.shape[1]!) : 0),
  inferShape: (p, _inputs, [samples], site) => {
    let shape = p.shape;
    if (shape.length === 0 && samples && samples.length === 2) shape = samples;
    // Left to inference, and the output is not known yet (MXNet would fail here; mxts waits).
    if (p.shape.length === 0 && !samples) return { inputs: [], outputs: [null, null] };
    if (shape.length !== 2) site.fail('shape', `must be 2-d (batch_size, num_sampled), got (${p.shape.join(',')})`, 2, p.shape);
    if (shape[1]! > p.range_max) site.fail('shape', `asks for ${shape[1]} distinct classes but range_max is ${p.range_max}`, p.range_max, shape[1]);
    return { inputs: [], outputs: [shape, [shape[0]!]] };
  },
  forward: (p, _inputs, [samples, tries], _req, ctx) => {
    const [batch, numSampled] = samples!.shape as [number, number];
    const size = tableSize(numSampled);
    // The shape came from the output (empty `shape`): the workspace could not be sized in advance.
    const table = ctx.workspace.length >= size ? ctx.workspace : new Float32Array(size);
    ctx.kernels.sampleUniqueZipfian(p.range_max, batch, numSampled, samples!.data, tries!.data, table, size, processUniform01);
  },
});
