/** Finite-difference helpers for checking gradients (part of `mx.testUtils`). */

/**
 * d f / d x by central differences, (f(x + eps e_i) - f(x - eps e_i)) / (2 eps) for each i.
 * `x` is left unchanged; `f` receives a scratch copy it must not keep.
 */
export function numericGradient(f: (x: Float64Array) => number, x: Float64Array, eps = 1e-3): Float64Array {
  const gradient = new Float64Array(x.length);
  const probe = x.slice();
  for (let i = 0; i < x.length; i++) {
    const original = probe[i]!;
    probe[i] = original + eps;
    const above = f(probe);
    probe[i] = original - eps;
    const below = f(probe);
    probe[i] = original;
    gradient[i] = (above - below) / (2 * eps);
  }
  return gradient;
}
