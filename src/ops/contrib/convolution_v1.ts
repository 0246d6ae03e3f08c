/**
 * `Convolution_v1` (MXNet `convolution_v1-inl.h`), the legacy mshadow convolution: 2-d kernels on
 * NCHW data only (its 3-d path is not implemented in MXNet either), layouts NCHW/NHWC/NCDHW/NDHWC
 * accepted, workspace at most 8192 MB. Numerically it is Convolution, through whose definition it
 * computes.
 */
import { ParamError } from '../../base/errors';
import { convolutionOp } from '../nn/convolution';
import { bool, enumOf, int, intTuple, optional, ParamsOf } from '../params';
import { defineOp } from '../registry';
import { modernParamsOf } from './v1_params';

const PARAMS = {
  kernel: intTuple({ doc: 'window size (h, w)', min: 1 }),
  stride: intTuple({ doc: 'window step (h, w); () means 1', default: [], min: 1 }),
  dilate: intTuple({ doc: 'spacing of kernel taps (h, w); () means 1', default: [], min: 1 }),
  pad: intTuple({ doc: 'zero padding on both sides (h, w); () means 0', default: [], min: 0 }),
  num_filter: int({ doc: 'number of output channels', min: 1, max: 100000 }),
  num_group: int({ doc: 'channel groups', default: 1, min: 1 }),
  workspace: int({ doc: 'MXNet workspace limit in MB (accepted, unused by mxts)', default: 1024, min: 0, max: 8192 }),
  no_bias: bool({ doc: 'omit the bias input', default: false }),
  cudnn_tune: optional(enumOf({ doc: 'cuDNN algorithm choice (accepted, unused by mxts)', values: ['off', 'limited_workspace', 'fastest'] })),
  cudnn_off: bool({ doc: 'disable cuDNN (accepted, unused by mxts)', default: false }),
  layout: optional(enumOf({ doc: 'data layout; mxts supports only NCHW', values: ['NCHW', 'NHWC', 'NCDHW', 'NDHWC'] })),
};
type Params = ParamsOf<typeof PARAMS>;

const modern = modernParamsOf(convolutionOp.params, 'Convolution_v1', (p: Params) => ({ ...p }));

export const convolutionV1Op = defineOp({
  name: 'Convolution_v1',
  doc: [
    'out[n, f] = bias[f] + sum over the group\'s channels c and taps (i, j) of weight[f, c, i, j] * data[n, c, y*sh - ph + i*dh, x*sw - pw + j*dw];',
    'gradients as Convolution (col2im of weight^T . head; head . im2col(data)^T; bias: sum of head). 2-d kernels only.',
  ].join('\n'),
  params: PARAMS,
  inputs: (p) => (p.no_bias ? ['data', 'weight'] : ['data', 'weight', 'bias']),
  outputs: () => ['output'],
  inferShape: (p, inputs, outputs, site) => {
    if (p.kernel.length !== 2) {
      throw new ParamError({ op: site.op, node: site.node, argument: 'kernel' }, `must have 2 axes (h, w): Convolution_v1 has only 2-d convolution, got (${p.kernel.join(', ')})`);
    }
    return convolutionOp.inferShape(modern(p), inputs, outputs, site);
  },
  workspace: (p, shapes) => convolutionOp.workspace!(modern(p), shapes),
  // Convolution's state plus its params (the context then passes through as is).
  createState: (p, shapes) => {
    const params = modern(p);
    return { ...convolutionOp.createState!(params, shapes), params };
  },
  forward: (_p, inputs, outputs, req, ctx) => convolutionOp.forward(ctx.state.params, inputs, outputs, req, ctx),
  backward: {
    usesOutGrads: true,
    compute: (_p, io, inGrads, req, ctx) => convolutionOp.backward!.compute(ctx.state.params, io, inGrads, req, ctx),
  },
});
