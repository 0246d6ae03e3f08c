/**
 * `_shuffle` (MXNet `random/shuffle_op.cc`): permutes the input along its first axis (rows keep
 * their contents), uniformly by Fisher-Yates. No gradient: MXNet registers none.
 */
import { defineOp } from '../registry';
import { processUniform01, STREAM_NOTE } from './common';

export const shuffleOp = defineOp({
  name: '_shuffle',
  aliases: ['shuffle'],
  doc: ['out = data with its rows (first-axis slices) in a uniformly random order; not differentiable.', STREAM_NOTE].join('\n'),
  params: {},
  inputs: () => ['data'],
  outputs: () => ['output'],
  inplace: [[0, 0]],
  // One row to park while following a permutation cycle, then the permutation itself.
  workspace: (_p, [data]) => (data!.length === 0 ? 1 : data!.reduce((a, b) => a * b, 1) / Math.max(data![0]!, 1) + data![0]!),
  inferShape: (_p, [data], [output], site) => {
    const shape = data ?? output ?? null;
    if (shape && shape.length === 0) site.fail('data', 'must have at least one axis to shuffle along');
    return { inputs: [shape], outputs: [shape] };
  },
  forward: (_p, [x], [out], [req], ctx) => {
    const rows = x!.shape[0]!;
    ctx.kernels.shuffleRows(x!.data, rows, rows > 0 ? x!.data.length / rows : 0, out!.data, req!, ctx.workspace, processUniform01);
  },
});
