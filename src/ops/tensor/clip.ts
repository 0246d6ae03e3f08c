/** `clip` (MXNet `tensor/matrix_op-inl.h`): limits values to [a_min, a_max]. */
import { float } from '../params';
import { defineOp } from '../registry';
import { sameShapeAll } from '../shape_rules';

export const clipOp = defineOp({
  name: 'clip',
  doc: 'y = min(max(x, a_min), a_max); dx = g where a_min <= x <= a_max (bounds included), else 0. a_min, a_max rounded to float32.',
  params: {
    a_min: float({ doc: 'minimum value (required)' }),
    a_max: float({ doc: 'maximum value (required)' }),
  },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: sameShapeAll(['data']),
  forward: (p, [x], [out], [req], ctx) => ctx.kernels.clipValues(x!.data, Math.fround(p.a_min), Math.fround(p.a_max), out!.data, req!),
  backward: {
    usesOutGrads: true,
    reads: () => ({ inputs: [0], outputs: [] }),
    compute: (p, { inputs: [x], outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.clipGrad(x!.data, Math.fround(p.a_min), Math.fround(p.a_max), g!.data, dx.data, req!);
    },
  },
});
