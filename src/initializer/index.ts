/** `mx.initializer` (alias `mx.init`). */
export { Initializer, Zero, One, Constant, Uniform, Normal, Xavier, MSRAPrelu, create, knownInitializers } from './initializer';
export type { InitDesc, XavierOptions, XavierRndType, XavierFactorType } from './initializer';
export { Mixed, Load } from './composite';
