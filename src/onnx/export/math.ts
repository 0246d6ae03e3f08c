/** Export of softmax heads, reductions and products. */
import { attr, GraphBuilder } from '../graph_builder';
import { NodeExport, Translator, read, shapeOf } from '../export_types';

const normAxis = (axis: number, ndim: number) => (axis < 0 ? axis + ndim : axis);

/** softmax / log_softmax over an axis; a temperature divides the input first. */
const softmax = (opType: string): Translator => (n, g) => {
  const temperature = read.optNum(n, 'temperature');
  let x = n.inputs[0]!;
  if (temperature !== null && temperature !== 1) x = g.step('Div', [x, g.constFloat(`${n.name}_temperature`, [temperature], [])], `${n.name}_scaled`);
  g.node(opType, [x], [n.outputs[0]!], { axis: attr.i(read.num(n, 'axis')) }, n.name);
};

/**
 * SoftmaxOutput's forward: over axis 1 (multi_output), the last axis (preserve_shape), or each
 * sample's elements all together (flattened to (n, size/n), then shaped back).
 */
const softmaxOutput: Translator = (n, g) => {
  const shape = shapeOf(n, 0);
  const x = n.inputs[0]!;
  const out = n.outputs[0]!;
  if (read.bool(n, 'multi_output')) return g.node('Softmax', [x], [out], { axis: attr.i(1) }, n.name);
  if (read.bool(n, 'preserve_shape') || shape.length <= 2) return g.node('Softmax', [x], [out], { axis: attr.i(-1) }, n.name);
  const flat = g.step('Flatten', [x], `${n.name}_flatten`, { axis: attr.i(1) });
  const probs = g.step('Softmax', [flat], `${n.name}_flat_output`, { axis: attr.i(1) });
  g.node('Reshape', [probs, g.constInt64(`${n.name}_shape`, shape)], [out], {}, n.name);
};

const softmaxActivation: Translator = (n, g) => {
  const axis = read.str(n, 'mode') === 'channel' ? 1 : -1;
  g.node('Softmax', [n.inputs[0]!], [n.outputs[0]!], { axis: attr.i(axis) }, n.name);
};

/** The axes a reduction covers: all when axis is None, the complement with exclude. */
function reducedAxes(n: NodeExport, ndim: number): number[] {
  const given = read.optInts(n, 'axis');
  const axes = given === null ? Array.from({ length: ndim }, (_, k) => k) : given.map((a) => normAxis(a!, ndim));
  return read.bool(n, 'exclude') ? Array.from({ length: ndim }, (_, k) => k).filter((k) => !axes.includes(k)) : axes;
}

/**
 * Reduces with keepdims, then reshapes to MXNet's output shape (MXNet gives (1,) where ONNX
 * would give a scalar). ReduceSum takes axes as an input from opset 13, the others from 18.
 */
const reduce = (opType: string): Translator => (n, g) => {
  const shape = shapeOf(n, 0);
  const axes = reducedAxes(n, shape.length);
  const axesAsInput = opType === 'ReduceSum' || g.opset >= 18;
  const inputs = [n.inputs[0]!, ...(axesAsInput ? [g.constInt64(`${n.name}_axes`, axes)] : [])];
  const attrs = { keepdims: attr.i(1), ...(axesAsInput ? {} : { axes: attr.ints(axes) }) };
  if (read.bool(n, 'keepdims')) return g.node(opType, inputs, [n.outputs[0]!], attrs, n.name);
  const kept = g.step(opType, inputs, `${n.name}_kept`, attrs);
  g.node('Reshape', [kept, g.constInt64(`${n.name}_shape`, n.outputShapes[0]!)], [n.outputs[0]!], {}, n.name);
};

/** norm: ReduceL1 / ReduceL2 over the axes (out_dtype other than float32 is not exported). */
const norm: Translator = (n, g) => {
  const outType = n.params['out_dtype'];
  if (outType !== null && outType !== undefined && outType !== 'float32') n.fail(`'${String(outType)}' is not exported (float32 graphs only)`, 'out_dtype');
  reduce(read.num(n, 'ord') === 1 ? 'ReduceL1' : 'ReduceL2')(n, g);
};

