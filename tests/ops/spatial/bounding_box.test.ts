/**
 * _contrib_box_nms (alias _contrib_box_non_maximum_suppression), _contrib_box_iou,
 * _contrib_bipartite_matching, _contrib_box_encode, _contrib_box_decode: MXNet docstring examples
 * (forward and backward), float64 references on seeded boxes (as test_contrib_operator.py's
 * test_box_nms_op / test_box_iou_op / test_bipartite_matching_op / test_box_encode_op /
 * test_box_decode_op compare against numpy), gradient rules and errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { boxNmsOp } from '../../../src/ops/spatial/box_nms';
import { describeEachBackend, testContext } from '../../helpers/backends';

const EXACT = { rtol: 0, atol: 0 };
const F32 = { rtol: 1e-5, atol: 1e-6 };

/** Float64 IoU of two boxes in corner or center encoding. */
function iouRef(a: number[], b: number[], center: boolean): number {
  const corner = (x: number[]) => (center ? [x[0]! - x[2]! / 2, x[1]! - x[3]! / 2, x[0]! + x[2]! / 2, x[1]! + x[3]! / 2] : x);
  const [a0, a1, a2, a3] = corner(a) as [number, number, number, number];
  const [b0, b1, b2, b3] = corner(b) as [number, number, number, number];
  const iw = Math.max(Math.min(a2, b2) - Math.max(a0, b0), 0);
  const ih = Math.max(Math.min(a3, b3) - Math.max(a1, b1), 0);
  const area = (w: number, h: number) => (w < 0 || h < 0 ? 0 : w * h);
  const inter = iw * ih;
  return inter <= 0 ? 0 : inter / (area(a2 - a0, a3 - a1) + area(b2 - b0, b3 - b1) - inter);
}

interface NmsParams { overlap_thresh: number; valid_thresh: number; topk: number; coord_start: number; score_index: number; id_index: number; force_suppress: boolean; background_id?: number }

/** Float64 greedy NMS on one batch of rows (textbook form: sort, keep, suppress the rest). */
function nmsRef(rows: number[][], p: NmsParams): { out: number[][]; kept: number[] } {
  const bg = p.background_id ?? -1;
  const valid = rows.map((r, i) => [r, i] as const).filter(([r]) => r[p.score_index]! > p.valid_thresh && (p.id_index < 0 || r[p.id_index] !== bg));
  valid.sort((a, b) => b[0][p.score_index]! - a[0][p.score_index]! || a[1] - b[1]);
  const cand = p.topk < 0 ? valid : valid.slice(0, p.topk);
  const kept: number[] = [];
  const alive = cand.map(() => true);
  cand.forEach(([r], i) => {
    if (!alive[i]) return;
    kept.push(cand[i]![1]);
    for (let j = i + 1; j < cand.length; j++) {
      const q = cand[j]![0];
      if (!p.force_suppress && p.id_index >= 0 && r[p.id_index] !== q[p.id_index]) continue;
      const box = (x: readonly number[]) => x.slice(p.coord_start, p.coord_start + 4);
      if (iouRef(box(r), box(q), false) > p.overlap_thresh) alive[j] = false;
    }
  });
  const width = rows[0]!.length;
  const out = kept.map((k) => rows[k]!.slice());
  while (out.length < rows.length) out.push(new Array(width).fill(-1));
  return { out, kept };
}

const DOC_X = [[0, 0.5, 0.1, 0.1, 0.2, 0.2], [1, 0.4, 0.1, 0.1, 0.2, 0.2], [0, 0.3, 0.1, 0.1, 0.14, 0.14], [2, 0.6, 0.5, 0.5, 0.7, 0.8]];
const DOC_PARAMS = { overlap_thresh: 0.1, coord_start: 2, score_index: 1, id_index: 0, force_suppress: true, in_format: 'corner', out_format: 'corner' } as const;

beforeEach(() => mx.random.seed(23));

