/**
 * Variables and attributes (reference 4.1, 4.3, 4.7, 4.9): options stored as MXNet's string
 * attributes, hidden-key aliasing in attr/listAttr/attrDict, attributes copied to implicit inputs.
 */
import * as mx from 'mxts';

const fresh = <T>(body: () => T): T => mx.name.withNameManager(new mx.name.NameManager(), body);

describe('Variable options are stored as MXNet attributes', () => {
  test('shape is stored as __shape__ in Python tuple text "(3, 4)"', () => {
    expect(mx.sym.Variable('w', { shape: [3, 4] }).attr('__shape__')).toBe('(3, 4)');
  });

  test('a one-dimensional shape is stored as "(3,)"', () => {
    expect(mx.sym.Variable('b', { shape: [3] }).attr('__shape__')).toBe('(3,)');
  });

  test('lr_mult and wd_mult are stored as __lr_mult__ / __wd_mult__ with str(v)', () => {
    const v = mx.sym.Variable('w', { lr_mult: 2, wd_mult: 0.5 });
    expect(v.attr('__lr_mult__')).toBe('2');
    expect(v.attr('__wd_mult__')).toBe('0.5');
  });

  test.each([
    ['float32', '0'],
    ['float64', '1'],
    ['float16', '2'],
    ['uint8', '3'],
    ['int32', '4'],
    ['int8', '5'],
    ['int64', '6'],
    ['bool', '7'],
  ])('dtype %s is stored as the MXNet type code __dtype__ = "%s"', (dtype, code) => {
    expect(mx.sym.Variable('x', { dtype }).attr('__dtype__')).toBe(code);
  });

  test('init is stored as __init__: a string as given, an initializer through dumps()', () => {
    expect(mx.sym.Variable('w', { init: 'zeros' }).attr('__init__')).toBe('zeros');
    const normal = { dumps: () => '["normal", {"sigma": 0.5}]' };
    expect(mx.sym.Variable('w', { init: normal }).attr('__init__')).toBe('["normal", {"sigma": 0.5}]');
  });

  test('user attr entries are stored as given next to the option keys', () => {
    const v = mx.sym.Variable('w', { attr: { mood: 'angry' }, lr_mult: 1 });
    expect(v.attr('mood')).toBe('angry');
    expect(v.listAttr()).toEqual({ mood: 'angry', __lr_mult__: '1', lr_mult: '1' });
  });

  test('extra keys must be __x__ attributes; other unknown options are rejected', () => {
    expect(mx.sym.Variable('w', { __mood__: 'calm' }).attr('__mood__')).toBe('calm');
    const bad = { colour: 'red' } as unknown as mx.VariableOptions;
    expect(() => mx.sym.Variable('w', bad)).toThrow(mx.MXNetError);
    expect(() => mx.sym.Variable('w', bad)).toThrow(/colour/);
  });

  test('a variable has no attributes unless some were given', () => {
    expect(mx.sym.Variable('plain').listAttr()).toEqual({});
    expect(mx.sym.Variable('plain').attr('__shape__')).toBeUndefined();
  });

  test('a variable is never auto-named: its name is the one given', () => {
    const v = mx.sym.Variable('data');
    expect(v.name).toBe('data');
    expect(v.listArguments()).toEqual(['data']);
    expect(v.listOutputs()).toEqual(['data']);
  });
});

