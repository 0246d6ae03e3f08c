/**
 * LayerNorm, InstanceNorm and GroupNorm: shapes and hidden outputs, forward against float64
 * references on seeded inputs (the numpy references of MXNet's test_operator.py: test_layer_norm,
 * test_instance_normalization, test_groupnorm), numeric gradients, gradReq 'add', errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { expectAddAccumulates } from '../../helpers/grad_req';

const F32 = { rtol: 1e-4, atol: 1e-5 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

/**
 * Float64 normalization of each (outer, inner) line of n values of x (shape viewed as
 * (outer, n, inner)); gammaAt(o, j) picks the affine index. Returns out, mean and std per line.
 */
function normRef(x: mx.NDArray, outer: number, n: number, inner: number, gamma: ArrayLike<number>, beta: ArrayLike<number>, eps: number, gammaAt: (o: number, j: number) => number) {
  const out = new Float64Array(x.size);
  const mean = new Float64Array(outer * inner);
  const std = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) for (let k = 0; k < inner; k++) {
    const at = (j: number) => (o * n + j) * inner + k;
    let m = 0;
    for (let j = 0; j < n; j++) m += x.data[at(j)]! / n;
    let v = 0;
    for (let j = 0; j < n; j++) v += (x.data[at(j)]! - m) ** 2 / n;
    mean[o * inner + k] = m;
    std[o * inner + k] = Math.sqrt(v + eps);
    for (let j = 0; j < n; j++) out[at(j)] = ((x.data[at(j)]! - m) / Math.sqrt(v + eps)) * gamma[gammaAt(o, j)]! + beta[gammaAt(o, j)]!;
  }
  return { out, mean, std };
}

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

beforeEach(() => mx.random.seed(23));

describe('LayerNorm shapes', () => {
  test('gamma and beta take the axis length; mean and std keep the axis as 1 and are visible with output_mean_var', () => {
    const s = mx.sym.LayerNorm({ data: mx.sym.Variable('data'), axis: 1, name: 'ln', output_mean_var: true });
    expect(s.listArguments()).toEqual(['data', 'ln_gamma', 'ln_beta']);
    expect(s.listOutputs()).toEqual(['ln_output', 'ln_mean', 'ln_std']);
    const { argShapes, outShapes } = s.inferShape({ data: [2, 5, 3] });
    expect(argShapes).toEqual([[2, 5, 3], [5], [5]]);
    expect(outShapes).toEqual([[2, 5, 3], [2, 1, 3], [2, 1, 3]]);
    expect(mx.sym.LayerNorm({ data: mx.sym.Variable('data'), name: 'ln' }).listOutputs()).toEqual(['ln_output']);
  });

  test('an axis out of range and a gamma of the wrong length are shape errors naming node and argument', () => {
    const s = mx.sym.LayerNorm({ data: mx.sym.Variable('data'), axis: 2, name: 'ln' });
    expect(() => s.inferShape({ data: [2, 3] })).toThrow(mx.ShapeError);
    expect(() => s.inferShape({ data: [2, 3] })).toThrow("LayerNorm 'ln': axis 2 is out of range for 2-d input");
    const t = mx.sym.LayerNorm({ data: mx.sym.Variable('data'), name: 'ln' });
    expect(() => t.inferShape({ data: [2, 3], ln_gamma: [4] })).toThrow(/LayerNorm 'ln': gamma shape \[4\] does not match the inferred shape \[3\]/);
  });

  test('property: for any shape and axis the output shape is the data shape and the moments drop the axis to 1', () => {
    const cases = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: -shape.length, max: shape.length - 1 })));
    fc.assert(fc.property(cases, ([shape, axis]) => {
      const { argShapes, outShapes } = mx.sym.LayerNorm({ data: mx.sym.Variable('d'), axis, output_mean_var: true }).inferShape({ d: shape });
      const a = axis < 0 ? axis + shape.length : axis;
      expect(argShapes[1]).toEqual([shape[a]]);
      expect(outShapes).toEqual([shape, shape.map((d, i) => (i === a ? 1 : d)), shape.map((d, i) => (i === a ? 1 : d))]);
    }), { numRuns: 50 });
  });
});

describeEachBackend('LayerNorm values', () => {
  test.each([[[4, 6], -1], [[2, 5, 3], 1], [[3, 4, 2], 0]] as const)('data %j axis %d matches the float64 reference (out, mean, std), nd and sym agree', (shape, axis) => {
    const a = axis < 0 ? axis + shape.length : axis;
    const [outer, n, inner] = [prod(shape.slice(0, a)), shape[a]!, prod(shape.slice(a + 1))];
    const x = mx.nd.random.normal(0, 2, [...shape]);
    const gamma = mx.nd.random.uniform(0.5, 1.5, [n]);
    const beta = mx.nd.random.uniform(-1, 1, [n]);
    const ref = normRef(x, outer, n, inner, gamma.data, beta.data, 1e-5, (_o, j) => j);
    const [out, mean, std] = mx.nd.LayerNorm(x, gamma, beta, { axis, output_mean_var: true }) as unknown as mx.NDArray[];
    mx.testUtils.assertAlmostEqual(out!.data, ref.out, F32);
    mx.testUtils.assertAlmostEqual(mean!.data, ref.mean, F32);
    mx.testUtils.assertAlmostEqual(std!.data, ref.std, F32);
    const s = mx.sym.LayerNorm({ data: mx.sym.Variable('x'), gamma: mx.sym.Variable('g'), beta: mx.sym.Variable('b'), axis });
    mx.testUtils.checkSymbolicForward(s, { x, g: gamma, b: beta }, [out!], { rtol: 0, atol: 0 });
  });

  test('gradients of data, gamma and beta match central differences (axis -1 and axis 1); add accumulates', () => {
    for (const [shape, axis] of [[[3, 4], -1], [[2, 3, 2], 1]] as const) {
      const n = shape[axis < 0 ? shape.length + axis : axis]!;
      const s = mx.sym.LayerNorm({ data: mx.sym.Variable('x'), gamma: mx.sym.Variable('g'), beta: mx.sym.Variable('b'), axis, eps: 1e-3 });
      const loc = { x: mx.nd.random.normal(0, 1, [...shape]), g: mx.nd.random.uniform(0.5, 1.5, [n]), b: mx.nd.random.uniform(-1, 1, [n]) };
      mx.testUtils.checkNumericGradient(s, loc, NUMERIC);
      expectAddAccumulates(s, loc, [mx.nd.random.uniform(-1, 1, [...shape])]);
    }
  });
});

