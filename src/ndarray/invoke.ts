/**
 * Imperative execution: `mx.nd.X(...)` parses parameters, infers output shapes with the op's own
 * rule (so label-shape rules raise as in MXNet), allocates outputs and runs the forward once.
 */
import { currentBackend } from '../backend/select';
import { allocateFloat32, checkAllocation } from '../base/budget';
import { BindError } from '../base/errors';
import { shapeToString, sizeOf } from '../base/shape';
import { resolveInputs, splitCallArgs, withVariadicCount } from '../ops/call_args';
import { parseParams } from '../ops/params';
import { getOp } from '../ops/registry';
import { applyShapeRule, shapeSite } from '../ops/shape_rule';
import type { AnyOpDef } from '../ops/types';
import { declaredOutputs } from '../symbol/node';
import { NDArray } from './ndarray';
import { allocateValues } from '../base/dtype';
import { applyTypeRule } from '../ops/type_rules';
import { allFloat32, dtypeNode, tensorView } from './dtype_run';

const isNDArray = (v: unknown): v is NDArray => v instanceof NDArray;

/** Options that are not op parameters. */
const CALL_OPTIONS = new Set(['name', 'out']);

export function invoke(def: AnyOpDef, callName: string, args: readonly unknown[]): NDArray | NDArray[] {
  const { positional, named, options } = splitCallArgs(callName, args, isNDArray, []);
  const opParams: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(withVariadicCount(def, options, positional.length))) {
    if (!CALL_OPTIONS.has(key)) opParams[key] = value;
  }
  const params = parseParams(def.params, opParams, { op: callName });
  const inputs = resolveInputs(def, callName, params, positional, named, undefined);
  const names = def.inputs(params);
  inputs.forEach((input, i) => {
    if (!input) throw new BindError({ op: callName, argument: names[i] }, `is missing: mx.nd.${callName} needs every input (${names.join(', ')})`);
  });
  const arrays = inputs as NDArray[];
  const site = shapeSite(callName, callName.toLowerCase());
  const outputNames = declaredOutputs(def, params, { op: callName });
  const shapes = def.valueDependentShapes
    ? { outputs: def.valueDependentShapes(params, arrays, site) }
    : applyShapeRule(def, params, arrays.map((a) => a.shape), outputNames.map(() => null), site);
  // dtypes by the op's rule (MXNet's imperative InferType); outputs it leaves open are float32.
  const types = applyTypeRule(def, params, arrays.map((a) => a.dtype), outputNames.map(() => null), { op: callName, node: site.node });
  const outputTypes = types.outputs.map((t) => t ?? 'float32');
  const outputs = shapes.outputs.map((shape, i) => {
    if (!shape) throw new BindError({ op: callName, argument: outputNames[i] }, 'shape could not be inferred from the inputs');
    if (outputTypes[i] === 'float32') return new NDArray(allocateFloat32({ op: callName, argument: outputNames[i], shape }), shape);
    checkAllocation({ op: callName, argument: outputNames[i], shape });
    return new NDArray(allocateValues(outputTypes[i]!, sizeOf(shape)), shape, { dtype: outputTypes[i]! });
  });
  const workspaceSize = def.workspace?.(params, arrays.map((a) => a.shape)) ?? 0;
  const state = def.createState?.(params, arrays.map((a) => a.shape));
  if (allFloat32([...arrays.map((a) => a.dtype), ...outputTypes])) {
    const workspace = allocateFloat32({ op: callName, argument: 'workspace', shape: [workspaceSize] });
    def.forward(params, arrays, outputs, outputs.map(() => 'write'), { isTrain: false, workspace, kernels: currentBackend().kernels, state });
  } else {
    const node = dtypeNode(def, params, arrays.map((a) => a.dtype), outputTypes, { op: callName, node: site.node });
    checkAllocation({ op: callName, argument: 'workspace', shape: [2 * workspaceSize] }); // float64 scratch: twice the bytes
    node.op.forward(node.params, arrays.map(tensorView), outputs.map(tensorView), outputs.map(() => 'write'), { isTrain: false, workspace: node.workspace(workspaceSize), kernels: node.kernels, state });
  }
  const out = options['out'];
  if (out instanceof NDArray && (def.numVisibleOutputs?.(params) ?? outputs.length) === 1) {
    if (shapeToString(out.shape) !== shapeToString(outputs[0]!.shape)) {
      throw new BindError({ op: callName, argument: 'out', expected: outputs[0]!.shape, actual: out.shape }, `shape ${shapeToString(out.shape)} does not match the result ${shapeToString(outputs[0]!.shape)}`);
    }
    out.set(outputs[0]!);
    return out;
  }
  // Hidden outputs (Dropout's mask, BatchNorm's mean/var) are internal, as in MXNet's front end.
  const visible = outputs.slice(0, def.numVisibleOutputs?.(params) ?? outputs.length);
  return visible.length === 1 ? visible[0]! : visible;
}

export function invokeByName(name: string, inputs: NDArray[], params: Record<string, unknown>): NDArray | NDArray[] {
  return invoke(getOp(name), name, [...inputs, params]);
}
