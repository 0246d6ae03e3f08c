/**
 * numpy-compatible text for arrays: `formatArray` reproduces `repr(np_array)` of numpy 1.2x with the
 * default print options (precision=8, floatmode='maxprec', linewidth=75, threshold=1000, edgeitems=3,
 * suppress=False, sign='-'), and `formatScalar` reproduces `str(np_scalar)`.
 *
 * Float digits follow numpy's Dragon4 printer: the shortest digit string that reads back to the same
 * value in the array's own float format, cut off (and rounded half-even on the exact value) at a
 * maximum number of digits. Exact decimal arithmetic is done with BigInt.
 */

const LINE_WIDTH = 75;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const PRECISION = 8;

/** An IEEE binary format: significand bits (with the hidden bit) and the exponent of its smallest subnormal. */
interface BinaryFormat { readonly bits: number; readonly minExp2: number }
const FLOAT_FORMATS: Record<string, BinaryFormat> = {
  float16: { bits: 11, minExp2: -24 }, // values must already be float16-representable
  float32: { bits: 24, minExp2: -149 },
  float64: { bits: 53, minExp2: -1074 },
};
/** numpy omits `dtype=` for the types its literals imply (float64, the platform int, bool). */
const IMPLIED_DTYPES = new Set(['float64', 'int64', 'bool']);

/** |x| = mantissa * 2^exp2 in the target format; the gap below is half the gap above at a power of two. */
interface ExactFloat { mantissa: bigint; exp2: number; unequalMargins: boolean }

