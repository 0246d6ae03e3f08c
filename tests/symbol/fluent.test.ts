/**
 * Symbol's fluent methods, arithmetic/comparison dispatch and mx.sym's module-level functions
 * (MXNet 1.9.1 python/mxnet/symbol/symbol.py): each fluent method builds the node the op call
 * builds, Python operators map to MXNet's ops and default node names, and the types autocomplete.
 */
import * as mx from 'mxts';
import { FLUENT_METHODS, camelCase } from '../../src/symbol/fluent_table';
import { expectClose, F32 } from '../helpers/close';

const fresh = <T>(body: () => T): T => mx.name.withNameManager(new mx.name.NameManager(), body);

interface JsonNode {
  op: string;
  name: string;
  attrs?: Record<string, string>;
}
const nodesOf = (s: mx.Symbol): JsonNode[] => (JSON.parse(s.toJSON()) as { nodes: JsonNode[] }).nodes;
const headOf = (s: mx.Symbol): JsonNode => nodesOf(s).at(-1)!;

/** Extra inputs and required parameters for fluent calls (the receiver is `x`). */
function callArgs(snake: string): unknown[] {
  const other = mx.sym.Variable('other');
  const table: Record<string, unknown[]> = {
    reshape_like: [other], slice_like: [other], broadcast_like: [other], take: [other], pick: [other],
    broadcast_axes: [{ axis: 0, size: 2 }], repeat: [{ repeats: 2 }], pad: [{ mode: 'constant', pad_width: [0, 0, 0, 0, 1, 1, 1, 1] }],
    split: [{ num_outputs: 2 }], slice: [{ begin: [0], end: [1] }], slice_axis: [{ axis: 0, begin: 0, end: 1 }],
    one_hot: [{ depth: 3 }], clip: [{ a_min: 0, a_max: 1 }], expand_dims: [{ axis: 0 }], broadcast_to: [{ shape: [2, 3] }],
    tile: [{ reps: [2] }], depth_to_space: [{ block_size: 2 }], space_to_depth: [{ block_size: 2 }],
    swapaxes: [{ dim1: 0, dim2: 1 }], flip: [{ axis: 0 }], sum: [{ axis: 1, keepdims: true }], topk: [{ k: 2 }], softmax: [{ axis: 0 }],
  };
  return table[snake] ?? [];
}

type AnyMethod = (...args: unknown[]) => mx.Symbol;
type AnyOp = (...args: unknown[]) => mx.Symbol;
const method = (s: mx.Symbol, name: string) => (s as unknown as Record<string, AnyMethod>)[name]!.bind(s);
const symOp = (name: string) => (mx.sym as unknown as Record<string, AnyOp>)[name]!;

