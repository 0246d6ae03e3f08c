/**
 * topk, sort, argsort, argmin, argmax_channel: MXNet docstring examples (ordering_op.cc,
 * broadcast_reduce_op_index.cc), float64 references on seeded inputs (as test_order does with
 * numpy), gradients of the value outputs, the dtype refusal, shape rules and errors.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

const EXACT = { rtol: 0, atol: 0 };
/** Float32 values against float64 literals. */
const F32 = { rtol: 1e-6, atol: 0 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

beforeEach(() => mx.random.seed(71));

/** Reference ranking of one lane: positions sorted by value, ties by position (float64). */
function rankLane(values: number[], ascending: boolean): number[] {
  return values.map((_, i) => i).sort((p, q) => (values[p] === values[q] ? p - q : (values[p]! - values[q]!) * (ascending ? 1 : -1)));
}

/** Reference topk along the last axis of a 2-d array: [values, indices] rows of length k. */
function topkRef(rows: number[][], k: number, ascending: boolean): [number[][], number[][]] {
  const idx = rows.map((row) => rankLane(row, ascending).slice(0, k));
  return [idx.map((r, i) => r.map((j) => rows[i]![j]!)), idx];
}

const both = (out: mx.NDArray | mx.NDArray[]) => out as unknown as mx.NDArray[];

describeEachBackend('topk', () => {
  const x = mx.nd.array([[0.3, 0.2, 0.4], [0.1, 0.3, 0.2]]);

  test('MXNet docstring: indices, values (largest, smallest, axis 0) and both', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.topk(x), [[2], [1]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.topk(x, { ret_typ: 'value', k: 2 }), [[0.4, 0.3], [0.3, 0.2]], F32);
    mx.testUtils.assertAlmostEqual(mx.nd.topk(x, { ret_typ: 'value', k: 2, is_ascend: 1 }), [[0.2, 0.3], [0.1, 0.2]], F32);
    mx.testUtils.assertAlmostEqual(mx.nd.topk(x, { axis: 0, ret_typ: 'value', k: 2 }), [[0.3, 0.3, 0.4], [0.1, 0.2, 0.2]], F32);
    const [values, indices] = both(mx.nd.topk(x, { ret_typ: 'both', k: 2 }));
    mx.testUtils.assertAlmostEqual(values!, [[0.4, 0.3], [0.3, 0.2]], F32);
    mx.testUtils.assertAlmostEqual(indices!, [[2, 0], [1, 2]], EXACT);
  });

  test('mask marks the top k; axis None ranks the flattened input; k < 1 returns every entry', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.topk(x, { ret_typ: 'mask', k: 2 }), [[1, 0, 1], [0, 1, 1]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.topk(x, { ret_typ: 'mask', k: 1, axis: 'None' }), [[0, 0, 1], [0, 0, 0]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.topk(x, { axis: 'None', k: 3 }), [2, 0, 4], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.topk(x, { k: 0, ret_typ: 'value' }), [[0.4, 0.3, 0.2], [0.3, 0.2, 0.1]], F32);
  });

  test('a seeded (4, 7) input matches the float64 reference for every k, both directions (test_order)', () => {
    const data = mx.nd.random.uniform(-1, 1, [4, 7]);
    const rows = data.toArray() as number[][];
    for (const k of [1, 3, 7]) {
      for (const ascending of [false, true]) {
        const [values, indices] = both(mx.nd.topk(data, { k, ret_typ: 'both', is_ascend: ascending }));
        const [refValues, refIndices] = topkRef(rows, k, ascending);
        mx.testUtils.assertAlmostEqual(values!, refValues, EXACT);
        mx.testUtils.assertAlmostEqual(indices!, refIndices, EXACT);
      }
    }
  });

  test('ties keep the lower index first', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.topk(mx.nd.array([1, 3, 3, 1]), { k: 4 }), [1, 2, 0, 3], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.topk(mx.nd.array([1, 3, 3, 1]), { k: 4, is_ascend: true }), [0, 3, 1, 2], EXACT);
  });

  test('the value gradient reaches the chosen positions only (axis 0, numeric check)', () => {
    const s = mx.sym.topk({ data: mx.sym.Variable('x'), axis: 0, k: 2, ret_typ: 'value' });
    mx.testUtils.checkSymbolicBackward(s, { x }, [[[1, 2, 3], [4, 5, 6]]], { x: [[1, 5, 3], [4, 2, 6]] }, EXACT);
    mx.testUtils.checkSymbolicBackward(s, { x: [[3, 1, 2], [1, 2, 3]] }, [[[1, 2, 3], [4, 5, 6]]], { x: [[1, 5, 6], [4, 2, 3]] }, { ...EXACT, gradReq: 'add' });
    mx.testUtils.checkNumericGradient(s, { x: mx.nd.random.uniform(-1, 1, [3, 4]) }, NUMERIC);
  });

  test('indices and mask give no gradient; mx.nd and mx.sym + bind agree', () => {
    const s = mx.sym.topk({ data: mx.sym.Variable('x'), k: 2 });
    mx.testUtils.checkSymbolicBackward(s, { x }, [[[1, 1], [1, 1]]], { x: [[0, 0, 0], [0, 0, 0]] }, EXACT);
    mx.testUtils.checkSymbolicForward(s, { x }, [mx.nd.topk(x, { k: 2 })], EXACT);
    const value = mx.sym.topk({ data: mx.sym.Variable('x'), k: 2, ret_typ: 'value', name: 'tk' });
    expect(value.listOutputs()).toEqual(['tk_output0']);
    expect(mx.sym.topk({ data: mx.sym.Variable('x'), ret_typ: 'both', name: 'tk' }).listOutputs()).toEqual(['tk_output0', 'tk_output1']);
  });

  test('k beyond the axis is refused; dtype gives the indices that dtype (MXNet TopKParam)', () => {
    const s = mx.sym.topk({ data: mx.sym.Variable('x'), k: 4, name: 'tk' });
    expect(() => s.inferShape({ x: [2, 3] })).toThrow(mx.ShapeError);
    expect(() => s.inferShape({ x: [2, 3] })).toThrow("topk 'tk': k 4 is larger than the 3 elements along axis 1");
    const indices = mx.nd.topk(x, { dtype: 'int32' });
    expect(indices.dtype).toBe('int32');
    mx.testUtils.assertAlmostEqual(indices, mx.nd.topk(x), EXACT);
    // @ts-expect-error misspelt enum value
    expect(() => mx.nd.topk(x, { ret_typ: 'values' })).toThrow(/did you mean 'value'/);
  });

  test('property: topk shapes follow MXNet (k along the axis, or (k,) flattened, mask keeps the shape)', () => {
    const cases = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
      fc.tuple(fc.constant(shape), fc.integer({ min: -shape.length, max: shape.length - 1 }), fc.integer({ min: 0, max: 4 })));
    fc.assert(fc.property(cases, ([shape, axis, k]) => {
      const a = axis < 0 ? axis + shape.length : axis;
      fc.pre(k <= shape[a]!);
      const s = mx.sym.topk({ data: mx.sym.Variable('x'), axis, k });
      const kk = k === 0 ? shape[a]! : k;
      expect(s.inferShape({ x: shape }).outShapes[0]).toEqual(shape.map((d, i) => (i === a ? kk : d)));
      expect(mx.sym.topk({ data: mx.sym.Variable('x'), axis, k, ret_typ: 'mask' }).inferShape({ x: shape }).outShapes[0]).toEqual(shape);
    }), { numRuns: 60 });
  });
});

