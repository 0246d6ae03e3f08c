/**
 * Executor construction and state (reference 6.1-6.4, surprises 16-17): bind / simpleBind
 * validation, arrays bound not copied, forward feeds, the dictionaries, copyParamsFrom, reshape.
 */
import * as mx from 'mxts';
import { expectClose } from '../helpers/close';
import { thrown } from '../helpers/errors';

const ctx = mx.cpu();
const V = (name: string) => mx.sym.Variable(name);
const fresh = <T>(body: () => T): T => mx.name.withNameManager(new mx.name.NameManager(), body);
const values = (a: mx.NDArray) => Array.from(a.data);

/** sigmoid(x) * y + z */
function xyz(): mx.Symbol {
  return fresh(() => mx.sym.sigmoid(V('x'), { name: 'sig' }).mul(V('y')).add(V('z')));
}
const sigmoid64 = (v: number) => 1 / (1 + Math.exp(-v));

describe('bind: arguments', () => {
  test('a record binds by name; argDict lists the very arrays given, in listArguments order', () => {
    const args = { z: mx.nd.full([2, 2], 3), y: mx.nd.full([2, 2], 2), x: mx.nd.zeros([2, 2]) };
    const exec = xyz().bind(ctx, args);
    expect(Object.keys(exec.argDict)).toEqual(['x', 'y', 'z']);
    expect(exec.argDict['x']).toBe(args.x);
    expect(exec.argArrays).toEqual([args.x, args.y, args.z]);
    expectClose(values(exec.forward()[0]!), [4, 4, 4, 4], 1e-6, 1e-6); // 0.5 * 2 + 3
  });

  test('a list binds in listArguments order', () => {
    const exec = xyz().bind(ctx, [mx.nd.zeros([3]), mx.nd.full([3], 4), mx.nd.full([3], -1)]);
    expectClose(values(exec.forward()[0]!), [1, 1, 1], 1e-6, 1e-6);
  });

  test('a list of the wrong length is a BindError stating the counts', () => {
    const call = () => xyz().bind(ctx, [mx.nd.zeros([3]), mx.nd.zeros([3])]);
    expect(call).toThrow(mx.BindError);
    expect(call).toThrow(/2 .*3/);
  });

  test('a missing argument is a BindError naming it', () => {
    const error = thrown(() => xyz().bind(ctx, { x: mx.nd.zeros([3]), z: mx.nd.zeros([3]) }));
    expect(error).toBeInstanceOf(mx.BindError);
    expect(error.argument).toBe('y');
    expect(error.message).toMatch(/\by\b.*missing/);
  });

  test('extra keys in the record are ignored', () => {
    const exec = V('x').bind(ctx, { x: mx.nd.ones([2]), unused: mx.nd.ones([5]) });
    expect(Object.keys(exec.argDict)).toEqual(['x']);
  });

  test('a non-NDArray argument is a BindError naming it', () => {
    const bad = { x: mx.nd.zeros([3]), y: [1, 2, 3], z: mx.nd.zeros([3]) } as unknown as Record<string, mx.NDArray>;
    const error = thrown(() => xyz().bind(ctx, bad));
    expect(error).toBeInstanceOf(mx.BindError);
    expect(error.argument).toBe('y');
  });

  test('a ctx that is not a Context is rejected naming ctx', () => {
    const bad = 'cpu' as unknown as mx.Context;
    expect(() => V('x').bind(bad, { x: mx.nd.ones([1]) })).toThrow(mx.MXNetError);
    expect(() => V('x').bind(bad, { x: mx.nd.ones([1]) })).toThrow(/ctx/);
    expect(() => V('x').simpleBind(bad, { shapes: { x: [1] } })).toThrow(/ctx/);
  });

  test('arguments whose shapes conflict are rejected at bind with an error naming the node', () => {
    const call = () => xyz().bind(ctx, { x: mx.nd.zeros([3, 4]), y: mx.nd.zeros([4, 3]), z: mx.nd.zeros([3, 4]) });
    expect(call).toThrow(mx.MXNetError);
    expect(call).toThrow(/_mul0/);
  });

  test('a label of the wrong shape is rejected at bind naming SoftmaxOutput, node and label', () => {
    const s = mx.sym.SoftmaxOutput(V('data'), { name: 'sm' });
    const call = () => s.bind(ctx, { data: mx.nd.zeros([3, 4]), sm_label: mx.nd.zeros([4]) });
    expect(call).toThrow(mx.ShapeError);
    expect(call).toThrow(/SoftmaxOutput 'sm': label/);
  });

  test('two distinct variables with the same name in one graph are rejected at bind and simpleBind', () => {
    const s = V('x').add(V('x'));
    expect(s.listArguments()).toEqual(['x', 'x']);
    const error = thrown(() => s.bind(ctx, { x: mx.nd.ones([2]) }));
    expect(error).toBeInstanceOf(mx.BindError);
    expect(error.argument).toBe('x');
    expect(() => s.simpleBind(ctx, { shapes: { x: [2] } })).toThrow(mx.BindError);
  });

  test('one variable used twice is a single argument and binds fine', () => {
    const x = V('x');
    const exec = x.add(x).bind(ctx, { x: mx.nd.array([1, 2]) });
    expect(values(exec.forward()[0]!)).toEqual([2, 4]);
  });
});

