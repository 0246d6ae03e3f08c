/**
 * _contrib_fft, _contrib_ifft (MXNet test_operator_gpu.py test_fft/test_ifft compare with numpy's
 * fft, interleaved, and ifft * d: re-derived here with float64 references and known transforms) and
 * _contrib_count_sketch (its docstring example and test_countsketch's reference loop).
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

const F32 = { rtol: 1e-4, atol: 1e-4 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

/** numpy.fft.fft of each row, in float64, interleaved [re, im, ...]. */
function fftRef(x: mx.NDArray): number[] {
  const d = x.shape[x.shape.length - 1]!;
  const out: number[] = [];
  for (let r = 0; r < x.size / d; r++) {
    for (let k = 0; k < d; k++) {
      let [re, im] = [0, 0];
      for (let m = 0; m < d; m++) {
        re += x.data[r * d + m]! * Math.cos((2 * Math.PI * k * m) / d);
        im -= x.data[r * d + m]! * Math.sin((2 * Math.PI * k * m) / d);
      }
      out.push(re, im);
    }
  }
  return out;
}

beforeEach(() => mx.random.seed(41));

describeEachBackend('_contrib_fft and _contrib_ifft', () => {
  test('numpy: fft([1, 2, 3, 4]) = [10, -2+2j, -2, -2-2j], interleaved; a unit impulse transforms to ones', () => {
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_fft(mx.nd.array([[1, 2, 3, 4]])), [[10, 0, -2, 2, -2, 0, -2, -2]], { rtol: 0, atol: 1e-6 });
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_fft(mx.nd.array([[1, 0, 0]])), [[1, 0, 1, 0, 1, 0]], { rtol: 0, atol: 1e-7 });
  });

  test('2-d (3, 4) and 4-d (2, 2, 3, 5) seeded inputs match the float64 DFT (MXNet test_fft shapes)', () => {
    for (const shape of [[3, 4], [2, 2, 3, 5]]) {
      const x = mx.nd.random.normal(0, 1, shape);
      const out = mx.nd._contrib_fft(x);
      expect(out.shape).toEqual([...shape.slice(0, -1), 2 * shape[shape.length - 1]!]);
      mx.testUtils.assertAlmostEqual(out.data, fftRef(x), F32);
    }
  });

  test('ifft is the unnormalized inverse: ifft(fft(x)) = d * x (MXNet test_ifft compares with numpy ifft * d)', () => {
    const x = mx.nd.random.normal(0, 1, [4, 6]);
    const back = mx.nd._contrib_ifft(mx.nd._contrib_fft(x));
    expect(back.shape).toEqual([4, 6]);
    mx.testUtils.assertAlmostEqual(back.data, Array.from(x.data, (v) => 6 * v), F32);
  });

  test('ifft keeps the real part of a non-Hermitian spectrum', () => {
    // sum_k z_k e^{2 pi i k m / 2} for z = [1+2i, 3+4i]: m=0 -> 4+6i, m=1 -> -2-2i; real parts 4, -2.
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_ifft(mx.nd.array([[1, 2, 3, 4]])), [[4, -2]], { rtol: 0, atol: 1e-6 });
  });

  test('numeric gradients of fft and ifft', () => {
    mx.testUtils.checkNumericGradient(mx.sym._contrib_fft(mx.sym.Variable('x')), { x: mx.nd.random.normal(0, 1, [2, 5]) }, NUMERIC);
    mx.testUtils.checkNumericGradient(mx.sym._contrib_ifft(mx.sym.Variable('x')), { x: mx.nd.random.normal(0, 1, [2, 1, 2, 8]) }, NUMERIC);
  });

  test('mx.nd and mx.sym + bind agree; compute_size does not change the result', () => {
    const x = mx.nd.random.normal(0, 1, [5, 3]);
    const exec = mx.sym._contrib_fft(mx.sym.Variable('x'), { compute_size: 2 }).bind(mx.cpu(), { x });
    mx.testUtils.assertAlmostEqual(exec.forward()[0]!.data, mx.nd._contrib_fft(x).data, { rtol: 0, atol: 0 });
  });
});

