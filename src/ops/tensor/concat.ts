/**
 * `Concat` (MXNet `nn/concat.cc`) joins inputs along an axis; `SliceChannel` alias `split`
 * (`slice_channel-inl.h`) cuts one input into equal parts. Each is the other's gradient.
 */
import type { Kernels } from '../../backend/backend';
import { Shape, shapeToString } from '../../base/shape';
import { bool, int } from '../params';
import { defineOp } from '../registry';
import type { MaybeShape, Req, ShapeSite, Tensor } from '../types';
import { checkedAxis, resolvedAxis } from './axes';

/** Rows before the axis and elements per row after it, for one tensor split around `axis`. */
function around(shape: Shape, axis: number): { outer: number; after: number } {
  let outer = 1;
  let after = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) after *= shape[i]!;
  return { outer, after };
}

/**
 * Moves blocks between one whole tensor and its parts along `axis`: parts -> whole when
 * `gather` (Concat forward, split backward), whole -> parts otherwise. req applies to the target.
 */
export function moveBlocks(kernels: Kernels, whole: Tensor, parts: readonly (Tensor | null)[], counts: readonly number[], axis: number, gather: boolean, req: readonly Req[]): void {
  const { outer, after } = around(whole.shape, axis);
  const wholeRow = whole.shape[axis]! * after;
  let offset = 0;
  parts.forEach((part, k) => {
    const partRow = counts[k]! * after;
    if (part) {
      if (gather) kernels.copyRows(part.data, 0, partRow, whole.data, offset, wholeRow, outer, partRow, req[k]!);
      else kernels.copyRows(whole.data, offset, wholeRow, part.data, 0, partRow, outer, partRow, req[k]!);
    }
    offset += partRow;
  });
}

/** Concat's parameters (also `_rnn_param_concat`'s). */
export const CONCAT_PARAMS = {
  num_args: int({ doc: 'number of inputs (filled from the inputs given)', min: 1 }),
  dim: int({ doc: 'the axis to join along; negative counts from the end', default: 1 }),
};

/** What the concat shape rules share once the inputs and output have been checked against each other. */
export interface ConcatShapes {
  readonly axis: number;
  /** Indices of the inputs whose shape is unknown. */
  readonly unknown: readonly number[];
  /** The known inputs' sizes along the axis, summed. */
  readonly knownSum: number;
  /** The common shape with `n` along the axis. */
  readonly withAxis: (n: number) => Shape;
}

/**
 * Checks that the known inputs and output agree off the concat axis; null while no shape is known.
 * Each op then fills in unknowns by its own rule.
 */
export function concatShapes(dim: number, inputs: readonly MaybeShape[], output: MaybeShape, site: ShapeSite): ConcatShapes | null {
  const reference = inputs.find((s): s is Shape => s !== null) ?? output ?? null;
  if (!reference) return null;
  const axis = checkedAxis(dim, reference.length, site, 'dim');
  const fits = (shape: Shape, name: string) => {
    const offAxis = shape.length === reference.length && shape.every((d, i) => i === axis || d === reference[i]);
    if (!offAxis) {
      site.fail(name, `shape ${shapeToString(shape)} does not match ${shapeToString(reference)} off the concat axis ${axis}: inputs may differ only along dim`, reference, shape);
    }
  };
  inputs.forEach((s, k) => s && fits(s, `arg${k}`));
  if (output) fits(output, 'output');
  return {
    axis,
    unknown: inputs.flatMap((s, k) => (s ? [] : [k])),
    knownSum: inputs.reduce((sum, s) => sum + (s ? s[axis]! : 0), 0),
    withAxis: (n) => reference.map((d, i) => (i === axis ? n : d)),
  };
}