describe('fluent methods build the op call’s node (symbol.py: op.<name>(self, *args, **kwargs))', () => {
  test.each(FLUENT_METHODS.map(([snake, op]) => [snake, op] as const))('x.%s(...) == mx.sym.%s(x, ...)', (snake, op) => {
    const expected = fresh(() => symOp(op)(mx.sym.Variable('x'), ...callArgs(snake)).toJSON());
    const viaSnake = fresh(() => method(mx.sym.Variable('x'), snake)(...callArgs(snake)).toJSON());
    const viaCamel = fresh(() => method(mx.sym.Variable('x'), camelCase(snake))(...callArgs(snake)).toJSON());
    expect(viaSnake).toBe(expected);
    expect(viaCamel).toBe(expected);
  });

  test('camelCase names keep MXNet’s snake_case alias (sliceAxis/slice_axis, logSoftmax/log_softmax...)', () => {
    const x = mx.sym.Variable('x');
    for (const name of ['sliceAxis', 'expandDims', 'logSoftmax', 'broadcastTo', 'zerosLike', 'onesLike', 'shapeArray', 'sizeArray', 'oneHot', 'depthToSpace', 'argmaxChannel']) {
      expect(typeof method(x, name)).toBe('function');
    }
    expect(fresh(() => x.exp().name)).toBe('exp0');
    expect(fresh(() => x.logSoftmax().name)).toBe('log_softmax0');
  });

  test('split returns a symbol of num_outputs heads', () => {
    const parts = fresh(() => mx.sym.Variable('x').split({ num_outputs: 3, axis: 1 }));
    expect(parts.listOutputs()).toEqual(['split0_output0', 'split0_output1', 'split0_output2']);
  });

  test('split_v2 builds _split_v2 with indices prefixed by 0 or a section count (symbol.py split_v2)', () => {
    const x = mx.sym.Variable('x');
    expect(headOf(fresh(() => x.splitV2([2, 3], { axis: 1 })))).toMatchObject({
      op: '_split_v2', name: '_split_v20', attrs: { indices: '[0, 2, 3]', axis: '1', squeeze_axis: 'False', sections: '0' },
    });
    const bySections = fresh(() => x.split_v2(3));
    expect(headOf(bySections).attrs).toMatchObject({ indices: '[]', sections: '3' });
    expect(bySections.numOutputs).toBe(3);
  });

  test('reshape(shape) and reshape({shape, reverse}) build reshape nodes (symbol.py Symbol.reshape)', () => {
    const x = mx.sym.Variable('x');
    const a = fresh(() => x.reshape([-1, 0], { reverse: true }));
    expect(headOf(a)).toEqual({ op: 'Reshape', name: 'reshape0', attrs: { reverse: 'True', shape: '(-1, 0)' }, inputs: [[0, 0, 0]] });
    expect(fresh(() => x.reshape({ shape: [-1, 0], reverse: true }).toJSON())).toBe(a.toJSON());
    // Reshape docstring: (10, 5, 4) with shape (-1, 0) and reverse=1 gives (50, 4).
    expect(a.inferShape({ x: [10, 5, 4] }).outShapes).toEqual([[50, 4]]);
  });

  test('astype(dtype) is cast with dtype (node cast0)', () => {
    const c = fresh(() => mx.sym.Variable('x').astype('int32'));
    expect(headOf(c)).toMatchObject({ op: 'Cast', name: 'cast0', attrs: { dtype: 'int32' } });
  });

  test('a chain of fluent methods evaluates as the ops do (sum docstring example, then exp/abs)', () => {
    // MXNet sum docstring: data (3, 3, 2), sum(data, axis=1) = [[4, 8], [10, 9], [21, 6]].
    const data = mx.nd.array([[[1, 2], [2, 3], [1, 3]], [[1, 4], [4, 3], [5, 2]], [[7, 1], [7, 2], [7, 3]]]);
    const x = mx.sym.Variable('x');
    const exec = x.sum({ axis: 1 }).neg().abs().sqrt().bind(mx.cpu(), { x: data });
    const expected = [4, 8, 10, 9, 21, 6].map(Math.sqrt);
    expectClose(exec.forward()[0]!.data, expected, F32.rtol, F32.atol);
  });
});

