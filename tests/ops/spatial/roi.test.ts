/**
 * ROIPooling and _contrib_ROIAlign: MXNet's ROIPooling docstring example, hand-derived ROIAlign
 * values on a linear ramp (bilinear sampling reproduces it exactly), float64 references on seeded
 * inputs, numeric gradients to data, zero gradients to rois, and shape errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { expectAddAccumulates } from '../../helpers/grad_req';

const EXACT = { rtol: 0, atol: 0 };
const F32 = { rtol: 1e-5, atol: 1e-5 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3, gradNodes: ['data'] };

const roundC = (v: number) => Math.sign(v) * Math.round(Math.abs(v));

/** Float64 Fast R-CNN max pooling, written from the paper's bin rule. */
function roiPoolRef(x: mx.NDArray, rois: number[][], ph: number, pw: number, scale: number): number[] {
  const [, c, h, w] = x.shape as [number, number, number, number];
  const out: number[] = [];
  for (const [b, x1, y1, x2, y2] of rois as [number, number, number, number, number][]) {
    const [sw, sh, ew, eh] = [x1, y1, x2, y2].map((v) => roundC(Math.fround(v * scale))) as [number, number, number, number];
    const bh = Math.max(eh - sh + 1, 1) / ph;
    const bw = Math.max(ew - sw + 1, 1) / pw;
    for (let ch = 0; ch < c; ch++) {
      for (let i = 0; i < ph; i++) {
        for (let j = 0; j < pw; j++) {
          const hs = Math.min(Math.max(Math.floor(i * bh) + sh, 0), h);
          const he = Math.min(Math.max(Math.ceil((i + 1) * bh) + sh, 0), h);
          const ws = Math.min(Math.max(Math.floor(j * bw) + sw, 0), w);
          const we = Math.min(Math.max(Math.ceil((j + 1) * bw) + sw, 0), w);
          let best = he > hs && we > ws ? -Infinity : 0;
          for (let y = hs; y < he; y++) for (let xx = ws; xx < we; xx++) best = Math.max(best, x.data[((b * c + ch) * h + y) * w + xx]!);
          out.push(best);
        }
      }
    }
  }
  return out;
}

/** Float64 ROIAlign (Detectron's sampling and clamping), position-sensitive and aligned variants. */
function roiAlignRef(x: mx.NDArray, rois: number[][], ph: number, pw: number, scale: number, ratio: number, ps: boolean, aligned: boolean): number[] {
  const [, c, h, w] = x.shape as [number, number, number, number];
  const outC = ps ? c / (ph * pw) : c;
  const sample = (plane: number, y: number, xx: number) => {
    if (y < -1 || y > h || xx < -1 || xx > w) return 0;
    y = Math.max(y, 0);
    xx = Math.max(xx, 0);
    const y0 = Math.min(Math.floor(y), h - 1);
    const x0 = Math.min(Math.floor(xx), w - 1);
    if (y0 === h - 1) y = y0;
    if (x0 === w - 1) xx = x0;
    const y1 = Math.min(y0 + 1, h - 1);
    const x1 = Math.min(x0 + 1, w - 1);
    const at = (a: number, b: number) => x.data[plane + a * w + b]!;
    const ly = y - y0;
    const lx = xx - x0;
    return (1 - ly) * (1 - lx) * at(y0, x0) + (1 - ly) * lx * at(y0, x1) + ly * (1 - lx) * at(y1, x0) + ly * lx * at(y1, x1);
  };
  const out: number[] = [];
  for (const [b, x1, y1, x2, y2] of rois as [number, number, number, number, number][]) {
    const off = aligned ? 0.5 : 0;
    const sx = x1 * scale - off;
    const sy = y1 * scale - off;
    let rw = x2 * scale - off - sx;
    let rh = y2 * scale - off - sy;
    if (!aligned) {
      rw = Math.max(rw, 1);
      rh = Math.max(rh, 1);
    }
    const gh = ratio > 0 ? ratio : Math.ceil(rh / ph);
    const gw = ratio > 0 ? ratio : Math.ceil(rw / pw);
    for (let ch = 0; ch < outC; ch++) {
      for (let i = 0; i < ph; i++) {
        for (let j = 0; j < pw; j++) {
          const inC = ps ? (ch * ph + i) * pw + j : ch;
          const plane = (b * c + inC) * h * w;
          let sum = 0;
          for (let iy = 0; iy < gh; iy++) {
            for (let ix = 0; ix < gw; ix++) sum += sample(plane, sy + i * (rh / ph) + ((iy + 0.5) * rh) / ph / gh, sx + j * (rw / pw) + ((ix + 0.5) * rw) / pw / gw);
          }
          out.push(sum / Math.max(gh * gw, 1));
        }
      }
    }
  }
  return out;
}

const ramp = mx.nd.array([Array.from({ length: 8 }, (_, r) => Array.from({ length: 6 }, (_, c) => r * 6 + c))]).reshape([1, 1, 8, 6]);

beforeEach(() => mx.random.seed(17));

