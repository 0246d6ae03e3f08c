/**
 * Variadic ops over num_args inputs named arg0, arg1...: `add_n` (MXNet `tensor/elemwise_sum.cc`)
 * and `khatri_rao` (`contrib/krprod.cc`, which MXNet defines without a gradient).
 */
import { shapeToString } from '../../base/shape';
import { int } from '../params';
import { defineOp } from '../registry';
import { sameShapeAll } from '../shape_rules';
import type { MaybeShape } from '../types';

const NUM_ARGS = { num_args: int({ doc: 'number of inputs (filled from the inputs given)', min: 1 }) };
const argNames = (p: { num_args: number }) => Array.from({ length: p.num_args }, (_, k) => `arg${k}`);

export const addNOp = defineOp({
  name: 'add_n',
  aliases: ['ElementWiseSum'],
  doc: 'out = arg0 + arg1 + ... (all the same shape); each d arg_k = g.',
  params: NUM_ARGS,
  variadicParam: 'num_args',
  inputs: argNames,
  outputs: () => ['output'],
  inferShape: (p, inputs, outputs, site) => sameShapeAll(argNames(p))(p, inputs, outputs, site),
  inplace: [[0, 0]],
  forward: (_p, inputs, [out], [req], ctx) => ctx.kernels.sumArrays(inputs.map((t) => t.data), out!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (_p, { outGrads: [g] }, inGrads, req, ctx) => {
      inGrads.forEach((grad, k) => grad && ctx.kernels.copyInto(g!.data, grad.data, req[k]!));
    },
  },
});

export const khatriRaoOp = defineOp({
  name: 'khatri_rao',
  doc: 'out (M1*...*Mn, N): column c is the Kronecker product of column c of each (Mk, N) input, the first input varying slowest. No gradient (none in MXNet).',
  params: NUM_ARGS,
  variadicParam: 'num_args',
  inputs: argNames,
  outputs: () => ['output'],
  inferShape: (p, inputs, _outputs, site) => {
    const names = argNames(p);
    inputs.forEach((s, k) => s && s.length !== 2 && site.fail(names[k]!, `shape ${shapeToString(s)} must be a matrix (2-d)`));
    if (inputs.some((s) => !s)) return { inputs, outputs: [null] };
    const known = inputs as readonly NonNullable<MaybeShape>[];
    const cols = known[0]![1]!;
    known.forEach((s, k) => s[1] !== cols && site.fail(names[k]!, `shape ${shapeToString(s)} has ${s[1]} columns but arg0 has ${cols}: every input needs the same number of columns`, cols, s[1]));
    return { inputs, outputs: [[known.reduce((rows, s) => rows * s[0]!, 1), cols]] };
  },
  forward: (_p, inputs, [out], [req], ctx) => {
    ctx.kernels.khatriRao(inputs.map((t) => t.data), inputs.map((t) => t.shape[0]!), out!.shape[1]!, out!.data, req!);
  },
});

export const variadicOps = [addNOp, khatriRaoOp] as const;
