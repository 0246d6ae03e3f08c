/**
 * Automatic naming (reference 4.2, 3.8, surprise 13), composing ops from positional and named
 * inputs with a trailing parameter object, arithmetic nodes, and immutability of built graphs.
 */
import * as mx from 'mxts';

const fresh = <T>(body: () => T): T => mx.name.withNameManager(new mx.name.NameManager(), body);

/** The op name of a symbol's first head node ('null' for a variable). */
function opOf(s: mx.Symbol): string {
  const node = s.outputs[0]!.node;
  return node.kind === 'op' ? node.op.name : 'null';
}

describe('automatic names', () => {
  test('the first unnamed SoftmaxOutput is softmaxoutput0 with output softmaxoutput0_output', () => {
    const s = fresh(() => mx.sym.SoftmaxOutput(mx.sym.Variable('data')));
    expect(s.name).toBe('softmaxoutput0');
    expect(s.listOutputs()).toEqual(['softmaxoutput0_output']);
  });

  test('counters are per hint and global across graphs', () => {
    fresh(() => {
      const a = mx.sym.Variable('a');
      const b = mx.sym.Variable('b');
      expect(a.add(b).name).toBe('_plus0');
      expect(mx.sym.Variable('c').add(mx.sym.Variable('d')).name).toBe('_plus1');
      expect(a.mul(b).name).toBe('_mul0');
      expect(mx.sym.sigmoid(a).name).toBe('sigmoid0');
      expect(mx.sym.sigmoid(b).name).toBe('sigmoid1');
    });
  });

  test('a user-given name is used unchanged and does not advance the counter', () => {
    fresh(() => {
      const x = mx.sym.Variable('x');
      expect(mx.sym.sigmoid(x, { name: 'act' }).name).toBe('act');
      expect(mx.sym.sigmoid(x).name).toBe('sigmoid0');
    });
  });

  // NameManager.get (python/mxnet/name.py): `if name: return name`, so '' is auto-named
  test("an empty name '' is treated as no name and auto-named", () => {
    fresh(() => {
      const s = mx.sym.SoftmaxOutput(mx.sym.Variable('x'), { name: '' });
      expect(s.name).toBe('softmaxoutput0');
      expect(s.listArguments()).toEqual(['x', 'softmaxoutput0_label']);
    });
  });

  test('Prefix does not rename variables (they are never auto-named)', () => {
    mx.name.withNameManager(new mx.name.Prefix('p_'), () => {
      expect(mx.sym.Variable('data').name).toBe('data');
    });
  });

  test('the hint is the lower-cased front-end function name, not the op name', () => {
    fresh(() => {
      const x = mx.sym.Variable('x');
      expect(mx.sym.LogisticRegressionOutput(x).name).toBe('logisticregressionoutput0');
      expect(mx.sym.MakeLoss(x).name).toBe('makeloss0');
      expect(mx.sym.make_loss(x).name).toBe('make_loss0');
      expect(mx.sym.BlockGrad(x).name).toBe('blockgrad0');
      expect(mx.sym.stop_gradient(x).name).toBe('stop_gradient0');
      expect(opOf(mx.sym.stop_gradient(x))).toBe('BlockGrad');
    });
  });

  test('Softmax and softmax share the counter "softmax" while the ops differ', () => {
    fresh(() => {
      const x = mx.sym.Variable('x');
      const legacy = mx.sym.Softmax(x);
      const lower = mx.sym.softmax(x);
      expect(legacy.name).toBe('softmax0');
      expect(opOf(legacy)).toBe('SoftmaxOutput');
      expect(lower.name).toBe('softmax1');
      expect(opOf(lower)).toBe('softmax');
    });
  });

  test('make_loss lists its output as <name>_loss, MakeLoss as <name>_output', () => {
    fresh(() => {
      const x = mx.sym.Variable('x');
      expect(mx.sym.make_loss(x).listOutputs()).toEqual(['make_loss0_loss']);
      expect(mx.sym.MakeLoss(x).listOutputs()).toEqual(['makeloss0_output']);
    });
  });

  test('withNameManager(new NameManager()) starts fresh counters and restores the old ones after', () => {
    const x = mx.sym.Variable('x');
    const outer = new mx.name.NameManager();
    mx.name.withNameManager(outer, () => {
      expect(mx.sym.sigmoid(x).name).toBe('sigmoid0');
      mx.name.withNameManager(new mx.name.NameManager(), () => {
        expect(mx.sym.sigmoid(x).name).toBe('sigmoid0');
      });
      expect(mx.sym.sigmoid(x).name).toBe('sigmoid1');
    });
  });

  test('Prefix puts the prefix before every name, user-given ones and implicit variables included', () => {
    mx.name.withNameManager(new mx.name.Prefix('p_'), () => {
      const data = mx.sym.Variable('data');
      const named = mx.sym.SoftmaxOutput(data, { name: 'sm' });
      expect(named.name).toBe('p_sm');
      expect(named.listArguments()).toEqual(['data', 'p_sm_label']);
      expect(mx.sym.SoftmaxOutput(data).name).toBe('p_softmaxoutput0');
    });
  });
});