describeEachBackend('_contrib_box_nms', () => {
  test('MXNet docstring: forward keeps [2, 0.6, ...] and [0, 0.5, ...], fills -1; backward moves gradients to the source rows', () => {
    const out = mx.nd._contrib_box_nms(mx.nd.array(DOC_X), DOC_PARAMS);
    mx.testUtils.assertAlmostEqual(out, [[2, 0.6, 0.5, 0.5, 0.7, 0.8], [0, 0.5, 0.1, 0.1, 0.2, 0.2], new Array(6).fill(-1), new Array(6).fill(-1)], F32);
    const s = mx.sym._contrib_box_nms(mx.sym.Variable('x'), DOC_PARAMS);
    const outGrad = [0.1, 0.2, 0.3, 0.4].map((v) => new Array(6).fill(v));
    mx.testUtils.checkSymbolicBackward(s, { x: DOC_X }, [outGrad], { x: [new Array(6).fill(0.2), new Array(6).fill(0), new Array(6).fill(0), new Array(6).fill(0.1)] }, F32);
    expect(mx.nd._contrib_box_non_maximum_suppression(mx.nd.array(DOC_X), DOC_PARAMS).data).toEqual(out.data);
  });

  test('the hidden output records source rows (flat over batches); symbols show one output', () => {
    const s = mx.sym._contrib_box_nms(mx.sym.Variable('x'), { ...DOC_PARAMS, name: 'nms' });
    expect(s.listOutputs()).toEqual(['nms_output']);
    const x = mx.nd.array([DOC_X, DOC_X]);
    const params = boxNmsOp.params;
    const p = Object.fromEntries(Object.entries(params).map(([k, spec]) => [k, k in DOC_PARAMS ? spec.parse((DOC_PARAMS as Record<string, unknown>)[k], { op: 'test' }) : spec.default]));
    const out = mx.nd.zeros([2, 4, 6]);
    const record = mx.nd.zeros([2, 4, 1]);
    boxNmsOp.forward(p as never, [x], [out, record], ['write', 'write'], testContext(false, boxNmsOp.workspace!(p as never, [x.shape])));
    expect(Array.from(record.data)).toEqual([3, 0, -1, -1, 7, 4, -1, -1]);
  });

  test.each([
    ['class-aware, topk 8', { overlap_thresh: 0.3, valid_thresh: 0.1, topk: 8, coord_start: 2, score_index: 1, id_index: 0, force_suppress: false }],
    ['force_suppress, no topk', { overlap_thresh: 0.5, valid_thresh: 0, topk: -1, coord_start: 2, score_index: 1, id_index: 0, force_suppress: true }],
    ['no ids, score last, coords first', { overlap_thresh: 0.2, valid_thresh: 0.3, topk: -1, coord_start: 0, score_index: 4, id_index: -1, force_suppress: false }],
    ['background id 1 ignored', { overlap_thresh: 0.4, valid_thresh: 0, topk: 5, coord_start: 2, score_index: 1, id_index: 0, force_suppress: false, background_id: 1 }],
  ])('seeded batches (%s) match the float64 reference', (_name, p: NmsParams) => {
    const batches = 3;
    const n = 20;
    const rows: number[][][] = [];
    for (let b = 0; b < batches; b++) {
      const u = mx.nd.random.uniform(0, 1, [n, 6]).toArray() as number[][];
      rows.push(u.map((r) => {
        const x0 = r[2]! * 0.6;
        const y0 = r[3]! * 0.6;
        const box = [x0, y0, x0 + 0.1 + r[4]! * 0.4, y0 + 0.1 + r[5]! * 0.4].map(Math.fround);
        const id = Math.floor(r[0]! * 3);
        const score = Math.fround(r[1]!);
        return p.coord_start === 0 ? [...box, score, id] : [id, score, ...box];
      }));
    }
    const out = mx.nd._contrib_box_nms(mx.nd.array([rows]), p as unknown as Record<string, unknown>);
    expect(out.shape).toEqual([1, batches, n, 6]);
    const expected = rows.flatMap((r) => nmsRef(r, p).out);
    mx.testUtils.assertAlmostEqual(out.data, expected.flat(), EXACT);
  });

  test('in_format center to out_format corner converts kept rows only; topk 0 copies the input', () => {
    const x = [[0.9, 0.5, 0.5, 0.2, 0.4], [0.8, 0.52, 0.5, 0.2, 0.4], [0.7, 0.1, 0.1, 0.1, 0.1]];
    const out = mx.nd._contrib_box_nms(mx.nd.array(x), { coord_start: 1, score_index: 0, in_format: 'center', out_format: 'corner' });
    mx.testUtils.assertAlmostEqual(out, [[0.9, 0.4, 0.3, 0.6, 0.7], [0.7, 0.05, 0.05, 0.15, 0.15], [-1, -1, -1, -1, -1]], F32);
    const back = mx.nd._contrib_box_nms(mx.nd.array([[0.9, 0.4, 0.3, 0.6, 0.7]]), { coord_start: 1, score_index: 0, out_format: 'center' });
    mx.testUtils.assertAlmostEqual(back, [[0.9, 0.5, 0.5, 0.2, 0.4]], F32);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_box_nms(mx.nd.array(x), { coord_start: 1, score_index: 0, topk: 0 }), mx.nd.array(x), EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_box_nms(mx.nd.array(x), { coord_start: 1, score_index: 0, valid_thresh: 0.95 }), x.map(() => new Array(5).fill(-1)), EXACT);
  });

  test("gradient with gradReq 'add' accumulates the moved head gradient", () => {
    const s = mx.sym._contrib_box_nms(mx.sym.Variable('x'), DOC_PARAMS);
    const x = mx.nd.array(DOC_X);
    const grad = mx.nd.ones([4, 6]);
    const exec = s.bind(mx.cpu(), { x }, { argsGrad: { x: grad }, gradReq: 'add' });
    exec.forward(true);
    exec.backward([mx.nd.full([4, 6], 0.5)]);
    mx.testUtils.assertAlmostEqual(grad, [new Array(6).fill(1.5), new Array(6).fill(1), new Array(6).fill(1), new Array(6).fill(1.5)], F32);
  });

  test('property: output keeps the input shape, valid rows first with non-increasing scores, kept same-class boxes overlap <= overlap_thresh', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.boolean(), (n, thresh, force) => {
      const raw = mx.nd.random.uniform(0, 1, [n, 6]).toArray() as number[][];
      const rows = raw.map((r) => [Math.floor(r[0]! * 2), r[1]!, r[2]! * 0.5, r[3]! * 0.5, r[2]! * 0.5 + 0.1 + r[4]! * 0.5, r[3]! * 0.5 + 0.1 + r[5]! * 0.5]);
      const params = { overlap_thresh: thresh, id_index: 0, force_suppress: force };
      const out = mx.nd._contrib_box_nms(mx.nd.array(rows), params);
      expect(out.shape).toEqual([n, 6]);
      const kept = (out.toArray() as number[][]).filter((r) => r[1] !== -1);
      expect((out.toArray() as number[][]).slice(kept.length).every((r) => r.every((v) => v === -1))).toBe(true);
      kept.forEach((r, i) => {
        if (i > 0) expect(r[1]!).toBeLessThanOrEqual(kept[i - 1]![1]!);
        for (const q of kept.slice(i + 1)) {
          if (force || q[0] === r[0]) expect(iouRef(r.slice(2), q.slice(2), false)).toBeLessThanOrEqual(Math.fround(thresh) + 1e-6);
        }
      });
    }), { numRuns: 40 });
  });

  test('errors: rows too narrow, score inside the coordinates, id equal to score', () => {
    const infer = (p: Record<string, unknown>, shape: number[]) => mx.sym._contrib_box_nms(mx.sym.Variable('x'), { name: 'n', ...p }).inferShape({ x: shape });
    expect(() => infer({}, [3, 4])).toThrow("_contrib_box_nms 'n': data rows have 4 values, need at least 5 (score and 4 coordinates)");
    expect(() => infer({ score_index: 3 }, [3, 6])).toThrow(/score_index 3 overlaps the coordinates \[2, 5\]/);
    expect(() => infer({ id_index: 1 }, [3, 6])).toThrow(/id_index 1 is also the score_index/);
    expect(() => infer({}, [6])).toThrow(mx.ShapeError);
    expect(infer({}, [2, 3, 7, 6]).outShapes).toEqual([[2, 3, 7, 6]]);
  });
});