/** Concat's forward and backward (also `_rnn_param_concat`'s): the inputs gathered into the output, the gradient scattered back. */
export const concatCompute = {
  forward: (p: { dim: number }, inputs: readonly Tensor[], [out]: readonly Tensor[], [req]: readonly Req[], ctx: { kernels: Kernels }): void => {
    const axis = resolvedAxis(p.dim, out!.shape.length);
    moveBlocks(ctx.kernels, out!, inputs, inputs.map((t) => t.shape[axis]!), axis, true, inputs.map(() => req!));
  },
  backward: {
    usesOutGrads: true,
    // Only the inputs' shapes, which stay valid when their memory is reused.
    reads: () => ({ inputs: [], outputs: [] }),
    compute: (p: { dim: number }, { inputs, outGrads: [g] }: { inputs: readonly Tensor[]; outGrads: readonly Tensor[] }, inGrads: readonly (Tensor | null)[], req: readonly Req[], ctx: { kernels: Kernels }): void => {
      const axis = resolvedAxis(p.dim, g!.shape.length);
      moveBlocks(ctx.kernels, g!, inGrads, inputs.map((t) => t.shape[axis]!), axis, false, req);
    },
  },
};

export const concatOp = defineOp({
  name: 'Concat',
  aliases: ['concat'],
  doc: 'out = inputs joined along dim (all other dims equal); d arg_k = the slice of g that arg_k filled.',
  params: CONCAT_PARAMS,
  variadicParam: 'num_args',
  inputs: (p) => Array.from({ length: p.num_args }, (_, k) => `arg${k}`),
  outputs: () => ['output'],
  inferShape: (p, inputs, [output], site) => {
    const known = concatShapes(p.dim, inputs, output ?? null, site);
    if (!known) return { inputs, outputs: [null] };
    const { axis, unknown, knownSum, withAxis } = known;
    if (unknown.length === 0) return { inputs, outputs: [withAxis(knownSum)] };
    const filled: MaybeShape[] = inputs.slice();
    if (output && unknown.length === 1 && output[axis]! >= knownSum) filled[unknown[0]!] = withAxis(output[axis]! - knownSum);
    return { inputs: filled, outputs: [output ?? null] };
  },
  ...concatCompute,
});

const SPLIT_PARAMS = {
  num_outputs: int({ doc: 'number of equal parts (required)', min: 1 }),
  axis: int({ doc: 'the axis to cut; negative counts from the end', default: 1 }),
  squeeze_axis: bool({ doc: 'drop the cut axis from the outputs (its size must equal num_outputs)', default: false }),
};

export const sliceChannelOp = defineOp({
  name: 'SliceChannel',
  aliases: ['split'],
  doc: 'output_k = data[..., k*n/num : (k+1)*n/num, ...] along axis (n divisible by num_outputs); dx = the output gradients joined back.',
  params: SPLIT_PARAMS,
  inputs: () => ['data'],
  outputs: (p) => Array.from({ length: p.num_outputs }, (_, k) => `output${k}`),
  inferShape: (p, [data], outputs, site) => {
    if (!data) return { inputs: [null], outputs };
    const axis = checkedAxis(p.axis, data.length, site);
    const n = data[axis]!;
    if (n % p.num_outputs !== 0) site.fail('data', `axis ${axis} of shape ${shapeToString(data)} has size ${n}, which num_outputs=${p.num_outputs} does not divide evenly`);
    if (p.squeeze_axis && n !== p.num_outputs) site.fail('data', `axis ${axis} of shape ${shapeToString(data)} has size ${n}; with squeeze_axis it must equal num_outputs=${p.num_outputs}`);
    const part = p.squeeze_axis ? [...data.slice(0, axis), ...data.slice(axis + 1)] : data.map((d, i) => (i === axis ? n / p.num_outputs : d));
    return { inputs: [data], outputs: outputs.map(() => part) };
  },
  forward: (p, [x], outputs, req, ctx) => {
    const axis = resolvedAxis(p.axis, x!.shape.length);
    moveBlocks(ctx.kernels, x!, outputs, outputs.map(() => x!.shape[axis]! / p.num_outputs), axis, false, req);
  },
  backward: {
    usesOutGrads: true,
    reads: () => ({ inputs: [], outputs: [] }),
    compute: (p, { outGrads }, [dx], [req], ctx) => {
      if (!dx || req === 'null') return;
      const axis = resolvedAxis(p.axis, dx.shape.length);
      moveBlocks(ctx.kernels, dx, outGrads, outGrads.map(() => dx.shape[axis]! / p.num_outputs), axis, true, outGrads.map(() => req!));
    },
  },
});
