/**
 * `mx.viz.printSummary`: MXNet's layer table (layer and type, output shape, parameter count,
 * previous layers), with parameter counts taken from inferred shapes rather than guessed.
 */
import type { Shape } from '../base/shape';
import { sizeOf } from '../base/shape';
import type { Symbol } from '../symbol/symbol';

export interface SummaryOptions {
  /** Total width of a line (MXNet's default 120). */
  lineLength?: number;
  /** Column ends as fractions of the line (MXNet 1.x: .44, .64, .74, 1). */
  positions?: readonly number[];
  /** Where lines go (default console.log); the text is also returned. */
  print?: (line: string) => void;
}

function row(fields: readonly string[], ends: readonly number[]): string {
  let line = '';
  fields.forEach((field, i) => {
    line = (line + field).slice(0, ends[i]!);
    line += ' '.repeat(ends[i]! - line.length);
  });
  return line.trimEnd();
}

/**
 * Prints (and returns) one row per operator: with `shapes`, the output shape without the batch
 * axis and the number of learnable parameters (op inputs that are variables, differentiable, and
 * not given in `shapes`).
 */
export function printSummary(symbol: Symbol, shapes?: Readonly<Record<string, Shape>>, options: SummaryOptions = {}): string {
  const width = options.lineLength ?? 120;
  const ends = (options.positions ?? [0.44, 0.64, 0.74, 1]).map((p) => (p <= 1 ? Math.floor(width * p) : p));
  const graph = symbol.graph;
  const given = new Set(Object.keys(shapes ?? {}));
  const { argShapes } = shapes ? symbol.inferShapePartial(shapes) : { argShapes: [] };
  const argShape = new Map(symbol.listArguments().map((name, i) => [name, argShapes[i] ?? null]));
  const outShapes = new Map<string, Shape | null>();
  if (shapes) {
    const internals = symbol.getInternals();
    const inferred = internals.inferShapePartial(shapes).outShapes;
    internals.listOutputs().forEach((name, i) => outShapes.set(name, inferred[i] ?? null));
  }
  const lines = ['_'.repeat(width), row(['Layer (type)', 'Output Shape', 'Param #', 'Previous Layer'], ends), '='.repeat(width)];
  let total = 0;
  graph.nodes.forEach((node, id) => {
    if (node.kind !== 'op') return;
    const previous = node.inputs.filter((e) => e.node.kind === 'op' || given.has(e.node.name)).map((e) => e.node.name);
    let params = 0;
    node.inputs.forEach((e, i) => {
      const learnable = e.node.kind === 'variable' && !given.has(e.node.name) && i < node.inputs.length - (node.op.numAux?.(node.params) ?? 0) && (node.op.backward?.differentiable?.(node.params, i) ?? true);
      const shape = learnable ? argShape.get(e.node.name) : null;
      if (shape) params += sizeOf(shape);
    });
    total += params;
    const out = outShapes.get(`${node.name}_${node.op.outputs(node.params)[0]}`);
    lines.push(row([`${node.name}(${node.op.name})`, out ? out.slice(1).join('x') : '', String(params), previous[0] ?? ''], ends));
    for (const extra of previous.slice(1)) lines.push(row(['', '', '', extra], ends));
    lines.push((id === graph.nodes.length - 1 ? '=' : '_').repeat(width));
  });
  lines.push(`Total params: ${total}`, '_'.repeat(width));
  const text = lines.join('\n');
  const print = options.print ?? ((line: string) => console.log(line));
  for (const line of lines) print(line);
  return text;
}
