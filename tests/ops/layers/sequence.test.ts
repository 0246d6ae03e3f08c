/**
 * SequenceMask, SequenceLast, SequenceReverse: MXNet docstring examples (re-derived), inputs that
 * depend on use_sequence_length, axis 1, gradients (numeric and exact), shape errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

const EXACT = { rtol: 0, atol: 0 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

/** The (3, 2, 3) example of the SequenceMask and SequenceReverse docstrings: steps, batch, features. */
const x323 = () => mx.nd.array([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]], [[13, 14, 15], [16, 17, 18]]]);
/** The (3, 3, 3) example of the SequenceLast docstring: values 1..27. */
const x333 = () => mx.nd.arange(1, 28).reshape([3, 3, 3]);

beforeEach(() => mx.random.seed(5));

describe('sequence ops: inputs and shapes', () => {
  test('sequence_length is an input only with use_sequence_length, inferred as (batch,)', () => {
    const plain = mx.sym.SequenceMask({ data: mx.sym.Variable('d'), name: 'sm' });
    expect(plain.listArguments()).toEqual(['d']);
    const withLength = mx.sym.SequenceMask({ data: mx.sym.Variable('d'), use_sequence_length: true, name: 'sm' });
    expect(withLength.listArguments()).toEqual(['d', 'sm_sequence_length']);
    expect(withLength.inferShape({ d: [5, 2, 3] }).argShapes).toEqual([[5, 2, 3], [2]]);
    const axis1 = mx.sym.SequenceLast({ data: mx.sym.Variable('d'), use_sequence_length: 'True', axis: 1, name: 'sl' });
    expect(axis1.inferShape({ d: [4, 6, 3] })).toEqual({ argShapes: [[4, 6, 3], [4]], outShapes: [[4, 3]], auxShapes: [] });
  });

  test('an unsupported axis, 1-d data and a wrong length shape are shape errors', () => {
    expect(() => mx.sym.SequenceReverse({ data: mx.sym.Variable('d'), axis: 1, name: 'sr' }).inferShape({ d: [3, 2] })).toThrow("SequenceReverse 'sr': axis 1 is not supported: the time axis must be 0");
    expect(() => mx.sym.SequenceMask({ data: mx.sym.Variable('d'), axis: 2, name: 'sm' }).inferShape({ d: [3, 2, 2] })).toThrow(/axis 2 is not supported: the time axis must be 0 or 1/);
    expect(() => mx.sym.SequenceLast({ data: mx.sym.Variable('d'), name: 'sl' }).inferShape({ d: [3] })).toThrow(mx.ShapeError);
    const s = mx.sym.SequenceMask({ data: mx.sym.Variable('d'), sequence_length: mx.sym.Variable('len'), use_sequence_length: true, name: 'sm' });
    expect(() => s.inferShape({ d: [3, 2, 2], len: [3] })).toThrow("SequenceMask 'sm': sequence_length shape [3] does not match the inferred shape [2]");
  });

  test('property: SequenceLast drops the time axis; mask and reverse keep the shape', () => {
    const cases = fc.tuple(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }), fc.constantFrom(0, 1));
    fc.assert(fc.property(cases, ([shape, axis]) => {
      expect(mx.sym.SequenceLast({ data: mx.sym.Variable('d'), axis }).inferShape({ d: shape }).outShapes).toEqual([shape.filter((_, i) => i !== axis)]);
      expect(mx.sym.SequenceMask({ data: mx.sym.Variable('d'), axis }).inferShape({ d: shape }).outShapes).toEqual([shape]);
    }), { numRuns: 40 });
  });
});

describeEachBackend('SequenceMask', () => {
  test('MXNet docstring: no lengths is the identity; lengths [1, 1] zero steps 1..2; [2, 3] with value 1', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.SequenceMask(x323()), x323(), EXACT);
    const masked = mx.nd.SequenceMask(x323(), mx.nd.array([1, 1]), { use_sequence_length: true });
    mx.testUtils.assertAlmostEqual(masked, [[[1, 2, 3], [4, 5, 6]], [[0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]]], EXACT);
    const filled = mx.nd.SequenceMask(x323(), mx.nd.array([2, 3]), { use_sequence_length: true, value: 1 });
    mx.testUtils.assertAlmostEqual(filled, [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]], [[1, 1, 1], [16, 17, 18]]], EXACT);
  });

  test('axis 1 masks along the second axis; fractional lengths truncate', () => {
    const x = mx.nd.array([[1, 2, 3], [4, 5, 6]]);
    mx.testUtils.assertAlmostEqual(mx.nd.SequenceMask(x, mx.nd.array([1.9, 3]), { use_sequence_length: true, axis: 1, value: -1 }), [[1, -1, -1], [4, 5, 6]], EXACT);
  });

  test('the gradient is the head gradient where kept and 0 where masked; sym agrees with nd', () => {
    const s = mx.sym.SequenceMask({ data: mx.sym.Variable('x'), sequence_length: mx.sym.Variable('len'), use_sequence_length: true, value: 7 });
    const loc = { x: x323(), len: mx.nd.array([1, 2]) };
    mx.testUtils.checkSymbolicForward(s, loc, [mx.nd.SequenceMask(x323(), mx.nd.array([1, 2]), { use_sequence_length: true, value: 7 })], EXACT);
    const head = mx.nd.arange(0, 18).reshape([3, 2, 3]);
    mx.testUtils.checkSymbolicBackward(s, loc, [head], { x: [[[0, 1, 2], [3, 4, 5]], [[0, 0, 0], [9, 10, 11]], [[0, 0, 0], [0, 0, 0]]] }, EXACT);
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(-1, 1, [3, 2, 2]), len: mx.nd.array([2, 3]) }, { ...NUMERIC, gradNodes: ['x'] });
  });
});

