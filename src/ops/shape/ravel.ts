/**
 * `_ravel_multi_index` and `_unravel_index` (MXNet `tensor/ravel.cc`): between coordinate columns
 * and flat row-major indices of an array of `shape`. Indices are stored as float32 (exact up to
 * 2^24) until dtypes land; no gradient flows through them.
 */
import { shapeToString, stridesOf } from '../../base/shape';
import { intTuple } from '../params';
import { defineOp } from '../registry';
import type { BackwardDef } from '../types';

const SHAPE_PARAM = { shape: intTuple({ doc: 'the shape of the array the indices address (required)', min: 1 }) };

const zeroGradient: BackwardDef<unknown> = {
  usesOutGrads: false,
  compute: (_p, _io, [dx], [req], ctx) => {
    if (dx && req === 'write') ctx.kernels.fillConstant(dx.data, 0, 'write');
  },
};

export const ravelMultiIndexOp = defineOp({
  name: '_ravel_multi_index',
  aliases: ['ravel_multi_index'],
  doc: 'out[j] = sum_i data[i, j] * stride_i (row-major strides of shape); data is (len(shape), N); no gradient.',
  params: SHAPE_PARAM,
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], [output], site) => {
    if (p.shape.length === 0) site.fail('shape', 'must not be empty');
    if (data) {
      if (data.length !== 2 || data[0] !== p.shape.length) {
        site.fail('data', `shape ${shapeToString(data)} must be 2-d with ${p.shape.length} rows, one per axis of shape (${p.shape.join(',')})`, [p.shape.length, 'N'], data);
      }
      return { inputs: [data], outputs: [[data[1]!]] };
    }
    return { inputs: [output ? [p.shape.length, output[0]!] : null], outputs: [output ?? null] };
  },
  forward: (p, [x], [out], [req], ctx) => ctx.kernels.ravelIndex(x!.data, stridesOf(p.shape), out!.data, req!),
  backward: zeroGradient,
});

export const unravelIndexOp = defineOp({
  name: '_unravel_index',
  aliases: ['unravel_index'],
  doc: 'out[i, j] = coordinate i of the flat index data[j] in shape (row-major); data is 1-d; no gradient.',
  params: SHAPE_PARAM,
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], [output], site) => {
    if (p.shape.length === 0) site.fail('shape', 'must not be empty');
    if (data) {
      if (data.length !== 1) site.fail('data', `shape ${shapeToString(data)} must be 1-d (a list of flat indices)`, 1, data.length);
      return { inputs: [data], outputs: [[p.shape.length, data[0]!]] };
    }
    return { inputs: [output ? [output[1]!] : null], outputs: [output ?? null] };
  },
  forward: (p, [x], [out], [req], ctx) => ctx.kernels.unravelIndex(x!.data, p.shape, out!.data, req!),
  backward: zeroGradient,
});