describeEachBackend('InstanceNorm', () => {
  test('mean/var are hidden (N, C); gamma/beta are (C,); data needs 3 axes', () => {
    const s = mx.sym.InstanceNorm({ data: mx.sym.Variable('data'), name: 'in' });
    expect(s.listArguments()).toEqual(['data', 'in_gamma', 'in_beta']);
    expect(s.listOutputs()).toEqual(['in_output']);
    expect(s.inferShape({ data: [2, 3, 4, 5] }).argShapes).toEqual([[2, 3, 4, 5], [3], [3]]);
    expect(() => s.inferShape({ data: [2, 3] })).toThrow("InstanceNorm 'in': data shape [2,3] needs at least 3 axes");
  });

  test('MXNet docstring: x (2, 1, 2) [[[1.1, 2.2]], [[3.3, 4.4]]], gamma 1.5, beta 0.5 gives [[[-0.997527, 1.99752665]], [[-0.99752653, 1.99752724]]]', () => {
    const out = mx.nd.InstanceNorm(mx.nd.array([[[1.1, 2.2]], [[3.3, 4.4]]]), mx.nd.array([1.5]), mx.nd.array([0.5]));
    mx.testUtils.assertAlmostEqual(out, [[[-0.997527, 1.99752665]], [[-0.99752653, 1.99752724]]], { rtol: 1e-5, atol: 1e-5 });
  });

  test('test_instance_normalization reference: per (n, c) statistics over space, gamma/beta per channel, eps 1e-3', () => {
    const x = mx.nd.random.normal(0, 1, [2, 3, 4, 2]);
    const gamma = mx.nd.random.normal(0, 1, [3]);
    const beta = mx.nd.random.normal(0, 1, [3]);
    const ref = normRef(x, 6, 8, 1, gamma.data, beta.data, 1e-3, (o) => o % 3);
    mx.testUtils.assertAlmostEqual(mx.nd.InstanceNorm(x, gamma, beta).data, ref.out, F32);
  });

  test('numeric gradients for data, gamma and beta', () => {
    const s = mx.sym.InstanceNorm({ data: mx.sym.Variable('x'), gamma: mx.sym.Variable('g'), beta: mx.sym.Variable('b'), eps: 1e-2 });
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.normal(0, 1, [2, 3, 4]), g: mx.nd.random.uniform(0.5, 1.5, [3]), b: mx.nd.random.normal(0, 1, [3]) }, NUMERIC);
  });
});

describeEachBackend('GroupNorm', () => {
  test('gamma/beta are (num_groups,) as in MXNet 1.x, mean/std (N, G); channels must divide into groups', () => {
    const s = mx.sym.GroupNorm({ data: mx.sym.Variable('data'), num_groups: 2, output_mean_var: true, name: 'gn' });
    expect(s.listOutputs()).toEqual(['gn_output', 'gn_mean', 'gn_std']);
    const { argShapes, outShapes } = s.inferShape({ data: [3, 4, 5] });
    expect(argShapes).toEqual([[3, 4, 5], [2], [2]]);
    expect(outShapes).toEqual([[3, 4, 5], [3, 2], [3, 2]]);
    const bad = mx.sym.GroupNorm({ data: mx.sym.Variable('data'), num_groups: 3, name: 'gn' });
    expect(() => bad.inferShape({ data: [3, 4, 5] })).toThrow("GroupNorm 'gn': num_groups 3 does not divide the 4 channels");
    expect(() => mx.sym.GroupNorm({ data: mx.sym.Variable('data'), num_groups: 0 })).toThrow(mx.ParamError);
  });

  test('test_groupnorm reference: (N, G, C/G * space) lines, gamma/beta per group', () => {
    const x = mx.nd.random.normal(0, 1, [2, 6, 3, 2]);
    const gamma = mx.nd.random.uniform(0.5, 1.5, [3]);
    const beta = mx.nd.random.uniform(-1, 1, [3]);
    const ref = normRef(x, 6, 12, 1, gamma.data, beta.data, 1e-5, (o) => o % 3);
    const [out, mean, std] = mx.nd.GroupNorm(x, gamma, beta, { num_groups: 3, output_mean_var: true }) as unknown as mx.NDArray[];
    mx.testUtils.assertAlmostEqual(out!.data, ref.out, F32);
    mx.testUtils.assertAlmostEqual(mean!.data, ref.mean, F32);
    mx.testUtils.assertAlmostEqual(std!.data, ref.std, F32);
  });

  test('numeric gradients for data, gamma and beta', () => {
    const s = mx.sym.GroupNorm({ data: mx.sym.Variable('x'), gamma: mx.sym.Variable('g'), beta: mx.sym.Variable('b'), num_groups: 2, eps: 1e-3 });
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.normal(0, 1, [2, 4, 3]), g: mx.nd.random.uniform(0.5, 1.5, [2]), b: mx.nd.random.normal(0, 1, [2]) }, NUMERIC);
  });
});
