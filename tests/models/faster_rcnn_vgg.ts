/**
 * Faster R-CNN VGG16 test graph, built with mx.sym. It mirrors apache/mxnet
 * `example/rcnn/symnet/symbol_vgg.py` (get_vgg_feature, get_vgg_top_feature, get_vgg_test) with the
 * defaults of that example's test script (anchor scales (8, 16, 32), ratios (0.5, 1, 2), feature
 * stride 16, pre/post NMS top-k 6000/300, NMS 0.7, min size 16, 21 classes, pooled size (7, 7),
 * batch 1). The file uses `_contrib_MultiProposal`; `proposal: '_contrib_Proposal'` builds the
 * single-image variant older versions of the example used (same parameters). `widthDivisor`
 * divides every channel / hidden count (1 = published network); tests use it for speed only.
 */
import * as mx from 'mxts';
import type { Symbol as Sym } from '../../src/symbol/symbol';

const S = mx.sym;

export const RCNN_TEST_CONFIG = {
  scales: [8, 16, 32], ratios: [0.5, 1, 2], featureStride: 16, preTopk: 6000, postTopk: 300, nmsThresh: 0.7,
  minSize: 16, numClasses: 21, pooledSize: [7, 7], batchSize: 1,
};

export type ProposalOp = '_contrib_MultiProposal' | '_contrib_Proposal';

function vggFeature(data: Sym, w: number): Sym {
  let x = data;
  const groups: Array<[number, number]> = [[2, 64], [2, 128], [3, 256], [3, 512], [3, 512]];
  groups.forEach(([layers, filters], g) => {
    for (let i = 1; i <= layers; i++) {
      const conv = S.Convolution(x, { kernel: [3, 3], pad: [1, 1], num_filter: filters / w, workspace: 2048, name: `conv${g + 1}_${i}` });
      x = S.Activation(conv, { act_type: 'relu', name: `relu${g + 1}_${i}` });
    }
    if (g < 4) x = S.Pooling(x, { pool_type: 'max', kernel: [2, 2], stride: [2, 2], name: `pool${g + 1}` });
  });
  return x;
}

function vggTopFeature(x: Sym, w: number): Sym {
  let y = S.Flatten(x, { name: 'flatten' });
  for (const i of [6, 7]) {
    y = S.FullyConnected(y, { num_hidden: 4096 / w, name: `fc${i}` });
    y = S.Activation(y, { act_type: 'relu', name: `relu${i}` });
    y = S.Dropout(y, { p: 0.5, name: `drop${i}` });
  }
  return y;
}

export function fasterRcnnVggTest(widthDivisor = 1, proposal: ProposalOp = '_contrib_MultiProposal'): Sym {
  const w = widthDivisor;
  const cfg = RCNN_TEST_CONFIG;
  const numAnchors = cfg.scales.length * cfg.ratios.length;
  const convFeat = vggFeature(S.Variable('data'), w);
  const rpnConv = S.Convolution(convFeat, { kernel: [3, 3], pad: [1, 1], num_filter: 512 / w, name: 'rpn_conv_3x3' });
  const rpnRelu = S.Activation(rpnConv, { act_type: 'relu', name: 'rpn_relu' });
  const rpnClsScore = S.Convolution(rpnRelu, { kernel: [1, 1], pad: [0, 0], num_filter: 2 * numAnchors, name: 'rpn_cls_score' });
  const rpnClsScoreReshape = S.Reshape(rpnClsScore, { shape: [0, 2, -1, 0], name: 'rpn_cls_score_reshape' });
  const rpnClsAct = S.softmax(rpnClsScoreReshape, { axis: 1, name: 'rpn_cls_act' });
  const rpnClsActReshape = S.Reshape(rpnClsAct, { shape: [0, 2 * numAnchors, -1, 0], name: 'rpn_cls_act_reshape' });
  const rpnBboxPred = S.Convolution(rpnRelu, { kernel: [1, 1], pad: [0, 0], num_filter: 4 * numAnchors, name: 'rpn_bbox_pred' });
  const rois = S[proposal]({
    cls_prob: rpnClsActReshape, bbox_pred: rpnBboxPred, im_info: S.Variable('im_info'), name: 'rois',
    feature_stride: cfg.featureStride, scales: cfg.scales, ratios: cfg.ratios, rpn_pre_nms_top_n: cfg.preTopk,
    rpn_post_nms_top_n: cfg.postTopk, threshold: cfg.nmsThresh, rpn_min_size: cfg.minSize,
  });
  const roiPool = S.ROIPooling({ name: 'roi_pool', data: convFeat, rois, pooled_size: cfg.pooledSize, spatial_scale: 1 / cfg.featureStride });
  const topFeat = vggTopFeature(roiPool, w);
  const clsScore = S.FullyConnected({ name: 'cls_score', data: topFeat, num_hidden: cfg.numClasses });
  const clsProb = S.softmax({ name: 'cls_prob', data: clsScore });
  const bboxPred = S.FullyConnected({ name: 'bbox_pred', data: topFeat, num_hidden: cfg.numClasses * 4 });
  return S.Group([
    rois,
    S.Reshape({ data: clsProb, shape: [cfg.batchSize, -1, cfg.numClasses], name: 'cls_prob_reshape' }),
    S.Reshape({ data: bboxPred, shape: [cfg.batchSize, -1, 4 * cfg.numClasses], name: 'bbox_pred_reshape' }),
  ]);
}