describe('arithmetic creates MXNet nodes (reference 3.8)', () => {
  const cases: [string, string, string, (a: mx.Symbol, b: mx.Symbol) => mx.Symbol][] = [
    ['add', 'elemwise_add', '_plus0', (a, b) => a.add(b)],
    ['sub', 'elemwise_sub', '_minus0', (a, b) => a.sub(b)],
    ['mul', 'elemwise_mul', '_mul0', (a, b) => a.mul(b)],
    ['div', 'elemwise_div', '_div0', (a, b) => a.div(b)],
    ['pow', '_power', '_power0', (a, b) => a.pow(b)],
    ['broadcast_add', 'broadcast_add', 'broadcast_add0', (a, b) => mx.sym.broadcast_add(a, b)],
  ];
  test.each(cases)('symbol %s symbol -> op %s named %s', (_label, op, name, build) => {
    const s = fresh(() => build(mx.sym.Variable('a'), mx.sym.Variable('b')));
    expect(opOf(s)).toBe(op);
    expect(s.name).toBe(name);
    expect(s.listArguments()).toEqual(['a', 'b']);
    expect(s.listAttr()).toEqual({});
  });

  const scalarCases: [string, string, string, string, (a: mx.Symbol) => mx.Symbol][] = [
    ['a + 2', '_plus_scalar', '_plusscalar0', '2', (a) => a.add(2)],
    ['a + 0.3', '_plus_scalar', '_plusscalar0', '0.3', (a) => a.add(0.3)],
    ['a - 2', '_minus_scalar', '_minusscalar0', '2', (a) => a.sub(2)],
    ['2 - a', '_rminus_scalar', '_rminusscalar0', '2', (a) => a.rsub(2)],
    ['a * 2', '_mul_scalar', '_mulscalar0', '2', (a) => a.mul(2)],
    ['-a', '_mul_scalar', '_mulscalar0', '-1.0', (a) => a.neg()],
    ['a / 2', '_div_scalar', '_divscalar0', '2', (a) => a.div(2)],
    ['2 / a', '_rdiv_scalar', '_rdivscalar0', '2', (a) => a.rdiv(2)],
    ['a ** 2', '_power_scalar', '_powerscalar0', '2', (a) => a.pow(2)],
    ['2 ** a', '_rpower_scalar', '_rpower_scalar0', '2', (a) => a.rpow(2)],
  ];
  test.each(scalarCases)('%s -> op %s named %s with scalar "%s"', (_label, op, name, scalar, build) => {
    const s = fresh(() => build(mx.sym.Variable('a')));
    expect(opOf(s)).toBe(op);
    expect(s.name).toBe(name);
    expect(s.listAttr()).toEqual({ scalar });
    expect(s.listArguments()).toEqual(['a']);
  });
});

