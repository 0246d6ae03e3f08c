/** The one place that registers operators. Importing this module fills the registry. */
import { registerOp } from './registry';
import type { AnyOpDef } from './types';
import { binaryOps } from './elemwise/binary';
import { scalarOps } from './elemwise/scalar';
import { unaryOps } from './elemwise/unary';
import { makeLossOps } from './loss/make_loss';
import { regressionOutputOps } from './loss/regression_output';
import { softmaxOutputOp } from './loss/softmax_output';
import { softmaxOps } from './nn/softmax';
import { convolutionOp } from './nn/convolution';
import { deconvolutionOp } from './nn/deconvolution';
import { fullyConnectedOp } from './nn/fully_connected';
import { poolingOp } from './nn/pooling';
import { activationOps } from './nn/activation';
import { leakyReluOp } from './nn/leaky_relu';
import { batchNormOp } from './nn/batch_norm';
import { dropoutOp } from './nn/dropout';
import { embeddingOp } from './nn/embedding';
import { clipOp } from './tensor/clip';
import { castOps } from './tensor/cast';
import { concatOp, sliceChannelOp } from './tensor/concat';
import { dotOp, batchDotOp } from './tensor/dot';
import { argmaxOp, oneHotOp } from './tensor/indexing';
import { reduceOps } from './tensor/reduce';
import { expandDimsOp, flattenOp, reshapeOp } from './tensor/reshape';
import { sliceAxisOp, transposeOp } from './tensor/transpose';
// imports: shape, indexing and creation ops
import { shapeFamilyOps } from './shape/index';
// imports: spatial and detection ops
import { spatialOps } from './spatial/index';
// imports: element-wise math and logic
import { hardSigmoidOp } from './elemwise/hard_sigmoid';
import { logicOps } from './elemwise/logic';
// imports: indexing, ordering and reductions
import { variadicOps } from './ordering/add_n';
import { argReduceOps } from './ordering/arg_reduce';
import { contribOps } from './ordering/contrib';
import { diagOp } from './ordering/diag';
import { gatherNdOps } from './ordering/gather_nd';
import { histogramOp } from './ordering/histogram';
import { reduceExtraOps } from './ordering/reduce_extra';
import { sortOps } from './ordering/sort';
import { takeOps } from './ordering/take';
// imports: normalization, sequence and loss layers
import { layerOps } from './layers/index';
// imports: random sampling
import { randomSamplingOps } from './random/index';
import { randomPdfOps } from './random/pdf';
// imports: linear algebra
import { linalgOps } from './linalg/index';
// imports: image transforms
import { imageOps } from './image/index';
// imports: recurrent layers
import { rnnFamilyOps } from './rnn/index';
// imports: spatial transformers and contrib vision
import { visionOps } from './vision/index';
// imports: contrib misc and v1 layers
import { contribMiscOps } from './contrib/index';

const ALL_OPS: readonly AnyOpDef[] = [
  ...binaryOps,
  ...scalarOps,
  ...unaryOps,
  ...softmaxOps,
  softmaxOutputOp,
  ...regressionOutputOps,
  ...makeLossOps,
  fullyConnectedOp,
  convolutionOp,
  deconvolutionOp,
  poolingOp,
  ...activationOps,
  leakyReluOp,
  batchNormOp,
  dropoutOp,
  embeddingOp,
  clipOp,
  ...castOps,
  concatOp,
  sliceChannelOp,
  dotOp,
  batchDotOp,
  oneHotOp,
  argmaxOp,
  ...reduceOps,
  reshapeOp,
  flattenOp,
  expandDimsOp,
  transposeOp,
  sliceAxisOp,
  // ops: shape, indexing and creation ops
  ...shapeFamilyOps,
  // ops: spatial and detection ops
  ...spatialOps,
  // ops: element-wise math and logic
  ...logicOps,
  hardSigmoidOp,
  // ops: indexing, ordering and reductions
  ...takeOps,
  ...gatherNdOps,
  ...sortOps,
  ...argReduceOps,
  ...reduceExtraOps,
  ...variadicOps,
  diagOp,
  histogramOp,
  ...contribOps,
  // ops: normalization, sequence and loss layers
  ...layerOps,
  // ops: random sampling
  ...randomSamplingOps,
  ...randomPdfOps,
  // ops: linear algebra
  ...linalgOps,
  // ops: image transforms
  ...imageOps,
  // ops: recurrent layers
  ...rnnFamilyOps,
  // ops: spatial transformers and contrib vision
  ...visionOps,
  // ops: contrib misc and v1 layers
  ...contribMiscOps,
];

for (const def of ALL_OPS) registerOp(def);
