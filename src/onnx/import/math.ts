/** Import of ONNX element-wise math, comparisons, softmax, reductions and MatMul. */
import type { Symbol } from '../../symbol/symbol';
import { ImportTranslator, NodeImport, apply, int, requireConstant } from '../import_types';
import { axesOf } from './tensor';

const UNARY: Readonly<Record<string, string>> = {
  Exp: 'exp', Log: 'log', Sqrt: 'sqrt', Abs: 'abs', Neg: 'negative', Reciprocal: 'reciprocal', Floor: 'floor', Ceil: 'ceil',
  Sin: 'sin', Cos: 'cos', Tan: 'tan', Asin: 'arcsin', Acos: 'arccos', Atan: 'arctan', Sinh: 'sinh', Cosh: 'cosh',
  Asinh: 'arcsinh', Acosh: 'arccosh', Atanh: 'arctanh', Erf: 'erf', Sign: 'sign', Round: 'rint', Not: 'logical_not',
};

/** [broadcast op, op with the scalar second, op with the scalar first] */
const BINARY: Readonly<Record<string, readonly [string, string, string]>> = {
  Add: ['broadcast_add', '_plus_scalar', '_plus_scalar'],
  Sub: ['broadcast_sub', '_minus_scalar', '_rminus_scalar'],
  Mul: ['broadcast_mul', '_mul_scalar', '_mul_scalar'],
  Div: ['broadcast_div', '_div_scalar', '_rdiv_scalar'],
  Pow: ['broadcast_power', '_power_scalar', '_rpower_scalar'],
  Max: ['broadcast_maximum', '_maximum_scalar', '_maximum_scalar'],
  Min: ['broadcast_minimum', '_minimum_scalar', '_minimum_scalar'],
  Equal: ['broadcast_equal', '_equal_scalar', '_equal_scalar'],
  Greater: ['broadcast_greater', '_greater_scalar', '_lesser_scalar'],
  Less: ['broadcast_lesser', '_lesser_scalar', '_greater_scalar'],
  GreaterOrEqual: ['broadcast_greater_equal', '_greater_equal_scalar', '_lesser_equal_scalar'],
  LessOrEqual: ['broadcast_lesser_equal', '_lesser_equal_scalar', '_greater_equal_scalar'],
};

/** A one-value constant operand becomes the `scalar` of MXNet's scalar ops. */
function scalarOf(n: NodeImport, index: number): number | undefined {
  const c = n.constant(index);
  return c && c.values.length === 1 && c.dims.length <= 1 ? c.values[0] : undefined;
}

const binary = (opType: string): ImportTranslator => (n) => {
  const [broadcast, scalarSecond, scalarFirst] = BINARY[opType]!;
  if (n.node.input.length !== 2) n.fail(`with ${n.node.input.length} inputs is not supported (only 2)`);
  const second = scalarOf(n, 1);
  if (second !== undefined) return apply(n, scalarSecond, [n.input(0)], { scalar: second });
  const first = scalarOf(n, 0);
  if (first !== undefined) return apply(n, scalarFirst, [n.input(1)], { scalar: first });
  return apply(n, broadcast, [n.input(0), n.input(1)]);
};

const softmax = (op: string): ImportTranslator => (n) => {
  // Before opset 13, Softmax flattened from `axis` on: a different function.
  if (n.opset < 13) n.fail(`at opset ${n.opset} flattens from its axis, which mxts's softmax does not (opset 13 or later is supported)`);
  return apply(n, op, [n.input(0)], { axis: int(n, 'axis', -1) });
};

const reduce = (op: string): ImportTranslator => (n) => {
  const axes = axesOf(n, 1);
  if (!axes && int(n, 'noop_with_empty_axes', 0) === 1) return apply(n, '_copy', [n.input(0)]);
  return apply(n, op, [n.input(0)], { ...(axes ? { axis: axes } : {}), keepdims: int(n, 'keepdims', 1) === 1 });
};