describe('inputs positionally or by name, parameters in a trailing object', () => {
  test('SoftmaxOutput(data, label, {...}) and SoftmaxOutput({data, label, ...}) are the same', () => {
    const data = mx.sym.Variable('data');
    const label = mx.sym.Variable('lbl');
    const a = mx.sym.SoftmaxOutput(data, label, { grad_scale: 2, name: 'sm' });
    const b = mx.sym.SoftmaxOutput({ data, label, grad_scale: 2, name: 'sm' });
    for (const s of [a, b]) {
      expect(s.listArguments()).toEqual(['data', 'lbl']);
      expect(s.listAttr()).toEqual({ grad_scale: '2' });
      expect(s.listOutputs()).toEqual(['sm_output']);
    }
  });

  test('a named input binds by name even after a positional one: (data, {label})', () => {
    const s = mx.sym.SoftmaxOutput(mx.sym.Variable('d'), { label: mx.sym.Variable('l'), name: 'sm' });
    expect(s.listArguments()).toEqual(['d', 'l']);
  });

  test('an input given only by name leaves the other input implicit: ({label}) -> sm_data', () => {
    const s = mx.sym.SoftmaxOutput({ label: mx.sym.Variable('l'), name: 'sm' });
    expect(s.listArguments()).toEqual(['sm_data', 'l']);
  });

  test('an op called with no inputs creates every input as <node>_<input> (sigmoid -> act_data)', () => {
    expect(mx.sym.sigmoid({ name: 'act' }).listArguments()).toEqual(['act_data']);
    expect(mx.sym.LinearRegressionOutput({ name: 'reg' }).listArguments()).toEqual(['reg_data', 'reg_label']);
  });

  test('a parameter object that is not the last argument is rejected', () => {
    const d = mx.sym.Variable('d');
    // @ts-expect-error parameters must come last
    expect(() => mx.sym.SoftmaxOutput({ grad_scale: 2 }, d)).toThrow(mx.MXNetError);
  });

  test('parameters accept the JSON string form ("2", "True") and store it unchanged', () => {
    const s = mx.sym.SoftmaxOutput(mx.sym.Variable('d'), { grad_scale: '2', use_ignore: 'True', name: 'sm' });
    expect(s.listAttr()).toEqual({ grad_scale: '2', use_ignore: 'True' });
  });

  test('an unknown input name is rejected naming it', () => {
    // @ts-expect-error misspelt input name
    expect(() => mx.sym.SoftmaxOutput({ data: mx.sym.Variable('d'), lable: mx.sym.Variable('l') })).toThrow(/lable/);
  });

  test('an input given both by position and by name is rejected', () => {
    const d = mx.sym.Variable('d');
    expect(() => mx.sym.SoftmaxOutput(d, { data: d })).toThrow(mx.MXNetError);
  });

  test('more positional inputs than the op has are rejected', () => {
    const v = mx.sym.Variable('v');
    expect(() => mx.sym.sigmoid(v, v)).toThrow(mx.MXNetError);
  });

  test('an unknown parameter is a ParamError naming it, with a did-you-mean hint', () => {
    // @ts-expect-error misspelt parameter
    const call = () => mx.sym.SoftmaxOutput(mx.sym.Variable('d'), { grad_scal: 2, name: 'sm' });
    expect(call).toThrow(mx.ParamError);
    expect(call).toThrow(/SoftmaxOutput 'sm': grad_scal .*grad_scale/);
  });

  test('a parameter out of range is a ParamError naming op, node and parameter', () => {
    const call = () => mx.sym.SoftmaxOutput(mx.sym.Variable('d'), { smooth_alpha: 2, name: 'sm' });
    expect(call).toThrow(mx.ParamError);
    expect(call).toThrow(/SoftmaxOutput 'sm': smooth_alpha/);
  });

  test('an input with several outputs (a group) is rejected', () => {
    const g = mx.sym.Group([mx.sym.Variable('a'), mx.sym.Variable('b')]);
    expect(() => mx.sym.sigmoid(g)).toThrow(mx.MXNetError);
  });
});

describe('graphs are immutable', () => {
  test('building on a symbol never changes its argument, output or internal lists', () => {
    const x = mx.sym.Variable('x');
    const s = mx.sym.sigmoid(x, { name: 'act' });
    const before = { args: s.listArguments(), outs: s.listOutputs(), internals: s.getInternals().listOutputs() };
    const bigger = mx.sym.SoftmaxOutput(s.add(mx.sym.Variable('y')), { name: 'sm' });
    mx.sym.Group([s, bigger]);
    expect(bigger.listArguments()).toEqual(['x', 'y', 'sm_label']);
    expect({ args: s.listArguments(), outs: s.listOutputs(), internals: s.getInternals().listOutputs() }).toEqual(before);
    expect(x.listArguments()).toEqual(['x']);
  });

  test('lists returned by the symbol are copies: editing them changes nothing', () => {
    const s = mx.sym.SoftmaxOutput(mx.sym.Variable('x'), { name: 'sm' });
    s.listArguments().push('intruder');
    s.listOutputs().pop();
    const shapes = s.inferShape({ x: [2, 3] });
    shapes.argShapes.pop();
    expect(s.listArguments()).toEqual(['x', 'sm_label']);
    expect(s.listOutputs()).toEqual(['sm_output']);
    expect(s.inferShape({ x: [2, 3] }).argShapes).toEqual([[2, 3], [2]]);
  });

  test('nodes, their attribute dicts, inputs and the symbol outputs are frozen', () => {
    const s = mx.sym.SoftmaxOutput(mx.sym.Variable('x'), { name: 'sm', grad_scale: 2 });
    const node = s.outputs[0]!.node;
    expect(Object.isFrozen(node)).toBe(true);
    expect(Object.isFrozen(node.attrs)).toBe(true);
    expect(Object.isFrozen(s.outputs)).toBe(true);
    if (node.kind !== 'op') throw new Error('expected an op node');
    expect(Object.isFrozen(node.inputs)).toBe(true);
    expect(Object.isFrozen(node.inputs[0]!.node)).toBe(true);
    expect(Object.isFrozen(node.params)).toBe(true);
  });

  test('an attribute dict given by the user is copied, so later edits to it change nothing', () => {
    const attr: Record<string, string> = { mood: 'calm' };
    const v = mx.sym.Variable('x', { attr });
    attr['mood'] = 'angry';
    expect(v.attr('mood')).toBe('calm');
  });

  test('building a graph does not copy it: the new node points at the input node', () => {
    const x = mx.sym.Variable('x');
    const s = mx.sym.sigmoid(x);
    const node = s.outputs[0]!.node;
    if (node.kind !== 'op') throw new Error('expected an op node');
    expect(node.inputs[0]!.node).toBe(x.outputs[0]!.node);
  });
});
