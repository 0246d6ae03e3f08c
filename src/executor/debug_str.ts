/**
 * `Executor.debugStr()`: the graph as `Symbol.debugStr()` prints it, then the compiled plan (each
 * forward and backward step with its node and the shapes it reads and writes) and the memory plan,
 * ending with MXNet's `Total N MB allocated` line. Step numbers are those of `memoryPlan()`:
 * forward steps are node ids, then one step for the head gradients, then the backward steps.
 */
import { shapeToString } from '../base/shape';
import { graphDebugStr } from '../symbol/debug_str';
import { outputName } from '../symbol/node';
import type { Symbol } from '../symbol/symbol';
import type { MemoryPlanReport } from './executor';
import { stepNodes } from './monitor';
import type { Plan } from './plan';

export function executorDebugStr(symbol: Symbol, plan: Plan, memory: MemoryPlanReport): string {
  const { graph } = symbol;
  const numNodes = graph.nodes.length;
  const entryText = (e: number) => {
    const id = graph.entryNode[e]!;
    return `${outputName(graph.nodes[id]!, e - graph.entryStart[id]!)}${shapeToString(plan.entryValues[e]!.shape)}`;
  };
  const steps = stepNodes(graph, plan);
  const forward: string[] = [];
  graph.nodes.forEach((node, id) => {
    if (node.kind !== 'op') return;
    const start = graph.entryStart[id]!;
    const outputs = node.op.outputs(node.params).map((_, k) => start + k);
    const names = node.op.inputs(node.params);
    const inputs = graph.inputEntries[id]!.map((e, i) => `${names[i] ?? `input${i}`}=${entryText(e)}`);
    forward.push(`\tstep ${id}: ${node.op.name} '${node.name}': ${inputs.join(', ')} -> ${outputs.map(entryText).join(', ')}\n`);
  });
  const backward = plan.backward.map((step, k) => {
    const id = steps.backward[k]!;
    const node = graph.nodes[id]!;
    if (node.kind !== 'op') return '';
    const names = node.op.inputs(node.params);
    const grads = graph.inputEntries[id]!.flatMap((e, i) => (step.inGrads[i] ? [`${names[i] ?? `input${i}`} (${entryText(e)}) ${step.req[i]}`] : []));
    return `\tstep ${2 * numNodes - id}: gradient of ${node.op.name} '${node.name}' -> ${grads.join(', ') || 'nothing'}\n`;
  });
  let text = graphDebugStr(graph, symbol.outputs);
  text += `Forward plan (${forward.length} steps):\n${forward.join('')}`;
  text += `Backward plan (${backward.length} steps, after the head gradients at step ${numNodes}):\n${backward.join('')}`;
  text += `Memory plan: ${memory.peakBytes} bytes at peak, shared by ${memory.arrays.length} arrays; ${memory.plannedBytes} bytes planned, ${memory.naiveBytes} bytes with one buffer each\n`;
  for (const a of memory.arrays) {
    const end = Number.isFinite(a.lastStep) ? String(a.lastStep) : 'end';
    text += `\t${a.name} (${a.kind}) ${shapeToString(a.shape)}: bytes ${a.offsetBytes}..${a.offsetBytes + a.bytes}, steps ${a.firstStep}..${end}\n`;
  }
  // MXNet ends with this line (memonger scripts read it).
  return text + `Total ${Math.floor(memory.plannedBytes / 2 ** 20)} MB allocated\n`;
}
