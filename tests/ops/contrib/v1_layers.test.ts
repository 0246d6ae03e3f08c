/**
 * The legacy layers BatchNorm_v1, Convolution_v1 and Pooling_v1: equal to their modern ops where
 * MXNet says they agree (test_operator.py test_pooling_versions' configurations), and MXNet's
 * documented differences: v1 pooling pads with zeros that max sees, divides avg windows by kh*kw
 * even past the edge, sends a max window's gradient to every maximum; BatchNorm_v1 updates the
 * moving statistics in backward. Numeric gradients, parameter and shape errors.
 */
import * as mx from 'mxts';
import { describeEachBackend } from '../../helpers/backends';

const F32 = { rtol: 1e-5, atol: 1e-6 };
const NUMERIC = { rtol: 1e-2, atol: 1e-3 };

/** Runs forward (training) and backward with a fixed head gradient; returns outputs and gradients. */
function run(s: mx.Symbol, args: Record<string, mx.NDArray>, head: mx.NDArray | mx.NDArray[], aux?: mx.NDArray[]) {
  const exec = s.bind(mx.cpu(), Object.fromEntries(Object.entries(args).map(([k, v]) => [k, v.copy()])), { gradReq: 'write', ...(aux ? { auxStates: aux.map((a) => a.copy()) } : {}) });
  exec.forward(true);
  exec.backward(Array.isArray(head) ? head : [head]);
  return exec;
}

function expectSame(a: mx.Executor, b: mx.Executor, names: string[], tol = F32): void {
  mx.testUtils.assertAlmostEqual(a.outputs[0]!.data, b.outputs[0]!.data, tol);
  for (const name of names) mx.testUtils.assertAlmostEqual(a.gradDict[name]!.data, b.gradDict[name]!.data, tol);
}

beforeEach(() => mx.random.seed(31));

