/**
 * FullyConnected: a hand-computed golden, a float64 reference on seeded inputs for flatten on
 * and off, shape inference (weight/bias filling, bias (n, 1), shapes back from the output),
 * numeric gradients, gradReq 'add' and errors.
 */
import * as mx from 'mxts';
import { uniform } from './reference';

const F32 = { rtol: 1e-5, atol: 1e-5 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3, numericEps: 1e-2 };

/** out[r, j] = bias[j] + sum_k x2[r, k] * weight[j, k] in float64. */
function fcRef(x: mx.NDArray, w: mx.NDArray, b: mx.NDArray | null, flatten: boolean): Float64Array {
  const k = w.shape[1]!;
  const hidden = w.shape[0]!;
  const rows = flatten ? x.shape[0]! : x.size / k;
  const out = new Float64Array(rows * hidden);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < hidden; j++) {
      let sum = b ? b.data[j]! : 0;
      for (let i = 0; i < k; i++) sum += x.data[r * k + i]! * w.data[j * k + i]!;
      out[r * hidden + j] = sum;
    }
  }
  return out;
}

beforeEach(() => mx.random.seed(5));

describe('FullyConnected forward', () => {
  test('[[1, 2], [3, 4]] with weight [[1, 0], [1, 1], [0, -1]] and bias [0.5, 0, -1] (computed by hand)', () => {
    const out = mx.nd.FullyConnected(mx.nd.array([[1, 2], [3, 4]]), mx.nd.array([[1, 0], [1, 1], [0, -1]]), mx.nd.array([0.5, 0, -1]), { num_hidden: 3 });
    mx.testUtils.assertAlmostEqual(out, [[1.5, 3, -3], [3.5, 7, -5]], { rtol: 0, atol: 0 });
  });

  test('flatten=true flattens all non-batch axes (odd sizes), through mx.nd and mx.sym', () => {
    const x = uniform([3, 2, 5, 3]);
    const w = uniform([7, 30]);
    const b = uniform([7]);
    const expected = fcRef(x, w, b, true);
    const viaNd = mx.nd.FullyConnected(x, w, b, { num_hidden: 7 });
    expect(viaNd.shape).toEqual([3, 7]);
    mx.testUtils.assertAlmostEqual(viaNd, expected, F32);
    const fc = mx.sym.FullyConnected({ data: mx.sym.Variable('data'), num_hidden: 7, name: 'fc' });
    const exec = fc.bind(mx.cpu(), { data: x, fc_weight: w, fc_bias: b }, { gradReq: 'null' });
    mx.testUtils.assertAlmostEqual(exec.forward(false)[0]!, expected, F32);
  });

  test('flatten=false applies the layer to the last axis and keeps the others', () => {
    const x = uniform([2, 3, 5]);
    const w = uniform([4, 5]);
    const out = mx.nd.FullyConnected(x, w, { num_hidden: 4, no_bias: true, flatten: false });
    expect(out.shape).toEqual([2, 3, 4]);
    mx.testUtils.assertAlmostEqual(out, fcRef(x, w, null, false), F32);
  });

  test('a (num_hidden, 1) bias is accepted and acts as (num_hidden,)', () => {
    const x = uniform([2, 3]);
    const w = uniform([2, 3]);
    const b = uniform([2]);
    const out = mx.nd.FullyConnected(x, w, b.reshape([2, 1]), { num_hidden: 2 });
    mx.testUtils.assertAlmostEqual(out, fcRef(x, w, b, true), F32);
  });
});