describeEachBackend('_contrib_box_iou', () => {
  test('MXNet docstring: both boxes overlap the query by 1/7', () => {
    const out = mx.nd._contrib_box_iou(mx.nd.array([[0.5, 0.5, 1.0, 1.0], [0.0, 0.0, 0.5, 0.5]]), mx.nd.array([[0.25, 0.25, 0.75, 0.75]]), { format: 'corner' });
    mx.testUtils.assertAlmostEqual(out, [[1 / 7], [1 / 7]], F32);
  });

  test('seeded (2, 3, 4) x (5, 4) boxes in both formats match the float64 reference; output (2, 3, 5)', () => {
    const lhs = mx.nd.random.uniform(0, 1, [2, 3, 4]);
    const rhs = mx.nd.random.uniform(0, 1, [5, 4]);
    for (const format of ['corner', 'center'] as const) {
      const out = mx.nd._contrib_box_iou(lhs, rhs, { format });
      expect(out.shape).toEqual([2, 3, 5]);
      const l = (lhs.toArray() as number[][][]).flat();
      const r = rhs.toArray() as number[][];
      mx.testUtils.assertAlmostEqual(out.data, l.flatMap((a) => r.map((b) => iouRef(a, b, format === 'center'))), { rtol: 1e-5, atol: 1e-6 });
    }
  });

  test('property: IoU is symmetric, 1 on identical boxes with area, within [0, 1]', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), (m, n) => {
      const corner = (k: number) => mx.nd.array((mx.nd.random.uniform(0, 1, [k, 4]).toArray() as number[][]).map(([a, b, c, d]) => [a!, b!, a! + c!, b! + d!]));
      const [a, b] = [corner(m), corner(n)];
      const ab = mx.nd._contrib_box_iou(a, b).toArray() as number[][];
      const ba = mx.nd._contrib_box_iou(b, a).toArray() as number[][];
      ab.forEach((row, i) => row.forEach((v, j) => {
        expect(v).toBeCloseTo(ba[j]![i]!, 6);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1 + 1e-6);
      }));
      const self = mx.nd._contrib_box_iou(a, a).toArray() as number[][];
      self.forEach((row, i) => expect(row[i]!).toBeCloseTo(1, 5));
    }), { numRuns: 25 });
  });

  test('no gradient flows (MXNet back-propagates zeros): binding through it leaves zero gradients', () => {
    const s = mx.sym._contrib_box_iou(mx.sym.Variable('a'), mx.sym.Variable('b'));
    const exec = s.bind(mx.cpu(), { a: mx.nd.random.uniform(0, 1, [2, 4]), b: mx.nd.random.uniform(0, 1, [3, 4]) }, { gradReq: 'write' });
    exec.forward(true);
    exec.backward([mx.nd.ones([2, 3])]);
    expect(Array.from(exec.gradDict['a']!.data)).toEqual(new Array(8).fill(0));
  });

  test('errors: last dimension not 4', () => {
    expect(() => mx.sym._contrib_box_iou(mx.sym.Variable('a'), mx.sym.Variable('b'), { name: 'iou' }).inferShape({ a: [2, 4], b: [3, 5] }))
      .toThrow("_contrib_box_iou 'iou': rhs shape [3,5] must have at least 2 dims and 4 coordinates last");
  });
});

