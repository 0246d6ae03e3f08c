/** Copies for ops that only re-view memory (Reshape, Flatten, expand_dims, Cast), honouring a request. */
import type { BackwardDef, ForwardContext, Req, Tensor } from '../types';

/** dst (req)= src for same-size buffers: one row, so large copies move as a block. */
function copyAll(ctx: ForwardContext, src: Float32Array, dst: Float32Array, req: Req): void {
  ctx.kernels.copyRows(src, 0, 0, dst, 0, 0, 1, dst.length, req);
}

/** Forward and backward of an op whose output holds its input's values in the same order. */
export const viewCompute = {
  forward: (_p: unknown, [x]: readonly Tensor[], [out]: readonly Tensor[], [req]: readonly Req[], ctx: ForwardContext) => copyAll(ctx, x!.data, out!.data, req!),
  backward: {
    usesOutGrads: true,
    // The head gradient is all it copies: neither the input nor the output is read.
    reads: () => ({ inputs: [], outputs: [] }),
    compute: (_p, { outGrads: [g] }, [dx], [req], ctx) => {
      if (dx) copyAll(ctx, g!.data, dx.data, req!);
    },
  } satisfies BackwardDef<unknown>,
} as const;
