/**
 * SSD-300 VGG16-reduced deploy graph (see ssd_vgg16.ts for the public files it mirrors):
 * L2Normalization + MultiBoxPrior on six feature maps, SoftmaxActivation and MultiBoxDetection.
 * Shapes are checked on the published widths at 300x300; forward passes divide every channel
 * count by 16 (reduced for speed) and keep the 300x300 input, so the anchors are the real ones.
 */
import * as mx from 'mxts';
import type { Executor } from '../../src/executor/executor';
import type { Symbol as Sym } from '../../src/symbol/symbol';
import { describeEachBackend } from '../helpers/backends';
import { allFinite, bindWithRandomWeights, expectJsonRoundTrip } from './model_harness';
import { SSD_300, ssdVgg16_300 } from './ssd_vgg16';

const DATA = [1, 3, 300, 300];
/** Feature maps 38, 19, 10, 5, 3, 1 with 4, 6, 6, 6, 4, 4 anchors per cell: SSD-300's 8732 boxes. */
const MAPS = [38, 19, 10, 5, 3, 1];
const ANCHORS_PER_CELL = SSD_300.sizes.map((s, k) => s.length - 1 + SSD_300.ratios[k]!.length);
const NUM_ANCHORS = MAPS.reduce((sum, m, k) => sum + m * m * ANCHORS_PER_CELL[k]!, 0);

function internalShapes(net: Sym, names: string[]): unknown[] {
  const internals = net.getInternals();
  const { outShapes } = internals.inferShape({ data: DATA });
  const outputs = internals.listOutputs();
  return names.map((n) => outShapes[outputs.indexOf(`${n}_output`)]!);
}

describe('SSD-300 VGG16-reduced graph', () => {
  const net = ssdVgg16_300();

  test('anchor count is the published 8732', () => {
    expect(ANCHORS_PER_CELL).toEqual([4, 6, 6, 6, 4, 4]);
    expect(NUM_ANCHORS).toBe(8732);
  });

  test('round-trips through toJSON / fromJSON', () => expectJsonRoundTrip(net));

  test('infers (1, 8732, 6) detections from data (1, 3, 300, 300)', () => {
    expect(net.listOutputs()).toEqual(['detection_output']);
    expect(net.inferShape({ data: DATA }).outShapes).toEqual([[1, 8732, 6]]);
    expect(internalShapes(net, ['relu4_3', 'relu7', 'multi_feat_2_conv_3x3_relu', 'multi_feat_3_conv_3x3_relu',
      'multi_feat_4_conv_3x3_relu', 'multi_feat_5_conv_3x3_relu'])).toEqual([
      [1, 512, 38, 38], [1, 1024, 19, 19], [1, 512, 10, 10], [1, 256, 5, 5], [1, 256, 3, 3], [1, 256, 1, 1]]);
    expect(internalShapes(net, ['relu4_3_anchors', 'multibox_anchors', 'multibox_cls_pred', 'multibox_loc_pred', 'cls_prob']))
      .toEqual([[1, 5776, 4], [1, 8732, 4], [1, 21, 8732], [1, 8732 * 4], [1, 21, 8732]]);
    expect(net.inferShape({ data: DATA }).argShapes[net.listArguments().indexOf('relu4_3_scale')]).toEqual([1, 512, 1, 1]);
  });

  test('the JSON carries the example\'s operator parameters', () => {
    const doc = JSON.parse(net.toJSON()) as { nodes: Array<{ op: string; name: string; attrs?: Record<string, string> }> };
    const node = (name: string) => doc.nodes.find((n) => n.name === name)!;
    expect(node('detection').op).toBe('_contrib_MultiBoxDetection');
    expect(node('relu4_3_anchors').op).toBe('_contrib_MultiBoxPrior');
    expect(node('relu4_3_norm')).toMatchObject({ op: 'L2Normalization', attrs: { mode: 'channel' } });
    expect(node('pool3').attrs).toMatchObject({ pooling_convention: 'full' });
    expect(node('fc6').attrs).toMatchObject({ dilate: '(6, 6)', pad: '(6, 6)' });
    expect(doc.nodes.filter((n) => n.op === '_contrib_MultiBoxPrior')).toHaveLength(6);
  });
});

/**
 * Seeded weights, with the class convolutions' background bias raised by 5 so that, as with a
 * trained detector, only some anchors clear MultiBoxDetection's 0.01 threshold (every anchor
 * passing would make its all-pairs NMS the slow part of the test).
 */
function bindSsd(net: Sym): Executor {
  const exec = bindWithRandomWeights(net, { data: DATA }, 7, ['data']);
  exec.argDict['data']!.set(mx.nd.uniform(0, 1, DATA));
  for (const [name, bias] of Object.entries(exec.argDict)) {
    if (!name.endsWith('_cls_pred_conv_bias')) continue;
    for (let c = 0; c < bias.size; c += 21) bias.data[c] = bias.data[c]! + 5;
  }
  return exec;
}

