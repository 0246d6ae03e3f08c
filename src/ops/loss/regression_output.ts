/**
 * LinearRegressionOutput, LogisticRegressionOutput and MAERegressionOutput from one factory
 * (MXNet 1.9.1 `regression_output-inl.h`): a forward map, and a backward that replaces the head
 * gradient by B(out, label) * grad_scale / num_output, num_output being the outputs per sample.
 */
import { shapeToString, sizeOf } from '../../base/shape';
import type { Shape } from '../../base/shape';
import type { RegressionLoss } from '../../backend/reference/losses';
import type { UnaryFunction } from '../../backend/reference/unary_math';
import { float } from '../params';
import { defineOp } from '../registry';
import type { AnyOpDef, InferredShapes, MaybeShape, ShapeSite } from '../types';

const PARAMS = {
  grad_scale: float({ doc: 'multiplies the gradient', default: 1 }),
};

interface RegressionHead {
  readonly name: string;
  /** The forward map, a backend scalar function. */
  readonly forward: UnaryFunction;
  /** B(out, label), the gradient before scaling: out - label, or its sign (-1 at equality). */
  readonly loss: RegressionLoss;
  readonly formula: string;
}

const HEADS: readonly RegressionHead[] = [
  { name: 'LinearRegressionOutput', forward: 'identity', loss: 'squared', formula: 'out = data; dx = (out - label) * s' },
  { name: 'LogisticRegressionOutput', forward: 'sigmoid', loss: 'squared', formula: 'out = 1/(1+exp(-data)); dx = (out - label) * s' },
  // MXNet's minus_sign: -1 at equality, not 0.
  { name: 'MAERegressionOutput', forward: 'identity', loss: 'absolute', formula: 'out = data; dx = (out - label > 0 ? 1 : -1) * s' },
];

/**
 * Unknown label: (n,) for data (n, 1), else the data's shape. A known label needs the data's first
 * dimension and its size (any such reshape is accepted, as in MXNet); a (n,) label for (n, k>1)
 * data is an error, not a broadcast.
 */
function inferShape(_p: unknown, inputs: readonly MaybeShape[], outputs: readonly MaybeShape[], site: ShapeSite): InferredShapes {
  const data = inputs[0] ?? outputs[0] ?? null;
  if (!data) return { inputs, outputs };
  const label = inputs[1] ?? null;
  if (!label) return { inputs: [data, data.length === 2 && data[1] === 1 ? [data[0]!] : data], outputs: [data] };
  if (label[0] !== data[0] || sizeOf(label) !== sizeOf(data)) {
    site.fail(
      'label',
      `shape ${shapeToString(label)} does not match data ${shapeToString(data)}: ` +
        `a label needs the same first dimension (${data[0] ?? 'none'}) and the same size (${sizeOf(data)}), e.g. ${shapeToString(data)}`,
      data,
      label,
    );
  }
  return { inputs: [data, label], outputs: [data] };
}

/** MXNet's num_output = label.size / label.shape[0], written so an empty batch cannot divide by 0. */
function outputsPerSample(label: Shape): number {
  let size = 1;
  for (let i = 1; i < label.length; i++) size *= label[i]!;
  return size;
}

function regressionOutput(head: RegressionHead): AnyOpDef {
  return defineOp({
    name: head.name,
    doc: [
      `${head.formula}, s = grad_scale / num_output, num_output = label.size / label.shape[0] (outputs per sample, not the batch).`,
      'The head gradient is ignored; the label gets no gradient.',
      "mxts differs from MXNet 1.9.1 for gradReq 'add': it gives old + dx (MXNet gives (old + B) * (1 + s)).",
    ].join('\n'),
    params: PARAMS,
    inputs: () => ['data', 'label'],
    outputs: () => ['output'],
    inferShape,
    forward: (_p, [x], [out], [req], ctx) => ctx.kernels.unaryMap(head.forward, x!.data, out!.data, req!),
    backward: {
      usesOutGrads: false,
      // mxts: labels are not differentiable (MXNet never writes their gradient).
      differentiable: (_p, i) => i === 0,
      reads: () => ({ inputs: [1], outputs: [0] }),
      compute: (p, { inputs: [, label], outputs: [out] }, [grad], [req], ctx) => {
        // mxts: one pass honouring req; MXNet's two passes with the same req compound under 'add'.
        if (grad) ctx.kernels.regressionGrad(head.loss, out!.data, label!.data, grad.data, p.grad_scale / outputsPerSample(label!.shape), req!);
      },
    },
  });
}

export const regressionOutputOps: readonly AnyOpDef[] = HEADS.map(regressionOutput);
