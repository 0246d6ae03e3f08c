/** The inputs of `exportModel`: parameters (record or .params file), input shapes and types. */
import { FormatError } from '../base/errors';
import type { Shape } from '../base/shape';
import { NDArray } from '../ndarray/ndarray';
import { load as loadArrays } from '../ndarray/serialize';
import { OnnxExportError } from './errors';

const SITE = { op: 'onnx.exportModel' };

/** MXNet's forms: `{name: array}`, `{'arg:name': ..., 'aux:name': ...}`, or a .params path (Node). */
export type ExportParams = Readonly<Record<string, NDArray>> | string;

/** Parameters by plain name: the `arg:`/`aux:` prefixes of .params files are dropped. */
export function paramsByName(params: ExportParams): Map<string, NDArray> {
  let record: Readonly<Record<string, NDArray>>;
  if (typeof params === 'string') {
    const loaded = loadArrays(params);
    if (Array.isArray(loaded)) throw new FormatError({ ...SITE, argument: 'params' }, `${params}: holds an unnamed list of arrays, not named parameters`);
    record = loaded;
  } else if (typeof params === 'object' && params !== null && !Array.isArray(params)) {
    record = params;
  } else {
    throw new OnnxExportError({ ...SITE, argument: 'params' }, 'must be a record of NDArrays (name -> array) or the path of a .params file');
  }
  const out = new Map<string, NDArray>();
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (!(value instanceof NDArray)) throw new OnnxExportError({ ...SITE, argument: `params.${key}` }, 'must be an NDArray');
    const name = key.startsWith('arg:') || key.startsWith('aux:') ? key.slice(4) : key;
    if (out.has(name)) throw new OnnxExportError({ ...SITE, argument: 'params' }, `gives '${name}' twice (with and without an arg:/aux: prefix)`);
    out.set(name, value);
  }
  return out;
}

/** One value per data input: a record by input name, or a list in the data inputs' order. */
export function perInput<T>(given: Readonly<Record<string, T>> | readonly T[] | undefined, inputs: readonly string[], argument: string): Map<string, T> {
  const out = new Map<string, T>();
  if (given === undefined) return out;
  if (Array.isArray(given)) {
    if (given.length !== inputs.length) {
      throw new OnnxExportError({ ...SITE, argument }, `has ${given.length} entries for ${inputs.length} data inputs (${inputs.join(', ')})`);
    }
    inputs.forEach((name, k) => out.set(name, given[k] as T));
    return out;
  }
  for (const [name, value] of Object.entries(given as Record<string, T>)) {
    if (!inputs.includes(name)) throw new OnnxExportError({ ...SITE, argument: `${argument}.${name}` }, `is not a data input of the symbol; its data inputs are ${inputs.join(', ') || 'none'}`);
    out.set(name, value);
  }
  return out;
}

/** mxts computes in float32 only, so float32 is the one input type it can export. */
export function checkInputTypes(types: Map<string, string>): void {
  for (const [name, type] of types) {
    if (type !== 'float32') throw new OnnxExportError({ ...SITE, argument: `inputTypes.${name}` }, `is '${type}', but mxts computes in float32 only`);
  }
}

export function checkShapeOption(shape: unknown, name: string): Shape {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new OnnxExportError({ ...SITE, argument: `inputShapes.${name}` }, `must be a list of positive integers, got ${JSON.stringify(shape)}`);
  }
  return shape as Shape;
}
