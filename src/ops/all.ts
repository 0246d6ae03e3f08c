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

const ALL_OPS: readonly AnyOpDef[] = [
  ...binaryOps,
  ...scalarOps,
  ...unaryOps,
  ...softmaxOps,
  softmaxOutputOp,
  ...regressionOutputOps,
  ...makeLossOps,
];

for (const def of ALL_OPS) registerOp(def);