function decompose(abs: number, format: BinaryFormat): ExactFloat {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, abs);
  const biased = view.getUint32(0) >>> 20;
  let m = (BigInt(view.getUint32(0) & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  if (biased !== 0) m |= 1n << 52n;
  const e = biased === 0 ? -1074 : biased - 1075;
  const log2 = e + m.toString(2).length - 1;
  const exp2 = Math.max(log2 - (format.bits - 1), format.minExp2);
  const mantissa = exp2 >= e ? m >> BigInt(exp2 - e) : m << BigInt(e - exp2);
  return { mantissa, exp2, unequalMargins: mantissa === 1n << BigInt(format.bits - 1) && exp2 > format.minExp2 };
}

/** x * 10^k = num / den exactly; `ulp` / den is the spacing of the float format in those units. */
function scaleBy(x: ExactFloat, k: number): { num: bigint; den: bigint; ulp: bigint } {
  const ulp = 2n ** BigInt(Math.max(x.exp2, 0)) * 10n ** BigInt(Math.max(k, 0));
  const den = 2n ** BigInt(Math.max(-x.exp2, 0)) * 10n ** BigInt(Math.max(-k, 0));
  return { num: x.mantissa * ulp, den, ulp };
}

/** floor(log10 |x|), the decimal position of the first digit. */
function decimalExponent(x: ExactFloat, approx: number): number {
  let e = Math.floor(Math.log10(approx));
  for (;;) {
    const { num, den } = scaleBy(x, -e);
    if (num < den) e -= 1;
    else if (num >= 10n * den) e += 1;
    else return e;
  }
}

/** Limits on the last digit printed, as a count of digits after the point (positional) or after the first digit (scientific). */
interface DigitLimits { scientific: boolean; maxDigits: number; minDigits?: number }

/**
 * Dragon4 digit generation: digits stop at the first position where rounding down or up stays within half a
 * gap of the neighbouring floats (inclusive when the mantissa is even), once `minDigits` are out, or at
 * `maxDigits`. The last digit rounds to whichever side is legal, or to nearest (ties to even) when both or neither is.
 * Returns value ~= digits * 10^-k.
 */
function dragon4(abs: number, format: BinaryFormat, limits: DigitLimits): { digits: bigint; k: number } {
  if (abs === 0) return { digits: 0n, k: 0 };
  const x = decompose(abs, format);
  // Below half the format's smallest subnormal (a float16-tagged array holding 1e-17): prints as 0.
  if (x.mantissa === 0n) return { digits: 0n, k: 0 };
  const firstK = -decimalExponent(x, abs);
  const offset = limits.scientific ? firstK : 0;
  const kMax = offset + limits.maxDigits;
  const kMin = limits.minDigits === undefined ? -Infinity : offset + limits.minDigits;
  const even = x.mantissa % 2n === 0n;
  for (let k = firstK; ; k++) {
    const { num, den, ulp } = scaleBy(x, k);
    const q = num / den;
    const r = num % den;
    const belowGap = x.unequalMargins ? 4n * r : 2n * r;
    const low = even ? belowGap <= ulp : belowGap < ulp;
    const high = even ? 2n * r + ulp >= 2n * den : 2n * r + ulp > 2n * den;
    if (((low || high) && k >= kMin) || k >= kMax) {
      if (low !== high) return { digits: low ? q : q + 1n, k };
      const roundUp = 2n * r > den || (2n * r === den && q % 2n === 1n);
      return { digits: roundUp ? q + 1n : q, k };
    }
  }
}

/** A number split as numpy pads it: sign and integer digits, fraction digits, and a decimal exponent if scientific. */
interface Pieces { whole: string; frac: string; exp?: number }

const signOf = (v: number): string => (v < 0 || Object.is(v, -0) ? '-' : '');

function positionalPieces(v: number, format: BinaryFormat, limits: DigitLimits): Pieces {
  const { digits, k } = dragon4(Math.abs(v), format, limits);
  if (k <= 0) return { whole: signOf(v) + digits.toString() + '0'.repeat(-k), frac: '' };
  const text = digits.toString().padStart(k + 1, '0');
  return { whole: signOf(v) + text.slice(0, -k), frac: text.slice(-k).replace(/0+$/, '') };
}

function scientificPieces(v: number, format: BinaryFormat, limits: DigitLimits): Pieces {
  const { digits, k } = dragon4(Math.abs(v), format, limits);
  const text = digits.toString();
  const exp = digits === 0n ? 0 : text.length - 1 - k;
  return { whole: signOf(v) + text[0], frac: text.slice(1).replace(/0+$/, ''), exp };
}

/** numpy's exponent: always signed, zero-padded to at least `minDigits` digits. */
const exponentText = (exp: number, minDigits: number): string =>
  'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(minDigits, '0');

/** numpy switches an array to scientific notation on its finite non-zero magnitudes (ratio computed in the array's dtype). */
function needsScientific(finite: number[], dtype: string): boolean {
  const mags = finite.filter((v) => v !== 0).map(Math.abs);
  if (mags.length === 0) return false;
  const max = mags.reduce((a, b) => Math.max(a, b));
  const min = mags.reduce((a, b) => Math.min(a, b));
  const ratio = dtype === 'float64' ? max / min : Math.fround(max / min);
  return max >= 1e8 || min < 1e-4 || ratio > 1000;
}

/** numpy's FloatingFormat: a first pass finds the common padding, a second pass prints every element with it. */
function floatFormatter(values: number[], dtype: string, format: BinaryFormat): (v: number) => string {
  const finite = values.filter(Number.isFinite);
  const scientific = needsScientific(finite, dtype);
  const first = finite.map((v) => scientific
    ? scientificPieces(v, format, { scientific, maxDigits: PRECISION })
    : positionalPieces(v, format, { scientific, maxDigits: PRECISION }));
  const longest = (texts: string[]): number => texts.reduce((n, s) => Math.max(n, s.length), 0);
  let padLeft = longest(first.map((p) => p.whole));
  const fracDigits = longest(first.map((p) => p.frac));
  const expDigits = Math.max(2, longest(first.map((p) => String(Math.abs(p.exp ?? 0)))));
  // in scientific mode every mantissa gets the same number of digits; padRight only sizes nan/inf
  const padRight = scientific ? fracDigits + expDigits + 2 : fracDigits;
  if (finite.length < values.length) {
    const negInf = values.some((v) => v === -Infinity) ? 1 : 0;
    padLeft = Math.max(padLeft, 3 + negInf - (padRight + 1));
  }
  const width = padLeft + padRight + 1;
  return (v) => {
    if (Number.isNaN(v)) return 'nan'.padStart(width);
    if (!Number.isFinite(v)) return (v < 0 ? '-inf' : 'inf').padStart(width);
    if (scientific) {
      const p = scientificPieces(v, format, { scientific, maxDigits: fracDigits, minDigits: fracDigits });
      return p.whole.padStart(padLeft) + '.' + p.frac.padEnd(fracDigits, '0') + exponentText(p.exp ?? 0, expDigits);
    }
    // minDigits=0: integer digits are always printed in full, fractions stay shortest-unique
    const p = positionalPieces(v, format, { scientific, maxDigits: PRECISION, minDigits: 0 });
    return p.whole.padStart(padLeft) + '.' + p.frac.padEnd(padRight);
  };
}

/** numpy's IntegerFormat: right-aligned to the longer of str(max) and str(min). */
function integerFormatter(values: number[]): (v: number) => string {
  const width = values.reduce((n, v) => Math.max(n, String(v).length), 0);
  return (v) => String(v).padStart(width);
}

function elementFormatter(values: number[], dtype: string, is0d: boolean): (v: number) => string {
  const format = FLOAT_FORMATS[dtype];
  if (format) return floatFormatter(values, dtype, format);
  if (/^u?int\d+$/.test(dtype)) return integerFormatter(values);
  if (dtype === 'bool') return (v) => (v ? (is0d ? 'True' : ' True') : 'False');
  throw new Error(`formatArray: unsupported dtype '${dtype}'`);
}

/** Indices shown along one axis; null marks numpy's '...' when the array is summarized. */
function shownIndices(length: number, summarize: boolean): (number | null)[] {
  const all = Array.from({ length }, (_, i) => i);
  if (!summarize || length <= 2 * EDGE_ITEMS) return all;
  return [...all.slice(0, EDGE_ITEMS), null, ...all.slice(length - EDGE_ITEMS)];
}

interface Layout { value: (offset: number) => number; shape: readonly number[]; strides: number[]; shown: (number | null)[][] }

/** The flat offsets of every printed element, in order (numpy computes the formatter from these only). */
function shownOffsets(layout: Layout, axis = 0, offset = 0): number[] {
  if (axis === layout.shape.length) return [offset];
  return layout.shown[axis]!.flatMap((i) => (i === null ? [] : shownOffsets(layout, axis + 1, offset + i * layout.strides[axis]!)));
}

/** Packs words into lines as numpy's _extendLine: wrap when the line would pass `width`, unless the line is still empty. */
function wrapWords(words: string[], indent: string, width: number): string {
  let text = '';
  let line = indent;
  words.forEach((word, i) => {
    if (line.length + word.length > width && line.length > indent.length) {
      text += line.trimEnd() + '\n';
      line = indent;
    }
    line += word + (i < words.length - 1 ? ', ' : '');
  });
  return text + line;
}

/** numpy's _formatArray recursion: each nesting level indents one more space and has one column less. */
function renderBlock(layout: Layout, show: (v: number) => string, axis: number, offset: number, indent: string, width: number): string {
  const axesLeft = layout.shape.length - axis;
  if (axesLeft === 0) return show(layout.value(offset));
  const words = layout.shown[axis]!.map((i) => (i === null
    ? '...'
    : renderBlock(layout, show, axis + 1, offset + i * layout.strides[axis]!, indent + ' ', width - 1)));
  // rows wrap their elements (leaving a column for ']'); outer axes put each block on its own line(s),
  // separated by ndim-1-depth newlines so that 2-D blocks of a 3-D array are divided by a blank line
  const body = axesLeft === 1
    ? wrapWords(words, indent, width - 1)
    : words.map((w) => indent + w).join(',' + '\n'.repeat(axesLeft - 1));
  return '[' + body.slice(indent.length) + ']';
}

/** Python's tuple repr, as numpy prints a shape. */
const shapeRepr = (shape: readonly number[]): string => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);

