/**
 * Creation ops without inputs (MXNet `tensor/init_op.cc`, `init_op.h`): `_zeros`, `_ones`,
 * `_full`, `_zeros_without_dtype`, `_eye`, `_arange`, `_linspace`; and `_contrib_arange_like`,
 * which takes its length from an input. Values are float32 whatever `dtype` says (mxts has no
 * other dtype yet).
 */
import { Shape, shapeToString } from '../../base/shape';
import { bool, float, int, intTuple, optional, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { AnyOpDef, InferredShapes, MaybeShape, ShapeSite } from '../types';
import { checkedAxis } from '../tensor/axes';
import { ctxParam, dtypeParam } from './common';
import { typeFromParam } from '../type_rules';

const SHAPE_DOC = 'the output shape; 0 marks a dimension left to inference (MXNet 1.x legacy shapes)';

/**
 * InitShape: the `shape` parameter gives the output, where a 0 dimension (or an empty shape) is
 * unknown and is filled from a consumer's shape instead.
 */
function initShape(shape: Shape, [output]: readonly MaybeShape[], site: ShapeSite): InferredShapes {
  const partial = shape.length === 0 || shape.includes(0);
  if (!partial) return { inputs: [], outputs: [shape] };
  if (output && shape.length > 0) {
    const fits = output.length === shape.length && shape.every((d, i) => d === 0 || d === output[i]);
    if (!fits) site.fail('shape', `(${shape.join(',')}) does not match the output shape ${shapeToString(output)} inferred from its consumers`, shape, output);
  }
  return { inputs: [], outputs: [output ?? null] };
}

const SHAPE_PARAMS = { shape: intTuple({ doc: SHAPE_DOC, default: [], min: 0 }), ctx: ctxParam() };
const DTYPE_CODE = int({ doc: 'the output data type code; -1 leaves it to inference (float32 here)', default: -1 });

/** `_zeros`, `_ones`, `_zeros_without_dtype`: a constant of the given shape. */
function constantOp(name: string, value: number, withDtypeName: boolean): AnyOpDef {
  return defineOp({
    name,
    doc: `out = ${value} everywhere, of the given shape.`,
    params: { ...SHAPE_PARAMS, dtype: withDtypeName ? dtypeParam() : DTYPE_CODE },
    inputs: () => [],
    outputs: () => ['output'],
    inferShape: (p, _inputs, outputs, site) => initShape(p.shape, outputs, site),
    ...(withDtypeName ? { inferType: typeFromParam() } : {}),
    forward: (_p, _inputs, [out], [req], ctx) => ctx.kernels.fillConstant(out!.data, value, req!),
  });
}

export const zerosOp = constantOp('_zeros', 0, true);
export const onesOp = constantOp('_ones', 1, true);
export const zerosWithoutDtypeOp = constantOp('_zeros_without_dtype', 0, false);

export const fullOp = defineOp({
  name: '_full',
  doc: 'out = value everywhere, of the given shape.',
  params: { ...SHAPE_PARAMS, dtype: dtypeParam(), value: float({ doc: 'the value to fill with (required)' }) },
  inputs: () => [],
  outputs: () => ['output'],
  inferShape: (p, _inputs, outputs, site) => initShape(p.shape, outputs, site),
  inferType: typeFromParam(),
  forward: (p, _inputs, [out], [req], ctx) => ctx.kernels.fillConstant(out!.data, p.value, req!),
});

export const eyeOp = defineOp({
  name: '_eye',
  doc: 'out[r][c] = 1 where c - r == k, else 0; shape (N, M or N).',
  params: {
    N: int({ doc: 'number of rows (required)', min: 0 }),
    M: int({ doc: 'number of columns; 0 means N', default: 0, min: 0 }),
    k: int({ doc: 'the diagonal: 0 the main one, positive above, negative below', default: 0 }),
    ctx: ctxParam(),
    dtype: dtypeParam(),
  },
  inputs: () => [],
  outputs: () => ['output'],
  inferShape: (p) => ({ inputs: [], outputs: [[p.N, p.M > 0 ? p.M : p.N]] }),
  inferType: typeFromParam(),
  forward: (p, _inputs, [out], [req], ctx) => ctx.kernels.fillEye(out!.data, p.N, p.M > 0 ? p.M : p.N, p.k, req!),
});

const RANGE_PARAMS = {
  start: float({ doc: 'start of the interval (included); the stop when stop is None and infer_range is false' }),
  stop: optional(float({ doc: 'end of the interval (excluded); None: start is the stop and 0 the start' })),
  step: float({ doc: 'spacing between values', default: 1 }),
  repeat: int({ doc: 'times each value is repeated', default: 1 }),
  infer_range: bool({ doc: 'with stop None, take the length from the inferred output shape', default: false }),
  ctx: ctxParam(),
  dtype: dtypeParam(),
};

/** RangeParamParser: a lone `start` is the stop (unless the range is inferred). */
function rangeBounds(p: ParamsOf<typeof RANGE_PARAMS>): { start: number; stop: number | null } {
  if (p.stop === null && !p.infer_range) return { start: 0, stop: p.start };
  return { start: p.start, stop: p.stop };
}

export const arangeOp = defineOp({
  name: '_arange',
  doc: 'out[i] = start + floor(i / repeat) * step for i < ceil((stop - start) / step) * repeat (float32 arithmetic).',
  params: RANGE_PARAMS,
  inputs: () => [],
  outputs: () => ['output'],
  inferShape: (p, _inputs, [output], site) => {
    if (p.step === 0) site.fail('step', 'must not be 0', 'non-zero', 0);
    if (p.repeat <= 0) site.fail('repeat', `must be positive, got ${p.repeat}`, '> 0', p.repeat);
    const { start, stop } = rangeBounds(p);
    if (stop === null) return { inputs: [], outputs: [output ?? null] };
    if (p.step > 0 ? !(start < stop) : !(start > stop)) {
      site.fail('stop', `gives the empty range (start, stop, step) = (${start}, ${stop}, ${p.step})`, undefined, [start, stop, p.step]);
    }
    return { inputs: [], outputs: [[Math.ceil((stop - start) / p.step) * p.repeat]] };
  },
  inferType: typeFromParam(),
  forward: (p, _inputs, [out], [req], ctx) => ctx.kernels.fillRange(out!.data, rangeBounds(p).start, p.step, p.repeat, req!),
});

export const linspaceOp = defineOp({
  name: '_linspace',
  doc: 'out[i] = start + i * (stop - start) / (num - 1 if endpoint else num), computed in float64.',
  params: {
    start: float({ doc: 'the first value (required)' }),
    stop: float({ doc: 'the last value, included when endpoint (required)' }),
    num: int({ doc: 'number of values (required)', min: 0 }),
    endpoint: bool({ doc: 'include stop as the last value', default: true }),
    ctx: ctxParam(),
    dtype: dtypeParam(),
  },
  inputs: () => [],
  outputs: () => ['output'],
  inferShape: (p) => ({ inputs: [], outputs: [[p.num]] }),
  inferType: typeFromParam(),
  forward: (p, _inputs, [out], [req], ctx) => {
    const intervals = p.endpoint ? p.num - 1 : p.num;
    ctx.kernels.fillLinspace(out!.data, p.start, intervals > 0 ? (p.stop - p.start) / intervals : 0, req!);
  },
});

export const arangeLikeOp = defineOp({
  name: '_contrib_arange_like',
  doc: 'out[i] = start + floor(i / repeat) * step, shaped like data (or data.shape[axis] long); data gets a zero gradient.',
  params: {
    start: float({ doc: 'the first value', default: 0 }),
    step: float({ doc: 'spacing between values', default: 1 }),
    repeat: int({ doc: 'times each value is repeated', default: 1, min: 1 }),
    ctx: ctxParam(),
    dtype: dtypeParam(),
    axis: optional(int({ doc: 'take the length of this axis of data; None: the whole shape of data' })),
  },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    if (p.axis === null) return { inputs: [data], outputs: [data] };
    return { inputs: [data], outputs: [[data[checkedAxis(p.axis, data.length, site)]!]] };
  },
  forward: (p, _inputs, [out], [req], ctx) => ctx.kernels.fillRange(out!.data, p.start, p.step, p.repeat, req!),
  backward: {
    usesOutGrads: false,
    compute: (_p, _io, [dx], [req], ctx) => {
      if (dx) ctx.kernels.fillConstant(dx.data, 0, req === 'add' ? 'null' : req!);
    },
  },
});

export const initOps: readonly AnyOpDef[] = [zerosOp, onesOp, fullOp, zerosWithoutDtypeOp, eyeOp, arangeOp, linspaceOp, arangeLikeOp];
