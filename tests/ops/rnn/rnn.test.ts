/**
 * RNN: forward values against the independent float64 reference (rnn_reference.ts) fed with
 * gluon-named matrices packed in gluon's order, so the packed layout is MXNet's; numeric gradient
 * checks for every mode (2 layers, bidirectional); sequence lengths, LSTMP, clipping, dropout.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { expectAddAccumulates } from '../../helpers/grad_req';
import { gluonParamShapes, Mode, pack, randomNamed, referenceRnn, RnnConfig } from './rnn_reference';

const F32 = { rtol: 1e-4, atol: 1e-5 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };
const MODES: Mode[] = ['rnn_relu', 'rnn_tanh', 'lstm', 'gru'];

beforeEach(() => mx.random.seed(11));

function opParams(c: RnnConfig, extra: Record<string, unknown> = {}): mx.OpParams<'RNN'> {
  const p: Record<string, unknown> = { mode: c.mode, state_size: c.hidden, num_layers: c.layers, bidirectional: c.bidirectional, ...extra };
  if (c.projection) p['projection_size'] = c.projection;
  if (c.clip) Object.assign(p, { lstm_state_clip_min: c.clip.min, lstm_state_clip_max: c.clip.max });
  return p as unknown as mx.OpParams<'RNN'>; // built as a record: the configs vary which parameters are set
}

/** Random data, named parameters, packed vector and initial states for a config. */
function fixture(c: RnnConfig, T: number, N: number) {
  const D = c.bidirectional ? 2 : 1;
  const named = randomNamed(c);
  return {
    named,
    data: mx.nd.random.uniform(-1, 1, [T, N, c.input]),
    parameters: pack(c, named),
    state: mx.nd.random.uniform(-0.5, 0.5, [c.layers * D, N, c.projection ?? c.hidden]),
    state_cell: c.mode === 'lstm' ? mx.nd.random.uniform(-0.5, 0.5, [c.layers * D, N, c.hidden]) : null,
  };
}

function symbolFor(c: RnnConfig, extra: Record<string, unknown> = {}): mx.Symbol {
  const inputs: Record<string, mx.Symbol> = { data: mx.sym.Variable('data'), parameters: mx.sym.Variable('parameters'), state: mx.sym.Variable('state') };
  if (c.mode === 'lstm') inputs['state_cell'] = mx.sym.Variable('state_cell');
  if (extra['use_sequence_length']) inputs['sequence_length'] = mx.sym.Variable('sequence_length');
  return mx.sym.RNN({ ...inputs, ...opParams(c, extra), name: 'rnn' });
}

function location(f: ReturnType<typeof fixture>, lengths?: number[]): Record<string, mx.NDArray> {
  const loc: Record<string, mx.NDArray> = { data: f.data, parameters: f.parameters, state: f.state };
  if (f.state_cell) loc['state_cell'] = f.state_cell;
  if (lengths) loc['sequence_length'] = mx.nd.array(lengths);
  return loc;
}

