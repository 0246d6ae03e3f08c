/**
 * Python's `str()` of the values MXNet stores in symbol attributes, so that JSON written here
 * reads like JSON written by MXNet's Python front end (`True`, `(3, 3)`, `1e-05`).
 */
export function pyNumberStr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value);
  // Shortest round-trip digits, laid out with Python's repr rule: scientific below 1e-4 or from 1e16.
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}

export function pyStr(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumberStr(value);
  if (value === null || value === undefined) return 'None';
  if (Array.isArray(value)) {
    const items = value.map(pyStr);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  return String(value);
}
