/**
 * Creation ops (MXNet init_op.cc): golden values from MXNet's docstrings (mx.nd.arange,
 * mx.nd.linspace, mx.nd.eye, contrib.arange_like) and unit tests (test_arange_inferstop), the
 * zero-input path through mx.nd, mx.sym + bind and JSON, and parameter errors.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';
import { EXACT, forwardSym } from './reference';

const F32 = { rtol: 1e-6, atol: 1e-7 };

describeEachBackend('init ops', () => {
  test('_zeros, _ones, _full and _zeros_without_dtype fill their shape', () => {
    mx.testUtils.assertAlmostEqual(mx.nd._zeros({ shape: [2, 3] }), [[0, 0, 0], [0, 0, 0]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._ones({ shape: '(3,)', dtype: 'int32' }), [1, 1, 1], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._full({ shape: [2, 2], value: 1.5 }), [[1.5, 1.5], [1.5, 1.5]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._zeros_without_dtype({ shape: [1, 2] }), [[0, 0]], EXACT);
  });

  test('_arange: MXNet docstring examples (stop only, start/stop, step, repeat)', () => {
    mx.testUtils.assertAlmostEqual(mx.nd._arange({ start: 3 }), [0, 1, 2], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._arange({ start: 2, stop: 6 }), [2, 3, 4, 5], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._arange({ start: 2, stop: 6, step: 2 }), [2, 4], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._arange({ start: 2, stop: 6, step: 1.5, repeat: 2 }), [2, 2, 3.5, 3.5, 5, 5], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._arange({ start: 2, stop: 6, step: 2, repeat: 3, dtype: 'int32' }), [2, 2, 2, 4, 4, 4], EXACT);
  });

  test('_arange: negative steps, fractional steps and JSON string params', () => {
    mx.testUtils.assertAlmostEqual(mx.nd._arange({ start: 5, stop: 0, step: -1 }), [5, 4, 3, 2, 1], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._arange({ start: '1', stop: '-1', step: '-0.5' }), [1, 0.5, 0, -0.5], EXACT);
    const r = mx.nd._arange({ start: 0, stop: 1, step: 0.1 });
    expect(r.shape).toEqual([10]); // ceil((1 - 0) / 0.1)
    mx.testUtils.assertAlmostEqual(r, Array.from({ length: 10 }, (_, i) => i * 0.1), F32);
  });

  test('_arange with infer_range takes its length from the consumer (MXNet test_arange_inferstop)', () => {
    const s = mx.sym.elemwise_add(mx.sym._arange({ start: 0, stop: 'None', infer_range: true }), mx.sym._zeros({ shape: [5] }));
    expect(s.inferShape({}).outShapes).toEqual([[5]]);
    mx.testUtils.assertAlmostEqual(forwardSym(s, {})[0]!, [0, 1, 2, 3, 4], EXACT);
  });

  test('_linspace: MXNet docstring, with and without endpoint', () => {
    mx.testUtils.assertAlmostEqual(mx.nd._linspace({ start: 2, stop: 3, num: 5 }), [2, 2.25, 2.5, 2.75, 3], F32);
    mx.testUtils.assertAlmostEqual(mx.nd._linspace({ start: 2, stop: 3, num: 5, endpoint: false }), [2, 2.2, 2.4, 2.6, 2.8], F32);
    mx.testUtils.assertAlmostEqual(mx.nd._linspace({ start: 1, stop: 7, num: 1 }), [1], EXACT);
  });

  test('_eye: MXNet docstring (N, M, k)', () => {
    mx.testUtils.assertAlmostEqual(mx.nd._eye({ N: 2 }), [[1, 0], [0, 1]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._eye({ N: 2, M: 3, k: 1 }), [[0, 1, 0], [0, 0, 1]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._eye({ N: 3, M: 2, k: -1 }), [[0, 0], [1, 0], [0, 1]], EXACT);
  });

  test('_contrib_arange_like: MXNet docstring (whole shape, one axis, start/step/repeat); data gets a zero gradient', () => {
    const x = mx.nd.array([[1, 2, 3, 4], [5, 6, 7, 8]]);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_arange_like(x), [[0, 1, 2, 3], [4, 5, 6, 7]], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_arange_like(x, { axis: -1 }), [0, 1, 2, 3], EXACT);
    mx.testUtils.assertAlmostEqual(mx.nd._contrib_arange_like(x, { start: 0.1, step: 0.2, repeat: 2 }), [[0.1, 0.1, 0.3, 0.3], [0.5, 0.5, 0.7, 0.7]], F32);
    const s = mx.sym._contrib_arange_like({ data: mx.sym.Variable('x') });
    mx.testUtils.checkSymbolicBackward(s, { x }, [mx.nd.ones([2, 4])], { x: [[0, 0, 0, 0], [0, 0, 0, 0]] }, EXACT);
  });

  test('a zero-input op binds with no arguments, forwards, and its output shape fills partial shapes', () => {
    const s = mx.sym._ones({ shape: [2, 3], name: 'o' });
    expect(s.listArguments()).toEqual([]);
    expect(s.listOutputs()).toEqual(['o_output']);
    mx.testUtils.assertAlmostEqual(forwardSym(s, {})[0]!, [[1, 1, 1], [1, 1, 1]], EXACT);
    // A 0 dimension is unknown (MXNet 1.x legacy shapes) and is taken from the consumer.
    const t = mx.sym.elemwise_add(mx.sym._zeros({ shape: [0, 3] }), mx.sym.Variable('x'));
    expect(t.inferShape({ x: [4, 3] }).outShapes).toEqual([[4, 3]]);
    const exec = t.simpleBind(mx.cpu(), { shapes: { x: [4, 3] }, gradReq: 'write' });
    exec.forward(true, { x: mx.nd.ones([4, 3]) });
    exec.backward([mx.nd.ones([4, 3])]);
    mx.testUtils.assertAlmostEqual(exec.gradDict['x']!, mx.nd.ones([4, 3]), EXACT);
  });

  test('MXNet symbol JSON with a zero-input node loads, binds and round-trips', () => {
    const text = JSON.stringify({
      nodes: [{ op: '_full', name: 'f', attrs: { shape: '(2, 2)', value: '0.5', dtype: 'float32' }, inputs: [] }],
      arg_nodes: [],
      node_row_ptr: [0, 1],
      heads: [[0, 0, 0]],
      attrs: { mxnet_version: ['int', 10901] },
    });
    const s = mx.sym.fromJSON(text);
    mx.testUtils.assertAlmostEqual(forwardSym(s, {})[0]!, [[0.5, 0.5], [0.5, 0.5]], EXACT);
    expect(JSON.parse(s.toJSON()).nodes[0].attrs).toEqual({ shape: '(2, 2)', value: '0.5', dtype: 'float32' });
  });

  test('mx.nd and mx.sym + bind agree for _arange and _eye', () => {
    for (const [op, params] of [['_arange', { start: -2, stop: 3, step: 0.5, repeat: 2 }], ['_eye', { N: 3, M: 4, k: 1 }]] as const) {
      const viaNd = (mx.nd as unknown as Record<string, (p: object) => mx.NDArray>)[op]!(params);
      const viaSym = forwardSym((mx.sym as unknown as Record<string, (p: object) => mx.Symbol>)[op]!(params), {})[0]!;
      mx.testUtils.assertAlmostEqual(viaSym, viaNd, EXACT);
    }
  });
});

describe('init op errors', () => {
  test('_arange rejects step 0, repeat <= 0 and empty ranges, naming the argument', () => {
    expect(() => mx.nd._arange({ start: 0, stop: 3, step: 0 })).toThrow(mx.ShapeError);
    expect(() => mx.sym._arange({ start: 0, stop: 3, step: 0, name: 'r' }).inferShape({})).toThrow("_arange 'r': step must not be 0");
    expect(() => mx.nd._arange({ start: 0, stop: 3, repeat: 0 })).toThrow(/repeat must be positive/);
    expect(() => mx.sym._arange({ start: 3, stop: 1, name: 'r' }).inferShape({})).toThrow("_arange 'r': stop gives the empty range (start, stop, step) = (3, 1, 1)");
    expect(() => mx.nd._arange({ start: 0, stop: 3, step: -1 })).toThrow(/empty range/);
  });

  test('bad dtype, missing required params and a shape that disagrees with the consumer', () => {
    // @ts-expect-error no such dtype
    expect(() => mx.nd._zeros({ shape: [2], dtype: 'float128' })).toThrow(mx.ParamError);
    // @ts-expect-error value is required
    expect(() => mx.nd._full({ shape: [2] })).toThrow(/value is required/);
    // @ts-expect-error N is required
    expect(() => mx.nd._eye({})).toThrow(/N is required/);
    const t = mx.sym.elemwise_add(mx.sym._zeros({ shape: [0, 3], name: 'z' }), mx.sym.Variable('x'));
    expect(() => t.inferShape({ x: [4, 2] })).toThrow(/_zeros 'z': shape \(0,3\) does not match the output shape \[4,2\]/);
  });
});
