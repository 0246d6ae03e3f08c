/**
 * Which operators compute in which dtypes. float32 runs everywhere (the fast kernels); a node
 * with any other dtype among its inputs and outputs runs on the reference kernels over that
 * dtype's storage (docs/dtypes.md), and only the ops listed here do: every other combination is
 * a DTypeError naming op, node and dtypes, never a silent float32 answer.
 */
import { DType } from '../base/dtype';
import { DTypeError } from '../base/errors';
import type { AnyOpDef } from './types';

const FLOATS: readonly DType[] = ['float32', 'float64', 'float16'];
const NUMBERS: readonly DType[] = [...FLOATS, 'uint8', 'int8', 'int32', 'int64'];
const ALL: readonly DType[] = [...NUMBERS, 'bool'];

/** Ops that move or create values without arithmetic: any dtype, bool included. */
const MOVING = [
  'Cast', 'Flatten', 'Reshape', 'expand_dims', 'squeeze', 'transpose', 'slice_axis', 'slice', 'slice_like',
  'reshape_like', 'Concat', 'stack', 'SliceChannel', '_split_v2', 'tile', 'repeat', 'reverse', 'SwapAxis',
  'broadcast_to', 'broadcast_like', 'broadcast_axis', '_copy', 'BlockGrad', 'shape_array', 'size_array',
  'zeros_like', 'ones_like', '_zeros', '_ones', '_full', '_zeros_without_dtype', '_eye', '_arange', 'one_hot', 'take',
];

/** Arithmetic, comparisons, reductions and orderings MXNet runs on integer types too. */
const INTEGER_ARITHMETIC = [
  'elemwise_add', 'elemwise_sub', 'elemwise_mul', 'elemwise_div', '_maximum', '_minimum', '_mod',
  'broadcast_add', 'broadcast_sub', 'broadcast_mul', 'broadcast_div', 'broadcast_mod', 'broadcast_maximum', 'broadcast_minimum',
  '_plus_scalar', '_minus_scalar', '_rminus_scalar', '_mul_scalar', '_div_scalar', '_rdiv_scalar', '_mod_scalar', '_rmod_scalar',
  '_maximum_scalar', '_minimum_scalar',
  '_equal', '_not_equal', '_greater', '_greater_equal', '_lesser', '_lesser_equal',
  'broadcast_equal', 'broadcast_not_equal', 'broadcast_greater', 'broadcast_greater_equal', 'broadcast_lesser', 'broadcast_lesser_equal',
  '_equal_scalar', '_not_equal_scalar', '_greater_scalar', '_greater_equal_scalar', '_lesser_scalar', '_lesser_equal_scalar',
  'negative', 'abs', 'sign', 'square', 'clip', 'add_n', 'sum', 'prod', 'max', 'min', 'argmax', 'argmin', 'pick',
  'sort', 'argsort', 'topk', 'Embedding',
];

/** Floating-point math: float32, float64 and float16 (computed in float32, rounded to half). */
const FLOAT_MATH = [
  'exp', 'log', 'sqrt', 'rsqrt', 'log1p', 'expm1', 'log2', 'log10', 'sin', 'cos', 'tan', 'tanh', 'sinh', 'cosh',
  'arcsin', 'arccos', 'arctan', 'reciprocal', 'sigmoid', 'relu', 'softsign', 'Activation', 'LeakyReLU',
  'softmax', 'log_softmax', 'softmin', 'SoftmaxActivation', 'mean', 'norm', 'round', 'rint', 'floor', 'ceil', 'trunc', 'fix',
  '_power', 'broadcast_power', '_power_scalar', '_rpower_scalar', '_hypot', 'broadcast_hypot', '_hypot_scalar',
  'dot', 'batch_dot', 'FullyConnected', 'Convolution', 'Pooling',
  'SoftmaxOutput', 'LinearRegressionOutput', 'LogisticRegressionOutput', 'MAERegressionOutput', 'MakeLoss',
];

const SUPPORT = new Map<string, readonly DType[]>([
  ...MOVING.map((name) => [name, ALL] as const),
  ...INTEGER_ARITHMETIC.map((name) => [name, NUMBERS] as const),
  ...FLOAT_MATH.map((name) => [name, FLOATS] as const),
]);

/** Every op the table lists, with its dtypes (for tests and docs). */
export function dtypeSupportTable(): ReadonlyMap<string, readonly DType[]> {
  return SUPPORT;
}

/** The dtypes `def` computes in (float32 only for ops not listed above). */
export function supportedDTypes(def: AnyOpDef): readonly DType[] {
  return SUPPORT.get(def.name) ?? ['float32'];
}

/**
 * Refuses a node whose dtypes its op does not compute in, before anything runs: the error names
 * the op, the node and the dtypes, and lists what is supported.
 */
export function checkComputable(def: AnyOpDef, dtypes: readonly DType[], site: { op: string; node: string }): void {
  const supported = supportedDTypes(def);
  const refused = [...new Set(dtypes)].filter((d) => !supported.includes(d));
  if (refused.length === 0) return;
  throw new DTypeError(
    { op: site.op, node: site.node, actual: refused, expected: supported },
    `dtype ${refused.join(', ')} is not supported (supported: ${supported.join(', ')})`,
  );
}