describeEachBackend('SequenceLast', () => {
  test('MXNet docstring: the last step, lengths [1, 1, 1] and [1, 2, 3]', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.SequenceLast(x333()), [[19, 20, 21], [22, 23, 24], [25, 26, 27]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.SequenceLast(x333(), mx.nd.array([1, 1, 1]), { use_sequence_length: true }), [[1, 2, 3], [4, 5, 6], [7, 8, 9]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.SequenceLast(x333(), mx.nd.array([1, 2, 3]), { use_sequence_length: true }), [[1, 2, 3], [13, 14, 15], [25, 26, 27]], EXACT);
  });

  test('axis 1 reads (batch, steps, ...) data', () => {
    const x = mx.nd.array([[1, 2, 3], [4, 5, 6]]);
    mx.testUtils.assertAlmostEqual(mx.nd.SequenceLast(x, mx.nd.array([2, 1]), { use_sequence_length: true, axis: 1 }), [2, 4], EXACT);
  });

  test('the gradient lands on the read step only (numeric check on both axes)', () => {
    const s = mx.sym.SequenceLast({ data: mx.sym.Variable('x'), sequence_length: mx.sym.Variable('len'), use_sequence_length: true });
    mx.testUtils.checkSymbolicBackward(s, { x: x333(), len: mx.nd.array([1, 2, 3]) }, [[[1, 2, 3], [4, 5, 6], [7, 8, 9]]],
      { x: [[[1, 2, 3], [0, 0, 0], [0, 0, 0]], [[0, 0, 0], [4, 5, 6], [0, 0, 0]], [[0, 0, 0], [0, 0, 0], [7, 8, 9]]] }, EXACT);
    const t = mx.sym.SequenceLast({ data: mx.sym.Variable('x'), axis: 1 });
    mx.testUtils.checkNumericGradient(t, { x: mx.nd.random.uniform(-1, 1, [2, 3, 2]) }, NUMERIC);
  });
});

describeEachBackend('SequenceReverse', () => {
  test('MXNet docstring: whole sequences, lengths [2, 2] and [2, 3] (steps past the length stay)', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.SequenceReverse(x323()), [[[13, 14, 15], [16, 17, 18]], [[7, 8, 9], [10, 11, 12]], [[1, 2, 3], [4, 5, 6]]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.SequenceReverse(x323(), mx.nd.array([2, 2]), { use_sequence_length: true }),
      [[[7, 8, 9], [10, 11, 12]], [[1, 2, 3], [4, 5, 6]], [[13, 14, 15], [16, 17, 18]]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.SequenceReverse(x323(), mx.nd.array([2, 3]), { use_sequence_length: true }),
      [[[7, 8, 9], [16, 17, 18]], [[1, 2, 3], [10, 11, 12]], [[13, 14, 15], [4, 5, 6]]], EXACT);
  });

  test('the gradient is the head gradient reversed the same way; reversing twice is the identity', () => {
    const s = mx.sym.SequenceReverse({ data: mx.sym.Variable('x'), sequence_length: mx.sym.Variable('len'), use_sequence_length: true });
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(-1, 1, [4, 2, 2]), len: mx.nd.array([3, 1]) }, { ...NUMERIC, gradNodes: ['x'] });
    const x = mx.nd.random.uniform(-1, 1, [5, 3, 2]);
    const len = mx.nd.array([5, 2, 0]);
    const twice = mx.nd.SequenceReverse(mx.nd.SequenceReverse(x, len, { use_sequence_length: true }), len, { use_sequence_length: true });
    mx.testUtils.assertAlmostEqual(twice, x, EXACT);
  });
});

describe('sequence ops: JSON', () => {
  test('use_sequence_length and axis survive toJSON / fromJSON as MXNet strings, with the length input', () => {
    const s = mx.sym.SequenceLast({ data: mx.sym.Variable('d'), use_sequence_length: true, axis: 1, name: 'last' });
    const json = JSON.parse(s.toJSON()) as { nodes: { op: string; attrs?: Record<string, string> }[] };
    const node = json.nodes.find((n) => n.op === 'SequenceLast')!;
    expect(node.attrs).toEqual({ use_sequence_length: 'True', axis: '1' });
    const back = mx.sym.fromJSON(s.toJSON());
    expect(back.listArguments()).toEqual(['d', 'last_sequence_length']);
    expect(back.inferShape({ d: [2, 5, 3] }).outShapes).toEqual([[2, 3]]);
  });
});