describe('bind: gradient arrays', () => {
  test('without argsGrad, gradient arrays are allocated (zero-filled) for every argument (mxts divergence)', () => {
    const exec = xyz().bind(ctx, { x: mx.nd.ones([2]), y: mx.nd.ones([2]), z: mx.nd.ones([2]) });
    expect(Object.keys(exec.gradDict)).toEqual(['x', 'y', 'z']);
    for (const g of exec.gradArrays) {
      expect(g!.shape).toEqual([2]);
      expect(values(g!)).toEqual([0, 0]);
    }
  });

  test("gradReq 'null' for an argument gives null in gradArrays and no gradDict entry", () => {
    const args = { x: mx.nd.ones([2]), y: mx.nd.ones([2]), z: mx.nd.ones([2]) };
    const exec = xyz().bind(ctx, args, { gradReq: { x: 'write', z: 'add' } });
    expect(exec.gradArrays[1]).toBeNull();
    expect(Object.keys(exec.gradDict)).toEqual(['x', 'z']);
  });

  test('a gradReq list gives one request per argument in order', () => {
    const args = [mx.nd.ones([2]), mx.nd.ones([2]), mx.nd.ones([2])];
    const exec = xyz().bind(ctx, args, { gradReq: ['null', 'write', 'null'] });
    expect(exec.gradArrays.map((g) => g !== null)).toEqual([false, true, false]);
  });

  test('argsGrad arrays are bound: backward writes into the very arrays given', () => {
    const gx = mx.nd.zeros([2]);
    const exec = mx.sym.make_loss(V('x')).bind(ctx, { x: mx.nd.ones([2]) }, { argsGrad: { x: gx } });
    expect(exec.gradDict['x']).toBe(gx);
    exec.forward(true);
    exec.backward();
    expect(values(gx)).toEqual([1, 1]);
  });

  test('an argsGrad record missing a name means no gradient for that argument', () => {
    const args = { x: mx.nd.ones([2]), y: mx.nd.ones([2]), z: mx.nd.ones([2]) };
    const exec = xyz().bind(ctx, args, { argsGrad: { y: mx.nd.zeros([2]) } });
    expect(exec.gradArrays.map((g) => g !== null)).toEqual([false, true, false]);
    expect(Object.keys(exec.gradDict)).toEqual(['y']);
  });

  test('an argsGrad list may hold null entries', () => {
    const args = [mx.nd.ones([2]), mx.nd.ones([2]), mx.nd.ones([2])];
    const exec = xyz().bind(ctx, args, { argsGrad: [null, mx.nd.zeros([2]), null] });
    expect(Object.keys(exec.gradDict)).toEqual(['y']);
  });

  test('an argsGrad list of the wrong length and a mis-shaped gradient are BindErrors', () => {
    const args = { x: mx.nd.ones([2]), y: mx.nd.ones([2]), z: mx.nd.ones([2]) };
    expect(() => xyz().bind(ctx, args, { argsGrad: [mx.nd.zeros([2])] })).toThrow(mx.BindError);
    const error = thrown(() => xyz().bind(ctx, args, { argsGrad: { z: mx.nd.zeros([3]) } }));
    expect(error).toBeInstanceOf(mx.BindError);
    expect(error.argument).toBe('z');
  });

  test('an invalid gradReq string is rejected', () => {
    const bad = 'inplace' as unknown as mx.GradReq;
    expect(() => V('x').bind(ctx, { x: mx.nd.ones([1]) }, { gradReq: bad })).toThrow(mx.MXNetError);
  });
});

