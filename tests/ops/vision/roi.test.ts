/**
 * _contrib_PSROIPooling, _contrib_DeformablePSROIPooling and _contrib_RROIAlign: hand-derived
 * values on constant channels and linear ramps (bilinear sampling reproduces a ramp exactly),
 * float64 references on seeded inputs (R-FCN's bin rules and Caffe2's rotated ROI align, re-derived),
 * numeric gradients (MXNet test_psroipooling / test_deformable_psroipooling check data and trans),
 * RROIAlign's missing gradient, shape rules and errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { expectAddAccumulates } from '../../helpers/grad_req';

const EXACT = { rtol: 0, atol: 0 };
const F32 = { rtol: 1e-4, atol: 1e-5 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

const roundC = (v: number) => Math.sign(v) * Math.round(Math.abs(v));
const group = (i: number, g: number, p: number) => Math.min(Math.floor((i * g) / p), g - 1);

/** Float64 PSROI average pooling from R-FCN's rules. */
function psroiRef(x: mx.NDArray, rois: number[][], scale: number, outDim: number, p: number, g: number): number[] {
  const [, c, h, w] = x.shape as [number, number, number, number];
  const out: number[] = [];
  for (const [b, x1, y1, x2, y2] of rois as [number, number, number, number, number][]) {
    const [sw, sh] = [roundC(x1) * scale, roundC(y1) * scale];
    const [bw, bh] = [Math.max((roundC(x2) + 1) * scale - sw, 0.1) / p, Math.max((roundC(y2) + 1) * scale - sh, 0.1) / p];
    for (let ct = 0; ct < outDim; ct++) {
      for (let i = 0; i < p; i++) {
        for (let j = 0; j < p; j++) {
          const clip = (v: number, n: number) => Math.min(Math.max(v, 0), n);
          const [h0, h1] = [clip(Math.floor(i * bh + sh), h), clip(Math.ceil((i + 1) * bh + sh), h)];
          const [w0, w1] = [clip(Math.floor(j * bw + sw), w), clip(Math.ceil((j + 1) * bw + sw), w)];
          const plane = (b * c + (ct * g + group(i, g, p)) * g + group(j, g, p)) * h * w;
          let sum = 0;
          for (let y = h0; y < h1; y++) for (let xx = w0; xx < w1; xx++) sum += x.data[plane + y * w + xx]!;
          out.push(h1 > h0 && w1 > w0 ? sum / ((h1 - h0) * (w1 - w0)) : 0);
        }
      }
    }
  }
  return out;
}

/** Float64 deformable PSROI pooling (Deformable ConvNets' definition), trans (R, 2*classes, part, part) or null. */
function deformableRef(x: mx.NDArray, rois: number[][], trans: mx.NDArray | null, o: { scale: number; outDim: number; p: number; g: number; part: number; spp: number; std: number }): number[] {
  const [, c, h, w] = x.shape as [number, number, number, number];
  const classes = trans ? trans.shape[1]! / 2 : 1;
  const out: number[] = [];
  rois.forEach(([b, x1, y1, x2, y2], r) => {
    const [sw, sh] = [roundC(x1!) * o.scale - 0.5, roundC(y1!) * o.scale - 0.5];
    const rw = Math.max((roundC(x2!) + 1) * o.scale - 0.5 - sw, 0.1);
    const rh = Math.max((roundC(y2!) + 1) * o.scale - 0.5 - sh, 0.1);
    for (let ct = 0; ct < o.outDim; ct++) {
      const cls = Math.floor(ct / (o.outDim / classes));
      for (let i = 0; i < o.p; i++) {
        for (let j = 0; j < o.p; j++) {
          const [pi, pj] = [Math.floor((i / o.p) * o.part), Math.floor((j / o.p) * o.part)];
          const t = (k: number) => (trans ? trans.data[(((r * classes + cls) * 2 + k) * o.part + pi) * o.part + pj]! * o.std : 0);
          const plane = (b! * c + (ct * o.g + group(i, o.g, o.p)) * o.g + group(j, o.g, o.p)) * h * w;
          let [sum, count] = [0, 0];
          for (let ih = 0; ih < o.spp; ih++) {
            for (let iw = 0; iw < o.spp; iw++) {
              let xx = j * (rw / o.p) + sw + t(0) * rw + (iw * rw) / o.p / o.spp;
              let yy = i * (rh / o.p) + sh + t(1) * rh + (ih * rh) / o.p / o.spp;
              if (xx < -0.5 || xx > w - 0.5 || yy < -0.5 || yy > h - 0.5) continue;
              xx = Math.min(Math.max(xx, 0), w - 1);
              yy = Math.min(Math.max(yy, 0), h - 1);
              const [xa, ya] = [Math.floor(xx), Math.floor(yy)];
              const [xb, yb] = [Math.ceil(xx), Math.ceil(yy)];
              const at = (yv: number, xv: number) => x.data[plane + yv * w + xv]!;
              const [fx, fy] = [xx - xa, yy - ya];
              sum += (1 - fx) * (1 - fy) * at(ya, xa) + (1 - fx) * fy * at(yb, xa) + fx * (1 - fy) * at(ya, xb) + fx * fy * at(yb, xb);
              count++;
            }
          }
          out.push(count ? sum / count : 0);
        }
      }
    }
  });
  return out;
}

