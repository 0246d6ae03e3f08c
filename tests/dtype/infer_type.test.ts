/**
 * Symbol.inferType / inferTypePartial and the per-op dtype rules (MXNet's InferType pass), with
 * goldens from MXNet's test_symbol.py (test_symbol_infer_type) and the FInferType of each op.
 */
import fc from 'fast-check';
import * as mx from 'mxts';

const v = (name: string, options: { dtype?: mx.DType } = {}) => mx.sym.Variable(name, options);

describe('inferType', () => {
  test('test_symbol_infer_type: Cast then an MLP; data float16 -> weights float32', () => {
    const data = v('data');
    const f32data = mx.sym.Cast({ data, dtype: 'float32' });
    const fc1 = mx.sym.FullyConnected({ data: f32data, name: 'fc1', num_hidden: 128 });
    const mlp = mx.sym.SoftmaxOutput({ data: fc1, name: 'softmax' });
    expect(mlp.inferType({ data: 'float16' })).toEqual({ argTypes: ['float16', 'float32', 'float32', 'float32'], outTypes: ['float32'], auxTypes: [] });
  });

  test('Symbol.infer_type docstring: c = a + b, infer_type(a=float32) gives float32 everywhere', () => {
    const c = v('a').add(v('b'));
    expect(c.inferType({ a: 'float32' })).toEqual({ argTypes: ['float32', 'float32'], outTypes: ['float32'], auxTypes: [] });
  });

  test('ElemwiseType propagates backward too: one known input decides the others', () => {
    const s = mx.sym.elemwise_add(mx.sym.elemwise_mul(v('a'), v('b')), v('c'));
    expect(s.inferType({ c: 'float64' }).argTypes).toEqual(['float64', 'float64', 'float64']);
    expect(s.inferType(['int32', null, null]).outTypes).toEqual(['int32']);
  });

  test('inferTypePartial leaves undecided dtypes null; inferType names them in a DTypeError', () => {
    const s = mx.sym.Group([mx.sym.exp(v('x')), mx.sym.Cast(v('y'), { dtype: 'int8' })]);
    expect(s.inferTypePartial({})).toEqual({ argTypes: [null, null], outTypes: [null, 'int8'], auxTypes: [] });
    expect(() => s.inferType({ x: 'float32' })).toThrow(mx.DTypeError);
    expect(() => s.inferType({ x: 'float32' })).toThrow('inferType: cannot decide the dtypes of 1 argument (y) from the dtypes given; provide them, or call inferTypePartial');
  });

  test('a Variable`s dtype is stored as __dtype__ (the mshadow flag) and used by inference, through JSON too', () => {
    const x = v('x', { dtype: 'uint8' });
    expect(x.attr('__dtype__')).toBe('3');
    const s = mx.sym.broadcast_add(x, v('y'));
    expect(s.inferType().argTypes).toEqual(['uint8', 'uint8']);
    expect(mx.sym.fromJSON(s.toJSON()).inferType().outTypes).toEqual(['uint8']);
  });

  test('conflicting dtypes are a DTypeError naming op, node and input', () => {
    const s = mx.sym.elemwise_add(v('a', { dtype: 'float64' }), v('b', { dtype: 'int32' }), { name: 'plus' });
    expect(() => s.inferType()).toThrow(mx.DTypeError);
    expect(() => s.inferType()).toThrow("elemwise_add 'plus': rhs has dtype int32, but elemwise_add needs float64 there");
  });

  test('unknown names and dtypes are refused', () => {
    expect(() => v('x').inferType({ y: 'float32' })).toThrow(/y is not an argument of the symbol/);
    expect(() => v('x').inferType({ x: 'float128' as never })).toThrow(/x must be one of float32/);
  });
});

describe('dtype rules of the ops', () => {
  const outType = (s: mx.Symbol, types: Record<string, mx.DType>) => s.inferTypePartial(types).outTypes;

  test.each([
    ['Cast: the dtype parameter', () => mx.sym.Cast(v('x'), { dtype: 'int64' }), { x: 'float32' }, ['int64']],
    ['comparisons: the input dtype (legacy ops)', () => mx.sym.broadcast_greater(v('x'), v('y')), { x: 'int32' }, ['int32']],
    ['argmax: the input dtype (ElemwiseType<1,1>)', () => mx.sym.argmax(v('x'), { axis: 0 }), { x: 'float64' }, ['float64']],
    ['argsort: the dtype parameter, float32 by default', () => mx.sym.argsort(v('x')), { x: 'float64' }, ['float32']],
    ['argsort dtype int32', () => mx.sym.argsort(v('x'), { dtype: 'int32' }), { x: 'float64' }, ['int32']],
    ['topk both: values in data`s dtype, indices in dtype', () => mx.sym.topk(v('x'), { ret_typ: 'both', dtype: 'int64' }), { x: 'float16' }, ['float16', 'int64']],
    ['shape_array: int64', () => mx.sym.shape_array(v('x')), { x: 'float16' }, ['int64']],
    ['size_array: int64', () => mx.sym.size_array(v('x')), { x: 'uint8' }, ['int64']],
    ['one_hot: the dtype parameter', () => mx.sym.one_hot(v('x'), { depth: 3, dtype: 'int8' }), { x: 'int32' }, ['int8']],
    ['take: indices may differ from the data', () => mx.sym.take(v('x'), v('i')), { x: 'float64', i: 'int32' }, ['float64']],
    ['_zeros: the dtype parameter', () => mx.sym.zeros([2], 'int32'), {}, ['int32']],
    ['_arange: float32 by default', () => mx.sym.arange(0, 3), {}, ['float32']],
    ['softmax dtype: the output type, the input free', () => mx.sym.softmax(v('x'), { dtype: 'float64' }), { x: 'float32' }, ['float64']],
    ['softmax without dtype: the input type', () => mx.sym.softmax(v('x')), { x: 'float16' }, ['float16']],
    ['norm out_dtype', () => mx.sym.norm(v('x'), { out_dtype: 'float64' }), { x: 'float32' }, ['float64']],
  ] as const)('%s', (_name, build, types, expected) => {
    expect(outType(build(), types as Record<string, mx.DType>)).toEqual(expected);
  });

  test('Embedding: indices any dtype, weight and output the dtype parameter', () => {
    const s = mx.sym.Embedding({ data: v('idx'), input_dim: 10, output_dim: 4, dtype: 'float16', name: 'emb' });
    expect(s.inferType({ idx: 'int32' })).toEqual({ argTypes: ['int32', 'float16'], outTypes: ['float16'], auxTypes: [] });
  });

  test('property: a random chain of dtype-preserving ops carries any dtype from its input to its output', () => {
    const unary = ['relu', 'negative', 'abs', 'Flatten', 'transpose', 'BlockGrad'] as const;
    fc.assert(
      fc.property(fc.constantFrom<mx.DType>('float32', 'float64', 'float16', 'int32', 'int8', 'uint8', 'int64'), fc.array(fc.constantFrom(...unary), { maxLength: 6 }), fc.boolean(), (dtype, chain, fromOutputSide) => {
        let s = v('x');
        for (const op of chain) s = (mx.sym as unknown as Record<string, (x: mx.Symbol) => mx.Symbol>)[op]!(s);
        s = mx.sym.elemwise_add(s, v('y'));
        const result = s.inferType(fromOutputSide ? { y: dtype } : { x: dtype });
        expect(result.argTypes).toEqual([dtype, dtype]);
        expect(result.outTypes).toEqual([dtype]);
      }),
      { numRuns: 50 },
    );
  });
});