describe('bound arrays and forward feeds', () => {
  test('arrays are bound, not copied: writing to the user array changes the next forward', () => {
    const x = mx.nd.zeros([2]);
    const exec = mx.sym.sigmoid(V('x')).bind(ctx, { x });
    expectClose(values(exec.forward()[0]!), [0.5, 0.5], 1e-6, 1e-7);
    x.data[1] = 2;
    expectClose(values(exec.forward()[0]!), [0.5, sigmoid64(2)], 1e-6, 1e-7);
  });

  test('forward feeds are copied INTO the bound array; the fed array is not aliased', () => {
    const x = mx.nd.zeros([2]);
    const exec = mx.sym.sigmoid(V('x')).bind(ctx, { x });
    const feed = mx.nd.array([1, -1]);
    exec.forward(false, { x: feed });
    expect(exec.argDict['x']).toBe(x);
    expect(values(x)).toEqual([1, -1]);
    feed.data[0] = 100;
    expect(x.data[0]).toBe(1);
    expectClose(values(exec.forward()[0]!), [sigmoid64(1), sigmoid64(-1)], 1e-6, 1e-7);
  });

  test('a feed with an unknown name is a BindError naming it', () => {
    const exec = mx.sym.sigmoid(V('x')).bind(ctx, { x: mx.nd.zeros([2]) });
    const error = thrown(() => exec.forward(false, { y: mx.nd.zeros([2]) }));
    expect(error).toBeInstanceOf(mx.BindError);
    expect(error.argument).toBe('y');
  });

  test('a feed of another shape is a BindError even with the same size', () => {
    const exec = mx.sym.sigmoid(V('x')).bind(ctx, { x: mx.nd.zeros([3, 4]) });
    const error = thrown(() => exec.forward(false, { x: mx.nd.zeros([4, 3]) }));
    expect(error).toBeInstanceOf(mx.BindError);
    expect(error.argument).toBe('x');
    expect(error.message).toMatch(/\[3,4\]/);
  });

  test('forward returns exec.outputs, the same arrays on every call', () => {
    const exec = mx.sym.sigmoid(V('x')).bind(ctx, { x: mx.nd.zeros([2]) });
    const first = exec.forward();
    const second = exec.forward(true);
    expect(first).toBe(exec.outputs);
    expect(second[0]).toBe(first[0]);
  });

  test('outputDict is keyed by listOutputs; auxDict and auxArrays are empty without aux states', () => {
    const x = V('x');
    const g = fresh(() => mx.sym.Group([mx.sym.sigmoid(x, { name: 's' }), mx.sym.make_loss(x, { name: 'ml' })]));
    const exec = g.bind(ctx, { x: mx.nd.zeros([1]) });
    exec.forward();
    expect(Object.keys(exec.outputDict)).toEqual(['s_output', 'ml_loss']);
    expect(exec.outputDict['s_output']).toBe(exec.outputs[0]);
    expect(exec.auxDict).toEqual({});
    expect(exec.auxArrays).toEqual([]);
  });

  // executor.py::_get_dict raises ValueError('Duplicate names detected, ...') (reference 6.4)
  test('outputDict of a group with a repeated output name throws instead of dropping an output', () => {
    const s = fresh(() => mx.sym.sigmoid(V('x'), { name: 's' }));
    const exec = mx.sym.Group([s, s]).bind(ctx, { x: mx.nd.zeros([1]) });
    exec.forward();
    expect(exec.outputs).toHaveLength(2);
    expect(() => exec.outputDict).toThrow(mx.MXNetError);
  });

  test('an internal output binds on its own as a feature extractor', () => {
    const net = fresh(() => {
      const a = V('a');
      const hidden = mx.sym.sigmoid(a.mul(2), { name: 'hidden' });
      return mx.sym.SoftmaxOutput(hidden, { name: 'sm' });
    });
    const feature = net.getInternals().get('hidden_output');
    expect(feature.listArguments()).toEqual(['a']);
    const exec = feature.bind(ctx, { a: mx.nd.array([0, 1]) }, { gradReq: 'null' });
    expectClose(values(exec.forward()[0]!), [0.5, sigmoid64(2)], 1e-6, 1e-7);
  });

  test('forward and backward never mutate feeds or head gradients the user passes', () => {
    const exec = mx.sym.sigmoid(V('x')).bind(ctx, { x: mx.nd.zeros([3]) });
    const feed = mx.nd.array([0.1, 0.2, 0.3]);
    const head = mx.nd.array([1, 2, 3]);
    exec.forward(true, { x: feed });
    exec.backward([head]);
    expect(values(feed)).toEqual(values(mx.nd.array([0.1, 0.2, 0.3])));
    expect(values(head)).toEqual([1, 2, 3]);
  });
});

