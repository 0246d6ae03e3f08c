/**
 * RetinaFace mnet.25 (insightface's MobileNet-0.25 face detector), built with mx.sym. It mirrors
 * the public symbol file `models/mnet.25-symbol.json` in repository JuheonYi/mxnet2tf
 * (insightface's released RetinaFace-mnet.25 deploy graph, as that repository stores it): layer
 * sequence, parameters, node names, node order and the six heads (three per-stride class probabilities, three SSH concat features). Its bbox and
 * landmark convolutions are not reachable from the file's heads, so they are not built here.
 */
import * as mx from 'mxts';
import type { Symbol as Sym } from '../../src/symbol/symbol';

const S = mx.sym;

/** MobileNet v1 x0.25 after conv0: [depthwise stride, pointwise filters] for conv1/2 ... conv25/26. */
const MOBILENET_BLOCKS: Array<[number, number]> = [
  [1, 16], [2, 32], [1, 32], [2, 64], [1, 64], [2, 128],
  [1, 128], [1, 128], [1, 128], [1, 128], [1, 128], [2, 256], [1, 256],
];

/** Gluon-exported conv + BatchNorm + relu, named `mobilenet0_<op><i>_fwd`. */
function gluonConvBnRelu(x: Sym, i: number, filters: number, kernel: number, stride: number, group: number): Sym {
  const p = `mobilenet0_`;
  const conv = S.Convolution(x, S.Variable(`${p}conv${i}_weight`), {
    name: `${p}conv${i}_fwd`, dilate: [1, 1], kernel: [kernel, kernel], layout: 'NCHW', no_bias: true, num_filter: filters,
    num_group: group, pad: kernel === 3 ? [1, 1] : [0, 0], stride: [stride, stride],
  });
  const bn = S.BatchNorm({
    data: conv, gamma: S.Variable(`${p}batchnorm${i}_gamma`), beta: S.Variable(`${p}batchnorm${i}_beta`),
    moving_mean: S.Variable(`${p}batchnorm${i}_running_mean`), moving_var: S.Variable(`${p}batchnorm${i}_running_var`),
    name: `${p}batchnorm${i}_fwd`, axis: 1, eps: 1e-5, fix_gamma: false, momentum: 0.9, use_global_stats: false,
  });
  return S.Activation(bn, { act_type: 'relu', name: `${p}relu${i}_fwd` });
}

/** The detector's own conv (+ bias) + BatchNorm (eps 2e-5), with an optional relu. */
function convBn(x: Sym, name: string, filters: number, kernel: number, relu: boolean): Sym {
  const pad = (kernel - 1) / 2;
  const conv = S.Convolution(x, { name, kernel: [kernel, kernel], num_filter: filters, pad: [pad, pad], stride: [1, 1] });
  const bn = S.BatchNorm(conv, { name: `${name}_bn`, eps: 2e-5, fix_gamma: false, momentum: 0.9 });
  return relu ? S.Activation(bn, { act_type: 'relu', name: `${name}_relu` }) : bn;
}

/** SSH detection module: 3x3 branch (32) and two context branches (16 + 16), concatenated. */
function sshModule(x: Sym, prefix: string): Sym {
  const conv1 = convBn(x, `${prefix}_det_conv1`, 32, 3, false);
  const context1 = convBn(x, `${prefix}_det_context_conv1`, 16, 3, true);
  const context2 = convBn(context1, `${prefix}_det_context_conv2`, 16, 3, false);
  const context31 = convBn(context1, `${prefix}_det_context_conv3_1`, 16, 3, true);
  const context32 = convBn(context31, `${prefix}_det_context_conv3_2`, 16, 3, false);
  const concat = S.Concat(conv1, context2, context32, { dim: 1, num_args: 3, name: `${prefix}_det_concat` });
  return S.Activation(concat, { act_type: 'relu', name: `${prefix}_det_concat_relu` });
}

/** Two anchors' face/background scores, softmaxed over the pair, as RetinaFace's deploy head. */
function clsProb(feature: Sym, stride: number): Sym {
  const score = S.Convolution(feature, { name: `face_rpn_cls_score_stride${stride}`, kernel: [1, 1], num_filter: 4, pad: [0, 0], stride: [1, 1] });
  const reshaped = S.Reshape(score, { shape: [0, 2, -1, 0], name: `face_rpn_cls_score_reshape_stride${stride}` });
  const prob = S.SoftmaxActivation(reshaped, { mode: 'channel', name: `face_rpn_cls_prob_stride${stride}` });
  return S.Reshape(prob, { shape: [0, 4, -1, 0], name: `face_rpn_cls_prob_reshape_stride${stride}` });
}

/** Nearest x2 upsampling of the coarser level, cropped to the finer one (odd sizes), then added. */
function topDown(coarse: Sym, fine: Sym, upName: string, cropName: string, plusName: string): Sym {
  const up = S.UpSampling(coarse, { name: upName, num_args: 1, sample_type: 'nearest', scale: 2, workspace: 512 });
  const cropped = S.Crop(up, fine, { name: cropName, num_args: 2 });
  return S.elemwise_add(fine, cropped, { name: plusName });
}

export function retinafaceMnet025(): Sym {
  let x = gluonConvBnRelu(S.Variable('data'), 0, 8, 3, 2, 1);
  const taps: Sym[] = [];
  MOBILENET_BLOCKS.forEach(([stride, filters], b) => {
    const channels = b === 0 ? 8 : MOBILENET_BLOCKS[b - 1]![1];
    x = gluonConvBnRelu(x, 2 * b + 1, channels, 3, stride, channels);
    x = gluonConvBnRelu(x, 2 * b + 2, filters, 1, 1, 1);
    taps[2 * b + 2] = x;
  });
  const c3 = convBn(taps[26]!, 'rf_c3_lateral', 64, 1, true);
  const c3Det = sshModule(c3, 'rf_c3');
  const c3Cls = clsProb(c3Det, 32);
  const c2Lateral = convBn(taps[22]!, 'rf_c2_lateral', 64, 1, true);
  const c2 = convBn(topDown(c3, c2Lateral, 'rf_c3_upsampling', 'crop0', 'plus0'), 'rf_c2_aggr', 64, 3, true);
  const c2Det = sshModule(c2, 'rf_c2');
  const c2Cls = clsProb(c2Det, 16);
  const c1Lateral = convBn(taps[10]!, 'rf_c1_red_conv', 64, 1, true);
  const c1 = convBn(topDown(c2, c1Lateral, 'rf_c2_upsampling', 'crop1', 'plus1'), 'rf_c1_aggr', 64, 3, true);
  const c1Det = sshModule(c1, 'rf_c1');
  const c1Cls = clsProb(c1Det, 8);
  return S.Group([c3Cls, c2Cls, c1Cls, c3Det, c2Det, c1Det]);
}
