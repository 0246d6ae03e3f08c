/**
 * `_sample_multinomial` (MXNet `random/sample_multinomial_op.{h,cc}`): categorical draws from
 * the distributions along the last axis of `data` (rows must sum to 1). With `get_prob`, a second
 * output holds log p of each drawn category, whose head gradient flows back as g / p to the drawn
 * probabilities (the score-function estimator); otherwise data gets a zero gradient.
 */
import { defineOp } from '../registry';
import type { Tensor } from '../types';
import { bool } from '../params';
import { dtypeParam, shapeParam, STREAM_NOTE, processUniform01 } from './common';

const PARAMS = {
  shape: shapeParam('samples drawn from each distribution; empty draws one'),
  get_prob: bool({ doc: 'also return the log-probability of each drawn category', default: false }),
  dtype: dtypeParam({
    accepted: ['int32', 'uint8', 'float32'],
    refused: ['float16', 'float64'],
    default: 'int32',
    doc: 'the type of the drawn indices (stored as float32 whatever it names; float16/float64 not supported yet)',
  }),
};

/** Categories K, rows N and draws per row M of a call. */
function sizes(data: Tensor, samples: Tensor): { K: number; M: number } {
  const K = data.shape[data.shape.length - 1]!;
  const rows = data.data.length / K;
  return { K, M: rows > 0 ? samples.data.length / rows : 0 };
}

export const sampleMultinomialOp = defineOp({
  name: '_sample_multinomial',
  aliases: ['sample_multinomial'],
  doc: [
    'data (..., K): probabilities along the last axis. out[..., j] = the first category c with cumsum(p)[c] >= u, u ~ U[0,1),',
    'shape data.shape[:-1] + shape (1-d data: shape, or (1,) when shape is empty); values are indices stored as float32.',
    'get_prob: second output log p[out]; d data[..., c] += g_prob / p[c] for each draw of c. Without get_prob, a zero gradient.',
    STREAM_NOTE,
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data'],
  outputs: (p) => (p.get_prob ? ['output0', 'output1'] : ['output']),
  workspace: (_p, [data]) => data![data!.length - 1] ?? 0,
  inferShape: (p, [data], outputs, site) => {
    if (!data) return { inputs: [null], outputs: outputs.map(() => null) };
    if (data.length === 0) site.fail('data', 'must have at least one axis (the categories)');
    const out = data.length === 1 ? (p.shape.length > 0 ? p.shape : [1]) : [...data.slice(0, -1), ...p.shape];
    return { inputs: [data], outputs: outputs.map(() => out) };
  },
  forward: (p, [data], outputs, req, ctx) => {
    const { K, M } = sizes(data!, outputs[0]!);
    const prob = p.get_prob ? outputs[1]!.data : null;
    ctx.kernels.sampleCategorical(data!.data, K, outputs[0]!.data, M, req[0]!, prob, req[1] ?? 'null', ctx.workspace, processUniform01);
  },
  backward: {
    usesOutGrads: (p) => p.get_prob,
    compute: (p, { inputs: [data], outputs, outGrads }, [dx], [req], ctx) => {
      if (!dx || req === 'null') return;
      if (!p.get_prob) {
        if (req === 'write') ctx.kernels.fillConstant(dx.data, 0, 'write');
        return;
      }
      const { K, M } = sizes(data!, outputs[0]!);
      ctx.kernels.sampleCategoricalBackward(outGrads[1]!.data, data!.data, K, outputs[0]!.data, M, dx.data, req!);
    },
  },
});
