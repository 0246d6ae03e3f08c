/**
 * BatchNorm: shape inference (gamma/beta/moving stats from the channel axis, aux names, hidden
 * outputs), training and inference forward against float64 references, the moving-stat update,
 * use_global_stats, fix_gamma, numeric gradients for data/gamma/beta, gradReq 'add', errors.
 */
import * as mx from 'mxts';

const F32 = { rtol: 1e-4, atol: 1e-5 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3, numericEps: 1e-3 };

interface Stats { mean: number[]; variance: number[] }

/** Per-channel mean and biased variance in float64, for channel axis `axis`. */
function batchStats(x: mx.NDArray, axis: number): Stats {
  const C = x.shape[axis]!;
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channel = (i: number) => Math.floor(i / inner) % C;
  const count = x.size / C;
  const mean = new Array<number>(C).fill(0);
  const variance = new Array<number>(C).fill(0);
  x.data.forEach((v, i) => (mean[channel(i)]! += v / count));
  x.data.forEach((v, i) => (variance[channel(i)]! += (v - mean[channel(i)]!) ** 2 / count));
  return { mean, variance };
}

function normalizeRef(x: mx.NDArray, axis: number, s: Stats, gamma: number[], beta: number[], eps: number): mx.NDArray {
  const C = x.shape[axis]!;
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out = Array.from(x.data, (v, i) => {
    const c = Math.floor(i / inner) % C;
    return ((v - s.mean[c]!) / Math.sqrt(s.variance[c]! + eps)) * gamma[c]! + beta[c]!;
  });
  return mx.nd.array(Float32Array.from(out), { shape: x.shape });
}

const bn = (extra: Record<string, unknown> = {}) => mx.sym.BatchNorm({ data: mx.sym.Variable('data'), name: 'bn', ...extra });

beforeEach(() => mx.random.seed(17));

describe('BatchNorm shapes', () => {
  test('gamma, beta and the aux states moving_mean, moving_var are (C,) from data axis 1', () => {
    const s = bn();
    expect(s.listArguments()).toEqual(['data', 'bn_gamma', 'bn_beta']);
    expect(s.listAuxiliaryStates()).toEqual(['bn_moving_mean', 'bn_moving_var']);
    const { argShapes, outShapes, auxShapes } = s.inferShape({ data: [4, 3, 5, 5] });
    expect(argShapes).toEqual([[4, 3, 5, 5], [3], [3]]);
    expect(auxShapes).toEqual([[3], [3]]);
    expect(outShapes).toEqual([[4, 3, 5, 5]]);
  });

  test('axis -1 takes the channel count from the last axis; output_mean_var exposes mean and var', () => {
    const s = bn({ axis: -1, output_mean_var: true });
    expect(s.listOutputs()).toEqual(['bn_output', 'bn_mean', 'bn_var']);
    const { argShapes, outShapes } = s.inferShape({ data: [4, 6, 7] });
    expect(argShapes).toEqual([[4, 6, 7], [7], [7]]);
    expect(outShapes).toEqual([[4, 6, 7], [7], [7]]);
  });

  test('a channel axis out of range and a gamma of the wrong length are shape errors naming the node', () => {
    expect(() => bn({ axis: 3 }).inferShape({ data: [2, 3] })).toThrow(mx.ShapeError);
    expect(() => bn({ axis: 3 }).inferShape({ data: [2, 3] })).toThrow("BatchNorm 'bn': axis 3 is out of range for 2-d input (allowed: -2 to 1)");
    expect(() => bn().inferShape({ data: [2, 3], bn_gamma: [4] })).toThrow("BatchNorm 'bn': gamma shape [4] does not match the inferred shape [3]");
  });
});

