/**
 * Symbol.compose (MXNet's `sym(**kwargs)`) and Symbol.setAttr (`_set_attr`): both return new
 * symbols and leave the original untouched.
 */
import * as mx from 'mxts';
import { thrown } from '../helpers/errors';

const fresh = <T>(body: () => T): T => mx.name.withNameManager(new mx.name.NameManager(), body);

describe('compose', () => {
  test("test_symbol_compose: net2(fc3_data=net1, name='composed') replaces the variable and renames the head", () => {
    fresh(() => {
      let net1: mx.Symbol = mx.sym.Variable('data');
      net1 = mx.sym.FullyConnected(net1, { name: 'fc1', num_hidden: 10 });
      net1 = mx.sym.FullyConnected(net1, { name: 'fc2', num_hidden: 100 });
      let net2: mx.Symbol = mx.sym.FullyConnected(mx.sym.Variable('fc3_data'), { name: 'fc3', num_hidden: 10 });
      net2 = mx.sym.Activation(net2, { act_type: 'relu' });
      net2 = mx.sym.FullyConnected(net2, { name: 'fc4', num_hidden: 20 });
      const composed = net2.compose({ fc3_data: net1 }, { name: 'composed' });
      expect(composed.listArguments()).toEqual(['data', 'fc1_weight', 'fc1_bias', 'fc2_weight', 'fc2_bias', 'fc3_weight', 'fc3_bias', 'fc4_weight', 'fc4_bias']);
      expect(composed.listOutputs()).toEqual(['composed_output']);
      // The original graphs are unchanged.
      expect(net2.listArguments()[0]).toBe('fc3_data');
      expect(net2.listOutputs()).toEqual(['fc4_output']);
      // And it computes: shapes flow through the composed graph.
      expect(composed.inferShape({ data: [2, 5] }).outShapes).toEqual([[2, 20]]);
    });
  });

  test("without a name the head is renamed to '' and its output is listed as 'output', as MXNet does", () => {
    const net = mx.sym.sigmoid(mx.sym.Variable('x'), { name: 's' });
    expect(net.compose({ x: mx.sym.Variable('y') }).listOutputs()).toEqual(['output']);
  });

  test('a keyword matching no variable, or a multi-output symbol, is a ValueError', () => {
    const net = mx.sym.sigmoid(mx.sym.Variable('x'), { name: 's' });
    expect(thrown(() => net.compose({ z: mx.sym.Variable('y') })).message).toBe("compose: z matches no variable; variables are x");
    const two = mx.sym.Group([mx.sym.Variable('a'), mx.sym.Variable('b')]);
    expect(thrown(() => net.compose({ x: two })).message).toBe('compose: x must be a symbol with one output');
  });
});

describe('setAttr', () => {
  test('sets attributes on a copy of the head node and re-parses op parameters', () => {
    const x = mx.sym.Variable('x');
    const sm = mx.sym.SoftmaxOutput(x, { name: 'sm' });
    const scaled = sm.setAttr({ grad_scale: '2', __mood__: 'so so' });
    expect(scaled.attr('grad_scale')).toBe('2');
    expect(scaled.attr('__mood__')).toBe('so so');
    expect(sm.attr('grad_scale')).toBeUndefined();
    // The re-parsed parameter takes effect: the gradient doubles.
    const run = (s: mx.Symbol) => {
      const exec = s.bind(mx.cpu(), { x: mx.nd.array([[1, 2, 3]]), sm_label: mx.nd.array([1]) });
      exec.forward(true);
      exec.backward();
      return Array.from(exec.gradDict['x']!.data);
    };
    const base = run(sm);
    mx.testUtils.assertAlmostEqual(run(scaled), base.map((v) => 2 * v), { rtol: 1e-6, atol: 1e-7 });
  });

  test("'name' renames the node; non-string values and groups are rejected", () => {
    const s = mx.sym.sigmoid(mx.sym.Variable('x'), { name: 'a' });
    expect(s.setAttr({ name: 'b' }).listOutputs()).toEqual(['b_output']);
    expect(thrown(() => s.setAttr({ grad_scale: 2 as unknown as string })).message).toBe('setAttr: grad_scale must be a string, got number');
    const group = mx.sym.Group([s, mx.sym.Variable('y')]);
    expect(thrown(() => group.setAttr({ name: 'c' })).message).toBe('setAttr: symbol must have one head node, not a group');
  });

  test('an invalid parameter value set this way is a ParamError naming op and node', () => {
    const sm = mx.sym.SoftmaxOutput(mx.sym.Variable('x'), { name: 'sm' });
    expect(() => sm.setAttr({ normalization: 'vaild' })).toThrow(mx.ParamError);
    expect(() => sm.setAttr({ normalization: 'vaild' })).toThrow(/SoftmaxOutput 'sm': normalization must be one of/);
  });
});
