/**
 * _contrib_mrcnn_mask_target: MXNet's GPU test case (gt_masks = arange(4*32*32) as (1, 4, 32, 32),
 * two RoIs, 4 classes, 3x3 masks) where bilinear sampling of a linear image is exact, so every bin
 * is the image's value at the bin centre; a float64 RoIAlign reference on seeded masks (edge
 * clamping, aligned, adaptive sampling); one-hot class targets; shape errors.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

/** RoIAlign of one (H, W) plane in float64, from the op's definition. */
function roiAlignRef(plane: (y: number, x: number) => number, h: number, w: number, box: number[], size: [number, number], ratio: number, aligned: boolean): number[] {
  const off = aligned ? 0.5 : 0;
  const [x1, y1] = [box[0]! - off, box[1]! - off];
  let [bw, bh] = [box[2]! - off - x1, box[3]! - off - y1];
  if (!aligned) [bw, bh] = [Math.max(bw, 1), Math.max(bh, 1)];
  const [gh, gw] = ratio > 0 ? [ratio, ratio] : [Math.ceil(bh / size[0]), Math.ceil(bw / size[1])];
  const sample = (y: number, x: number) => {
    if (y < -1 || y > h || x < -1 || x > w) return 0;
    const [cy, cx] = [Math.min(Math.max(y, 0), h - 1), Math.min(Math.max(x, 0), w - 1)];
    const [y0, x0] = [Math.floor(cy), Math.floor(cx)];
    const [yy, xx] = [Math.min(y0 + 1, h - 1), Math.min(x0 + 1, w - 1)];
    const [ly, lx] = [cy - y0, cx - x0];
    return (1 - ly) * (1 - lx) * plane(y0, x0) + (1 - ly) * lx * plane(y0, xx) + ly * (1 - lx) * plane(yy, x0) + ly * lx * plane(yy, xx);
  };
  const out: number[] = [];
  for (let ph = 0; ph < size[0]; ph++) {
    for (let pw = 0; pw < size[1]; pw++) {
      let sum = 0;
      for (let iy = 0; iy < gh; iy++) {
        for (let ix = 0; ix < gw; ix++) sum += sample(y1 + (ph + (iy + 0.5) / gh) * (bh / size[0]), x1 + (pw + (ix + 0.5) / gw) * (bw / size[1]));
      }
      out.push(sum / (gh * gw));
    }
  }
  return out;
}

