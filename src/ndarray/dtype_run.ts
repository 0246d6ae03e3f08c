/**
 * How a node with dtypes other than float32 runs (for `mx.nd` calls and executors alike): on the
 * reference kernels, over each array's own storage, with float64 scratch, and with every output
 * settled to its dtype afterwards (float16 rounded to half, int64 truncated). Integer stores
 * truncate and wrap by themselves (a store into an Int32Array is a C cast), so integer division
 * and overflow come out as in MXNet's C++ kernels. Nodes whose dtypes are all float32 never come
 * here: they keep the fast kernels.
 */
import { backendNamed } from '../backend/select';
import type { Kernels } from '../backend/backend';
import { DType, DTypeArray, castScalar, needsSettling, settleValues } from '../base/dtype';
import { checkComputable } from '../ops/dtype_support';
import type { AnyOpDef, BackwardDef, Tensor } from '../ops/types';
import type { NDArray } from './ndarray';

export const allFloat32 = (dtypes: readonly DType[]): boolean => dtypes.every((d) => d === 'float32');

/**
 * A kernel's view of an array of any dtype. Kernels are written over Float32Array, but the
 * reference kernels only index, add and multiply, which every typed array does alike; this is the
 * one place where another storage is handed to them under that type.
 */
export function tensorView(array: NDArray): Tensor {
  return { data: array.values as unknown as Float32Array, shape: array.shape };
}

/** What a non-float32 node runs with: its op wrapped to settle outputs, its params, kernels and scratch. */
export interface DTypeNode {
  readonly op: AnyOpDef;
  readonly params: unknown;
  readonly kernels: Kernels;
  /** Scratch of `floats` elements; float64, so accumulations keep float64 (and integer) precision. */
  readonly workspace: (floats: number) => Float32Array;
}

/** Parameters MXNet casts to the input dtype before computing (`DType(scalar)` in its kernels). */
const CAST_PARAMS = ['scalar', 'a_min', 'a_max'];

function castParams(params: unknown, dtype: DType): unknown {
  if (dtype === 'float64' || typeof params !== 'object' || params === null) return params;
  const record = params as Record<string, unknown>;
  if (!CAST_PARAMS.some((k) => typeof record[k] === 'number')) return params;
  const out: Record<string, unknown> = { ...record };
  for (const key of CAST_PARAMS) if (typeof record[key] === 'number') out[key] = castScalar(dtype, record[key] as number);
  return Object.freeze(out);
}

function settle(dtype: DType, tensor: Tensor | null | undefined): void {
  if (tensor && needsSettling(dtype)) settleValues(dtype, tensor.data as unknown as DTypeArray);
}

/**
 * Checks that `def` computes in these dtypes (a DTypeError naming op and node otherwise) and
 * returns how the node runs. `inputTypes`/`outputTypes` are its entries' dtypes; gradients have
 * their entry's dtype.
 */
export function dtypeNode(def: AnyOpDef, params: unknown, inputTypes: readonly DType[], outputTypes: readonly DType[], site: { op: string; node: string }): DTypeNode {
  checkComputable(def, [...inputTypes, ...outputTypes], site);
  const backward: BackwardDef<unknown, unknown> | undefined = def.backward && {
    ...def.backward,
    compute: (p, io, inGrads, req, ctx) => {
      def.backward!.compute(p, io, inGrads, req, ctx);
      inGrads.forEach((g, i) => settle(inputTypes[i]!, g));
    },
  };
  const op: AnyOpDef = {
    ...def,
    forward: (p, inputs, outputs, req, ctx) => {
      def.forward(p, inputs, outputs, req, ctx);
      outputs.forEach((o, k) => settle(outputTypes[k]!, o));
    },
    ...(backward ? { backward } : {}),
  };
  return {
    op,
    params: castParams(params, inputTypes[0] ?? outputTypes[0] ?? 'float32'),
    kernels: backendNamed('reference').kernels,
    workspace: (floats) => new Float64Array(floats) as unknown as Float32Array,
  };
}