describeEachBackend('SSD-300 VGG16-reduced forward (channels / 16)', () => {
  const net = ssdVgg16_300(16);
  let rows: Float32Array;
  beforeAll(() => {
    const [det] = bindSsd(net).forward(false);
    expect(det!.shape).toEqual([1, 8732, 6]);
    rows = det!.data;
  });

  test('detections: (1, 8732, 6) rows [class, score, xmin, ymin, xmax, ymax] or class -1', () => {
    expect(allFinite(rows)).toBe(true);
    let kept = 0;
    for (let i = 0; i < 8732; i++) {
      const [cls, score, x0, y0, x1, y1] = Array.from(rows.subarray(i * 6, i * 6 + 6));
      if (cls === -1) continue;
      kept++;
      expect(Number.isInteger(cls) && cls! >= 0 && cls! < 20).toBe(true);
      expect(score).toBeGreaterThanOrEqual(0.01); // the default threshold
      expect(score).toBeLessThanOrEqual(1);
      for (const v of [x0!, y0!, x1!, y1!]) expect(v >= 0 && v <= 1).toBe(true); // clip defaults to true
      expect(x0! <= x1! && y0! <= y1!).toBe(true);
    }
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(8732);
  });

  test('the best nms_topk rows are sorted by score and survivors of one class overlap less than nms_threshold', () => {
    const scores: number[] = [];
    for (let i = 0; i < 400; i++) if (rows[i * 6]! >= 0) scores.push(rows[i * 6 + 1]!);
    for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeLessThanOrEqual(scores[i - 1]!);
    const iou = (a: number, b: number) => {
      const w = Math.max(0, Math.min(rows[a + 4]!, rows[b + 4]!) - Math.max(rows[a + 2]!, rows[b + 2]!));
      const h = Math.max(0, Math.min(rows[a + 5]!, rows[b + 5]!) - Math.max(rows[a + 3]!, rows[b + 3]!));
      const area = (r: number) => (rows[r + 4]! - rows[r + 2]!) * (rows[r + 5]! - rows[r + 3]!);
      const union = area(a) + area(b) - w * h;
      return union <= 0 ? 0 : (w * h) / union;
    };
    for (let i = 0; i < 400; i++) {
      if (rows[i * 6]! < 0) continue;
      for (let j = i + 1; j < 400; j++) {
        if (rows[j * 6] === rows[i * 6]) expect(iou(i * 6, j * 6)).toBeLessThan(0.5 + 1e-6);
      }
    }
  });

  test('anchors and class probabilities (internals)', () => {
    const probe = net.getInternals();
    const group = mx.sym.Group([probe.get('multibox_anchors_output'), probe.get('cls_prob_output')]);
    const [anchors, prob] = bindSsd(group).forward(false) as [mx.NDArray, mx.NDArray];
    // first anchor: cell (0, 0) of the 38x38 map, centre 0.5 * 8/300, size 0.1, ratio 1 (clip false)
    const c = 0.5 * (8 / 300);
    mx.testUtils.assertAlmostEqual(Array.from(anchors.data.subarray(0, 4)), [c - 0.05, c - 0.05, c + 0.05, c + 0.05], { rtol: 1e-5, atol: 1e-6 });
    // last anchor: the 1x1 map's cell centre 0.5 (step 1), ratio 0.5: w = 0.88 * sqrt(0.5), h = 0.88 / sqrt(0.5)
    const w = 0.88 * Math.sqrt(0.5) / 2;
    const h = 0.88 / Math.sqrt(0.5) / 2;
    mx.testUtils.assertAlmostEqual(Array.from(anchors.data.subarray(8731 * 4)), [0.5 - w, 0.5 - h, 0.5 + w, 0.5 + h], { rtol: 1e-5, atol: 1e-6 });
    for (let a = 0; a < 8732; a += 97) {
      let sum = 0;
      for (let k = 0; k < 21; k++) sum += prob.data[k * 8732 + a]!;
      expect(sum).toBeCloseTo(1, 5);
    }
  });
});

test('SSD variables carry the example\'s initializers and multipliers', () => {
  const doc = JSON.parse(ssdVgg16_300().toJSON()) as { nodes: Array<{ name: string; attrs?: Record<string, string> }> };
  const attrs = (name: string) => doc.nodes.find((n) => n.name === name)!.attrs;
  expect(attrs('relu4_3_scale')).toMatchObject({ __shape__: '(1, 512, 1, 1)', __wd_mult__: '0.1' });
  expect(JSON.parse(attrs('relu4_3_scale')!['__init__']!)).toEqual(['constant', { value: 20 }]);
  expect(attrs('relu7_cls_pred_conv_bias')).toMatchObject({ __lr_mult__: '2.0' });
});
