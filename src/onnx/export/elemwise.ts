/** Export of element-wise ops: unary math, array-array and array-scalar arithmetic, comparisons. */
import { attr, GraphBuilder } from '../graph_builder';
import { NodeExport, Translator, read } from '../export_types';
import { DataType } from '../proto';

const direct = (opType: string): Translator => (n, g) => g.node(opType, n.inputs.slice(0, 1), [n.outputs[0]!], {}, n.name);

/** Builds `x -> ... -> out` from the last step writing the node's output. */
function chain(n: NodeExport, g: GraphBuilder, build: (x: string, c: (v: number) => string) => [string, string[]]): void {
  const constant = (v: number) => g.constFloat(`${n.name}_c`, [v], []);
  const [opType, inputs] = build(n.inputs[0]!, constant);
  g.node(opType, inputs, [n.outputs[0]!], {}, n.name);
}

const UNARY: Readonly<Record<string, string>> = {
  relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', exp: 'Exp', log: 'Log', sqrt: 'Sqrt', abs: 'Abs', negative: 'Neg',
  reciprocal: 'Reciprocal', floor: 'Floor', ceil: 'Ceil', sin: 'Sin', cos: 'Cos', tan: 'Tan', arcsin: 'Asin', arccos: 'Acos',
  arctan: 'Atan', sinh: 'Sinh', cosh: 'Cosh', arcsinh: 'Asinh', arccosh: 'Acosh', arctanh: 'Atanh', erf: 'Erf', sign: 'Sign',
  softsign: 'Softsign', rint: 'Round',
  // Forward-only identities at inference.
  _copy: 'Identity', BlockGrad: 'Identity', MakeLoss: 'Identity', LinearRegressionOutput: 'Identity', MAERegressionOutput: 'Identity',
  LogisticRegressionOutput: 'Sigmoid',
};

const composedUnary: Readonly<Record<string, Translator>> = {
  square: (n, g) => g.node('Mul', [n.inputs[0]!, n.inputs[0]!], [n.outputs[0]!], {}, n.name),
  rsqrt: (n, g) => chain(n, g, (x) => ['Reciprocal', [g.step('Sqrt', [x], `${n.name}_sqrt`)]]),
  log2: (n, g) => chain(n, g, (x, c) => ['Div', [g.step('Log', [x], `${n.name}_ln`), c(Math.LN2)]]),
  log10: (n, g) => chain(n, g, (x, c) => ['Div', [g.step('Log', [x], `${n.name}_ln`), c(Math.LN10)]]),
  log1p: (n, g) => chain(n, g, (x, c) => ['Log', [g.step('Add', [x, c(1)], `${n.name}_plus1`)]]),
  expm1: (n, g) => chain(n, g, (x, c) => ['Sub', [g.step('Exp', [x], `${n.name}_exp`), c(1)]]),
  hard_sigmoid: (n, g) => g.node('HardSigmoid', [n.inputs[0]!], [n.outputs[0]!], { alpha: attr.f(read.num(n, 'alpha')), beta: attr.f(read.num(n, 'beta')) }, n.name),
  clip: (n, g) => chain(n, g, (x, c) => ['Clip', [x, c(read.num(n, 'a_min')), c(read.num(n, 'a_max'))]]),
};

const ARITHMETIC: Readonly<Record<string, string>> = { add: 'Add', sub: 'Sub', mul: 'Mul', div: 'Div', maximum: 'Max', minimum: 'Min', power: 'Pow' };
const COMPARISON: Readonly<Record<string, [string, boolean]>> = {
  equal: ['Equal', false], not_equal: ['Equal', true], greater: ['Greater', false], greater_equal: ['GreaterOrEqual', false],
  lesser: ['Less', false], lesser_equal: ['LessOrEqual', false],
};

const SCALAR_NAMES: Readonly<Record<string, string>> = { add: '_plus_scalar', sub: '_minus_scalar' };

/** A comparison's boolean result, negated when asked, as MXNet's 0/1 floats. */
function compare(n: NodeExport, g: GraphBuilder, kind: string, a: string, b: string): void {
  const [opType, negate] = COMPARISON[kind]!;
  let flags = g.step(opType, [a, b], `${n.name}_${kind}`);
  if (negate) flags = g.step('Not', [flags], `${n.name}_not`);
  g.node('Cast', [flags], [n.outputs[0]!], { to: attr.i(DataType.FLOAT) }, n.name);
}

const binary = (kind: string): Translator => (n, g) => {
  const [a, b] = [n.inputs[0]!, n.inputs[1]!];
  if (kind in COMPARISON) return compare(n, g, kind, a, b);
  g.node(ARITHMETIC[kind]!, [a, b], [n.outputs[0]!], {}, n.name);
};

/** `x op scalar`, or `scalar op x` for the reversed forms; the scalar is float32 as MXNet casts it. */
const scalar = (kind: string, reversed: boolean): Translator => (n, g) => {
  const c = g.constFloat(`${n.name}_scalar`, [Math.fround(read.num(n, 'scalar'))], []);
  const [a, b] = reversed ? [c, n.inputs[0]!] : [n.inputs[0]!, c];
  if (kind in COMPARISON) return compare(n, g, kind, a, b);
  g.node(ARITHMETIC[kind]!, [a, b], [n.outputs[0]!], {}, n.name);
};

function binaryTable(): Record<string, Translator> {
  const table: Record<string, Translator> = {};
  for (const kind of [...Object.keys(ARITHMETIC), ...Object.keys(COMPARISON)]) {
    table[`broadcast_${kind}`] = binary(kind);
    table[SCALAR_NAMES[kind] ?? `_${kind}_scalar`] = scalar(kind, false);
  }
  for (const kind of ['add', 'sub', 'mul', 'div']) table[`elemwise_${kind}`] = binary(kind);
  for (const kind of ['maximum', 'minimum', 'power', ...Object.keys(COMPARISON)]) table[`_${kind}`] = binary(kind);
  table['_rminus_scalar'] = scalar('sub', true);
  table['_rdiv_scalar'] = scalar('div', true);
  table['_rpower_scalar'] = scalar('power', true);
  table['_grad_add'] = binary('add');
  table['add_n'] = (n, g) => g.node('Sum', n.inputs, [n.outputs[0]!], {}, n.name);
  return table;
}

export const ELEMWISE_TRANSLATORS: Readonly<Record<string, Translator>> = {
  ...Object.fromEntries(Object.entries(UNARY).map(([op, opType]) => [op, direct(opType)])),
  ...composedUnary,
  ...binaryTable(),
};
