/**
 * The im2col / col2im operators (MXNet `nn/im2col.cc`) for 1 to 3 spatial axes: sliding blocks of
 * (N, C, *spatial) images as columns (N, C * prod(kernel), prod(blocks)), and the adjoint that adds
 * columns back into images. Named apart from the convolution kernels' `im2col`/`col2im`.
 */
import type { Req } from '../../base/req';

export interface BlockGeometry {
  readonly batch: number;
  readonly channels: number;
  /** Image sizes per spatial axis. */
  readonly image: readonly number[];
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly pad: readonly number[];
  readonly dilate: readonly number[];
  /** Block counts per spatial axis. */
  readonly blocks: readonly number[];
}

/** Pads per-axis lists to 3 axes (size 1, kernel 1, stride 1, pad 0, dilate 1 on the leading extras). */
function threeAxes(g: BlockGeometry) {
  const lead = 3 - g.kernel.length;
  const pad3 = (list: readonly number[], fill: number) => [...new Array<number>(lead).fill(fill), ...list];
  return { image: pad3(g.image, 1), kernel: pad3(g.kernel, 1), stride: pad3(g.stride, 1), pad: pad3(g.pad, 0), dilate: pad3(g.dilate, 1), blocks: pad3(g.blocks, 1) };
}

/**
 * Visits every (column row, block) pair of one channel with the flat image offset it reads, or -1
 * in the padding: rows run over kernel taps, columns over blocks, both row-major.
 */
function forEachTap(g: BlockGeometry, visit: (tap: number, block: number, pixel: number) => void): void {
  const { image, kernel, stride, pad, dilate, blocks } = threeAxes(g);
  const [id, ih, iw] = image as [number, number, number];
  const [bd, bh, bw] = blocks as [number, number, number];
  let tap = 0;
  for (let kd = 0; kd < kernel[0]!; kd++) {
    for (let kh = 0; kh < kernel[1]!; kh++) {
      for (let kw = 0; kw < kernel[2]!; kw++, tap++) {
        let block = 0;
        for (let od = 0; od < bd; od++) {
          const d = od * stride[0]! - pad[0]! + kd * dilate[0]!;
          for (let oh = 0; oh < bh; oh++) {
            const h = oh * stride[1]! - pad[1]! + kh * dilate[1]!;
            for (let ow = 0; ow < bw; ow++, block++) {
              const w = ow * stride[2]! - pad[2]! + kw * dilate[2]!;
              const inside = d >= 0 && d < id && h >= 0 && h < ih && w >= 0 && w < iw;
              visit(tap, block, inside ? (d * ih + h) * iw + w : -1);
            }
          }
        }
      }
    }
  }
}

const product = (list: readonly number[]) => list.reduce((a, b) => a * b, 1);

/** col[n, c*K + tap, block] (req)= image[n, c] at the tap's pixel of the block (0 in the padding). */
function im2colOp(image: Float32Array, g: BlockGeometry, col: Float32Array, req: Req): void {
  if (req === 'null') return;
  const taps = product(g.kernel);
  const blocks = product(g.blocks);
  const plane = product(g.image);
  for (let nc = 0; nc < g.batch * g.channels; nc++) {
    const src = nc * plane;
    const dst = nc * taps * blocks;
    forEachTap(g, (tap, block, pixel) => {
      const v = pixel >= 0 ? image[src + pixel]! : 0;
      const o = dst + tap * blocks + block;
      col[o] = req === 'add' ? col[o]! + v : v;
    });
  }
}

/** image (req)= the sum, over every column entry, added at the pixel it was taken from (padding dropped). */
function col2imOp(col: Float32Array, g: BlockGeometry, image: Float32Array, req: Req): void {
  if (req === 'null') return;
  if (req === 'write') image.fill(0);
  const taps = product(g.kernel);
  const blocks = product(g.blocks);
  const plane = product(g.image);
  for (let nc = 0; nc < g.batch * g.channels; nc++) {
    const dst = nc * plane;
    const src = nc * taps * blocks;
    forEachTap(g, (tap, block, pixel) => {
      if (pixel >= 0) image[dst + pixel]! += col[src + tap * blocks + block]!;
    });
  }
}

export const visionIm2colKernels = { im2colOp, col2imOp };
