/**
 * The study's experiments with the numbers MXNet 1.9.1 gives (reference/mxnet-semantics.md
 * section 10; forward values from the study, gradients from MXNet's regression_output and
 * softmax_output kernels). Each runs through mx.nd and through mx.sym + bind.
 */
import * as mx from 'mxts';

const exact = { rtol: 1e-6, atol: 1e-7 };

function bindAndRun(out: mx.Symbol, m: mx.NDArray, n: mx.NDArray, headGrad?: mx.NDArray) {
  const exec = out.bind(mx.cpu(), { m, n });
  exec.forward(true);
  exec.backward(headGrad);
  return { output: exec.outputs[0]!, gradM: exec.gradDict['m']!, gradN: exec.gradDict['n']! };
}

const vm = mx.sym.Variable('m');
const vn = mx.sym.Variable('n');
const logistic = mx.sym.LogisticRegressionOutput({ data: vm, label: vn });
const softmax = mx.sym.SoftmaxOutput({ data: vm, label: vn });

describe('blog experiments', () => {
  test('1: nd.LogisticRegressionOutput(ones, zeros) is sigmoid(1) = 0.7310586 everywhere', () => {
    const out = mx.nd.LogisticRegressionOutput(mx.nd.ones([3, 4]), mx.nd.zeros([3, 4]));
    mx.testUtils.assertAlmostEqual(out, mx.nd.full([3, 4], 0.7310586), exact);
    expect(out.toString()).toBe(
      'array([[0.7310586, 0.7310586, 0.7310586, 0.7310586],\n' +
        '       [0.7310586, 0.7310586, 0.7310586, 0.7310586],\n' +
        '       [0.7310586, 0.7310586, 0.7310586, 0.7310586]], dtype=float32)',
    );
  });

  test('2: the symbolic LogisticRegressionOutput gives 0.7310586 and gradient 0.18276465 (divided by 4 outputs per sample)', () => {
    const { output, gradM, gradN } = bindAndRun(logistic, mx.nd.ones([3, 4]), mx.nd.zeros([3, 4]));
    mx.testUtils.assertAlmostEqual(output, mx.nd.full([3, 4], 0.7310586), exact);
    mx.testUtils.assertAlmostEqual(gradM, mx.nd.full([3, 4], 0.18276465), exact);
    mx.testUtils.assertAlmostEqual(gradN, mx.nd.zeros([3, 4]), { rtol: 0, atol: 0 });
  });

  test('3: ones+0.3 and zeros+0.2 give sigmoid(1.3) = 0.78583497 and gradient (0.78583497-0.2)/4', () => {
    const m = mx.nd.ones([3, 4]).add(0.3);
    const n = mx.nd.zeros([3, 4]).add(0.2);
    const { output, gradM } = bindAndRun(logistic, m, n);
    mx.testUtils.assertAlmostEqual(output, mx.nd.full([3, 4], 0.78583497), exact);
    mx.testUtils.assertAlmostEqual(gradM, mx.nd.full([3, 4], (0.78583497 - 0.2) / 4), { rtol: 1e-6, atol: 1e-7 });
  });

  test('4: SoftmaxOutput with a label of the data shape is probability mode: 0.25 forward, -0.45 then 0.05 backward', () => {
    const m = mx.nd.ones([3, 4]);
    const first = bindAndRun(softmax, m, mx.nd.zeros([3, 4]).add(0.7));
    mx.testUtils.assertAlmostEqual(first.output, mx.nd.full([3, 4], 0.25), exact);
    mx.testUtils.assertAlmostEqual(first.gradM, mx.nd.full([3, 4], -0.45), exact);
    const second = bindAndRun(softmax, m, mx.nd.zeros([3, 4]).add(0.2));
    mx.testUtils.assertAlmostEqual(second.output, mx.nd.full([3, 4], 0.25), exact);
    mx.testUtils.assertAlmostEqual(second.gradM, mx.nd.full([3, 4], 0.05), exact);
  });

  test('5: with uniform data each output row is the softmax of the row, and the gradient is softmax - label', () => {
    mx.random.seed(3);
    const m = mx.nd.uniform(0, 1, [3, 4]);
    const n = mx.nd.zeros([3, 4]).add(0.2);
    const { output, gradM } = bindAndRun(softmax, m, n);
    const rows = m.toArray() as number[][];
    const expected = rows.map((row) => {
      const max = Math.max(...row);
      const e = row.map((v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / sum);
    });
    mx.testUtils.assertAlmostEqual(output, expected, { rtol: 1e-6, atol: 1e-7 });
    mx.testUtils.assertAlmostEqual(gradM, expected.map((row) => row.map((v) => v - Math.fround(0.2))), { rtol: 1e-5, atol: 1e-7 });
  });

  test('a head gradient passed to backward changes nothing for either head', () => {
    mx.random.seed(11);
    const m = mx.nd.uniform(-2, 2, [3, 4]);
    const n = mx.nd.uniform(0, 1, [3, 4]);
    for (const head of [logistic, softmax]) {
      const plain = bindAndRun(head, m, n).gradM.copy();
      const withHead = bindAndRun(head, m, n, mx.nd.uniform(-5, 5, [3, 4])).gradM;
      mx.testUtils.assertAlmostEqual(withHead, plain, { rtol: 0, atol: 0 });
    }
  });

  test('an index label of shape [3] switches SoftmaxOutput to index mode: rows [-0.75, 0.25, 0.25, 0.25]', () => {
    const exec = softmax.bind(mx.cpu(), { m: mx.nd.ones([3, 4]), n: mx.nd.zeros([3]).add(0.7) });
    exec.forward(true);
    exec.backward();
    mx.testUtils.assertAlmostEqual(exec.gradDict['m']!, [[-0.75, 0.25, 0.25, 0.25], [-0.75, 0.25, 0.25, 0.25], [-0.75, 0.25, 0.25, 0.25]], exact);
  });

  test('LinearRegressionOutput and MAERegressionOutput for comparison: gradients 0.25, 0.275 and +0.25', () => {
    const linear = mx.sym.LinearRegressionOutput({ data: vm, label: vn });
    const mae = mx.sym.MAERegressionOutput({ data: vm, label: vn });
    mx.testUtils.assertAlmostEqual(bindAndRun(linear, mx.nd.ones([3, 4]), mx.nd.zeros([3, 4])).gradM, mx.nd.full([3, 4], 0.25), exact);
    const m = mx.nd.ones([3, 4]).add(0.3);
    const n = mx.nd.zeros([3, 4]).add(0.2);
    mx.testUtils.assertAlmostEqual(bindAndRun(linear, m, n).gradM, mx.nd.full([3, 4], (1.3 - 0.2) / 4), { rtol: 1e-6, atol: 1e-7 });
    mx.testUtils.assertAlmostEqual(bindAndRun(mae, m, n).gradM, mx.nd.full([3, 4], 0.25), exact);
  });
});
