/**
 * `_histogram` (MXNet `tensor/histogram-inl.h`): counts of data in bins, either bin_cnt uniform
 * bins over range (both given) or the edges in a `bins` input (neither given). Outputs the counts
 * (int64 in MXNet, float32 here) and the edges. Not differentiable (no gradient, as in MXNet).
 */
import { ParamError } from '../../base/errors';
import { describe, shapeToString } from '../../base/shape';
import { int, optional, type ParamSpec } from '../params';
import { defineOp } from '../registry';

/** A (lo, hi) pair of floats: `[0, 5]`, `"(0, 5)"` or `"(0.0, 5.0)"`. */
function floatPair(doc: string): ParamSpec<readonly [number, number]> {
  return {
    doc,
    default: undefined,
    parse: (raw, site) => {
      const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.replace(/[()[\]\s]/g, '').split(',').filter((t) => t !== '') : null;
      const values = items?.map((item) => (typeof item === 'number' ? item : Number(item)));
      if (!values || values.length !== 2 || values.some((v) => !Number.isFinite(v))) {
        throw new ParamError({ ...site, actual: raw }, `must be a pair of numbers (lo, hi), got ${describe(raw)}`);
      }
      if (values[0]! > values[1]!) throw new ParamError({ ...site, actual: raw }, `(${values.join(', ')}) must have lo <= hi`);
      return Object.freeze([values[0]!, values[1]!] as const);
    },
  };
}

export const histogramOp = defineOp({
  name: '_histogram',
  doc: 'counts[b] = number of data values in [edges[b], edges[b+1]) (the last bin closed; values outside ignored); edges = bin_cnt+1 even steps over range (lo == hi widens to lo-0.5, hi+0.5), or the bins input. Not differentiable.',
  params: {
    bin_cnt: optional(int({ doc: 'number of uniform bins (needs range)', min: 1 })),
    range: optional(floatPair('(lo, hi) of the uniform bins (needs bin_cnt)')),
  },
  inputs: (p) => (p.bin_cnt === null ? ['data', 'bins'] : ['data']),
  outputs: () => ['output0', 'output1'],
  inferShape: (p, inputs, _outputs, site) => {
    if ((p.bin_cnt === null) !== (p.range === null)) site.fail('bin_cnt', 'and range must be given together (uniform bins) or both left out (a bins input)');
    if (p.bin_cnt !== null) return { inputs, outputs: [[p.bin_cnt], [p.bin_cnt + 1]] };
    const bins = inputs[1] ?? null;
    if (!bins) return { inputs, outputs: [null, null] };
    if (bins.length !== 1 || bins[0]! < 2) site.fail('bins', `shape ${shapeToString(bins)} must be a 1-d vector of at least 2 edges`);
    return { inputs, outputs: [[bins[0]! - 1], bins] };
  },
  forward: (p, [data, bins], [counts, edges], req, ctx) => {
    let uniform: readonly [number, number] | null = null;
    if (p.bin_cnt !== null && p.range !== null) {
      uniform = p.range[0] === p.range[1] ? [p.range[0] - 0.5, p.range[1] + 0.5] : p.range;
      ctx.kernels.linspaceEdges(uniform[0], uniform[1], edges!.data, 'write');
    } else {
      ctx.kernels.copyInto(bins!.data, edges!.data, 'write');
    }
    ctx.kernels.histogramCount(data!.data, edges!.data, uniform, counts!.data, req[0]!);
  },
  // No backward: MXNet registers no gradient for _histogram, so binding with one fails.
});