describeEachBackend('Pooling_v1', () => {
  const data = mx.sym.Variable('data');
  // test_pooling_versions' '2D' configurations (data (2, 2, 20, 20)) and its '2D_no_padding' ones for max.
  const padded = [[[3, 3], [0, 0], [1, 1]], [[3, 5], [1, 2], [1, 1]], [[4, 5], [0, 0], [2, 1]], [[4, 5], [2, 3], [1, 1]]] as const;
  const unpadded = [[[3, 3], [0, 0], [1, 1]], [[4, 5], [0, 0], [2, 1]]] as const;
  const cases = [
    ...padded.flatMap((c) => (['avg', 'sum'] as const).map((t) => [t, ...c] as const)),
    ...unpadded.map((c) => ['max', ...c] as const),
  ];

  test.each(cases)('%s pooling, kernel %j pad %j stride %j, valid and full: equals Pooling (forward and gradient)', (poolType, kernel, pad, stride) => {
    const x = mx.nd.random.normal(0, 1, [2, 2, 20, 20]);
    for (const pooling_convention of ['valid', 'full'] as const) {
      const params = { kernel, pad, stride, pool_type: poolType, pooling_convention };
      const v1 = mx.sym.Pooling_v1(data, params);
      const head = mx.nd.random.uniform(-1, 1, v1.inferShape({ data: [2, 2, 20, 20] }).outShapes[0]!);
      expectSame(run(v1, { data: x }, head), run(mx.sym.Pooling(data, params), { data: x }, head), ['data'], { rtol: 1e-4, atol: 1e-5 });
    }
  });

  test('global pooling ignores kernel and pad and equals Pooling', () => {
    const x = mx.nd.random.normal(0, 1, [2, 3, 5, 4]);
    for (const pool_type of ['max', 'avg', 'sum'] as const) {
      const params = { kernel: [300, 300], pad: [1, 1], global_pool: true, pool_type };
      const v1 = run(mx.sym.Pooling_v1(data, params), { data: x }, mx.nd.ones([2, 3, 1, 1]));
      expect(v1.outputs[0]!.shape).toEqual([2, 3, 1, 1]);
      expectSame(v1, run(mx.sym.Pooling(data, params), { data: x }, mx.nd.ones([2, 3, 1, 1])), ['data']);
    }
  });

  test('max pooling sees the zero padding: an all-negative input gives 0 at the border windows (MXNet note 2)', () => {
    const x = mx.nd.array([[[[-1, -2, -3], [-4, -5, -6], [-7, -8, -9]]]]);
    const out = mx.nd.Pooling_v1(x, { kernel: [2, 2], pad: [1, 1], stride: [2, 2] });
    mx.testUtils.assertAlmostEqual(out, [[[[0, 0], [0, -5]]]], { rtol: 0, atol: 0 });
    mx.testUtils.assertAlmostEqual(mx.nd.Pooling(x, { kernel: [2, 2], pad: [1, 1], stride: [2, 2] }), [[[[-1, -2], [-4, -5]]]], { rtol: 0, atol: 0 });
  });

  test('max pooling sends the gradient to every tied maximum (MXNet note 1)', () => {
    const x = mx.nd.array([[[[1, 3], [3, 2]]]]);
    const s = mx.sym.Pooling_v1(data, { kernel: [2, 2] });
    mx.testUtils.checkSymbolicBackward(s, { data: x }, [mx.nd.array([[[[5]]]])], { data: [[[[0, 5], [5, 0]]]] }, { rtol: 0, atol: 0 });
  });

  test('avg pooling divides by kh*kw even where a full-convention window hangs past the input (MXNet note 3)', () => {
    // 3 columns, kernel 2, stride 2, full: windows [0, 2) and [2, 4) clipped to [2, 3).
    const x = mx.nd.array([[[[2, 4, 6]]]]);
    const params = { kernel: [1, 2], stride: [1, 2], pool_type: 'avg', pooling_convention: 'full' } as const;
    mx.testUtils.assertAlmostEqual(mx.nd.Pooling_v1(x, params), [[[[3, 3]]]], { rtol: 0, atol: 0 });
    mx.testUtils.assertAlmostEqual(mx.nd.Pooling(x, params), [[[[3, 6]]]], { rtol: 0, atol: 0 });
    mx.testUtils.checkSymbolicBackward(mx.sym.Pooling_v1(data, params), { data: x }, [mx.nd.array([[[[2, 4]]]])], { data: [[[[1, 1, 2]]]] }, { rtol: 0, atol: 0 });
  });

  test('numeric gradients: max, avg (padded, full) and sum', () => {
    for (const pool_type of ['max', 'avg', 'sum'] as const) {
      const s = mx.sym.Pooling_v1(data, { kernel: [2, 3], pad: [1, 1], stride: [2, 2], pool_type, pooling_convention: 'full' });
      mx.testUtils.checkNumericGradient(s, { data: mx.nd.random.uniform(0.5, 1.5, [1, 2, 5, 6]) }, NUMERIC);
    }
  });

  test("req 'add' accumulates; mx.nd and mx.sym agree", () => {
    const x = mx.nd.random.normal(0, 1, [1, 2, 6, 6]);
    const params = { kernel: [3, 3], pad: [1, 1], pool_type: 'avg' } as const;
    const exec = mx.sym.Pooling_v1(data, params).bind(mx.cpu(), { data: x });
    mx.testUtils.assertAlmostEqual(exec.forward()[0]!.data, mx.nd.Pooling_v1(x, params).data, { rtol: 0, atol: 0 });
    const head = mx.nd.random.uniform(-1, 1, [1, 2, 6, 6]);
    const once = run(mx.sym.Pooling_v1(data, params), { data: x }, head);
    const twice = mx.sym.Pooling_v1(data, params).bind(mx.cpu(), { data: x }, { gradReq: 'add' });
    for (let r = 0; r < 2; r++) {
      twice.forward(true);
      twice.backward([head]);
    }
    mx.testUtils.assertAlmostEqual(twice.gradDict['data']!.data, Array.from(once.gradDict['data']!.data, (v) => 2 * v), F32);
  });
});

