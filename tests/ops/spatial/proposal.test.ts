/**
 * _contrib_Proposal and _contrib_MultiProposal: py-faster-rcnn's well-known base anchors (scales
 * 8/16/32, ratios 0.5/1/2, stride 16), a float64 reference of the RPN proposal layer on seeded
 * inputs, MultiProposal = Proposal per image (as test_contrib_operator.py's test_multi_proposal_op
 * checks), output_score, zero-gradient behaviour and shape rules.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

const F32 = { rtol: 1e-5, atol: 1e-4 };

interface Cfg { pre: number; post: number; thresh: number; minSize: number; scales: number[]; ratios: number[]; stride: number }

/** Float64 RPN proposal layer for one image (generate_anchors, bbox_transform_inv, clip, filter, sort, NMS). */
function proposalRef(cls: number[][][], bbox: number[][][], info: number[], c: Cfg): { rois: number[][]; scores: number[] } {
  const a = c.scales.length * c.ratios.length;
  const [h, w] = [cls[0]!.length, cls[0]![0]!.length];
  const base: number[][] = [];
  const ctr = 0.5 * (c.stride - 1);
  for (const r of c.ratios) {
    for (const s of c.scales) {
      const ws = Math.floor(Math.sqrt(Math.floor((c.stride * c.stride) / r)) + 0.5) * s;
      const hs = Math.floor((ws / s) * r + 0.5) * s;
      base.push([ctr - 0.5 * (ws - 1), ctr - 0.5 * (hs - 1), ctr + 0.5 * (ws - 1), ctr + 0.5 * (hs - 1)]);
    }
  }
  const boxes: { box: number[]; score: number; index: number }[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < a; k++) {
        const [x1, y1, x2, y2] = [base[k]![0]! + x * c.stride, base[k]![1]! + y * c.stride, base[k]![2]! + x * c.stride, base[k]![3]! + y * c.stride];
        const bw = x2 - x1 + 1;
        const bh = y2 - y1 + 1;
        const [dx, dy, dw, dh] = [0, 1, 2, 3].map((j) => bbox[k * 4 + j]![y]![x]!) as [number, number, number, number];
        const cx = dx * bw + x1 + 0.5 * (bw - 1);
        const cy = dy * bh + y1 + 0.5 * (bh - 1);
        const pw = Math.exp(dw) * bw;
        const ph = Math.exp(dh) * bh;
        const clip = (v: number, hi: number) => Math.max(Math.min(v, hi - 1), 0);
        const box = [clip(cx - 0.5 * (pw - 1), info[1]!), clip(cy - 0.5 * (ph - 1), info[0]!), clip(cx + 0.5 * (pw - 1), info[1]!), clip(cy + 0.5 * (ph - 1), info[0]!)];
        let score = y >= Math.trunc(info[0]! / c.stride) || x >= Math.trunc(info[1]! / c.stride) ? -1 : cls[a + k]![y]![x]!;
        const min = c.minSize * info[2]!;
        if (box[2]! - box[0]! + 1 < min || box[3]! - box[1]! + 1 < min) {
          box[0] -= min / 2;
          box[1] -= min / 2;
          box[2] += min / 2;
          box[3] += min / 2;
          score = -1;
        }
        boxes.push({ box, score, index: boxes.length });
      }
    }
  }
  boxes.sort((p, q) => q.score - p.score || p.index - q.index);
  const pre = boxes.slice(0, Math.min(c.pre > 0 ? c.pre : boxes.length, boxes.length));
  const post = Math.min(c.post, pre.length);
  const area = (b: number[]) => (b[2]! - b[0]! + 1) * (b[3]! - b[1]! + 1);
  const keep: number[] = [];
  const gone = pre.map(() => false);
  for (let i = 0; i < pre.length && keep.length < post; i++) {
    if (gone[i]) continue;
    keep.push(i);
    for (let j = i + 1; j < pre.length; j++) {
      const [p, q] = [pre[i]!.box, pre[j]!.box];
      const iw = Math.max(0, Math.min(p[2]!, q[2]!) - Math.max(p[0]!, q[0]!) + 1);
      const ih = Math.max(0, Math.min(p[3]!, q[3]!) - Math.max(p[1]!, q[1]!) + 1);
      if ((iw * ih) / (area(p) + area(q) - iw * ih) > c.thresh) gone[j] = true;
    }
  }
  const rois: number[][] = [];
  const scores: number[] = [];
  for (let i = 0; i < c.post; i++) {
    const k = pre[keep[i % keep.length]!]!;
    rois.push(k.box);
    scores.push(k.score);
  }
  return { rois, scores };
}

