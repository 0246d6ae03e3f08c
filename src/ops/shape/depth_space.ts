/**
 * `depth_to_space` and `space_to_depth` (MXNet `tensor/matrix_op-inl.h`): 4-d NCHW data
 * rearranged between channel blocks and b x b spatial blocks. Each is a 6-d transpose of a
 * reshape, i.e. one strided view; the two are each other's inverse, so the gradients are the
 * inverse copies.
 */
import { Shape, shapeToString, stridesOf } from '../../base/shape';
import { int } from '../params';
import { defineOp } from '../registry';
import type { AnyOpDef, ShapeSite } from '../types';

interface BlockView {
  /** The output, seen as 6-d (contiguous), and where each of its axes steps in the input. */
  readonly shape: Shape;
  readonly inputStrides: readonly number[];
  readonly strides: readonly number[];
  readonly output: Shape;
}

function checkBlocks(name: string, b: number, data: Shape, site: ShapeSite): void {
  if (b <= 0) site.fail('block_size', `must be positive, got ${b}`, '> 0', b);
  if (data.length !== 4) site.fail('data', `shape ${shapeToString(data)} must be 4-d (N, C, H, W) for ${name}`, 4, data.length);
  if (data.some((d) => d === 0)) site.fail('data', `shape ${shapeToString(data)} has a zero dimension`);
  if (name === 'depth_to_space' && data[1]! % (b * b) !== 0) site.fail('data', `has ${data[1]} channels, not a multiple of block_size^2 = ${b * b}`, b * b, data[1]);
  if (name === 'space_to_depth' && (data[2]! % b !== 0 || data[3]! % b !== 0)) site.fail('data', `height ${data[2]} and width ${data[3]} must be multiples of block_size ${b}`, b, [data[2], data[3]]);
}

/** depth_to_space: out[n, c, h*b + i, w*b + j] = x[n, (i*b + j)*C' + c, h, w]. */
function depthToSpaceView(b: number, [n, c, h, w]: Shape): BlockView {
  const depth = c! / (b * b);
  const [sN, sC, sH] = stridesOf([n!, c!, h!, w!]) as [number, number, number, number];
  const shape = [n!, depth, h!, b, w!, b];
  return { shape, inputStrides: [sN, sC, sH, b * depth * sC, 1, depth * sC], strides: stridesOf(shape), output: [n!, depth, h! * b, w! * b] };
}

/** space_to_depth: out[n, (i*b + j)*C + c, h, w] = x[n, c, h*b + i, w*b + j]. */
function spaceToDepthView(b: number, [n, c, h, w]: Shape): BlockView {
  const [sN, sC, sH] = stridesOf([n!, c!, h!, w!]) as [number, number, number, number];
  const shape = [n!, b, b, c!, h! / b, w! / b];
  return { shape, inputStrides: [sN, sH, 1, sC, b * sH, b], strides: stridesOf(shape), output: [n!, c! * b * b, h! / b, w! / b] };
}

function blockOp(name: 'depth_to_space' | 'space_to_depth', view: (b: number, data: Shape) => BlockView, doc: string): AnyOpDef {
  return defineOp({
    name,
    doc,
    params: { block_size: int({ doc: 'the side b of the b x b blocks (required)' }) },
    inputs: () => ['data'],
    outputs: () => ['output'],
    inferShape: (p, [data], _outputs, site) => {
      if (!data) return { inputs: [null], outputs: [null] };
      checkBlocks(name, p.block_size, data, site);
      return { inputs: [data], outputs: [view(p.block_size, data).output] };
    },
    createState: (p, [data]) => view(p.block_size, data!),
    forward: (_p, [x], [out], [req], ctx) => {
      const v = ctx.state;
      ctx.kernels.stridedCopy(x!.data, 0, v.inputStrides, out!.data, 0, v.strides, v.shape, req!);
    },
    backward: {
      usesOutGrads: true,
      compute: (_p, { outGrads: [g] }, [dx], [req], ctx) => {
        if (!dx) return;
        const v = ctx.state;
        ctx.kernels.stridedCopy(g!.data, 0, v.strides, dx.data, 0, v.inputStrides, v.shape, req!);
      },
    },
  });
}

export const depthToSpaceOp = blockOp('depth_to_space', depthToSpaceView,
  '(N, C, H, W) -> (N, C/b^2, H*b, W*b): out[n, c, h*b+i, w*b+j] = x[n, (i*b+j)*C/b^2 + c, h, w]; dx = space_to_depth(g).');
export const spaceToDepthOp = blockOp('space_to_depth', spaceToDepthView,
  '(N, C, H, W) -> (N, C*b^2, H/b, W/b): out[n, (i*b+j)*C + c, h, w] = x[n, c, h*b+i, w*b+j]; dx = depth_to_space(g).');
