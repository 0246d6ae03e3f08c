/**
 * The executor's monitor callback (MXNet's `set_monitor_callback`): after each forward step the
 * callback sees every output of the node (`fc1_output`); with `monitorAll` it first sees the
 * node's inputs (`fc1_data`, and a variable input under its own name too, as MXNet 1.9 reports
 * both). After each backward step it sees the input gradients the node computed
 * (`fc1_backward_output0`, as MXNet names its backward nodes' outputs; one per input, zeros for
 * an input that gets no gradient). With several consumers, an input's gradient buffer holds the sum
 * so far (MXNet reports each consumer's part before summing).
 *
 * Names and arrays are resolved once, when the callback is installed; the executor runs these
 * loops only while a callback is installed, so forward without one is untouched. An array is the
 * executor's live buffer: read it inside the callback (its memory is reused later in the pass).
 */
import { DTypeArray, allocateValues } from '../base/dtype';
import { ValueError } from '../base/errors';
import { NDArray } from '../ndarray/ndarray';
import type { IndexedGraph } from '../symbol/graph';
import { isAuxInput, outputName } from '../symbol/node';
import type { Plan } from './plan';

export type MonitorCallback = (name: string, array: NDArray) => void;

interface Report {
  readonly name: string;
  readonly array: NDArray;
}

export interface MonitorHook {
  readonly callback: MonitorCallback;
  /** Per forward step: what to report before it runs (monitorAll) and after. */
  readonly before: readonly (readonly Report[])[];
  readonly after: readonly (readonly Report[])[];
  /** Per backward step: the input gradients it writes. */
  readonly afterBackward: readonly (readonly Report[])[];
}

/**
 * The node id of each forward and backward step. Forward steps are the op nodes in graph order;
 * a backward step runs with its node's training context, the one its forward step holds.
 */
export function stepNodes(graph: IndexedGraph, plan: Plan): { forward: number[]; backward: number[] } {
  const forward = graph.nodes.flatMap((node, id) => (node.kind === 'op' ? [id] : []));
  const byContext = new Map<unknown, number>(plan.forward.map((step, k) => [step.contexts.train, forward[k]!]));
  return { forward, backward: plan.backward.map((step) => byContext.get(step.context)!) };
}

export function compileMonitor(graph: IndexedGraph, plan: Plan, callback: MonitorCallback, monitorAll: boolean): MonitorHook {
  if (typeof callback !== 'function') throw new ValueError({ op: 'setMonitorCallback', argument: 'callback' }, `must be a function (name, array) => void, got ${callback === null ? 'null' : typeof callback}`);
  const steps = stepNodes(graph, plan);
  const value = (e: number) => plan.entryValues[e]!;
  const after = steps.forward.map((id) => {
    const node = graph.nodes[id]!;
    const start = graph.entryStart[id]!;
    return node.kind === 'op' ? node.op.outputs(node.params).map((_, k) => ({ name: outputName(node, k), array: value(start + k) })) : [];
  });
  const before = steps.forward.map((id) => {
    const node = graph.nodes[id]!;
    if (!monitorAll || node.kind !== 'op') return [];
    const inputNames = node.op.inputs(node.params);
    return graph.inputEntries[id]!.flatMap((e, i) => {
      const input = node.inputs[i]!.node;
      const own = { name: `${node.name}_${inputNames[i] ?? `input${i}`}`, array: value(e) };
      return input.kind === 'variable' ? [{ name: input.name, array: value(e) }, own] : [own];
    });
  });
  const afterBackward = plan.backward.map((step, k) => {
    const id = steps.backward[k]!;
    const node = graph.nodes[id]!;
    if (node.kind !== 'op') return [];
    // MXNet's backward node has one output per non-auxiliary input and reports each, computed or
    // not (an input without a gradient, such as a label, shows here as zeros).
    const count = node.inputs.filter((_, i) => !isAuxInput(node, i)).length;
    return Array.from({ length: count }, (_, i) => {
      const like = value(graph.inputEntries[id]![i]!);
      const grad = step.inGrads[i];
      // Nodes of other dtypes compute on views of their arrays' storage: wrap them with the dtype.
      const array = grad instanceof NDArray ? grad : new NDArray(grad ? (grad.data as unknown as DTypeArray) : allocateValues(like.dtype, like.size), like.shape, { dtype: like.dtype });
      return { name: `${node.name}_backward_output${count === 1 ? '' : i}`, array };
    });
  });
  return { callback, before, after, afterBackward };
}

function report(callback: MonitorCallback, reports: readonly Report[]): void {
  for (const { name, array } of reports) callback(name, array);
}

/** `runForward` with the callback around each step. */
export function runForwardMonitored(plan: Plan, isTrain: boolean, hook: MonitorHook): void {
  plan.forward.forEach((step, k) => {
    report(hook.callback, hook.before[k]!);
    step.op.forward(step.params, step.inputs, step.outputs, step.req, isTrain ? step.contexts.train : step.contexts.infer);
    report(hook.callback, hook.after[k]!);
  });
}

/** `runBackward` with the callback after each step. */
export function runBackwardMonitored(plan: Plan, hook: MonitorHook): void {
  for (const array of plan.zeroFill) array.values.fill(0);
  plan.backward.forEach((step, k) => {
    step.op.backward!.compute(step.params, step.io, step.inGrads, step.req, step.context);
    report(hook.callback, hook.afterBackward[k]!);
  });
}

