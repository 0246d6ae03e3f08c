/**
 * Loss readout (docs/loss_readout.md): for every loss-head mode, the numeric gradient of the
 * readout with respect to the head's data equals the executor's backward (the proof that each
 * formula is the loss the gradient descends), plus hand-computed values from the blog
 * experiments (reference section 10) and the HeadLoss metric inside Module.fit.
 */
import * as mx from 'mxts';
import { silentLogger } from '../../src/callback';
import { HeadLoss, headLosses, lossHeads } from '../../src/loss/index';
import type { HeadLossValue } from '../../src/loss/index';
import { expectClose } from '../helpers/close';

const ctx = mx.cpu();
const V = (name: string) => mx.sym.Variable(name);
type Net = (data: mx.Symbol, label: mx.Symbol) => mx.Symbol;

/** Seeded uniform values in [lo, hi). */
function uniform(shape: number[], lo: number, hi: number): mx.NDArray {
  return mx.nd.random.uniform(lo, hi, shape);
}

function labels(values: number[], shape: number[]): mx.NDArray {
  return mx.nd.array(values, { shape });
}

/** Rows of random positive numbers normalized to sum to 1 along `axis` of (outer, n, inner). */
function distributions(outer: number, n: number, inner: number): Float32Array {
  const raw = uniform([outer * n * inner], 0.1, 1).data;
  const out = new Float32Array(raw.length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += raw[(o * n + c) * inner + j]!;
      for (let c = 0; c < n; c++) out[(o * n + c) * inner + j] = raw[(o * n + c) * inner + j]! / s;
    }
  }
  return out;
}

/**
 * Binds net(data, label), runs forward + backward, and compares the data gradient with central
 * differences of the readout (float32 forward, float64 readout; step 1e-2).
 */
function checkGradient(net: Net, data: mx.NDArray, label: mx.NDArray | null): HeadLossValue {
  const symbol = net(V('data'), V('label'));
  const args: Record<string, mx.NDArray> = { data: data.copy() };
  const gradReq: Record<string, mx.GradReq> = { data: 'write' };
  if (label) {
    args['label'] = label;
    gradReq['label'] = 'null';
  }
  const exec = symbol.bind(ctx, args, { gradReq });
  exec.forward(true);
  const readout = headLosses(exec)[0]!;
  exec.backward();
  const analytic = Array.from(exec.gradDict['data']!.data);
  const x = exec.argDict['data']!.data;
  const numeric = analytic.map((_, i) => {
    const orig = x[i]!;
    x[i] = orig + 1e-2;
    const up = x[i]!;
    exec.forward(true);
    const lossUp = headLosses(exec)[0]!.value;
    x[i] = orig - 1e-2;
    const down = x[i]!;
    exec.forward(true);
    const lossDown = headLosses(exec)[0]!.value;
    x[i] = orig;
    return (lossUp - lossDown) / (up - down);
  });
  exec.forward(true);
  expectClose(numeric, analytic, 1e-2, 1e-3);
  expect(readout.exact).toBe(true);
  return readout;
}

beforeEach(() => mx.random.seed(7));

