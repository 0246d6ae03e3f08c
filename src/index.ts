/**
 * mxts: Apache MXNet's symbolic API in TypeScript. The one public entry point.
 *
 * ```ts
 * import * as mx from 'mxts';
 * const out = mx.sym.LogisticRegressionOutput({ data: mx.sym.Variable('m'), label: mx.sym.Variable('n') });
 * const exec = out.bind(mx.cpu(), { m: mx.nd.ones([3, 4]), n: mx.nd.zeros([3, 4]) });
 * exec.forward(true); // sigmoid(1) = 0.7310586 everywhere
 * exec.backward();    // gradDict.m = (sigmoid(m) - n) / 4
 * ```
 *
 * @packageDocumentation
 * @document ../docs/api.md
 * @document ../docs/operators.md
 * @document ../docs/semantics.md
 * @document ../docs/scaling.md
 * @document ../docs/naming.md
 * @document ../docs/symbol_executor.md
 * @document ../docs/typed_params.md
 * @document ../docs/dtypes.md
 * @document ../docs/loss_readout.md
 * @document ../docs/architecture.md
 * @document ../docs/adding_an_op.md
 * @document ../docs/reliability.md
 */
import * as randomState from './base/random';
import { nd as ndNamespace } from './ndarray/index';

export { nd } from './ndarray/index';
export { sym, sym as symbol, Symbol } from './symbol/index';
export type { SymArg, SymOp, VariableOptions } from './symbol/index';
export type { OpParams, SymCallOptions, NdCallOptions } from './ops/op_call_types';
export { Executor } from './executor/executor';
export type { BindOptions, MemoryPlanReport, SimpleBindOptions } from './executor/executor';
export type { MonitorCallback } from './executor/monitor';
export type { SimpleBindArgs } from './executor/simple_bind_args';
export type { EvalArgs } from './symbol/eval';
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
export * as onnx from './onnx/index';
export * as operator from './operator';
export * as monitor from './monitor';
export * as util from './util';
export { NDArray } from './ndarray/index';
export type { DType, NestedArray, NdArg, NdOp, NdMultiOp } from './ndarray/index';
export { Context, cpu } from './base/context';
export { setBackend, getBackend, backendInfo } from './backend/select';
export type { BackendInfo } from './backend/select';
export type { BackendName } from './backend/backend';
export { MXNetError, ShapeError, ParamError, BindError, GradientError, ValueError, FormatError, ResourceError, FileError } from './base/errors';
export { DTypeError } from './base/errors';
export { config } from './base/budget';
export type { Limits } from './base/budget';
export type { Shape } from './base/shape';
// Types that public signatures use, exported so users can name them (and the API reference links them).
export type { DTypeArray } from './base/dtype';
export type { InferredTypeLists, TypeArgs } from './symbol/infer_type';
export type { CreationOptions } from './ndarray/creation';
export type { ErrorSite } from './base/errors';
export type { MemoryKind } from './backend/backend';
export type { ArraysArg, GradReqArg } from './executor/bind';
export type { FeedValue, OutGradsArg } from './executor/executor';
export type { InferredShapeLists, ShapeArgs } from './symbol/symbol';
export type { MaybeShape } from './ops/types';
export type { NDArrayList } from './ndarray/serialize';
export type { ProgressOptions } from './module/progress';

/** `mx.random.seed(n)` plus the draws of `mx.nd.random` (uniform, normal, gamma, ..., multinomial, shuffle). */
export const random = {
  ...ndNamespace.random,
  seed: randomState.seed,
};
