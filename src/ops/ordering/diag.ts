/**
 * `diag` (MXNet `tensor/diag_op-inl.h`): a 1-d input becomes a square matrix with the input on
 * diagonal k; an n-d input gives diagonal k of its (axis1, axis2) planes, the diagonal as the last
 * axis. The two directions are each other's gradient.
 */
import { shapeToString, type Shape } from '../../base/shape';
import { int } from '../params';
import { defineOp } from '../registry';
import { checkedAxis, resolvedAxis } from '../tensor/axes';

interface DiagParams { readonly k: number; readonly axis1: number; readonly axis2: number }

/** The square matrix a 1-d input of length n fills: (n + |k|) on each side. */
const squareOf = (p: DiagParams, n: number): Shape => [n + Math.abs(p.k), n + Math.abs(p.k)];

export const diagOp = defineOp({
  name: 'diag',
  doc: '1-d x: out (n+|k|, n+|k|) zeros with x on diagonal k. n-d x: out[..., i] = x[..., i + max(-k,0) along axis1, i + max(k,0) along axis2] (those two axes removed, the diagonal appended). dx = the inverse placement of g.',
  params: {
    k: int({ doc: 'diagonal offset: > 0 above the main diagonal, < 0 below', default: 0 }),
    axis1: int({ doc: 'first axis of the 2-d planes (n-d input)', default: 0 }),
    axis2: int({ doc: 'second axis of the 2-d planes (n-d input)', default: 1 }),
  },
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    if (!data) return { inputs: [null], outputs: [null] };
    if (data.length === 0) site.fail('data', `shape ${shapeToString(data)} must have at least 1 dimension`);
    if (data.length === 1) return { inputs: [data], outputs: [squareOf(p, data[0]!)] };
    const a1 = checkedAxis(p.axis1, data.length, site, 'axis1');
    const a2 = checkedAxis(p.axis2, data.length, site, 'axis2');
    if (a1 === a2) site.fail('axis2', `refers to the same axis as axis1 (${a1})`);
    let rows = data[a1]!;
    let cols = data[a2]!;
    if (p.k > 0) cols -= p.k;
    else rows += p.k;
    const length = Math.max(0, Math.min(rows, cols));
    return { inputs: [data], outputs: [[...data.filter((_, i) => i !== a1 && i !== a2), length]] };
  },
  forward: (p, [x], [out], [req], ctx) => {
    const shape = x!.shape;
    if (shape.length === 1) return ctx.kernels.diagEmbed(x!.data, squareOf(p, shape[0]!), 0, 1, p.k, out!.data, req!);
    ctx.kernels.diagExtract(x!.data, shape, resolvedAxis(p.axis1, shape.length), resolvedAxis(p.axis2, shape.length), p.k, out!.data, req!);
  },
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [x], outGrads: [g] }, [dx], [req], ctx) => {
      if (!dx) return;
      const shape = x!.shape;
      if (shape.length === 1) return ctx.kernels.diagExtract(g!.data, squareOf(p, shape[0]!), 0, 1, p.k, dx.data, req!);
      ctx.kernels.diagEmbed(g!.data, shape, resolvedAxis(p.axis1, shape.length), resolvedAxis(p.axis2, shape.length), p.k, dx.data, req!);
    },
  },
});
