/**
 * SSD-300 on VGG16-reduced, the deploy graph of MXNet's example/ssd, built with mx.sym. It mirrors
 * apache/mxnet `example/ssd/symbol/vgg16_reduced.py` (backbone), `example/ssd/symbol/common.py`
 * (multi_layer_feature, multibox_layer), `example/ssd/symbol/symbol_builder.py` (get_symbol) and the
 * 'vgg16_reduced' / data_shape 300 preset of `example/ssd/symbol/symbol_factory.py`, with
 * num_classes 20 (Pascal VOC) and get_symbol's defaults (nms_thresh 0.5, nms_topk 400).
 * `widthDivisor` divides every channel count (1 = the published network); tests use it only to keep
 * forward passes fast, the layer sequence, kernels, strides and anchors stay the same.
 */
import * as mx from 'mxts';
import type { Symbol as Sym } from '../../src/symbol/symbol';

const S = mx.sym;

export const SSD_300 = {
  numClasses: 20,
  fromLayers: ['relu4_3', 'relu7', '', '', '', ''],
  numFilters: [512, -1, 512, 256, 256, 256],
  strides: [-1, -1, 2, 2, 1, 1],
  pads: [-1, -1, 1, 1, 0, 0],
  sizes: [[0.1, 0.141], [0.2, 0.272], [0.37, 0.447], [0.54, 0.619], [0.71, 0.79], [0.88, 0.961]],
  ratios: [[1, 2, 0.5], [1, 2, 0.5, 3, 1 / 3], [1, 2, 0.5, 3, 1 / 3], [1, 2, 0.5, 3, 1 / 3], [1, 2, 0.5], [1, 2, 0.5]],
  normalizations: [20, -1, -1, -1, -1, -1],
  steps: [8, 16, 32, 64, 100, 300].map((s) => s / 300),
};

function convRelu(x: Sym, conv: string, relu: string, filters: number, kernel = 3, pad = 1, extra: Record<string, unknown> = {}): Sym {
  const c = S.Convolution(x, { name: conv, kernel: [kernel, kernel], pad: [pad, pad], num_filter: filters, ...extra });
  return S.Activation(c, { act_type: 'relu', name: relu });
}

/** vgg16_reduced.get_symbol up to relu7 (its classifier tail is not used by the detector). */
function vgg16Reduced(w: number): { relu4_3: Sym; relu7: Sym } {
  let x = S.Variable('data');
  const groups: Array<[number, number, Record<string, unknown>]> = [
    [2, 64, {}], [2, 128, {}], [3, 256, { pooling_convention: 'full' }], [3, 512, {}], [3, 512, {}],
  ];
  let relu4_3 = x;
  groups.forEach(([layers, filters, poolExtra], g) => {
    for (let i = 1; i <= layers; i++) x = convRelu(x, `conv${g + 1}_${i}`, `relu${g + 1}_${i}`, filters / w);
    if (g === 3) relu4_3 = x;
    x = g < 4
      ? S.Pooling(x, { pool_type: 'max', kernel: [2, 2], stride: [2, 2], name: `pool${g + 1}`, ...poolExtra })
      : S.Pooling(x, { pool_type: 'max', kernel: [3, 3], stride: [1, 1], pad: [1, 1], name: 'pool5' });
  });
  x = convRelu(x, 'fc6', 'relu6', 1024 / w, 3, 6, { dilate: [6, 6] });
  return { relu4_3, relu7: convRelu(x, 'fc7', 'relu7', 1024 / w, 1, 0) };
}

export function ssdVgg16_300(widthDivisor = 1): Sym {
  const w = widthDivisor;
  const cfg = SSD_300;
  const body = vgg16Reduced(w);
  // multi_layer_feature: extra 1x1 + 3x3 layers on top of the last feature
  const layers: Sym[] = [];
  cfg.fromLayers.forEach((from, k) => {
    if (from) {
      layers.push(body[from as 'relu4_3' | 'relu7']);
      return;
    }
    const filters = cfg.numFilters[k]! / w;
    const num1x1 = Math.max(128 / w, Math.floor(filters / 2));
    const name1 = `multi_feat_${k}_conv_1x1`;
    const name3 = `multi_feat_${k}_conv_3x3`;
    const conv1x1 = convRelu(layers[layers.length - 1]!, `${name1}_conv`, `${name1}_relu`, num1x1, 1, 0, { stride: [1, 1] });
    layers.push(convRelu(conv1x1, `${name3}_conv`, `${name3}_relu`, filters, 3, cfg.pads[k]!, { stride: [cfg.strides[k], cfg.strides[k]] }));
  });
  // multibox_layer
  const numClasses = cfg.numClasses + 1;
  const locs: Sym[] = [];
  const clss: Sym[] = [];
  const anchors: Sym[] = [];
  layers.forEach((layer, k) => {
    const fromName = layer.name;
    let feature = layer;
    if (cfg.normalizations[k]! > 0) {
      const norm = S.L2Normalization(feature, { mode: 'channel', name: `${fromName}_norm` });
      const scale = S.Variable(`${fromName}_scale`, { shape: [1, cfg.numFilters[k]! / w, 1, 1], init: new mx.init.Constant(cfg.normalizations[k]!), wd_mult: 0.1 });
      feature = S.broadcast_mul({ lhs: scale, rhs: norm });
    }
    const numAnchors = cfg.sizes[k]!.length - 1 + cfg.ratios[k]!.length;
    const head = (kind: 'loc' | 'cls', filters: number) => {
      const bias = S.Variable(`${fromName}_${kind}_pred_conv_bias`, { init: new mx.init.Constant(0), attr: { __lr_mult__: '2.0' } });
      const conv = S.Convolution({ data: feature, bias, kernel: [3, 3], stride: [1, 1], pad: [1, 1], num_filter: filters, name: `${fromName}_${kind}_pred_conv` });
      return S.Flatten(S.transpose(conv, { axes: [0, 2, 3, 1] }));
    };
    locs.push(head('loc', numAnchors * 4));
    clss.push(head('cls', numAnchors * numClasses));
    const step = cfg.steps[k]!;
    const prior = S._contrib_MultiBoxPrior(feature, { sizes: cfg.sizes[k], ratios: cfg.ratios[k], clip: false, name: `${fromName}_anchors`, steps: [step, step] });
    anchors.push(S.Flatten(prior));
  });
  const locPreds = S.Concat(...locs, { num_args: locs.length, dim: 1, name: 'multibox_loc_pred' });
  const clsConcat = S.Concat(...clss, { num_args: clss.length, dim: 1 });
  const clsPreds = S.transpose(S.Reshape(clsConcat, { shape: [0, -1, numClasses] }), { axes: [0, 2, 1], name: 'multibox_cls_pred' });
  const anchorBoxes = S.Reshape(S.Concat(...anchors, { num_args: anchors.length, dim: 1 }), { shape: [0, -1, 4], name: 'multibox_anchors' });
  // symbol_builder.get_symbol
  const clsProb = S.SoftmaxActivation(clsPreds, { mode: 'channel', name: 'cls_prob' });
  return S._contrib_MultiBoxDetection(clsProb, locPreds, anchorBoxes, {
    name: 'detection', nms_threshold: 0.5, force_suppress: false, variances: [0.1, 0.1, 0.2, 0.2], nms_topk: 400,
  });
}