describeEachBackend('ROIPooling', () => {
  test('MXNet docstring: the 8x6 ramp with roi [0, 0, 0, 4, 4] at spatial_scale 1 and 0.7', () => {
    const rois = mx.nd.array([[0, 0, 0, 4, 4]]);
    mx.testUtils.assertAlmostEqual(mx.nd.ROIPooling(ramp, rois, { pooled_size: [2, 2], spatial_scale: 1 }), [[[[14, 16], [26, 28]]]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.ROIPooling(ramp, rois, { pooled_size: [2, 2], spatial_scale: 0.7 }), [[[[7, 9], [19, 21]]]], EXACT);
  });

  test('seeded data and rois (incl. a roi beyond the map and a degenerate one) match the float64 reference via mx.nd and mx.sym', () => {
    const x = mx.nd.random.uniform(-1, 1, [2, 3, 7, 9]);
    const rois = [[0, 1, 2, 6, 5], [1, 0, 0, 8, 6], [1, 3.3, 1.6, 40, 30], [0, 4, 4, 2, 1], [1, 2.5, 2.5, 7.5, 5.5]];
    for (const [scale, ph, pw] of [[1, 2, 3], [0.5, 3, 2], [0.25, 1, 1]] as const) {
      const out = mx.nd.ROIPooling(x, mx.nd.array(rois), { pooled_size: [ph, pw], spatial_scale: scale });
      expect(out.shape).toEqual([5, 3, ph, pw]);
      mx.testUtils.assertAlmostEqual(out.data, roiPoolRef(x, rois, ph, pw, scale), EXACT);
    }
    const s = mx.sym.ROIPooling(mx.sym.Variable('data'), mx.sym.Variable('rois'), { pooled_size: '(2, 3)', spatial_scale: '1.0', name: 'pool' });
    expect(s.listOutputs()).toEqual(['pool_output']);
    mx.testUtils.assertAlmostEqual(s.bind(mx.cpu(), { data: x, rois: mx.nd.array(rois) }).forward()[0]!.data, roiPoolRef(x, rois, 2, 3, 1), EXACT);
  });

  test('gradient goes to the max of each bin (central differences); rois get zeros; add accumulates', () => {
    const s = mx.sym.ROIPooling(mx.sym.Variable('data'), mx.sym.Variable('rois'), { pooled_size: [2, 2], spatial_scale: 1 });
    const loc = { data: mx.nd.random.uniform(-1, 1, [1, 2, 5, 5]), rois: mx.nd.array([[0, 0, 0, 3, 3], [0, 1, 1, 4, 4]]) };
    mx.testUtils.checkNumericGradient(s, loc, NUMERIC);
    const exec = s.bind(mx.cpu(), { data: loc.data, rois: loc.rois }, { gradReq: 'write' });
    exec.forward(true);
    exec.backward([mx.nd.ones([2, 2, 2, 2])]);
    expect(Array.from(exec.gradDict['rois']!.data)).toEqual(new Array(10).fill(0));
    expect(exec.gradDict['data']!.data.reduce((a, b) => a + b, 0)).toBeCloseTo(16, 5);
    expectAddAccumulates(s, loc, [mx.nd.random.uniform(-1, 1, [2, 2, 2, 2])]);
  });

  test('errors: rois not (R, 5), data not 4-d, pooled_size not 2 entries', () => {
    const s = (p: Record<string, unknown>) => mx.sym.ROIPooling(mx.sym.Variable('d'), mx.sym.Variable('r'), { pooled_size: [2, 2], spatial_scale: 1, name: 'rp', ...p });
    expect(() => s({}).inferShape({ d: [1, 1, 4, 4], r: [3, 4] })).toThrow("ROIPooling 'rp': rois shape [3,4] must be (num_rois, 5): [batch_index, x1, y1, x2, y2] per row");
    expect(() => s({}).inferShape({ d: [1, 4, 4], r: [3, 5] })).toThrow(mx.ShapeError);
    expect(() => s({ pooled_size: [2] }).inferShape({ d: [1, 1, 4, 4], r: [3, 5] })).toThrow(/pooled_size \(2\) must be \(height, width\)/);
    // @ts-expect-error spatial_scale is required
    expect(() => mx.sym.ROIPooling(mx.sym.Variable('d'), mx.sym.Variable('r'), { pooled_size: [2, 2] })).toThrow(mx.ParamError);
  });
});

describeEachBackend('_contrib_ROIAlign', () => {
  test('hand-derived on the ramp x[h, w] = 6h + w: samples interpolate the ramp exactly; aligned shifts by half a pixel', () => {
    const roi = mx.nd.array([[0, 0, 0, 3, 3]]);
    const one = (p: Record<string, unknown>) => mx.nd._contrib_ROIAlign(ramp, roi, { pooled_size: [1, 1], spatial_scale: 1, ...p }).data[0]!;
    expect(one({ sample_ratio: 1 })).toBeCloseTo(6 * 1.5 + 1.5, 5);
    expect(one({ sample_ratio: 2 })).toBeCloseTo(6 * 1.5 + 1.5, 5);
    expect(one({ sample_ratio: 1, aligned: true })).toBeCloseTo(6 * 1 + 1, 5);
    const bins = mx.nd._contrib_ROIAlign(ramp, roi, { pooled_size: [3, 3], spatial_scale: 1, sample_ratio: 1 });
    mx.testUtils.assertAlmostEqual(bins, [[[[3.5, 4.5, 5.5], [9.5, 10.5, 11.5], [15.5, 16.5, 17.5]]]], F32);
  });

  test.each([
    ['default grid', 0.5, -1, false, false],
    ['sample_ratio 2, aligned', 0.25, 2, false, true],
    ['position_sensitive', 1, 1, true, false],
    ['position_sensitive and aligned, adaptive grid', 0.5, 0, true, true],
  ])('%s matches the float64 reference via mx.nd and mx.sym', (_name, scale, ratio, ps, aligned) => {
    const x = mx.nd.random.uniform(-1, 1, [2, 8, 6, 7]);
    const rois = [[0, 1, 2, 9, 10], [1, 0, 0, 13, 11], [1, 3.3, 1.6, 30, 20], [0, 5, 4, 5.5, 4.2], [1, -4, -3, 2, 2]];
    const params = { pooled_size: [2, 2], spatial_scale: scale, sample_ratio: ratio, position_sensitive: ps, aligned };
    const out = mx.nd._contrib_ROIAlign(x, mx.nd.array(rois), params);
    expect(out.shape).toEqual([5, ps ? 2 : 8, 2, 2]);
    mx.testUtils.assertAlmostEqual(out.data, roiAlignRef(x, rois, 2, 2, scale, ratio, ps, aligned), F32);
    const s = mx.sym._contrib_ROIAlign(mx.sym.Variable('data'), mx.sym.Variable('rois'), params);
    mx.testUtils.assertAlmostEqual(s.bind(mx.cpu(), { data: x, rois: mx.nd.array(rois) }).forward()[0]!, out, EXACT);
  });

  test('gradient to data is the transposed sampling (central differences), rois get zeros, add accumulates', () => {
    for (const ps of [false, true]) {
      const s = mx.sym._contrib_ROIAlign(mx.sym.Variable('data'), mx.sym.Variable('rois'), { pooled_size: [2, 2], spatial_scale: 0.5, sample_ratio: 2, position_sensitive: ps });
      const loc = { data: mx.nd.random.uniform(-1, 1, [1, 4, 5, 6]), rois: mx.nd.array([[0, 1, 1, 8, 7], [0, 0, 2, 5, 9]]) };
      mx.testUtils.checkNumericGradient(s, loc, NUMERIC);
      if (ps) continue;
      const exec = s.bind(mx.cpu(), { data: loc.data, rois: loc.rois }, { gradReq: 'write' });
      exec.forward(true);
      exec.backward([mx.nd.ones([2, 4, 2, 2])]);
      expect(Array.from(exec.gradDict['rois']!.data)).toEqual(new Array(10).fill(0));
      expectAddAccumulates(s, loc, [mx.nd.random.uniform(-1, 1, [2, 4, 2, 2])]);
    }
  });

  test('property: output is (num_rois, C or C / (PH*PW), PH, PW) for any pooled size', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }), fc.boolean(),
      (ph, pw, rois, groups, ps) => {
        const channels = ps ? groups * ph * pw : groups;
        const s = mx.sym._contrib_ROIAlign(mx.sym.Variable('d'), mx.sym.Variable('r'), { pooled_size: [ph, pw], spatial_scale: 0.5, position_sensitive: ps });
        expect(s.inferShape({ d: [2, channels, 5, 5], r: [rois, 5] }).outShapes).toEqual([[rois, ps ? groups : channels, ph, pw]]);
        const p = mx.sym.ROIPooling(mx.sym.Variable('d'), mx.sym.Variable('r'), { pooled_size: [ph, pw], spatial_scale: 0.5 });
        expect(p.inferShape({ d: [2, channels, 5, 5], r: [rois, 5] }).outShapes).toEqual([[rois, channels, ph, pw]]);
      }), { numRuns: 40 });
  });

  test('errors: position_sensitive with channels not divisible by the bins, bad rois', () => {
    const s = mx.sym._contrib_ROIAlign(mx.sym.Variable('d'), mx.sym.Variable('r'), { pooled_size: [2, 2], spatial_scale: 1, position_sensitive: true, name: 'ra' });
    expect(() => s.inferShape({ d: [1, 6, 4, 4], r: [2, 5] })).toThrow("_contrib_ROIAlign 'ra': data has 6 channels, not divisible by pooled height x width = 4 (position_sensitive)");
    expect(() => s.inferShape({ d: [1, 8, 4, 4], r: [2, 5, 1] })).toThrow(mx.ShapeError);
    expect(s.inferShape({ d: [1, 8, 4, 4], r: [3, 5] }).outShapes).toEqual([[3, 2, 2, 2]]);
  });
});