describe('RNN: arguments, outputs and shapes (MXNet rnn.cc ListArguments / FListOutputNames / RNNShape)', () => {
  test('inputs and visible outputs are named as MXNet names them; the reserve stays hidden', () => {
    const lstm = mx.sym.RNN({ data: mx.sym.Variable('data'), mode: 'lstm', state_size: 4, num_layers: 1, name: 'rnn' });
    expect(lstm.listArguments()).toEqual(['data', 'rnn_parameters', 'rnn_state', 'rnn_state_cell']);
    expect(lstm.listOutputs()).toEqual(['rnn_output']);
    const gru = mx.sym.RNN({ data: mx.sym.Variable('data'), mode: 'gru', state_size: 4, num_layers: 2, state_outputs: true, use_sequence_length: true, name: 'g' });
    expect(gru.listArguments()).toEqual(['data', 'g_parameters', 'g_state', 'g_sequence_length']);
    expect(gru.listOutputs()).toEqual(['g_output', 'g_state_output']);
    const withStates = mx.sym.RNN({ data: mx.sym.Variable('data'), mode: 'lstm', state_size: 4, num_layers: 1, state_outputs: 'True', name: 'rnn' });
    expect(withStates.listOutputs()).toEqual(['rnn_output', 'rnn_state_output', 'rnn_statecell_output']);
  });

  test('the parameters length is the sum of gluon\'s named parameter sizes; simpleBind needs only the data shape', () => {
    // gluon.rnn.LSTM(100, 3) on 10 features (the rnn_layer.py docstring example): 206400 parameters.
    const c: RnnConfig = { mode: 'lstm', layers: 3, bidirectional: false, hidden: 100, input: 10 };
    const total = gluonParamShapes(c).reduce((sum, [, shape]) => sum + shape.reduce((a, b) => a * b, 1), 0);
    expect(total).toBe(206400);
    const s = mx.sym.RNN({ data: mx.sym.Variable('data'), ...opParams(c), state_outputs: true, name: 'rnn' });
    const shapes = s.inferShape({ data: [5, 3, 10] });
    expect(shapes.argShapes).toEqual([[5, 3, 10], [206400], [3, 3, 100], [3, 3, 100]]);
    expect(shapes.outShapes).toEqual([[5, 3, 100], [3, 3, 100], [3, 3, 100]]);
    const small = mx.sym.RNN({ data: mx.sym.Variable('data'), mode: 'gru', state_size: 3, num_layers: 2, bidirectional: true, name: 'rnn' });
    const exec = small.simpleBind(mx.cpu(), { shapes: { data: [4, 2, 5] }, gradReq: 'write' });
    expect(exec.argDict['rnn_parameters']!.shape).toEqual([gluonParamShapes({ mode: 'gru', layers: 2, bidirectional: true, hidden: 3, input: 5 }).reduce((s2, [, sh]) => s2 + sh.reduce((a, b) => a * b, 1), 0)]);
    expect(exec.forward(false)[0]!.shape).toEqual([4, 2, 6]);
  });

  test('projection: state and output widths are projection_size, the cell state keeps state_size', () => {
    const s = mx.sym.RNN({ data: mx.sym.Variable('data'), mode: 'lstm', state_size: 5, projection_size: 3, num_layers: 2, bidirectional: true, state_outputs: true, name: 'rnn' });
    const c: RnnConfig = { mode: 'lstm', layers: 2, bidirectional: true, hidden: 5, input: 4, projection: 3 };
    const size = gluonParamShapes(c).reduce((sum, [, shape]) => sum + shape.reduce((a, b) => a * b, 1), 0);
    const shapes = s.inferShape({ data: [2, 3, 4] });
    expect(shapes.argShapes).toEqual([[2, 3, 4], [size], [4, 3, 3], [4, 3, 5]]);
    expect(shapes.outShapes).toEqual([[2, 3, 6], [4, 3, 3], [4, 3, 5]]);
  });
});