describeEachBackend('sort and argsort', () => {
  const y = mx.nd.array([[1, 4], [3, 1]]);
  const x = mx.nd.array([[0.3, 0.2, 0.4], [0.1, 0.3, 0.2]]);

  test('MXNet docstring: sort along the last axis, flattened, axis 0, descending', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.sort(y), [[1, 4], [1, 3]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.sort(y, { axis: 'None' }), [1, 1, 3, 4], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.sort(y, { axis: 0 }), [[1, 1], [3, 4]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.sort(y, { is_ascend: 0 }), [[4, 1], [3, 1]], EXACT);
  });

  test('MXNet docstring: argsort along -1, axis 0, flattened', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.argsort(x), [[1, 0, 2], [0, 2, 1]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.argsort(x, { axis: 0 }), [[1, 0, 1], [0, 1, 0]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.argsort(x, { axis: 'None' }), [3, 1, 5, 0, 4, 2], EXACT);
  });

  test('a seeded (3, 5, 4) input sorted along axis 1 matches the reference, and argsort indexes it', () => {
    const data = mx.nd.random.uniform(-1, 1, [3, 5, 4]);
    const v = data.toArray() as number[][][];
    const sorted = mx.nd.sort(data, { axis: 1, is_ascend: false }).toArray() as number[][][];
    const order = mx.nd.argsort(data, { axis: 1, is_ascend: false }).toArray() as number[][][];
    for (let a = 0; a < 3; a++) {
      for (let c = 0; c < 4; c++) {
        const lane = v[a]!.map((row) => row[c]!);
        const ranked = rankLane(lane, false);
        expect(sorted[a]!.map((row) => row[c])).toEqual(ranked.map((j) => lane[j]));
        expect(order[a]!.map((row) => row[c])).toEqual(ranked);
      }
    }
  });

  test('sort routes the gradient back to where each value came from; sort has one visible output', () => {
    const s = mx.sym.sort({ data: mx.sym.Variable('x'), name: 'st' });
    expect(s.listOutputs()).toEqual(['st_output0']);
    mx.testUtils.checkSymbolicBackward(s, { x: y }, [[[10, 20], [30, 40]]], { x: [[10, 20], [40, 30]] }, EXACT);
    mx.testUtils.checkNumericGradient(mx.sym.sort({ data: mx.sym.Variable('x'), axis: 0, is_ascend: false }), { x: mx.nd.random.uniform(-1, 1, [4, 3]) }, NUMERIC);
  });

  test('argsort gives no gradient; dtype int64 gives int64 indices', () => {
    const s = mx.sym.argsort({ data: mx.sym.Variable('x') });
    mx.testUtils.checkSymbolicBackward(s, { x }, [[[1, 1, 1], [1, 1, 1]]], { x: [[0, 0, 0], [0, 0, 0]] }, EXACT);
    const indices = mx.nd.argsort(x, { dtype: 'int64' });
    expect(indices.dtype).toBe('int64');
    mx.testUtils.assertAlmostEqual(indices, mx.nd.argsort(x), EXACT);
    expect(() => mx.sym.argsort({ data: mx.sym.Variable('x'), axis: 2, name: 'as' }).inferShape({ x: [2, 3] })).toThrow("argsort 'as': axis 2 is out of range for 2-d input");
  });
});

