/**
 * `Embedding` (MXNet `tensor/indexing_op.h`): looks up rows of a (input_dim, output_dim) weight
 * by integer indices. Only the weight is differentiable.
 */
import { shapeToString } from '../../base/shape';
import { bool, enumOf, int } from '../params';
import { defineOp } from '../registry';

const PARAMS = {
  input_dim: int({ doc: 'vocabulary size: the number of rows of weight (required)', min: 1 }),
  output_dim: int({ doc: 'embedding size: the number of columns of weight (required)', min: 1 }),
  dtype: enumOf({ doc: 'data type of weight and output', values: ['float32', 'float16', 'float64', 'uint8', 'int8', 'int32', 'int64'], default: 'float32' }),
  sparse_grad: bool({ doc: 'row-sparse weight gradient (mxts always gives a dense one)', default: false }),
};

export const embeddingOp = defineOp({
  name: 'Embedding',
  doc: [
    'out[..., :] = weight[clip(trunc(data[...]), 0, input_dim-1), :]; output shape data.shape + [output_dim].',
    'dweight[k, :] = sum of g[..., :] over the positions whose index is k; data gets no gradient.',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data', 'weight'],
  outputs: () => ['output'],
  inferShape: (p, inputs, _outputs, site) => {
    const [data, weight] = inputs;
    if (weight && (weight.length !== 2 || weight[0] !== p.input_dim || weight[1] !== p.output_dim)) {
      site.fail('weight', `shape ${shapeToString(weight)} should be [${p.input_dim},${p.output_dim}] (input_dim, output_dim)`, [p.input_dim, p.output_dim], weight);
    }
    return { inputs: [data ?? null, [p.input_dim, p.output_dim]], outputs: [data ? [...data, p.output_dim] : null] };
  },
  // Indices may have any dtype; weight and output have `dtype` (MXNet's EmbeddingOpType).
  inferType: (p, [data]) => ({ inputs: [data ?? null, p.dtype], outputs: [p.dtype] }),
  // Indices are truncated toward zero and clipped to [0, input_dim-1] (MXNet's take with mode clip).
  forward: (p, [data, weight], [out], [req], ctx) => ctx.kernels.embeddingLookup(data!.data, weight!.data, p.input_dim, p.output_dim, out!.data, req!),
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i === 1,
    // Only the indices: the weight's gradient does not depend on the weight.
    reads: () => ({ inputs: [0], outputs: [] }),
    compute: (p, { inputs: [data], outGrads: [g] }, [, dweight], [, req], ctx) => {
      if (dweight) ctx.kernels.embeddingGrad(data!.data, g!.data, p.input_dim, p.output_dim, dweight.data, req!);
    },
  },
});
