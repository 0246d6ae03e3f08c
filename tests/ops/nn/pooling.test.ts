/**
 * Pooling: hand-computed goldens, a naive float64 reference on seeded inputs (max/avg/sum,
 * valid/full, count_include_pad, global_pool, 1-D and 2-D, odd sizes), max's first-maximum
 * gradient rule, numeric gradients, gradReq 'add' and errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { poolRef, PoolSpec, uniform } from './reference';
import { expectAddAccumulates } from '../../helpers/grad_req';

const F32 = { rtol: 1e-5, atol: 1e-6 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3, numericEps: 1e-2 };

/** Distinct values 0.1 apart in a seeded random order, so a 1e-2 step never changes which is the max. */
function distinct(shape: number[]): mx.NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const keys = Array.from(uniform([size]).data);
  const order = keys.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]!);
  const values = new Array<number>(size);
  order.forEach((at, rank) => (values[at] = (rank - size / 2) * 0.1));
  return mx.nd.array(values, { shape });
}

beforeEach(() => mx.random.seed(3));

describe('Pooling forward', () => {
  const x = mx.nd.arange(0, 16).reshape([1, 1, 4, 4]);
  test.each([
    ['max', [[5, 7], [13, 15]]],
    ['avg', [[2.5, 4.5], [10.5, 12.5]]],
    ['sum', [[10, 18], [42, 50]]],
  ] as const)('%s over 2x2 blocks of arange(16) (computed by hand)', (pool_type, expected) => {
    const out = mx.nd.Pooling(x, { kernel: [2, 2], stride: [2, 2], pool_type });
    mx.testUtils.assertAlmostEqual(out, [[expected.map((row) => [...row])]], { rtol: 0, atol: 0 });
  });

  test('full convention rounds up and clips the last window; avg with pad counts padded cells by default (computed by hand)', () => {
    const row = mx.nd.array([[[1, 2, 3, 4, 5]]]);
    expect(mx.nd.Pooling(row, { kernel: [2], stride: [2], pool_type: 'max' }).shape).toEqual([1, 1, 2]);
    mx.testUtils.assertAlmostEqual(mx.nd.Pooling(row, { kernel: [2], stride: [2], pool_type: 'max', pooling_convention: 'full' }), [[[2, 4, 5]]], { rtol: 0, atol: 0 });
    // windows over [0 | 1 2 3 4 5 | 0]: (0,1) (2,3) (4,5) -> sums 1 5 9 divided by 2
    mx.testUtils.assertAlmostEqual(mx.nd.Pooling(row, { kernel: [2], stride: [2], pad: [1], pool_type: 'avg' }), [[[0.5, 2.5, 4.5]]], { rtol: 0, atol: 0 });
    mx.testUtils.assertAlmostEqual(mx.nd.Pooling(row, { kernel: [2], stride: [2], pad: [1], pool_type: 'avg', count_include_pad: false }), [[[1, 2.5, 4.5]]], { rtol: 0, atol: 0 });
  });

  const CASES: Record<string, [number[], PoolSpec]> = {
    '2-D max 3x3 stride 2 on odd 7x9': [[2, 3, 7, 9], { kernel: [3, 3], stride: [2, 2], pool_type: 'max' }],
    '2-D max overlapping windows with pad, full': [[1, 2, 6, 5], { kernel: [3, 2], stride: [2, 1], pad: [1, 1], pool_type: 'max', pooling_convention: 'full' }],
    '2-D avg pad, count_include_pad': [[2, 2, 5, 5], { kernel: [3, 3], stride: [2, 2], pad: [1, 1], pool_type: 'avg' }],
    '2-D avg pad, without count_include_pad, full': [[1, 3, 6, 7], { kernel: [3, 3], stride: [2, 3], pad: [1, 1], pool_type: 'avg', count_include_pad: false, pooling_convention: 'full' }],
    '2-D sum anisotropic': [[2, 1, 5, 8], { kernel: [2, 3], stride: [1, 2], pool_type: 'sum' }],
    '2-D global avg': [[2, 3, 5, 6], { kernel: [1, 1], global_pool: true, pool_type: 'avg' }],
    '2-D global max, kernel omitted': [[2, 3, 4, 3], { global_pool: true, pool_type: 'max' }],
    '1-D max stride 2 full': [[2, 3, 9], { kernel: [2], stride: [2], pooling_convention: 'full' }],
    '1-D avg pad': [[1, 2, 7], { kernel: [3], stride: [2], pad: [1], pool_type: 'avg' }],
    '1-D global sum': [[3, 2, 5], { kernel: [2], global_pool: true, pool_type: 'sum' }],
  };
  test.each(Object.entries(CASES))('%s matches the float64 reference through mx.nd and mx.sym', (_name, [shape, spec]) => {
    const data = uniform(shape);
    const expected = poolRef(data, spec);
    const viaNd = mx.nd.Pooling(data, { ...spec });
    expect(viaNd.shape).toEqual(expected.shape);
    mx.testUtils.assertAlmostEqual(viaNd, expected.data, F32);
    const pool = mx.sym.Pooling({ data: mx.sym.Variable('data'), ...spec });
    mx.testUtils.assertAlmostEqual(pool.bind(mx.cpu(), { data }, { gradReq: 'null' }).forward(false)[0]!, expected.data, F32);
  });

  test('random 1-D and 2-D configurations match the reference (property)', () => {
    fc.assert(
      fc.property(
        fc.boolean(), fc.constantFrom('max', 'avg', 'sum'), fc.constantFrom('valid', 'full'), fc.boolean(),
        fc.array(fc.record({ size: fc.integer({ min: 1, max: 8 }), k: fc.integer({ min: 1, max: 4 }), s: fc.integer({ min: 1, max: 3 }), p: fc.integer({ min: 0, max: 2 }) }), { minLength: 2, maxLength: 2 }),
        (twoD, pool_type, pooling_convention, count_include_pad, axes) => {
          const used = twoD ? axes : axes.slice(1);
          fc.pre(used.every((a) => a.k <= a.size + 2 * a.p));
          const spec: PoolSpec = { kernel: used.map((a) => a.k), stride: used.map((a) => a.s), pad: used.map((a) => a.p), pool_type, pooling_convention, count_include_pad };
          const x = uniform([2, 2, ...used.map((a) => a.size)]);
          const expected = poolRef(x, spec);
          const out = mx.nd.Pooling(x, { ...spec });
          expect(out.shape).toEqual(expected.shape);
          // windows wholly in the padding give float32's lowest (max), 0 (sum) or 0/0 (avg without count_include_pad), as MXNet
          mx.testUtils.assertAlmostEqual(out, expected.data, { ...F32, equalNan: true });
        },
      ),
      { numRuns: 100 },
    );
  });

  test('JSON string forms of the parameters are read as MXNet writes them', () => {
    const data = uniform([1, 2, 5, 5]);
    const strings = mx.nd.Pooling(data, { kernel: '(3, 3)', stride: '(2, 2)', pad: '(1, 1)', pool_type: 'avg', global_pool: 'False', pooling_convention: 'full', count_include_pad: 'None', cudnn_off: 'False', p_value: 'None', layout: 'None' });
    mx.testUtils.assertAlmostEqual(strings, mx.nd.Pooling(data, { kernel: [3, 3], stride: [2, 2], pad: [1, 1], pool_type: 'avg', pooling_convention: 'full' }), { rtol: 0, atol: 0 });
  });
});

