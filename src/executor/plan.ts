/**
 * The executor's plan, compiled once at bind: a flat list of forward steps and backward steps
 * over preallocated buffers. Gradient fan-in is write-then-add into one buffer per entry.
 */
import { GradientError } from '../base/errors';
import { Shape, sizeOf } from '../base/shape';
import type { Kernels } from '../backend/backend';
import type { AnyOpDef, BackwardIO, ForwardContext, Req, Tensor } from '../ops/types';
import type { IndexedGraph } from '../symbol/graph';
import { outputName } from '../symbol/node';
import { BufferRequest, MemoryLayout, placeBuffers } from './memory';
import { NDArray } from '../ndarray/ndarray';
import { DType, allocateValues } from '../base/dtype';
import { DTypeNode, allFloat32, dtypeNode, tensorView } from '../ndarray/dtype_run';

/** A step's contexts: its node's state with the executor's kernels and workspace, made at bind. */
interface StepContexts {
  readonly train: ForwardContext;
  readonly infer: ForwardContext;
}

export interface ForwardStep {
  readonly op: AnyOpDef;
  readonly params: unknown;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly req: readonly Req[];
  readonly contexts: StepContexts;
}

export interface BackwardStep {
  readonly op: AnyOpDef;
  readonly params: unknown;
  readonly io: BackwardIO;
  readonly inGrads: readonly (Tensor | null)[];
  readonly req: readonly Req[];
  readonly context: ForwardContext;
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
  /** Where each op output and intermediate gradient lives, and when. */
  readonly layout: MemoryLayout;
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
  /** The kernels the executor's steps run on. */
  readonly kernels: Kernels;
  /** Every entry's dtype (absent: all float32). Nodes with other dtypes run as dtype_run.ts says. */
  readonly types?: readonly DType[] | undefined;
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

/** Where each step sits on the plan's timeline: forward steps, then head gradients, then backward. */
function timeline(numNodes: number) {
  return { forward: (id: number) => id, heads: numNodes, backward: (id: number) => 2 * numNodes - id };
}

/** The inputs and outputs a node's backward reads (all unless its op declares fewer). */
function backwardReads(op: AnyOpDef, params: unknown, numInputs: number, numOutputs: number): { inputs: readonly number[]; outputs: readonly number[] } {
  return op.backward?.reads?.(params) ?? { inputs: Array.from({ length: numInputs }, (_, i) => i), outputs: Array.from({ length: numOutputs }, (_, k) => k) };
}

export function compilePlan({ graph, shapes, variableValues, variableGrads, shareValues, allocate: allocateBuffer, kernels, types }: PlanInputs): Plan {
  const { nodes, entryStart, inputEntries } = graph;
  const time = timeline(nodes.length);
  const numOutputs = (id: number) => {
    const node = nodes[id]!;
    return node.kind === 'op' ? node.op.outputs(node.params).length : 1;
  };

  // Which nodes pass a gradient back: variables with a gradient array, and ops with such an input.
  const propagates = nodes.map(() => false);
  nodes.forEach((node, id) => {
    if (node.kind === 'variable') propagates[id] = variableGrads.has(id);
    else propagates[id] = inputEntries[id]!.some((e, i) => isDifferentiable(node.op, node.params, i, node.inputs.length) && propagates[graph.entryNode[e]!]!);
  });
  const isHead = new Set(graph.heads);

  // Lifetimes. A value lives from its node's forward step to its last reader: forward readers,
  // and the backward steps that declare they read it; heads live to the end.
  const lastRead = new Array<number>(graph.numEntries).fill(-1);
  nodes.forEach((node, id) => {
    if (node.kind !== 'op') return;
    for (const e of inputEntries[id]!) lastRead[e] = Math.max(lastRead[e]!, time.forward(id));
    if (!propagates[id]) return;
    const reads = backwardReads(node.op, node.params, node.inputs.length, numOutputs(id));
    for (const i of reads.inputs) lastRead[inputEntries[id]![i]!] = Math.max(lastRead[inputEntries[id]![i]!]!, time.backward(id));
    for (const k of reads.outputs) lastRead[entryStart[id]! + k] = Math.max(lastRead[entryStart[id]! + k]!, time.backward(id));
  });
  // A gradient lives from its first writer (the head gradient, or the last consumer's backward) to
  // its node's backward step; one nobody writes stays zero, in memory of its own.
  const firstWrite = new Array<number>(graph.numEntries).fill(Infinity);
  nodes.forEach((node, id) => {
    if (node.kind !== 'op' || !propagates[id]) return;
    inputEntries[id]!.forEach((e, i) => {
      if (isDifferentiable(node.op, node.params, i, node.inputs.length)) firstWrite[e] = Math.min(firstWrite[e]!, time.backward(id));
    });
  });
  const headNeedsGradient = (e: number) => {
    const node = nodes[graph.entryNode[e]!]!;
    return node.kind === 'variable' || usesOutGrads(node.op, node.params);
  };
  for (const e of graph.heads) if (headNeedsGradient(e)) firstWrite[e] = time.heads;

  const requests: BufferRequest[] = [];
  const zeroGradients: number[] = [];
  nodes.forEach((node, id) => {
    if (node.kind !== 'op') return;
    const inputs = inputEntries[id]!;
    const inPlaceOf = (node.op.inplace ?? []).map(([input]) => inputs[input]!).filter((e) => inputs.filter((other) => other === e).length === 1);
    for (let k = 0; k < numOutputs(id); k++) {
      const e = entryStart[id]! + k;
      const inPlace = (node.op.inplace ?? []).filter(([, output]) => output === k).map(([input]) => inputs[input]!).filter((x) => inPlaceOf.includes(x));
      requests.push({ kind: 'value', entry: e, shape: shapes[e]!, first: time.forward(id), last: isHead.has(e) ? Infinity : Math.max(lastRead[e]!, time.forward(id)), inPlaceOf: inPlace });
      if (!propagates[id]) continue;
      if (Number.isFinite(firstWrite[e]!)) requests.push({ kind: 'gradient', entry: e, shape: shapes[e]!, first: firstWrite[e]!, last: time.backward(id) });
      else zeroGradients.push(e);
    }
  });
  const layout = placeBuffers(requests);

  let plannedBytes = 0;
  const fresh = (size: number) => {
    plannedBytes += size * 4;
    return allocateBuffer ? allocateBuffer(size) : new Float32Array(size);
  };
  // Executors made by reshape view the buffers of the executor they share with where those are
  // large enough (as MXNet does); others place everything in one region sized to the peak.
  const region = shareValues ? null : fresh(layout.peakFloats);
  const entryValues: NDArray[] = new Array(graph.numEntries);
  const entryGrads: (NDArray | null)[] = new Array(graph.numEntries).fill(null);
  for (const b of layout.buffers) {
    const size = sizeOf(b.shape);
    const shared = b.kind === 'value' ? shareValues?.[b.entry] : undefined;
    const data = region ? region.subarray(b.offset, b.offset + size) : shared && shared.dtype === 'float32' && shared.size >= size ? shared.data.subarray(0, size) : fresh(size);
    (b.kind === 'value' ? entryValues : entryGrads)[b.entry] = new NDArray(data, b.shape);
  }
  for (const e of zeroGradients) entryGrads[e] = new NDArray(fresh(sizeOf(shapes[e]!)), shapes[e]!);
  // Entries of other dtypes get arrays of their own (their places in the region stay unused).
  const dtypeOf = (e: number): DType => types?.[e] ?? 'float32';
  const retyped = (array: NDArray | null, e: number) => (array && dtypeOf(e) !== 'float32' ? new NDArray(allocateValues(dtypeOf(e), array.size), array.shape, { dtype: dtypeOf(e) }) : array);
  for (let e = 0; e < graph.numEntries; e++) {
    if (entryValues[e]) entryValues[e] = retyped(entryValues[e]!, e)!;
    entryGrads[e] = retyped(entryGrads[e]!, e);
  }
  nodes.forEach((node, id) => {
    if (node.kind === 'variable') {
      entryValues[entryStart[id]!] = variableValues.get(id)!;
      if (propagates[id]) entryGrads[entryStart[id]!] = variableGrads.get(id)!.array;
    } else if (propagates[id] && !node.op.backward) {
      throw new GradientError({ op: node.op.name, node: node.name }, 'has no gradient, but a gradient is requested through it; set gradReq to null for the arguments behind it or put BlockGrad before it');
    }
  });

  // Each op node's state, made once here (createState), and its forward and backward contexts.
  let workspaceSize = 0;
  nodes.forEach((node, id) => {
    if (node.kind === 'op') workspaceSize = Math.max(workspaceSize, node.op.workspace?.(node.params, inputEntries[id]!.map((e) => shapes[e]!)) ?? 0);
  });
  const workspace = new Float32Array(workspaceSize);
  const nodeWorkspace = (node: (typeof nodes)[number], inputShapes: Shape[]) => (node.kind === 'op' ? node.op.workspace?.(node.params, inputShapes) ?? 0 : 0);
  const contexts: (StepContexts | undefined)[] = nodes.map((node, id) => {
    if (node.kind !== 'op') return undefined;
    const state = node.op.createState?.(node.params, inputEntries[id]!.map((e) => shapes[e]!));
    return { train: { isTrain: true, kernels, workspace, state }, infer: { isTrain: false, kernels, workspace, state } };
  });
  // Nodes with a dtype other than float32 run their op wrapped (dtype_run.ts) on its kernels.
  const typed: (DTypeNode | undefined)[] = nodes.map((node, id) => {
    if (node.kind !== 'op') return undefined;
    const inTypes = inputEntries[id]!.map(dtypeOf);
    const outTypes = node.op.outputs(node.params).map((_, k) => dtypeOf(entryStart[id]! + k));
    return allFloat32([...inTypes, ...outTypes]) ? undefined : dtypeNode(node.op, node.params, inTypes, outTypes, { op: node.op.name, node: node.name });
  });
  typed.forEach((t, id) => {
    if (!t) return;
    const workspace = t.workspace(nodeWorkspace(nodes[id]!, inputEntries[id]!.map((e) => shapes[e]!)));
    const state = contexts[id]!.train.state;
    contexts[id] = { train: { isTrain: true, kernels: t.kernels, workspace, state }, infer: { isTrain: false, kernels: t.kernels, workspace, state } };
  });
  // Steps see plain { data, shape } views, one object shape for all, not the NDArrays: their
  // `data` is a getter (checking the dtype), which kernels reading it many times per call made
  // megamorphic once several workloads had run (W4 +20% in bench/ab_trees.ts).
  const view = (array: NDArray): Tensor => tensorView(array);
  const viewOrNull = (array: NDArray | null): Tensor | null => (array ? view(array) : null);
  const forward: ForwardStep[] = [];
  nodes.forEach((node, id) => {
    if (node.kind !== 'op') return;
    const t = typed[id];
    const inputs = inputEntries[id]!.map((e) => view(entryValues[e]!));
    const outputs = node.op.outputs(node.params).map((_, k) => view(entryValues[entryStart[id]! + k]!));
    forward.push({ op: t?.op ?? node.op, params: t?.params ?? node.params, inputs, outputs, req: outputs.map(() => 'write'), contexts: contexts[id]! });
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
    const name = outputName(nodes[nodeId]!, e - entryStart[nodeId]!);
    const needed = entryGrads[e] !== null && headNeedsGradient(e);
    return needed ? { target: entryGrads[e]!, req: nextReq(e), name, shape: shapes[e]! } : { target: null, req: 'null', name, shape: shapes[e]! };
  });

  const backward: BackwardStep[] = [];
  for (let id = nodes.length - 1; id >= 0; id--) {
    const node = nodes[id]!;
    if (node.kind !== 'op' || !propagates[id]) continue;
    const outputIds = Array.from({ length: numOutputs(id) }, (_, k) => entryStart[id]! + k);
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
    const t = typed[id];
    backward.push({
      op: t?.op ?? node.op,
      params: t?.params ?? node.params,
      io: { inputs: inputEntries[id]!.map((e) => view(entryValues[e]!)), outputs: outputIds.map((e) => view(entryValues[e]!)), outGrads: outputIds.map((e) => viewOrNull(entryGrads[e]!)) as Tensor[] },
      inGrads: inGrads.map(viewOrNull),
      req,
      context: contexts[id]!.train,
    });
  }

  const zeroFill: NDArray[] = [];
  variableGrads.forEach(({ array, req }, id) => {
    if (req === 'write' && !written[entryStart[id]!]) zeroFill.push(array);
  });

  const naiveBytes = (layout.naiveFloats + zeroGradients.reduce((sum, e) => sum + sizeOf(shapes[e]!), 0)) * 4;
  return { entryValues, forward, backward, heads, zeroFill, workspace, plannedBytes, naiveBytes, layout };
}

export function runForward(plan: Plan, isTrain: boolean): void {
  for (const step of plan.forward) step.op.forward(step.params, step.inputs, step.outputs, step.req, isTrain ? step.contexts.train : step.contexts.infer);
}

export function runBackward(plan: Plan): void {
  for (const array of plan.zeroFill) array.values.fill(0);
  for (const step of plan.backward) step.op.backward!.compute(step.params, step.io, step.inGrads, step.req, step.context);
}
