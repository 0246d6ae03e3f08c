/**
 * `Cast` (MXNet `tensor/elemwise_unary_op.h`) and `zeros_like` / `ones_like` (`tensor/init_op.h`).
 * Cast's output has the dtype it names (its type rule); the executor stores each value in that
 * dtype's array, which makes the C cast (float16 rounding through the settling pass).
 */
import { enumOf } from '../params';
import { defineOp } from '../registry';
import { sameShapeAll } from '../shape_rules';
import type { Kernels } from '../../backend/backend';
import type { AnyOpDef } from '../types';
import { viewCompute } from './copy';

/** Float types copy (the output's storage rounds); integer types convert in a kernel. bfloat16 is not a dtype mxts has. */
type IntegerDType = Parameters<Kernels['castToInteger']>[0];
const FLOAT_TYPES = ['float32', 'float64', 'float16'] as const;
const INTEGER_TYPES = ['uint8', 'int8', 'int32', 'int64', 'bool'] as const satisfies readonly IntegerDType[];
type DType = (typeof FLOAT_TYPES)[number] | IntegerDType;

function isInteger(dtype: DType): dtype is IntegerDType {
  return (INTEGER_TYPES as readonly string[]).includes(dtype);
}

export const castOp = defineOp({
  name: 'Cast',
  aliases: ['cast'],
  doc: [
    'out = data converted to dtype (a C cast): integer types truncate toward zero and wrap (uint8, int8, int32),',
    'bool gives 0/1, float16 rounds to nearest even. NaN/inf to integer types give 0 (unspecified in C).',
    'dx = g (the gradient is cast back to the input type, a copy here).',
  ].join('\n'),
  params: { dtype: enumOf({ doc: 'target type (required)', values: [...FLOAT_TYPES, ...INTEGER_TYPES] }) },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: sameShapeAll(['data']),
  inferType: (p, inputs) => ({ inputs, outputs: [p.dtype] }),
  forward: (p, inputs, outputs, req, ctx) => {
    const dtype: DType = p.dtype;
    if (!isInteger(dtype)) return viewCompute.forward(p, inputs, outputs, req, ctx);
    ctx.kernels.castToInteger(dtype, inputs[0]!.data, outputs[0]!.data, req[0]!);
  },
  backward: viewCompute.backward,
});

function filledLike(name: string, value: number): AnyOpDef {
  return defineOp({
    name,
    doc: `out = ${value} with the shape of data. data gets no gradient (zero in MXNet).`,
    params: {},
    inputs: () => ['data'],
    outputs: () => ['output'],
    inferShape: sameShapeAll(['data']),
    forward: (_p, _inputs, [out], [req], ctx) => {
      // Adding 0 changes nothing (and would turn -0 entries into +0).
      if (req === 'write' || value !== 0) ctx.kernels.fillConstant(out!.data, value, req!);
    },
    backward: { usesOutGrads: false, differentiable: () => false, compute: () => undefined },
  });
}

export const castOps: readonly AnyOpDef[] = [castOp, filledLike('zeros_like', 0), filledLike('ones_like', 1)];
