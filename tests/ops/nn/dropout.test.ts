/**
 * Dropout: identity at inference, scaling 1/(1-p), keep rate, masks reproducible with
 * mx.random.seed, the backward reusing the forward's mask, mode 'always', axes, edge p values.
 */
import * as mx from 'mxts';

const dropout = (extra: Record<string, unknown> = {}) => mx.sym.Dropout({ data: mx.sym.Variable('x'), name: 'do', ...extra });

function bound(s: mx.Symbol, x: mx.NDArray, gradReq: mx.GradReq = 'write'): mx.Executor {
  return s.bind(mx.cpu(), { x }, { argsGrad: { x: mx.nd.zeros(x.shape) }, gradReq });
}

beforeEach(() => mx.random.seed(23));

describe('Dropout forward', () => {
  test('one visible output; inference (isTrain false) is the identity', () => {
    const s = dropout({ p: 0.7 });
    expect(s.listOutputs()).toEqual(['do_output']);
    const x = mx.nd.random.uniform(-1, 1, [3, 4]);
    mx.testUtils.assertAlmostEqual(bound(s, x).forward(false)[0]!, x, { rtol: 0, atol: 0 });
  });

  test('training keeps about 1-p of the elements and scales them by 1/(1-p)', () => {
    const x = mx.nd.ones([100, 100]);
    const out = bound(dropout({ p: 0.3 }), x).forward(true)[0]!;
    const kept = Array.from(out.data).filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    expect(Math.abs(kept.length / 10000 - 0.7)).toBeLessThan(0.02);
  });

  test('the mask is reproducible with mx.random.seed and differs between draws', () => {
    const x = mx.nd.ones([200]);
    const exec = bound(dropout(), x);
    mx.random.seed(99);
    const first = Array.from(exec.forward(true)[0]!.data);
    const second = Array.from(exec.forward(true)[0]!.data);
    mx.random.seed(99);
    expect(Array.from(exec.forward(true)[0]!.data)).toEqual(first);
    expect(second).not.toEqual(first);
  });

  test("mode 'always' drops at inference too; p = 0 keeps everything; p = 1 drops everything", () => {
    const x = mx.nd.ones([1000]);
    expect(Array.from(bound(dropout({ mode: 'always' }), x).forward(false)[0]!.data).some((v) => v === 0)).toBe(true);
    mx.testUtils.assertAlmostEqual(bound(dropout({ p: 0 }), x).forward(true)[0]!, x, { rtol: 0, atol: 0 });
    mx.testUtils.assertAlmostEqual(bound(dropout({ p: 1 }), x).forward(true)[0]!, mx.nd.zeros([1000]), { rtol: 0, atol: 0 });
  });

  test('axes share one mask value along the listed axes (variational dropout)', () => {
    const out = bound(dropout({ axes: [1] }), mx.nd.ones([50, 6])).forward(true)[0]!;
    for (let r = 0; r < 50; r++) expect(new Set(out.data.subarray(r * 6, r * 6 + 6)).size).toBe(1);
    expect(new Set(out.data).size).toBe(2);
  });

  test('an axis out of range in axes is a shape error', () => {
    expect(() => dropout({ axes: [2] }).inferShape({ x: [3, 4] })).toThrow(mx.ShapeError);
    expect(() => dropout({ axes: [2] }).inferShape({ x: [3, 4] })).toThrow("Dropout 'do': axes axis 2 is out of range for data [3,4]");
  });

  test('p outside [0, 1] is a parameter error', () => {
    expect(() => dropout({ p: 1.5 })).toThrow(mx.ParamError);
  });
});

describe('Dropout backward', () => {
  test('the gradient is g times the mask the forward drew (the same elements dropped and scaled)', () => {
    const x = mx.nd.random.uniform(0.5, 1.5, [40, 5]);
    const g = mx.nd.random.uniform(-1, 1, [40, 5]);
    const exec = bound(dropout({ p: 0.4 }), x);
    const out = exec.forward(true)[0]!;
    exec.backward([g]);
    const expected = Float32Array.from(out.data, (v, i) => (g.data[i]! * v) / x.data[i]!);
    mx.testUtils.assertAlmostEqual(exec.gradDict['x']!, expected, { rtol: 1e-5, atol: 1e-6 });
  });

  test("gradReq 'add' accumulates g * mask on top of the existing gradient", () => {
    const x = mx.nd.ones([30]);
    const exec = bound(dropout(), x, 'add');
    exec.gradDict['x']!.data.fill(1);
    const out = exec.forward(true)[0]!;
    exec.backward([mx.nd.ones([30])]);
    mx.testUtils.assertAlmostEqual(exec.gradDict['x']!, Float32Array.from(out.data, (v) => 1 + v), { rtol: 0, atol: 1e-6 });
  });

  test('at inference the gradient is the identity (central differences)', () => {
    mx.testUtils.checkNumericGradient(dropout(), { x: mx.nd.random.uniform(-1, 1, [3, 3]) }, { rtol: 1e-2, atol: 1e-3, isTrain: false });
  });
});