/** L2Normalization: x / sqrt(sum of squares + eps) over the mode's axes. */
const l2Normalization: Translator = (n, g) => {
  const ndim = shapeOf(n, 0).length;
  const mode = read.str(n, 'mode');
  const axes = Array.from({ length: ndim }, (_, k) => k).filter((k) => (mode === 'channel' ? k === 1 : mode === 'spatial' ? k >= 2 : k >= 1));
  const axesAsInput = g.opset >= 18;
  const inputs = [n.inputs[0]!, ...(axesAsInput ? [g.constInt64(`${n.name}_axes`, axes)] : [])];
  const squares = g.step('ReduceSumSquare', inputs, `${n.name}_squares`, { keepdims: attr.i(1), ...(axesAsInput ? {} : { axes: attr.ints(axes) }) });
  const plusEps = g.step('Add', [squares, g.constFloat(`${n.name}_eps`, [read.num(n, 'eps')], [])], `${n.name}_squares_eps`);
  g.node('Div', [n.inputs[0]!, g.step('Sqrt', [plusEps], `${n.name}_norm`)], [n.outputs[0]!], {}, n.name);
};

/** dot: 2-d operands (transposed on request) into MatMul; other ranks fold to 2-d and back. */
const dot: Translator = (n, g) => {
  let a = n.inputs[0]!;
  let b = n.inputs[1]!;
  const [shapeA, shapeB] = [shapeOf(n, 0), shapeOf(n, 1)];
  const transposeA = read.bool(n, 'transpose_a');
  const transposeB = read.bool(n, 'transpose_b');
  if ((transposeA && shapeA.length !== 2) || (transposeB && shapeB.length !== 2)) n.fail('transpose_a/transpose_b on operands that are not 2-d have no ONNX translation');
  if (transposeA) a = g.step('Transpose', [a], `${n.name}_lhs_t`, { perm: attr.ints([1, 0]) });
  if (transposeB) b = g.step('Transpose', [b], `${n.name}_rhs_t`, { perm: attr.ints([1, 0]) });
  const k = transposeA ? shapeA[0]! : shapeA[shapeA.length - 1]!;
  const out = n.outputShapes[0]!;
  if (shapeA.length === 2 && shapeB.length === 2) return g.node('MatMul', [a, b], [n.outputs[0]!], {}, n.name);
  if (shapeA.length !== 2) a = g.step('Reshape', [a, g.constInt64(`${n.name}_lhs_shape`, [-1, k])], `${n.name}_lhs`);
  if (shapeB.length !== 2) b = g.step('Reshape', [b, g.constInt64(`${n.name}_rhs_shape`, [k, -1])], `${n.name}_rhs`);
  const product = g.step('MatMul', [a, b], `${n.name}_matmul`);
  g.node('Reshape', [product, g.constInt64(`${n.name}_shape`, out)], [n.outputs[0]!], {}, n.name);
};

function swapLast(g: GraphBuilder, x: string, ndim: number, hint: string): string {
  const perm = Array.from({ length: ndim }, (_, k) => k);
  [perm[ndim - 2], perm[ndim - 1]] = [ndim - 1, ndim - 2];
  return g.step('Transpose', [x], hint, { perm: attr.ints(perm) });
}

const batchDot: Translator = (n, g) => {
  const a = read.bool(n, 'transpose_a') ? swapLast(g, n.inputs[0]!, shapeOf(n, 0).length, `${n.name}_lhs_t`) : n.inputs[0]!;
  const b = read.bool(n, 'transpose_b') ? swapLast(g, n.inputs[1]!, shapeOf(n, 1).length, `${n.name}_rhs_t`) : n.inputs[1]!;
  g.node('MatMul', [a, b], [n.outputs[0]!], {}, n.name);
};

/** argmax / argmin along one axis; ONNX's int64 indices come back as MXNet's float32. */
const argReduce = (opType: string): Translator => (n, g) => {
  const axis = read.optNum(n, 'axis');
  if (axis === null) return n.fail('None (over the flattened array) has no ONNX translation; give an axis', 'axis');
  const indices = g.step(opType, [n.inputs[0]!], `${n.name}_indices`, { axis: attr.i(axis), keepdims: attr.i(read.bool(n, 'keepdims')) });
  g.node('Cast', [indices], [n.outputs[0]!], { to: attr.i(1) }, n.name);
};

export const MATH_TRANSLATORS: Readonly<Record<string, Translator>> = {
  softmax: softmax('Softmax'),
  log_softmax: softmax('LogSoftmax'),
  SoftmaxOutput: softmaxOutput,
  SoftmaxActivation: softmaxActivation,
  sum: reduce('ReduceSum'),
  mean: reduce('ReduceMean'),
  max: reduce('ReduceMax'),
  min: reduce('ReduceMin'),
  prod: reduce('ReduceProd'),
  dot,
  batch_dot: batchDot,
  norm,
  L2Normalization: l2Normalization,
  argmax: argReduce('ArgMax'),
  argmin: argReduce('ArgMin'),
};
