/**
 * dot and batch_dot: MXNet docstring examples, float64 references for every transpose combination
 * (1-d, 2-d and N-d), numeric gradients, gradReq 'add', and shape errors.
 */
import * as mx from 'mxts';

const EXACT = { rtol: 0, atol: 0 };
const F32 = { rtol: 1e-5, atol: 1e-5 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };
const FLAGS = [[false, false], [true, false], [false, true], [true, true]] as const;

/** C[m, n] = sum_k A(m, k) B(k, n) in float64, A and B read through optional transposes of 2-d views. */
function matmulRef(a: ArrayLike<number>, aRows: number, aCols: number, ta: boolean, b: ArrayLike<number>, bRows: number, bCols: number, tb: boolean, offA = 0, offB = 0): number[] {
  const [M, K] = ta ? [aCols, aRows] : [aRows, aCols];
  const N = tb ? bRows : bCols;
  const out: number[] = [];
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += a[offA + (ta ? k * aCols + m : m * aCols + k)]! * b[offB + (tb ? n * bCols + k : k * bCols + n)]!;
      out.push(sum);
    }
  }
  return out;
}

const dotSym = (op: 'dot' | 'batch_dot', ta: boolean, tb: boolean) => mx.sym[op]({ lhs: mx.sym.Variable('a'), rhs: mx.sym.Variable('b'), transpose_a: ta, transpose_b: tb, name: 'd' });

beforeEach(() => mx.random.seed(61));

describe('dot', () => {
  test('2-d golden [[1,2],[3,4]] . [[5,6],[7,8]] = [[19,22],[43,50]]; two vectors give shape [1]', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.dot(mx.nd.array([[1, 2], [3, 4]]), mx.nd.array([[5, 6], [7, 8]])), [[19, 22], [43, 50]], EXACT);
    const v = mx.nd.dot(mx.nd.array([1, 2, 3]), mx.nd.array([4, 5, 6]));
    expect(v.shape).toEqual([1]);
    mx.testUtils.assertAlmostEqual(v, [32], EXACT);
  });

  // NOTE: the docstring claims dot(x, y)[0, 0, 1, 1] = 0, but its own formula sum(x[0,0,:] * y[:,1,1]) is 0*3 + 1*7 = 7.
  test('MXNet docstring: x = y = arange(8) as (2, 2, 2): dot(x, y) is (2, 2, 2, 2) with [0, 0, 1, 1] = sum(x[0,0,:] * y[:,1,1]) = 7', () => {
    const x = mx.nd.arange(0, 8).reshape([2, 2, 2]);
    const out = mx.nd.dot(x, x);
    expect(out.shape).toEqual([2, 2, 2, 2]);
    expect(out.data[3]).toBe(7);
    mx.testUtils.assertAlmostEqual(out.data, matmulRef(x.data, 4, 2, false, x.data, 2, 4, false), EXACT);
  });

  test.each(FLAGS)('transpose_a=%s, transpose_b=%s on seeded 2-d inputs matches float64 and central differences', (ta, tb) => {
    const a = mx.nd.random.uniform(-1, 1, ta ? [4, 3] : [3, 4]);
    const b = mx.nd.random.uniform(-1, 1, tb ? [5, 4] : [4, 5]);
    const out = mx.nd.dot(a, b, { transpose_a: ta, transpose_b: tb });
    expect(out.shape).toEqual([3, 5]);
    mx.testUtils.assertAlmostEqual(out.data, matmulRef(a.data, a.shape[0]!, a.shape[1]!, ta, b.data, b.shape[0]!, b.shape[1]!, tb), F32);
    mx.testUtils.checkNumericGradient(dotSym('dot', ta, tb), { a, b }, NUMERIC);
  });

  test('N-d: (2, 3, 4) . (4, 5) gives (2, 3, 5); transpose_a on (4, 2, 3) gives (2, 3, 5); gradients check', () => {
    const a = mx.nd.random.uniform(-1, 1, [2, 3, 4]);
    const b = mx.nd.random.uniform(-1, 1, [4, 5]);
    const out = mx.nd.dot(a, b);
    expect(out.shape).toEqual([2, 3, 5]);
    mx.testUtils.assertAlmostEqual(out.data, matmulRef(a.data, 6, 4, false, b.data, 4, 5, false), F32);
    const at = mx.nd.random.uniform(-1, 1, [4, 2, 3]);
    expect(mx.nd.dot(at, b, { transpose_a: true }).shape).toEqual([2, 3, 5]);
    mx.testUtils.checkNumericGradient(dotSym('dot', true, false), { a: at, b }, NUMERIC);
    mx.testUtils.checkNumericGradient(dotSym('dot', false, false), { a: mx.nd.random.uniform(-1, 1, [4]), b }, NUMERIC);
  });

  test("gradReq 'add' accumulates both gradients", () => {
    const a = [[1, 2], [3, 4]];
    const b = [[1, 0], [0, 1]];
    const g = [[1, 1], [1, 1]];
    mx.testUtils.checkSymbolicBackward(dotSym('dot', false, false), { a, b }, [g], { a: [[1, 1], [1, 1]], b: [[4, 4], [6, 6]] }, { ...F32, gradReq: 'add' });
  });

  test('reduced dimensions that differ are a shape error naming the node', () => {
    const s = dotSym('dot', false, false);
    expect(() => s.inferShape({ a: [2, 3], b: [4, 5] })).toThrow(mx.ShapeError);
    expect(() => s.inferShape({ a: [2, 3], b: [4, 5] })).toThrow("dot 'd': rhs shape [4,5] does not fit lhs [2,3]: the reduced dimensions are 3 and 4");
  });
});

describe('batch_dot', () => {
  test.each(FLAGS)('transpose_a=%s, transpose_b=%s on seeded (3, ., .) batches matches float64 and central differences', (ta, tb) => {
    const a = mx.nd.random.uniform(-1, 1, ta ? [3, 4, 2] : [3, 2, 4]);
    const b = mx.nd.random.uniform(-1, 1, tb ? [3, 5, 4] : [3, 4, 5]);
    const out = mx.nd.batch_dot(a, b, { transpose_a: ta, transpose_b: tb });
    expect(out.shape).toEqual([3, 2, 5]);
    const ref = [0, 1, 2].flatMap((i) => matmulRef(a.data, a.shape[1]!, a.shape[2]!, ta, b.data, b.shape[1]!, b.shape[2]!, tb, i * 8, i * 20));
    mx.testUtils.assertAlmostEqual(out.data, ref, F32);
    mx.testUtils.checkNumericGradient(dotSym('batch_dot', ta, tb), { a, b }, NUMERIC);
  });

  test('inputs that are not 3-d or whose batch sizes differ are shape errors', () => {
    const s = dotSym('batch_dot', false, false);
    expect(() => s.inferShape({ a: [2, 3], b: [2, 3, 4] })).toThrow(mx.ShapeError);
    expect(() => s.inferShape({ a: [2, 3], b: [2, 3, 4] })).toThrow("batch_dot 'd': lhs must be 3-d (batch, rows, cols), got lhs [2,3] and rhs [2,3,4]");
    expect(() => s.inferShape({ a: [2, 3, 4], b: [3, 4, 5] })).toThrow("batch_dot 'd': rhs batch size 3 does not match lhs [2,3,4]");
  });
});