/** Float64 rotated ROI align (Caffe2's RoIAlignRotated), rois [batch, cx, cy, w, h, degrees]. */
function rroiRef(x: mx.NDArray, rois: number[][], ph: number, pw: number, scale: number, ratio: number): number[] {
  const [, c, h, w] = x.shape as [number, number, number, number];
  const out: number[] = [];
  for (const [b, cx, cy, rw0, rh0, deg] of rois as [number, number, number, number, number, number][]) {
    const [rw, rh] = [Math.max(rw0 * scale, 1), Math.max(rh0 * scale, 1)];
    const [cos, sin] = [Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)];
    const [gh, gw] = [ratio > 0 ? ratio : Math.ceil(rh / ph), ratio > 0 ? ratio : Math.ceil(rw / pw)];
    for (let ch = 0; ch < c; ch++) {
      for (let i = 0; i < ph; i++) {
        for (let j = 0; j < pw; j++) {
          let sum = 0;
          for (let iy = 0; iy < gh; iy++) {
            for (let ix = 0; ix < gw; ix++) {
              const yy = -rh / 2 + (i + (iy + 0.5) / gh) * (rh / ph);
              const xx = -rw / 2 + (j + (ix + 0.5) / gw) * (rw / pw);
              let y = yy * cos - xx * sin + cy * scale;
              let xv = xx * cos + yy * sin + cx * scale;
              if (y < -1 || y > h || xv < -1 || xv > w) continue;
              [y, xv] = [Math.min(Math.max(y, 0), h - 1), Math.min(Math.max(xv, 0), w - 1)];
              const [y0, x0] = [Math.floor(y), Math.floor(xv)];
              const [y1, x1] = [Math.min(y0 + 1, h - 1), Math.min(x0 + 1, w - 1)];
              const at = (a: number, bb: number) => x.data[((b * c + ch) * h + a) * w + bb]!;
              const [ly, lx] = [y - y0, xv - x0];
              sum += (1 - ly) * (1 - lx) * at(y0, x0) + (1 - ly) * lx * at(y0, x1) + ly * (1 - lx) * at(y1, x0) + ly * lx * at(y1, x1);
            }
          }
          out.push(sum / (gh * gw));
        }
      }
    }
  }
  return out;
}

beforeEach(() => mx.random.seed(29));