/** repr(np_array) with numpy's default print options. */
export function formatArray(data: ArrayLike<number>, shape: readonly number[], dtype: string): string {
  const prefix = 'array(';
  const size = shape.reduce((a, b) => a * b, 1);
  let body: string;
  if (size === 0) {
    body = shape.length === 1 ? '[]' : `[], shape=${shapeRepr(shape)}`;
  } else {
    const value = dtype === 'float32' ? (o: number) => Math.fround(data[o]!) : (o: number) => data[o]!;
    const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
    const shown = shape.map((n) => shownIndices(n, size > THRESHOLD));
    const layout: Layout = { value, shape, strides, shown };
    const show = elementFormatter(shownOffsets(layout).map(value), dtype, shape.length === 0);
    // the closing ')' or ',' takes one column of the line width
    body = renderBlock(layout, show, 0, 0, ' '.repeat(prefix.length + 1), LINE_WIDTH - 1);
  }
  if (IMPLIED_DTYPES.has(dtype) && size > 0) return prefix + body + ')';
  const head = prefix + body + ',';
  const tail = `dtype=${dtype})`;
  const lastLine = head.length - (head.lastIndexOf('\n') + 1);
  // the dtype moves to its own line when it would pass the line width
  return head + (lastLine + tail.length + 1 > LINE_WIDTH ? '\n' + ' '.repeat(prefix.length) : ' ') + tail;
}

/** str(np_scalar): shortest round-trip digits, positional for 1e-4 <= |x| < 1e16, else scientific. */
export function formatScalar(value: number, dtype: string): string {
  const format = FLOAT_FORMATS[dtype];
  if (!format) return dtype === 'bool' ? (value ? 'True' : 'False') : String(value);
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value < 0 ? '-inf' : 'inf';
  const v = dtype === 'float32' ? Math.fround(value) : value;
  const abs = Math.abs(v);
  const limits = { scientific: false, maxDigits: Infinity };
  if (abs === 0 || (abs >= 1e-4 && abs < 1e16)) {
    const p = positionalPieces(v, format, limits);
    return `${p.whole}.${p.frac || '0'}`;
  }
  const p = scientificPieces(v, format, { ...limits, scientific: true });
  return p.whole + (p.frac ? '.' + p.frac : '') + exponentText(p.exp ?? 0, 2);
}
