/**
 * Embedding: MXNet's docstring example, shape inference, index clipping, the weight gradient
 * (repeated indices accumulate; numeric check) and the indices getting no gradient.
 */
import * as mx from 'mxts';

const emb = () => mx.sym.Embedding({ data: mx.sym.Variable('data'), input_dim: 4, output_dim: 5, name: 'emb' });

beforeEach(() => mx.random.seed(31));

describe('Embedding', () => {
  test('MXNet docstring: weight arange(20) as (4, 5), x = [[1, 3], [0, 2]]', () => {
    const weight = mx.nd.arange(0, 20).reshape([4, 5]);
    const out = mx.nd.Embedding(mx.nd.array([[1, 3], [0, 2]]), weight, { input_dim: 4, output_dim: 5 });
    const row = (k: number) => [0, 1, 2, 3, 4].map((j) => 5 * k + j);
    mx.testUtils.assertAlmostEqual(out, [[row(1), row(3)], [row(0), row(2)]], { rtol: 0, atol: 0 });
  });

  test('weight is (input_dim, output_dim) and the output is data.shape + [output_dim]', () => {
    expect(emb().listArguments()).toEqual(['data', 'emb_weight']);
    const { argShapes, outShapes } = emb().inferShape({ data: [2, 3, 7] });
    expect(argShapes).toEqual([[2, 3, 7], [4, 5]]);
    expect(outShapes).toEqual([[2, 3, 7, 5]]);
  });

  test('indices are truncated and clipped to [0, input_dim - 1] (take with mode clip)', () => {
    const weight = mx.nd.arange(0, 8).reshape([4, 2]);
    const out = mx.nd.Embedding(mx.nd.array([-3, 1.7, 9]), weight, { input_dim: 4, output_dim: 2 });
    mx.testUtils.assertAlmostEqual(out, [[0, 1], [2, 3], [6, 7]], { rtol: 0, atol: 0 });
  });

  test('the weight gradient sums the head gradient rows of each index; the indices get none', () => {
    const exec = emb().simpleBind(mx.cpu(), { shapes: { data: [3] } });
    exec.argDict['data']!.data.set([2, 0, 2]);
    exec.forward(true);
    const g = mx.nd.arange(0, 15).reshape([3, 5]);
    exec.backward([g]);
    const expected = [[5, 6, 7, 8, 9], [0, 0, 0, 0, 0], [10, 12, 14, 16, 18], [0, 0, 0, 0, 0]];
    mx.testUtils.assertAlmostEqual(exec.gradDict['emb_weight']!, expected, { rtol: 0, atol: 0 });
    mx.testUtils.assertAlmostEqual(exec.gradDict['data']!, [0, 0, 0], { rtol: 0, atol: 0 });
  });

  test('the weight gradient matches central differences', () => {
    const location = { data: mx.nd.array([[3, 1], [1, 0]]), emb_weight: mx.nd.random.uniform(-1, 1, [4, 5]) };
    mx.testUtils.checkNumericGradient(emb(), location, { rtol: 1e-2, atol: 1e-3, gradNodes: ['emb_weight'] });
  });

  test('a weight of the wrong shape and a missing output_dim are errors', () => {
    expect(() => emb().inferShape({ data: [2], emb_weight: [5, 4] })).toThrow(mx.ShapeError);
    expect(() => emb().inferShape({ data: [2], emb_weight: [5, 4] })).toThrow("Embedding 'emb': weight shape [5,4] should be [4,5] (input_dim, output_dim)");
    // @ts-expect-error output_dim is required
    expect(() => mx.sym.Embedding({ data: mx.sym.Variable('d'), input_dim: 3 })).toThrow(mx.ParamError);
    // @ts-expect-error output_dim is required
    expect(() => mx.sym.Embedding({ data: mx.sym.Variable('d'), input_dim: 3 })).toThrow(/output_dim is required/);
  });
});
