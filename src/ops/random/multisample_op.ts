/**
 * `_sample_X` (MXNet `random/multisample_op.{h,cc}`): one distribution per element of the
 * parameter arrays (all of one shape [s]); each draws `shape` = [t] samples, so the output is
 * [s] x [t]. Parameters get a zero gradient (MakeZeroGradNodes). Values the distribution does not
 * define (a negative gamma shape) give NaN rather than MXNet's endless rejection loop.
 */
import { shapeToString, type Shape } from '../../base/shape';
import { defineOp } from '../registry';
import type { AnyOpDef, MaybeShape } from '../types';
import { floatDtypeParam, processUniform01, shapeParam, STREAM_NOTE } from './common';
import { DISTRIBUTIONS, Distribution } from './distributions';

type Params = { readonly shape: readonly number[]; readonly dtype: string };

function sampleOp(dist: Distribution): AnyOpDef {
  const names = dist.sampleInputs;
  return defineOp({
    name: `_sample_${dist.name}`,
    aliases: [`sample_${dist.name}`],
    doc: [
      `out[i, ...] holds shape samples of the ${dist.name} law with parameters ${names.map((n) => `${n}[i]`).join(', ')}: ${dist.law}.`,
      `out.shape = ${names[0]}.shape + shape; zero gradients to ${names.join(' and ')}.`,
      STREAM_NOTE,
    ].join('\n'),
    params: { shape: shapeParam('samples drawn from each distribution (dimensions > 0)', 1), dtype: floatDtypeParam() },
    inputs: () => names,
    outputs: () => ['output'],
    inferShape: (p: Params, inputs, [output], site) => {
      // MultiSampleOpShape: the inputs share one shape, known from any input or from the output.
      let params: MaybeShape = null;
      inputs.forEach((shape, i) => {
        if (!shape) return;
        if (params && shapeToString(params) !== shapeToString(shape)) {
          site.fail(names[i]!, `shape ${shapeToString(shape)} does not match ${names[0]} ${shapeToString(params)}`, params, shape);
        }
        params ??= shape;
      });
      if (!params && output) {
        const m = p.shape.length;
        const tail = output.slice(output.length - m);
        if (output.length <= m || tail.some((d, i) => d !== p.shape[i])) {
          site.fail('output', `shape ${shapeToString(output)} does not end with the sample shape (${p.shape.join(',')})`, undefined, output);
        }
        params = output.slice(0, output.length - m);
      }
      const known: Shape | null = params;
      return { inputs: names.map(() => known), outputs: [known ? [...known, ...p.shape] : null] };
    },
    forward: (_p: Params, inputs, [out], [req], ctx) => {
      dist.draw(ctx.kernels, inputs[0]!.data, (inputs[1] ?? inputs[0]!).data, out!.data, req!, processUniform01);
    },
    backward: {
      usesOutGrads: false,
      compute: (_p, _io, grads, req, ctx) => {
        grads.forEach((g, i) => {
          if (g && req[i] === 'write') ctx.kernels.fillConstant(g.data, 0, 'write');
        });
      },
    },
  });
}

export const multiSampleOps: readonly AnyOpDef[] = DISTRIBUTIONS.map(sampleOp);