describeEachBackend('_contrib_bipartite_matching', () => {
  test('MXNet docstring: rows match columns [1, -1, 0], columns match rows [2, 0]', () => {
    const [x, y] = mx.nd._contrib_bipartite_matching(mx.nd.array([[0.5, 0.6], [0.1, 0.2], [0.3, 0.4]]), { threshold: 1e-12, is_ascend: false });
    expect(Array.from(x!.data)).toEqual([1, -1, 0]);
    expect(Array.from(y!.data)).toEqual([2, 0]);
  });

  test('is_ascend matches lowest first; threshold stops matching; topk k allows k + 1 pairs as MXNet', () => {
    const s = mx.nd.array([[[0.5, 0.6], [0.1, 0.2], [0.3, 0.4]]]);
    const [ax, ay] = mx.nd._contrib_bipartite_matching(s, { threshold: 0.35, is_ascend: true });
    expect(Array.from(ax!.data)).toEqual([-1, 0, -1]); // 0.4 is the first free pair failing < 0.35: matching stops
    expect(Array.from(ay!.data)).toEqual([1, -1]);
    const [tx] = mx.nd._contrib_bipartite_matching(s, { threshold: 0.45 });
    expect(Array.from(tx!.data)).toEqual([1, -1, -1]);
    const big = mx.nd.array([[0.9, 0, 0], [0, 0.8, 0], [0, 0, 0.7]]);
    expect(Array.from((mx.nd._contrib_bipartite_matching(big, { threshold: 0.1, topk: 1 }) as mx.NDArray[])[0]!.data)).toEqual([0, 1, -1]);
  });

  test('seeded batches match a float64 greedy reference; outputs (B, N) and (B, M)', () => {
    const scores = mx.nd.random.uniform(0, 1, [3, 5, 4]);
    const [rows, cols] = mx.nd._contrib_bipartite_matching(scores, { threshold: 0.2 });
    expect(rows!.shape).toEqual([3, 5]);
    expect(cols!.shape).toEqual([3, 4]);
    (scores.toArray() as number[][][]).forEach((m, b) => {
      const cells = m.flatMap((row, r) => row.map((v, c) => ({ v, r, c, k: r * 4 + c }))).sort((a, z) => z.v - a.v || a.k - z.k);
      const rm = new Array(5).fill(-1);
      const cm = new Array(4).fill(-1);
      for (const { v, r, c } of cells) {
        if (rm[r] !== -1 || cm[c] !== -1) continue;
        if (!(v > 0.2)) break;
        rm[r] = c;
        cm[c] = r;
      }
      expect(Array.from(rows!.data.slice(b * 5, b * 5 + 5))).toEqual(rm);
      expect(Array.from(cols!.data.slice(b * 4, b * 4 + 4))).toEqual(cm);
    });
  });

  test('errors: threshold is required; data needs 2 dims', () => {
    // @ts-expect-error threshold is required
    expect(() => mx.nd._contrib_bipartite_matching(mx.nd.ones([2, 2]))).toThrow(mx.ParamError);
    expect(() => mx.nd._contrib_bipartite_matching(mx.nd.ones([2]), { threshold: 0 })).toThrow(mx.ShapeError);
  });
});