describe('Pooling shape inference', () => {
  test.each([
    [{ kernel: [3, 3], stride: [2, 2] }, [2, 3, 8, 7], [2, 3, 3, 3]],
    [{ kernel: [3, 3], stride: [2, 2], pooling_convention: 'full' }, [2, 3, 8, 7], [2, 3, 4, 3]],
    [{ kernel: [2, 2], global_pool: true }, [2, 3, 8, 7], [2, 3, 1, 1]],
    [{ kernel: [4], stride: [3], pad: [1] }, [1, 2, 10], [1, 2, 3]],
  ] as const)('%j on data %j gives %j', (spec, data, out) => {
    const pool = mx.sym.Pooling({ data: mx.sym.Variable('data'), ...spec });
    expect(pool.inferShape({ data: [...data] }).outShapes).toEqual([[...out]]);
  });
});

describe('Pooling gradients', () => {
  test('max sends the head gradient to the first maximum of each window (ties go left), as MXNet', () => {
    const pool = mx.sym.Pooling({ data: mx.sym.Variable('data'), kernel: [2], stride: [1], pool_type: 'max' });
    const exec = pool.bind(mx.cpu(), { data: mx.nd.array([[[1, 3, 3, 2]]]) });
    mx.testUtils.assertAlmostEqual(exec.forward(true)[0]!, [[[3, 3, 3]]], { rtol: 0, atol: 0 });
    exec.backward([mx.nd.ones([1, 1, 3])]);
    mx.testUtils.assertAlmostEqual(exec.gradDict['data']!, [[[0, 2, 1, 0]]], { rtol: 0, atol: 0 });
  });

  test.each([
    ['max overlapping, pad, full', [2, 2, 5, 6], { kernel: [3, 2], stride: [2, 1], pad: [1, 1], pool_type: 'max', pooling_convention: 'full' }],
    ['avg pad with count_include_pad', [1, 2, 5, 5], { kernel: [3, 3], stride: [2, 2], pad: [1, 1], pool_type: 'avg' }],
    ['avg pad without count_include_pad, full', [1, 2, 6, 5], { kernel: [2, 3], stride: [2, 2], pad: [1, 1], pool_type: 'avg', count_include_pad: false, pooling_convention: 'full' }],
    ['sum overlapping', [2, 1, 4, 5], { kernel: [2, 2], stride: [1, 1], pool_type: 'sum' }],
    ['1-D max', [2, 2, 7], { kernel: [3], stride: [2], pool_type: 'max' }],
    ['1-D global avg', [2, 2, 7], { global_pool: true, pool_type: 'avg' }],
  ] as [string, number[], PoolSpec][])('%s matches central differences', (_name, shape, spec) => {
    const pool = mx.sym.Pooling({ data: mx.sym.Variable('data'), ...spec });
    mx.testUtils.checkNumericGradient(pool, { data: distinct(shape) }, NUMERIC);
  });

  test("gradReq 'add' adds the gradient onto what the array held", () => {
    const pool = mx.sym.Pooling({ data: mx.sym.Variable('data'), kernel: [2, 2], stride: [1, 2], pool_type: 'max' });
    expectAddAccumulates(pool, { data: distinct([2, 2, 4, 4]) }, [uniform([2, 2, 3, 2])], F32);
  });
});

