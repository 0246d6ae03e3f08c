import { formatArray, formatScalar } from '../../src/ndarray/format';

const range = (n: number, f: (i: number) => number = (i) => i): number[] => Array.from({ length: n }, (_, i) => f(i));

describe('formatArray: float digits (Dragon4, floatmode=maxprec, precision=8)', () => {
  // shortest float32 round-trip digits; continuation rows indented to align after 'array('
  test('3x4 float32 matrix', () => {
    expect(formatArray(new Float32Array(12).fill(Math.fround(0.7310586)), [3, 4], 'float32')).toBe(
      'array([[0.7310586, 0.7310586, 0.7310586, 0.7310586],\n' +
        '       [0.7310586, 0.7310586, 0.7310586, 0.7310586],\n' +
        '       [0.7310586, 0.7310586, 0.7310586, 0.7310586]], dtype=float32)',
    );
  });

  // integral values keep the '.' but no fraction digits (trim='.')
  test('integral values print as "1."', () => {
    expect(formatArray([1, 1, 1, 1], [2, 2], 'float32')).toBe('array([[1., 1.],\n       [1., 1.]], dtype=float32)');
  });

  // fractions are padded on the right with spaces to the longest fraction (pad_right)
  test('mixed fraction widths pad right', () => {
    expect(formatArray([0.25, 0.7310586], [2], 'float32')).toBe('array([0.25     , 0.7310586], dtype=float32)');
  });

  // the sign is part of the integer part; all negative means no extra column
  test('negative values', () => {
    expect(formatArray([-0.45, -0.45], [2], 'float32')).toBe('array([-0.45, -0.45], dtype=float32)');
  });

  // integer parts are padded on the left to the longest (pad_left), fractions on the right
  test('sign and fraction padding', () => {
    expect(formatArray([1.5, -2], [2], 'float32')).toBe('array([ 1.5, -2. ], dtype=float32)');
  });

  // float32 values whose unique repr needs 9 fraction digits are cut at 8, rounding the exact value
  test('8-digit cutoff of float32 values', () => {
    expect(formatArray([0.005806628, 0.861780069, 0.116629249, 0.015784052], [1, 4], 'float32')).toBe(
      'array([[0.00580663, 0.86178005, 0.11662925, 0.01578405]], dtype=float32)',
    );
  });

  // an exact tie at the 8th digit (1/512 = 0.001953125) rounds half to even
  test('cutoff tie rounds half-even', () => {
    expect(formatArray([1 / 512, 0.5], [2], 'float32')).toBe('array([0.00195312, 0.5       ], dtype=float32)');
  });

  // numpy's own test_float_spacing: float64 needs no dtype suffix, left padding for the widest integer part
  test('float64 spacing (numpy test_float_spacing)', () => {
    expect(formatArray([1, 2, -10], [3], 'float64')).toBe('array([  1.,   2., -10.])');
    expect(formatArray([-100, 2, 1], [3], 'float64')).toBe('array([-100.,    2.,    1.])');
  });

  // numpy's own test_basic: float64 digits cut at precision 8, zero padded to the common width
  test('float64 cutoff (numpy test_basic)', () => {
    expect(formatArray([1.5, 0, 1.23456789], [3], 'float64')).toBe('array([1.5       , 0.        , 1.23456789])');
  });

  // negative zero keeps its sign, and takes the sign column
  test('negative zero', () => {
    expect(formatArray([0, -0], [2], 'float64')).toBe('array([ 0., -0.])');
  });

  // in positional arrays the integer digits are printed in full (min_digits=0), not the shortest '67108870.'
  test('large float32 integers print all integer digits', () => {
    expect(formatArray([67108872, 1000000], [2], 'float32')).toBe('array([67108872.,  1000000.], dtype=float32)');
  });
});

