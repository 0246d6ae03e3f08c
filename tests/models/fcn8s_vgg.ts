/**
 * FCN-8s semantic segmentation (VGG16), built with mx.sym. It mirrors apache/mxnet
 * `example/fcn-xs/symbol_fcnxs.py` (vgg16_pool3 / vgg16_pool4 / vgg16_score / fcnxs_score /
 * get_fcn8s_symbol, 21 classes, workspace 1024): Deconvolution upsampling and offset Crops. The crop
 * offsets are what that file's offset() computes: score_pool4c 5, score_pool3c 9, upscore 31
 * (the FCN paper's values). `widthDivisor` divides every channel count of the VGG part (1 = the
 * published network); tests use it only to keep forward passes fast.
 */
import * as mx from 'mxts';
import type { Symbol as Sym } from '../../src/symbol/symbol';

const S = mx.sym;
export const FCN8S_OFFSETS = { score_pool4c: 5, score_pool3c: 9, upscore: 31 };
const WORKSPACE = 1024;

function vggGroup(x: Sym, g: number, layers: number, filters: number, firstPad = 1): Sym {
  for (let i = 1; i <= layers; i++) {
    const pad = i === 1 ? firstPad : 1;
    const conv = S.Convolution(x, { kernel: [3, 3], pad: [pad, pad], num_filter: filters, workspace: WORKSPACE, name: `conv${g}_${i}` });
    x = S.Activation(conv, { act_type: 'relu', name: `relu${g}_${i}` });
  }
  return S.Pooling(x, { pool_type: 'max', kernel: [2, 2], stride: [2, 2], name: `pool${g}` });
}

function deconv(x: Sym, name: string, kernel: number, stride: number, numclass: number): Sym {
  return S.Deconvolution(x, { kernel: [kernel, kernel], stride: [stride, stride], adj: [stride - 1, stride - 1], num_filter: numclass, workspace: WORKSPACE, name });
}

export function fcn8s(widthDivisor = 1, numclass = 21): Sym {
  const w = widthDivisor;
  const data = S.Variable('data');
  const pool3 = vggGroup(vggGroup(vggGroup(data, 1, 2, 64 / w, 100), 2, 2, 128 / w), 3, 3, 256 / w);
  const pool4 = vggGroup(pool3, 4, 3, 512 / w);
  let x = vggGroup(pool4, 5, 3, 512 / w);
  for (const [i, kernel] of [[6, 7], [7, 1]] as const) {
    x = S.Convolution(x, { kernel: [kernel, kernel], num_filter: 4096 / w, workspace: WORKSPACE, name: `fc${i}` });
    x = S.Dropout(S.Activation(x, { act_type: 'relu', name: `relu${i}` }), { p: 0.5, name: `drop${i}` });
  }
  const score = S.Convolution(x, { kernel: [1, 1], num_filter: numclass, workspace: WORKSPACE, name: 'score' });
  const score2 = deconv(score, 'score2', 4, 2, numclass);
  const scorePool4 = S.Convolution(pool4, { kernel: [1, 1], num_filter: numclass, workspace: WORKSPACE, name: 'score_pool4' });
  const scorePool4c = S.Crop(scorePool4, score2, { offset: [FCN8S_OFFSETS.score_pool4c, FCN8S_OFFSETS.score_pool4c], name: 'score_pool4c' });
  const score4 = deconv(score2.add(scorePool4c), 'score4', 4, 2, numclass);
  const scorePool3 = S.Convolution(pool3, { kernel: [1, 1], num_filter: numclass, workspace: WORKSPACE, name: 'score_pool3' });
  const scorePool3c = S.Crop(scorePool3, score4, { offset: [FCN8S_OFFSETS.score_pool3c, FCN8S_OFFSETS.score_pool3c], name: 'score_pool3c' });
  const bigscore = deconv(score4.add(scorePool3c), 'bigscore', 16, 8, numclass);
  const upscore = S.Crop(bigscore, data, { offset: [FCN8S_OFFSETS.upscore, FCN8S_OFFSETS.upscore], name: 'upscore' });
  return S.SoftmaxOutput(upscore, { multi_output: true, use_ignore: true, ignore_label: 255, name: 'softmax' });
}
