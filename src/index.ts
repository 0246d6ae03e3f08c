/** mxts: Apache MXNet's symbolic API in TypeScript. The one public entry point. */
import * as randomState from './base/random';
import { nd as ndNamespace } from './ndarray/index';

export { nd } from './ndarray/index';
export { sym, sym as symbol, Symbol } from './symbol/index';
export type { SymArg, VariableOptions } from './symbol/index';
export { Executor } from './executor/executor';
export type { BindOptions, MemoryPlanReport, SimpleBindOptions } from './executor/executor';
export type { GradReq } from './executor/bind';
export * as name from './base/naming';
export * as testUtils from './test_utils/index';
export * as model from './model/checkpoint';
export * as metric from './metric/index';
export * as io from './io/index';
export * as initializer from './initializer/index';
export * as init from './initializer/index';
export * as optimizer from './optimizer/index';
export * as lr_scheduler from './lr_scheduler';
export * as mod from './module/index';
export * as callback from './callback';
export * as loss from './loss/index';
export * as viz from './viz';
export * as operator from './operator';
export { NDArray } from './ndarray/index';
export type { DType, NestedArray, NdArg } from './ndarray/index';
export { Context, cpu } from './base/context';
export { setBackend, getBackend } from './backend/select';
export type { BackendName } from './backend/backend';
export { MXNetError, ShapeError, ParamError, BindError, GradientError, ValueError, FormatError, ResourceError, FileError } from './base/errors';
export { config } from './base/budget';
export type { Limits } from './base/budget';
export type { Shape } from './base/shape';

/** `mx.random.seed(n)` plus the draws of `mx.nd.random` (uniform, normal, gamma, ..., multinomial, shuffle). */
export const random = {
  ...ndNamespace.random,
  seed: randomState.seed,
};
