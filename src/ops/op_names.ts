/**
 * The operator names the typed front ends (`mx.nd.X`, `mx.sym.X`) expose. A test checks this list
 * against the registry, so a registered op cannot be missing here and no name can be stale.
 */
export const SINGLE_OUTPUT_OPS = [
  'elemwise_add', '_add', '_plus', '_Plus',
  'elemwise_sub', '_sub', '_minus', '_Minus',
  'elemwise_mul', '_mul', '_Mul',
  'elemwise_div', '_div', '_Div',
  '_maximum', '_Maximum', '_minimum', '_Minimum', '_power', '_Power', '_pow',
  'broadcast_add', 'broadcast_plus', 'broadcast_sub', 'broadcast_minus', 'broadcast_mul', 'broadcast_div',
  'broadcast_maximum', 'broadcast_minimum', 'broadcast_power',
  '_plus_scalar', '_PlusScalar', '_minus_scalar', '_MinusScalar', '_rminus_scalar', '_RMinusScalar',
  '_mul_scalar', '_MulScalar', '_div_scalar', '_DivScalar', '_rdiv_scalar', '_RDivScalar',
  '_power_scalar', '_PowerScalar', '_rpower_scalar', '_RPowerScalar',
  'sigmoid', 'softmax', 'log_softmax',
  'SoftmaxOutput', 'Softmax', 'LinearRegressionOutput', 'LogisticRegressionOutput', 'MAERegressionOutput',
  'MakeLoss', 'make_loss', 'BlockGrad', 'stop_gradient',
  'FullyConnected', 'Convolution', 'Deconvolution', 'Pooling',
  'relu', 'tanh', 'exp', 'log', 'sqrt', 'square', 'abs', 'clip',
  'Activation', 'LeakyReLU', 'SoftmaxActivation', 'BatchNorm', 'Dropout', 'Embedding',
  'Flatten', 'flatten', 'Reshape', 'reshape', 'expand_dims', 'Concat', 'concat', 'transpose', 'slice_axis',
  'one_hot', 'argmax', 'Cast', 'cast', 'zeros_like', 'ones_like',
  'sum', 'sum_axis', 'mean', 'max', 'max_axis', 'min', 'min_axis', 'dot', 'batch_dot',
  // names: shape, indexing and creation ops
  // names: spatial and detection ops
  // names: element-wise math and logic
  // names: indexing, ordering and reductions
  // names: normalization, sequence and loss layers
] as const;

/** Ops whose front-end call returns a list of outputs. */
export const MULTI_OUTPUT_OPS = [
  'SliceChannel', 'split',
  // multi-output names: shape, indexing and creation ops
  // multi-output names: spatial and detection ops
  // multi-output names: element-wise math and logic
  // multi-output names: indexing, ordering and reductions
  // multi-output names: normalization, sequence and loss layers
] as const;

export type SingleOutputOpName = (typeof SINGLE_OUTPUT_OPS)[number];
export type MultiOutputOpName = (typeof MULTI_OUTPUT_OPS)[number];
