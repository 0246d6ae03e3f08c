/**
 * The Symbol API around the operators, checked against the examples of MXNet 1.9.1's docstrings
 * (python/mxnet/symbol/symbol.py; each test names its method) with MXNet's results: debug_str,
 * eval, __iter__/__getitem__/__len__, get_children, attr_dict, list_attr, get_internals,
 * infer_shape (legacy 0 = unknown, and NumPy shape semantics), simple_bind with keyword shapes,
 * and composition (__call__) by name and by position. Auto-names are drawn from a fresh name
 * manager, so MXNet's counters (`_plus4`) read from 0 here.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../helpers/backends';
import { thrown } from '../helpers/errors';

const fresh = <T>(body: () => T): T => mx.name.withNameManager(new mx.name.NameManager(), body);
const V = (name: string, options: mx.VariableOptions = {}) => mx.sym.Variable(name, options);

describe('debugStr (symbol.py debug_str, nnvm Symbol::Print)', () => {
  test('the docstring example prints exactly as MXNet 1.9.1 does', () => {
    const d = fresh(() => {
      const a = V('a');
      const b = mx.sym.sin(a);
      const c = a.mul(2).add(b); // Python: 2 * a + b
      return mx.sym.FullyConnected({ data: c, num_hidden: 10 });
    });
    expect(d.debugStr()).toBe([
      'Symbol Outputs:',
      '\toutput[0]=fullyconnected0(0)',
      'Variable:a',
      '--------------------',
      'Op:_mul_scalar, Name=_mulscalar0',
      'Inputs:',
      '\targ[0]=a(0) version=0',
      'Attrs:',
      '\tscalar=2',
      '--------------------',
      'Op:sin, Name=sin0',
      'Inputs:',
      '\targ[0]=a(0) version=0',
      '--------------------',
      'Op:elemwise_add, Name=_plus0',
      'Inputs:',
      '\targ[0]=_mulscalar0(0)',
      '\targ[1]=sin0(0)',
      'Variable:fullyconnected0_weight',
      'Variable:fullyconnected0_bias',
      '--------------------',
      'Op:FullyConnected, Name=fullyconnected0',
      'Inputs:',
      '\targ[0]=_plus0(0)',
      '\targ[1]=fullyconnected0_weight(0) version=0',
      '\targ[2]=fullyconnected0_bias(0) version=0',
      'Attrs:',
      '\tnum_hidden=10',
      '',
    ].join('\n'));
  });

  test('a lone variable and an op without inputs print on one line (nnvm: Variable / AtomicFunctor)', () => {
    expect(V('a').debugStr()).toBe('Variable:a\n');
    expect(mx.sym.zeros([2]).debugStr()).toBe('AtomicFunctor  Op:_zeros\n');
  });

  test('groups list every output; attributes are sorted by key; mutated inputs raise the version', () => {
    const text = fresh(() => {
      const bn = mx.sym.BatchNorm({ data: V('data'), name: 'bn', fix_gamma: false, eps: 0.001 });
      return mx.sym.Group([bn, V('x')]).debugStr();
    });
    expect(text.split('\n').slice(0, 3)).toEqual(['Symbol Outputs:', '\toutput[0]=bn(0)', '\toutput[1]=x(0)']);
    expect(text).toContain('\targ[2]=bn_beta(0) version=0\n\targ[3]=bn_moving_mean(0) version=1\n\targ[4]=bn_moving_var(0) version=1\nAttrs:\n\teps=0.001\n\tfix_gamma=False\n');
    expect(text.endsWith('Variable:x\n')).toBe(true);
  });
});

describeEachBackend('eval (symbol.py eval)', () => {
  test('docstring: (a + b).eval(ctx, a=ones(2,3), b=ones(2,3)) is a list with one 2x3 array of 2', () => {
    const c = V('a').add(V('b'));
    const ex = c.eval({ ctx: mx.cpu(), a: mx.nd.ones([2, 3]), b: mx.nd.ones([2, 3]) });
    expect(ex).toHaveLength(1);
    expect(ex[0]!.toArray()).toEqual([[2, 2, 2], [2, 2, 2]]);
  });

  test('__neg__ docstring: (-a * b).eval gives -1 everywhere; ctx defaults to mx.cpu()', () => {
    const c = V('a').neg().mul(V('b'));
    expect(c.eval({ a: mx.nd.ones([2, 3]), b: mx.nd.ones([2, 3]) })[0]!.toArray()).toEqual([[-1, -1, -1], [-1, -1, -1]]);
  });

  test('a group returns one array per output; auxiliary states may be given by name', () => {
    const x = V('x');
    const bn = mx.sym.BatchNorm({ data: x, name: 'bn', fix_gamma: false });
    const outs = mx.sym.Group([x.exp(), bn]).eval({
      x: mx.nd.array([[0, 1], [2, 3]]), bn_gamma: mx.nd.ones([2]), bn_beta: mx.nd.zeros([2]),
      bn_moving_mean: mx.nd.array([1, 2]), bn_moving_var: mx.nd.array([4, 1]),
    });
    mx.testUtils.assertAlmostEqual(outs[0]!.toArray(), [[1, Math.E], [Math.exp(2), Math.exp(3)]], { rtol: 1e-6, atol: 1e-6 });
    // inference uses the moving statistics: (x - mean) / sqrt(var + 1e-3)
    mx.testUtils.assertAlmostEqual(outs[1]!.toArray(), [[-1 / Math.sqrt(4.001), -1 / Math.sqrt(1.001)], [1 / Math.sqrt(4.001), 1 / Math.sqrt(1.001)]], { rtol: 1e-5, atol: 1e-6 });
  });

  test('a missing argument, a misspelt one, or a non-array is a BindError naming it', () => {
    const c = V('a').add(V('b'));
    expect(thrown(() => c.eval({ a: mx.nd.ones([2]) })).message).toBe('bind: b is missing from args; the symbol needs a, b');
    const misspelt = thrown(() => c.eval({ a: mx.nd.ones([2]), B: mx.nd.ones([2]) }));
    expect(misspelt).toBeInstanceOf(mx.BindError);
    expect(misspelt.message).toBe("eval: B is not an argument of the symbol (did you mean 'b'?); its arguments are a, b");
    expect(thrown(() => c.eval({ a: mx.nd.ones([2]), b: [1, 2] as unknown as mx.NDArray })).message).toBe('eval: b must be an NDArray, got object');
  });
});

describe('outputs: iteration, length, get (symbol.py __iter__, __len__, __getitem__)', () => {
  test('__iter__ docstring: the children of d + (a + b) iterate as <Symbol d>, <Symbol _plus0>', () => {
    const out = fresh(() => V('d').add(V('a').add(V('b'))).getChildren()!);
    expect([...out].map(String)).toEqual(['<Symbol d>', '<Symbol _plus0>']);
    expect(out.length).toBe(2);
    expect(out.numOutputs).toBe(2);
  });

  test('__getitem__ docstring: a[0] is a itself; len(a + b) is 1', () => {
    const a = V('a');
    expect(String(a.get(0))).toBe('<Symbol a>');
    expect(a.get(0).outputs[0]).toBe(a.outputs[0]);
    expect(a.add(V('b')).length).toBe(1);
  });

  test('get by output name ("<node>_output", a variable by its name) on getInternals()', () => {
    const internals = fresh(() => mx.sym.FullyConnected({ data: V('data'), name: 'fc1', num_hidden: 3 }).sigmoid().getInternals());
    expect(internals.listOutputs()).toEqual(['data', 'fc1_weight', 'fc1_bias', 'fc1_output', 'sigmoid0_output']);
    expect(internals.get('fc1_output').listOutputs()).toEqual(['fc1_output']);
    expect(internals.get('fc1_output').inferShape({ data: [2, 5] }).outShapes).toEqual([[2, 3]]);
    expect(internals.get('fc1_weight').name).toBe('fc1_weight');
  });

  test('unknown and ambiguous names and out-of-range indices are ValueErrors naming them', () => {
    const g = mx.sym.Group([V('x'), V('y'), V('x')]);
    const unknown = thrown(() => g.get('z'));
    expect(unknown).toBeInstanceOf(mx.ValueError);
    expect(unknown.message).toBe("Symbol.get: name 'z' matches no output; outputs are x, y, x");
    expect(thrown(() => g.get('x')).message).toBe("Symbol.get: name 'x' matches several outputs");
    expect(thrown(() => g.get(3)).message).toBe('Symbol.get: index 3 is out of range for 3 outputs');
    expect(thrown(() => g.get(-1)).message).toBe('Symbol.get: index -1 is out of range for 3 outputs');
  });
});

describe('types of the additions (checked by tsc)', () => {
  test('iteration yields Symbols, eval returns NDArray[]; a number is not an eval input; callbacks are typed', () => {
    const c = V('a').add(V('b'));
    const parts: mx.Symbol[] = [...mx.sym.Group([c, V('d')])];
    expect(parts.map((p) => p.listOutputs()[0])).toEqual([c.listOutputs()[0], 'd']);
    const outs: mx.NDArray[] = c.eval({ a: mx.nd.ones([1]), b: mx.nd.ones([1]) });
    expect(outs[0]!.toArray()).toEqual([2]);
    // @ts-expect-error an eval input must be an NDArray
    expect(thrown(() => c.eval({ a: 3, b: mx.nd.ones([1]) }))).toBeInstanceOf(mx.BindError);
    const exe = c.simpleBind(mx.cpu(), { a: [1], b: [1] });
    const callback: mx.MonitorCallback = (name: string, array: mx.NDArray) => void [name, array.shape];
    exe.setMonitorCallback(callback, true);
    // @ts-expect-error the callback receives (name, array)
    expect(thrown(() => exe.setMonitorCallback(42))).toBeInstanceOf(mx.ValueError);
  });
});

describe('introspection docstrings (get_children, attr_dict, list_attr, attr, get_internals, list_*)', () => {
  test('get_children: children of x + (y + z) are x and _plus0; theirs are y and z; a variable has none', () => {
    const b = fresh(() => V('x').add(V('y').add(V('z'))));
    expect(b.getChildren()!.listOutputs()).toEqual(['x', '_plus0_output']);
    expect(b.getChildren()!.getChildren()!.listOutputs()).toEqual(['y', 'z']);
    expect(V('x').getChildren()).toBeNull();
  });

  test("attr_dict: {'a': {'a1': 'a2'}, 'b': {'b1': 'b2'}}; list_attr and attr: {'mood': 'angry'}", () => {
    const c = V('a', { attr: { a1: 'a2' } }).add(V('b', { attr: { b1: 'b2' } }));
    expect({ ...c.attrDict() }).toEqual({ a: { a1: 'a2' }, b: { b1: 'b2' } });
    const data = V('data', { attr: { mood: 'angry' } });
    expect(data.listAttr()).toEqual({ mood: 'angry' });
    expect(data.attr('mood')).toBe('angry');
    expect(data.attr('missing')).toBeUndefined();
  });

  test("get_internals / list_arguments / list_outputs of a + b: ['a', 'b', '_plus0_output'], ['a', 'b'], ['_plus0_output']", () => {
    const c = fresh(() => V('a').add(V('b')));
    expect(c.getInternals().listOutputs()).toEqual(['a', 'b', '_plus0_output']);
    expect(c.listArguments()).toEqual(['a', 'b']);
    expect(c.listOutputs()).toEqual(['_plus0_output']);
    expect(c.listAuxiliaryStates()).toEqual([]);
  });

  test('list_auxiliary_states and list_inputs of BatchNorm (docstring examples)', () => {
    const fc1 = mx.sym.FullyConnected({ data: V('data'), weight: V('fc1_weight'), name: 'fc1', num_hidden: 128 });
    expect(mx.sym.BatchNorm(fc1, { name: 'batchnorm0' }).listAuxiliaryStates()).toEqual(['batchnorm0_moving_mean', 'batchnorm0_moving_var']);
    const bn = mx.sym.BatchNorm({ name: 'bn' });
    expect(bn.listArguments()).toEqual(['bn_data', 'bn_gamma', 'bn_beta']);
    expect(bn.listAuxiliaryStates()).toEqual(['bn_moving_mean', 'bn_moving_var']);
    expect(bn.listInputs()).toEqual(['bn_data', 'bn_gamma', 'bn_beta', 'bn_moving_mean', 'bn_moving_var']);
  });
});

describe('inferShape: 0 means unknown (MXNet 1.x legacy), NumPy semantics with mx.util', () => {
  const sum = () => V('a').add(V('b'));

  test('infer_shape docstring: c.infer_shape(a=(3,3)) -> ([(3,3), (3,3)], [(3,3)], [])', () => {
    expect(sum().inferShape({ a: [3, 3] })).toEqual({ argShapes: [[3, 3], [3, 3]], outShapes: [[3, 3]], auxShapes: [] });
  });

  test('infer_shape docstring: a=(0,3) is unknown (MXNet returns None; inferShape throws, the partial form gives nulls)', () => {
    expect(mx.util.isNpShape()).toBe(false);
    const err = thrown(() => sum().inferShape({ a: [0, 3] }));
    expect(err).toBeInstanceOf(mx.ShapeError);
    expect(err.message).toBe('inferShape: cannot decide the shapes of 2 arguments (a, b) from the shapes given; provide them, or call inferShapePartial');
    expect(sum().inferShapePartial({ a: [0, 3] })).toEqual({ argShapes: [null, null], outShapes: [null], auxShapes: [] });
    // positionally too, and in a variable's shape hint
    expect(sum().inferShapePartial([[0, 3], [2, 3]])).toEqual({ argShapes: [[2, 3], [2, 3]], outShapes: [[2, 3]], auxShapes: [] });
    expect(mx.sym.sigmoid(V('x', { shape: [0, 3] })).inferShapePartial({}).argShapes).toEqual([null]);
  });

  test('with NumPy shape semantics 0 is a real dimension and -1 is unknown; setNpShape returns the previous state', () => {
    expect(mx.util.npShape(true, () => sum().inferShape({ a: [0, 3] }))).toEqual({ argShapes: [[0, 3], [0, 3]], outShapes: [[0, 3]], auxShapes: [] });
    expect(mx.util.npShape(true, () => mx.util.isNpShape())).toBe(true);
    expect(mx.util.isNpShape()).toBe(false);
    const previous = mx.util.setNpShape(true);
    try {
      expect(previous).toBe(false);
      expect(sum().inferShapePartial({ a: [-1, 3] })).toEqual({ argShapes: [null, null], outShapes: [null], auxShapes: [] });
      expect(mx.sym.sigmoid(V('x', { shape: [0, 3] })).inferShape({}).outShapes).toEqual([[0, 3]]);
    } finally {
      expect(mx.util.setNpShape(previous)).toBe(true);
    }
    // without NumPy semantics -1 is no dimension at all
    expect(thrown(() => sum().inferShape({ a: [-1, 3] }))).toBeInstanceOf(mx.ShapeError);
  });

  test('infer_shape docstring: an inconsistent weight shape is an error naming the node and the argument', () => {
    let out = mx.sym.FullyConnected({ data: V('data'), name: 'fc1', num_hidden: 1000 });
    out = mx.sym.Activation({ data: out, act_type: 'relu' });
    out = mx.sym.FullyConnected({ data: out, name: 'fc2', num_hidden: 10 });
    const err = thrown(() => out.inferShape({ data: [100, 100], fc1_weight: [1, 100] }));
    expect(err).toBeInstanceOf(mx.ShapeError);
    expect([err.op, err.node, err.argument]).toEqual(['FullyConnected', 'fc1', 'weight']);
    expect(err.message).toBe("FullyConnected 'fc1': weight shape [1,100] does not match the inferred shape [1000,100]");
  });

  test('infer_shape_partial docstring: prev unknown leaves fc2 undecided; given prev, everything is inferred', () => {
    const fc1 = mx.sym.FullyConnected({ data: V('data'), name: 'fc1', num_hidden: 128 });
    const fc2 = mx.sym.FullyConnected({ data: V('prev'), name: 'fc2', num_hidden: 128 });
    const out = mx.sym.Activation({ data: mx.sym.elemwise_add(fc1, fc2), act_type: 'relu' });
    expect(out.listArguments()).toEqual(['data', 'fc1_weight', 'fc1_bias', 'prev', 'fc2_weight', 'fc2_bias']);
    expect(thrown(() => out.inferShape({ data: [10, 64] }))).toBeInstanceOf(mx.ShapeError);
    // MXNet prints the unknown shapes as (); mxts as null
    expect(out.inferShapePartial({ data: [10, 64] })).toEqual({ argShapes: [[10, 64], [128, 64], [128], null, null, null], outShapes: [[10, 128]], auxShapes: [] });
    expect(out.inferShape({ data: [10, 64], prev: [10, 128] })).toEqual({
      argShapes: [[10, 64], [128, 64], [128], [10, 128], [128, 128], [128]], outShapes: [[10, 128]], auxShapes: [],
    });
  });
});

describeEachBackend('simpleBind with keyword shapes (symbol.py simple_bind)', () => {
  const net = () => mx.sym.FullyConnected(V('x'), { num_hidden: 4, name: 'fc' });

  test("docstring: simple_bind(cpu, x=(5,4), grad_req='null'): zero outputs 5x4, arrays 5x4, 4x4, 4, no gradients", () => {
    const exe = net().simpleBind(mx.cpu(), { x: [5, 4], gradReq: 'null' });
    expect(exe.forward()[0]!.toArray()).toEqual(Array.from({ length: 5 }, () => [0, 0, 0, 0]));
    expect(exe.argArrays.map((a) => a.shape)).toEqual([[5, 4], [4, 4], [4]]);
    // (the docstring shows gradient arrays, but MXNet returns None for each with grad_req='null')
    expect(exe.gradArrays).toEqual([null, null, null]);
  });

  test('keyword shapes and `shapes` combine; the executor computes like one bound with `shapes`', () => {
    const a = net().simpleBind(mx.cpu(), { x: [2, 3], shapes: { fc_weight: [4, 3] } });
    const b = net().simpleBind(mx.cpu(), { shapes: { x: [2, 3] } });
    expect(a.argArrays.map((arr) => arr.shape)).toEqual(b.argArrays.map((arr) => arr.shape));
    for (const exe of [a, b]) {
      exe.argDict['x']!.set(mx.nd.array([[1, 2, 3], [4, 5, 6]]));
      exe.argDict['fc_weight']!.set(mx.nd.ones([4, 3]));
      exe.argDict['fc_bias']!.set(mx.nd.array([0, 1, 2, 3]));
    }
    expect(a.forward()[0]!.toArray()).toEqual([[6, 7, 8, 9], [15, 16, 17, 18]]);
    expect(a.outputs[0]!.toArray()).toEqual(b.forward()[0]!.toArray());
  });

  test('a misspelt argument or option is a BindError naming it, with a hint; a shape given twice too', () => {
    const misspelt = thrown(() => net().simpleBind(mx.cpu(), { X: [5, 4] }));
    expect(misspelt).toBeInstanceOf(mx.BindError);
    expect(misspelt.argument).toBe('X');
    expect(misspelt.message).toBe("simpleBind: X is neither an argument of the symbol nor an option (did you mean 'x'?); arguments are x, fc_weight, fc_bias; options are shapes, typeDict, gradReq, backend");
    expect(thrown(() => net().simpleBind(mx.cpu(), { x: [5, 4], gradreq: 'null' })).message).toContain("gradreq is neither an argument of the symbol nor an option (did you mean 'gradReq'?)");
    expect(thrown(() => net().simpleBind(mx.cpu(), { x: [5, 4], shapes: { x: [5, 4] } })).message).toBe('simpleBind: x is given twice: in shapes and at the top level');
    // a bad shape is named by shape inference
    expect(thrown(() => net().simpleBind(mx.cpu(), { x: [5, -4] })).argument).toBe('x');
  });
});

describe('compose (symbol.py __call__): by name and by position', () => {
  test("docstring: net2(fc3_data=net1, name='composed') is <Symbol composed>", () => {
    const net1 = mx.sym.FullyConnected({ data: V('data'), name: 'fc1', num_hidden: 10 });
    const net2 = mx.sym.FullyConnected({ name: 'fc3', num_hidden: 10 });
    const composed = net2.compose({ fc3_data: net1 }, { name: 'composed' });
    expect(String(composed)).toBe('<Symbol composed>');
    expect(composed.listArguments()).toEqual(['data', 'fc1_weight', 'fc1_bias', 'fc3_weight', 'fc3_bias']);
  });

  test('positional inputs replace the inputs in listInputs() order', () => {
    const net1 = mx.sym.FullyConnected({ data: V('data'), name: 'fc1', num_hidden: 10 });
    const net2 = mx.sym.FullyConnected({ name: 'fc3', num_hidden: 10 });
    expect(net2.compose([net1], { name: 'composed' }).toJSON()).toBe(net2.compose({ fc3_data: net1 }, { name: 'composed' }).toJSON());
    const both = net2.compose([net1, V('w')]);
    expect(both.listArguments()).toEqual(['data', 'fc1_weight', 'fc1_bias', 'w', 'fc3_bias']);
    expect(both.inferShape({ data: [2, 5] }).argShapes[3]).toEqual([10, 10]);
  });

  test('too many positional inputs, a variable, or a non-symbol are ValueErrors naming them', () => {
    const net2 = mx.sym.FullyConnected({ name: 'fc3', num_hidden: 10 });
    const x = V('x');
    expect(thrown(() => net2.compose([x, x, x, x])).message).toBe('compose: inputs has 4 symbols but the symbol has 3 inputs (fc3_data, fc3_weight, fc3_bias)');
    expect(thrown(() => x.compose({ x: V('y') })).message).toBe('compose: symbol is a variable: a variable cannot be composed');
    expect(thrown(() => net2.compose([3 as unknown as mx.Symbol])).message).toBe('compose: inputs[0] must be a symbol with one output');
  });
});
