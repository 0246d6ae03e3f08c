/**
 * `Cast` (MXNet `tensor/elemwise_unary_op.h`) and `zeros_like` / `ones_like` (`tensor/init_op.h`).
 * mxts stores every array as float32, so Cast only converts the values an integer type would hold.
 */
import { enumOf } from '../params';
import { defineOp } from '../registry';
import { sameShapeAll } from '../shape_rules';
import type { AnyOpDef } from '../types';
import { viewCompute } from './copy';

const wrap = (bits: number, signed: boolean) => (x: number) => {
  const span = 2 ** bits;
  let v = Math.trunc(x) % span;
  if (v < 0) v += span;
  return signed && v >= span / 2 ? v - span : v;
};

/** What each dtype does to a float32 value; float types keep it (no rounding to 16 bits). */
const CONVERT = {
  float32: null,
  float64: null,
  float16: null,
  bfloat16: null,
  uint8: wrap(8, false),
  int8: wrap(8, true),
  int32: wrap(32, true),
  // NOTE: float32 cannot hold every int64; truncation is all that is visible.
  int64: (x: number) => Math.trunc(x),
  bool: (x: number) => (x !== 0 ? 1 : 0),
} satisfies Record<string, ((x: number) => number) | null>;

type DType = keyof typeof CONVERT;

export const castOp = defineOp({
  name: 'Cast',
  aliases: ['cast'],
  doc: [
    'out = data converted to dtype, still stored as float32: integer types truncate toward zero and wrap (uint8, int8, int32),',
    'bool gives 0/1, float types copy (float16/bfloat16 are not rounded to 16 bits). NaN/inf to integer types are unspecified.',
    'dx = g (the gradient is cast back to the input type, a copy here).',
  ].join('\n'),
  params: { dtype: enumOf({ doc: 'target type (required)', values: Object.keys(CONVERT) as DType[] }) },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: sameShapeAll(['data']),
  forward: (p, inputs, outputs, req) => {
    const convert = CONVERT[p.dtype];
    if (!convert) return viewCompute.forward(p, inputs, outputs, req);
    const xs = inputs[0]!.data;
    const ys = outputs[0]!.data;
    if (req[0] === 'write') for (let i = 0; i < ys.length; i++) ys[i] = convert(xs[i]!);
    else if (req[0] === 'add') for (let i = 0; i < ys.length; i++) ys[i]! += convert(xs[i]!);
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
    forward: (_p, _inputs, [out], [req]) => {
      if (req === 'write') out!.data.fill(value);
      else if (req === 'add' && value !== 0) for (let i = 0; i < out!.data.length; i++) out!.data[i]! += value;
    },
    backward: { usesOutGrads: false, differentiable: () => false, compute: () => undefined },
  });
}

export const castOps: readonly AnyOpDef[] = [castOp, filledLike('zeros_like', 0), filledLike('ones_like', 1)];
