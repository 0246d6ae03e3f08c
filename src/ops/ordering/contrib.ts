/**
 * Contrib indexing ops (MXNet `src/operator/contrib/`): `_contrib_index_array`,
 * `_contrib_index_copy`, `_contrib_boolean_mask` (mx.nd only: its output shape depends on the
 * mask's values) and `_contrib_allclose`. Integer outputs are stored as float32.
 */
import { ValueError } from '../../base/errors';
import { Shape, shapeToString, sizeOf } from '../../base/shape';
import { bool, float, int, intTuple, optional } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape, ShapeSite } from '../types';
import { checkedAxis, resolvedAxis } from '../tensor/axes';
import { lanesAround } from './lanes';

const noGradient = { usesOutGrads: false, differentiable: () => false, compute: () => undefined } as const;

export const indexArrayOp = defineOp({
  name: '_contrib_index_array',
  doc: 'out[i..., j] = the coordinate of element i... along axes[j] (axes None: every axis; axes wrap modulo ndim, as in MXNet); out shape data.shape + [len(axes)]. No gradient.',
  params: { axes: optional(intTuple({ doc: 'axes whose coordinates to return; None means all' })) },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data]) => ({ inputs: [data ?? null], outputs: [data ? [...data, p.axes === null ? data.length : p.axes.length] : null] }),
  forward: (p, [x], [out], [req], ctx) => {
    const ndim = x!.shape.length;
    // MXNet wraps every axis into range ((a % ndim) + ndim) % ndim rather than refusing it
    const axes = p.axes === null ? x!.shape.map((_, i) => i) : p.axes.map((a) => ((a % ndim) + ndim) % ndim);
    ctx.kernels.indexArrayFill(x!.shape, axes, out!.data, req!);
  },
  backward: noGradient,
});