describe('simpleBind', () => {
  test('allocates zero-filled arguments and gradients from inferred shapes, the label included', () => {
    const s = mx.sym.SoftmaxOutput(V('data'), { name: 'sm' });
    const exec = s.simpleBind(ctx, { shapes: { data: [3, 4] } });
    expect(exec.argDict['data']!.shape).toEqual([3, 4]);
    expect(exec.argDict['sm_label']!.shape).toEqual([3]);
    for (const a of [...exec.argArrays, ...exec.gradArrays]) expect(values(a!).every((v) => v === 0)).toBe(true);
  });

  test('a gradReq string applies to labels too', () => {
    const s = mx.sym.SoftmaxOutput(V('data'), { name: 'sm' });
    const exec = s.simpleBind(ctx, { shapes: { data: [3, 4] }, gradReq: 'add' });
    expect(Object.keys(exec.gradDict)).toEqual(['data', 'sm_label']);
    expect(exec.gradDict['sm_label']!.shape).toEqual([3]);
  });

  test('a gradReq record defaults to null for arguments it does not name', () => {
    const s = mx.sym.SoftmaxOutput(V('data'), { name: 'sm' });
    const exec = s.simpleBind(ctx, { shapes: { data: [3, 4] }, gradReq: { data: 'write' } });
    expect(Object.keys(exec.gradDict)).toEqual(['data']);
    expect(exec.gradArrays[1]).toBeNull();
  });

  test('undecided shapes are a ShapeError naming the arguments', () => {
    const call = () => mx.sym.broadcast_add(V('a'), V('b')).simpleBind(ctx, { shapes: { a: [2] } });
    expect(call).toThrow(mx.ShapeError);
    expect(call).toThrow(/\bb\b/);
  });

  test('an unknown shape name is rejected naming it', () => {
    expect(() => V('a').simpleBind(ctx, { shapes: { a: [2], q: [2] } })).toThrow(/\bq\b/);
  });
});