describe('attr / listAttr / attrDict', () => {
  // test_attr.py: Variable(attr={...}, lr_mult=1): attr('lr_mult') == attr('__lr_mult__') == '1'
  test("attr('lr_mult') finds the hidden __lr_mult__ key", () => {
    const v = mx.sym.Variable('w', { lr_mult: 1 });
    expect(v.attr('lr_mult')).toBe('1');
    expect(v.attr('__lr_mult__')).toBe('1');
  });

  // MXSymbolGetAttr falls back to __key__ only for the hidden words (ctx_group, lr_mult, wd_mult, ...)
  test("attr('shape') and attr('dtype') do not alias __shape__ / __dtype__: only hidden words do", () => {
    const v = mx.sym.Variable('w', { shape: [3, 4], dtype: 'float64', init: 'zeros' });
    expect(v.attr('shape')).toBeUndefined();
    expect(v.attr('dtype')).toBeUndefined();
    expect(v.attr('init')).toBeUndefined();
    expect(v.attr('__shape__')).toBe('(3, 4)');
  });

  test("attr('name') returns the node name and a missing key gives undefined", () => {
    const s = fresh(() => mx.sym.sigmoid(mx.sym.Variable('x'), { name: 'act' }));
    expect(s.attr('name')).toBe('act');
    expect(s.attr('nothing_here')).toBeUndefined();
  });

  test('listAttr reports each hidden key under its plain alias too', () => {
    const s = fresh(() => mx.sym.SoftmaxOutput(mx.sym.Variable('x'), { name: 'sm', lr_mult: 3, wd_mult: 0 }));
    expect(s.listAttr()).toEqual({ __lr_mult__: '3', lr_mult: '3', __wd_mult__: '0', wd_mult: '0' });
  });

  test('op options named like hidden words are stored as __word__, never as parameters', () => {
    const s = fresh(() => mx.sym.sigmoid(mx.sym.Variable('x'), { name: 'act', ctx_group: 'dev1' }));
    expect(s.attr('__ctx_group__')).toBe('dev1');
    expect(s.attr('ctx_group')).toBe('dev1');
  });

  test("'weight_lr_mult'-style op options are rejected as deprecated", () => {
    // @ts-expect-error not an option
    expect(() => mx.sym.SoftmaxOutput(mx.sym.Variable('x'), { name: 'sm', data_lr_mult: 2 })).toThrow(mx.MXNetError);
  });

  test('only parameters the user passed are stored, as str(v)', () => {
    const s = fresh(() => mx.sym.SoftmaxOutput(mx.sym.Variable('x'), { name: 'sm', grad_scale: 0.5, use_ignore: true, normalization: 'valid' }));
    expect(s.listAttr()).toEqual({ grad_scale: '0.5', use_ignore: 'True', normalization: 'valid' });
  });

  test('attrDict maps every node with attributes to its dict, aliases included', () => {
    const s = fresh(() => {
      const w = mx.sym.Variable('w', { lr_mult: 2 });
      return mx.sym.LinearRegressionOutput(w, { name: 'lro', grad_scale: 3 });
    });
    expect(s.attrDict()).toEqual({
      w: { __lr_mult__: '2', lr_mult: '2' },
      lro_label: { grad_scale: '3' },
      lro: { grad_scale: '3' },
    });
  });

  test('attr and listAttr of a group have no head node: undefined and {}', () => {
    const g = mx.sym.Group([mx.sym.Variable('a', { lr_mult: 1 }), mx.sym.Variable('b', { lr_mult: 1 })]);
    expect(g.attr('lr_mult')).toBeUndefined();
    expect(g.listAttr()).toEqual({});
  });
});

describe('implicit input variables copy the op attributes (reference 4.3, surprise 10)', () => {
  test('a missing label becomes <node>_label carrying a copy of the op dict', () => {
    const s = fresh(() => mx.sym.SoftmaxOutput(mx.sym.Variable('x'), { name: 'sm', grad_scale: 2, lr_mult: 0.1 }));
    const label = s.getInternals().get('sm_label');
    expect(label.listAttr()).toEqual({ grad_scale: '2', __lr_mult__: '0.1', lr_mult: '0.1' });
  });

  test('an op without parameters gives its implicit variables no attributes', () => {
    const s = fresh(() => mx.sym.SoftmaxOutput(mx.sym.Variable('x'), { name: 'sm' }));
    expect(s.getInternals().get('sm_label').listAttr()).toEqual({});
  });

  test('an unnamed op names its implicit label after the auto name (softmaxoutput0_label)', () => {
    const s = fresh(() => mx.sym.SoftmaxOutput(mx.sym.Variable('data')));
    expect(s.listArguments()).toEqual(['data', 'softmaxoutput0_label']);
  });

  test('AttrScope attributes flow into ops and variables; explicit attr wins', () => {
    const [v, s] = fresh(() =>
      mx.name.withAttrScope({ group: 'g1', mood: 'scope' }, () => {
        const variable = mx.sym.Variable('x', { attr: { mood: 'own' } });
        return [variable, mx.sym.sigmoid(variable, { name: 'act' })] as const;
      }),
    );
    expect(v.attr('group')).toBe('g1');
    expect(v.attr('mood')).toBe('own');
    expect(s.attr('group')).toBe('g1');
    // outside the scope nothing is added
    expect(mx.sym.Variable('y').attr('group')).toBeUndefined();
  });
});

