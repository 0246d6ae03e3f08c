/**
 * The executor's plan, compiled once at bind: a flat list of forward steps and backward steps
 * over preallocated buffers. Gradient fan-in is write-then-add into one buffer per entry.
 */
import { GradientError } from '../base/errors';
import { Shape, sizeOf } from '../base/shape';
import type { AnyOpDef, BackwardIO, ForwardContext, Req, Tensor } from '../ops/types';
import type { IndexedGraph } from '../symbol/graph';
import { outputName } from '../symbol/node';
import { planValueBuffers } from './memory';
import { NDArray } from '../ndarray/ndarray';

export interface ForwardStep {
  readonly op: AnyOpDef;
  readonly params: unknown;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly req: readonly Req[];
}

export interface BackwardStep {
  readonly op: AnyOpDef;
  readonly params: unknown;
  readonly io: BackwardIO;
  readonly inGrads: readonly (Tensor | null)[];
  readonly req: readonly Req[];
}

/** How head i's gradient enters the backward pass. */
export interface HeadGradient {
  /** Where the head gradient is copied (or added), or null when the head ignores it (loss heads). */
  readonly target: NDArray | null;
  readonly req: Req;
  readonly name: string;
  readonly shape: Shape;
}

export interface Plan {
  readonly entryValues: readonly NDArray[];
  readonly forward: readonly ForwardStep[];
  readonly backward: readonly BackwardStep[];
  readonly heads: readonly HeadGradient[];
  /** Variable gradients that no path writes: zero-filled each backward (req 'write'). */
  readonly zeroFill: readonly NDArray[];
  readonly workspace: Float32Array;
  /** Bytes of op outputs and intermediate gradients this plan allocated. */
  readonly plannedBytes: number;
  /** Bytes the same plan would take with one buffer per op output and intermediate gradient. */
  readonly naiveBytes: number;
}

export interface PlanInputs {
  readonly graph: IndexedGraph;
  readonly shapes: readonly Shape[];
  /** Bound arrays of variable nodes, by node id. */
  readonly variableValues: ReadonlyMap<number, NDArray>;
  /** Gradient arrays and requests of variable nodes, by node id (absent = no gradient). */
  readonly variableGrads: ReadonlyMap<number, { array: NDArray; req: 'write' | 'add' }>;
  /** Output buffers of an executor to share memory with (`reshape`): reused where large enough. */
  readonly shareValues?: readonly NDArray[] | undefined;
  /** Where new buffers come from (an executor's arena); plain arrays by default. */
  readonly allocate?: ((size: number) => Float32Array) | undefined;
}

function usesOutGrads(op: AnyOpDef, params: unknown): boolean {
  const uses = op.backward?.usesOutGrads;
  return typeof uses === 'function' ? uses(params) : uses ?? true;
}

function isDifferentiable(op: AnyOpDef, params: unknown, inputIndex: number, numInputs: number): boolean {
  const numAux = op.numAux?.(params) ?? 0;
  if (inputIndex >= numInputs - numAux) return false;
  return op.backward?.differentiable?.(params, inputIndex) ?? true;
}