describeEachBackend('_contrib_box_encode and _contrib_box_decode', () => {
  const corners = (n: number) => (mx.nd.random.uniform(0, 1, [n, 4]).toArray() as number[][]).map(([a, b, c, d]) => [a! * 0.5, b! * 0.5, a! * 0.5 + 0.1 + c! * 0.4, b! * 0.5 + 0.1 + d! * 0.4]);

  test('encode matches the float64 formula; masks mark samples > 0.5; other rows are 0', () => {
    const anchors = [corners(4), corners(4)];
    const refs = [corners(3), corners(3)];
    const samples = [[1, 0, 1, -1], [0, 1, 1, 1]];
    const matches = [[2, 0, 1, 0], [1, 2, 0, 2]];
    const means = [0.1, -0.1, 0.05, 0];
    const stds = [0.1, 0.1, 0.2, 0.2];
    const [targets, masks] = mx.nd._contrib_box_encode(mx.nd.array(samples), mx.nd.array(matches), mx.nd.array(anchors), mx.nd.array(refs), mx.nd.array(means), mx.nd.array(stds));
    const expT: number[] = [];
    const expM: number[] = [];
    const a32 = (mx.nd.array(anchors).toArray() as number[][][]);
    const r32 = (mx.nd.array(refs).toArray() as number[][][]);
    samples.forEach((row, b) => row.forEach((s, i) => {
      if (s <= 0.5) {
        expT.push(0, 0, 0, 0);
        expM.push(0, 0, 0, 0);
        return;
      }
      const [ax0, ay0, ax1, ay1] = a32[b]![i]! as [number, number, number, number];
      const [rx0, ry0, rx1, ry1] = r32[b]![matches[b]![i]!]! as [number, number, number, number];
      const [aw, ah, rw, rh] = [ax1 - ax0, ay1 - ay0, rx1 - rx0, ry1 - ry0];
      expT.push(((rx0 + rw / 2 - ax0 - aw / 2) / aw - means[0]!) / stds[0]!, ((ry0 + rh / 2 - ay0 - ah / 2) / ah - means[1]!) / stds[1]!,
        (Math.log(rw / aw) - means[2]!) / stds[2]!, (Math.log(rh / ah) - means[3]!) / stds[3]!);
      expM.push(1, 1, 1, 1);
    }));
    mx.testUtils.assertAlmostEqual(targets!.data, expT, { rtol: 1e-4, atol: 1e-5 });
    mx.testUtils.assertAlmostEqual(masks!.data, expM, EXACT);
  });

  test('decode inverts encode (center anchors), corner anchors, clip bounds the size offsets; mx.sym agrees', () => {
    const anchorsCorner = corners(5);
    const anchorsCenter = anchorsCorner.map(([a, b, c, d]) => [(a! + c!) / 2, (b! + d!) / 2, c! - a!, d! - b!]);
    const x = mx.nd.random.uniform(-1, 1, [2, 5, 4]);
    const stds = { std0: 0.1, std1: 0.2, std2: 0.3, std3: 0.4 };
    const ref = (clip: number) => (x.toArray() as number[][][]).flatMap((rows) => rows.flatMap((d, i) => {
      const [ax, ay, aw, ah] = anchorsCenter[i]! as [number, number, number, number];
      const cx = d[0]! * 0.1 * aw + ax;
      const cy = d[1]! * 0.2 * ah + ay;
      const w = Math.exp(clip > 0 ? Math.min(d[2]! * 0.3, clip) : d[2]! * 0.3) * aw / 2;
      const h = Math.exp(clip > 0 ? Math.min(d[3]! * 0.4, clip) : d[3]! * 0.4) * ah / 2;
      return [cx - w, cy - h, cx + w, cy + h];
    }));
    const tol = { rtol: 1e-4, atol: 1e-5 };
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_box_decode(x, mx.nd.array([anchorsCenter]), stds).data, ref(-1), tol);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_box_decode(x, mx.nd.array([anchorsCorner]), { ...stds, format: 'corner' }).data, ref(-1), tol);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_box_decode(x, mx.nd.array([anchorsCenter]), { ...stds, clip: 0.05 }).data, ref(0.05), tol);
    const s = mx.sym._contrib_box_decode(mx.sym.Variable('d'), mx.sym.Variable('a'), stds);
    mx.testUtils.assertAlmostEqual(s.bind(mx.cpu(), { d: x, a: mx.nd.array([anchorsCenter]) }, { gradReq: 'null' }).forward()[0]!.data, ref(-1), tol);
  });

  test('no gradient: binding a gradient through box_decode fails as MXNet has no FGradient', () => {
    const s = mx.sym._contrib_box_decode(mx.sym.Variable('d'), mx.sym.Variable('a'));
    expect(() => s.bind(mx.cpu(), { d: mx.nd.ones([1, 2, 4]), a: mx.nd.ones([1, 2, 4]) }, { gradReq: 'write' })).toThrow(mx.GradientError);
  });

  test('shapes: encode outputs the anchors shape and fills means/stds (4); decode errors on mismatched anchors', () => {
    const v = (n: string) => mx.sym.Variable(n);
    const enc = mx.sym._contrib_box_encode(v('s'), v('m'), v('a'), v('r'), v('mu'), v('sd'));
    const { argShapes, outShapes } = enc.inferShapePartial({ s: [2, 7], m: [2, 7], a: [2, 7, 4], r: [2, 3, 4] });
    expect(outShapes).toEqual([[2, 7, 4], [2, 7, 4]]);
    expect(argShapes.slice(4)).toEqual([[4], [4]]);
    expect(() => mx.sym._contrib_box_decode(v('d'), v('a'), { name: 'dec' }).inferShape({ d: [2, 5, 4], a: [1, 4, 4] }))
      .toThrow("_contrib_box_decode 'dec': anchors shape [1,4,4] must hold 5 anchors, one per box of data [2,5,4]");
  });
});