describeEachBackend('_contrib_PSROIPooling', () => {
  test('hand-derived: constant channels c show bin (i, j) reads channel (ctop*2 + i)*2 + j', () => {
    const data = mx.nd.array([[0, 1, 2, 3, 4, 5, 6, 7].map((c) => new Array(4).fill(new Array(4).fill(c)))]);
    const out = mx.nd._contrib_PSROIPooling(data, mx.nd.array([[0, 0, 0, 3, 3]]), { spatial_scale: 1, output_dim: 2, pooled_size: 2 });
    mx.testUtils.assertAlmostEqual(out, [[[[0, 1], [2, 3]], [[4, 5], [6, 7]]]], EXACT);
  });

  test('seeded data and rois (one beyond the map, one on a missing batch) match the float64 reference via mx.nd and mx.sym', () => {
    const x = mx.nd.random.uniform(-1, 1, [2, 2 * 9, 8, 7]);
    const rois = [[0, 1.2, 2.7, 9.6, 12.1], [1, 0, 0, 13, 15], [1, 6.4, 3.3, 40, 30], [0, 5, 5, 4, 2]];
    for (const scale of [0.5, 0.25]) {
      const out = mx.nd._contrib_PSROIPooling(x, mx.nd.array(rois), { spatial_scale: scale, output_dim: 2, pooled_size: 3, group_size: 3 });
      expect(out.shape).toEqual([4, 2, 3, 3]);
      mx.testUtils.assertAlmostEqual(out.data, psroiRef(x, rois, scale, 2, 3, 3), F32);
    }
    const missing = mx.nd._contrib_PSROIPooling(x, mx.nd.array([[5, 0, 0, 4, 4]]), { spatial_scale: 0.5, output_dim: 2, pooled_size: 3 });
    expect(Array.from(missing.data)).toEqual(new Array(18).fill(0));
    const s = mx.sym._contrib_PSROIPooling(mx.sym.Variable('data'), mx.sym.Variable('rois'), { spatial_scale: '0.5', output_dim: '2', pooled_size: '3', name: 'ps' });
    expect(s.listOutputs()).toEqual(['ps_output']);
    mx.testUtils.assertAlmostEqual(s.bind(mx.cpu(), { data: x, rois: mx.nd.array(rois) }).forward()[0]!.data, psroiRef(x, rois, 0.5, 2, 3, 3), F32);
  });

  test('MXNet test_psroipooling: gradient to data by central differences; rois get zeros; add accumulates', () => {
    const s = mx.sym._contrib_PSROIPooling(mx.sym.Variable('data'), mx.sym.Variable('rois'), { spatial_scale: 0.0625, output_dim: 2, pooled_size: 2, group_size: 2 });
    const loc = { data: mx.nd.random.uniform(0, 1, [1, 8, 6, 5]), rois: mx.nd.array([[0, 3.2, 10.5, 60.1, 80.7], [0, 20, 4.4, 70.2, 40.8]]) };
    mx.testUtils.checkNumericGradient(s, loc, { ...NUMERIC, gradNodes: ['data'] });
    const exec = s.bind(mx.cpu(), { data: loc.data, rois: loc.rois }, { gradReq: 'write' });
    exec.forward(true);
    exec.backward([mx.nd.ones([2, 2, 2, 2])]);
    expect(Array.from(exec.gradDict['rois']!.data)).toEqual(new Array(10).fill(0));
    expectAddAccumulates(s, loc, [mx.nd.random.uniform(-1, 1, [2, 2, 2, 2])]);
  });

  test('property: PSROIPooling and its deformable form give (R, output_dim, P, P) for data with output_dim * G^2 channels', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), (r, dim, p, g) => {
      const [d, rr] = [mx.sym.Variable('d'), mx.sym.Variable('r')];
      const shapes = { d: [2, dim * g * g, 6, 6], r: [r, 5] };
      expect(mx.sym._contrib_PSROIPooling(d, rr, { spatial_scale: 0.5, output_dim: dim, pooled_size: p, group_size: g }).inferShape(shapes).outShapes).toEqual([[r, dim, p, p]]);
      const deformable = mx.sym._contrib_DeformablePSROIPooling(d, rr, { spatial_scale: 0.5, output_dim: dim, pooled_size: p, group_size: g, no_trans: true });
      expect(deformable.inferShape(shapes).outShapes).toEqual([[r, dim, p, p]]);
    }), { numRuns: 30 });
  });

  test('errors: channels must equal output_dim * group_size^2, rois (R, 5), spatial_scale in (0, 1]', () => {
    const s = (p: Record<string, unknown> = {}) => mx.sym._contrib_PSROIPooling(mx.sym.Variable('d'), mx.sym.Variable('r'), { spatial_scale: 0.5, output_dim: 2, pooled_size: 2, name: 'ps', ...p });
    expect(() => s().inferShape({ d: [1, 6, 4, 4], r: [1, 5] })).toThrow("_contrib_PSROIPooling 'ps': data has 6 channels, but output_dim x group_size^2 = 2 x 2^2 = 8");
    expect(() => s().inferShape({ d: [1, 8, 4, 4], r: [1, 4] })).toThrow(/rois shape \[1,4\] must be \(num_rois, 5\)/);
    expect(() => s({ spatial_scale: 2 })).toThrow(mx.ParamError);
    expect(() => s({ spatial_scale: 0 }).inferShape({ d: [1, 8, 4, 4], r: [1, 5] })).toThrow(/spatial_scale must be positive/);
    expect(s({ group_size: 1 }).inferShape({ d: [1, 2, 4, 4], r: [3, 5] }).outShapes).toEqual([[3, 2, 2, 2]]);
  });
});

