/** The recurrent layer ops: RNN and the parameter packing gluon uses for it. */
import type { AnyOpDef } from '../types';
import { rnnOp } from './rnn';
import { rnnParamConcatOp } from './rnn_param_concat';

export const rnnFamilyOps: readonly AnyOpDef[] = [rnnOp, rnnParamConcatOp];
