/**
 * im2col and col2im as operators (MXNet `nn/im2col.cc`, `im2col-inl.h`): sliding blocks of an
 * (N, C, *spatial) image as columns (N, C * prod(kernel), blocks), and back. Each is the other's
 * adjoint, so each one's gradient is the other.
 */
import type { BlockGeometry } from '../../backend/reference/vision_im2col';
import { Shape, shapeToString } from '../../base/shape';
import { intTuple, ParamsOf } from '../params';
import { defineOp } from '../registry';
import type { ShapeSite } from '../types';

const WINDOW = {
  kernel: intTuple({ doc: 'sliding kernel size: (w,), (h, w) or (d, h, w)', min: 1 }),
  stride: intTuple({ doc: 'step between blocks per spatial axis; () means 1', default: [], min: 1 }),
  dilate: intTuple({ doc: 'spacing of kernel points per spatial axis; () means 1', default: [], min: 1 }),
  pad: intTuple({ doc: 'zero padding on both sides per spatial axis; () means 0', default: [], min: 0 }),
};
const COL2IM = { output_size: intTuple({ doc: 'spatial size of the image: (w,), (h, w) or (d, h, w)', min: 1 }), ...WINDOW };
type WindowParams = ParamsOf<typeof WINDOW>;

interface Window { kernel: readonly number[]; stride: readonly number[]; pad: readonly number[]; dilate: readonly number[] }

/** kernel, stride, dilate and pad with defaults filled in; fails naming the parameter whose length disagrees. */
function windowOf(p: WindowParams, site?: ShapeSite): Window {
  const n = p.kernel.length;
  if (site && (n < 1 || n > 3)) site.fail('kernel', `(${p.kernel.join(', ')}) must have 1, 2 or 3 axes`);
  const axes = (name: 'stride' | 'dilate' | 'pad', fallback: number) => {
    const given = p[name];
    if (given.length === 0) return new Array<number>(n).fill(fallback);
    if (site && given.length !== n) site.fail(name, `(${given.join(', ')}) must have as many axes as kernel (${n})`);
    return given;
  };
  return { kernel: p.kernel, stride: axes('stride', 1), dilate: axes('dilate', 1), pad: axes('pad', 0) };
}

/** Blocks along each axis of an image of the given spatial sizes; fails when a dilated kernel exceeds a padded axis. */
function blocksOf(w: Window, image: readonly number[], site?: ShapeSite, argument = 'data'): number[] {
  return w.kernel.map((k, i) => {
    const padded = image[i]! + 2 * w.pad[i]!;
    const dilated = w.dilate[i]! * (k - 1) + 1;
    if (site && dilated > padded) site.fail(argument, `spatial size ${image[i]} padded to ${padded} is smaller than the dilated kernel ${dilated} on spatial axis ${i}`);
    return Math.floor((padded - dilated) / w.stride[i]!) + 1;
  });
}

const product = (list: readonly number[]) => list.reduce((a, b) => a * b, 1);

const geometry = (w: Window, batch: number, channels: number, image: readonly number[]): BlockGeometry => ({
  batch, channels, image, ...w, blocks: blocksOf(w, image),
});

/** im2col's geometry from the image shape (N, C, *spatial). */
const imageGeometry = (p: WindowParams, image: Shape) => geometry(windowOf(p), image[0]!, image[1]!, image.slice(2));

/** col2im's geometry from the column shape (N, C*K, L) and output_size. */
const columnGeometry = (p: WindowParams & { output_size: readonly number[] }, col: Shape) => {
  const w = windowOf(p);
  return geometry(w, col[0]!, col[1]! / product(w.kernel), p.output_size);
};

export const im2colOp = defineOp({
  name: 'im2col',
  doc: [
    'out[n, c*K + tap, block] = data[n, c] at block*stride - pad + tap*dilate (0 in the padding), K = prod(kernel),',
    'blocks row-major over the convolution output positions. d data = col2im(g) (sums overlapping blocks).',
  ].join('\n'),
  params: WINDOW,
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    const w = windowOf(p, site);
    if (!data) return { inputs: [null], outputs: [null] };
    if (data.length !== w.kernel.length + 2) site.fail('data', `shape ${shapeToString(data)} must have ${w.kernel.length + 2} axes (batch, channel and ${w.kernel.length} spatial) for kernel (${p.kernel.join(', ')})`);
    const blocks = blocksOf(w, data.slice(2), site);
    return { inputs: [data], outputs: [[data[0]!, data[1]! * product(w.kernel), product(blocks)]] };
  },
  forward: (p, [data], [out], [req], ctx) => ctx.kernels.im2colOp(data!.data, imageGeometry(p, data!.shape), out!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [data], outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.col2imOp(g!.data, imageGeometry(p, data!.shape), dx.data, req!);
    },
  },
});

export const col2imOp = defineOp({
  name: 'col2im',
  doc: [
    'out[n, c] = sum over blocks and taps of data[n, c*K + tap, block] added at block*stride - pad + tap*dilate',
    '(padding dropped), out spatial = output_size. d data = im2col(g).',
  ].join('\n'),
  params: COL2IM,
  inputs: () => ['data'],
  outputs: () => ['output'],
  inferShape: (p, [data], _outputs, site) => {
    const w = windowOf(p, site);
    if (p.output_size.length !== w.kernel.length) site.fail('output_size', `(${p.output_size.join(', ')}) must have as many axes as kernel (${w.kernel.length})`);
    const blocks = blocksOf(w, p.output_size, site, 'output_size');
    if (!data) return { inputs: [null], outputs: [null] };
    const taps = product(w.kernel);
    if (data.length !== 3) site.fail('data', `shape ${shapeToString(data)} must be 3-d (batch, channel * prod(kernel), blocks)`);
    if (data[1]! % taps !== 0) site.fail('data', `has ${data[1]} rows, not divisible by prod(kernel) = ${taps}`);
    if (data[2] !== product(blocks)) site.fail('data', `has ${data[2]} blocks, but output_size (${p.output_size.join(', ')}) gives ${product(blocks)}`);
    return { inputs: [data], outputs: [[data[0]!, data[1]! / taps, ...p.output_size]] };
  },
  forward: (p, [data], [out], [req], ctx) => ctx.kernels.col2imOp(data!.data, columnGeometry(p, data!.shape), out!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (p, { inputs: [data], outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) ctx.kernels.im2colOp(g!.data, columnGeometry(p, data!.shape), dx.data, req!);
    },
  },
});
