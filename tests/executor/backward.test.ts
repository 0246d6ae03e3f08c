/**
 * Executor backward (reference 6.5, 1.7-1.9, 2.3-2.6, 3.1-3.3, 9, 10, surprises 6-9, 18): head
 * gradient rules, gradient fan-in, gradReq write/add/null, zero gradients, golden values from
 * MXNet's tests and the blog experiments.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { expectClose } from '../helpers/close';
import { thrown } from '../helpers/errors';

const ctx = mx.cpu();
const V = (name: string) => mx.sym.Variable(name);
const fresh = <T>(body: () => T): T => mx.name.withNameManager(new mx.name.NameManager(), body);
const values = (a: mx.NDArray | null | undefined) => Array.from(a!.data);
const sigmoid64 = (v: number) => 1 / (1 + Math.exp(-v));
const F32 = [1e-5, 1e-6] as const;

function softmax64(row: readonly number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}


describe('backward preconditions and head gradients', () => {
  test('backward before any forward is a GradientError', () => {
    const exec = mx.sym.make_loss(V('x')).bind(ctx, { x: mx.nd.ones([2]) });
    expect(() => exec.backward()).toThrow(mx.GradientError);
  });

  test('a plain head (sigmoid) needs a head gradient: GradientError naming the output', () => {
    const s = mx.sym.sigmoid(V('x'), { name: 's' });
    const exec = s.bind(ctx, { x: mx.nd.zeros([2]) });
    exec.forward(true);
    const error = thrown(() => exec.backward());
    expect(error).toBeInstanceOf(mx.GradientError);
    expect(error.message).toMatch(/s_output/);
  });

  test('head gradients may be one NDArray, a list, or a record by output name', () => {
    const s = mx.sym.sigmoid(V('x'), { name: 's' });
    const want = [0.25 * 2, 0.25 * 3];
    for (const outGrads of [mx.nd.array([2, 3]), [mx.nd.array([2, 3])], { s_output: mx.nd.array([2, 3]) }]) {
      const exec = s.bind(ctx, { x: mx.nd.zeros([2]) });
      exec.forward(true);
      exec.backward(outGrads);
      expectClose(values(exec.gradDict['x']), want, ...F32);
    }
  });

  test('a head gradient of the wrong shape is rejected naming the output', () => {
    const exec = mx.sym.sigmoid(V('x'), { name: 's' }).bind(ctx, { x: mx.nd.zeros([2]) });
    exec.forward(true);
    expect(() => exec.backward([mx.nd.ones([3])])).toThrow(/s_output/);
  });

  test('a head-gradient record with an unknown output name is rejected', () => {
    const exec = mx.sym.sigmoid(V('x'), { name: 's' }).bind(ctx, { x: mx.nd.zeros([2]) });
    exec.forward(true);
    expect(() => exec.backward({ nope: mx.nd.ones([2]) })).toThrow(/nope/);
  });

  test("with no gradient requested at all (gradReq 'null'), backward of a plain head does nothing", () => {
    const exec = mx.sym.sigmoid(V('x')).bind(ctx, { x: mx.nd.zeros([2]) }, { gradReq: 'null' });
    exec.forward(true);
    expect(() => exec.backward()).not.toThrow();
    expect(exec.gradArrays).toEqual([null]);
  });

  /** Loss heads over data x (2,3) with a label where the op has one. */
  const lossHeads: [string, () => mx.Symbol, Record<string, mx.NDArray>][] = [
    ['SoftmaxOutput (index label)', () => mx.sym.SoftmaxOutput(V('x'), V('l')), { l: mx.nd.array([2, 0]) }],
    ['SoftmaxOutput (probability label)', () => mx.sym.SoftmaxOutput(V('x'), V('l')), { l: mx.nd.array([[0.2, 0.3, 0.5], [1, 0, 0]]) }],
    ['LogisticRegressionOutput', () => mx.sym.LogisticRegressionOutput(V('x'), V('l')), { l: mx.nd.array([[1, 0, 1], [0, 0, 1]]) }],
    ['LinearRegressionOutput', () => mx.sym.LinearRegressionOutput(V('x'), V('l')), { l: mx.nd.array([[1, 2, 3], [4, 5, 6]]) }],
    ['MAERegressionOutput', () => mx.sym.MAERegressionOutput(V('x'), V('l')), { l: mx.nd.array([[1, 2, 3], [4, 5, 6]]) }],
    ['MakeLoss', () => mx.sym.MakeLoss(V('x'), { grad_scale: 3 }), {}],
    ['make_loss', () => mx.sym.make_loss(V('x')), {}],
    ['BlockGrad', () => mx.sym.BlockGrad(V('x')), {}],
  ];

  test.each(lossHeads)('%s: backward() needs no head gradient and ones or random ones change nothing', (_name, build, labels) => {
    const s = build();
    const x = mx.nd.array([[0.5, -1, 2], [0, 0.3, -0.7]]);
    const run = (outGrads?: mx.NDArray[]) => {
      const exec = s.bind(ctx, { x: x.copy(), ...labels });
      exec.forward(true);
      exec.backward(outGrads);
      return values(exec.gradDict['x']);
    };
    const reference = run();
    mx.random.seed(3);
    expect(run([mx.nd.ones([2, 3])])).toEqual(reference);
    expect(run([mx.nd.random.uniform(-5, 5, [2, 3])])).toEqual(reference);
  });

  test('a Group of a loss head and a plain head needs the plain head gradient only', () => {
    const [a, b] = [V('a'), V('b')];
    const g = fresh(() => mx.sym.Group([mx.sym.SoftmaxOutput(a, { name: 'sm' }), mx.sym.sigmoid(b, { name: 's' })]));
    const args = () => ({ a: mx.nd.array([[1, 6, 4, 2]]), sm_label: mx.nd.array([1]), b: mx.nd.array([0, 1]) });
    const expectedB = [0.25 * 2, sigmoid64(1) * (1 - sigmoid64(1)) * 3];
    const p = softmax64([1, 6, 4, 2]);
    const expectedA = [p[0]!, p[1]! - 1, p[2]!, p[3]!];

    const missing = g.bind(ctx, args());
    missing.forward(true);
    expect(() => missing.backward()).toThrow(mx.GradientError);

    // list form: anything at the loss position, the real gradient at the plain head
    const byList = g.bind(ctx, args());
    byList.forward(true);
    byList.backward([mx.nd.full([1, 4], 100), mx.nd.array([2, 3])]);
    expectClose(values(byList.gradDict['b']), expectedB, ...F32);
    expectClose(values(byList.gradDict['a']), expectedA, ...F32);

    // record form: only the plain head's gradient
    const byName = g.bind(ctx, args());
    byName.forward(true);
    byName.backward({ s_output: mx.nd.array([2, 3]) });
    expectClose(values(byName.gradDict['b']), expectedB, ...F32);
    expectClose(values(byName.gradDict['a']), expectedA, ...F32);
  });

  test('with the loss head last, a list holding only the plain head gradient is enough', () => {
    const [a, b] = [V('a'), V('b')];
    const g = fresh(() => mx.sym.Group([mx.sym.sigmoid(b, { name: 's' }), mx.sym.MakeLoss(a, { name: 'ml' })]));
    const exec = g.bind(ctx, { b: mx.nd.zeros([2]), a: mx.nd.ones([2]) });
    exec.forward(true);
    exec.backward([mx.nd.array([4, 8])]);
    expectClose(values(exec.gradDict['b']), [1, 2], ...F32);
    expectClose(values(exec.gradDict['a']), [1, 1], ...F32);
  });

  test('gradient that other consumers send into a loss output is discarded (reference 1.7)', () => {
    const x = V('x');
    const sm = mx.sym.SoftmaxOutput(x, { name: 'sm' });
    const g = mx.sym.Group([sm, sm.mul(5)]);
    const exec = g.bind(ctx, { x: mx.nd.array([[1, 6, 4, 2]]), sm_label: mx.nd.array([1]) });
    exec.forward(true);
    exec.backward([mx.nd.ones([1, 4]), mx.nd.ones([1, 4])]);
    const p = softmax64([1, 6, 4, 2]);
    expectClose(values(exec.gradDict['x']), [p[0]!, p[1]! - 1, p[2]!, p[3]!], ...F32);
  });
});