describeEachBackend('RNN forward against the float64 reference', () => {
  for (const mode of MODES) {
    test(`${mode}: 2 layers, bidirectional, outputs and final states`, () => {
      const c: RnnConfig = { mode, layers: 2, bidirectional: true, hidden: 3, input: 4 };
      const f = fixture(c, 5, 2);
      const ref = referenceRnn(c, f.data, f.named, f.state, f.state_cell);
      const outs = mx.nd.RNN({ ...location(f), ...opParams(c), state_outputs: true }) as unknown as mx.NDArray[];
      mx.testUtils.assertAlmostEqual(outs[0]!, mx.nd.array(ref.out).reshape([5, 2, 6]), F32);
      mx.testUtils.assertAlmostEqual(outs[1]!, mx.nd.array(ref.hy).reshape([4, 2, 3]), F32);
      if (mode === 'lstm') mx.testUtils.assertAlmostEqual(outs[2]!, mx.nd.array(ref.cy).reshape([4, 2, 3]), F32);
      expect(outs.length).toBe(mode === 'lstm' ? 3 : 2);
    });
  }

  test('hand-derived: one rnn_tanh unit, packed [i2h w, h2h w, i2h b, h2h b], two steps', () => {
    // h1 = tanh(0.5*2 + 0.1 - 0.25*1 + 0.2) = tanh(1.05); h2 = tanh(0.5*(-1) + 0.1 - 0.25*h1 + 0.2).
    const out = mx.nd.RNN(mx.nd.array([[[2]], [[-1]]]), mx.nd.array([0.5, -0.25, 0.1, 0.2]), mx.nd.array([[[1]]]), { mode: 'rnn_tanh', state_size: 1, num_layers: 1 });
    const h1 = Math.tanh(1.05);
    mx.testUtils.assertAlmostEqual(out, [[[h1]], [[Math.tanh(-0.2 - 0.25 * h1)]]], { rtol: 1e-6, atol: 1e-7 });
  });

  test('one layer, one direction, batch 1: mx.nd returns a single array; mx.sym + bind agrees', () => {
    const c: RnnConfig = { mode: 'gru', layers: 1, bidirectional: false, hidden: 4, input: 2 };
    const f = fixture(c, 3, 1);
    const ref = referenceRnn(c, f.data, f.named, f.state, null);
    const out = mx.nd.RNN(f.data, f.parameters, f.state, opParams(c));
    mx.testUtils.assertAlmostEqual(out, mx.nd.array(ref.out).reshape([3, 1, 4]), F32);
    mx.testUtils.checkSymbolicForward(symbolFor(c), location(f), [out], { rtol: 1e-6, atol: 1e-7 });
  });

  test('sequence_length: entries stop at their length (zeros after), reverse starts there, final states at the own last step', () => {
    for (const mode of ['lstm', 'gru', 'rnn_tanh'] as Mode[]) {
      const c: RnnConfig = { mode, layers: 2, bidirectional: true, hidden: 2, input: 3 };
      const f = fixture(c, 4, 3);
      const lengths = [4, 2, 0];
      const ref = referenceRnn(c, f.data, f.named, f.state, f.state_cell, lengths);
      const exec = symbolFor(c, { use_sequence_length: true, state_outputs: true }).bind(mx.cpu(), location(f, lengths));
      const outs = exec.forward(false);
      mx.testUtils.assertAlmostEqual(outs[0]!, mx.nd.array(ref.out).reshape([4, 3, 4]), F32);
      mx.testUtils.assertAlmostEqual(outs[1]!, mx.nd.array(ref.hy).reshape([4, 3, 2]), F32);
      if (mode === 'lstm') mx.testUtils.assertAlmostEqual(outs[2]!, mx.nd.array(ref.cy).reshape([4, 3, 2]), F32);
    }
  });

  test('LSTMP (projection_size) and cell clipping match the reference', () => {
    const c: RnnConfig = { mode: 'lstm', layers: 2, bidirectional: true, hidden: 4, input: 3, projection: 2 };
    const f = fixture(c, 3, 2);
    const ref = referenceRnn(c, f.data, f.named, f.state, f.state_cell);
    const outs = mx.nd.RNN({ ...location(f), ...opParams(c), state_outputs: true }) as unknown as mx.NDArray[];
    mx.testUtils.assertAlmostEqual(outs[0]!, mx.nd.array(ref.out).reshape([3, 2, 4]), F32);
    mx.testUtils.assertAlmostEqual(outs[1]!, mx.nd.array(ref.hy).reshape([4, 2, 2]), F32);
    mx.testUtils.assertAlmostEqual(outs[2]!, mx.nd.array(ref.cy).reshape([4, 2, 4]), F32);
    const clipped: RnnConfig = { mode: 'lstm', layers: 1, bidirectional: false, hidden: 3, input: 2, clip: { min: -0.05, max: 0.1 } };
    const g = fixture(clipped, 4, 2);
    const refClip = referenceRnn(clipped, g.data, g.named, g.state, g.state_cell);
    const cy = (mx.nd.RNN({ ...location(g), ...opParams(clipped), state_outputs: true }) as unknown as mx.NDArray[])[2]!;
    mx.testUtils.assertAlmostEqual(cy, mx.nd.array(refClip.cy).reshape([1, 2, 3]), F32);
    expect(Math.max(...cy.data)).toBeLessThanOrEqual(0.1 + 1e-7);
  });
});