// JSON holds the canonical op name: _Plus is an alias of elemwise_add, _Power of _power...
describe('arithmetic and comparison map to the ops of symbol.py’s __add__ ... __le__', () => {
  const cases: readonly [string, (x: mx.Symbol, y: mx.Symbol) => mx.Symbol, string, string][] = [
    ['x + y', (x, y) => x.add(y), 'elemwise_add', '_plus0'],
    ['x + 1', (x) => x.add(1), '_plus_scalar', '_plusscalar0'],
    ['x - y', (x, y) => x.sub(y), 'elemwise_sub', '_minus0'],
    ['x - 1', (x) => x.sub(1), '_minus_scalar', '_minusscalar0'],
    ['1 - x', (x) => x.rsub(1), '_rminus_scalar', '_rminusscalar0'],
    ['x * y', (x, y) => x.mul(y), 'elemwise_mul', '_mul0'],
    ['x * 2', (x) => x.mul(2), '_mul_scalar', '_mulscalar0'],
    ['x / y', (x, y) => x.div(y), 'elemwise_div', '_div0'],
    ['x / 2', (x) => x.div(2), '_div_scalar', '_divscalar0'],
    ['2 / x', (x) => x.rdiv(2), '_rdiv_scalar', '_rdivscalar0'],
    ['x % y', (x, y) => x.mod(y), '_mod', '_mod0'],
    ['x % 2', (x) => x.mod(2), '_mod_scalar', '_modscalar0'],
    ['2 % x', (x) => x.rmod(2), '_rmod_scalar', '_rmodscalar0'],
    ['x ** y', (x, y) => x.pow(y), '_power', '_power0'],
    ['x ** 2', (x) => x.pow(2), '_power_scalar', '_powerscalar0'],
    ['2 ** x', (x) => x.rpow(2), '_rpower_scalar', '_rpower_scalar0'], // __rpow__ calls _internal._rpower_scalar
    ['-x', (x) => x.neg(), '_mul_scalar', '_mulscalar0'],
    ['x == y', (x, y) => x.equal(y), '_equal', '_equal0'],
    ['x == 1', (x) => x.equal(1), '_equal_scalar', '_equal_scalar0'],
    ['x != y', (x, y) => x.notEqual(y), '_not_equal', '_not_equal0'],
    ['x != 1', (x) => x.notEqual(1), '_not_equal_scalar', '_not_equal_scalar0'],
    ['x > y', (x, y) => x.greater(y), '_greater', '_greater0'],
    ['x > 1', (x) => x.greater(1), '_greater_scalar', '_greater_scalar0'],
    ['x >= y', (x, y) => x.greaterEqual(y), '_greater_equal', '_greater_equal0'],
    ['x >= 1', (x) => x.greaterEqual(1), '_greater_equal_scalar', '_greater_equal_scalar0'],
    ['x < y', (x, y) => x.lesser(y), '_lesser', '_lesser0'],
    ['x < 1', (x) => x.lesser(1), '_lesser_scalar', '_lesser_scalar0'],
    ['x <= y', (x, y) => x.lesserEqual(y), '_lesser_equal', '_lesser_equal0'],
    ['x <= 1', (x) => x.lesserEqual(1), '_lesser_equal_scalar', '_lesser_equal_scalar0'],
  ];
  test.each(cases.map(([label, build, op, name]) => [label, op, name, build] as const))('%s -> op %s, node %s', (_label, op, name, build) => {
    const head = headOf(fresh(() => build(mx.sym.Variable('x'), mx.sym.Variable('y'))));
    expect(head.op).toBe(op);
    expect(head.name).toBe(name);
  });

  test('-x stores scalar "-1.0" as MXNet’s __neg__ (self * -1.0)', () => {
    expect(headOf(mx.sym.Variable('x').neg()).attrs).toEqual({ scalar: '-1.0' });
  });

  test('reflected methods with a symbol swap the operands', () => {
    const x = mx.sym.Variable('x');
    const y = mx.sym.Variable('y');
    expect(fresh(() => x.rsub(y).toJSON())).toBe(fresh(() => y.sub(x).toJSON()));
    expect(fresh(() => x.rpow(y).toJSON())).toBe(fresh(() => y.pow(x).toJSON()));
  });

  test('comparisons evaluate to 1 where true and 0 elsewhere', () => {
    const x = mx.sym.Variable('x');
    const y = mx.sym.Variable('y');
    const args = { x: mx.nd.array([1, 2, 3]), y: mx.nd.array([3, 2, 1]) };
    const run = (s: mx.Symbol) => Array.from(s.bind(mx.cpu(), s.listArguments().length === 1 ? { x: args.x } : args).forward()[0]!.data);
    expect(run(x.greater(y))).toEqual([0, 0, 1]);
    expect(run(x.greaterEqual(2))).toEqual([0, 1, 1]);
    expect(run(x.lesser(y))).toEqual([1, 0, 0]);
    expect(run(x.equal(2))).toEqual([0, 1, 0]);
    expect(run(x.notEqual(y))).toEqual([1, 0, 1]);
    expect(run(x.rsub(10))).toEqual([9, 8, 7]);
    expect(run(x.rmod(7))).toEqual([0, 1, 1]);
  });

  test('a non-number, non-symbol operand is a ValueError', () => {
    expect(() => mx.sym.Variable('x').add('1' as unknown as number)).toThrow(mx.MXNetError);
  });
});