describe('Pooling_v1 errors', () => {
  const data = mx.sym.Variable('data');
  test("JSON's string parameter forms parse and round-trip", () => {
    const s = mx.sym.Pooling_v1(data, { kernel: '(2, 2)', stride: '(2, 2)', global_pool: 'False', pool_type: 'avg', name: 'p' });
    const back = mx.sym.fromJSON(s.toJSON());
    expect(back.inferShape({ data: [1, 1, 4, 6] }).outShapes).toEqual([[1, 1, 2, 3]]);
    expect(back.toJSON()).toEqual(s.toJSON());
  });

  test('non-4-d data, kernels other than 2-d, mismatched stride and oversized kernels', () => {
    expect(() => mx.sym.Pooling_v1(data, { kernel: [2, 2], name: 'p' }).inferShape({ data: [1, 2, 5] })).toThrow("Pooling_v1 'p': data must be 4-d (batch, channel, y, x), got [1,2,5]");
    expect(() => mx.sym.Pooling_v1(data, { kernel: [2] }).inferShape({ data: [1, 2, 5, 5] })).toThrow(mx.ParamError);
    expect(() => mx.sym.Pooling_v1(data, { kernel: [2, 2], stride: [1] }).inferShape({ data: [1, 2, 5, 5] })).toThrow(/stride must have as many axes as kernel/);
    expect(() => mx.sym.Pooling_v1(data, { kernel: [7, 2], pad: [1, 0] }).inferShape({ data: [1, 2, 4, 5] })).toThrow(/kernel size 7 exceeds the input 4 \(padded to 6\)/);
    // @ts-expect-error Pooling_v1 has no count_include_pad
    expect(() => mx.sym.Pooling_v1(data, { kernel: [2, 2], count_include_pad: true })).toThrow(/count_include_pad is not a parameter of Pooling_v1/);
    // @ts-expect-error Pooling_v1 has no 'lp' pool_type
    expect(() => mx.sym.Pooling_v1(data, { kernel: [2, 2], pool_type: 'lp' })).toThrow(mx.ParamError);
  });
});

describeEachBackend('Convolution_v1', () => {
  test('equals Convolution (stride, pad, dilate, groups; with and without bias) in forward and gradients', () => {
    const data = mx.sym.Variable('data');
    for (const params of [
      { kernel: [3, 3], num_filter: 4, pad: [1, 1] },
      { kernel: [2, 3], num_filter: 4, stride: [2, 1], dilate: [1, 2], num_group: 2, no_bias: true },
    ]) {
      const v1 = mx.sym.Convolution_v1(data, { ...params, name: 'c' });
      const conv = mx.sym.Convolution(data, { ...params, name: 'c' });
      const shapes = v1.inferShape({ data: [2, 4, 7, 8] });
      expect(shapes).toEqual(conv.inferShape({ data: [2, 4, 7, 8] }));
      const args: Record<string, mx.NDArray> = {};
      v1.listArguments().forEach((name, i) => (args[name] = mx.nd.random.uniform(-1, 1, shapes.argShapes[i]!)));
      const head = mx.nd.random.uniform(-1, 1, shapes.outShapes[0]!);
      expectSame(run(v1, args, head), run(conv, args, head), v1.listArguments(), { rtol: 1e-5, atol: 1e-5 });
    }
  });

  test('mx.nd and mx.sym + bind agree', () => {
    const args = { data: mx.nd.random.uniform(-1, 1, [1, 2, 5, 5]), c_weight: mx.nd.random.uniform(-1, 1, [3, 2, 3, 3]), c_bias: mx.nd.random.uniform(-1, 1, [3]) };
    const params = { kernel: [3, 3], num_filter: 3, stride: [2, 2], pad: [1, 1] };
    const exec = mx.sym.Convolution_v1(mx.sym.Variable('data'), { ...params, name: 'c' }).bind(mx.cpu(), args, { gradReq: 'null' });
    mx.testUtils.assertAlmostEqual(exec.forward()[0]!.data, mx.nd.Convolution_v1(args.data, args.c_weight, args.c_bias, params).data, { rtol: 0, atol: 0 });
  });

  test('numeric gradient of data, weight and bias', () => {
    const s = mx.sym.Convolution_v1(mx.sym.Variable('data'), { kernel: [2, 2], num_filter: 2, pad: [1, 0], name: 'c' });
    mx.testUtils.checkNumericGradient(s, { data: mx.nd.random.uniform(-1, 1, [1, 2, 4, 3]), c_weight: mx.nd.random.uniform(-1, 1, [2, 2, 2, 2]), c_bias: mx.nd.random.uniform(-1, 1, [2]) }, NUMERIC);
  });

  test('only 2-d kernels; workspace at most 8192; v1 parameters only', () => {
    const data = mx.sym.Variable('data');
    expect(() => mx.sym.Convolution_v1(data, { kernel: [3], num_filter: 2, name: 'c' }).inferShape({ data: [1, 2, 5] })).toThrow("Convolution_v1 'c': kernel must have 2 axes (h, w)");
    expect(() => mx.sym.Convolution_v1(data, { kernel: [3, 3], num_filter: 2, workspace: 9000 })).toThrow(mx.ParamError);
    // @ts-expect-error Convolution_v1's layout takes no 'NCW'
    expect(() => mx.sym.Convolution_v1(data, { kernel: [3, 3], num_filter: 2, layout: 'NCW' })).toThrow(mx.ParamError);
    expect(() => mx.sym.Convolution_v1(data, { kernel: [3, 3], num_filter: 3, num_group: 2 }).inferShape({ data: [1, 2, 5, 5] })).toThrow(/num_filter/);
  });
});

