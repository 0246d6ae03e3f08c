/** hard_sigmoid (elemwise_unary_op_basic.cc): a clipped line, with its slope and bias as parameters. */
import { float } from '../params';
import { defineOp } from '../registry';
import { sameShapeAll } from '../shape_rules';

export const hardSigmoidOp = defineOp({
  name: 'hard_sigmoid',
  doc: 'y = max(0, min(1, alpha*x + beta)) in float32 steps; dx = g*alpha where 0 < alpha*x + beta < 1, else 0',
  params: {
    alpha: float({ doc: 'slope of hard sigmoid', default: 0.2 }),
    beta: float({ doc: 'bias of hard sigmoid', default: 0.5 }),
  },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: sameShapeAll(['data']),
  inplace: [[0, 0]],
  forward: (p, [x], [out], [req], ctx) => ctx.kernels.hardSigmoid(x!.data, p.alpha, p.beta, out!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [x], outGrads: [g] }, [grad], [req], ctx) => {
      if (grad) ctx.kernels.hardSigmoidGrad(x!.data, p.alpha, p.beta, g!.data, grad.data, req!);
    },
  },
});
