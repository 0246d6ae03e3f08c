/**
 * Concat and SliceChannel (split): MXNet docstring examples, shape inference (including an input
 * filled from the output), gradients, errors, and fast-check properties of the concat shape rule.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { getOp } from '../../../src/ops/registry';
import { parseParams } from '../../../src/ops/params';
import { applyShapeRule, shapeSite } from '../../../src/ops/shape_rule';

const EXACT = { rtol: 0, atol: 0 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

beforeEach(() => mx.random.seed(43));

describe('Concat', () => {
  const x = mx.nd.array([[1, 1], [2, 2]]);
  const y = mx.nd.array([[3, 3], [4, 4], [5, 5]]);
  const z = mx.nd.array([[6, 6], [7, 7], [8, 8]]);

  test('MXNet docstring: concat(x, y, z, dim=0) and concat(y, z, dim=1)', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.Concat(x, y, z, { dim: 0 }), [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6], [7, 7], [8, 8]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.concat(y, z, { dim: 1 }), [[3, 3, 6, 6], [4, 4, 7, 7], [5, 5, 8, 8]], EXACT);
  });

  test('num_args comes from the inputs; the inputs are named arg0, arg1, ...; negative dim counts from the end', () => {
    const s = mx.sym.Concat(mx.sym.Variable('a'), mx.sym.Variable('b'), mx.sym.Variable('c'), { dim: -1, name: 'cat' });
    expect(s.listArguments()).toEqual(['a', 'b', 'c']);
    expect(getOp('Concat').inputs(parseParams(getOp('Concat').params, { num_args: 3 }, { op: 'Concat' }))).toEqual(['arg0', 'arg1', 'arg2']);
    const { outShapes } = s.inferShape({ a: [2, 3, 1], b: [2, 3, 4], c: [2, 3, 2] });
    expect(outShapes).toEqual([[2, 3, 7]]);
  });

  test('one unknown input is filled from a known output', () => {
    const def = getOp('Concat');
    const params = parseParams(def.params, { num_args: 3, dim: 1 }, { op: 'Concat' });
    const result = applyShapeRule(def, params, [[2, 3], null, [2, 1]], [[2, 9]], shapeSite('Concat', 'cat'));
    expect(result.inputs).toEqual([[2, 3], [2, 5], [2, 1]]);
  });

  test('the gradient of each input is its slice of the head gradient (central differences, 3 inputs)', () => {
    const s = mx.sym.Concat(mx.sym.Variable('a'), mx.sym.Variable('b'), mx.sym.Variable('c'), { dim: 1 });
    const location = { a: mx.nd.random.uniform(-1, 1, [2, 1, 2]), b: mx.nd.random.uniform(-1, 1, [2, 3, 2]), c: mx.nd.random.uniform(-1, 1, [2, 2, 2]) };
    mx.testUtils.checkNumericGradient(s, location, NUMERIC);
    const g = mx.nd.arange(0, 24).reshape([2, 6, 2]);
    mx.testUtils.checkSymbolicBackward(s, location, [g], { a: [[[0, 1]], [[12, 13]]], c: [[[8, 9], [10, 11]], [[20, 21], [22, 23]]] }, { ...EXACT, gradReq: 'add' });
  });

  test('inputs that disagree off the concat axis are a shape error naming the input', () => {
    const s = mx.sym.Concat(mx.sym.Variable('a'), mx.sym.Variable('b'), { dim: 0, name: 'cat' });
    expect(() => s.inferShape({ a: [2, 3], b: [2, 4] })).toThrow(mx.ShapeError);
    expect(() => s.inferShape({ a: [2, 3], b: [2, 4] })).toThrow("Concat 'cat': arg1 shape [2,4] does not match [2,3] off the concat axis 0");
    expect(() => s.inferShape({ a: [2, 3], b: [2, 3, 1] })).toThrow(/arg1 shape \[2,3,1\] does not match/);
  });

  test('dim out of range is a shape error', () => {
    const s = mx.sym.Concat(mx.sym.Variable('a'), mx.sym.Variable('b'), { dim: 2, name: 'cat' });
    expect(() => s.inferShape({ a: [2, 3], b: [2, 3] })).toThrow("Concat 'cat': dim 2 is out of range for 2-d input (allowed: -2 to 1)");
  });

  test('property: the output is the inputs with the concat axis summed, and split undoes concat', () => {
    const cases = fc.record({
      base: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
      sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
      axisSeed: fc.nat(),
    });
    fc.assert(fc.property(cases, ({ base, sizes, axisSeed }) => {
      const axis = axisSeed % base.length;
      const inputs = sizes.map((n) => mx.nd.random.uniform(-1, 1, base.map((d, i) => (i === axis ? n : d))));
      const out = mx.nd.Concat(...inputs, { dim: axis });
      expect(out.shape).toEqual(base.map((d, i) => (i === axis ? sizes.reduce((a, b) => a + b, 0) : d)));
      if (sizes.every((n) => n === sizes[0])) {
        const parts = mx.nd.split(out, { num_outputs: sizes.length, axis });
        parts.forEach((part, k) => expect(Array.from(part.data)).toEqual(Array.from(inputs[k]!.data)));
      }
    }), { numRuns: 60 });
  });
});

describe('Concat with long rows (block copies)', () => {
  test('forward and backward move whole rows of 64+ floats exactly', () => {
    const a = mx.nd.arange(0, 2 * 3 * 40).reshape([2, 3, 40]);
    const b = mx.nd.arange(1000, 1000 + 2 * 5 * 40).reshape([2, 5, 40]);
    const s = mx.sym.Concat(mx.sym.Variable('a'), mx.sym.Variable('b'), { dim: 1 });
    const exec = s.bind(mx.cpu(), { a, b }, { argsGrad: { a: mx.nd.zeros([2, 3, 40]), b: mx.nd.zeros([2, 5, 40]) } });
    exec.forward(true);
    const out = exec.outputs[0]!;
    expect(out.shape).toEqual([2, 8, 40]);
    // sample 1, channel 4 is b's channel 1 of sample 1
    expect(Array.from(out.data.subarray((8 + 4) * 40, (8 + 5) * 40))).toEqual(Array.from(b.data.subarray((5 + 1) * 40, (5 + 2) * 40)));
    expect(Array.from(out.data.subarray(0, 120))).toEqual(Array.from(a.data.subarray(0, 120)));
    const head = mx.nd.arange(0, 2 * 8 * 40).reshape([2, 8, 40]);
    exec.backward([head]);
    const ga = exec.gradDict['a']!.data;
    const gb = exec.gradDict['b']!.data;
    expect(Array.from(ga.subarray(120, 240))).toEqual(Array.from(head.data.subarray(320, 440)));
    expect(Array.from(gb.subarray(200, 400))).toEqual(Array.from(head.data.subarray(440, 640)));
  });
});

describe('SliceChannel / split', () => {
  const x = mx.nd.array([[[1], [2]], [[3], [4]], [[5], [6]]]);

  test('MXNet docstring: split along axis 1, along axis 0, and with squeeze_axis', () => {
    const [y0, y1] = mx.nd.split(x, { axis: 1, num_outputs: 2 });
    mx.testUtils.assertAlmostEqual(y0!, [[[1]], [[3]], [[5]]], EXACT);
    mx.testUtils.assertAlmostEqual(y1!, [[[2]], [[4]], [[6]]], EXACT);
    const z = mx.nd.SliceChannel(x, { axis: 0, num_outputs: 3 });
    expect(z).toHaveLength(3);
    mx.testUtils.assertAlmostEqual(z[0]!, [[[1], [2]]], EXACT);
    const squeezed = mx.nd.split(x, { axis: 0, num_outputs: 3, squeeze_axis: true });
    mx.testUtils.assertAlmostEqual(squeezed[2]!, [[5], [6]], EXACT);
  });

  test('outputs are named output0, output1, ...; gradients join back (central differences)', () => {
    const s = mx.sym.SliceChannel({ data: mx.sym.Variable('x'), num_outputs: 3, axis: -1, name: 's' });
    expect(s.listOutputs()).toEqual(['s_output0', 's_output1', 's_output2']);
    expect(s.inferShape({ x: [2, 6] }).outShapes).toEqual([[2, 2], [2, 2], [2, 2]]);
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(-1, 1, [2, 6]) }, NUMERIC);
    const squeezed = mx.sym.split({ data: mx.sym.Variable('x'), num_outputs: 2, axis: 1, squeeze_axis: true });
    mx.testUtils.checkNumericGradient(squeezed, { x: mx.nd.random.uniform(-1, 1, [3, 2, 2]) }, NUMERIC);
  });

  test('an axis that num_outputs does not divide, or squeeze_axis with parts wider than 1, is a shape error', () => {
    const s = mx.sym.split({ data: mx.sym.Variable('x'), num_outputs: 4, name: 's' });
    expect(() => s.inferShape({ x: [2, 6] })).toThrow(mx.ShapeError);
    expect(() => s.inferShape({ x: [2, 6] })).toThrow("SliceChannel 's': data axis 1 of shape [2,6] has size 6, which num_outputs=4 does not divide evenly");
    const q = mx.sym.split({ data: mx.sym.Variable('x'), num_outputs: 2, squeeze_axis: true, name: 'q' });
    expect(() => q.inferShape({ x: [2, 4] })).toThrow(/with squeeze_axis it must equal num_outputs=2/);
  });
});
