/**
 * SoftmaxOutput (alias Softmax): a softmax forward whose backward is the cross-entropy gradient
 * against a label, replacing the head gradient. The label's shape picks the loss: the data's own
 * shape means probabilities, anything else class indices (MXNet 1.9.1 `softmax_output-inl.h`).
 */
import { Shape, shapeToString, shapesEqual } from '../../base/shape';
import type { Kernels } from '../../backend/backend';
import { AxisView, axisView } from '../../backend/geometry';
import { bool, enumOf, float, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { InferredShapes, MaybeShape, ShapeSite } from '../types';

const PARAMS = {
  grad_scale: float({ doc: 'multiplies the gradient', default: 1 }),
  ignore_label: float({ doc: 'label whose positions get no gradient when use_ignore (compared after truncation to int)', default: -1 }),
  multi_output: bool({ doc: 'softmax over axis 1 of (n, c, d1, ...), one class index per (n, d1, ...) position', default: false }),
  use_ignore: bool({ doc: 'zero the gradient where the label equals ignore_label (index labels only)', default: false }),
  preserve_shape: bool({ doc: 'softmax over the last axis instead of over all non-batch axes', default: false }),
  normalization: enumOf({ doc: 'divides the index-label gradient: null, batch (label count) or valid (non-ignored labels)', values: ['null', 'batch', 'valid'], default: 'null' }),
  out_grad: bool({ doc: 'multiply the gradient by the head gradient', default: false }),
  smooth_alpha: float({ doc: 'label smoothing, only with one class index per row', default: 0, min: 0, max: 1 }),
};
type Params = ParamsOf<typeof PARAMS>;

function product(shape: Shape, from: number): number {
  let size = 1;
  for (let i = from; i < shape.length; i++) size *= shape[i]!;
  return size;
}

/**
 * The (outer, classes, inner) view the softmax runs over: axis 1 for multi_output, the last axis
 * for preserve_shape, else each sample's elements all together (n, size/n).
 */
function classView(shape: Shape, p: Params): AxisView {
  if (shape.length === 0) return { outer: 1, n: 1, inner: 1 };
  if (p.multi_output) return axisView(shape, 1);
  if (p.preserve_shape) return axisView(shape, shape.length - 1);
  return { outer: shape[0]!, n: product(shape, 1), inner: 1 };
}

/** Index-label shapes MXNet accepts for this data; the first is the one inferred when unknown. */
function indexLabelShapes(data: Shape, p: Params): Shape[] {
  if (p.multi_output) {
    const flat = [data[0]!, product(data, 2)];
    const withoutClasses = [data[0]!, ...data.slice(2)];
    const unitClasses = [data[0]!, 1, ...data.slice(2)];
    return [flat, withoutClasses, unitClasses].filter((s, i, all) => all.findIndex((t) => shapesEqual(s, t)) === i);
  }
  // mxts: 0-d and 1-d data have no class axis to index, so only probability labels fit them.
  return data.length < 2 ? [] : [data.slice(0, -1)];
}

function listShapes(shapes: readonly Shape[]): string {
  const texts = shapes.map(shapeToString);
  return texts.length < 2 ? texts.join('') : `${texts.slice(0, -1).join(', ')} or ${texts[texts.length - 1]}`;
}

function inferShape(p: Params, inputs: readonly MaybeShape[], outputs: readonly MaybeShape[], site: ShapeSite): InferredShapes {
  const data = inputs[0] ?? outputs[0] ?? null;
  if (!data) return { inputs, outputs };
  if (p.multi_output && data.length < 2) site.fail('data', `shape ${shapeToString(data)} needs at least 2 axes (n, classes, ...) with multi_output`);
  const label = inputs[1] ?? null;
  const indexShapes = indexLabelShapes(data, p);
  if (!label) return { inputs: [data, indexShapes[0] ?? null], outputs: [data] };
  if (!shapesEqual(label, data) && !indexShapes.some((s) => shapesEqual(s, label))) {
    const expected = indexShapes.length
      ? `${listShapes(indexShapes)} (class indices) or ${shapeToString(data)} (probabilities)`
      : `${shapeToString(data)} (probabilities); class indices need data with at least 2 axes`;
    site.fail('label', `shape ${shapeToString(label)} fits no mode of data ${shapeToString(data)}: expected ${expected}`, [...indexShapes, data], label);
  }
  return { inputs: [data, label], outputs: [data] };
}

/** ignore_label as a class index: MXNet stores it as float32, then truncates it like the labels. */
const ignoredClass = (p: Params) => Math.trunc(Math.fround(p.ignore_label));

/**
 * What the index-mode gradient is divided by (MXNet's table, quirks kept): multi_output divides
 * by the spatial size r unless `valid`; `batch` counts labels (all of them in row mode, n in
 * multi_output); `valid` counts non-ignored labels even when use_ignore is false.
 */
function indexNormalizer(p: Params, label: Float32Array, view: AxisView, kernels: Kernels): number {
  const spatial = p.multi_output ? view.inner : 1;
  switch (p.normalization) {
    case 'null': return spatial;
    case 'batch': return p.multi_output ? spatial * view.outer : label.length;
    case 'valid': return kernels.countValidLabels(label, ignoredClass(p));
    default: { const never: never = p.normalization; return never; }
  }
}

export const softmaxOutputOp = defineOp({
  name: 'SoftmaxOutput',
  aliases: ['Softmax'],
  doc: [
    'out = softmax(data) over all non-batch elements (n, size/n); over the last axis with preserve_shape; over axis 1 with multi_output.',
    'label shape == data shape (probabilities): dx = grad_scale * (out - label), no normalization, ignore or smoothing.',
    'Otherwise labels are class indices trunc(label): dx = (out - onehot) * grad_scale / norm, with smooth_alpha a (row mode only:',
    'onehot becomes 1-a / a/(C-1)), use_ignore zeroing positions whose label is ignore_label, and norm per `normalization`',
    '(multi_output also divides by the spatial size unless valid). Out-of-range indices give dx = out there, no error.',
    'mxts differs from MXNet 1.9.1: gradReq add accumulates (MXNet overwrites); out_grad multiplies by the real head',
    'gradient (MXNet <= 1.4; 1.5+ multiplies by the output); the label never gets a gradient; 0-d/1-d data accepts only',
    'a probability label (MXNet leaves the index label shape undefined there).',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data', 'label'],
  outputs: () => ['output'],
  inferShape,
  forward: (p, [x], [out], [req], ctx) => {
    if (req === 'null') return;
    ctx.kernels.softmaxForward(x!.data, out!.data, classView(x!.shape, p), 1, false, req === 'add');
  },
  backward: {
    // mxts: the real head gradient, as MXNet <= 1.4 (1.5+ passes the softmax output by mistake).
    usesOutGrads: (p) => p.out_grad,
    // mxts: labels are not differentiable (MXNet allocates their gradient but never writes it).
    differentiable: (_p, i) => i === 0,
    reads: () => ({ inputs: [1], outputs: [0] }),
    compute: (p, { inputs: [, label], outputs: [out], outGrads: [head] }, [grad], [req], ctx) => {
      // mxts: req is honoured (MXNet's kernel always assigns, so 'add' overwrote).
      if (!grad || req === 'null') return;
      const add = req === 'add';
      const headData = p.out_grad ? head!.data : null;
      if (shapesEqual(out!.shape, label!.shape)) {
        ctx.kernels.softmaxProbabilityGrad(out!.data, label!.data, headData, grad.data, p.grad_scale, add);
        return;
      }
      const view = classView(out!.shape, p);
      const scale = p.grad_scale / indexNormalizer(p, label!.data, view, ctx.kernels);
      const alpha = p.multi_output ? 0 : p.smooth_alpha; // MXNet smooths only the one-label-per-row mode
      ctx.kernels.softmaxIndexGrad(out!.data, label!.data, headData, grad.data, view, scale, alpha, p.use_ignore ? ignoredClass(p) : null, add);
    },
  },
});