describe('simpleBind with typeDict, bind with typed arrays', () => {
  test('simpleBind allocates every array in its inferred dtype', () => {
    const s = mx.sym.FullyConnected({ data: v('x'), num_hidden: 2, name: 'fc' });
    const exec = s.simpleBind(mx.cpu(), { shapes: { x: [1, 3] }, typeDict: { x: 'float64' } });
    expect(exec.argArrays.map((a) => a.dtype)).toEqual(['float64', 'float64', 'float64']);
    expect(exec.gradArrays.map((a) => a?.dtype)).toEqual(['float64', 'float64', 'float64']);
    expect(exec.outputs[0]!.dtype).toBe('float64');
  });

  test('without typeDict arguments default to float32 unless __dtype__ says otherwise', () => {
    const s = mx.sym.elemwise_add(mx.sym.Cast(v('img', { dtype: 'uint8' }), { dtype: 'float32' }), v('bias'));
    const exec = s.simpleBind(mx.cpu(), { shapes: { img: [2], bias: [2] }, gradReq: 'null' });
    expect(exec.argArrays.map((a) => a.dtype)).toEqual(['uint8', 'float32']);
  });

  test('bind takes the dtypes of the arrays; a gradient array of another dtype is refused', () => {
    const s = mx.sym.elemwise_mul(v('a'), v('b'));
    const a = mx.nd.array([1.5, 2], { dtype: 'float64' });
    const b = mx.nd.array([3, 1 / 3], { dtype: 'float64' });
    const exec = s.bind(mx.cpu(), { a, b });
    expect(Array.from(exec.forward()[0]!.values)).toEqual([4.5, 2 / 3]);
    expect(() => s.bind(mx.cpu(), { a, b }, { argsGrad: { a: mx.nd.zeros([2]), b: mx.nd.zeros([2], { dtype: 'float64' }) } })).toThrow("bind: a gradient array is float32 but the argument is float64");
    expect(() => s.bind(mx.cpu(), { a, b: mx.nd.zeros([2]) })).toThrow(mx.DTypeError);
  });

  test('forward feeds are converted to the bound dtype', () => {
    const exec = mx.sym.sum(v('x')).bind(mx.cpu(), { x: mx.nd.zeros([3], { dtype: 'int32' }) }, { gradReq: 'null' });
    expect(Array.from(exec.forward(false, { x: [1.9, 2.9, -3.9] })[0]!.values)).toEqual([0]); // 1 + 2 - 3
  });
});

describe('executors of other dtypes', () => {
  test('reshape keeps each array`s dtype and computes in it', () => {
    const s = mx.sym.sum(mx.sym.elemwise_mul(v('a'), v('b')), { axis: 1 });
    const exec = s.simpleBind(mx.cpu(), { shapes: { a: [2, 3], b: [2, 3] }, typeDict: { a: 'int32' } });
    const small = exec.reshape({ a: [1, 3], b: [1, 3] });
    expect(small.argArrays.map((x) => x.dtype)).toEqual(['int32', 'int32']);
    small.argDict.a!.set([1, 2, 3]);
    small.argDict.b!.set([4, 5, 6]);
    expect(Array.from(small.forward()[0]!.values)).toEqual([32]);
    expect(small.outputs[0]!.dtype).toBe('int32');
  });
});

describe('BatchNorm`s dtype rule', () => {
  test('float16 data: gamma, beta and the moving statistics are float32 (MXNet BatchNormType)', () => {
    const bn = mx.sym.BatchNorm({ data: v('x'), name: 'bn' });
    expect(bn.inferType({ x: 'float16' })).toEqual({ argTypes: ['float16', 'float32', 'float32'], outTypes: ['float16'], auxTypes: ['float32', 'float32'] });
    expect(bn.inferType({ x: 'float64' }).auxTypes).toEqual(['float64', 'float64']);
  });
});