describe('formatArray: scientific notation', () => {
  // max/min > 1e3 switches to exponent form; unique digits, so '1.' mantissas, 2-digit exponents
  test('ratio above 1000', () => {
    expect(formatArray([1e-5, 1], [2], 'float32')).toBe('array([1.e-05, 1.e+00], dtype=float32)');
  });

  // all mantissas get the longest fraction of the first pass (1.0e+00 next to 1.5e-05)
  test('mantissas share a fraction width', () => {
    expect(formatArray([1.5e-5, 1], [2], 'float64')).toBe('array([1.5e-05, 1.0e+00])');
  });

  // padding digits are real digits of the value (min_digits, numpy >= 1.21): float32 0.3 is 0.300000011920929
  test('padding digits come from the exact value', () => {
    expect(formatArray([0.3, 1.2345678e-5], [2], 'float32')).toBe('array([3.0000001e-01, 1.2345678e-05], dtype=float32)');
  });

  // max >= 1e8 alone switches to exponent form (numpy test_sign_spacing)
  test('large values', () => {
    expect(formatArray([1.234e9], [1], 'float64')).toBe('array([1.234e+09])');
  });

  // min < 1e-4 is compared in double: float32(1e-4) = 9.99999975e-05 counts as below; float64 1e-4 does not
  test('1e-4 threshold compared in double precision', () => {
    expect(formatArray([1e-4, 5e-4], [2], 'float32')).toBe('array([1.e-04, 5.e-04], dtype=float32)');
    expect(formatArray([1e-4, 5e-4], [2], 'float64')).toBe('array([0.0001, 0.0005])');
  });

  // exponents are padded to the widest exponent of the array (numpy test_floatmode)
  test('three-digit exponents', () => {
    expect(formatArray([12.34, 100, 1e123], [3], 'float64')).toBe('array([1.234e+001, 1.000e+002, 1.000e+123])');
  });
});

describe('formatArray: nan and inf', () => {
  // nan/inf are right-aligned to the element width; a -inf widens the integer column
  test('mixed with finite values', () => {
    expect(formatArray([NaN, 1, -Infinity], [3], 'float32')).toBe('array([ nan,   1., -inf], dtype=float32)');
  });

  // with no finite values the width comes from the strings themselves (numpy test_nan_inf)
  test('only non-finite values', () => {
    expect(formatArray([NaN, Infinity], [2], 'float64')).toBe('array([nan, inf])');
    expect(formatArray([NaN, -Infinity], [2], 'float64')).toBe('array([ nan, -inf])');
  });
});

describe('formatArray: line wrapping', () => {
  // a row wraps before an element that would pass column 75 minus the closing ']' and ')'/','
  test('long 1-D row', () => {
    expect(formatArray(range(20, (i) => i / 2), [20], 'float32')).toBe(
      'array([0. , 0.5, 1. , 1.5, 2. , 2.5, 3. , 3.5, 4. , 4.5, 5. , 5.5, 6. ,\n' +
        '       6.5, 7. , 7.5, 8. , 8.5, 9. , 9.5], dtype=float32)',
    );
  });

  // nested rows wrap one column earlier and indent one space deeper; the dtype moves to its own line
  test('2-D array with wrapped rows', () => {
    expect(formatArray(range(30, (i) => (i - 10) * 1.25), [2, 15], 'float32')).toBe(
      'array([[-12.5 , -11.25, -10.  ,  -8.75,  -7.5 ,  -6.25,  -5.  ,  -3.75,\n' +
        '         -2.5 ,  -1.25,   0.  ,   1.25,   2.5 ,   3.75,   5.  ],\n' +
        '       [  6.25,   7.5 ,   8.75,  10.  ,  11.25,  12.5 ,  13.75,  15.  ,\n' +
        '         16.25,  17.5 ,  18.75,  20.  ,  21.25,  22.5 ,  23.75]],\n' +
        '      dtype=float32)',
    );
  });

  // the dtype stays on the line if it fits in 75 columns, else starts a new line (numpy test_dtype_linewidth_wrapping)
  test('dtype placement', () => {
    expect(formatArray(range(10, (i) => 10 + i), [10], 'float32')).toBe(
      'array([10., 11., 12., 13., 14., 15., 16., 17., 18., 19.], dtype=float32)',
    );
    expect(formatArray(range(13, (i) => 10 + i), [13], 'float32')).toBe(
      'array([10., 11., 12., 13., 14., 15., 16., 17., 18., 19., 20., 21., 22.],\n      dtype=float32)',
    );
  });

  // blocks of a 3-D array are separated by ',' plus ndim-1-depth newlines, i.e. one blank line
  test('3-D array blank lines', () => {
    expect(formatArray(range(24), [2, 3, 4], 'int32')).toBe(
      'array([[[ 0,  1,  2,  3],\n' +
        '        [ 4,  5,  6,  7],\n' +
        '        [ 8,  9, 10, 11]],\n' +
        '\n' +
        '       [[12, 13, 14, 15],\n' +
        '        [16, 17, 18, 19],\n' +
        '        [20, 21, 22, 23]]], dtype=int32)',
    );
  });

  // a 4-D array puts two blank lines between its outermost blocks
  test('4-D array blank lines', () => {
    expect(formatArray([0, 1, 2, 3], [2, 1, 1, 2], 'int8')).toBe('array([[[[0, 1]]],\n\n\n       [[[2, 3]]]], dtype=int8)');
  });
});