describeEachBackend('BatchNorm_v1', () => {
  const bnArgs = (x: mx.NDArray) => ({ data: x, bn_gamma: mx.nd.random.uniform(0.5, 1.5, [x.shape[1]!]), bn_beta: mx.nd.random.uniform(-1, 1, [x.shape[1]!]) });

  test('equals BatchNorm in training (4-d and 2-d data, fix_gamma on and off), outputs mean/var and gradients', () => {
    for (const shape of [[3, 2, 4, 5], [6, 3]]) {
      for (const fix_gamma of [true, false]) {
        const x = mx.nd.random.normal(1, 2, shape);
        const params = { fix_gamma, output_mean_var: true, name: 'bn' };
        const aux = [mx.nd.zeros([shape[1]!]), mx.nd.ones([shape[1]!])];
        const c = [shape[1]!];
        const head = [mx.nd.random.uniform(-1, 1, shape), mx.nd.zeros(c), mx.nd.zeros(c)];
        const args = bnArgs(x);
        const a = run(mx.sym.BatchNorm_v1(mx.sym.Variable('data'), params), args, head, aux);
        const b = run(mx.sym.BatchNorm(mx.sym.Variable('data'), params), args, head, aux);
        expectSame(a, b, ['data', 'bn_gamma', 'bn_beta'], { rtol: 1e-4, atol: 1e-5 });
        for (const k of [1, 2]) mx.testUtils.assertAlmostEqual(a.outputs[k]!.data, b.outputs[k]!.data, F32);
      }
    }
  });

  test('inference and use_global_stats normalize with the moving statistics, as BatchNorm', () => {
    const x = mx.nd.random.normal(0, 1, [2, 3, 2, 2]);
    const aux = [mx.nd.array([0.5, -0.5, 0]), mx.nd.array([4, 0.25, 1])];
    for (const use_global_stats of [false, true]) {
      const bind = (s: mx.Symbol) => s.bind(mx.cpu(), bnArgs(x), { gradReq: 'null', auxStates: aux.map((a) => a.copy()) });
      const params = { use_global_stats, fix_gamma: false, name: 'bn' };
      mx.random.seed(5);
      const v1 = bind(mx.sym.BatchNorm_v1(mx.sym.Variable('data'), params)).forward(use_global_stats);
      mx.random.seed(5);
      const modern = bind(mx.sym.BatchNorm(mx.sym.Variable('data'), params)).forward(use_global_stats);
      mx.testUtils.assertAlmostEqual(v1[0]!.data, modern[0]!.data, F32);
    }
  });

  test('the moving statistics change in backward, not in a training forward (v1 semantics)', () => {
    const x = mx.nd.random.normal(1, 2, [4, 2, 3]);
    const s = mx.sym.BatchNorm_v1(mx.sym.Variable('data'), { momentum: 0.8, name: 'bn' });
    expect(() => s.inferShape({ data: [4, 2, 3] })).toThrow("BatchNorm_v1 'bn': data must be 2-d (batch, channel) or 4-d");
    const x4 = x.reshape([4, 2, 3, 1]);
    const exec = mx.sym.BatchNorm_v1(mx.sym.Variable('data'), { momentum: 0.8, name: 'bn' }).bind(mx.cpu(), bnArgs(x4), { gradReq: 'write', auxStates: [mx.nd.array([1, 2]), mx.nd.array([3, 4])] });
    exec.forward(true);
    mx.testUtils.assertAlmostEqual(exec.auxDict['bn_moving_mean']!, [1, 2], { rtol: 0, atol: 0 });
    exec.backward([mx.nd.ones([4, 2, 3, 1])]);
    // Batch statistics per channel in float64: moving = 0.8 * moving + 0.2 * batch (biased variance).
    const stats = [0, 1].map((c) => {
      const values = Array.from(x4.data).filter((_, i) => Math.floor(i / 3) % 2 === c);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return { mean, variance: values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length };
    });
    mx.testUtils.assertAlmostEqual(exec.auxDict['bn_moving_mean']!, stats.map((st, c) => 0.8 * (c + 1) + 0.2 * st.mean), F32);
    mx.testUtils.assertAlmostEqual(exec.auxDict['bn_moving_var']!, stats.map((st, c) => 0.8 * (c + 3) + 0.2 * st.variance), F32);
  });

  test('mx.nd (inference, moving statistics) and mx.sym + bind agree', () => {
    const args = bnArgs(mx.nd.random.normal(0, 1, [2, 3, 2, 2]));
    const aux = [mx.nd.array([0.1, 0.2, 0.3]), mx.nd.array([1, 2, 3])];
    const exec = mx.sym.BatchNorm_v1(mx.sym.Variable('data'), { fix_gamma: false, name: 'bn' }).bind(mx.cpu(), args, { gradReq: 'null', auxStates: aux });
    const nd = mx.nd.BatchNorm_v1(args.data, args.bn_gamma, args.bn_beta, aux[0]!, aux[1]!, { fix_gamma: false });
    mx.testUtils.assertAlmostEqual(exec.forward()[0]!.data, nd.data, { rtol: 0, atol: 0 });
  });

  test('numeric gradients of data, gamma and beta (training)', () => {
    const s = mx.sym.BatchNorm_v1(mx.sym.Variable('data'), { fix_gamma: false, name: 'bn' });
    mx.testUtils.checkNumericGradient(s, bnArgs(mx.nd.random.normal(0, 1, [3, 2, 2, 2])), { ...NUMERIC, auxStates: [mx.nd.zeros([2]), mx.nd.ones([2])] });
  });

  test('the moving statistics variables get __init__ zero / one, as MXNet sets on compose', () => {
    const s = mx.sym.BatchNorm_v1(mx.sym.Variable('data'), { name: 'bn' });
    expect(s.listAuxiliaryStates()).toEqual(['bn_moving_mean', 'bn_moving_var']);
    const internals = s.getInternals();
    expect(internals.get('bn_moving_mean').attr('__init__')).toBe('["zero", {}]');
    expect(internals.get('bn_moving_var').attr('__init__')).toBe('["one", {}]');
  });

  test('v1 has no axis or cudnn_off parameter', () => {
    // @ts-expect-error BatchNorm_v1 has no axis
    expect(() => mx.sym.BatchNorm_v1(mx.sym.Variable('data'), { axis: 1 })).toThrow(/axis is not a parameter of BatchNorm_v1/);
    // @ts-expect-error BatchNorm_v1 has no cudnn_off
    expect(() => mx.sym.BatchNorm_v1(mx.sym.Variable('data'), { cudnn_off: true })).toThrow(mx.ParamError);
  });
});