describeEachBackend('_contrib_DeformablePSROIPooling', () => {
  const ramp = mx.nd.array([[Array.from({ length: 4 }, (_, h) => Array.from({ length: 4 }, (_, w) => 4 * h + w))]]);

  test('hand-derived on the ramp 4h + w: 2x2 samples average to the bin centre; trans shifts it by trans * trans_std * roi width', () => {
    const p = { spatial_scale: 1, output_dim: 1, group_size: 1, pooled_size: 1, sample_per_part: 2 };
    const still = mx.nd._contrib_DeformablePSROIPooling(ramp, mx.nd.array([[0, 1, 1, 2, 2]]), { ...p, no_trans: true });
    expect(still.data[0]).toBeCloseTo(5, 5);
    const moved = mx.nd._contrib_DeformablePSROIPooling(ramp, mx.nd.array([[0, 1, 1, 2, 2]]), mx.nd.array([[[[0.5]], [[0]]]]), { ...p, trans_std: 0.5 });
    expect(moved.data[0]).toBeCloseTo(5.5, 5);
  });

  test.each([
    ['with trans, 2 classes', false, 2, 3, 2, 0.1],
    ['no_trans, part_size default', true, 1, 2, 3, 0],
  ])('%s: seeded inputs match the float64 reference via mx.nd and mx.sym', (_name, noTrans, classes, p, spp, std) => {
    const outDim = 2;
    const x = mx.nd.random.uniform(-1, 1, [2, outDim * p * p, 9, 8]);
    const rois = [[0, 1.2, 2.7, 9.6, 12.1], [1, 0, 0, 13, 15], [1, 6.4, 3.3, 40, 30]];
    const trans = mx.nd.random.uniform(-1, 1, [3, 2 * classes, p, p]);
    const params = { spatial_scale: 0.5, output_dim: outDim, group_size: p, pooled_size: p, sample_per_part: spp, trans_std: std, no_trans: noTrans };
    const args = noTrans ? [x, mx.nd.array(rois)] : [x, mx.nd.array(rois), trans];
    const out = mx.nd._contrib_DeformablePSROIPooling(...args, params);
    expect(out.shape).toEqual([3, outDim, p, p]);
    mx.testUtils.assertAlmostEqual(out.data, deformableRef(x, rois, noTrans ? null : trans, { scale: 0.5, outDim, p, g: p, part: p, spp, std }), F32);
    const names = noTrans ? ['data', 'rois'] : ['data', 'rois', 'trans'];
    const s = mx.sym._contrib_DeformablePSROIPooling(...names.map((n) => mx.sym.Variable(n)), { ...params, name: 'dp' });
    expect(s.listArguments()).toEqual(names);
    expect(s.listOutputs()).toEqual(['dp_output']);
    mx.testUtils.assertAlmostEqual(s.bind(mx.cpu(), Object.fromEntries(names.map((n, i) => [n, args[i]!]))).forward()[0]!, out, EXACT);
  });

  test('MXNet test_deformable_psroipooling: gradients to data and trans by central differences; add accumulates', () => {
    const s = mx.sym._contrib_DeformablePSROIPooling(mx.sym.Variable('data'), mx.sym.Variable('rois'), mx.sym.Variable('trans'),
      { spatial_scale: 0.25, output_dim: 2, group_size: 2, pooled_size: 2, sample_per_part: 2, trans_std: 0.1 });
    const loc = { data: mx.nd.random.uniform(0, 1, [1, 8, 6, 7]), rois: mx.nd.array([[0, 2.2, 3.4, 20.6, 18.1], [0, 6, 1, 25, 22]]), trans: mx.nd.random.uniform(-1, 1, [2, 2, 2, 2]) };
    mx.testUtils.checkNumericGradient(s, loc, { ...NUMERIC, gradNodes: ['data', 'trans'] });
    expectAddAccumulates(s, loc, [mx.nd.random.uniform(-1, 1, [2, 2, 2, 2])]);
  });

  test('errors: trans must be (R, 2 * classes, part, part) with classes dividing output_dim', () => {
    const s = (p: Record<string, unknown> = {}) => mx.sym._contrib_DeformablePSROIPooling(mx.sym.Variable('d'), mx.sym.Variable('r'), mx.sym.Variable('t'),
      { spatial_scale: 0.5, output_dim: 2, group_size: 2, pooled_size: 2, name: 'dp', ...p });
    expect(() => s().inferShape({ d: [1, 8, 4, 4], r: [3, 5], t: [3, 2, 3, 3] })).toThrow("_contrib_DeformablePSROIPooling 'dp': trans shape [3,2,3,3] must be (num_rois=3, 2 * classes, part_size=2, part_size=2) with classes dividing output_dim=2");
    expect(() => s().inferShape({ d: [1, 8, 4, 4], r: [3, 5], t: [3, 6, 2, 2] })).toThrow(mx.ShapeError);
    expect(s({ part_size: 3 }).inferShape({ d: [1, 8, 4, 4], r: [3, 5], t: [3, 4, 3, 3] }).outShapes).toEqual([[3, 2, 2, 2]]);
    // @ts-expect-error group_size is required
    expect(() => mx.sym._contrib_DeformablePSROIPooling(mx.sym.Variable('d'), mx.sym.Variable('r'), { spatial_scale: 0.5, output_dim: 2, pooled_size: 2 })).toThrow(mx.ParamError);
  });
});