describe('hidden words in attr dicts and AttrScope are stored as __word__ (MXSymbolSetAttr, MXSymbolCreateAtomicSymbol)', () => {
  // test_attr.py::test_attr_basic
  test('test_attr_basic: a Variable attr {force_mirroring} is stored as __force_mirroring__', () => {
    const [data, gdata] = mx.name.withAttrScope({ group: '4', data: 'great' }, () => [
      mx.sym.Variable('data', { attr: { dtype: 'data', group: '1', force_mirroring: 'True' }, lr_mult: 1 }),
      mx.sym.Variable('data2'),
    ]);
    expect(gdata.attr('group')).toBe('4');
    expect(data.attr('group')).toBe('1');
    expect(data.attr('lr_mult')).toBe('1');
    expect(data.attr('__lr_mult__')).toBe('1');
    expect(data.attr('force_mirroring')).toBe('True');
    expect(data.attr('__force_mirroring__')).toBe('True');
  });

  test("a Variable attr key ending in a hidden word ('weight_lr_mult') is rejected as deprecated", () => {
    expect(() => mx.sym.Variable('w', { attr: { weight_lr_mult: '2' } })).toThrow(mx.MXNetError);
  });

  // test_attr.py::test_list_attr, with sigmoid in place of Convolution
  test("test_list_attr: an op attr {'__mood__', 'wd_mult'} lists wd_mult and __wd_mult__", () => {
    const data = mx.sym.Variable('data', { attr: { mood: 'angry' } });
    const op = mx.sym.sigmoid(data, { name: 'conv', attr: { __mood__: 'so so', wd_mult: 'x' } });
    expect(op.listAttr()).toEqual(expect.objectContaining({ __mood__: 'so so', wd_mult: 'x', __wd_mult__: 'x' }));
  });

  // test_attr.py::test_attr_dict, with SoftmaxOutput in place of Convolution
  test('test_attr_dict: the op attr dict reaches the implicit inputs; lr_mult appears under both spellings', () => {
    const data = mx.sym.Variable('data', { attr: { mood: 'angry' } });
    const op = mx.sym.SoftmaxOutput({ data, name: 'conv', grad_scale: 1, attr: { __mood__: 'so so' }, lr_mult: 1 });
    const dict = op.attrDict();
    expect(dict['data']).toEqual(expect.objectContaining({ mood: 'angry' }));
    expect(dict['conv_label']).toEqual(expect.objectContaining({ __mood__: 'so so' }));
    expect(dict['conv']).toEqual(expect.objectContaining({ grad_scale: '1', __mood__: 'so so', lr_mult: '1', __lr_mult__: '1' }));
  });

  // test_attr.py::test_operator
  test('test_operator: nested AttrScopes of __x__ keys flow into ops', () => {
    const data = mx.sym.Variable('data');
    const [fc1, fc2] = mx.name.withAttrScope({ __group__: '4', __data__: 'great' }, () => {
      const first = mx.sym.sigmoid(data);
      return [first, mx.name.withAttrScope({ __init_bias__: '0.0' }, () => mx.sym.SoftmaxOutput(first, { name: 'fc2' }))];
    });
    expect(fc1!.attr('__data__')).toBe('great');
    expect(fc2!.attr('__data__')).toBe('great');
    expect(fc2!.attr('__init_bias__')).toBe('0.0');
    expect(fc2!.getInternals().get('fc2_label').attr('__init_bias__')).toBe('0.0');
  });

  test("AttrScope {ctx_group} becomes __ctx_group__ on ops and variables (reference 4.9)", () => {
    const [v, op] = mx.name.withAttrScope({ ctx_group: 'dev1' }, () => {
      const variable = mx.sym.Variable('x');
      return [variable, mx.sym.sigmoid(variable, { name: 'act' })] as const;
    });
    expect(v.attr('__ctx_group__')).toBe('dev1');
    expect(op.attr('__ctx_group__')).toBe('dev1');
    expect(op.listAttr()).toEqual({ __ctx_group__: 'dev1', ctx_group: 'dev1' });
  });
});
