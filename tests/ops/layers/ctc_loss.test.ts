/**
 * CTCLoss: MXNet test_ctc_loss golden losses (from Torch warp-ctc), a float64 forward-backward
 * reference in probability space (itself checked by enumerating every alignment), data and label
 * lengths, blank_label last, gradients (numeric and against the reference), inputs and errors.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

const NUMERIC = { rtol: 1e-2, atol: 1e-3 };
const CLOSE = { rtol: 1e-4, atol: 1e-5 };

interface Reference { loss: number[]; grad: Float64Array }

/** Softmax over classes of data[t, n, :] in float64. */
function probs(data: mx.NDArray, t: number, n: number): number[] {
  const [, N, C] = data.shape as [number, number, number];
  const row = Array.from({ length: C }, (_, c) => data.data[(t * N + n) * C + c]!);
  const max = Math.max(...row);
  const e = row.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** Float64 CTC by alphas and betas in probability space (Graves 2006, eqs. 6-16). */
function ctcRef(data: mx.NDArray, labels: number[][], blank: number, dataLengths?: number[]): Reference {
  const [T0, N, C] = data.shape as [number, number, number];
  const grad = new Float64Array(data.size);
  const loss = labels.map((label, n) => {
    const T = dataLengths?.[n] ?? T0;
    const z = [blank, ...label.flatMap((l) => [l, blank])];
    const S = z.length;
    const y = Array.from({ length: T }, (_, t) => probs(data, t, n));
    const alpha = Array.from({ length: T }, () => new Array<number>(S).fill(0));
    const beta = Array.from({ length: T }, () => new Array<number>(S).fill(0));
    for (let t = 0; t < T; t++) for (let s = 0; s < S; s++) {
      const prev = t === 0 ? (s < 2 ? 1 : 0) : alpha[t - 1]![s]! + (s > 0 ? alpha[t - 1]![s - 1]! : 0) + (s > 1 && z[s] !== blank && z[s] !== z[s - 2] ? alpha[t - 1]![s - 2]! : 0);
      alpha[t]![s] = prev * y[t]![z[s]!]!;
    }
    for (let t = T - 1; t >= 0; t--) for (let s = S - 1; s >= 0; s--) {
      const next = t === T - 1 ? (s >= S - 2 ? 1 : 0) : beta[t + 1]![s]! + (s + 1 < S ? beta[t + 1]![s + 1]! : 0) + (s + 2 < S && z[s + 2] !== blank && z[s + 2] !== z[s] ? beta[t + 1]![s + 2]! : 0);
      beta[t]![s] = next * y[t]![z[s]!]!;
    }
    const p = alpha[T - 1]![S - 1]! + (S > 1 ? alpha[T - 1]![S - 2]! : 0);
    for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) {
      let posterior = 0;
      for (let s = 0; s < S; s++) if (z[s] === c) posterior += (alpha[t]![s]! * beta[t]![s]!) / y[t]![c]!;
      grad[(t * N + n) * C + c] = y[t]![c]! - posterior / p;
    }
    return -Math.log(p);
  });
  return { loss, grad };
}

/** Sum over all C^T paths that collapse to `label` of their probability, for tiny T. */
function bruteForceLoss(data: mx.NDArray, n: number, label: number[], blank: number): number {
  const [T, , C] = data.shape as [number, number, number];
  const y = Array.from({ length: T }, (_, t) => probs(data, t, n));
  let total = 0;
  for (let code = 0; code < C ** T; code++) {
    const path = Array.from({ length: T }, (_, t) => Math.floor(code / C ** t) % C);
    const collapsed = path.filter((c, t) => c !== blank && (t === 0 || c !== path[t - 1]));
    if (collapsed.length === label.length && collapsed.every((c, i) => c === label[i])) total += path.reduce((p, c, t) => p * y[t]![c]!, 1);
  }
  return -Math.log(total);
}

