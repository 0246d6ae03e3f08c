/**
 * `_rnn_param_concat` (MXNet `nn/concat.cc`): Concat with the shape rule gluon's fused RNN layers
 * need. Gluon packs the RNN's parameter vector with it; the first one or two inputs (the i2h
 * weights, sized by a not-yet-known input size) may be unknown and are then inferred from the
 * output, the residual split evenly between them.
 */
import { Shape, shapeToString } from '../../base/shape';
import { int } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape, Req, Tensor } from '../types';
import { checkedAxis, resolvedAxis } from '../tensor/axes';
import type { Kernels } from '../../backend/backend';

/** Moves the parts to or from their place in the whole along `axis` (gather: parts -> whole). */
function moveParts(k: Kernels, whole: Tensor, parts: readonly (Tensor | null)[], sizes: readonly number[], axis: number, gather: boolean, req: readonly Req[]): void {
  let outer = 1;
  let after = 1;
  for (let i = 0; i < axis; i++) outer *= whole.shape[i]!;
  for (let i = axis + 1; i < whole.shape.length; i++) after *= whole.shape[i]!;
  const wholeRow = whole.shape[axis]! * after;
  let offset = 0;
  parts.forEach((part, i) => {
    const partRow = sizes[i]! * after;
    if (part && req[i] !== 'null') {
      for (let o = 0; o < outer; o++) {
        if (gather) k.rnnCopy(part.data, o * partRow, whole.data, o * wholeRow + offset, partRow, req[i]!);
        else k.rnnCopy(whole.data, o * wholeRow + offset, part.data, o * partRow, partRow, req[i]!);
      }
    }
    offset += partRow;
  });
}

export const rnnParamConcatOp = defineOp({
  name: '_rnn_param_concat',
  aliases: ['_npi_rnn_param_concat'],
  doc: 'out = inputs joined along dim, as Concat; with a known output, 1 or 2 unknown inputs get the residual along dim, split evenly. d arg_k = its slice of g.',
  params: {
    num_args: int({ doc: 'number of inputs (filled from the inputs given)', min: 1 }),
    dim: int({ doc: 'the axis to join along; negative counts from the end', default: 1 }),
  },
  variadicParam: 'num_args',
  inputs: (p) => Array.from({ length: p.num_args }, (_, i) => `arg${i}`),
  outputs: () => ['output'],
  inferShape: (p, inputs, [output], site) => {
    const reference = inputs.find((s): s is Shape => s !== null) ?? output ?? null;
    if (!reference) return { inputs, outputs: [null] };
    const axis = checkedAxis(p.dim, reference.length, site, 'dim');
    const fits = (shape: Shape, name: string) => {
      if (shape.length !== reference.length || shape.some((d, i) => i !== axis && d !== reference[i])) {
        site.fail(name, `shape ${shapeToString(shape)} does not match ${shapeToString(reference)} off the concat axis ${axis}: inputs may differ only along dim`, reference, shape);
      }
    };
    inputs.forEach((s, i) => s && fits(s, `arg${i}`));
    if (output) fits(output, 'output');
    const unknown = inputs.flatMap((s, i) => (s ? [] : [i]));
    const knownSum = inputs.reduce((sum, s) => sum + (s ? s[axis]! : 0), 0);
    const withAxis = (n: number) => reference.map((d, i) => (i === axis ? n : d));
    if (unknown.length === 0) return { inputs, outputs: [withAxis(knownSum)] };
    // As MXNet: only 1 or 2 unknown inputs (the i2h weights) are filled in from the output.
    if (!output || unknown.length > 2) return { inputs, outputs: [output ?? null] };
    const residual = output[axis]! - knownSum;
    if (residual < 0) site.fail('output', `size ${output[axis]} along dim is less than the known inputs' ${knownSum}`, knownSum, output[axis]);
    if (residual % unknown.length !== 0) site.fail(`arg${unknown[0]}`, `cannot take an even share of the residual ${residual} along dim`);
    const filled: MaybeShape[] = inputs.slice();
    for (const i of unknown) filled[i] = withAxis(residual / unknown.length);
    return { inputs: filled, outputs: [output] };
  },
  forward: (p, inputs, [out], [req], ctx) => {
    const axis = resolvedAxis(p.dim, out!.shape.length);
    moveParts(ctx.kernels, out!, inputs, inputs.map((t) => t.shape[axis]!), axis, true, inputs.map(() => req!));
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs, outGrads: [g] }, inGrads, req, ctx) => {
      const axis = resolvedAxis(p.dim, g!.shape.length);
      moveParts(ctx.kernels, g!, inGrads, inputs.map((t) => t.shape[axis]!), axis, false, req);
    },
  },
});
