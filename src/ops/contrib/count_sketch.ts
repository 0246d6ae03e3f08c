/**
 * `_contrib_count_sketch` (MXNet `contrib/count_sketch-inl.h`): projects the last axis of 2-d (N, d)
 * or 4-d (N1, N2, N3, d) data to out_dim buckets, out[..., h[i]] += s[i] * data[..., i], with h the
 * bucket and s the sign (+-1) of each input column, given as (1, d) arrays. MXNet runs it on GPU
 * only; mxts on every backend.
 */
import { shapeToString, Shape } from '../../base/shape';
import { int } from '../params';
import { defineOp } from '../registry';
import type { ShapeSite } from '../types';

const rowsOf = (shape: Shape) => shape.slice(0, -1).reduce((a, b) => a * b, 1);

function checkHash(shape: Shape | null, name: 'h' | 's', d: number, site: ShapeSite): void {
  if (shape && (shape.length !== 2 || shape[1] !== d)) {
    site.fail(name, `must be 2-d with shape[1] = ${d} (the data's last axis), got ${shapeToString(shape)}`);
  }
}

export const countSketchOp = defineOp({
  name: '_contrib_count_sketch',
  doc: [
    'out[..., j] = sum over columns i with h[i] = j of s[i] * data[..., i] (h truncated to an integer; columns with h outside',
    '[0, out_dim) are dropped); d data[..., i] = g[..., h[i]] * s[i]. h and s receive no gradient.',
  ].join('\n'),
  params: {
    out_dim: int({ doc: 'number of output buckets (required)', min: 1 }),
    processing_batch_size: int({ doc: 'rows per GPU launch in MXNet (no effect on the result)', default: 32 }),
  },
  inputs: () => ['data', 'h', 's'],
  outputs: () => ['output'],
  inferShape: (p, [data, h, s], outputs, site) => {
    if (!data) return { inputs: [null, h ?? null, s ?? null], outputs };
    if (data.length !== 2 && data.length !== 4) site.fail('data', `must be 2-d (N, d) or 4-d (N1, N2, N3, d), got ${shapeToString(data)}`);
    const d = data[data.length - 1]!;
    checkHash(h ?? null, 'h', d, site);
    checkHash(s ?? null, 's', d, site);
    return { inputs: [data, h ?? [1, d], s ?? [1, d]], outputs: [[...data.slice(0, -1), p.out_dim]] };
  },
  forward: (p, [x, h, s], [out], [req], ctx) => {
    const d = x!.shape[x!.shape.length - 1]!;
    ctx.kernels.countSketch(x!.data, rowsOf(x!.shape), d, h!.data, s!.data, p.out_dim, out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    differentiable: (_p, i) => i === 0,
    compute: (p, { inputs: [x, h, s], outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx) return;
      const d = x!.shape[x!.shape.length - 1]!;
      ctx.kernels.countSketchBackward(g!.data, rowsOf(x!.shape), d, h!.data, s!.data, p.out_dim, dx.data, req!);
    },
  },
});