describeEachBackend('argmin and argmax_channel', () => {
  const x = mx.nd.array([[0, 1, 2], [3, 4, 5]]);

  test('MXNet docstring: argmin axis 0, axis 1, keepdims; argmax_channel', () => {
    mx.testUtils.assertAlmostEqual(mx.nd.argmin(x, { axis: 0 }), [0, 0, 0], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.argmin(x, { axis: 1 }), [0, 0], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.argmin(x, { axis: 1, keepdims: true }), [[0], [0]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.argmax_channel(x), [2, 2], EXACT);
  });

  test('no axis or a 1-d input reduce to shape (1,); ties give the first index', () => {
    expect(mx.nd.argmin(x).shape).toEqual([1]);
    mx.testUtils.assertAlmostEqual(mx.nd.argmin(mx.nd.array([[2, 1], [1, 3]])), [1], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.argmin(mx.nd.array([4, 2, 2, 5]), { axis: 0 }), [1], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd.argmax_channel(mx.nd.array([1, 7, 7])), [1], EXACT);
  });

  test('a seeded (3, 4, 5) input matches the reference along axis 1; symbolic agrees', () => {
    const data = mx.nd.random.uniform(-1, 1, [3, 4, 5]);
    const v = data.toArray() as number[][][];
    const ref = v.map((plane) => plane[0]!.map((_, c) => rankLane(plane.map((row) => row[c]!), true)[0]!));
    mx.testUtils.assertAlmostEqual(mx.nd.argmin(data, { axis: 1 }), ref, EXACT);
    mx.testUtils.checkSymbolicForward(mx.sym.argmin({ data: mx.sym.Variable('x'), axis: -2 }), { x: data }, [ref], EXACT);
    mx.testUtils.checkSymbolicForward(mx.sym.argmax_channel({ data: mx.sym.Variable('x') }), { x: data }, [mx.nd.argmax_channel(data)], EXACT);
  });
});
