/** `mx.loss`: the loss each loss head implies (`headLosses(exec)` after forward). */
export { DEFAULT_EPS, LOSS_OPS, headLoss, headLosses, lossHeads } from './readout';
export type { HeadLossValue, LossHead, ReadoutOptions } from './readout';
export { HeadLoss } from '../metric/head_loss';
export type { HeadLossOptions } from '../metric/head_loss';
