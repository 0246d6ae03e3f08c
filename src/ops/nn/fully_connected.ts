/**
 * FullyConnected: out = X2 . weight^T + bias, X2 the data as (rows, num_input) — all non-batch
 * axes flattened (flatten=true) or only the last axis as features (flatten=false), as MXNet's
 * `fully_connected-inl.h`.
 */
import { Shape, shapeToString, shapesEqual } from '../../base/shape';
import { bool, int, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { InferredShapes, MaybeShape, ShapeSite } from '../types';

const PARAMS = {
  num_hidden: int({ doc: 'number of output features', min: 1 }),
  no_bias: bool({ doc: 'omit the bias input', default: false }),
  flatten: bool({ doc: 'flatten all non-batch axes into the features; false applies the layer to the last axis only', default: true }),
};
type Params = ParamsOf<typeof PARAMS>;

/** Rows of the data as the GEMM sees it: the batch axis (flatten) or all axes but the last. */
function rowsOf(data: Shape, flatten: boolean): number {
  let rows = 1;
  for (let i = 0, end = flatten ? 1 : data.length - 1; i < end; i++) rows *= data[i]!;
  return rows;
}

/** Features per row (num_input): all non-batch axes (flatten) or the last axis. Loops, not slices: this runs every call. */
function featuresOf(data: Shape, flatten: boolean): number {
  let features = 1;
  for (let i = flatten ? 1 : data.length - 1; i < data.length; i++) features *= data[i]!;
  return features;
}

function inferShape(p: Params, inputs: readonly MaybeShape[], outputs: readonly MaybeShape[], site: ShapeSite): InferredShapes {
  let data = inputs[0] ?? null;
  const known = outputs[0] ?? null;
  const weightKnown = inputs[1] ?? null;
  // mxts: with flatten=false the data is the output with the last axis swapped back (MXNet infers only the batch axis).
  if (!data && known && weightKnown && !p.flatten && known.length >= 1 && weightKnown.length === 2) data = [...known.slice(0, -1), weightKnown[1]!];
  if (!data) return { inputs, outputs };
  if (data.length === 0) site.fail('data', 'shape [] needs at least one axis');
  const numInput = featuresOf(data, p.flatten);
  const weight = [p.num_hidden, numInput];
  const out = p.flatten ? [data[0]!, p.num_hidden] : [...data.slice(0, -1), p.num_hidden];
  if (p.no_bias) return { inputs: [data, weight], outputs: [out] };
  const bias = inputs[2] ?? null;
  if (bias && !shapesEqual(bias, [p.num_hidden]) && !shapesEqual(bias, [p.num_hidden, 1])) {
    site.fail('bias', `shape ${shapeToString(bias)} must be [${p.num_hidden}] or [${p.num_hidden},1]`, [p.num_hidden], bias);
  }
  return { inputs: [data, weight, bias ?? [p.num_hidden]], outputs: [out] };
}

export const fullyConnectedOp = defineOp({
  name: 'FullyConnected',
  doc: [
    'out = X2 . weight^T + bias with X2 the data as (rows, num_input); weight (num_hidden, num_input), bias (num_hidden,) or (num_hidden, 1).',
    'd data = head . weight; d weight = head^T . X2; d bias = sum of head over rows.',
  ].join('\n'),
  params: PARAMS,
  inputs: (p) => (p.no_bias ? ['data', 'weight'] : ['data', 'weight', 'bias']),
  outputs: () => ['output'],
  inferShape,
  forward: (p, [x, w, b], [out], [req], ctx) => {
    if (req === 'null') return;
    const rows = rowsOf(x!.shape, p.flatten);
    const k = featuresOf(x!.shape, p.flatten);
    const n = p.num_hidden;
    ctx.kernels.gemm(false, true, rows, n, k, 1, x!.data, k, 0, w!.data, k, 0, req === 'add' ? 1 : 0, out!.data, n, 0);
    if (b) ctx.kernels.addBiasRows(out!.data, rows, n, b.data);
  },
  backward: {
    usesOutGrads: true,
    reads: () => ({ inputs: [0, 1], outputs: [] }),
    compute: (p, { inputs: [x, w], outGrads: [head] }, [dx, dw, db], [reqX, reqW, reqB], ctx) => {
      const rows = rowsOf(x!.shape, p.flatten);
      const k = featuresOf(x!.shape, p.flatten);
      const n = p.num_hidden;
      const g = head!.data;
      if (dx && reqX !== 'null') ctx.kernels.gemm(false, false, rows, k, n, 1, g, n, 0, w!.data, k, 0, reqX === 'add' ? 1 : 0, dx.data, k, 0);
      if (dw && reqW !== 'null') ctx.kernels.gemm(true, false, n, k, rows, 1, g, n, 0, x!.data, k, 0, reqW === 'add' ? 1 : 0, dw.data, k, 0);
      if (db && reqB !== undefined) ctx.kernels.columnSums(g, rows, n, db.data, reqB);
    },
  },
});