describe('_contrib_fft / _contrib_ifft shapes', () => {
  test('only 2-d and 4-d data; ifft needs an even last axis', () => {
    expect(() => mx.sym._contrib_fft(mx.sym.Variable('x'), { name: 'f' }).inferShape({ x: [2, 3, 4] })).toThrow("_contrib_fft 'f': data must be 2-d (N, d) or 4-d (N1, N2, N3, d), got [2,3,4]");
    expect(() => mx.sym._contrib_ifft(mx.sym.Variable('x'), { name: 'g' }).inferShape({ x: [2, 5] })).toThrow(/last axis 5 must be even/);
    expect(() => mx.sym._contrib_ifft(mx.sym.Variable('x')).inferShape({ x: [8] })).toThrow(mx.ShapeError);
  });

  test('property: fft doubles and ifft halves the last axis', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 2 }), fc.boolean(), ([a, d], fourD) => {
      const shape = fourD ? [a!, 1, 2, d!] : [a!, d!];
      const s = mx.sym._contrib_ifft(mx.sym._contrib_fft(mx.sym.Variable('x')));
      expect(s.inferShape({ x: shape }).outShapes[0]).toEqual(shape);
    }), { numRuns: 30 });
  });
});

describeEachBackend('_contrib_count_sketch', () => {
  test('MXNet docstring example: out_dim 5, h = [0, 3, 4], s = [1, -1, 1]', () => {
    const x = mx.nd.array([[1.2, 2.5, 3.4], [3.2, 5.7, 6.6]]);
    const out = mx.nd._contrib_count_sketch(x, mx.nd.array([[0, 3, 4]]), mx.nd.array([[1, -1, 1]]), { out_dim: 5 });
    mx.testUtils.assertAlmostEqual(out, [[1.2, 0, 0, -2.5, 3.4], [3.2, 0, 0, -5.7, 6.6]], { rtol: 0, atol: 1e-6 });
  });

  test('MXNet test_countsketch: random buckets (collisions add up) match the reference loop, data gradient g[h] * s', () => {
    const [n, d, k] = [6, 20, 7];
    const x = mx.nd.random.uniform(-10, 10, [n, d]);
    const h = mx.nd.array([Array.from({ length: d }, (_, i) => (i * 5 + 3) % k)]);
    const s = mx.nd.array([Array.from({ length: d }, (_, i) => (i % 3 === 0 ? -1 : 1))]);
    const expected = new Array<number>(n * k).fill(0);
    for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) expected[r * k + h.data[i]!]! += s.data[i]! * x.data[r * d + i]!;
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_count_sketch(x, h, s, { out_dim: k, processing_batch_size: 4 }).data, expected, F32);

    const sym = mx.sym._contrib_count_sketch(mx.sym.Variable('x'), mx.sym.Variable('h'), mx.sym.Variable('s'), { out_dim: k });
    const head = mx.nd.random.uniform(-1, 1, [n, k]);
    const exec = sym.bind(mx.cpu(), { x, h, s }, { gradReq: { x: 'write', h: 'null', s: 'null' } });
    exec.forward(true);
    exec.backward([head]);
    const grad = Array.from({ length: n * d }, (_, j) => head.data[Math.floor(j / d) * k + h.data[j % d]!]! * s.data[j % d]!);
    mx.testUtils.assertAlmostEqual(exec.gradDict['x']!.data, grad, F32);
    mx.testUtils.checkNumericGradient(sym, { x: mx.nd.random.uniform(-1, 1, [2, d]), h, s }, { ...NUMERIC, gradNodes: ['x'] });
  });

  test('4-d data sketches its last axis', () => {
    const x = mx.nd.random.uniform(-1, 1, [2, 1, 2, 3]);
    const out = mx.nd._contrib_count_sketch(x, mx.nd.array([[1, 1, 0]]), mx.nd.array([[1, 1, -1]]), { out_dim: 2 });
    expect(out.shape).toEqual([2, 1, 2, 2]);
    const rows = Array.from({ length: 4 }, (_, r) => [-x.data[r * 3 + 2]!, x.data[r * 3]! + x.data[r * 3 + 1]!]).flat();
    mx.testUtils.assertAlmostEqual(out.data, rows, F32);
  });

  test('h and s must be (1, d); out_dim is required; data 2-d or 4-d', () => {
    const s = (params: Record<string, unknown>) => (mx.sym._contrib_count_sketch as mx.SymOp)(mx.sym.Variable('x'), mx.sym.Variable('h'), mx.sym.Variable('s'), { name: 'cs', ...params });
    expect(() => s({ out_dim: 3 }).inferShape({ x: [2, 4], h: [1, 5], s: [1, 4] })).toThrow("_contrib_count_sketch 'cs': h must be 2-d with shape[1] = 4 (the data's last axis), got [1,5]");
    expect(() => s({ out_dim: 3 }).inferShape({ x: [2, 4, 4] })).toThrow(/data must be 2-d \(N, d\) or 4-d/);
    expect(s({ out_dim: 3 }).inferShape({ x: [2, 4] }).argShapes).toEqual([[2, 4], [1, 4], [1, 4]]);
    expect(() => s({})).toThrow(/out_dim is required/);
  });
});