describe('the readout gradient is the backward gradient, every mode', () => {
  test('SoftmaxOutput probability mode (label rows are distributions), grad_scale 2', () => {
    checkGradient((d, l) => mx.sym.SoftmaxOutput(d, l, { grad_scale: 2 }), uniform([3, 4], -2, 2), new mx.NDArray(distributions(3, 4, 1), [3, 4]));
  });

  test('SoftmaxOutput probability mode with multi_output softmaxes over axis 1', () => {
    checkGradient((d, l) => mx.sym.SoftmaxOutput(d, l, { multi_output: true }), uniform([2, 3, 2], -2, 2), new mx.NDArray(distributions(2, 3, 2), [2, 3, 2]));
  });

  for (const normalization of ['null', 'batch', 'valid'] as const) {
    test(`SoftmaxOutput index mode, normalization ${normalization}, grad_scale 0.7`, () => {
      checkGradient((d, l) => mx.sym.SoftmaxOutput(d, l, { normalization, grad_scale: 0.7 }), uniform([4, 5], -2, 2), labels([0, 3, 4, 1], [4]));
    });

    test(`SoftmaxOutput index mode with use_ignore, normalization ${normalization}`, () => {
      checkGradient((d, l) => mx.sym.SoftmaxOutput(d, l, { normalization, use_ignore: true, ignore_label: 2 }), uniform([5, 4], -2, 2), labels([2, 0, 2.9, 3, 1], [5]));
    });

    test(`SoftmaxOutput multi_output index mode (MXNet's division table), normalization ${normalization}, with ignore`, () => {
      checkGradient(
        (d, l) => mx.sym.SoftmaxOutput(d, l, { multi_output: true, normalization, use_ignore: true, ignore_label: 1, grad_scale: 1.5 }),
        uniform([2, 3, 2, 2], -2, 2),
        labels([0, 1, 2, 2, 1, 0, 0, 2], [2, 2, 2]),
      );
    });
  }

  test('SoftmaxOutput index mode with label smoothing (smooth_alpha 0.2)', () => {
    checkGradient((d, l) => mx.sym.SoftmaxOutput(d, l, { smooth_alpha: 0.2, normalization: 'batch' }), uniform([3, 4], -2, 2), labels([1, 0, 3], [3]));
  });

  test('SoftmaxOutput preserve_shape: one label per (n, t) row of the last axis', () => {
    checkGradient((d, l) => mx.sym.SoftmaxOutput(d, l, { preserve_shape: true, normalization: 'batch' }), uniform([2, 3, 4], -2, 2), labels([0, 1, 2, 3, 1, 0], [2, 3]));
  });

  test('LogisticRegressionOutput: binary cross-entropy / num_output, grad_scale 3', () => {
    checkGradient((d, l) => mx.sym.LogisticRegressionOutput(d, l, { grad_scale: 3 }), uniform([3, 4], -2, 2), uniform([3, 4], 0, 1));
  });

  test('LogisticRegressionOutput with one output per sample ((n,1) data, (n,) label)', () => {
    checkGradient((d, l) => mx.sym.LogisticRegressionOutput(d, l), uniform([5, 1], -3, 3), labels([0, 1, 1, 0, 1], [5]));
  });

  test('LinearRegressionOutput: half squared error / num_output, label reshaped (3,2,2)', () => {
    checkGradient((d, l) => mx.sym.LinearRegressionOutput(d, l, { grad_scale: 0.5 }), uniform([3, 4], -2, 2), uniform([3, 2, 2], -2, 2));
  });

  test('MAERegressionOutput: absolute error / num_output (away from ties)', () => {
    checkGradient((d, l) => mx.sym.MAERegressionOutput(d, l), uniform([3, 4], 0.5, 2), uniform([3, 4], -2, 0));
    checkGradient((d, l) => mx.sym.MAERegressionOutput(d, l, { grad_scale: 2 }), uniform([3, 4], -2, 0), uniform([3, 4], 0.5, 2));
  });

  for (const normalization of ['null', 'batch', 'valid'] as const) {
    test(`MakeLoss: grad_scale * sum(data) / norm, normalization ${normalization}`, () => {
      checkGradient((d) => mx.sym.MakeLoss(d, { normalization, grad_scale: 2, valid_thresh: 0.1 }), uniform([3, 2, 4], -1, 1), null);
    });
  }

  test('make_loss: sum(data)', () => {
    const r = checkGradient((d) => mx.sym.make_loss(d), uniform([4, 3], -1, 1), null);
    expect(r.head).toBe('make_loss0_loss');
  });

  test('the gradient reaches parameters: FullyConnected + SoftmaxOutput, d readout / d weight = weight gradient', () => {
    const net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(V('data'), { num_hidden: 3, name: 'fc' }), V('label'), { name: 'sm', normalization: 'valid' });
    const exec = net.simpleBind(ctx, { shapes: { data: [4, 2], label: [4] }, gradReq: { data: 'null', label: 'null', fc_weight: 'write', fc_bias: 'write' } });
    exec.argDict['data']!.data.set(uniform([4, 2], -1, 1).data);
    exec.argDict['fc_weight']!.data.set(uniform([3, 2], -1, 1).data);
    exec.argDict['label']!.data.set([0, 2, 1, 2]);
    exec.forward(true);
    exec.backward();
    const w = exec.argDict['fc_weight']!.data;
    const numeric = Array.from(w, (orig, i) => {
      w[i] = orig + 1e-2;
      const up = w[i]!;
      exec.forward(true);
      const a = headLosses(exec)[0]!.value;
      w[i] = orig - 1e-2;
      const down = w[i]!;
      exec.forward(true);
      const b = headLosses(exec)[0]!.value;
      w[i] = orig;
      return (a - b) / (up - down);
    });
    expectClose(numeric, exec.gradDict['fc_weight']!.data, 1e-2, 1e-3);
  });
});

