/**
 * `SVMOutput` (MXNet `svm_output-inl.h`): an identity forward whose backward is the (L1 or L2)
 * multi-class hinge gradient against class labels, replacing the head gradient like SoftmaxOutput.
 */
import { shapeToString, shapesEqual } from '../../base/shape';
import { bool, float } from '../params';
import { defineOp } from '../registry';

export const svmOutputOp = defineOp({
  name: 'SVMOutput',
  doc: [
    'out = data, viewed as (rows, classes) = (size / last, last); label holds trunc-ed class indices, shape data.shape[:-1].',
    'Backward ignores the head gradient: with k = label, m = margin, r = regularization_coefficient,',
    'L2 (default): dx[k] = -2r(m - x[k]) if m > x[k], dx[j] = 2r(m + x[j]) if m > -x[j] (j != k), else 0;',
    'L1 (use_linear): dx[k] = -r if m > x[k], dx[j] = r if m > -x[j]. The label gets no gradient.',
  ].join('\n'),
  params: {
    margin: float({ doc: 'the margin of the hinge', default: 1 }),
    regularization_coefficient: float({ doc: 'scales the gradient', default: 1 }),
    use_linear: bool({ doc: 'L1-SVM gradient instead of L2-SVM', default: false }),
  },
  inputs: () => ['data', 'label'],
  outputs: () => ['output'],
  inplace: [[0, 0]],
  inferShape: (_p, inputs, outputs, site) => {
    const data = inputs[0] ?? outputs[0] ?? null;
    if (!data) return { inputs, outputs };
    if (data.length < 1) site.fail('data', 'needs at least 1 axis (the classes)');
    const label = data.slice(0, -1);
    if (inputs[1] && !shapesEqual(inputs[1], label)) site.fail('label', `shape ${shapeToString(inputs[1])} must be the data shape without its last axis, ${shapeToString(label)}`, label, inputs[1]);
    return { inputs: [data, label], outputs: [data] };
  },
  forward: (_p, [x], [out], [req], ctx) => ctx.kernels.unaryMap('identity', x!.data, out!.data, req!),
  backward: {
    usesOutGrads: false,
    differentiable: (_p, i) => i === 0,
    compute: (p, { inputs: [, label], outputs: [out] }, [dx], [req], ctx) => {
      if (!dx) return;
      const classes = out!.shape[out!.shape.length - 1]!;
      ctx.kernels.svmOutputGrad(out!.data, label!.data, out!.data.length / classes, classes, p, dx.data, req!);
    },
  },
});
