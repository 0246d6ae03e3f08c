/**
 * RNN: shape-rule properties, parameter and shape errors (typed, naming op, node and argument),
 * and symbol JSON as gluon's export writes it (Reshape + _rnn_param_concat + RNN) loading and
 * computing the same values as the float64 reference.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { thrown } from '../../helpers/errors';
import { gluonPackOrder, gluonParamShapes, Mode, randomNamed, referenceRnn, RnnConfig } from './rnn_reference';

beforeEach(() => mx.random.seed(3));

const rnn = (params: Record<string, unknown>) => (mx.sym.RNN as mx.SymOp)({ data: mx.sym.Variable('data'), name: 'rnn', ...params });

describe('RNN shape rule', () => {
  test('property: parameters = the sum of gluon\'s named sizes; output (T, N, D*R); states (L*D, N, R) and (L*D, N, H)', () => {
    const config = fc.record({
      mode: fc.constantFrom<Mode>('rnn_relu', 'rnn_tanh', 'lstm', 'gru'),
      layers: fc.integer({ min: 1, max: 3 }),
      bidirectional: fc.boolean(),
      hidden: fc.integer({ min: 1, max: 6 }),
      input: fc.integer({ min: 1, max: 5 }),
      steps: fc.integer({ min: 1, max: 4 }),
      batch: fc.integer({ min: 1, max: 3 }),
      projectBy: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(fc.property(config, (c) => {
      const projection = c.mode === 'lstm' && c.projectBy > 0 && c.projectBy <= c.hidden ? c.projectBy : undefined;
      const rc: RnnConfig = { mode: c.mode, layers: c.layers, bidirectional: c.bidirectional, hidden: c.hidden, input: c.input, ...(projection ? { projection } : {}) };
      const size = gluonParamShapes(rc).reduce((sum, [, shape]) => sum + shape.reduce((a, b) => a * b, 1), 0);
      const D = c.bidirectional ? 2 : 1;
      const R = projection ?? c.hidden;
      const s = rnn({ mode: c.mode, state_size: c.hidden, num_layers: c.layers, bidirectional: c.bidirectional, state_outputs: true, projection_size: projection ?? 'None' });
      const shapes = s.inferShape({ data: [c.steps, c.batch, c.input] });
      expect(shapes.argShapes[1]).toEqual([size]);
      expect(shapes.argShapes[2]).toEqual([c.layers * D, c.batch, R]);
      expect(shapes.outShapes[0]).toEqual([c.steps, c.batch, D * R]);
      expect(shapes.outShapes[1]).toEqual([c.layers * D, c.batch, R]);
      if (c.mode === 'lstm') expect(shapes.outShapes[2]).toEqual([c.layers * D, c.batch, c.hidden]);
    }), { numRuns: 60 });
  });

  test('without the data shape nothing is inferred (MXNet returns false)', () => {
    const partial = rnn({ mode: 'gru', state_size: 2, num_layers: 1 }).inferShapePartial({ rnn_state: [1, 2, 2] });
    expect(partial.argShapes[0]).toBeNull();
    expect(partial.outShapes[0]).toBeNull();
  });
});

describe('RNN errors', () => {
  test('data must be 3-D; a wrong parameters length says what the mode and sizes pack', () => {
    const e = thrown(() => rnn({ mode: 'lstm', state_size: 2, num_layers: 1 }).inferShape({ data: [3, 4] }));
    expect(e).toBeInstanceOf(mx.ShapeError);
    expect(e.message).toBe("RNN 'rnn': data shape [3,4] must have 3 axes (sequence length, batch size, input size)");
    const p = thrown(() => rnn({ mode: 'gru', state_size: 2, num_layers: 1 }).inferShape({ data: [3, 4, 5], rnn_parameters: [10] }));
    expect(p).toBeInstanceOf(mx.ShapeError);
    expect(p.argument).toBe('parameters');
    expect(p.message).toMatch(/^RNN 'rnn': parameters shape \[10\] does not match \[54\]: mode gru with 1 layer\(s\), 1 direction\(s\), input size 5 and state size 2 packs 54 values/);
    const st = thrown(() => rnn({ mode: 'rnn_tanh', state_size: 2, num_layers: 2 }).inferShape({ data: [3, 4, 5], rnn_state: [1, 4, 2] }));
    expect(st.message).toBe("RNN 'rnn': state shape [1,4,2] does not match the inferred shape [2,4,2]");
  });

  test('parameter rules: mode, p < 1, projection only for lstm and <= state_size, clips together and ordered', () => {
    expect(() => rnn({ mode: 'elman', state_size: 2, num_layers: 1 })).toThrow(mx.ParamError);
    expect(() => rnn({ mode: 'lstm', num_layers: 1 })).toThrow("RNN 'rnn': state_size is required");
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ mode: 'lstm', p: 1 }, 'p', /p must be in \[0, 1\)/],
      [{ mode: 'gru', projection_size: 1 }, 'projection_size', /projection_size is supported only with mode 'lstm', got mode 'gru'/],
      [{ mode: 'lstm', projection_size: 3 }, 'projection_size', /projection_size \(3\) must not exceed state_size \(2\)/],
      [{ mode: 'lstm', lstm_state_clip_min: -1 }, 'lstm_state_clip_max', /lstm_state_clip_max must be given together with lstm_state_clip_min/],
      [{ mode: 'lstm', lstm_state_clip_min: 1, lstm_state_clip_max: 0 }, 'lstm_state_clip_max', /must be >= lstm_state_clip_min/],
      [{ mode: 'rnn_relu', lstm_state_clip_min: -1, lstm_state_clip_max: 1 }, 'lstm_state_clip_min', /supported only with mode 'lstm'/],
    ];
    for (const [params, argument, message] of cases) {
      const e = thrown(() => rnn({ state_size: 2, num_layers: 1, ...params }).inferShape({ data: [2, 1, 3] }));
      expect(e).toBeInstanceOf(mx.ParamError);
      expect([e.op, e.node, e.argument]).toEqual(['RNN', 'rnn', argument]);
      expect(e.message).toMatch(message);
    }
  });
});

describe('RNN symbol JSON', () => {
  test('parameters survive toJSON/fromJSON as MXNet strings', () => {
    const s = rnn({ mode: 'lstm', state_size: 3, num_layers: 2, bidirectional: true, state_outputs: true, p: 0.2 });
    const json = JSON.parse(s.toJSON()) as { nodes: { op: string; attrs?: Record<string, string> }[] };
    expect(json.nodes.find((n) => n.op === 'RNN')!.attrs).toEqual({ mode: 'lstm', state_size: '3', num_layers: '2', bidirectional: 'True', state_outputs: 'True', p: '0.2' });
    // MXNet's RNN node has 3 outputs here (the reserve lives in the op's state): node_row_ptr says so.
    expect((JSON.parse(s.toJSON()) as { node_row_ptr: number[] }).node_row_ptr).toEqual([0, 1, 2, 3, 4, 7]);
    const back = mx.sym.fromJSON(s.toJSON());
    expect(back.toJSON()).toBe(s.toJSON());
    expect(back.listOutputs()).toEqual(['rnn_output', 'rnn_state_output', 'rnn_statecell_output']);
    expect(back.inferShape({ data: [2, 1, 4] }).outShapes).toEqual([[2, 1, 6], [4, 1, 3], [4, 1, 3]]);
  });

  test('a gluon-style export (Reshape -> _rnn_param_concat -> RNN, every attr as gluon writes it) computes the reference', () => {
    const c: RnnConfig = { mode: 'gru', layers: 2, bidirectional: true, hidden: 2, input: 3 };
    const named = randomNamed(c);
    const order = gluonPackOrder(c);
    const nodes: Record<string, unknown>[] = [{ op: 'null', name: 'data', inputs: [] }];
    const flat: number[][] = [];
    for (const name of order) {
      nodes.push({ op: 'null', name: `gru0_${name}`, inputs: [] });
      nodes.push({ op: 'Reshape', name: `gru0_reshape${flat.length}`, attrs: { shape: '(-1,)' }, inputs: [[nodes.length - 1, 0, 0]] });
      flat.push([nodes.length - 1, 0, 0]);
    }
    nodes.push({ op: '_rnn_param_concat', name: 'gru0_rnn_param_concat0', attrs: { dim: '0', num_args: String(order.length) }, inputs: flat });
    const concat = nodes.length - 1;
    nodes.push({ op: 'null', name: 'h0', inputs: [] });
    nodes.push({
      op: 'RNN', name: 'gru0_rnn0',
      attrs: {
        bidirectional: 'True', lstm_state_clip_max: 'None', lstm_state_clip_min: 'None', lstm_state_clip_nan: 'False', mode: 'gru', num_layers: '2',
        p: '0', projection_size: 'None', state_outputs: 'True', state_size: '2', use_sequence_length: 'False',
      },
      inputs: [[0, 0, 0], [concat, 0, 0], [nodes.length - 1, 0, 0]],
    });
    const heads = [[nodes.length - 1, 0, 0]];
    const argNodes = nodes.flatMap((n, i) => (n['op'] === 'null' ? [i] : []));
    const text = JSON.stringify({ nodes, arg_nodes: argNodes, node_row_ptr: nodes.map((_, i) => i).concat(nodes.length), heads, attrs: { mxnet_version: ['int', 10901] } });
    const s = mx.sym.fromJSON(text);
    const data = mx.nd.random.uniform(-1, 1, [3, 2, 3]);
    const h0 = mx.nd.random.uniform(-1, 1, [4, 2, 2]);
    const args: Record<string, mx.NDArray> = { data, h0 };
    for (const name of order) args[`gru0_${name}`] = named[name]!;
    const out = s.bind(mx.cpu(), args).forward(false)[0]!;
    const ref = referenceRnn(c, data, named, h0, null);
    mx.testUtils.assertAlmostEqual(out, mx.nd.array(ref.out).reshape([3, 2, 4]), { rtol: 1e-4, atol: 1e-5 });
  });
});
