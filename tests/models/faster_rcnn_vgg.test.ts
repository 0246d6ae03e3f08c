/**
 * Faster R-CNN VGG16 test graph (see faster_rcnn_vgg.ts for the public file it mirrors):
 * MultiProposal / Proposal + ROIPooling. Shapes are checked on the published widths at the
 * example's 600x1000 test scale; forward passes use 160x160 images and channels / 16 (reduced
 * for speed: a 10x10 feature map, 900 anchors, still 300 rois).
 */
import * as mx from 'mxts';
import type { Symbol as Sym } from '../../src/symbol/symbol';
import { describeEachBackend } from '../helpers/backends';
import { allFinite, bindWithRandomWeights, expectJsonRoundTrip } from './model_harness';
import { fasterRcnnVggTest, ProposalOp } from './faster_rcnn_vgg';

const PROPOSALS: ProposalOp[] = ['_contrib_MultiProposal', '_contrib_Proposal'];

describe('Faster R-CNN VGG16 test graph', () => {
  test.each(PROPOSALS)('with %s: outputs, JSON round trip, shapes at 600x1000', (proposal) => {
    const net = fasterRcnnVggTest(1, proposal);
    expect(net.listOutputs()).toEqual(['rois_output', 'cls_prob_reshape_output', 'bbox_pred_reshape_output']);
    expect(net.listArguments()).toContain('im_info');
    expectJsonRoundTrip(net);
    const { argShapes, outShapes } = net.inferShape({ data: [1, 3, 600, 1000], im_info: [1, 3] });
    expect(outShapes).toEqual([[300, 5], [1, 300, 21], [1, 300, 84]]);
    const args = net.listArguments();
    // conv5_3 is 37x62 (four 2x2 pools of 600x1000), ROIPooling makes 512 x 7 x 7 per roi
    expect(argShapes[args.indexOf('fc6_weight')]).toEqual([4096, 512 * 7 * 7]);
    expect(argShapes[args.indexOf('rpn_cls_score_weight')]).toEqual([18, 512, 1, 1]);
    expect(argShapes[args.indexOf('rpn_bbox_pred_weight')]).toEqual([36, 512, 1, 1]);
    const internals = net.getInternals();
    const inner = internals.inferShape({ data: [1, 3, 600, 1000], im_info: [1, 3] });
    const shapeOf = (name: string) => inner.outShapes[internals.listOutputs().indexOf(`${name}_output`)];
    expect(shapeOf('relu5_3')).toEqual([1, 512, 37, 62]);
    expect(shapeOf('rpn_cls_act_reshape')).toEqual([1, 18, 37, 62]);
    expect(shapeOf('roi_pool')).toEqual([300, 512, 7, 7]);
  });
});

const H = 160;
const W = 160;

function run(net: Sym, seed: number): { outputs: readonly mx.NDArray[]; exec: ReturnType<typeof bindWithRandomWeights> } {
  const exec = bindWithRandomWeights(net, { data: [1, 3, H, W], im_info: [1, 3] }, seed, ['data', 'im_info']);
  mx.random.seed(seed + 1);
  exec.argDict['data']!.set(mx.nd.uniform(0, 1, [1, 3, H, W]));
  exec.argDict['im_info']!.set([H, W, 1]);
  return { outputs: exec.forward(false), exec };
}

describeEachBackend('Faster R-CNN VGG16 forward (160x160, channels / 16)', () => {
  test('rois inside the image (or MXNet-widened tiny boxes), class probabilities sum to 1, Proposal agrees with MultiProposal', () => {
    const [multi, single] = PROPOSALS.map((p) => run(fasterRcnnVggTest(16, p), 21).outputs);
    const [rois, clsProb, bboxPred] = multi!;
    expect(rois!.shape).toEqual([300, 5]);
    expect(clsProb!.shape).toEqual([1, 300, 21]);
    expect(bboxPred!.shape).toEqual([1, 300, 84]);
    for (const out of multi!) expect(allFinite(out.data)).toBe(true);
    for (let r = 0; r < 300; r++) {
      const [b, x1, y1, x2, y2] = Array.from(rois!.data.subarray(r * 5, r * 5 + 5)) as [number, number, number, number, number];
      expect(b).toBe(0);
      expect(x1 <= x2 && y1 <= y2).toBe(true);
      if (r === 0 || !(x1 >= 0 && x2 <= W - 1 && y1 >= 0 && y2 <= H - 1)) {
        // MXNet clips every box to the image; a box left narrower than rpn_min_size is scored -1 and
        // widened by min_size / 2 on each side (proposal.cc FilterBox), so only those may stick out
        expect(r === 0 ? [x1 >= 0, x2 <= W - 1, y1 >= 0, y2 <= H - 1] : [x1 >= -8, x2 <= W - 1 + 8, y1 >= -8, y2 <= H - 1 + 8]).toEqual([true, true, true, true]);
        if (r > 0) expect(Math.min(x2 - x1, y2 - y1)).toBeLessThan(2 * 16);
      }
      let sum = 0;
      for (let k = 0; k < 21; k++) sum += clsProb!.data[r * 21 + k]!;
      expect(sum).toBeCloseTo(1, 5);
    }
    // same weights (same seed), one image: the single-image op gives the same rois and heads
    single!.forEach((out, i) => expect(Array.from(out.data)).toEqual(Array.from(multi![i]!.data)));
  });

  test('ROIPooling bins hold maxima of the (non-negative) shared feature map', () => {
    const internals = fasterRcnnVggTest(16).getInternals();
    const probe = mx.sym.Group([internals.get('relu5_3_output'), internals.get('roi_pool_output')]);
    const { outputs } = run(probe, 21);
    const [feat, pooled] = outputs as [mx.NDArray, mx.NDArray];
    expect(feat.shape).toEqual([1, 32, 10, 10]);
    expect(pooled.shape).toEqual([300, 32, 7, 7]);
    const plane = 100;
    for (let c = 0; c < 32; c++) {
      const channelMax = Math.max(...feat.data.subarray(c * plane, (c + 1) * plane));
      for (let r = 0; r < 300; r += 13) {
        for (let k = 0; k < 49; k++) {
          const v = pooled.data[(r * 32 + c) * 49 + k]!;
          expect(v >= 0 && v <= channelMax).toBe(true);
        }
      }
    }
  });
});