describe('Pooling errors', () => {
  const data = mx.sym.Variable('data');
  test('a kernel larger than the padded input is a ShapeError naming the data', () => {
    const pool = mx.sym.Pooling({ data, kernel: [4, 4], pad: [1, 0], name: 'pool' });
    expect(() => pool.inferShape({ data: [1, 1, 3, 3] })).toThrow(mx.ShapeError);
    expect(() => pool.inferShape({ data: [1, 1, 3, 3] })).toThrow("Pooling 'pool': data spatial size 3 padded to 3 is smaller than the kernel 4 on axis 3");
  });

  test('an unknown pool_type is a ParamError with a did-you-mean', () => {
    // @ts-expect-error misspelt enum value
    expect(() => mx.sym.Pooling({ data, kernel: [2, 2], pool_type: 'mx', name: 'pool' })).toThrow(mx.ParamError);
    // @ts-expect-error misspelt enum value
    expect(() => mx.sym.Pooling({ data, kernel: [2, 2], pool_type: 'mx', name: 'pool' })).toThrow("Pooling 'pool': pool_type must be one of 'max', 'avg', 'sum', 'lp', got 'mx' (did you mean 'max'?)");
  });

  test("MXNet's lp pooling and 'same' convention are read but rejected as unsupported", () => {
    const x = mx.nd.zeros([1, 1, 4]);
    expect(() => mx.nd.Pooling(x, { kernel: [2], pool_type: 'lp', p_value: 2 })).toThrow(mx.ParamError);
    expect(() => mx.nd.Pooling(x, { kernel: [2], pool_type: 'lp', p_value: 2 })).toThrow("pool_type 'lp' is not supported by mxts");
    expect(() => mx.nd.Pooling(x, { kernel: [2], pooling_convention: 'same' })).toThrow("pooling_convention 'same' is not supported by mxts");
  });

  test('a missing kernel without global_pool is a ParamError', () => {
    const pool = mx.sym.Pooling({ data, name: 'pool' });
    expect(() => pool.inferShape({ data: [1, 1, 3, 3] })).toThrow(mx.ParamError);
    expect(() => pool.inferShape({ data: [1, 1, 3, 3] })).toThrow("Pooling 'pool': kernel is required unless global_pool is true");
  });

  test('data whose rank does not fit the kernel is a ShapeError', () => {
    const pool = mx.sym.Pooling({ data, kernel: [2, 2], name: 'pool' });
    expect(() => pool.inferShape({ data: [1, 1, 5] })).toThrow("Pooling 'pool': data shape [1,1,5] does not fit a 2-d kernel (2, 2); expected 4-d data");
    expect(() => pool.inferShape({ data: [1, 5] })).toThrow(mx.ShapeError);
  });
});