describe('formatArray: summarization (size > 1000, edgeitems 3)', () => {
  // only the 3 leading and trailing items are shown; the formatter sees only those (ratio 1999 -> exponent form)
  test('2000-element vector', () => {
    expect(formatArray(range(2000), [2000], 'float32')).toBe(
      'array([0.000e+00, 1.000e+00, 2.000e+00, ..., 1.997e+03, 1.998e+03,\n' +
        '       1.999e+03], dtype=float32)',
    );
  });

  // a huge hidden middle value does not affect the format of the shown items
  test('hidden values do not change the format', () => {
    const v = range(2000, (i) => 0.25 * (i % 8));
    v[1000] = 1e10;
    expect(formatArray(v, [2000], 'float32')).toBe('array([0.  , 0.25, 0.5 , ..., 1.25, 1.5 , 1.75], dtype=float32)');
  });

  // both axes are summarized; the row '...' is its own line followed by ','
  test('50x50 matrix', () => {
    const row = '[ 0. ,  0.5,  1. , ..., 23.5, 24. , 24.5]';
    expect(formatArray(range(2500, (i) => (i % 50) * 0.5), [50, 50], 'float32')).toBe(
      `array([${row},\n` +
        `       ${row},\n` +
        `       ${row},\n` +
        '       ...,\n' +
        `       ${row},\n` +
        `       ${row},\n` +
        `       ${row}], dtype=float32)`,
    );
  });

  // numpy's own test_summarize_2d (int64: no dtype; numpy 1.x adds no shape=)
  test('int64 2x501 (numpy test_summarize_2d)', () => {
    expect(formatArray(range(1002), [2, 501], 'int64')).toBe(
      'array([[   0,    1,    2, ...,  498,  499,  500],\n' + '       [ 501,  502,  503, ...,  999, 1000, 1001]])',
    );
  });
});

describe('formatArray: 0-d, empty, integer dtypes', () => {
  // a 0-d array prints its single element with the array formatter
  test('0-d arrays', () => {
    expect(formatArray([0.5], [], 'float32')).toBe('array(0.5, dtype=float32)');
    expect(formatArray([1], [], 'float64')).toBe('array(1.)');
    expect(formatArray([7], [], 'int64')).toBe('array(7)');
  });

  // empty arrays always show the dtype; shapes other than (0,) are shown too
  test('empty arrays', () => {
    expect(formatArray([], [0], 'float32')).toBe('array([], dtype=float32)');
    expect(formatArray([], [0], 'float64')).toBe('array([], dtype=float64)');
    expect(formatArray([], [0, 3], 'float32')).toBe('array([], shape=(0, 3), dtype=float32)');
    expect(formatArray([], [2, 0], 'int64')).toBe('array([], shape=(2, 0), dtype=int64)');
  });

  // IntegerFormat: no trailing '.', right-aligned to the longer of str(max) and str(min)
  test('integer dtypes', () => {
    expect(formatArray([-5, 10, 200], [3], 'int32')).toBe('array([ -5,  10, 200], dtype=int32)');
    expect(formatArray([0, 255, 7], [3], 'uint8')).toBe('array([  0, 255,   7], dtype=uint8)');
    expect(formatArray([1, 2, 3, 4], [2, 2], 'int64')).toBe('array([[1, 2],\n       [3, 4]])');
  });
});

describe('formatScalar', () => {
  // str() of a numpy float: shortest round-trip digits, at least one fraction digit
  test('positional', () => {
    expect(formatScalar(0.7310586, 'float32')).toBe('0.7310586');
    expect(formatScalar(1, 'float32')).toBe('1.0');
    expect(formatScalar(-0.45, 'float32')).toBe('-0.45');
    expect(formatScalar(0.1, 'float64')).toBe('0.1');
    // scalars do not force integer digits: the shortest float32 digits are 6710887e1
    expect(formatScalar(67108872, 'float32')).toBe('67108870.0');
  });

  // |x| < 1e-4 or >= 1e16 print in exponent form without a trailing '.'
  test('scientific and special values', () => {
    expect(formatScalar(1e-5, 'float32')).toBe('1e-05');
    expect(formatScalar(1.5e-5, 'float64')).toBe('1.5e-05');
    expect(formatScalar(1e16, 'float64')).toBe('1e+16');
    expect(formatScalar(NaN, 'float32')).toBe('nan');
    expect(formatScalar(-Infinity, 'float64')).toBe('-inf');
    expect(formatScalar(3, 'int32')).toBe('3');
  });
});
