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
  forward: (p, [x], [out], [req]) => {
    if (req === 'null') return;
    const lo = Math.fround(p.a_min);
    const hi = Math.fround(p.a_max);
    const xs = x!.data;
    const ys = out!.data;
    const add = req === 'add';
    for (let i = 0; i < ys.length; i++) {
      const v = Math.min(Math.max(xs[i]!, lo), hi);
      ys[i] = add ? ys[i]! + v : v;
    }
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [x], outGrads: [g] }, [dx], [req]) => {
      if (!dx || req === 'null') return;
      const lo = Math.fround(p.a_min);
      const hi = Math.fround(p.a_max);
      const xs = x!.data;
      const gs = g!.data;
      const out = dx.data;
      const add = req === 'add';
      for (let i = 0; i < out.length; i++) {
        const v = xs[i]! < lo || xs[i]! > hi ? 0 : gs[i]!;
        out[i] = add ? out[i]! + v : v;
      }
    },
  },
});
