/**
 * _contrib_MultiBoxPrior, _contrib_MultiBoxTarget, _contrib_MultiBoxDetection: hand-derived anchors,
 * targets and detections (the cases of test_contrib_operator.py's multibox tests, re-derived), float64
 * references on seeded inputs, zero-gradient behaviour and shape errors.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

const F32 = { rtol: 1e-5, atol: 1e-6 };

/** Float64 MultiBoxPrior: per cell, sizes at ratio 1, then sizes[0] at the other ratios. */
function priorRef(h: number, w: number, sizes: number[], ratios: number[], steps = [-1, -1], offsets = [0.5, 0.5], clip = false): number[] {
  const sy = steps[0]! > 0 ? steps[0]! : 1 / h;
  const sx = steps[1]! > 0 ? steps[1]! : 1 / w;
  const out: number[] = [];
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const cy = (r + offsets[0]!) * sy;
      const cx = (c + offsets[1]!) * sx;
      const push = (hw: number, hh: number) => out.push(cx - hw, cy - hh, cx + hw, cy + hh);
      for (const s of sizes) push((s * h) / w / 2, s / 2);
      for (const ratio of ratios.slice(1)) push((sizes[0]! * h) / w * Math.sqrt(ratio) / 2, sizes[0]! / Math.sqrt(ratio) / 2);
    }
  }
  return clip ? out.map((v) => Math.min(Math.max(v, 0), 1)) : out;
}

const ANCHORS_2X2 = [[0, 0, 0.5, 0.5], [0.5, 0, 1, 0.5], [0, 0.5, 0.5, 1], [0.5, 0.5, 1, 1]];

beforeEach(() => mx.random.seed(31));

describeEachBackend('_contrib_MultiBoxPrior', () => {
  test('hand-derived: a 2x2 map with size 0.5 tiles the unit square', () => {
    const out = mx.nd._contrib_MultiBoxPrior(mx.nd.zeros([1, 3, 2, 2]), { sizes: [0.5] });
    expect(out.shape).toEqual([1, 4, 4]);
    mx.testUtils.assertAlmostEqual(out, [ANCHORS_2X2], F32);
  });

  test('hand-derived: a 2x4 map, ratios (1, 4), clip: the half width carries H/W', () => {
    const out = mx.nd._contrib_MultiBoxPrior(mx.nd.zeros([1, 1, 2, 4]), { sizes: '(0.5,)', ratios: '(1, 4)', clip: 'True' });
    expect(out.shape).toEqual([1, 16, 4]);
    mx.testUtils.assertAlmostEqual(out.data.slice(0, 8), [0, 0, 0.25, 0.5, 0, 0.125, 0.375, 0.375], F32);
  });

  test.each([
    [[2, 8, 5, 7], [0.2, 0.5, 0.9], [1, 2, 0.5], [-1, -1], [0.5, 0.5], false],
    [[1, 2, 3, 3], [0.3], [1, 3], [0.3, 0.25], [0, 0.2], true],
  ])('data %j sizes %j ratios %j steps %j offsets %j clip %s matches the float64 reference', (shape, sizes, ratios, steps, offsets, clip) => {
    const out = mx.nd._contrib_MultiBoxPrior(mx.nd.zeros(shape), { sizes, ratios, steps, offsets, clip });
    expect(out.shape).toEqual([1, shape[2]! * shape[3]! * (sizes.length + ratios.length - 1), 4]);
    mx.testUtils.assertAlmostEqual(out.data, priorRef(shape[2]!, shape[3]!, sizes, ratios, steps, offsets, clip), F32);
    const s = mx.sym._contrib_MultiBoxPrior(mx.sym.Variable('x'), { sizes, ratios, steps, offsets, clip });
    mx.testUtils.assertAlmostEqual(s.bind(mx.cpu(), { x: mx.nd.zeros(shape) }, { gradReq: 'null' }).forward()[0]!, out, F32);
  });

  test('no gradient flows to the feature map (MXNet: zeros), and binding through it works', () => {
    const x = mx.sym.Variable('x');
    const s = mx.sym.Group([mx.sym._contrib_MultiBoxPrior(x, { sizes: [0.5] }), mx.sym.sum(x)]);
    const exec = s.bind(mx.cpu(), { x: mx.nd.ones([1, 1, 2, 2]) }, { gradReq: 'write' });
    exec.forward(true);
    exec.backward([mx.nd.ones([1, 4, 4]), mx.nd.ones([1])]);
    expect(Array.from(exec.gradDict['x']!.data)).toEqual([1, 1, 1, 1]);
  });

  test('errors: 3-d data, empty sizes, bad steps', () => {
    expect(() => mx.nd._contrib_MultiBoxPrior(mx.nd.zeros([1, 2, 2]))).toThrow(/must be 4-d/);
    expect(() => mx.sym._contrib_MultiBoxPrior(mx.sym.Variable('x'), { sizes: '()', name: 'p' }).inferShape({ x: [1, 1, 2, 2] }))
      .toThrow("_contrib_MultiBoxPrior 'p': sizes must hold at least one size");
    expect(() => mx.nd._contrib_MultiBoxPrior(mx.nd.zeros([1, 1, 2, 2]), { steps: [0.1] })).toThrow(/steps \(0.1\) must be \(step_y, step_x\)/);
    expect(() => mx.nd._contrib_MultiBoxPrior(mx.nd.zeros([1, 1, 2, 2]), { sizes: 'abc' })).toThrow(mx.ParamError);
  });
});

