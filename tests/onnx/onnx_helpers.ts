/**
 * Shared by the ONNX tests: run exported bytes in onnxruntime-node, run the same symbol in mxts,
 * and measure how far apart they are.
 */
import * as ort from 'onnxruntime-node';
import * as mx from 'mxts';

export type Arrays = Record<string, mx.NDArray>;

/** The model's outputs in ONNX Runtime (CPU), in graph output order. */
export async function runOrt(bytes: Uint8Array, feeds: Arrays): Promise<{ data: Float32Array; dims: number[] }[]> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) inputs[name] = new ort.Tensor('float32', feeds[name]!.data, feeds[name]!.shape);
    const result = await session.run(inputs);
    return session.outputNames.map((name) => ({ data: result[name]!.data as Float32Array, dims: [...result[name]!.dims] }));
  } finally {
    await session.release();
  }
}

/** The symbol's inference outputs in mxts; missing labels are bound as zeros of their inferred shape. */
export function runMxts(symbol: mx.Symbol, argParams: Arrays, auxParams: Arrays, feeds: Arrays): mx.NDArray[] {
  const names = new Set(symbol.listArguments());
  const args: Arrays = { ...argParams };
  for (const [name, value] of Object.entries(feeds)) if (names.has(name)) args[name] = value;
  const shapes = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, v.shape]));
  const inferred = symbol.inferShapePartial(shapes);
  symbol.listArguments().forEach((name, k) => {
    if (!(name in args)) args[name] = mx.nd.zeros(inferred.argShapes[k]!);
  });
  const exec = symbol.bind(mx.cpu(), args, { auxStates: auxParams, gradReq: 'null' });
  return exec.forward(false).map((o) => o.copy());
}

/** max |a - b| over max |b|: the error relative to the reference's scale. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let k = 0; k < expected.length; k++) {
    diff = Math.max(diff, Math.abs(actual[k]! - expected[k]!));
    scale = Math.max(scale, Math.abs(expected[k]!));
  }
  return Number.isNaN(diff) ? Infinity : diff / Math.max(scale, 1e-30);
}

/**
 * Seeded values in [low, high): a random block of at most 4099 values (a prime, so the repeat
 * lines up with no axis) copied over the array, because per-element loops are slow under Jest
 * and the real models have millions of parameters.
 */
function seededArray(shape: readonly number[], low: number, high: number): mx.NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const block = mx.nd.random.uniform(low, high, [Math.min(size, 4099)]).data;
  const values = new Float32Array(size);
  for (let offset = 0; offset < size; offset += block.length) values.set(block.subarray(0, Math.min(block.length, size - offset)), offset);
  return new mx.NDArray(values, [...shape]);
}

/** Seeded parameters for every argument and auxiliary state but the data inputs and labels. */
export function randomParams(symbol: mx.Symbol, dataShapes: Record<string, number[]>, seed = 7): { argParams: Arrays; auxParams: Arrays } {
  mx.random.seed(seed);
  const inferred = symbol.inferShapePartial(dataShapes);
  const argParams: Arrays = {};
  const auxParams: Arrays = {};
  symbol.listArguments().forEach((name, k) => {
    if (name in dataShapes || name.endsWith('label')) return;
    const shape = inferred.argShapes[k]!;
    const fanIn = shape.length > 1 ? shape.slice(1).reduce((a, b) => a * b, 1) : shape[0]!;
    const bound = Math.sqrt(3 / fanIn);
    argParams[name] = name.endsWith('gamma') ? seededArray(shape, 0.5, 1.5) : seededArray(shape, -bound, bound);
  });
  symbol.listAuxiliaryStates().forEach((name, k) => {
    const shape = inferred.auxShapes[k]!;
    auxParams[name] = name.endsWith('var') ? seededArray(shape, 0.5, 1.5) : seededArray(shape, -0.1, 0.1);
  });
  return { argParams, auxParams };
}

/** Exports, runs both sides on a seeded input and returns the worst relative error over the outputs. */
export async function exportAndCompare(symbol: mx.Symbol, argParams: Arrays, auxParams: Arrays, feeds: Arrays, options: mx.onnx.ExportOptions = {}): Promise<number> {
  const inputShapes = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, v.shape]));
  const bytes = mx.onnx.exportModel(symbol, { ...argParams, ...auxParams }, { inputShapes, ...options });
  const expected = runMxts(symbol, argParams, auxParams, feeds);
  const actual = await runOrt(bytes, feeds);
  expect(actual.map((o) => o.dims)).toEqual(expected.map((o) => o.shape));
  return Math.max(...expected.map((e, k) => relativeError(actual[k]!.data, e.data)));
}
