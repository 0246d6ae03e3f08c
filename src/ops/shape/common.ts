/** Parameter kinds and small helpers shared by the shape, indexing and creation ops. */
import { ParamError } from '../../base/errors';
import { describe, Shape } from '../../base/shape';
import { enumOf, ParamSpec, string } from '../params';
import type { ForwardContext, Req, Tensor } from '../types';

/** MXNet's dtype enum of the creation ops. mxts computes in float32 whatever is named here. */
export const DTYPES = ['float32', 'float64', 'float16', 'bfloat16', 'uint8', 'int8', 'int32', 'int64', 'bool'] as const;

export function dtypeParam(): ParamSpec<(typeof DTYPES)[number]> {
  return enumOf({ doc: 'the output data type (mxts stores every dtype as float32 for now)', values: DTYPES, default: 'float32' });
}

export function ctxParam(): ParamSpec<string> {
  return string({ doc: 'the device context of imperative calls (mxts runs on the CPU)', default: '' });
}

/**
 * A tuple whose items may be None (MXNet's `Tuple<optional<int>>`: slice's begin/end/step):
 * `[null, 1]`, `"(None, 1)"`, `"[None,1]"`.
 */
export function optionalIntTuple(options: { doc: string; default?: readonly (number | null)[] }): ParamSpec<readonly (number | null)[]> {
  return {
    doc: options.doc,
    default: options.default,
    parse: (raw, site) => {
      let items: unknown[];
      if (Array.isArray(raw)) items = raw;
      else if (typeof raw === 'number' || raw === null) items = [raw];
      else if (typeof raw === 'string' && /^\s*[([]?[\s\d,+\-None]*[)\]]?\s*$/.test(raw)) {
        items = raw.replace(/[()[\]\s]/g, '').split(',').filter((s) => s !== '');
      } else throw new ParamError({ ...site, actual: raw }, `must be a tuple of integers or None such as (None, 1), got ${describe(raw)}`);
      return Object.freeze(items.map((item) => {
        if (item === null || item === 'None') return null;
        const value = typeof item === 'string' && item.trim() !== '' ? Number(item) : item;
        if (typeof value !== 'number' || !Number.isInteger(value)) {
          throw new ParamError({ ...site, actual: raw }, `must hold integers or None, got ${describe(raw)}`);
        }
        return value;
      }));
    },
  };
}

/** Rows before `axis` and elements after it. */
export function around(shape: Shape, axis: number): { outer: number; inner: number } {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return { outer, inner };
}

/** The identity-like forward and backward of ops whose output holds the input's values in order. */
export const copyCompute = {
  forward: (_p: unknown, [x]: readonly Tensor[], [out]: readonly Tensor[], [req]: readonly Req[], ctx: ForwardContext) =>
    ctx.kernels.copyValues(x!.data, out!.data, req!),
  backward: {
    usesOutGrads: true,
    /** Only the first input receives a gradient (the others only lend their shape). */
    differentiable: (_p: unknown, i: number) => i === 0,
    compute: (_p: unknown, { outGrads: [g] }: { outGrads: readonly Tensor[] }, [dx]: readonly (Tensor | null)[], [req]: readonly Req[], ctx: ForwardContext) => {
      if (dx) ctx.kernels.copyValues(g!.data, dx.data, req!);
    },
  },
} as const;

/** Zeroes a gradient about to be accumulated into, when its request is `write`. */
export function clearForAdd(grad: Tensor, req: Req, ctx: ForwardContext): void {
  if (req === 'write') ctx.kernels.fillConstant(grad.data, 0, 'write');
}