describe('hand-computed values (blog experiments, reference section 10)', () => {
  const bind = (symbol: mx.Symbol, m: mx.NDArray, n: mx.NDArray) => {
    const exec = symbol.bind(ctx, { m, n }, { gradReq: 'null' });
    exec.forward(false);
    return headLosses(exec);
  };
  const ones = () => mx.nd.ones([3, 4]);
  const full = (v: number) => mx.nd.full([3, 4], v);

  test('experiment 1: LogisticRegressionOutput(ones(3,4), zeros(3,4)) = 12 * -log(1 - sigmoid(1)) / 4', () => {
    const [r] = bind(mx.sym.LogisticRegressionOutput(V('m'), V('n'), { name: 'lro' }), ones(), mx.nd.zeros([3, 4]));
    // sigmoid(1) = 0.7310586; -log(0.2689414) = 1.3132617 per element; num_output = 12/3 = 4.
    expect(r).toMatchObject({ head: 'lro_output', op: 'LogisticRegressionOutput', output: 0, exact: true });
    expect(r!.value).toBeCloseTo((12 * 1.3132617) / 4, 5); // 3.9397850
    expect(r!.perSample).toBeCloseTo(1.3132617, 6);
  });

  test('experiment 2: LogisticRegressionOutput(ones+0.3, zeros+0.2): BCE(0.78583497, 0.2) * 12 / 4', () => {
    const [r] = bind(mx.sym.LogisticRegressionOutput(V('m'), V('n')), full(1.3), full(0.2));
    const bce = -(0.2 * Math.log(0.78583497) + 0.8 * Math.log(1 - 0.78583497)); // 1.2809806
    expect(r!.value).toBeCloseTo(3 * bce, 5);
    expect(r!.perSample).toBeCloseTo(bce, 5);
  });

  test('experiment 1 with LinearRegressionOutput: 12 * 0.5 * 1^2 / 4 = 1.5; MAE: 12 * 1 / 4 = 3', () => {
    expect(bind(mx.sym.LinearRegressionOutput(V('m'), V('n')), ones(), mx.nd.zeros([3, 4]))[0]!.value).toBeCloseTo(1.5, 6);
    expect(bind(mx.sym.MAERegressionOutput(V('m'), V('n')), ones(), mx.nd.zeros([3, 4]))[0]!.value).toBeCloseTo(3, 6);
  });

  test('experiment 3: SoftmaxOutput probability mode, label 0.7 everywhere: 12 * 0.7 * log 4, flagged inexact', () => {
    const [r] = bind(mx.sym.SoftmaxOutput(V('m'), V('n')), ones(), full(0.7));
    expect(r!.value).toBeCloseTo(12 * 0.7 * Math.log(4), 5); // 11.6449
    // The backward (0.25 - 0.7 = -0.45) is not the gradient of any function of p: rows sum to 2.8.
    expect(r!.exact).toBe(false);
    const [q] = bind(mx.sym.SoftmaxOutput(V('m'), V('n')), ones(), full(0.25));
    expect(q!.value).toBeCloseTo(3 * Math.log(4), 5);
    expect(q!.exact).toBe(true);
  });

  test('index label (3,) of 0.7s truncates to class 0: 3 * log 4, / 3 with normalization batch', () => {
    const m = ones();
    const label = mx.nd.array([0.7, 0.7, 0.7]);
    expect(bind(mx.sym.SoftmaxOutput(V('m'), V('n')), m, label)[0]!.value).toBeCloseTo(3 * Math.log(4), 5);
    const [b] = bind(mx.sym.SoftmaxOutput(V('m'), V('n'), { normalization: 'batch' }), m, label);
    expect(b!.value).toBeCloseTo(Math.log(4), 5);
    expect(b!.perSample).toBeCloseTo(Math.log(4) / 3, 5);
  });

  test('MakeLoss: sum(data) scaled; make_loss: sum(data); BlockGrad implies no loss', () => {
    const x = mx.nd.array([[1, -2, 3], [0.5, 0, 4]]);
    const run = (s: mx.Symbol) => {
      const exec = s.bind(ctx, { x }, { gradReq: 'null' });
      exec.forward(false);
      return headLosses(exec);
    };
    expect(run(mx.sym.MakeLoss(V('x'), { grad_scale: 2 }))[0]!.value).toBeCloseTo(13, 6);
    expect(run(mx.sym.MakeLoss(V('x'), { normalization: 'batch' }))[0]!.value).toBeCloseTo(6.5 / 2, 6); // 2 rows
    expect(run(mx.sym.MakeLoss(V('x'), { normalization: 'valid' }))[0]!.value).toBeCloseTo(6.5 / 4, 6); // 4 elements > 0
    expect(run(mx.sym.make_loss(V('x')))[0]!.value).toBeCloseTo(6.5, 6);
    expect(run(mx.sym.BlockGrad(V('x')))).toEqual([]);
  });

  test('a group reports each loss head by output index and skips plain outputs', () => {
    const d = V('data');
    const group = mx.sym.Group([mx.sym.BlockGrad(d, { name: 'bg' }), mx.sym.LinearRegressionOutput(d, V('y'), { name: 'lin' }), mx.sym.make_loss(d, { name: 'ml' })]);
    expect(lossHeads(group).map((h) => [h.head, h.output, h.labelName])).toEqual([['lin_output', 1, 'y'], ['ml_loss', 2, null]]);
    const exec = group.bind(ctx, { data: mx.nd.array([[1, 2]]), y: mx.nd.array([[0, 0]]) }, { gradReq: 'null' });
    exec.forward(false);
    const values = headLosses(exec).map((r) => [r.head, r.value]);
    expect(values).toEqual([['lin_output', (0.5 * 1 + 0.5 * 4) / 2], ['ml_loss', 3]]);
  });

  test('probabilities that underflow to 0 are clipped at eps (finite loss, flagged inexact)', () => {
    const [r] = bind(mx.sym.SoftmaxOutput(V('m'), V('n')), mx.nd.array([[0, 200]]), mx.nd.array([0]));
    expect(r!.value).toBeCloseTo(-Math.log(1e-12), 6);
    expect(r!.exact).toBe(false);
  });

  test('out-of-range class indices are left out and flagged inexact; a computed label is an error', () => {
    const [r] = bind(mx.sym.SoftmaxOutput(V('m'), V('n')), mx.nd.zeros([2, 2]), mx.nd.array([0, 5]));
    expect(r!.value).toBeCloseTo(Math.log(2), 6);
    expect(r!.exact).toBe(false);
    expect(() => lossHeads(mx.sym.SoftmaxOutput(V('m'), V('n').mul(2)))).toThrow(mx.ValueError);
  });
});