describe('golden values from MXNet tests and the reference', () => {
  // test_operator.py::check_softmax_grad (reference 9.1d, 1.6.3)
  test('check_softmax_grad: SoftmaxOutput([[1,6,4,2]], label [1]) forward and grad - out = -onehot', () => {
    const s = mx.sym.SoftmaxOutput(V('x'), V('label'), { ignore_label: 0, use_ignore: false });
    const exec = s.bind(ctx, { x: mx.nd.array([[1, 6, 4, 2]]), label: mx.nd.array([1]) }, { argsGrad: { x: mx.nd.zeros([1, 4]) } });
    const out = exec.forward(true)[0]!;
    expectClose(values(out), [0.005806628, 0.861780069, 0.116629249, 0.015784052], 1e-5, 1e-7);
    exec.backward();
    const diff = values(exec.gradDict['x']).map((g, i) => g - out.data[i]!);
    expectClose(diff, [0, -1, 0, 0], 0, 1e-6);
  });

  // test_operator.py::check_smoothed_softmax_grad (reference 9.1e)
  test('check_smoothed_softmax_grad: smooth_alpha 0.2 gives grad - out = -0.2/3 off target and -0.8 on it', () => {
    const s = mx.sym.SoftmaxOutput(V('x'), V('label'), { ignore_label: 0, use_ignore: false, smooth_alpha: 0.2 });
    const exec = s.bind(ctx, { x: mx.nd.array([[1, 6, 4, 2]]), label: mx.nd.array([1]) });
    const out = exec.forward(true)[0]!;
    exec.backward();
    const diff = values(exec.gradDict['x']).map((g, i) => g - out.data[i]!);
    expectClose(diff, [-0.2 / 3, -0.8, -0.2 / 3, -0.2 / 3], 1e-5, 1e-6);
  });

  // reference 10, experiments 1 and 2 (LogisticRegressionOutput, num_output = 4)
  test.each([
    [1, 0, 0.7310586, 0.18276465],
    [1.3, 0.2, 0.78583497, 0.1464587],
  ])('LogisticRegressionOutput(%s, label %s) on (3,4): forward %s, gradient %s', (m, n, out, grad) => {
    const s = mx.sym.LogisticRegressionOutput(V('m'), V('n'));
    const exec = s.bind(ctx, { m: mx.nd.ones([3, 4]).add(m - 1), n: mx.nd.zeros([3, 4]).add(n) });
    expectClose(values(exec.forward(true)[0]!), new Array(12).fill(out), 1e-6, 1e-7);
    exec.backward();
    expectClose(values(exec.gradDict['m']), new Array(12).fill(grad), 1e-6, 1e-7);
  });

  // reference 10, experiment 3 / 3': probability labels, no normalization
  test.each([
    [0.7, -0.45],
    [0.2, 0.05],
  ])('SoftmaxOutput(ones(3,4), label %s everywhere): forward 0.25, gradient %s', (n, grad) => {
    const s = mx.sym.SoftmaxOutput(V('m'), V('n'));
    const exec = s.bind(ctx, { m: mx.nd.ones([3, 4]), n: mx.nd.zeros([3, 4]).add(n) });
    expectClose(values(exec.forward(true)[0]!), new Array(12).fill(0.25), 1e-6, 1e-7);
    exec.backward();
    expectClose(values(exec.gradDict['m']), new Array(12).fill(grad), 1e-5, 1e-6);
  });

  // reference 10: the index-label variant (label (3,) of 0.7 truncates to class 0)
  test.each([
    ['null', 1],
    ['batch', 3],
    ['valid', 3],
  ] as const)('SoftmaxOutput(ones(3,4), index label 0.7) with normalization %s: rows [-0.75,0.25,0.25,0.25] / %s', (normalization, divisor) => {
    const s = mx.sym.SoftmaxOutput(V('m'), V('n'), { normalization });
    const exec = s.bind(ctx, { m: mx.nd.ones([3, 4]), n: mx.nd.full([3], 0.7) });
    exec.forward(true);
    exec.backward();
    const row = [-0.75, 0.25, 0.25, 0.25].map((v) => v / divisor);
    expectClose(values(exec.gradDict['m']), [...row, ...row, ...row], 1e-6, 1e-7);
  });

  // reference 10: LinearRegressionOutput and MAERegressionOutput for experiments 1 and 2
  test.each([
    ['LinearRegressionOutput', 1, 0, 1, 0.25],
    ['LinearRegressionOutput', 1.3, 0.2, 1.3, 0.275],
    ['MAERegressionOutput', 1, 0, 1, 0.25],
    ['MAERegressionOutput', 1.3, 0.2, 1.3, 0.25],
    ['MAERegressionOutput', 0.5, 0.5, 0.5, -0.25],
  ] as const)('%s(m=%s, n=%s) on (3,4): forward %s, gradient %s', (op, m, n, out, grad) => {
    const s = mx.sym[op](V('m'), V('n'));
    const exec = s.bind(ctx, { m: mx.nd.full([3, 4], m), n: mx.nd.full([3, 4], n) });
    expectClose(values(exec.forward(true)[0]!), new Array(12).fill(out), 1e-6, 1e-7);
    exec.backward();
    expectClose(values(exec.gradDict['m']), new Array(12).fill(grad), 1e-5, 1e-7);
  });

  // test_module.py::test_bucket_module_grad_req (reference 9.7)
  test("make_loss(broadcast_mul(data, a)): grad(a) is 2 with 'write' every step, 2 then 4 with 'add'", () => {
    const s = mx.sym.make_loss(mx.sym.broadcast_mul(V('data'), V('a')));
    const step = (exec: mx.Executor) => {
      exec.forward(true);
      exec.backward();
      return values(exec.gradDict['a']);
    };
    const write = s.bind(ctx, { data: mx.nd.ones([2]), a: mx.nd.ones([1]) }, { gradReq: { a: 'write' } });
    expect(step(write)).toEqual([2]);
    expect(step(write)).toEqual([2]);
    const add = s.bind(ctx, { data: mx.nd.ones([2]), a: mx.nd.ones([1]) }, { gradReq: { a: 'add' } });
    expect(step(add)).toEqual([2]);
    expect(step(add)).toEqual([4]);
  });

  // test_executor.py::test_bind: backward([ones]) gives the analytic gradients
  test.each([
    ['add', (_x: number, _y: number) => [1, 1]],
    ['sub', (_x: number, _y: number) => [1, -1]],
    ['mul', (x: number, y: number) => [y, x]],
    ['div', (x: number, y: number) => [1 / y, -x / (y * y)]],
  ] as const)('test_bind: lhs %s rhs with head gradient ones gives the analytic gradients', (op, grads) => {
    const s = V('lhs')[op](V('rhs'));
    expect(s.listArguments()).toEqual(['lhs', 'rhs']);
    const lhs = [0.5, -0.25, 0.75, -1];
    const rhs = [0.8, 0.5, -0.3, 0.9];
    const exec = s.bind(ctx, [mx.nd.array(lhs), mx.nd.array(rhs)], { argsGrad: [mx.nd.zeros([4]), mx.nd.zeros([4])] });
    exec.forward();
    exec.backward([mx.nd.ones([4])]);
    expectClose(values(exec.gradArrays[0]), lhs.map((x, i) => grads(Math.fround(x), Math.fround(rhs[i]!))[0]!), ...F32);
    expectClose(values(exec.gradArrays[1]), lhs.map((x, i) => grads(Math.fround(x), Math.fround(rhs[i]!))[1]!), ...F32);
  });
});

