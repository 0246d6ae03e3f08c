/**
 * `IdentityAttachKLSparseReg` (MXNet `identity_attach_KL_sparse_reg-inl.h`): identity forward; the
 * backward adds the gradient of a KL sparseness penalty on each unit's moving mean activation.
 */
import { shapeToString } from '../../base/shape';
import { float } from '../params';
import { defineOp } from '../registry';

export const identityAttachKlSparseRegOp = defineOp({
  name: 'IdentityAttachKLSparseReg',
  doc: [
    'out = data, (rows, units) = (size / last, last). Backward (training) first updates the aux state',
    'moving_avg = momentum * moving_avg + (1 - momentum) * mean over rows of data, then',
    'dx = g + penalty * (-sparseness_target / moving_avg + (1 - sparseness_target) / (1 - moving_avg)).',
    'moving_avg has shape (data.shape[1],); mxts requires that to equal the last axis (MXNet indexes past it otherwise).',
  ].join('\n'),
  params: {
    sparseness_target: float({ doc: 'the target mean activation', default: 0.1, min: 0, max: 1 }),
    penalty: float({ doc: 'weight of the sparseness penalty', default: 0.001 }),
    momentum: float({ doc: 'momentum of the moving average', default: 0.9, min: 0, max: 1 }),
  },
  inputs: () => ['data', 'moving_avg'],
  numAux: () => 1,
  outputs: () => ['output'],
  inplace: [[0, 0]],
  inferShape: (_p, inputs, outputs, site) => {
    const data = inputs[0] ?? outputs[0] ?? null;
    if (!data) return { inputs, outputs };
    if (data.length < 2 || data[1] !== data[data.length - 1]) {
      site.fail('data', `shape ${shapeToString(data)} needs at least 2 axes with axis 1 equal to the last (the units)`, undefined, data);
    }
    return { inputs: [data, [data[1]!]], outputs: [data] };
  },
  forward: (_p, [x], [out], [req], ctx) => ctx.kernels.unaryMap('identity', x!.data, out!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [x, movingAvg], outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx) return;
      const cols = x!.shape[x!.shape.length - 1]!;
      ctx.kernels.klSparseRegBackward(x!.data, g!.data, x!.data.length / cols, cols, p, movingAvg!.data, dx.data, req!);
    },
  },
});
