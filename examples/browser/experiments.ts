/**
 * The blog's experiments on MXNet's output operators, as data: each binds the head to m and n,
 * runs forward and backward, and keeps the prediction and the gradient of m. The browser page
 * shows them; the browser test compares the page's numbers with these computed in Node.
 */
import * as mx from 'mxts';

export interface Experiment {
  id: string;
  title: string;
  why: string;
  symbol: mx.Symbol;
  forward: number[];
  gradient: number[];
}

/** Input shapes of every experiment's graph (m the data, n a label of the same shape). */
export const SHAPES = { m: [3, 4], n: [3, 4] } as const;

function run(id: string, title: string, why: string, symbol: mx.Symbol, m: mx.NDArray, n: mx.NDArray): Experiment {
  const exec = symbol.bind(mx.cpu(), { m, n });
  exec.forward(true);
  exec.backward();
  return { id, title, why, symbol, forward: Array.from(exec.outputs[0]!.data), gradient: Array.from(exec.gradDict['m']!.data) };
}

export function blogExperiments(): Experiment[] {
  const m = mx.sym.Variable('m');
  const n = mx.sym.Variable('n');
  const logistic = mx.sym.LogisticRegressionOutput({ data: m, label: n, name: 'logistic' });
  const softmax = mx.sym.SoftmaxOutput({ data: m, label: n, name: 'softmax' });
  mx.random.seed(42);
  const uniform = mx.nd.uniform(0, 1, [3, 4]);
  return [
    run('logistic', 'LogisticRegressionOutput, m = 1.3, n = 0.2', 'forward is sigmoid(1.3) whatever the label; the gradient is (sigmoid(1.3) - 0.2) / 4: divided by the 4 outputs per sample, not by the batch',
      logistic, mx.nd.ones([3, 4]).add(0.3), mx.nd.zeros([3, 4]).add(0.2)),
    run('softmax', 'SoftmaxOutput, m = 1, n = 0.7', 'softmax of equal logits is 0.25; a label of the data\'s shape is a probability label: 0.25 - 0.7, not normalized',
      softmax, mx.nd.ones([3, 4]), mx.nd.zeros([3, 4]).add(0.7)),
    run('softmax-uniform', 'SoftmaxOutput, m = uniform(0, 1) with seed 42, n = 0.2', 'each row is the softmax of that row of m; the gradient is softmax(m) - n element by element',
      softmax, uniform, mx.nd.zeros([3, 4]).add(0.2)),
  ];
}