const FASTER_RCNN_ANCHORS = [
  [-84, -40, 99, 55], [-176, -88, 191, 103], [-360, -184, 375, 199],
  [-56, -56, 71, 71], [-120, -120, 135, 135], [-248, -248, 263, 263],
  [-36, -80, 51, 95], [-80, -168, 95, 183], [-168, -344, 183, 359],
];

beforeEach(() => mx.random.seed(41));

describeEachBackend('_contrib_Proposal', () => {
  test("py-faster-rcnn's base anchors: zero deltas on a 1x1 map give them back, clipped to the image, best score first", () => {
    const scores = [0.1, 0.9, 0.5, 0.3, 0.8, 0.2, 0.7, 0.4, 0.6];
    const cls = mx.nd.array([[...scores.map((s) => [[1 - s]]), ...scores.map((s) => [[s]])]]);
    const params = { scales: '(8, 16, 32)', ratios: [0.5, 1, 2], rpn_pre_nms_top_n: 9, rpn_post_nms_top_n: 9, threshold: 1, rpn_min_size: 0, output_score: true };
    const [rois, score] = mx.nd._contrib_Proposal(cls, mx.nd.zeros([1, 36, 1, 1]), mx.nd.array([[1000, 1000, 1]]), params) as unknown as mx.NDArray[];
    const order = scores.map((s, i) => [s, i] as const).sort((p, q) => q[0] - p[0]).map(([, i]) => i);
    const clip = (v: number) => Math.min(Math.max(v, 0), 999);
    mx.testUtils.assertAlmostEqual(rois!, order.map((i) => [0, ...FASTER_RCNN_ANCHORS[i]!.map(clip)]), F32);
    mx.testUtils.assertAlmostEqual(score!, order.map((i) => [scores[i]!]), F32);
  });

  test.each([
    ['defaults, padded image', { pre: 6000, post: 20, thresh: 0.7, minSize: 16, scales: [4, 8, 16, 32], ratios: [0.5, 1, 2], stride: 16 }, [100, 120, 1]],
    ['small anchors, tight pre-NMS budget, scale 0.5', { pre: 30, post: 12, thresh: 0.5, minSize: 8, scales: [1, 2], ratios: [1, 2], stride: 8 }, [60, 64, 0.5]],
  ])('%s matches the float64 reference', (_name, c, info) => {
    const a = c.scales.length * c.ratios.length;
    const [h, w] = [7, 8];
    const cls = mx.nd.random.uniform(0, 1, [1, 2 * a, h, w]);
    const bbox = mx.nd.random.uniform(-0.3, 0.3, [1, 4 * a, h, w]);
    const params = { rpn_pre_nms_top_n: c.pre, rpn_post_nms_top_n: c.post, threshold: c.thresh, rpn_min_size: c.minSize, scales: c.scales, ratios: c.ratios, feature_stride: c.stride, output_score: true };
    const [rois, score] = mx.nd._contrib_Proposal(cls, bbox, mx.nd.array([info]), params) as unknown as mx.NDArray[];
    expect(rois!.shape).toEqual([c.post, 5]);
    const ref = proposalRef((cls.toArray() as number[][][][])[0]!, (bbox.toArray() as number[][][][])[0]!, info, c);
    mx.testUtils.assertAlmostEqual(rois!, ref.rois.map((r) => [0, ...r]), F32);
    mx.testUtils.assertAlmostEqual(score!.data, ref.scores, F32);
  });

  test('MultiProposal equals Proposal image by image, with the image index in column 0', () => {
    const cls = mx.nd.random.uniform(0, 1, [3, 6, 5, 4]);
    const bbox = mx.nd.random.uniform(-0.2, 0.2, [3, 12, 5, 4]);
    const info = mx.nd.array([[80, 64, 1], [70, 50, 1.5], [80, 64, 0.8]]);
    const params = { scales: [2, 4, 8], ratios: [1], feature_stride: 16, rpn_post_nms_top_n: 10, rpn_min_size: 4, output_score: true };
    const [multi, multiScore] = mx.nd._contrib_MultiProposal(cls, bbox, info, params) as unknown as mx.NDArray[];
    expect(multi!.shape).toEqual([30, 5]);
    for (let b = 0; b < 3; b++) {
      const one = (x: mx.NDArray) => mx.nd.slice_axis(x, { axis: 0, begin: b, end: b + 1 });
      const [rois, score] = mx.nd._contrib_Proposal(one(cls), one(bbox), one(info), params) as unknown as mx.NDArray[];
      const rows = Array.from(multi!.data.slice(b * 50, (b + 1) * 50));
      expect(rows.filter((_, i) => i % 5 === 0)).toEqual(new Array(10).fill(b));
      expect(rows.filter((_, i) => i % 5 !== 0)).toEqual(Array.from(rois!.data).filter((_, i) => i % 5 !== 0));
      expect(Array.from(multiScore!.data.slice(b * 10, (b + 1) * 10))).toEqual(Array.from(score!.data));
    }
  });

  test('shapes: bbox_pred and im_info are inferred; output_score shows the score; no gradient flows', () => {
    const v = (n: string) => mx.sym.Variable(n);
    const s = mx.sym._contrib_Proposal(v('cls'), v('bbox'), v('info'), { name: 'rpn', rpn_post_nms_top_n: 50 });
    expect(s.listOutputs()).toEqual(['rpn_output']);
    const shapes = s.inferShapePartial({ cls: [1, 24, 10, 12] });
    expect(shapes.argShapes).toEqual([[1, 24, 10, 12], [1, 48, 10, 12], [1, 3]]);
    expect(shapes.outShapes).toEqual([[50, 5]]);
    expect(mx.sym._contrib_Proposal(v('cls'), v('bbox'), v('info'), { output_score: true, name: 'rpn' }).listOutputs()).toEqual(['rpn_output', 'rpn_score']);
    expect(mx.sym._contrib_MultiProposal(v('cls'), v('bbox'), v('info'), { rpn_post_nms_top_n: 7 }).inferShapePartial({ cls: [4, 24, 3, 3] }).outShapes).toEqual([[28, 5]]);
    expect(() => s.inferShape({ cls: [2, 24, 10, 12], bbox: [2, 48, 10, 12], info: [2, 3] })).toThrow(/must have batch 1/);
    expect(() => s.inferShape({ cls: [1, 20, 10, 12], bbox: [1, 40, 10, 12], info: [1, 3] })).toThrow("_contrib_Proposal 'rpn': cls_prob shape [1,20,10,12] must be (batch, 2 x 12 anchors, height, width)");
    const exec = s.bind(mx.cpu(), { cls: mx.nd.random.uniform(0, 1, [1, 24, 2, 2]), bbox: mx.nd.zeros([1, 48, 2, 2]), info: mx.nd.array([[32, 32, 1]]) }, { gradReq: 'write' });
    exec.forward(true);
    exec.backward([mx.nd.ones([50, 5])]);
    expect(exec.gradDict['cls']!.data.every((g) => g === 0)).toBe(true);
  });
});
