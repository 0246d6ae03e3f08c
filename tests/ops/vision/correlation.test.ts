/**
 * Correlation: the float64 reference of MXNet's test_correlation (correlation_forward /
 * correlation_backward, re-derived, with the output size rounded up as the operator does) on its
 * parameter sets, a hand-derived 1x1 case, numeric gradients, shape rules and errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { expectAddAccumulates } from '../../helpers/grad_req';

const F32 = { rtol: 1e-4, atol: 1e-5 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

interface Case { shape: [number, number, number, number]; k: number; md: number; s1: number; s2: number; pad: number; mul: boolean }

/** Forward output and the gradients for head `g`, in float64 over the zero-padded inputs. */
function correlationRef(a: mx.NDArray, b: mx.NDArray, c: Case, head: (o: number) => number) {
  const [n, ch, h, w] = c.shape;
  const ph = h + 2 * c.pad;
  const pw = w + 2 * c.pad;
  const border = c.md + (c.k - 1) / 2;
  const th = Math.ceil((ph - 2 * border) / c.s1);
  const tw = Math.ceil((pw - 2 * border) / c.s1);
  const r = Math.floor(c.md / c.s2);
  const gw = 2 * r + 1;
  const at = (x: mx.NDArray, b0: number, cc: number, y: number, xx: number) => {
    const yy = y - c.pad;
    const xc = xx - c.pad;
    return yy >= 0 && yy < h && xc >= 0 && xc < w ? x.data[((b0 * ch + cc) * h + yy) * w + xc]! : 0;
  };
  const out = new Float64Array(n * gw * gw * th * tw);
  const g1 = new Float64Array(a.size);
  const g2 = new Float64Array(b.size);
  const count = c.k * c.k * ch;
  const add = (g: Float64Array, b0: number, cc: number, y: number, xx: number, v: number) => {
    const yy = y - c.pad;
    const xc = xx - c.pad;
    if (yy >= 0 && yy < h && xc >= 0 && xc < w) g[((b0 * ch + cc) * h + yy) * w + xc]! += v;
  };
  for (let b0 = 0; b0 < n; b0++) {
    for (let tc = 0; tc < gw * gw; tc++) {
      for (let i = 0; i < th; i++) {
        for (let j = 0; j < tw; j++) {
          const o = ((b0 * gw * gw + tc) * th + i) * tw + j;
          const x1 = j * c.s1 + c.md;
          const y1 = i * c.s1 + c.md;
          const x2 = x1 + ((tc % gw) - r) * c.s2;
          const y2 = y1 + (Math.floor(tc / gw) - r) * c.s2;
          for (let dy = 0; dy < c.k; dy++) {
            for (let dx = 0; dx < c.k; dx++) {
              for (let cc = 0; cc < ch; cc++) {
                const v1 = at(a, b0, cc, y1 + dy, x1 + dx);
                const v2 = at(b, b0, cc, y2 + dy, x2 + dx);
                out[o]! += (c.mul ? v1 * v2 : Math.abs(v1 - v2)) / count;
                const sgn = v1 >= v2 ? 1 : -1;
                add(g1, b0, cc, y1 + dy, x1 + dx, (head(o) * (c.mul ? v2 : sgn)) / count);
                add(g2, b0, cc, y2 + dy, x2 + dx, (head(o) * (c.mul ? v1 : -sgn)) / count);
              }
            }
          }
        }
      }
    }
  }
  return { out, g1, g2, shape: [n, gw * gw, th, tw] };
}

const symOf = (c: Omit<Case, 'shape'>, name = 'corr') => mx.sym.Correlation(mx.sym.Variable('data1'), mx.sym.Variable('data2'), {
  kernel_size: c.k, max_displacement: c.md, stride1: c.s1, stride2: c.s2, pad_size: c.pad, is_multiply: c.mul, name,
});

beforeEach(() => mx.random.seed(5));