describeEachBackend('_contrib_MultiBoxTarget', () => {
  const anchors = mx.nd.array([ANCHORS_2X2]);
  const label = mx.nd.array([[[1, 0.05, 0.05, 0.5, 0.5], [-1, -1, -1, -1, -1]]]);

  test('hand-derived: the ground truth claims anchor 0 (IoU 0.81); every other anchor is a negative', () => {
    const [loc, mask, cls] = mx.nd._contrib_MultiBoxTarget(anchors, label, mx.nd.zeros([1, 3, 4]));
    expect(loc!.shape).toEqual([1, 16]);
    mx.testUtils.assertAlmostEqual(loc!.data.slice(0, 4), [0.5, 0.5, Math.log(0.9) / 0.2, Math.log(0.9) / 0.2], { rtol: 1e-5, atol: 1e-5 });
    expect(Array.from(loc!.data.slice(4))).toEqual(new Array(12).fill(0));
    expect(Array.from(mask!.data)).toEqual([1, 1, 1, 1, ...new Array(12).fill(0)]);
    expect(Array.from(cls!.data)).toEqual([2, 0, 0, 0]);
  });

  test('negative mining takes ratio x positives hardest negatives (lowest background probability); the rest are ignored', () => {
    const preds = mx.nd.array([[[0, 0, -2, 0], [0, 0, 1, 0], [0, 0.5, 0, 0]]]);
    const [, , cls] = mx.nd._contrib_MultiBoxTarget(anchors, label, preds, { negative_mining_ratio: 1, negative_mining_thresh: 0.5, ignore_label: -1 });
    expect(Array.from(cls!.data)).toEqual([2, -1, 0, -1]);
    const [, , cls2] = mx.nd._contrib_MultiBoxTarget(anchors, label, preds, { negative_mining_ratio: 2 });
    expect(Array.from(cls2!.data)).toEqual([2, 0, 0, -1]);
  });

  test('overlap_threshold adds anchors above it; images without labels stay ignore_label; variances scale loc', () => {
    const labels = mx.nd.array([[[0, 0.1, 0.0, 0.9, 0.5]], [[-1, -1, -1, -1, -1]]]);
    const [loc, mask, cls] = mx.nd._contrib_MultiBoxTarget(anchors, labels, mx.nd.zeros([2, 2, 4]), { overlap_threshold: 0.3, variances: [1, 1, 1, 1], ignore_label: -7 });
    // GT [0.1, 0, 0.9, 0.5] overlaps anchors 0 and 1 with IoU 0.2/0.45 each: anchor 0 is claimed (first of a tie), anchor 1 passes 0.3.
    expect(Array.from(cls!.data)).toEqual([1, 1, 0, 0, -7, -7, -7, -7]);
    expect(Array.from(mask!.data.slice(0, 8))).toEqual(new Array(8).fill(1));
    mx.testUtils.assertAlmostEqual(loc!.data.slice(0, 4), [(0.5 - 0.25) / 0.5, 0, Math.log(0.8 / 0.5), 0], { rtol: 1e-5, atol: 1e-6 });
    expect(Array.from(loc!.data.slice(16))).toEqual(new Array(16).fill(0));
  });

  test('seeded anchors, padded labels and predictions match a float64 reference, with and without negative mining', () => {
    const [batches, n, numLabels, classes] = [2, 40, 4, 3];
    const boxes = (k: number) => (mx.nd.random.uniform(0, 1, [k, 4]).toArray() as number[][]).map(([x, y, w, h]) => [x! * 0.7, y! * 0.7, x! * 0.7 + 0.05 + w! * 0.3, y! * 0.7 + 0.05 + h! * 0.3]);
    const anchorRows = mx.nd.array(boxes(n)).toArray() as number[][];
    const labelRows = [0, 1].map((b) => boxes(numLabels).map((r, k) => (k < 3 - b ? [k % 2, ...r] : [-1, -1, -1, -1, -1])));
    const labels32 = mx.nd.array(labelRows).toArray() as number[][][];
    const preds = mx.nd.random.uniform(-2, 2, [batches, classes, n]);
    const iou = (a: number[], g: number[]) => {
      const inter = Math.max(0, Math.min(a[2]!, g[2]!) - Math.max(a[0]!, g[0]!)) * Math.max(0, Math.min(a[3]!, g[3]!) - Math.max(a[1]!, g[1]!));
      const u = (a[2]! - a[0]!) * (a[3]! - a[1]!) + (g[2]! - g[0]!) * (g[3]! - g[1]!) - inter;
      return u === 0 ? 0 : inter / u;
    };
    for (const mining of [-1, 2]) {
      const [loc, , cls] = mx.nd._contrib_MultiBoxTarget(mx.nd.array([anchorRows]), mx.nd.array(labelRows), preds, { overlap_threshold: 0.4, negative_mining_ratio: mining });
      const p = preds.toArray() as number[][][];
      const expCls: number[] = [];
      const expLoc: number[] = [];
      for (let b = 0; b < batches; b++) {
        const gts = labels32[b]!.filter((_, k) => labels32[b]!.slice(0, k + 1).every((q) => q[0] !== -1));
        const ov = anchorRows.map((a) => gts.map((g) => iou(a, g.slice(1))));
        const match = new Array<number>(n).fill(-1);
        const taken = new Set<number>();
        for (;;) {
          let best = 1e-6;
          let pick: [number, number] | null = null;
          ov.forEach((row, j) => row.forEach((v, k) => {
            if (match[j] === -1 && !taken.has(k) && v > best) [best, pick] = [v, [j, k]];
          }));
          if (!pick) break;
          match[pick[0]] = pick[1];
          taken.add(pick[1]);
        }
        const bestGt = (j: number) => ov[j]!.reduce((bi, v, k) => (v > ov[j]![bi]! ? k : bi), 0);
        ov.forEach((_, j) => {
          if (match[j] === -1 && ov[j]![bestGt(j)]! > 0.4) match[j] = bestGt(j);
        });
        const positives = match.filter((m) => m >= 0).length;
        const negative = new Array<boolean>(n).fill(mining <= 0);
        if (mining > 0) {
          const cands = anchorRows.map((_, j) => j).filter((j) => match[j] === -1 && ov[j]![bestGt(j)]! < 0.5);
          const bg = (j: number) => Math.exp(p[b]![0]![j]!) / [0, 1, 2].reduce((sum, c) => sum + Math.exp(p[b]![c]![j]!), 0);
          cands.sort((x, y) => bg(x) - bg(y) || x - y).slice(0, Math.min(Math.trunc(positives * mining), n - positives)).forEach((j) => (negative[j] = true));
        }
        anchorRows.forEach((a, j) => {
          const m = match[j]!;
          expCls.push(m >= 0 ? gts[m]![0]! + 1 : negative[j] ? 0 : -1);
          if (m < 0) {
            expLoc.push(0, 0, 0, 0);
            return;
          }
          const g = gts[m]!.slice(1);
          const [aw, ah, gw, gh] = [a[2]! - a[0]!, a[3]! - a[1]!, g[2]! - g[0]!, g[3]! - g[1]!];
          expLoc.push(((g[0]! + g[2]!) / 2 - (a[0]! + a[2]!) / 2) / aw / 0.1, ((g[1]! + g[3]!) / 2 - (a[1]! + a[3]!) / 2) / ah / 0.1, Math.log(gw / aw) / 0.2, Math.log(gh / ah) / 0.2);
        });
      }
      expect(Array.from(cls!.data)).toEqual(expCls);
      mx.testUtils.assertAlmostEqual(loc!.data, expLoc, { rtol: 1e-4, atol: 1e-4 });
    }
  });

  test('shapes and no-gradient: outputs (B, N*4) x2 and (B, N); binding with gradients through it works', () => {
    const s = mx.sym._contrib_MultiBoxTarget(mx.sym.Variable('a'), mx.sym.Variable('l'), mx.sym.Variable('p'), { name: 'mt' });
    expect(s.listOutputs()).toEqual(['mt_loc_target', 'mt_loc_mask', 'mt_cls_target']);
    expect(s.inferShape({ a: [1, 6, 4], l: [3, 2, 6], p: [3, 4, 6] }).outShapes).toEqual([[3, 24], [3, 24], [3, 6]]);
    const exec = s.bind(mx.cpu(), { a: anchors, l: label, p: mx.nd.zeros([1, 3, 4]) }, { gradReq: 'write' });
    exec.forward(true);
    exec.backward([mx.nd.ones([1, 16]), mx.nd.ones([1, 16]), mx.nd.ones([1, 4])]);
    expect(Array.from(exec.gradDict['p']!.data)).toEqual(new Array(12).fill(0));
    expect(() => s.inferShape({ a: [2, 6, 4], l: [3, 2, 6], p: [3, 4, 6] })).toThrow("_contrib_MultiBoxTarget 'mt': anchor shape [2,6,4] must be (1, num_anchors, 4)");
    expect(() => s.inferShape({ a: [1, 6, 4], l: [3, 2, 4], p: [3, 4, 6] })).toThrow(/label shape \[3,2,4\]/);
    expect(() => s.inferShape({ a: [1, 6, 4], l: [3, 2, 6], p: [3, 4, 5] })).toThrow(/cls_pred shape \[3,4,5\]/);
  });
});