export const indexCopyOp = defineOp({
  name: '_contrib_index_copy',
  doc: 'out = old_tensor with row index_vector[i] replaced by new_tensor[i]. d old = g with those rows zeroed, d new[i] = g[index_vector[i]]; the index gets none.',
  params: {},
  inputs: () => ['old_tensor', 'index_vector', 'new_tensor'],
  outputs: () => ['output'],
  inferShape: (_p, [old, index, fresh], _outputs, site) => {
    if (index && index.length !== 1) site.fail('index_vector', `shape ${shapeToString(index)} must be 1-d`);
    if (old && fresh) {
      const fits = old.length === fresh.length && old.every((d, i) => i === 0 || d === fresh[i]);
      if (!fits) site.fail('new_tensor', `shape ${shapeToString(fresh)} must match old_tensor ${shapeToString(old)} except along axis 0`, old, fresh);
    }
    if (index && fresh && index[0] !== fresh[0]) site.fail('index_vector', `has ${index[0]} entries but new_tensor has ${fresh[0]} rows`, fresh[0], index[0]);
    return { inputs: [old ?? null, index ?? null, fresh ?? null], outputs: [old ?? null] };
  },
  workspace: (_p, [old]) => sizeOf(old!),
  forward: (_p, [old, index, fresh], [out], [req], ctx) => {
    const rows = old!.shape[0]!;
    const bad = index!.data.find((v) => !(Math.trunc(v) >= 0 && Math.trunc(v) < rows));
    if (bad !== undefined) throw new ValueError({ op: '_contrib_index_copy', argument: 'index_vector', actual: bad }, `holds ${bad}, out of bounds for old_tensor with ${rows} rows`);
    const result = ctx.workspace.subarray(0, old!.data.length);
    ctx.kernels.copyInto(old!.data, result, 'write');
    ctx.kernels.indexedRows(result, fresh!.data, index!.data, old!.data.length / rows, 'toWhole', 'write');
    ctx.kernels.copyInto(result, out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    differentiable: (_p, input) => input !== 1,
    compute: (_p, { inputs: [old, index], outGrads: [g] }, [dOld, , dNew], req, ctx) => {
      const rowSize = old!.data.length / old!.shape[0]!;
      if (dNew) ctx.kernels.indexedRows(g!.data, dNew.data, index!.data, rowSize, 'toRows', req[2]!);
      if (!dOld) return;
      const result = ctx.workspace.subarray(0, g!.data.length);
      ctx.kernels.copyInto(g!.data, result, 'write');
      ctx.kernels.indexedRows(result, null, index!.data, rowSize, 'zeroRows', 'write');
      ctx.kernels.copyInto(result, dOld.data, req[0]!);
    },
  },
});

function checkMask(axis: number, data: Shape, index: MaybeShape, site: ShapeSite): number {
  if (axis !== 0) site.fail('axis', `${axis} is not supported: MXNet's boolean_mask masks axis 0 only`, 0, axis);
  const a = checkedAxis(axis, data.length, site);
  if (index && (index.length !== 1 || index[0] !== data[a])) {
    site.fail('index', `shape ${shapeToString(index)} must be 1-d with one entry per position of data ${shapeToString(data)} along axis ${a} (${data[a]})`, [data[a]], index);
  }
  return a;
}

export const booleanMaskOp = defineOp({
  name: '_contrib_boolean_mask',
  doc: 'out = the rows of data (axis 0) whose index entry is non-zero, in order (out.shape[0] = count of non-zeros). Its shape depends on index values, so only mx.nd runs it in mxts; symbolic shape inference refuses it.',
  params: { axis: int({ doc: 'the axis to mask along (only 0, as in MXNet)', default: 0 }) },
  inputs: () => ['data', 'index'],
  outputs: () => ['output'],
  inferShape: (p, [data, index], _outputs, site) => {
    if (!data) return { inputs: [null, index ?? null], outputs: [null] };
    checkMask(p.axis, data, index ?? null, site);
    return site.fail('output', 'shape depends on the values of index, which symbolic shape inference cannot see: mxts runs _contrib_boolean_mask through mx.nd only');
  },
  valueDependentShapes: (p, [data, index], site) => {
    const axis = checkMask(p.axis, data!.shape, index!.shape, site);
    const kept = index!.data.reduce((count, v) => count + (v !== 0 ? 1 : 0), 0);
    return [data!.shape.map((d, i) => (i === axis ? kept : d))];
  },
  forward: (p, [data, index], [out], [req], ctx) => {
    const { outer, n, inner } = lanesAround(data!.shape, resolvedAxis(p.axis, data!.shape.length));
    ctx.kernels.maskedSlices(data!.data, outer, n, inner, index!.data, out!.data, req!);
  },
});

export const allCloseOp = defineOp({
  name: '_contrib_allclose',
  doc: 'out (shape (1,)) = 1 if every |a - b| <= atol + rtol*|b| (NaNs equal when equal_nan), else 0. Not differentiable.',
  params: {
    rtol: float({ doc: 'relative tolerance', default: 1e-5 }),
    atol: float({ doc: 'absolute tolerance', default: 1e-8 }),
    equal_nan: bool({ doc: 'count NaN in a and NaN in b as equal', default: true }),
  },
  inputs: () => ['a', 'b'],
  outputs: () => ['output'],
  inferShape: (_p, [a, b], _outputs, site) => {
    if (a && b && shapeToString(a) !== shapeToString(b)) site.fail('b', `shape ${shapeToString(b)} does not match a ${shapeToString(a)}`, a, b);
    return { inputs: [a ?? b ?? null, b ?? a ?? null], outputs: [[1]] };
  },
  forward: (p, [a, b], [out], [req], ctx) => ctx.kernels.allCloseCheck(a!.data, b!.data, p.rtol, p.atol, p.equal_nan, out!.data, req!),
  // No backward: MXNet registers no gradient for allclose, so binding with one fails.
});

export const contribOps = [indexArrayOp, indexCopyOp, booleanMaskOp, allCloseOp] as const;
