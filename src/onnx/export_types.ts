/** What an export translator sees of one mxts node, and the translator's signature. */
import type { Shape } from '../base/shape';
import type { NDArray } from '../ndarray/ndarray';
import { OnnxExportError } from './errors';
import type { GraphBuilder } from './graph_builder';

export interface NodeExport {
  /** The canonical MXNet op name (`elemwise_add` for `_Plus`). */
  readonly op: string;
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** ONNX value names of every input (labels included; translators read the ones they need). */
  readonly inputs: readonly string[];
  readonly inputShapes: readonly (Shape | null)[];
  /** ONNX value names the translator must write, one per mxts output that something reads. */
  readonly outputs: readonly string[];
  readonly outputShapes: readonly Shape[];
  /** The parameter bound to input `index`, when that input is a parameter. */
  param(index: number): NDArray | undefined;
  /** Throws an OnnxExportError naming this op and node (and `argument` when given). */
  fail(problem: string, argument?: string): never;
}

export type Translator = (n: NodeExport, g: GraphBuilder) => void;

export function exportFailure(op: string, node: string, problem: string, argument?: string): OnnxExportError {
  return new OnnxExportError({ op, node, argument }, problem);
}

/** Typed readers of parsed params (the registry parsed and defaulted them already). */
export const read = {
  ints: (n: NodeExport, key: string): readonly number[] => (n.params[key] as readonly number[] | null | undefined) ?? [],
  num: (n: NodeExport, key: string): number => n.params[key] as number,
  optNum: (n: NodeExport, key: string): number | null => (n.params[key] as number | null | undefined) ?? null,
  bool: (n: NodeExport, key: string): boolean => n.params[key] === true,
  str: (n: NodeExport, key: string): string => String(n.params[key]),
  optInts: (n: NodeExport, key: string): readonly (number | null)[] | null => (n.params[key] as readonly (number | null)[] | null | undefined) ?? null,
};

/** The input shape at `index`, which the exporter guarantees for inputs that translators read. */
export function shapeOf(n: NodeExport, index: number): Shape {
  const shape = n.inputShapes[index];
  if (!shape) n.fail(`the shape of input ${index} is unknown; give inputShapes for every data input`);
  return shape;
}

/** A tuple parameter per spatial axis, with `fill` where MXNet's () means the default. */
export function perAxis(n: NodeExport, key: string, axes: number, fill: number): number[] {
  const given = read.ints(n, key);
  return given.length === 0 ? new Array<number>(axes).fill(fill) : [...given];
}

/** Layout must be channels-first (ONNX convolution and pooling are NCHW only). */
export function checkChannelsFirst(n: NodeExport): void {
  const layout = n.params['layout'];
  if (layout !== null && layout !== undefined && !String(layout).startsWith('NC')) {
    n.fail(`${String(layout)} has no ONNX equivalent (ONNX convolution and pooling are channels-first)`, 'layout');
  }
}