describeEachBackend('_contrib_mrcnn_mask_target', () => {
  test("MXNet's test case: arange masks give the value at each bin centre, repeated per class; one-hot classes", () => {
    const rois = mx.nd.array([[[2.3, 4.3, 2.2, 3.3], [3.5, 5.5, 0.9, 2.4]]]);
    const gtMasks = mx.nd.arange(0, 4 * 32 * 32).reshape([1, 4, 32, 32]);
    const [masks, classes] = mx.nd._contrib_mrcnn_mask_target(rois, gtMasks, mx.nd.array([[2, 0]]), mx.nd.array([[2, 1]]),
      { num_rois: 2, num_classes: 4, mask_size: [3, 3] }) as mx.NDArray[];
    expect(masks!.shape).toEqual([1, 2, 4, 3, 3]);
    // Both boxes are degenerate (x2 < x1, y2 < y1), so they become 1x1 boxes at (x1, y1): bins of 1/3 pixel.
    const centre = (base: number, x: number, y: number) => Array.from({ length: 9 }, (_, i) => base + 32 * (y + (Math.floor(i / 3) + 0.5) / 3) + x + ((i % 3) + 0.5) / 3);
    const expected = [...Array(4).fill(centre(2048, 2.3, 4.3)).flat(), ...Array(4).fill(centre(0, 3.5, 5.5)).flat()];
    mx.testUtils.assertAlmostEqual(masks!.data, expected, { rtol: 1e-6, atol: 1e-3 });
    expect(masks!.data[0]).toBeCloseTo(2193.4, 3);
    const onehot = [0, 0, 1, 0, 0, 1, 0, 0].flatMap((v) => new Array<number>(9).fill(v));
    mx.testUtils.assertAlmostEqual(classes!.data, onehot, { rtol: 0, atol: 0 });
  });

  test('seeded masks and boxes crossing the image edge match the float64 RoIAlign (ratio 2, adaptive, aligned)', () => {
    mx.random.seed(12);
    const [b, n, m, h, w] = [2, 3, 2, 7, 9];
    const gt = mx.nd.random.uniform(0, 1, [b, m, h, w]);
    const boxes = [[-1.5, 0.2, 4.6, 3.1], [2, 2, 10.5, 8.2], [6.1, 1, 6.4, 1.3], [0, 0, 9, 7], [3.3, -0.8, 5.9, 7.7], [1.1, 4.4, 3.3, 5.2]];
    const matches = [[1, 0, 1], [0, 1, 1]];
    for (const [ratio, aligned] of [[2, false], [-1, false], [2, true]] as const) {
      const [masks] = mx.nd._contrib_mrcnn_mask_target(mx.nd.array(boxes).reshape([b, n, 4]), gt, mx.nd.array(matches), mx.nd.zeros([b, n]),
        { num_rois: n, num_classes: 2, mask_size: [4, 3], sample_ratio: ratio, aligned }) as mx.NDArray[];
      const expected = boxes.flatMap((box, r) => {
        const [bi, ni] = [Math.floor(r / n), r % n];
        const base = (bi * m + matches[bi]![ni]!) * h * w;
        const one = roiAlignRef((y, x) => gt.data[base + y * w + x]!, h, w, box, [4, 3], ratio, aligned);
        return [...one, ...one];
      });
      mx.testUtils.assertAlmostEqual(masks!.data, expected, { rtol: 1e-5, atol: 1e-6 });
    }
  });

  test('mx.nd and mx.sym + bind agree; no gradient', () => {
    const names = ['rois', 'gt_masks', 'matches', 'cls_targets'];
    const s = mx.sym._contrib_mrcnn_mask_target(...names.map((x) => mx.sym.Variable(x)), { num_rois: 1, num_classes: 2, mask_size: [2, 2] });
    const args = { rois: mx.nd.array([[[1, 1, 3, 4]]]), gt_masks: mx.nd.random.uniform(0, 1, [1, 1, 5, 5]), matches: mx.nd.zeros([1, 1]), cls_targets: mx.nd.ones([1, 1]) };
    const outs = s.bind(mx.cpu(), args, { gradReq: 'null' }).forward();
    const nd = mx.nd._contrib_mrcnn_mask_target(...Object.values(args), { num_rois: 1, num_classes: 2, mask_size: [2, 2] }) as mx.NDArray[];
    for (const k of [0, 1]) mx.testUtils.assertAlmostEqual(outs[k]!.data, nd[k]!.data, { rtol: 0, atol: 0 });
    expect(() => s.bind(mx.cpu(), args, { gradReq: 'write' })).toThrow(mx.MXNetError);
  });
});

describe('_contrib_mrcnn_mask_target shapes', () => {
  const s = (params: Record<string, unknown> = {}) => mx.sym._contrib_mrcnn_mask_target(
    ...['rois', 'gt_masks', 'matches', 'cls_targets'].map((x) => mx.sym.Variable(x)), { num_rois: 2, num_classes: 3, mask_size: [4, 5], name: 'mt', ...params });
  const good = { rois: [2, 2, 4], gt_masks: [2, 3, 8, 8], matches: [2, 2], cls_targets: [2, 2] };

  test('two (batch, num_rois, num_classes, h, w) outputs', () => {
    expect(s().inferShape(good).outShapes).toEqual([[2, 2, 3, 4, 5], [2, 2, 3, 4, 5]]);
    expect(s().listOutputs()).toEqual(['mt_output0', 'mt_output1']);
  });

  test('bad shapes and parameters are errors naming the argument', () => {
    expect(() => s().inferShape({ ...good, rois: [2, 2, 5] })).toThrow("_contrib_mrcnn_mask_target 'mt': rois must be (batch, rois, 4), got [2,2,5]");
    expect(() => s().inferShape({ ...good, rois: [2, 3, 4] })).toThrow(/rois shape\[1\] 3 must equal num_rois = 2/);
    expect(() => s().inferShape({ ...good, gt_masks: [1, 3, 8, 8] })).toThrow(/gt_masks must be \(batch = 2/);
    expect(() => s().inferShape({ ...good, matches: [2, 3] })).toThrow(/matches must be \(batch, rois\) = \(2, 2\)/);
    expect(() => s({ mask_size: [4] }).inferShape(good)).toThrow(mx.ParamError);
    // @ts-expect-error num_rois is required
    expect(() => mx.sym._contrib_mrcnn_mask_target(mx.sym.Variable('r'), { num_classes: 2, mask_size: [2, 2] })).toThrow(/num_rois is required/);
  });
});
