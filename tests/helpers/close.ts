/** Element-wise closeness with explicit tolerances: |actual - expected| <= atol + rtol * |expected|. */

type Values = number | ArrayLike<number>;

function toList(values: Values): ArrayLike<number> {
  return typeof values === 'number' ? [values] : values;
}

/** Throws (failing the test) at the first element out of tolerance, naming index and values. */
export function expectClose(actual: Values, expected: Values, rtol: number, atol: number): void {
  const a = toList(actual);
  const e = toList(expected);
  if (a.length !== e.length) throw new Error(`expectClose: ${a.length} values, expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs(a[i]! - e[i]!);
    const bad = Number.isNaN(a[i]!) !== Number.isNaN(e[i]!) || diff > atol + rtol * Math.abs(e[i]!);
    if (bad) {
      throw new Error(
        `expectClose: element ${i} is ${a[i]}, expected ${e[i]} (|diff| ${diff} > atol ${atol} + rtol ${rtol} * |expected|)`,
      );
    }
  }
}

/** Float32 results against float64 references. */
export const F32 = { rtol: 1e-5, atol: 1e-6 } as const;
/** MXNet's check_numeric_gradient tolerances. */
export const NUMERIC = { rtol: 1e-2, atol: 1e-3 } as const;
