/**
 * Copies and shape readouts (MXNet `tensor/elemwise_unary_op_basic.cc`): `_copy` (alias
 * `identity`), `_identity_with_attr_like_rhs`, `shape_array` and `size_array`.
 */
import { sizeOf } from '../../base/shape';
import { defineOp } from '../registry';
import { fixedOutputType } from '../type_rules';
import type { AnyOpDef } from '../types';
import { copyCompute } from './common';

export const copyOp = defineOp({
  name: '_copy',
  aliases: ['identity'],
  doc: 'out = data; dx = g.',
  params: {},
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (_p, [data], [output]) => ({ inputs: [data ?? output ?? null], outputs: [data ?? output ?? null] }),
  inplace: [[0, 0]],
  ...copyCompute,
});

export const identityWithAttrLikeRhsOp = defineOp({
  name: '_identity_with_attr_like_rhs',
  doc: 'out = lhs (rhs only lends its attributes); dlhs = g, rhs gets no gradient.',
  params: {},
  inputs: () => ['lhs', 'rhs'],
  outputs: () => ['output'],
  inferShape: (_p, [lhs, rhs], [output]) => ({ inputs: [lhs ?? output ?? null, rhs ?? null], outputs: [lhs ?? output ?? null] }),
  inplace: [[0, 0]],
  ...copyCompute,
});

/** `shape_array` / `size_array`: the input's dims (or element count) as a 1-d int64 array (as MXNet). */
function shapeReadout(name: 'shape_array' | 'size_array'): AnyOpDef {
  const values = (shape: readonly number[]) => (name === 'shape_array' ? shape : [sizeOf(shape)]);
  return defineOp({
    name,
    doc: name === 'shape_array'
      ? 'out = data.shape as a 1-d int64 array; no gradient flows to data.'
      : 'out = [data.size] as a 1-d int64 array; no gradient flows to data.',
    params: {},
    inputs: () => ['data'],
    outputs: () => ['output'],
    inferShape: (_p, [data]) => ({ inputs: [data ?? null], outputs: [data ? [values(data).length] : null] }),
    inferType: fixedOutputType('int64'),
    forward: (_p, [x], [out], [req], ctx) => ctx.kernels.copyValues(values(x!.shape), out!.data, req!),
    backward: {
      usesOutGrads: false,
      compute: (_p, _io, [dx], [req], ctx) => {
        if (dx && req === 'write') ctx.kernels.fillConstant(dx.data, 0, 'write');
      },
    },
  });
}

export const shapeArrayOp = shapeReadout('shape_array');
export const sizeArrayOp = shapeReadout('size_array');
