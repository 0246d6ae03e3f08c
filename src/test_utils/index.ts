/** `mx.testUtils`: the checks MXNet's own tests use, for users' tests and ours. */
export { assertAlmostEqual, AssertionError } from './assert';
export type { ArrayLikeValue, Tolerance } from './assert';
export { checkNumericGradient, checkSymbolicBackward, checkSymbolicForward } from './check';
export type { CheckOptions, Location, NumericGradientOptions } from './check';
export { numericGradient } from './numeric';