/** The activations of MXNet's test_ctc_loss, test 1 and test 2 (T=3, N=2, C=5). */
const ACTS1 = [[[1.2, 3.4, 1.2, -0.1, -2.34], [1.2, 3.4, 1.2, -0.1, -2.34]], [[0.1, 0.2, 0.3, 0.22, 0.123], [0.1, 0.2, 0.3, 0.22, 0.123]], [[-15, -14, -13, -12, -11], [-15, -14, -13, -12, -11]]];
const ACTS2 = [[[-5, -4, -3, -2, -1], [1.2, 3.4, 1.2, -0.1, -2.34]], [[-10, -9, -8, -7, -6], [0.1, 0.2, 0.3, 0.22, 0.123]], [[-15, -14, -13, -12, -11], [-15, -14.2, -13.5, -12.2, -11.22]]];

beforeEach(() => mx.random.seed(41));

describe('CTCLoss: inputs, outputs and shapes', () => {
  test('inputs follow use_data_lengths / use_label_lengths; one visible output of shape (N,); aliases', () => {
    const v = mx.sym.Variable;
    expect(mx.sym.CTCLoss({ data: v('d'), label: v('l'), name: 'ctc' }).listArguments()).toEqual(['d', 'l']);
    const both = mx.sym.ctc_loss({ data: v('d'), label: v('l'), use_data_lengths: true, use_label_lengths: true, name: 'ctc' });
    expect(both.listArguments()).toEqual(['d', 'l', 'ctc_data_lengths', 'ctc_label_lengths']);
    expect(both.listOutputs()).toEqual(['ctc_output0']);
    expect(both.inferShape({ d: [6, 2, 4], l: [2, 3] }).argShapes).toEqual([[6, 2, 4], [2, 3], [2], [2]]);
    expect(both.inferShape({ d: [6, 2, 4], l: [2, 3] }).outShapes).toEqual([[2]]);
    expect(mx.sym._contrib_CTCLoss({ data: v('d'), label: v('l'), use_label_lengths: true, name: 'c' }).listArguments()).toEqual(['d', 'l', 'c_label_lengths']);
    expect(typeof mx.nd._contrib_ctc_loss).toBe('function');
  });

  test('bad ranks, batch mismatch and labels longer than the data are shape errors; blank_label is an enum', () => {
    const s = mx.sym.CTCLoss({ data: mx.sym.Variable('d'), label: mx.sym.Variable('l'), name: 'ctc' });
    expect(() => s.inferShape({ d: [3, 2], l: [2, 1] })).toThrow("CTCLoss 'ctc': data shape [3,2] must be 3-d");
    expect(() => s.inferShape({ d: [3, 2, 4], l: [3, 1] })).toThrow(/label shape \[3,1\] has batch 3/);
    expect(() => s.inferShape({ d: [3, 2, 4], l: [2, 4] })).toThrow("CTCLoss 'ctc': label length 4 exceeds the 3 steps");
    // @ts-expect-error blank_label is 'first' or 'last'
    expect(() => mx.sym.CTCLoss({ data: mx.sym.Variable('d'), blank_label: 'middle' })).toThrow(mx.ParamError);
  });
});