describeEachBackend('_contrib_RROIAlign', () => {
  const ramp = mx.nd.array([[Array.from({ length: 8 }, (_, h) => Array.from({ length: 6 }, (_, w) => 6 * h + w))]]);

  test('hand-derived on the ramp 6h + w: a 2x2 roi at (2, 2) split in two rows, unrotated and turned 90 degrees', () => {
    const p = { pooled_size: [2, 1], spatial_scale: 1, sampling_ratio: 1 };
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_RROIAlign(ramp, mx.nd.array([[0, 2, 2, 2, 2, 0]]), p), [[[[11], [17]]]], F32);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_RROIAlign(ramp, mx.nd.array([[0, 2, 2, 2, 2, 90]]), p), [[[[13.5], [14.5]]]], F32);
  });

  test.each([[-1, 0.5], [2, 1], [0, 0.25]])('sampling_ratio %d, spatial_scale %d: seeded rotated rois match the float64 reference via mx.nd and mx.sym', (ratio, scale) => {
    const x = mx.nd.random.uniform(-1, 1, [2, 3, 9, 8]);
    const rois = [[0, 8, 9, 6, 4, 30], [1, 4, 5, 12.5, 3.2, -75], [1, 14, 2, 20, 30, 180], [0, 3, 3, 0.5, 0.5, 10]];
    const out = mx.nd._contrib_RROIAlign(x, mx.nd.array(rois), { pooled_size: [2, 3], spatial_scale: scale, sampling_ratio: ratio });
    expect(out.shape).toEqual([4, 3, 2, 3]);
    mx.testUtils.assertAlmostEqual(out.data, rroiRef(x, rois, 2, 3, scale, ratio), F32);
    const s = mx.sym._contrib_RROIAlign(mx.sym.Variable('data'), mx.sym.Variable('rois'), { pooled_size: '(2, 3)', spatial_scale: scale, sampling_ratio: ratio, name: 'rr' });
    expect(s.listOutputs()).toEqual(['rr_output']);
    mx.testUtils.assertAlmostEqual(s.bind(mx.cpu(), { data: x, rois: mx.nd.array(rois) }, { gradReq: 'null' }).forward()[0]!, out, EXACT);
  });

  test('MXNet registers no gradient: binding with a gradient through it fails; without one it runs', () => {
    const s = mx.sym._contrib_RROIAlign(mx.sym.Variable('data'), mx.sym.Variable('rois'), { pooled_size: [1, 1], spatial_scale: 1, name: 'rr' });
    const args = { data: mx.nd.ones([1, 1, 4, 4]), rois: mx.nd.array([[0, 2, 2, 2, 2, 0]]) };
    expect(() => s.bind(mx.cpu(), args, { gradReq: 'write' })).toThrow(mx.GradientError);
    expect(() => s.bind(mx.cpu(), args, { gradReq: 'write' })).toThrow(/_contrib_RROIAlign 'rr': has no gradient/);
    expect(s.bind(mx.cpu(), args, { gradReq: 'null' }).forward()[0]!.data[0]).toBeCloseTo(1, 6);
  });

  test('property and errors: output (R, C, PH, PW); rois must be (R, 6), pooled_size two entries', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), (r, ph, pw) => {
      const s = mx.sym._contrib_RROIAlign(mx.sym.Variable('d'), mx.sym.Variable('r'), { pooled_size: [ph, pw], spatial_scale: 0.5 });
      expect(s.inferShape({ d: [2, 3, 6, 6], r: [r, 6] }).outShapes).toEqual([[r, 3, ph, pw]]);
    }), { numRuns: 30 });
    const s = (p: Record<string, unknown> = {}) => mx.sym._contrib_RROIAlign(mx.sym.Variable('d'), mx.sym.Variable('r'), { pooled_size: [2, 2], spatial_scale: 1, name: 'rr', ...p });
    expect(() => s().inferShape({ d: [1, 1, 4, 4], r: [2, 5] })).toThrow("_contrib_RROIAlign 'rr': rois shape [2,5] must be (num_rois, 6): [batch_index, x, y, w, h, theta] per row");
    expect(() => s({ pooled_size: [2] }).inferShape({ d: [1, 1, 4, 4], r: [2, 6] })).toThrow(/pooled_size \(2\) must be \(height, width\)/);
    expect(() => s().inferShape({ d: [1, 4, 4], r: [2, 6] })).toThrow(mx.ShapeError);
  });
});
