/**
 * Per-node derived values for kernels. The executor calls an op with the same params object and
 * the same shape arrays on every forward and backward, so geometry derived from them (windows,
 * GEMM sizes, workspace views) is computed once per bound node and looked up afterwards, instead
 * of being rebuilt (and allocated) on every call. Imperative calls bring fresh objects and simply
 * derive anew.
 */
import type { Shape } from '../base/shape';

/** `derive(params, shape)`, cached by the identity of both (weakly: nothing is kept alive). */
export function perShape<P extends object, R>(derive: (params: P, shape: Shape) => R): (params: P, shape: Shape) => R {
  const cache = new WeakMap<P, WeakMap<Shape, R>>();
  return (params, shape) => {
    let byShape = cache.get(params);
    if (!byShape) cache.set(params, (byShape = new WeakMap()));
    let value = byShape.get(shape);
    if (value === undefined) byShape.set(shape, (value = derive(params, shape)));
    return value;
  };
}