describe('HeadLoss metric', () => {
  test('from (labels, outputs) and the symbol: the same values as headLosses(exec)', () => {
    const net = mx.sym.LogisticRegressionOutput(V('data'), V('lro_label'), { name: 'lro' });
    const data = uniform([6, 2], -2, 2);
    const label = labels([0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0], [6, 2]);
    const exec = net.bind(ctx, { data, lro_label: label }, { gradReq: 'null' });
    exec.forward(false);
    const expected = headLosses(exec)[0]!;
    const metric = new HeadLoss(net);
    metric.update([label], [exec.outputs[0]!]);
    expect(metric.get()[0]).toBe('head_loss');
    expect(metric.get()[1]).toBeCloseTo(expected.perSample, 10);
    metric.updateDict({ lro_label: label }, { lro_output: exec.outputs[0]! });
    expect(metric.numInst).toBe(12);
    expect(metric.get()[1]).toBeCloseTo(expected.perSample, 10);
    expect(() => metric.updateDict({}, { lro_output: exec.outputs[0]! })).toThrow(mx.ValueError);
    expect(() => new HeadLoss(mx.sym.FullyConnected(V('x'), { num_hidden: 2 }))).toThrow(mx.ValueError);
  });

  test('inside Module.fit it reports the per-sample loss, which training lowers', () => {
    mx.random.seed(3);
    const n = 40;
    const x = uniform([n, 2], -1, 1);
    const y = mx.nd.array(Array.from({ length: n }, (_, i) => (x.data[2 * i]! + x.data[2 * i + 1]! > 0 ? 1 : 0)));
    const net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(V('data'), { num_hidden: 2, name: 'fc' }), { name: 'softmax' });
    const train = new mx.io.NDArrayIter({ data: x, label: y, batchSize: 8 });
    const mod = new mx.mod.Module({ symbol: net, logger: silentLogger });
    const history = mod.fit(train, { numEpoch: 15, evalMetric: [new HeadLoss(net), 'acc'], optimizerParams: { learning_rate: 0.5 } });
    const first = history[0]!.train['head_loss']!;
    const last = history[14]!.train['head_loss']!;
    expect(first).toBeGreaterThan(0.3); // near log 2 = 0.69 at the start
    expect(last).toBeLessThan(first / 2);
    expect(history[14]!.train['accuracy']).toBeGreaterThan(0.9);
    // The last epoch's value is the per-sample cross-entropy over the epoch's batches.
    const [[, score]] = mod.score(train, new HeadLoss(net)) as [[string, number]];
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThan(first);
  });
});