describeEachBackend('Correlation', () => {
  test('hand-derived: 1x1 kernel, max_displacement 1 on a 1x1x2x2 pair (products averaged over one channel)', () => {
    const a = mx.nd.array([[[[1, 2], [3, 4]]]]);
    const b = mx.nd.array([[[[5, 6], [7, 8]]]]);
    const out = mx.nd.Correlation(a, b, { kernel_size: 1, max_displacement: 1, pad_size: 1 });
    expect(out.shape).toEqual([1, 9, 2, 2]);
    // displacement (dy, dx) = (0, 0) is channel 4: a * b elementwise
    expect(Array.from(out.data.slice(16, 20))).toEqual([5, 12, 21, 32]);
    // (dy, dx) = (0, 1) is channel 5: a[y, x] * b[y, x + 1], 0 past the right edge
    expect(Array.from(out.data.slice(20, 24))).toEqual([6, 0, 24, 0]);
  });

  const cases: Case[] = [
    // MXNet test_correlation's parameter sets (the 15x15 ones shrunk to 9x9 to keep the run short)
    { shape: [1, 3, 10, 10], k: 1, md: 4, s1: 1, s2: 1, pad: 4, mul: false },
    { shape: [2, 1, 9, 9], k: 1, md: 5, s1: 1, s2: 1, pad: 5, mul: true },
    { shape: [2, 1, 9, 9], k: 1, md: 4, s1: 1, s2: 2, pad: 4, mul: true },
    { shape: [5, 1, 4, 4], k: 3, md: 1, s1: 1, s2: 1, pad: 2, mul: true },
    { shape: [5, 1, 4, 4], k: 3, md: 1, s1: 2, s2: 1, pad: 2, mul: true },
    { shape: [5, 1, 4, 4], k: 3, md: 1, s1: 2, s2: 1, pad: 2, mul: false },
    { shape: [5, 1, 6, 4], k: 3, md: 1, s1: 2, s2: 1, pad: 2, mul: false },
    { shape: [2, 2, 11, 11], k: 5, md: 1, s1: 1, s2: 1, pad: 2, mul: false },
    // stride1 not dividing the span: the output size rounds up
    { shape: [1, 2, 5, 6], k: 1, md: 1, s1: 2, s2: 1, pad: 0, mul: true },
  ];
  test.each(cases)('test_correlation set %# matches the float64 reference forward and backward (ones head)', (c) => {
    const a = mx.nd.random.uniform(0, 1, c.shape);
    const b = mx.nd.random.uniform(0, 1, c.shape);
    const ref = correlationRef(a, b, c, () => 1);
    const exec = symOf(c).bind(mx.cpu(), { data1: a, data2: b }, { gradReq: 'write' });
    const out = exec.forward(true)[0]!;
    expect(out.shape).toEqual(ref.shape);
    mx.testUtils.assertAlmostEqual(out.data, ref.out, F32);
    exec.backward([mx.nd.ones(out.shape)]);
    mx.testUtils.assertAlmostEqual(exec.gradDict['data1']!.data, ref.g1, F32);
    mx.testUtils.assertAlmostEqual(exec.gradDict['data2']!.data, ref.g2, F32);
    mx.testUtils.assertAlmostEqual(mx.nd.Correlation(a, b, { kernel_size: c.k, max_displacement: c.md, stride1: c.s1, stride2: c.s2, pad_size: c.pad, is_multiply: c.mul }), out, { rtol: 0, atol: 0 });
  });

  test('gradients to both inputs (central differences) for product and absolute difference; add accumulates', () => {
    for (const mul of [true, false]) {
      const s = symOf({ k: 3, md: 1, s1: 1, s2: 1, pad: 1, mul });
      const loc = { data1: mx.nd.random.uniform(-1, 1, [1, 2, 4, 3]), data2: mx.nd.random.uniform(-1, 1, [1, 2, 4, 3]) };
      mx.testUtils.checkNumericGradient(s, loc, NUMERIC);
      expectAddAccumulates(s, loc, [mx.nd.random.uniform(-1, 1, [1, 9, 2, 1])]);
    }
  });

  test('property: output channels (2*floor(md/s2)+1)^2, spatial ceil((size + 2*pad - 2*border) / stride1)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.constantFrom(1, 3),
      (md, s1, s2, pad, k) => {
        const border = md + (k - 1) / 2;
        const [h, w] = [2 * border + 3, 2 * border + 4];
        const r = Math.floor(md / s2);
        const out = symOf({ k, md, s1, s2, pad, mul: true }).inferShape({ data1: [2, 3, h, w] }).outShapes[0];
        expect(out).toEqual([2, (2 * r + 1) ** 2, Math.ceil((h + 2 * pad - 2 * border) / s1), Math.ceil((w + 2 * pad - 2 * border) / s1)]);
      }), { numRuns: 40 });
  });

  test('errors: even kernel_size, maps too small, mismatched inputs, stride 0', () => {
    const c = { k: 1, md: 2, s1: 1, s2: 1, pad: 0, mul: true };
    expect(() => symOf({ ...c, k: 2 }).inferShape({ data1: [1, 1, 8, 8] })).toThrow("Correlation 'corr': kernel_size must be odd, got 2");
    expect(() => symOf(c).inferShape({ data1: [1, 1, 4, 3] })).toThrow(/data1 shape \[1,1,4,3\] padded by 0 is too small/);
    expect(() => symOf(c).inferShape({ data1: [1, 1, 8, 8], data2: [1, 2, 8, 8] })).toThrow(/data2 shape \[1,2,8,8\] differs from data1's \[1,1,8,8\]/);
    expect(() => symOf(c).inferShape({ data1: [1, 8, 8] })).toThrow(mx.ShapeError);
    expect(() => symOf({ ...c, s1: 0 })).toThrow(mx.ParamError);
  });
});