describeEachBackend('RNN backward', () => {
  for (const mode of MODES) {
    test(`${mode}: numeric gradient to data, parameters, state${mode === 'lstm' ? ', state_cell' : ''} (2 layers, bidirectional, state outputs)`, () => {
      const c: RnnConfig = { mode, layers: 2, bidirectional: true, hidden: 2, input: 3 };
      const f = fixture(c, 3, 2);
      mx.testUtils.checkNumericGradient(symbolFor(c, { state_outputs: true }), location(f), NUMERIC);
    });
  }

  test('sequence_length, LSTMP and clipping: numeric gradients', () => {
    const seq: RnnConfig = { mode: 'gru', layers: 2, bidirectional: true, hidden: 2, input: 2 };
    const f = fixture(seq, 4, 3);
    mx.testUtils.checkNumericGradient(symbolFor(seq, { use_sequence_length: true, state_outputs: true }), location(f, [3, 1, 4]), { ...NUMERIC, gradNodes: ['data', 'parameters', 'state'] });
    const lstmSeq: RnnConfig = { mode: 'lstm', layers: 1, bidirectional: true, hidden: 2, input: 2 };
    const h = fixture(lstmSeq, 3, 2);
    mx.testUtils.checkNumericGradient(symbolFor(lstmSeq, { use_sequence_length: true, state_outputs: true }), location(h, [2, 3]), { ...NUMERIC, gradNodes: ['data', 'parameters', 'state', 'state_cell'] });
    const proj: RnnConfig = { mode: 'lstm', layers: 2, bidirectional: true, hidden: 3, input: 2, projection: 2 };
    mx.testUtils.checkNumericGradient(symbolFor(proj, { state_outputs: true }), location(fixture(proj, 3, 2)), NUMERIC);
    const clip: RnnConfig = { mode: 'lstm', layers: 1, bidirectional: false, hidden: 2, input: 2, clip: { min: -0.3, max: 0.3 } };
    mx.testUtils.checkNumericGradient(symbolFor(clip, { state_outputs: true }), location(fixture(clip, 3, 2)), NUMERIC);
  });

  test("gradReq 'add' accumulates onto the existing gradients", () => {
    const c: RnnConfig = { mode: 'lstm', layers: 2, bidirectional: true, hidden: 2, input: 3 };
    const f = fixture(c, 3, 2);
    const heads = [mx.nd.random.uniform(-1, 1, [3, 2, 4]), mx.nd.random.uniform(-1, 1, [4, 2, 2]), mx.nd.random.uniform(-1, 1, [4, 2, 2])];
    expectAddAccumulates(symbolFor(c, { state_outputs: true }), location(f), heads, { rtol: 1e-5, atol: 1e-6 });
  });
});

describe('RNN dropout between layers (p, training only)', () => {
  const c: RnnConfig = { mode: 'rnn_tanh', layers: 2, bidirectional: false, hidden: 3, input: 2 };

  test('inference ignores p; training drops the first layer\'s outputs but not its final state', () => {
    const f = fixture(c, 4, 2);
    const plain = symbolFor(c, { state_outputs: true }).bind(mx.cpu(), location(f)).forward(false).map((o) => o.copy());
    const dropped = symbolFor(c, { state_outputs: true, p: 0.5 }).bind(mx.cpu(), location(f));
    mx.testUtils.assertAlmostEqual(dropped.forward(false)[0]!, plain[0]!, { rtol: 0, atol: 0 });
    const trained = dropped.forward(true);
    expect(Array.from(trained[0]!.data)).not.toEqual(Array.from(plain[0]!.data));
    // state_output rows of layer 0 come before dropout.
    mx.testUtils.assertAlmostEqual(mx.nd.array(Array.from(trained[1]!.data.slice(0, 6))), mx.nd.array(Array.from(plain[1]!.data.slice(0, 6))), { rtol: 0, atol: 0 });
  });

  test('the backward uses the forward\'s mask: numeric gradient with the same seed for every forward', () => {
    const f = fixture(c, 3, 2);
    const exec = symbolFor(c, { p: 0.4 }).bind(mx.cpu(), location(f), { gradReq: { data: 'write', parameters: 'write', state: 'write' } });
    const head = mx.nd.random.uniform(-1, 1, [3, 2, 3]);
    const objective = () => {
      mx.random.seed(99);
      return exec.forward(true)[0]!.data.reduce((s, v, i) => s + v * head.data[i]!, 0);
    };
    objective();
    exec.backward([head]);
    for (const name of ['data', 'parameters']) {
      const values = exec.argDict[name]!.data;
      const analytic = exec.gradDict[name]!.data.slice();
      for (let i = 0; i < values.length; i += 3) {
        const saved = values[i]!;
        values[i] = saved + 1e-3;
        const up = objective();
        values[i] = saved - 1e-3;
        const down = objective();
        values[i] = saved;
        const numeric = (up - down) / 2e-3;
        expect(Math.abs(numeric - analytic[i]!)).toBeLessThanOrEqual(1e-3 + 1e-2 * Math.abs(numeric));
      }
    }
  });
});
