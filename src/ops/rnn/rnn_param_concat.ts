/**
 * `_rnn_param_concat` (MXNet `nn/concat.cc`): Concat with the shape rule gluon's fused RNN layers
 * need. Gluon packs the RNN's parameter vector with it; the first one or two inputs (the i2h
 * weights, sized by a not-yet-known input size) may be unknown and are then inferred from the
 * output, the residual split evenly between them.
 */
import { defineOp } from '../registry';
import type { MaybeShape } from '../types';
import { CONCAT_PARAMS, concatCompute, concatShapes } from '../tensor/concat';

export const rnnParamConcatOp = defineOp({
  name: '_rnn_param_concat',
  aliases: ['_npi_rnn_param_concat'],
  doc: 'out = inputs joined along dim, as Concat; with a known output, 1 or 2 unknown inputs get the residual along dim, split evenly. d arg_k = its slice of g.',
  params: CONCAT_PARAMS,
  variadicParam: 'num_args',
  inputs: (p) => Array.from({ length: p.num_args }, (_, i) => `arg${i}`),
  outputs: () => ['output'],
  inferShape: (p, inputs, [output], site) => {
    const known = concatShapes(p.dim, inputs, output ?? null, site);
    if (!known) return { inputs, outputs: [null] };
    const { axis, unknown, knownSum, withAxis } = known;
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
  ...concatCompute,
});
