/**
 * LeakyReLU: goldens per act_type, float64 references on seeded inputs, prelu's gamma (shape
 * inference, per-channel slopes, its gradient), rrelu's random slopes, numeric gradients, errors.
 */
import * as mx from 'mxts';

const F32 = { rtol: 1e-5, atol: 1e-6 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3, numericEps: 1e-3 };
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_LAMBDA = 1.0507009873554804934193349852946;

/** erf by its Taylor series (float64, |x| <= 4 here). */
function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const REF: Record<string, (x: number) => number> = {
  leaky: (x) => (x > 0 ? x : 0.25 * x),
  elu: (x) => (x > 0 ? x : 0.25 * Math.expm1(x)),
  selu: (x) => SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  rrelu: (x) => (x > 0 ? x : ((0.125 + 0.334) / 2) * x),
};

function like(x: mx.NDArray, values: ArrayLike<number>): mx.NDArray {
  return mx.nd.array(Float32Array.from(values), { shape: x.shape });
}

function awayFromZero(shape: number[]): mx.NDArray {
  const x = mx.nd.random.uniform(-3, 3, shape);
  x.data.forEach((v, i) => (x.data[i] = Math.abs(v) < 0.05 ? 0.05 * Math.sign(v || 1) : v));
  return x;
}

const leaky = (act_type: string, extra: Record<string, unknown> = {}) => (mx.sym.LeakyReLU as mx.SymOp)({ data: mx.sym.Variable('x'), act_type, name: 'lr', ...extra });

beforeEach(() => mx.random.seed(3));

describe('LeakyReLU forward', () => {
  test('goldens at [-1, 0.5, 1]: leaky (slope 0.25), elu, selu, gelu', () => {
    const x = mx.nd.array([-1, 0.5, 1]);
    mx.testUtils.assertAlmostEqual(mx.nd.LeakyReLU(x), [-0.25, 0.5, 1], F32);
    mx.testUtils.assertAlmostEqual(mx.nd.LeakyReLU(x, { act_type: 'elu' }), [-0.15803014, 0.5, 1], F32);
    mx.testUtils.assertAlmostEqual(mx.nd.LeakyReLU(x, { act_type: 'selu' }), [-1.1113307, 0.52535049, 1.0507010], F32);
    mx.testUtils.assertAlmostEqual(mx.nd.LeakyReLU(x, { act_type: 'gelu' }), [-0.15865525, 0.34573123, 0.84134475], F32);
  });

  test.each(Object.keys(REF))('%s matches a float64 reference on seeded (3, 4, 5) input (rrelu at inference)', (act) => {
    const x = mx.nd.random.uniform(-4, 4, [3, 4, 5]);
    const expected = like(x, Array.from(x.data, REF[act]!));
    mx.testUtils.checkSymbolicForward(leaky(act), { x }, [expected], { rtol: 1e-5, atol: 2e-6 });
  });

  test('prelu multiplies negatives by gamma of their channel (axis 1)', () => {
    const x = mx.nd.array([[[-1, 2], [-3, -4]], [[5, -6], [-7, 8]]]);
    const out = mx.nd.LeakyReLU(x, mx.nd.array([0.5, 0.1]), { act_type: 'prelu' });
    mx.testUtils.assertAlmostEqual(out, [[[-0.5, 2], [-0.3, -0.4]], [[5, -3], [-0.7, 8]]], F32);
  });

  test('rrelu in training draws each slope from [lower_bound, upper_bound), reproducibly with mx.random.seed', () => {
    const s = leaky('rrelu', { lower_bound: 0.1, upper_bound: 0.2 });
    expect(s.listOutputs()).toEqual(['lr_output']);
    const run = () => {
      mx.random.seed(42);
      const exec = s.simpleBind(mx.cpu(), { shapes: { x: [50] } });
      exec.argDict['x']!.data.fill(-1);
      return Array.from(exec.forward(true)[0]!.data);
    };
    const first = run();
    expect(first.every((v) => v <= -0.1 && v > -0.2)).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(40);
    expect(run()).toEqual(first);
  });
});

describe('LeakyReLU backward', () => {
  test.each(['leaky', 'elu', 'selu', 'gelu', 'rrelu'])('%s gradient matches central differences (inference mode)', (act) => {
    mx.testUtils.checkNumericGradient(leaky(act), { x: awayFromZero([3, 4]) }, { ...NUMERIC, isTrain: false });
  });

  test('rrelu in training: the gradient uses the slopes the forward drew', () => {
    const exec = leaky('rrelu').simpleBind(mx.cpu(), { shapes: { x: [20] } });
    exec.argDict['x']!.data.set(Array.from({ length: 20 }, (_, i) => i - 10.5));
    const out = exec.forward(true)[0]!;
    exec.backward([mx.nd.ones([20])]);
    const grad = exec.gradDict['x']!.data;
    exec.argDict['x']!.data.forEach((x, i) => expect(grad[i]).toBeCloseTo(x > 0 ? 1 : out.data[i]! / x, 5));
  });

  test('prelu: data and gamma gradients match central differences; dgamma = sum over x <= 0 of g*x', () => {
    const s = leaky('prelu');
    const x = awayFromZero([2, 3, 4]);
    const gamma = mx.nd.array([0.2, -0.5, 1.5]);
    mx.testUtils.checkNumericGradient(s, { x, lr_gamma: gamma }, NUMERIC);
    const g = mx.nd.random.uniform(-1, 1, [2, 3, 4]);
    const dgamma = [0, 0, 0];
    x.data.forEach((v, i) => {
      if (v <= 0) dgamma[Math.floor(i / 4) % 3]! += v * g.data[i]!;
    });
    const dx = like(x, Array.from(x.data, (v, i) => g.data[i]! * (v > 0 ? 1 : gamma.data[Math.floor(i / 4) % 3]!)));
    mx.testUtils.checkSymbolicBackward(s, { x, lr_gamma: gamma }, [g], { x: dx, lr_gamma: dgamma }, { rtol: 1e-4, atol: 1e-5 });
    mx.testUtils.checkSymbolicBackward(s, { x, lr_gamma: gamma }, [g], { x: dx, lr_gamma: dgamma }, { rtol: 1e-4, atol: 1e-5, gradReq: 'add' });
  });
});

describe('LeakyReLU shapes and errors', () => {
  test('prelu adds a gamma argument whose shape (C,) is filled from data axis 1', () => {
    const s = leaky('prelu');
    expect(s.listArguments()).toEqual(['x', 'lr_gamma']);
    expect(s.inferShape({ x: [8, 5, 3, 3] }).argShapes).toEqual([[8, 5, 3, 3], [5]]);
    expect(leaky('elu').listArguments()).toEqual(['x']);
  });

  test('prelu rejects a gamma that is neither (C,) nor (1,), and 1-d data', () => {
    const s = leaky('prelu');
    expect(() => s.inferShape({ x: [2, 3], lr_gamma: [4] })).toThrow(mx.ShapeError);
    expect(() => s.inferShape({ x: [2, 3], lr_gamma: [4] })).toThrow("LeakyReLU 'lr': gamma shape [4] should be [3]");
    expect(() => s.inferShape({ x: [6] })).toThrow(/data shape \[6\] needs a channel axis 1/);
  });

  test('an unknown act_type gets a did-you-mean', () => {
    expect(() => leaky('seLu ')).toThrow(mx.ParamError);
    expect(() => leaky('prelo')).toThrow(/act_type must be one of .* got 'prelo' \(did you mean 'prelu'\?\)/);
  });
});
