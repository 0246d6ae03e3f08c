/**
 * L2Normalization (the three modes of MXNet's docstring example, re-derived; float64 references;
 * numeric gradients) and LRN (float64 window reference as in test_operator.py's test_lrn, gradients).
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { expectAddAccumulates } from '../../helpers/grad_req';

const F32 = { rtol: 1e-5, atol: 1e-6 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

beforeEach(() => mx.random.seed(31));

describe('L2Normalization shapes', () => {
  test('the hidden norm is (N,), (N, 1, ...) or (N, C) by mode; channel and spatial need 3 axes; mode is checked', () => {
    const l2 = (mode: string) => (mx.sym.L2Normalization as mx.SymOp)({ data: mx.sym.Variable('d'), mode, name: 'l2' });
    expect(l2('instance').listOutputs()).toEqual(['l2_output']);
    expect(l2('instance').getInternals().listOutputs()).toContain('l2_output');
    expect(l2('channel').inferShape({ d: [2, 3, 4] }).outShapes).toEqual([[2, 3, 4]]);
    expect(() => l2('spatial').inferShape({ d: [2, 3] })).toThrow("L2Normalization 'l2': data shape [2,3] needs at least 3 axes in spatial mode");
    expect(() => l2('channels')).toThrow(mx.ParamError);
    expect(() => l2('channels')).toThrow(/did you mean 'channel'/);
  });
});

describe('L2Normalization property', () => {
  test('instance mode: every sample of the output has unit L2 norm, and the norm output is hidden', () => {
    const shapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });
    fc.assert(fc.property(shapes, (shape) => {
      const x = mx.nd.random.uniform(0.5, 2, shape);
      const out = mx.nd.L2Normalization(x);
      expect(out.shape).toEqual(shape);
      const per = x.size / shape[0]!;
      for (let n = 0; n < shape[0]!; n++) {
        const sum = out.data.slice(n * per, (n + 1) * per).reduce((a, v) => a + v * v, 0);
        expect(sum).toBeCloseTo(1, 5);
      }
    }), { numRuns: 40 });
  });
});

describeEachBackend('L2Normalization values', () => {
  const x = mx.nd.array([[[1, 2], [3, 4]], [[2, 2], [5, 6]]]);

  test('MXNet docstring example, instance mode: each sample divided by its norm', () => {
    const r0 = Math.sqrt(30);
    const r1 = Math.sqrt(69);
    mx.testUtils.assertAlmostEqual(mx.nd.L2Normalization(x), [[[1 / r0, 2 / r0], [3 / r0, 4 / r0]], [[2 / r1, 2 / r1], [5 / r1, 6 / r1]]], F32);
    mx.testUtils.assertAlmostEqual(mx.nd.L2Normalization(x).data.slice(0, 2), [0.18257418, 0.36514837], F32);
  });

  test('MXNet docstring example, channel mode: each position divided by the norm across channels', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.L2Normalization(x, { mode: 'channel' }), [[[0.31622776, 0.44721359], [0.94868326, 0.89442718]], [[0.37139067, 0.31622776], [0.92847669, 0.94868326]]], F32);
  });

  test('MXNet docstring example, spatial mode: each channel divided by its norm over positions', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.L2Normalization(x, { mode: 'spatial' }), [[[0.44721359, 0.89442718], [0.6, 0.8]], [[0.70710677, 0.70710677], [0.6401844, 0.76822126]]], F32);
  });

  test.each(['instance', 'channel', 'spatial'] as const)('%s mode: numeric gradient on (2, 3, 2, 2)', (mode) => {
    const s = mx.sym.L2Normalization({ data: mx.sym.Variable('x'), mode });
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(-1, 1, [2, 3, 2, 2]) }, NUMERIC);
  });

  test('sym and nd agree; gradReq add accumulates', () => {
    const data = mx.nd.random.normal(0, 1, [3, 4, 2]);
    const s = mx.sym.L2Normalization({ data: mx.sym.Variable('x'), mode: 'channel' });
    mx.testUtils.checkSymbolicForward(s, { x: data }, [mx.nd.L2Normalization(data, { mode: 'channel' })], { rtol: 0, atol: 0 });
    const head = mx.nd.random.uniform(-1, 1, [3, 4, 2]);
    expectAddAccumulates(s, { x: data }, [head]);
  });
});

/** Float64 LRN: out = x * (knorm + alpha/nsize * sum over the channel window of x^2)^-beta. */
function lrnRef(x: mx.NDArray, alpha: number, beta: number, knorm: number, nsize: number): Float64Array {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const out = new Float64Array(x.size);
  const half = Math.floor(nsize / 2);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let p = 0; p < H * W; p++) {
    let sum = 0;
    for (let d = c - half; d <= c + half; d++) if (d >= 0 && d < C) sum += x.data[(n * C + d) * H * W + p]! ** 2;
    const i = (n * C + c) * H * W + p;
    out[i] = x.data[i]! * Math.pow(knorm + (alpha / nsize) * sum, -beta);
  }
  return out;
}

describeEachBackend('LRN', () => {
  test('4-d data only; the hidden tmp_norm has the data shape; nsize is required', () => {
    const s = mx.sym.LRN({ data: mx.sym.Variable('d'), nsize: 3, name: 'lrn' });
    expect(s.listOutputs()).toEqual(['lrn_output']);
    expect(s.inferShape({ d: [1, 4, 2, 2] }).outShapes).toEqual([[1, 4, 2, 2]]);
    expect(() => s.inferShape({ d: [4, 2, 2] })).toThrow("LRN 'lrn': data shape [4,2,2] must be 4-d");
    // @ts-expect-error nsize is required
    expect(() => mx.sym.LRN({ data: mx.sym.Variable('d') })).toThrow(/nsize is required/);
  });

  test.each([[3, 1e-4, 0.75, 2], [5, 0.5, 0.6, 1], [2, 1, 1, 1.5]])('nsize %d alpha %d beta %d knorm %d matches the float64 window reference', (nsize, alpha, beta, knorm) => {
    const x = mx.nd.random.uniform(-2, 2, [2, 6, 3, 2]);
    mx.testUtils.assertAlmostEqual(mx.nd.LRN(x, { nsize, alpha, beta, knorm }).data, lrnRef(x, alpha, beta, knorm, nsize), F32);
  });

  test('numeric gradient with a large alpha (so the cross-channel term matters)', () => {
    const s = mx.sym.LRN({ data: mx.sym.Variable('x'), nsize: 3, alpha: 2, beta: 0.75, knorm: 1 });
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(-1, 1, [2, 5, 2, 2]) }, NUMERIC);
  });
});