describe('FullyConnected shape inference', () => {
  const data = mx.sym.Variable('data');
  test('weight (num_hidden, prod(data[1:])) and bias (num_hidden,) are filled from the data', () => {
    const fc = mx.sym.FullyConnected({ data, num_hidden: 10, name: 'fc1' });
    expect(fc.listArguments()).toEqual(['data', 'fc1_weight', 'fc1_bias']);
    const { argShapes, outShapes } = fc.inferShape({ data: [8, 3, 4, 5] });
    expect(argShapes).toEqual([[8, 3, 4, 5], [10, 60], [10]]);
    expect(outShapes).toEqual([[8, 10]]);
  });

  test('flatten=false uses the last axis; no_bias drops the bias', () => {
    const fc = mx.sym.FullyConnected({ data, num_hidden: 6, flatten: false, no_bias: true, name: 'fc' });
    expect(fc.listArguments()).toEqual(['data', 'fc_weight']);
    const { argShapes, outShapes } = fc.inferShape({ data: [2, 3, 4] });
    expect(argShapes).toEqual([[2, 3, 4], [6, 4]]);
    expect(outShapes).toEqual([[2, 3, 6]]);
  });

  test('a given bias of (num_hidden, 1) is kept; another bias shape is a ShapeError', () => {
    const fc = mx.sym.FullyConnected({ data, num_hidden: 3, name: 'fc' });
    expect(fc.inferShape({ data: [2, 4], fc_bias: [3, 1] }).argShapes).toEqual([[2, 4], [3, 4], [3, 1]]);
    expect(() => fc.inferShape({ data: [2, 4], fc_bias: [4] })).toThrow(mx.ShapeError);
    expect(() => fc.inferShape({ data: [2, 4], fc_bias: [4] })).toThrow("FullyConnected 'fc': bias shape [4] must be [3] or [3,1]");
  });

  test('with flatten=false the data shape follows from a known output and the weight', () => {
    const fc = mx.sym.FullyConnected({ data, num_hidden: 2, flatten: false, no_bias: true, name: 'fc' });
    const sum = mx.sym.elemwise_add(fc, mx.sym.Variable('other'));
    const { argShapes } = sum.inferShape({ other: [7, 3, 2], fc_weight: [2, 5] });
    expect(argShapes).toEqual([[7, 3, 5], [2, 5], [7, 3, 2]]);
  });

  test('with flatten=true a known output cannot decide the data rank, so the data stays unknown', () => {
    const fc = mx.sym.FullyConnected({ data, num_hidden: 2, no_bias: true, name: 'fc' });
    const sum = mx.sym.elemwise_add(fc, mx.sym.Variable('other'));
    expect(sum.inferShapePartial({ other: [7, 2], fc_weight: [2, 5] }).argShapes).toEqual([null, [2, 5], [7, 2]]);
  });
});

describe('FullyConnected gradients', () => {
  test.each([
    ['flatten=true, 4-d data', { num_hidden: 3 }, [2, 2, 3, 2]],
    ['flatten=false, 3-d data', { num_hidden: 4, flatten: false }, [2, 3, 5]],
  ] as const)('%s: data, weight and bias match central differences', (_name, params, shape) => {
    const fc = mx.sym.FullyConnected({ data: mx.sym.Variable('data'), name: 'fc', ...params });
    const { argShapes } = fc.inferShape({ data: [...shape] });
    const location = Object.fromEntries(fc.listArguments().map((name, i) => [name, uniform([...argShapes[i]!])]));
    mx.testUtils.checkNumericGradient(fc, location, NUMERIC);
  });

  test("gradReq 'add' accumulates: backward twice with 'add' gives twice backward once with 'write'", () => {
    const fc = mx.sym.FullyConnected({ data: mx.sym.Variable('data'), num_hidden: 3, name: 'fc' });
    const args = { data: uniform([4, 5]), fc_weight: uniform([3, 5]), fc_bias: uniform([3]) };
    const head = uniform([4, 3]);
    const write = fc.bind(mx.cpu(), args, { gradReq: 'write' });
    write.forward(true);
    write.backward([head]);
    const add = fc.bind(mx.cpu(), args, { gradReq: 'add' });
    for (let i = 0; i < 2; i++) {
      add.forward(true);
      add.backward([head]);
    }
    for (const name of ['data', 'fc_weight', 'fc_bias']) {
      const once = write.gradDict[name]!;
      mx.testUtils.assertAlmostEqual(add.gradDict[name]!, mx.nd.array(Array.from(once.data, (v) => 2 * v), { shape: once.shape }), F32);
    }
  });
});

describe('FullyConnected errors', () => {
  test('missing num_hidden is a ParamError at symbol creation', () => {
    // @ts-expect-error num_hidden is required
    expect(() => mx.sym.FullyConnected({ data: mx.sym.Variable('data'), name: 'fc' })).toThrow(mx.ParamError);
    // @ts-expect-error num_hidden is required
    expect(() => mx.sym.FullyConnected({ data: mx.sym.Variable('data'), name: 'fc' })).toThrow(/^FullyConnected 'fc': num_hidden is required/);
  });

  test('a misspelt parameter gets a did-you-mean', () => {
    // @ts-expect-error misspelt parameter
    expect(() => mx.sym.FullyConnected({ data: mx.sym.Variable('data'), num_hiden: 3, name: 'fc' })).toThrow("did you mean 'num_hidden'");
  });

  test('a weight that does not fit the data is a ShapeError naming the weight', () => {
    expect(() => mx.nd.FullyConnected(mx.nd.zeros([2, 4]), mx.nd.zeros([3, 5]), mx.nd.zeros([3]), { num_hidden: 3 })).toThrow(mx.ShapeError);
    expect(() => mx.nd.FullyConnected(mx.nd.zeros([2, 4]), mx.nd.zeros([3, 5]), mx.nd.zeros([3]), { num_hidden: 3 })).toThrow('weight shape [3,5] does not match the inferred shape [3,4]');
  });
});