export function compilePlan({ graph, shapes, variableValues, variableGrads, shareValues, allocate: allocateBuffer }: PlanInputs): Plan {
  const { nodes, entryStart, inputEntries } = graph;
  let plannedBytes = 0;
  const allocate = (shape: Shape) => {
    plannedBytes += sizeOf(shape) * 4;
    return new NDArray(allocateBuffer ? allocateBuffer(sizeOf(shape)) : new Float32Array(sizeOf(shape)), shape);
  };


  // Which nodes pass a gradient back: variables with a gradient array, and ops with such an input.
  const propagates = nodes.map(() => false);
  nodes.forEach((node, id) => {
    if (node.kind === 'variable') propagates[id] = variableGrads.has(id);
    else propagates[id] = inputEntries[id]!.some((e, i) => isDifferentiable(node.op, node.params, i, node.inputs.length) && propagates[graph.entryNode[e]!]!);
  });

  // Values: variables are the bound arrays; op outputs come from the memory plan. A value lives to
  // the end when it is a head or a backward step may read it (an input or output of a node that
  // passes gradients back); otherwise its buffer is reused after its last reader.
  const isHead = new Set(graph.heads);
  const readByBackward = new Array<boolean>(graph.numEntries).fill(false);
  nodes.forEach((node, id) => {
    if (node.kind !== 'op' || !propagates[id]) return;
    inputEntries[id]!.forEach((e) => (readByBackward[e] = true));
    node.op.outputs(node.params).forEach((_, k) => (readByBackward[entryStart[id]! + k] = true));
  });
  const valuePlan = planValueBuffers({ graph, shapes, keep: (e) => isHead.has(e) || readByBackward[e]!, shareValues, allocate: allocateBuffer });
  plannedBytes += valuePlan.bytes;
  const entryValues: NDArray[] = new Array(graph.numEntries);
  nodes.forEach((node, id) => {
    if (node.kind === 'variable') entryValues[entryStart[id]!] = variableValues.get(id)!;
    else node.op.outputs(node.params).forEach((_, k) => (entryValues[entryStart[id]! + k] = valuePlan.values[entryStart[id]! + k]!));
  });

  let workspaceSize = 0;
  const forward: ForwardStep[] = [];
  nodes.forEach((node, id) => {
    if (node.kind !== 'op') return;
    const inputs = inputEntries[id]!.map((e) => entryValues[e]!);
    workspaceSize = Math.max(workspaceSize, node.op.workspace?.(node.params, inputs.map((t) => t.shape)) ?? 0);
    const outputs = node.op.outputs(node.params).map((_, k) => entryValues[entryStart[id]! + k]!);
    forward.push({ op: node.op, params: node.params, inputs, outputs, req: outputs.map(() => 'write') });
  });

  const entryGrads: (NDArray | null)[] = new Array(graph.numEntries).fill(null);
  nodes.forEach((node, id) => {
    if (node.kind === 'variable') {
      if (propagates[id]) entryGrads[entryStart[id]!] = variableGrads.get(id)!.array;
    } else if (propagates[id]) {
      if (!node.op.backward) {
        throw new GradientError({ op: node.op.name, node: node.name }, 'has no gradient, but a gradient is requested through it; set gradReq to null for the arguments behind it or put BlockGrad before it');
      }
      node.op.outputs(node.params).forEach((_, k) => (entryGrads[entryStart[id]! + k] = allocate(shapes[entryStart[id]! + k]!)));
    }
  });

  // Write-then-add: the first writer of an entry's gradient assigns, later ones accumulate.
  const written = new Array<boolean>(graph.numEntries).fill(false);
  const nextReq = (e: number): Req => {
    const variable = nodes[graph.entryNode[e]!]!;
    if (variable.kind === 'variable' && variableGrads.get(graph.entryNode[e]!)!.req === 'add') return 'add';
    const req = written[e] ? 'add' : 'write';
    written[e] = true;
    return req;
  };

  const heads: HeadGradient[] = graph.heads.map((e) => {
    const nodeId = graph.entryNode[e]!;
    const node = nodes[nodeId]!;
    const name = outputName(node, e - entryStart[nodeId]!);
    const needed = entryGrads[e] !== null && (node.kind === 'variable' || usesOutGrads(node.op, node.params));
    return needed ? { target: entryGrads[e]!, req: nextReq(e), name, shape: shapes[e]! } : { target: null, req: 'null', name, shape: shapes[e]! };
  });

  const backward: BackwardStep[] = [];
  for (let id = nodes.length - 1; id >= 0; id--) {
    const node = nodes[id]!;
    if (node.kind !== 'op' || !propagates[id]) continue;
    const outCount = node.op.outputs(node.params).length;
    const outputIds = Array.from({ length: outCount }, (_, k) => entryStart[id]! + k);
    const req: Req[] = [];
    const inGrads = inputEntries[id]!.map((e, i) => {
      const differentiable = isDifferentiable(node.op, node.params, i, node.inputs.length);
      if (!differentiable || entryGrads[e] === null) {
        req.push('null');
        return null;
      }
      req.push(nextReq(e));
      return entryGrads[e]!;
    });
    backward.push({
      op: node.op,
      params: node.params,
      io: { inputs: inputEntries[id]!.map((e) => entryValues[e]!), outputs: outputIds.map((e) => entryValues[e]!), outGrads: outputIds.map((e) => entryGrads[e]!) },
      inGrads,
      req,
    });
  }

  const zeroFill: NDArray[] = [];
  variableGrads.forEach(({ array, req }, id) => {
    if (req === 'write' && !written[entryStart[id]!]) zeroFill.push(array);
  });

  const naiveBytes = plannedBytes - valuePlan.bytes + valuePlan.naiveBytes;
  return { entryValues, forward, backward, heads, zeroFill, workspace: new Float32Array(workspaceSize), plannedBytes, naiveBytes };
}

export function runForward(plan: Plan, ctx: ForwardContext): void {
  for (const step of plan.forward) step.op.forward(step.params, step.inputs, step.outputs, step.req, ctx);
}

export function runBackward(plan: Plan, ctx: ForwardContext): void {
  for (const array of plan.zeroFill) array.data.fill(0);
  for (const step of plan.backward) step.op.backward!.compute(step.params, step.io, step.inGrads, step.req, ctx);
}