describe('gradient fan-in sums every path', () => {
  const xs = [0.5, -1.5, 2];
  const head = [1, 2, -1];

  function gradOf(build: (x: mx.Symbol) => mx.Symbol, req: mx.GradReq = 'write'): number[] {
    const exec = build(V('x')).bind(ctx, { x: mx.nd.array(xs) }, { gradReq: req });
    exec.forward(true);
    exec.backward([mx.nd.array(head)]);
    return values(exec.gradDict['x']);
  }

  test('x * x gives 2 x g', () => {
    expectClose(gradOf((x) => x.mul(x)), xs.map((x, i) => 2 * x * head[i]!), ...F32);
  });

  test('x + x gives 2 g', () => {
    expectClose(gradOf((x) => x.add(x)), head.map((g) => 2 * g), ...F32);
  });

  test('a diamond sigmoid(x) * x + sigmoid(x) gives g (s(1-s) x + s + s(1-s))', () => {
    const expected = xs.map((x, i) => {
      const s = sigmoid64(Math.fround(x));
      return head[i]! * (s * (1 - s) * x + s + s * (1 - s));
    });
    expectClose(gradOf((x) => {
      const s = mx.sym.sigmoid(x);
      return s.mul(x).add(s);
    }), expected, ...F32);
  });

  test('a variable that is itself a head adds its head gradient to the other paths', () => {
    const x = V('x');
    const g = mx.sym.Group([x, mx.sym.sigmoid(x)]);
    const exec = g.bind(ctx, { x: mx.nd.array(xs) });
    exec.forward(true);
    exec.backward([mx.nd.array(head), mx.nd.ones([3])]);
    expectClose(values(exec.gradDict['x']), xs.map((v, i) => head[i]! + sigmoid64(v) * (1 - sigmoid64(v))), ...F32);
  });

  test("a variable head plus an op path under 'add': two passes from R give R + 2 x write", () => {
    const x = V('x');
    const g = mx.sym.Group([x, x.mul(2)]);
    const run = (req: mx.GradReq, init: number, times: number) => {
      const gx = mx.nd.full([3], init);
      const exec = g.bind(ctx, { x: mx.nd.array(xs) }, { argsGrad: { x: gx }, gradReq: req });
      for (let i = 0; i < times; i++) {
        exec.forward(true);
        exec.backward([mx.nd.array(head), mx.nd.ones([3])]);
      }
      return values(gx);
    };
    const write = run('write', 0, 1);
    expect(write).toEqual(head.map((h) => h + 2));
    expect(run('add', 1, 2)).toEqual(write.map((w) => 1 + 2 * w));
  });

  test('a Group of two heads over one variable sums both head gradients', () => {
    const x = V('x');
    const g = mx.sym.Group([x.mul(3), mx.sym.sigmoid(x)]);
    const exec = g.bind(ctx, { x: mx.nd.array(xs) });
    exec.forward(true);
    exec.backward([mx.nd.array(head), mx.nd.full([3], 2)]);
    expectClose(values(exec.gradDict['x']), xs.map((v, i) => 3 * head[i]! + 2 * sigmoid64(v) * (1 - sigmoid64(v))), ...F32);
  });

  test('broadcast_add / broadcast_mul gradients sum over the broadcast axes', () => {
    const a = [[1], [2], [3]]; // (3,1)
    const b = [[10, 20, 30, 40]]; // (1,4)
    const g = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]];
    const run = (build: (x: mx.Symbol, y: mx.Symbol) => mx.Symbol) => {
      const exec = build(V('a'), V('b')).bind(ctx, { a: mx.nd.array(a), b: mx.nd.array(b) });
      exec.forward(true);
      exec.backward([mx.nd.array(g)]);
      return [values(exec.gradDict['a']), values(exec.gradDict['b'])];
    };
    const [addA, addB] = run((x, y) => mx.sym.broadcast_add(x, y));
    expect(addA).toEqual(g.map((row) => row.reduce((s, v) => s + v, 0)));
    expect(addB).toEqual([0, 1, 2, 3].map((j) => g.reduce((s, row) => s + row[j]!, 0)));
    const [mulA, mulB] = run((x, y) => mx.sym.broadcast_mul(x, y));
    expect(mulA).toEqual(g.map((row) => row.reduce((s, v, j) => s + v * b[0]![j]!, 0)));
    expect(mulB).toEqual([0, 1, 2, 3].map((j) => g.reduce((s, row, i) => s + row[j]! * a[i]![0]!, 0)));
  });

  test("repeated backward with 'write' gives the same gradient (fan-in buffers start over)", () => {
    const x = V('x');
    const exec = x.mul(x).bind(ctx, { x: mx.nd.array(xs) });
    exec.forward(true);
    exec.backward([mx.nd.array(head)]);
    const first = values(exec.gradDict['x']);
    exec.backward([mx.nd.array(head)]);
    expect(values(exec.gradDict['x'])).toEqual(first);
  });
});