describe('BatchNorm forward', () => {
  test('training: batch statistics, biased variance; fix_gamma=false uses gamma', () => {
    const x = mx.nd.random.uniform(-2, 3, [4, 3, 2, 2]);
    const gamma = [0.5, 2, -1];
    const beta = [0.1, 0, -0.3];
    const s = bn({ fix_gamma: false, eps: 1e-5 });
    const exec = s.bind(mx.cpu(), { data: x, bn_gamma: mx.nd.array(gamma), bn_beta: mx.nd.array(beta) }, { gradReq: 'null', auxStates: [mx.nd.zeros([3]), mx.nd.ones([3])] });
    mx.testUtils.assertAlmostEqual(exec.forward(true)[0]!, normalizeRef(x, 1, batchStats(x, 1), gamma, beta, 1e-5), F32);
  });

  test('training updates moving = moving*momentum + batch*(1-momentum) in place (biased variance)', () => {
    const x = mx.nd.random.uniform(-1, 4, [5, 2, 3]);
    const exec = bn({ momentum: 0.8 }).simpleBind(mx.cpu(), { shapes: { data: [5, 2, 3] } });
    exec.argDict['data']!.data.set(x.data);
    exec.auxDict['bn_moving_mean']!.data.set([1, -1]);
    exec.auxDict['bn_moving_var']!.data.set([2, 0.5]);
    exec.forward(true);
    const { mean, variance } = batchStats(x, 1);
    mx.testUtils.assertAlmostEqual(exec.auxDict['bn_moving_mean']!, [0.8 + 0.2 * mean[0]!, -0.8 + 0.2 * mean[1]!], F32);
    mx.testUtils.assertAlmostEqual(exec.auxDict['bn_moving_var']!, [1.6 + 0.2 * variance[0]!, 0.4 + 0.2 * variance[1]!], F32);
  });

  test('inference uses the moving statistics and leaves them unchanged; fix_gamma ignores gamma', () => {
    const x = mx.nd.random.uniform(-1, 1, [3, 2]);
    const exec = bn().bind(mx.cpu(), { data: x, bn_gamma: mx.nd.array([5, 5]), bn_beta: mx.nd.array([1, 2]) }, {
      gradReq: 'null', auxStates: { bn_moving_mean: mx.nd.array([0.5, -0.5]), bn_moving_var: mx.nd.array([4, 0.25]) },
    });
    const moving = { mean: [0.5, -0.5], variance: [4, 0.25] };
    mx.testUtils.assertAlmostEqual(exec.forward(false)[0]!, normalizeRef(x, 1, moving, [1, 1], [1, 2], 1e-3), F32);
    mx.testUtils.assertAlmostEqual(exec.auxDict['bn_moving_mean']!, [0.5, -0.5], { rtol: 0, atol: 0 });
  });

  test('use_global_stats normalizes with the moving statistics while training and does not update them', () => {
    const x = mx.nd.random.uniform(-1, 1, [3, 2]);
    const exec = bn({ use_global_stats: true }).bind(mx.cpu(), { data: x, bn_gamma: mx.nd.ones([2]), bn_beta: mx.nd.zeros([2]) }, {
      gradReq: 'null', auxStates: [mx.nd.array([0.1, 0.2]), mx.nd.array([1, 2])],
    });
    mx.testUtils.assertAlmostEqual(exec.forward(true)[0]!, normalizeRef(x, 1, { mean: [0.1, 0.2], variance: [1, 2] }, [1, 1], [0, 0], 1e-3), F32);
    mx.testUtils.assertAlmostEqual(exec.auxDict['bn_moving_var']!, [1, 2], { rtol: 0, atol: 0 });
  });

  test('output_mean_var returns the batch mean and variance; channel-last (axis -1) data', () => {
    const x = mx.nd.random.uniform(-3, 3, [4, 2, 5]);
    const exec = bn({ axis: -1, output_mean_var: true }).simpleBind(mx.cpu(), { shapes: { data: [4, 2, 5] } });
    exec.argDict['data']!.data.set(x.data);
    exec.argDict['bn_gamma']!.data.fill(1);
    const [out, mean, variance] = exec.forward(true);
    const stats = batchStats(x, 2);
    mx.testUtils.assertAlmostEqual(out!, normalizeRef(x, 2, stats, [1, 1, 1, 1, 1], [0, 0, 0, 0, 0], 1e-3), F32);
    mx.testUtils.assertAlmostEqual(mean!, stats.mean, F32);
    mx.testUtils.assertAlmostEqual(variance!, stats.variance, F32);
  });
});

describe('BatchNorm backward', () => {
  test('fix_gamma=false: data, gamma and beta gradients match central differences', () => {
    const s = bn({ fix_gamma: false });
    const location = { data: mx.nd.random.uniform(-1, 1, [4, 3, 2]), bn_gamma: mx.nd.array([0.8, 1.5, -0.7]), bn_beta: mx.nd.array([0.1, -0.2, 0.3]) };
    mx.testUtils.checkNumericGradient(s, location, { ...NUMERIC, auxStates: [mx.nd.zeros([3]), mx.nd.ones([3])] });
  });

  test('channel-last 2-d data (axis -1): data gradient matches central differences', () => {
    const s = bn({ axis: -1, fix_gamma: false });
    const location = { data: mx.nd.random.uniform(-1, 1, [6, 2]), bn_gamma: mx.nd.array([1.2, 0.6]), bn_beta: mx.nd.zeros([2]) };
    mx.testUtils.checkNumericGradient(s, location, { ...NUMERIC, auxStates: [mx.nd.zeros([2]), mx.nd.ones([2])] });
  });

  test('fix_gamma=true gives gamma a zero gradient; beta gets sum(g); gradReq add accumulates', () => {
    const s = bn();
    const x = mx.nd.random.uniform(-1, 1, [3, 2]);
    const g = mx.nd.array([[1, 2], [3, 4], [5, 6]]);
    const exec = s.simpleBind(mx.cpu(), { shapes: { data: [3, 2] } });
    exec.argDict['data']!.data.set(x.data);
    exec.forward(true);
    exec.backward([g]);
    mx.testUtils.assertAlmostEqual(exec.gradDict['bn_gamma']!, [0, 0], { rtol: 0, atol: 0 });
    mx.testUtils.assertAlmostEqual(exec.gradDict['bn_beta']!, [9, 12], F32);
    const once = Float32Array.from(exec.gradDict['data']!.data);
    const twice = s.simpleBind(mx.cpu(), { shapes: { data: [3, 2] }, gradReq: 'add' });
    twice.argDict['data']!.data.set(x.data);
    for (let k = 0; k < 2; k++) {
      twice.forward(true);
      twice.backward([g]);
    }
    mx.testUtils.assertAlmostEqual(twice.gradDict['data']!, Float32Array.from(once, (v) => 2 * v), F32);
    mx.testUtils.assertAlmostEqual(twice.gradDict['bn_beta']!, [18, 24], F32);
  });

  test('use_global_stats: dx = g * gamma / sqrt(moving_var + eps)', () => {
    const s = bn({ use_global_stats: true, fix_gamma: false });
    const location = { data: mx.nd.random.uniform(-1, 1, [2, 2]), bn_gamma: mx.nd.array([2, 3]), bn_beta: mx.nd.zeros([2]) };
    const g = [[1, 1], [2, 2]];
    const k = [2 / Math.sqrt(4 + 1e-3), 3 / Math.sqrt(1 + 1e-3)];
    mx.testUtils.checkSymbolicBackward(s, location, [g], { data: [[k[0]!, k[1]!], [2 * k[0]!, 2 * k[1]!]] }, { ...F32, auxStates: [mx.nd.zeros([2]), mx.nd.array([4, 1])] });
  });
});
