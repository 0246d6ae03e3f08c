/** Copies for ops that only re-view memory (Reshape, Flatten, expand_dims, Cast), honouring a request. */
import type { Req } from '../types';

/** dst (=|+=) src element by element; buffers of the same size. */
export function copyWithReq(src: Float32Array, dst: Float32Array, req: Req): void {
  if (req === 'write') dst.set(src);
  else if (req === 'add') for (let i = 0; i < dst.length; i++) dst[i]! += src[i]!;
}

/** Forward and backward of an op whose output holds its input's values in the same order. */
export const viewCompute = {
  forward: (_p: unknown, [x]: readonly { data: Float32Array }[], [out]: readonly { data: Float32Array }[], [req]: readonly Req[]) => copyWithReq(x!.data, out!.data, req!),
  backward: {
    usesOutGrads: true,
    compute: (_p: unknown, { outGrads: [g] }: { outGrads: readonly { data: Float32Array }[] }, [dx]: readonly ({ data: Float32Array } | null)[], [req]: readonly Req[]) => {
      if (dx) copyWithReq(g!.data, dx.data, req!);
    },
  },
} as const;