describe('mx.sym module functions (symbol.py pow, maximum, minimum, hypot, zeros...)', () => {
  const x = mx.sym.Variable('x');
  const y = mx.sym.Variable('y');
  test.each(([
    ['pow(x, y)', () => mx.sym.pow(x, y), '_power', '_power0'],
    ['pow(x, 2)', () => mx.sym.pow(x, 2), '_power_scalar', '_powerscalar0'],
    ['pow(2, x)', () => mx.sym.pow(2, x), '_rpower_scalar', '_rpowerscalar0'],
    ['power(x, 2)', () => mx.sym.power(x, 2), '_power_scalar', '_powerscalar0'],
    ['maximum(x, y)', () => mx.sym.maximum(x, y), '_maximum', '_maximum0'],
    ['maximum(x, 1)', () => mx.sym.maximum(x, 1), '_maximum_scalar', '_maximumscalar0'],
    ['maximum(1, x)', () => mx.sym.maximum(1, x), '_maximum_scalar', '_maximumscalar0'],
    ['minimum(x, y)', () => mx.sym.minimum(x, y), '_minimum', '_minimum0'],
    ['minimum(1, x)', () => mx.sym.minimum(1, x), '_minimum_scalar', '_minimumscalar0'],
    ['hypot(x, y)', () => mx.sym.hypot(x, y), '_hypot', '_hypot0'],
    ['hypot(x, 3)', () => mx.sym.hypot(x, 3), '_hypot_scalar', '_hypotscalar0'],
  ] as const).map(([label, build, op, name]) => [label, op, name, build] as const))('%s -> op %s, node %s', (_label, op, name, build) => {
    const head = headOf(fresh(build));
    expect(head.op).toBe(op);
    expect(head.name).toBe(name);
  });

  test('docstring examples of pow, power, maximum, minimum, hypot evaluate to MXNet’s results', () => {
    const run = (s: mx.Symbol, args: Record<string, number[]>) => {
      const arrays = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, mx.nd.array(v)]));
      return s.bind(mx.cpu(), arrays).forward()[0]!.data;
    };
    expect(Array.from(run(mx.sym.pow(x, 2) as mx.Symbol, { x: [1, 2] }))).toEqual([1, 4]);
    expect(Array.from(run(mx.sym.power(3, y), { y: [2, 3] }))).toEqual([9, 27]);
    expect(Array.from(run(mx.sym.pow(x, y), { x: [3, 4], y: [2, 3] }))).toEqual([9, 64]);
    expect(Array.from(run(mx.sym.maximum(x, 4), { x: [3, 5, 2, 10] }))).toEqual([4, 5, 4, 10]);
    expect(Array.from(run(mx.sym.maximum(x, y), { x: [3, 4], y: [10, 2] }))).toEqual([10, 4]);
    expect(Array.from(run(mx.sym.minimum(x, 4), { x: [3, 5, 2, 10] }))).toEqual([3, 4, 2, 4]);
    expect(Array.from(run(mx.sym.minimum(x, y), { x: [3, 4], y: [10, 2] }))).toEqual([3, 2]);
    expectClose(run(mx.sym.hypot(x, 4), { x: [3, 5, 2] }), [5, 6.40312433, 4.47213602], F32.rtol, F32.atol);
    expectClose(run(mx.sym.hypot(x, y), { x: [3, 4], y: [10, 2] }), [10.44030666, 4.47213602], F32.rtol, F32.atol);
    expect(mx.sym.power(2, 3)).toBe(8);
    expect(mx.sym.maximum(2, 3.5)).toBe(3.5);
    expect(mx.sym.minimum(2, 3.5)).toBe(2);
  });

  test('two numbers compute directly, as in symbol.py', () => {
    expect(mx.sym.pow(2, 10)).toBe(1024);
    expect(mx.sym.maximum(2, 3)).toBe(3);
    expect(mx.sym.minimum(2, 3)).toBe(2);
    expect(mx.sym.hypot(3, 4)).toBe(5);
  });

  test('zeros/ones/full/eye/linspace/arange store MXNet’s attributes (dtype None -> float32)', () => {
    expect(headOf(fresh(() => mx.sym.zeros([2, 3])))).toEqual({ op: '_zeros', name: '_zeros0', attrs: { dtype: 'float32', shape: '(2, 3)' }, inputs: [] });
    expect(headOf(fresh(() => mx.sym.ones([2], 'int32')))).toMatchObject({ op: '_ones', name: '_ones0', attrs: { dtype: 'int32', shape: '(2,)' } });
    expect(headOf(fresh(() => mx.sym.full([2], 7)))).toMatchObject({ op: '_full', attrs: { dtype: 'float32', shape: '(2,)', value: '7.0' } });
    expect(headOf(fresh(() => mx.sym.eye(3)))).toMatchObject({ op: '_eye', name: '_eye0', attrs: { N: '3', M: '0', k: '0', dtype: 'float32' } });
    expect(headOf(fresh(() => mx.sym.linspace(0, 1, 5)))).toMatchObject({ op: '_linspace', attrs: { start: '0', stop: '1', num: '5', endpoint: 'True', dtype: 'float32' } });
    expect(headOf(fresh(() => mx.sym.arange(2, 8, 2, { repeat: 2 })))).toMatchObject({
      op: '_arange', attrs: { start: '2', stop: '8', step: '2', repeat: '2', infer_range: 'False', dtype: 'float32' },
    });
    expect(headOf(fresh(() => mx.sym.arange(5))).attrs).toMatchObject({ stop: 'None', step: '1.0' });
  });

  test('creation symbols evaluate (eye k=1, arange repeat, full)', () => {
    const run = (s: mx.Symbol) => Array.from(s.bind(mx.cpu(), {}).forward()[0]!.data);
    expect(run(mx.sym.eye(2, 3, 1))).toEqual([0, 1, 0, 0, 0, 1]);
    expect(run(mx.sym.arange(2, 8, 2, { repeat: 2 }))).toEqual([2, 2, 4, 4, 6, 6]);
    expect(run(mx.sym.full([3], 0.5))).toEqual([0.5, 0.5, 0.5]);
    expect(run(mx.sym.linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
});

describe('types', () => {
  test('fluent methods type-check; misspellings do not (checked by tsc)', () => {
    const x = mx.sym.Variable('x');
    const ok: mx.Symbol[] = [x.sliceAxis({ axis: 0, begin: 0, end: 1 }), x.slice_axis({ axis: 0, begin: 0, end: 1 }), x.logSoftmax(), x.split({ num_outputs: 2 })];
    expect(ok).toHaveLength(4);
    // @ts-expect-error misspelled fluent method
    expect(() => x.sliceAxes({ axis: 0 })).toThrow(TypeError);
    // @ts-expect-error comparisons take a Symbol or a number
    expect(() => x.greater('1')).toThrow(mx.MXNetError);
    // @ts-expect-error two numbers give a number, not a Symbol
    const notSymbol: mx.Symbol = mx.sym.maximum(1, 2);
    expect(notSymbol).toBe(2);
  });
});