describeEachBackend('CTCLoss values', () => {
  test('MXNet test_ctc_loss test 1: both sequences give 4.04789 (Torch); the reference agrees', () => {
    const loss = mx.nd.CTCLoss(mx.nd.array(ACTS1), mx.nd.array([[2, 3, 0], [2, 3, 0]]));
    mx.testUtils.assertAlmostEqual(loss, [4.04789, 4.04789], { rtol: 1e-5, atol: 1e-5 });
    mx.testUtils.assertAlmostEqual(ctcRef(mx.nd.array(ACTS1), [[2, 3], [2, 3]], 0).loss, [4.04789, 4.04789], { rtol: 1e-5, atol: 1e-5 });
  });

  test('MXNet test_ctc_loss test 2: labels [2, 3, 1] and [2] (0-padded) give 7.3557 and 5.4091; integer-valued labels', () => {
    const loss = mx.nd.ctc_loss(mx.nd.array(ACTS2), mx.nd.array([[2, 3, 1], [2, 0, 0]]));
    mx.testUtils.assertAlmostEqual(loss, [7.3557, 5.4091], { rtol: 1e-4, atol: 1e-4 });
  });

  test('the float64 reference matches an enumeration of all alignments', () => {
    const data = mx.nd.random.normal(0, 1, [4, 2, 3]);
    const ref = ctcRef(data, [[1, 1], [2]], 0);
    mx.testUtils.assertAlmostEqual(ref.loss, [bruteForceLoss(data, 0, [1, 1], 0), bruteForceLoss(data, 1, [2], 0)], { rtol: 1e-12, atol: 1e-12 });
  });

  test('seeded (T=7, N=3, C=5) batch: loss and hidden gradient match the reference; backward scales by the head', () => {
    const data = mx.nd.random.normal(0, 2, [7, 3, 5]);
    const labels = [[1, 2, 2, 4], [3, 0, 0, 0], [4, 4, 1, 0]];
    const ref = ctcRef(data, [[1, 2, 2, 4], [3], [4, 4, 1]], 0);
    const s = mx.sym.CTCLoss({ data: mx.sym.Variable('x'), label: mx.sym.Variable('y') });
    const exec = s.bind(mx.cpu(), { x: data, y: mx.nd.array(labels) }, { gradReq: { x: 'write', y: 'null' } });
    mx.testUtils.assertAlmostEqual(exec.forward(true)[0]!.data, ref.loss, CLOSE);
    exec.backward([mx.nd.array([1, -2, 0.5])]);
    const head = [1, -2, 0.5];
    mx.testUtils.assertAlmostEqual(exec.gradDict['x']!.data, ref.grad.map((g, i) => g * head[Math.floor(i / 5) % 3]!), CLOSE);
  });

  test('blank_label last pads with -1; data_lengths and label_lengths override the padding, gradient 0 past the length', () => {
    const data = mx.nd.random.normal(0, 1, [6, 2, 4]);
    const last = mx.nd.CTCLoss(data, mx.nd.array([[0, 2, -1], [1, -1, -1]]), { blank_label: 'last' });
    mx.testUtils.assertAlmostEqual(last.data, ctcRef(data, [[0, 2], [1]], 3).loss, CLOSE);

    const s = mx.sym.CTCLoss({ data: mx.sym.Variable('x'), label: mx.sym.Variable('y'), data_lengths: mx.sym.Variable('dl'), label_lengths: mx.sym.Variable('ll'), use_data_lengths: true, use_label_lengths: true });
    const exec = s.bind(mx.cpu(), { x: data, y: mx.nd.array([[1, 0, 3], [2, 2, 1]]), dl: mx.nd.array([4, 6]), ll: mx.nd.array([2, 3]) }, { gradReq: { x: 'write', y: 'null', dl: 'null', ll: 'null' } });
    const ref = ctcRef(data, [[1, 0], [2, 2, 1]], 0, [4, 6]);
    mx.testUtils.assertAlmostEqual(exec.forward(true)[0]!.data, ref.loss, CLOSE);
    exec.backward([mx.nd.ones([2])]);
    mx.testUtils.assertAlmostEqual(exec.gradDict['x']!.data, ref.grad, CLOSE);
    for (let t = 4; t < 6; t++) for (let c = 0; c < 4; c++) expect(exec.gradDict['x']!.data[(t * 2 + 0) * 4 + c]).toBe(0);
  });

  test('numeric gradient of the loss with respect to the activations', () => {
    const s = mx.sym.CTCLoss({ data: mx.sym.Variable('x'), label: mx.sym.Variable('y') });
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.normal(0, 1, [5, 2, 4]), y: mx.nd.array([[1, 3], [2, 2]]) }, { ...NUMERIC, gradNodes: ['x'] });
  });
});