/** An operand written by a Transpose of its last two axes: that Transpose's input, flagged. */
function operand(n: NodeImport, k: number, rank: number): [Symbol, boolean] {
  const source = n.producer(k);
  const perm = source?.op_type === 'Transpose' ? (source.attribute ?? []).find((a) => a.name === 'perm')?.ints ?? [] : [];
  const swapsLast = perm.length === rank && perm.every((p, i) => p === (i < rank - 2 ? i : 2 * rank - 3 - i));
  return swapsLast ? [n.value(source!.input[0]!), true] : [n.input(k), false];
}

/**
 * MatMul of 2-d operands is dot; of 3-d ones batch_dot (ranks from the shapes known so far).
 * Transposes of the last two axes fold into transpose_a / transpose_b, as the exporter wrote them.
 */
const matmul: ImportTranslator = (n) => {
  const [a, b] = [n.shape(0), n.shape(1)];
  if (!a || !b) return n.fail('needs the ranks of its operands, which the graph input shapes do not decide');
  if (a.length !== b.length || (a.length !== 2 && a.length !== 3)) return n.fail(`of ranks ${a.length} and ${b.length} is not supported (2-d: dot, 3-d: batch_dot)`);
  const [lhs, transposeA] = operand(n, 0, a.length);
  const [rhs, transposeB] = operand(n, 1, b.length);
  return apply(n, a.length === 2 ? 'dot' : 'batch_dot', [lhs, rhs], { transpose_a: transposeA, transpose_b: transposeB });
};

const clip: ImportTranslator = (n) => {
  const bound = (k: number, fallback: number) => (n.has(k) ? requireConstant(n, k, k === 1 ? 'min' : 'max').values[0]! : Number(n.attr(k === 1 ? 'min' : 'max') ?? fallback));
  return apply(n, 'clip', [n.input(0)], { a_min: bound(1, -3.4028234663852886e38), a_max: bound(2, 3.4028234663852886e38) });
};

const lpNorm = (ord: number): ImportTranslator => (n) => {
  const axes = axesOf(n, 1);
  return apply(n, 'norm', [n.input(0)], { ord, ...(axes ? { axis: axes } : {}), keepdims: int(n, 'keepdims', 1) === 1 });
};

/** ReduceSumSquare as sum(square(x)): mxts has no fused op. */
const reduceSumSquare: ImportTranslator = (n) => {
  const axes = axesOf(n, 1);
  const squares = apply({ ...n, name: undefined }, 'square', [n.input(0)]);
  return apply(n, 'sum', [squares], { ...(axes ? { axis: axes } : {}), keepdims: int(n, 'keepdims', 1) === 1 });
};

const argReduce = (op: string): ImportTranslator => (n) => {
  if (int(n, 'select_last_index', 0) !== 0) n.fail('1 is not supported (mxts picks the first index)', 'select_last_index');
  return apply(n, op, [n.input(0)], { axis: int(n, 'axis', 0), keepdims: int(n, 'keepdims', 1) === 1 });
};

export const MATH_IMPORTS: Readonly<Record<string, ImportTranslator>> = {
  ...Object.fromEntries(Object.entries(UNARY).map(([opType, op]): [string, ImportTranslator] => [opType, (n) => apply(n, op, [n.input(0)])])),
  ...Object.fromEntries(Object.keys(BINARY).map((opType): [string, ImportTranslator] => [opType, binary(opType)])),
  Sum: (n) => apply(n, 'add_n', n.node.input.map((_, k) => n.input(k)), { num_args: n.node.input.length }),
  HardSigmoid: (n) => apply(n, 'hard_sigmoid', [n.input(0)], { alpha: Number(n.attr('alpha') ?? 0.2), beta: Number(n.attr('beta') ?? 0.5) }),
  Clip: clip,
  Softmax: softmax('softmax'),
  LogSoftmax: softmax('log_softmax'),
  ReduceSum: reduce('sum'),
  ReduceMean: reduce('mean'),
  ReduceMax: reduce('max'),
  ReduceMin: reduce('min'),
  ReduceProd: reduce('prod'),
  ReduceL1: lpNorm(1),
  ReduceL2: lpNorm(2),
  ReduceSumSquare: reduceSumSquare,
  MatMul: matmul,
  ArgMax: argReduce('argmax'),
  ArgMin: argReduce('argmin'),
};