describe("gradReq 'add' / 'null' and zero gradients", () => {
  test("'add' accumulates onto the existing contents of the gradient array", () => {
    const gx = mx.nd.array([10, 20, 30]);
    const exec = mx.sym.sigmoid(V('x')).bind(ctx, { x: mx.nd.zeros([3]) }, { argsGrad: { x: gx }, gradReq: 'add' });
    exec.forward(true);
    exec.backward([mx.nd.ones([3])]);
    expectClose(values(gx), [10.25, 20.25, 30.25], ...F32);
  });

  test("'null' leaves a given gradient array untouched, and gradArrays holds null", () => {
    const gx = mx.nd.array([7, 7]);
    const exec = mx.sym.make_loss(V('x')).bind(ctx, { x: mx.nd.ones([2]) }, { argsGrad: { x: gx }, gradReq: 'null' });
    exec.forward(true);
    exec.backward();
    expect(values(gx)).toEqual([7, 7]);
    expect(exec.gradArrays).toEqual([null]);
    expect(exec.gradDict).toEqual({});
  });

  /** SoftmaxOutput and LogisticRegressionOutput never write their label's gradient. */
  test.each([
    ['SoftmaxOutput', mx.nd.array([1, 0])],
    ['LogisticRegressionOutput', mx.nd.array([[1, 0], [0, 1]])],
  ] as const)("%s: the label gradient is zero-filled with 'write' and untouched with 'add'", (op, label) => {
    const s = mx.sym[op](V('x'), V('l'));
    for (const [req, expected] of [['write', 0], ['add', 5]] as const) {
      const gl = mx.nd.full(label.shape, 5);
      const exec = s.bind(ctx, { x: mx.nd.array([[1, 2], [3, 4]]), l: label }, { argsGrad: { x: mx.nd.zeros([2, 2]), l: gl }, gradReq: req });
      exec.forward(true);
      exec.backward();
      expect(values(gl).every((v) => v === expected)).toBe(true);
    }
  });

  test("a variable reaching only a label gets zeros with 'write' and is untouched with 'add'", () => {
    const s = mx.sym.SoftmaxOutput(V('x'), mx.sym.sigmoid(V('y')));
    for (const [req, expected] of [['write', 0], ['add', 5]] as const) {
      const gy = mx.nd.full([2, 2], 5);
      const exec = s.bind(ctx, { x: mx.nd.ones([2, 2]), y: mx.nd.zeros([2, 2]) }, { argsGrad: { x: mx.nd.zeros([2, 2]), y: gy }, gradReq: req });
      exec.forward(true);
      exec.backward();
      expect(values(gy)).toEqual(new Array(4).fill(expected));
    }
  });

  test('BlockGrad blocks: x + BlockGrad(x * x) has gradient g, and a BlockGrad head writes zeros', () => {
    const x = V('x');
    const exec = x.add(mx.sym.BlockGrad(x.mul(x))).bind(ctx, { x: mx.nd.array([3, 4]) });
    exec.forward(true);
    exec.backward([mx.nd.array([2, 5])]);
    expect(values(exec.gradDict['x'])).toEqual([2, 5]);

    const gx = mx.nd.full([2], 9);
    const blocked = mx.sym.BlockGrad(x.mul(2)).bind(ctx, { x: mx.nd.array([3, 4]) }, { argsGrad: { x: gx } });
    blocked.forward(true);
    blocked.backward();
    expect(values(gx)).toEqual([0, 0]);
  });

  test("BlockGrad under 'add' leaves the gradient array as it was", () => {
    const gx = mx.nd.full([2], 9);
    const exec = mx.sym.BlockGrad(V('x')).bind(ctx, { x: mx.nd.array([3, 4]) }, { argsGrad: { x: gx }, gradReq: 'add' });
    exec.forward(true);
    exec.backward();
    expect(values(gx)).toEqual([9, 9]);
  });

  // reference 3.1: the MakeLoss gradient is a constant, not a derivative
  test.each([
    ['null', [2, 2, 2, 2, 2, 2]],
    ['batch', [1, 1, 1, 1, 1, 1]],
    ['valid', new Array(6).fill(2 / 4)],
  ] as const)('MakeLoss(grad_scale=2, normalization=%s) on (2,3) data gives a constant gradient', (normalization, expected) => {
    const s = mx.sym.MakeLoss(V('x'), { grad_scale: 2, normalization, valid_thresh: 0.1 });
    const exec = s.bind(ctx, { x: mx.nd.array([[0.5, -1, 0.2], [0.1, 3, 0.7]]) });
    exec.forward(true);
    exec.backward();
    expectClose(values(exec.gradDict['x']), expected, ...F32);
  });

  /** Runs forward+backward `times` times with gradient arrays starting at `init`. */
  function accumulate(s: mx.Symbol, args: Record<string, mx.NDArray>, req: mx.GradReq, init: number, times: number): Record<string, number[]> {
    const argsGrad: Record<string, mx.NDArray> = {};
    for (const name of s.listArguments()) argsGrad[name] = mx.nd.full(args[name]!.shape, init);
    const copies: Record<string, mx.NDArray> = {};
    for (const [k, v] of Object.entries(args)) copies[k] = v.copy();
    const exec = s.bind(ctx, copies, { argsGrad, gradReq: req });
    for (let i = 0; i < times; i++) {
      exec.forward(true);
      exec.backward();
    }
    const out: Record<string, number[]> = {};
    for (const [k, v] of Object.entries(exec.gradDict)) out[k] = values(v);
    return out;
  }

  test.each([
    ['SoftmaxOutput (index label)', () => mx.sym.SoftmaxOutput(V('x'), V('l')), mx.nd.array([2, 0])],
    ['SoftmaxOutput (probability label)', () => mx.sym.SoftmaxOutput(V('x'), V('l')), mx.nd.array([[0.2, 0.3, 0.5], [1, 0, 0]])],
    ['LogisticRegressionOutput', () => mx.sym.LogisticRegressionOutput(V('x'), V('l')), mx.nd.array([[1, 0, 1], [0, 0, 1]])],
    ['LinearRegressionOutput', () => mx.sym.LinearRegressionOutput(V('x'), V('l')), mx.nd.array([[1, 2, 3], [4, 5, 6]])],
    ['MAERegressionOutput', () => mx.sym.MAERegressionOutput(V('x'), V('l')), mx.nd.array([[1, 2, 3], [4, 5, 6]])],
  ] as const)("%s: gradReq 'add' accumulates on the data gradient (init + 2 x write after two steps)", (_name, build, label) => {
    const s = build();
    const args = { x: mx.nd.array([[0.5, -1, 2], [0, 0.3, -0.7]]), l: label };
    const once = accumulate(s, args, 'write', 0, 1);
    const twice = accumulate(s, args, 'add', 0.5, 2);
    expectClose(twice['x']!, once['x']!.map((g) => 0.5 + 2 * g), ...F32);
  });
});

