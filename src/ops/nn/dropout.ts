/**
 * `Dropout` (MXNet `nn/dropout-inl.h`): zeroes each element with probability p while training and
 * scales the kept ones by 1/(1-p). The scaled mask is a hidden output that backward reuses.
 */
import { shapeToString } from '../../base/shape';
import { fillUniform } from '../../base/random';
import { bool, enumOf, float, intTuple, optional, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { Shape } from '../../base/shape';

const PARAMS = {
  p: float({ doc: 'fraction of the input that gets dropped', default: 0.5, min: 0, max: 1 }),
  mode: enumOf({ doc: "'training': drop only while training; 'always': drop in inference too", values: ['training', 'always'], default: 'training' }),
  axes: intTuple({ doc: 'axes along which one mask value is shared (variational dropout)', default: [] }),
  cudnn_off: optional(bool({ doc: 'no effect in mxts', default: false })),
};
type Params = ParamsOf<typeof PARAMS>;

/** The mask's shape: the data's, with 1 on every axis in `axes`. */
function maskShape(p: Params, data: Shape, fail: (problem: string) => never): Shape {
  const shape = data.slice();
  for (const axis of p.axes) {
    const resolved = axis < 0 ? axis + data.length : axis;
    if (resolved < 0 || resolved >= data.length) fail(`axis ${axis} is out of range for data ${shapeToString(data)}`);
    shape[resolved] = 1;
  }
  return shape;
}

const times = (x: number, m: number) => x * m;

export const dropoutOp = defineOp({
  name: 'Dropout',
  doc: [
    'Training (or mode always): mask = (u < 1-p) / (1-p) with u ~ U[0,1) from the seeded generator (mx.random.seed),',
    'out = x * mask, dx = g * mask (the same mask, kept in the hidden `mask` output). Otherwise out = x, mask = 1, dx = g.',
    'p = 1 drops everything. axes share one mask value along the listed axes (the mask has size 1 there).',
    'mxts: the random stream is not MXNet\'s, so masks differ from MXNet\'s for the same seed.',
  ].join('\n'),
  params: PARAMS,
  inputs: () => ['data'],
  outputs: () => ['output', 'mask'],
  numVisibleOutputs: () => 1,
  inferShape: (p, inputs, outputs, site) => {
    const data = inputs[0] ?? outputs[0] ?? null;
    if (!data) return { inputs, outputs };
    return { inputs: [data], outputs: [data, maskShape(p, data, (problem) => site.fail('axes', problem))] };
  },
  forward: (p, [x], [out, mask], [req], ctx) => {
    const m = mask!.data;
    if (ctx.isTrain || p.mode === 'always') {
      const keep = 1 - p.p;
      fillUniform(m, 0, 1);
      for (let i = 0; i < m.length; i++) m[i] = keep > 0 && m[i]! < keep ? 1 / keep : 0;
    } else {
      m.fill(1);
    }
    if (req === 'null') return;
    ctx.kernels.broadcastBinary(x!.data, x!.shape, m, mask!.shape, out!.data, x!.shape, times, req!);
  },
  backward: {
    usesOutGrads: true,
    reads: () => ({ inputs: [], outputs: [1] }),
    compute: (_p, { outputs: [out, mask], outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx || req === 'null') return;
      ctx.kernels.broadcastBinary(g!.data, out!.shape, mask!.data, mask!.shape, dx.data, out!.shape, times, req!);
    },
  },
});
