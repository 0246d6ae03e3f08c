/**
 * Float64 checks for the dtype tests: an executor bound with float64 arrays, its analytic
 * gradients against central differences computed in float64 (tight tolerances are possible only
 * because every step, scratch included, stays in float64).
 */
import * as mx from 'mxts';

/** Seeded float64 values in [low, high). */
export function uniform64(shape: readonly number[], low = -1, high = 1): mx.NDArray {
  return mx.nd.random.uniform(low, high, [...shape]).astype('float64');
}

/**
 * Binds `symbol` with float64 `location` arrays, runs backward with a seeded float64 head gradient
 * and compares each float64 argument's gradient with central differences of sum(head * output)
 * (arguments of other dtypes, integer indices, must get a zero gradient of their own dtype).
 */
export function checkFloat64Gradient(symbol: mx.Symbol, location: Record<string, mx.NDArray>, options: { eps?: number; rtol?: number; atol?: number; isTrain?: boolean } = {}): void {
  const { eps = 1e-6, rtol = 1e-6, atol = 1e-8, isTrain = true } = options;
  const names = symbol.listArguments();
  const args = Object.fromEntries(names.map((n) => [n, location[n]!.copy()]));
  const exec = symbol.bind(mx.cpu(), args);
  const outputs = exec.forward(isTrain);
  const heads = outputs.map((o) => uniform64(o.shape));
  for (const out of outputs) expect(out.dtype).toBe('float64');
  exec.backward(heads);
  const dotHead = (o: mx.NDArray, k: number) => {
    let s = 0;
    for (let i = 0; i < o.size; i++) s += o.values[i]! * heads[k]!.values[i]!;
    return s;
  };
  const objective = () => exec.forward(isTrain).reduce((sum, o, k) => sum + dotHead(o, k), 0);
  for (const name of names) {
    const x = exec.argDict[name]!.values;
    const analytic = exec.gradDict[name]!;
    expect(analytic.dtype).toBe(exec.argDict[name]!.dtype);
    if (analytic.dtype !== 'float64') {
      expect(Array.from(analytic.values).every((g) => g === 0)).toBe(true); // integer indices get no gradient
      continue;
    }
    const numeric = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const saved = x[i]!;
      x[i] = saved + eps;
      const plus = objective();
      x[i] = saved - eps;
      const minus = objective();
      x[i] = saved;
      numeric[i] = (plus - minus) / (2 * eps);
    }
    mx.testUtils.assertAlmostEqual(analytic, numeric, { rtol, atol, names: [`analytic d/d${name}`, 'numeric'] });
  }
}
