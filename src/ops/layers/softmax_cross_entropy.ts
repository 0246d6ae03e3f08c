/** `softmax_cross_entropy` (MXNet `loss_binary_op-inl.h`): summed cross-entropy of softmax rows. */
import { shapeToString } from '../../base/shape';
import { defineOp } from '../registry';

export const softmaxCrossEntropyOp = defineOp({
  name: 'softmax_cross_entropy',
  doc: [
    'data (N, C), label (N,) class indices: out (1,) = sum_n -log(max(softmax(data_n)[trunc(label_n)], 1e-8)).',
    'd data = g[0] * (softmax(data_n) - onehot(label_n)); the label gets no gradient (MXNet refuses one).',
  ].join('\n'),
  params: {},
  inputs: () => ['data', 'label'],
  outputs: () => ['output'],
  inferShape: (_p, [data, label], _outputs, site) => {
    if (data && data.length !== 2) site.fail('data', `shape ${shapeToString(data)} must be 2-d (batch, classes)`, 2, data.length);
    if (label && label.length !== 1) site.fail('label', `shape ${shapeToString(label)} must be 1-d (batch,)`, 1, label.length);
    if (data && label && data[0] !== label[0]) site.fail('label', `shape ${shapeToString(label)} does not match the batch of data ${shapeToString(data)}`, [data[0]], label);
    return { inputs: [data ?? null, label ?? (data ? [data[0]!] : null)], outputs: [[1]] };
  },
  forward: (_p, [x, label], [out], [req], ctx) => ctx.kernels.softmaxCrossEntropyForward(x!.data, label!.data, x!.shape[0]!, x!.shape[1]!, out!.data, req!),
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i === 0,
    compute: (_p, { inputs: [x, label], outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.softmaxCrossEntropyBackward(x!.data, label!.data, g!.data[0]!, x!.shape[0]!, x!.shape[1]!, dx.data, req!);
    },
  },
});