describe("property: gradReq 'add' twice equals twice 'write'", () => {
  type Step = 'sigmoid' | 'scale' | 'shift' | 'softmax' | 'log_softmax' | 'square' | 'plus_x' | 'times_y' | 'over_y';
  type Head = 'plain' | 'logistic' | 'linear' | 'mae' | 'softmax_index' | 'makeloss' | 'make_loss' | 'blockgrad';
  const STEPS: readonly Step[] = ['sigmoid', 'scale', 'shift', 'softmax', 'log_softmax', 'square', 'plus_x', 'times_y', 'over_y'];
  const HEADS: readonly Head[] = ['plain', 'logistic', 'linear', 'mae', 'softmax_index', 'makeloss', 'make_loss', 'blockgrad'];

  function build(steps: readonly Step[], head: Head): mx.Symbol {
    const x = V('x');
    const y = V('y');
    let t: mx.Symbol = x;
    for (const step of steps) {
      switch (step) {
        case 'sigmoid': t = mx.sym.sigmoid(t); break;
        case 'scale': t = t.mul(-1.5); break;
        case 'shift': t = t.add(0.25); break;
        case 'softmax': t = mx.sym.softmax(t); break;
        case 'log_softmax': t = mx.sym.log_softmax(t, { axis: 0 }); break;
        case 'square': t = t.mul(t); break;
        case 'plus_x': t = t.add(x); break;
        case 'times_y': t = t.mul(y); break;
        case 'over_y': t = t.div(y.mul(y).add(1)); break;
      }
    }
    switch (head) {
      case 'plain': return t.add(y.mul(0));
      case 'logistic': return mx.sym.LogisticRegressionOutput(t.add(y.mul(0)), V('label'));
      case 'linear': return mx.sym.LinearRegressionOutput(t.add(y.mul(0)), V('label'));
      case 'mae': return mx.sym.MAERegressionOutput(t.add(y.mul(0)), V('label'));
      case 'softmax_index': return mx.sym.SoftmaxOutput(t.add(y.mul(0)), V('label'));
      case 'makeloss': return mx.sym.MakeLoss(t.add(y.mul(0)), { grad_scale: 0.5 });
      case 'make_loss': return mx.sym.make_loss(t.add(y.mul(0)));
      case 'blockgrad': return mx.sym.BlockGrad(t.add(y.mul(0)));
    }
  }

  const valuesArb = fc.array(fc.integer({ min: -200, max: 200 }), { minLength: 6, maxLength: 6 }).map((v) => v.map((k) => k / 100));

  test('for random small graphs, heads and inputs, two add passes from R give R + 2 x write', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...STEPS), { maxLength: 4 }),
        fc.constantFrom(...HEADS),
        valuesArb,
        valuesArb,
        valuesArb,
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 2, maxLength: 2 }),
        valuesArb,
        (steps, head, xv, yv, headGrad, classes, init) => {
          const s = build(steps, head);
          const args: Record<string, mx.NDArray> = { x: mx.nd.array(xv, { shape: [2, 3] }), y: mx.nd.array(yv, { shape: [2, 3] }) };
          if (head === 'softmax_index') args['label'] = mx.nd.array(classes);
          else if (head !== 'plain' && head !== 'makeloss' && head !== 'make_loss' && head !== 'blockgrad') args['label'] = mx.nd.array(xv.map((v) => (v > 0 ? 1 : 0)), { shape: [2, 3] });
          const outGrads = head === 'plain' ? [mx.nd.array(headGrad, { shape: [2, 3] })] : undefined;
          const run = (req: mx.GradReq, times: number) => {
            const argsGrad: Record<string, mx.NDArray> = {};
            for (const name of s.listArguments()) argsGrad[name] = req === 'add' ? mx.nd.array(init.slice(0, args[name]!.size), { shape: args[name]!.shape }) : mx.nd.zeros(args[name]!.shape);
            const copies: Record<string, mx.NDArray> = {};
            for (const [k, v] of Object.entries(args)) copies[k] = v.copy();
            const exec = s.bind(ctx, copies, { argsGrad, gradReq: req });
            for (let i = 0; i < times; i++) {
              exec.forward(true);
              exec.backward(outGrads);
            }
            return exec.gradDict;
          };
          const write = run('write', 1);
          const add = run('add', 2);
          for (const name of s.listArguments()) {
            const start = init.slice(0, args[name]!.size);
            const expected = values(write[name]).map((g, i) => start[i]! + 2 * g);
            mx.testUtils.assertAlmostEqual(add[name]!.data, expected, { rtol: 1e-5, atol: 1e-5, names: [`add ${name}`, `write ${name}`] });
          }
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });
});
