/**
 * Identity ops with a fixed backward (MXNet 1.9.1 `make_loss-inl.h`,
 * `tensor/elemwise_unary_op_basic.cc`): MakeLoss and make_loss turn any value into a loss whose
 * gradient is a constant; BlockGrad stops gradients. None of them reads the head gradient.
 */
import type { Shape } from '../../base/shape';
import { enumOf, float, ParamSchema, ParamsOf } from '../params';
import { defineOp } from '../registry';
import { sameShapeAll } from '../shape_rules';
import type { Kernels } from '../../backend/backend';
import type { AnyOpDef, Tensor } from '../types';

const MAKE_LOSS_PARAMS = {
  grad_scale: float({ doc: 'the constant gradient', default: 1 }),
  valid_thresh: float({ doc: "with normalization 'valid', elements greater than this count as valid", default: 0 }),
  normalization: enumOf({ doc: 'divides the gradient: null, batch (rows) or valid (elements > valid_thresh)', values: ['null', 'batch', 'valid'], default: 'null' }),
};

/**
 * MXNet divides by the first dimension of the data flattened to 2-D, i.e. all axes but the last:
 * n for (n, k) data, n*t for (n, t, k), and 1 for (n,) data.
 */
function rowsOf2D(shape: Shape): number {
  let rows = 1;
  for (let i = 0; i + 1 < shape.length; i++) rows *= shape[i]!;
  return rows;
}

function makeLossGradient(p: ParamsOf<typeof MAKE_LOSS_PARAMS>, data: Tensor, kernels: Kernels): number {
  switch (p.normalization) {
    case 'null': return p.grad_scale;
    case 'batch': return p.grad_scale / rowsOf2D(data.shape);
    // MXNet compares in float32, so 0.1 as a threshold is 0.1f and a 0.1f element is not above it.
    case 'valid': return p.grad_scale / Math.max(1, kernels.countAbove(data.data, Math.fround(p.valid_thresh)));
    default: { const never: never = p.normalization; return never; }
  }
}

/**
 * The identity-forward heads differ only in their constant gradient: one factory for all three.
 * None reads the head gradient, so `backward()` needs none.
 */
function identityHead<S extends ParamSchema>(spec: {
  name: string;
  aliases?: readonly string[];
  doc: string;
  params: S;
  outputName: string;
  gradient: (p: ParamsOf<S>, data: Tensor, kernels: Kernels) => number;
  /** Whether the gradient reads the data (default: it does not). */
  readsData?: (p: ParamsOf<S>) => boolean;
}): AnyOpDef {
  return defineOp({
    name: spec.name,
    ...(spec.aliases ? { aliases: spec.aliases } : {}),
    doc: spec.doc,
    params: spec.params,
    inputs: () => ['data'],
    outputs: () => [spec.outputName],
    inferShape: sameShapeAll(['data']),
    forward: (_p, [x], [out], [req], ctx) => ctx.kernels.copyValues(x!.data, out!.data, req!),
    backward: {
      usesOutGrads: false,
      // The constant gradient needs the data only to count valid elements (MakeLoss, normalization 'valid').
      reads: (p) => ({ inputs: spec.readsData?.(p) ? [0] : [], outputs: [] }),
      compute: (p, { inputs: [data] }, [grad], [req], ctx) => {
        if (!grad || req === 'null') return;
        const value = spec.gradient(p, data!, ctx.kernels);
        // Adding 0 would change nothing (kept out so -0 entries stay -0, as before).
        if (req === 'write' || value !== 0) ctx.kernels.fillConstant(grad.data, value, req!);
      },
    },
  });
}

const makeLossOp = identityHead({
  name: 'MakeLoss',
  doc: [
    'out = data; dx = grad_scale (null), grad_scale / rows (batch; rows = size / last axis, as MXNet flattens to 2-D),',
    'or grad_scale / max(1, count(data > valid_thresh)) (valid): a constant, not a derivative. Head gradient ignored.',
  ].join('\n'),
  params: MAKE_LOSS_PARAMS,
  outputName: 'output',
  gradient: makeLossGradient,
  readsData: (p) => p.normalization === 'valid',
});

/** make_loss (lower case) has no parameters, a gradient of ones, and an output named `loss`. */
const makeLossLowerOp = identityHead({
  name: 'make_loss',
  doc: 'out = data (output name `loss`); dx = 1. Head gradient ignored.',
  params: {},
  outputName: 'loss',
  gradient: () => 1,
});

const blockGradOp = identityHead({
  name: 'BlockGrad',
  aliases: ['stop_gradient'],
  doc: "out = data; dx = 0 (zeros under 'write', unchanged under 'add'). Head gradient ignored.",
  params: {},
  outputName: 'output',
  gradient: () => 0,
});

export const makeLossOps: readonly AnyOpDef[] = [makeLossOp, makeLossLowerOp, blockGradOp];