describe('copyParamsFrom', () => {
  test('copies values into the bound arrays (not the objects)', () => {
    const w = mx.nd.zeros([2]);
    const exec = mx.sym.broadcast_mul(V('x'), V('w')).bind(ctx, { x: mx.nd.ones([2]), w });
    const source = mx.nd.array([3, 4]);
    exec.copyParamsFrom({ w: source });
    expect(exec.argDict['w']).toBe(w);
    expect(values(w)).toEqual([3, 4]);
    source.data[0] = 9;
    expect(w.data[0]).toBe(3);
  });

  test('an unknown name is an error naming it unless allowExtraParams', () => {
    const exec = V('x').bind(ctx, { x: mx.nd.ones([2]) });
    expect(() => exec.copyParamsFrom({ x: mx.nd.zeros([2]), extra: mx.nd.zeros([1]) })).toThrow(/extra/);
    exec.copyParamsFrom({ x: mx.nd.zeros([2]), extra: mx.nd.zeros([1]) }, {}, true);
    expect(values(exec.argDict['x']!)).toEqual([0, 0]);
  });

  test('an unknown auxiliary state is an error unless allowExtraParams', () => {
    const exec = V('x').bind(ctx, { x: mx.nd.ones([2]) });
    expect(() => exec.copyParamsFrom({}, { moving_mean: mx.nd.zeros([2]) })).toThrow(/moving_mean/);
    expect(() => exec.copyParamsFrom({}, { moving_mean: mx.nd.zeros([2]) }, true)).not.toThrow();
  });

  test('a shape mismatch is an error naming the parameter', () => {
    const exec = V('x').bind(ctx, { x: mx.nd.ones([2]) });
    const error = thrown(() => exec.copyParamsFrom({ x: mx.nd.zeros([3]) }));
    expect(error.argument).toBe('x');
  });
});

describe('reshape (test_executor.py::test_reshape with broadcast_mul for FullyConnected)', () => {
  /** out = x * w with x (5,4) = 1 and w (1,4) = 4, so every output is 4. */
  function bound(gradReq: mx.GradReq = 'null') {
    const s = mx.sym.broadcast_mul(V('x'), V('w'));
    const exec = s.simpleBind(ctx, { shapes: { x: [5, 4], w: [1, 4] }, gradReq });
    exec.argDict['x']!.set(1);
    exec.argDict['w']!.set(4);
    return exec;
  }

  test('a smaller shape runs on the shared arrays: the new executor computes 4 everywhere', () => {
    const exec = bound();
    const small = exec.reshape({ x: [3, 4] });
    expect(small.argDict['x']!.shape).toEqual([3, 4]);
    small.forward();
    expect(values(small.outputs[0]!).every((v) => v === 4)).toBe(true);
  });

  test('arrays whose shape is unchanged (the weight) are the same objects', () => {
    const exec = bound('write');
    const small = exec.reshape({ x: [3, 4] });
    expect(small.argDict['w']).toBe(exec.argDict['w']);
    expect(small.gradDict['w']).toBe(exec.gradDict['w']);
  });

  test('a smaller argument is a view of the original memory', () => {
    const exec = bound();
    const small = exec.reshape({ x: [3, 4] });
    small.argDict['x']!.set(7);
    expect(values(exec.argDict['x']!)).toEqual([...new Array(12).fill(7), ...new Array(8).fill(1)]);
  });

  test('the outputs share memory too: after the new executor runs, the first 3 rows of the old output are 4', () => {
    // test_reshape: new_exe.forward(); assert np.all(exe.outputs[0].asnumpy()[:3] == 4)
    const exec = bound();
    const small = exec.reshape({ x: [3, 4] });
    small.forward();
    expect(values(exec.outputs[0]!).slice(0, 12)).toEqual(new Array(12).fill(4));
  });

  test('a larger shape needs allowUpSizing', () => {
    const exec = bound();
    const error = thrown(() => exec.reshape({ x: [6, 4] }));
    expect(error.argument).toBe('x');
  });

  test('with allowUpSizing the data array is new (the old one untouched) and the weight stays shared', () => {
    const exec = bound();
    const big = exec.reshape({ x: [6, 4] }, { allowUpSizing: true });
    big.argDict['x']!.set(0);
    expect(values(exec.argDict['x']!).every((v) => v === 1)).toBe(true);
    expect(big.argDict['w']).toBe(exec.argDict['w']);
    expect(values(big.argDict['w']!)).toEqual([4, 4, 4, 4]);
  });

  test('an argument not named whose shape changes needs partialShaping', () => {
    const s = V('x').add(V('y'));
    const exec = s.simpleBind(ctx, { shapes: { x: [4, 2] }, gradReq: 'null' });
    const error = thrown(() => exec.reshape({ x: [2, 2] }));
    expect(error.argument).toBe('y');
    const partial = exec.reshape({ x: [2, 2] }, { partialShaping: true });
    expect(partial.argDict['y']!.shape).toEqual([2, 2]);
  });

  test('an unknown name is rejected', () => {
    expect(() => bound().reshape({ nope: [1, 4] })).toThrow(/nope/);
  });

  test('the original executor keeps working with its own shapes', () => {
    const exec = bound();
    exec.reshape({ x: [3, 4] });
    expect(exec.forward()[0]!.shape).toEqual([5, 4]);
    expect(values(exec.outputs[0]!).every((v) => v === 4)).toBe(true);
  });
});