describeEachBackend('_contrib_MultiBoxDetection', () => {
  const anchors = mx.nd.array([[[0.1, 0.1, 0.3, 0.3], [0.12, 0.12, 0.32, 0.32], [0.6, 0.6, 0.9, 0.8]]]);
  const probs = mx.nd.array([[[0.2, 0.2, 0.9], [0.6, 0.7, 0.05], [0.2, 0.1, 0.05]]]);
  const zeros = mx.nd.zeros([1, 12]);

  test('hand-derived: best class per anchor, sorted by probability; NMS marks the overlapped weaker box -1; rows below threshold are -1', () => {
    // anchor 2: background 0.9, classes tie at 0.05 -> the first (class 1, id 0) wins; it passes threshold 0.01.
    const third = [0, 0.05, 0.6, 0.6, 0.9, 0.8];
    const out = mx.nd._contrib_MultiBoxDetection(probs, zeros, anchors);
    mx.testUtils.assertAlmostEqual(out, [[[0, 0.7, 0.12, 0.12, 0.32, 0.32], [-1, 0.6, 0.1, 0.1, 0.3, 0.3], third]], F32);
    const loose = mx.nd._contrib_MultiBoxDetection(probs, zeros, anchors, { nms_threshold: 0.9 });
    mx.testUtils.assertAlmostEqual(loose, [[[0, 0.7, 0.12, 0.12, 0.32, 0.32], [0, 0.6, 0.1, 0.1, 0.3, 0.3], third]], F32);
    const unsorted = mx.nd._contrib_MultiBoxDetection(probs, zeros, anchors, { nms_threshold: 0 });
    mx.testUtils.assertAlmostEqual(unsorted, [[[0, 0.6, 0.1, 0.1, 0.3, 0.3], [0, 0.7, 0.12, 0.12, 0.32, 0.32], third]], F32);
    const strict = mx.nd._contrib_MultiBoxDetection(probs, zeros, anchors, { threshold: 0.1 });
    mx.testUtils.assertAlmostEqual(strict.data.slice(12), new Array(6).fill(-1), F32);
  });

  test('offsets decode with variances around the anchor centre; clip keeps boxes in [0, 1]', () => {
    const loc = mx.nd.array([[1, -1, Math.log(2) / 0.2, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
    const one = mx.nd.array([[[0, 0.9, 0.9], [1, 0, 0], [0, 0.1, 0.1]]]);
    const out = mx.nd._contrib_MultiBoxDetection(one, loc, anchors, { clip: false });
    // anchor 0: centre (0.2, 0.2), size 0.2 -> centre (0.22, 0.18), width 0.4, height 0.2
    mx.testUtils.assertAlmostEqual(out.data.slice(0, 6), [0, 1, 0.02, 0.08, 0.42, 0.28], { rtol: 1e-5, atol: 1e-6 });
    const far = mx.nd.array([[0, 0, 0, 0, 0, 0, 0, 0, 20, 20, 2, 2]]);
    const clipped = mx.nd._contrib_MultiBoxDetection(mx.nd.array([[[1, 1, 0], [0, 0, 0], [0, 0, 1]]]), far, anchors);
    // anchor 2 (centre (0.75, 0.7), size (0.3, 0.2)) moved to centre (1.35, 1.1): only y1 = 1.1 - 0.1*exp(0.4) stays inside.
    mx.testUtils.assertAlmostEqual(clipped.data.slice(0, 6), [1, 1, 1, 1.1 - 0.1 * Math.exp(0.4), 1, 1], { rtol: 1e-5, atol: 1e-6 });
    expect(Array.from(clipped.data.slice(6))).toEqual(new Array(12).fill(-1));
  });

  test('force_suppress suppresses across classes; nms_topk limits the sorted rows', () => {
    const twoClass = mx.nd.array([[[0.1, 0.1, 0.9], [0.8, 0.1, 0.05], [0.1, 0.8, 0.05]]]);
    const same = mx.nd._contrib_MultiBoxDetection(twoClass, zeros, anchors);
    expect(Array.from(same.data.slice(0, 12).filter((_, i) => i % 6 === 0))).toEqual([0, 1]);
    const forced = mx.nd._contrib_MultiBoxDetection(twoClass, zeros, anchors, { force_suppress: true });
    expect(Array.from(forced.data.slice(0, 12).filter((_, i) => i % 6 === 0))).toEqual([0, -1]);
  });

  test('seeded batches with nms_topk match a float64 reference (rows past nms_topk stay in anchor order, as MXNet leaves them)', () => {
    const [batches, classes, n] = [2, 4, 30];
    const anchorArr = (mx.nd.random.uniform(0, 0.7, [n, 2]).toArray() as number[][]).map(([x, y]) => [x!, y!, x! + 0.3, y! + 0.25]);
    const probs = mx.nd.random.uniform(0, 1, [batches, classes, n]);
    const loc = mx.nd.random.uniform(-0.5, 0.5, [batches, n * 4]);
    const params = { threshold: 0.3, nms_threshold: 0.4, nms_topk: 6, clip: true };
    const out = mx.nd._contrib_MultiBoxDetection(probs, loc, mx.nd.array([anchorArr]), params);
    const p = probs.toArray() as number[][][];
    const l = loc.toArray() as number[][];
    const a32 = (mx.nd.array(anchorArr).toArray() as number[][]);
    const expected: number[] = [];
    for (let b = 0; b < batches; b++) {
      const valid: number[][] = [];
      for (let i = 0; i < n; i++) {
        let id = 0;
        let score = -1;
        for (let c = 1; c < classes; c++) if (p[b]![c]![i]! > score) [score, id] = [p[b]![c]![i]!, c];
        if (score < 0.3) continue;
        const [x1, y1, x2, y2] = a32[i]! as [number, number, number, number];
        const [aw, ah, ax, ay] = [x2 - x1, y2 - y1, (x1 + x2) / 2, (y1 + y2) / 2];
        const d = l[b]!.slice(i * 4, i * 4 + 4) as [number, number, number, number];
        const [cx, cy, hw, hh] = [d[0] * 0.1 * aw + ax, d[1] * 0.1 * ah + ay, Math.exp(d[2] * 0.2) * aw / 2, Math.exp(d[3] * 0.2) * ah / 2];
        valid.push([id - 1, score, ...[cx - hw, cy - hh, cx + hw, cy + hh].map((v) => Math.min(Math.max(v, 0), 1))]);
      }
      const sorted = valid.map((r, i) => [r, i] as const).sort((x, y) => y[0][1]! - x[0][1]! || x[1] - y[1]).map(([r]) => r);
      const rows = [...sorted.slice(0, 6), ...valid.slice(6)].map((r) => r.slice());
      for (let i = 0; i < rows.length; i++) {
        if (rows[i]![0]! < 0) continue;
        for (let j = i + 1; j < rows.length; j++) {
          if (rows[j]![0]! < 0 || rows[i]![0] !== rows[j]![0]) continue;
          const [pi, pj] = [rows[i]!.slice(2), rows[j]!.slice(2)] as [number[], number[]];
          const iw = Math.max(0, Math.min(pi[2]!, pj[2]!) - Math.max(pi[0]!, pj[0]!));
          const ih = Math.max(0, Math.min(pi[3]!, pj[3]!) - Math.max(pi[1]!, pj[1]!));
          const u = (pi[2]! - pi[0]!) * (pi[3]! - pi[1]!) + (pj[2]! - pj[0]!) * (pj[3]! - pj[1]!) - iw * ih;
          if ((u <= 0 ? 0 : (iw * ih) / u) >= 0.4) rows[j]![0] = -1;
        }
      }
      while (rows.length < n) rows.push(new Array(6).fill(-1));
      expected.push(...rows.flat());
    }
    mx.testUtils.assertAlmostEqual(out.data, expected, { rtol: 1e-5, atol: 1e-5 });
  });

  test('shapes, errors and no-gradient', () => {
    const s = mx.sym._contrib_MultiBoxDetection(mx.sym.Variable('c'), mx.sym.Variable('l'), mx.sym.Variable('a'), { name: 'det' });
    expect(s.inferShape({ c: [2, 4, 5], l: [2, 20], a: [1, 5, 4] }).outShapes).toEqual([[2, 5, 6]]);
    expect(() => s.inferShape({ c: [2, 4, 5], l: [2, 16], a: [1, 5, 4] })).toThrow("_contrib_MultiBoxDetection 'det': loc_pred shape [2,16] must be (batch, 20): 4 offsets per anchor");
    expect(() => mx.nd._contrib_MultiBoxDetection(probs, zeros, anchors, { variances: [1, 1] })).toThrow(/variances \(1, 1\) must have 4 entries/);
    const exec = s.bind(mx.cpu(), { c: probs, l: zeros, a: anchors }, { gradReq: 'write' });
    exec.forward(true);
    exec.backward([mx.nd.ones([1, 3, 6])]);
    expect(Array.from(exec.gradDict['l']!.data)).toEqual(new Array(12).fill(0));
  });
});