describe('the two front ends agree: mx.nd.<Op> equals mx.sym.<Op> + bind + forward', () => {
  const cases: [string, (ins: mx.NDArray[]) => mx.NDArray, (ins: mx.Symbol[]) => mx.Symbol, number[][]][] = [
    ['sigmoid', ([x]) => mx.nd.sigmoid(x!), ([x]) => mx.sym.sigmoid(x!), [[3, 4]]],
    ['softmax axis 0', ([x]) => mx.nd.softmax(x!, { axis: 0 }), ([x]) => mx.sym.softmax(x!, { axis: 0 }), [[3, 4]]],
    ['log_softmax', ([x]) => mx.nd.log_softmax(x!), ([x]) => mx.sym.log_softmax(x!), [[2, 5]]],
    ['broadcast_div', ([a, b]) => mx.nd.broadcast_div(a!, b!), ([a, b]) => mx.sym.broadcast_div(a!, b!), [[3, 1], [1, 4]]],
    ['_rdiv_scalar', ([x]) => mx.nd._rdiv_scalar(x!, { scalar: 3 }), ([x]) => x!.rdiv(3), [[2, 2]]],
    ['SoftmaxOutput', ([x, l]) => mx.nd.SoftmaxOutput(x!, l!), ([x, l]) => mx.sym.SoftmaxOutput(x!, l!), [[2, 3], [2]]],
    ['LogisticRegressionOutput', ([x, l]) => mx.nd.LogisticRegressionOutput(x!, l!), ([x, l]) => mx.sym.LogisticRegressionOutput(x!, l!), [[2, 3], [2, 3]]],
  ];
  test.each(cases)('%s', (_name, imperative, symbolic, shapes) => {
    mx.random.seed(13);
    const inputs = shapes.map((shape) => mx.nd.random.uniform(0.5, 2, shape));
    const names = shapes.map((_, i) => `in${i}`);
    const s = symbolic(names.map((n) => V(n)));
    const args: Record<string, mx.NDArray> = {};
    names.forEach((n, i) => (args[n] = inputs[i]!));
    const viaSymbol = s.bind(ctx, args, { gradReq: 'null' }).forward()[0]!;
    const viaNd = imperative(inputs);
    expect(viaNd.shape).toEqual(viaSymbol.shape);
    expect(values(viaNd)).toEqual(values(viaSymbol));
  });
});
