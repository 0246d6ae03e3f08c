/**
 * The study that started mxts: what MXNet's output operators really compute.
 * Forward returns the prediction (sigmoid / softmax of the data; the label is unused), backward
 * returns the loss gradient and ignores any head gradient. Run with `npm run demo`.
 */
import * as mx from 'mxts';

function section(title: string): void {
  console.log(`=== ${title}`);
}

/** Prints a 2-D array on one line when all its rows are the same, else as numpy's repr. */
function show(label: string, a: mx.NDArray): void {
  const rows = a.toArray() as number[][];
  const row = a.toString().split('\n')[0]!.replace(/^array\(\[\[/, '[').replace(/\],?$/, ']');
  const same = rows.every((r) => r.every((v, j) => v === rows[0]![j]));
  console.log(same ? `${label} every row of ${rows.length} is ${row}` : `${label}\n${a.toString()}`);
}

/** Binds `out` to m and n, runs forward and backward, prints both; returns the gradient of m. */
function runSymbol(out: mx.Symbol, m: mx.NDArray, n: mx.NDArray, why: string): mx.NDArray {
  const exec = out.bind(mx.cpu(), { m, n });
  exec.forward(true);
  show('forward  exec.outputs[0]:', exec.outputs[0]!);
  exec.backward();
  const grad = exec.gradDict['m']!;
  show('backward exec.gradDict.m:', grad);
  console.log(`  why: ${why}`);
  return grad.copy();
}

const vm = mx.sym.Variable('m');
const vn = mx.sym.Variable('n');

section('1. mx.nd.LogisticRegressionOutput(ones([3,4]), zeros([3,4]))');
let m = mx.nd.ones([3, 4]);
let n = mx.nd.zeros([3, 4]);
show('mx.nd.LogisticRegressionOutput(m, n):', mx.nd.LogisticRegressionOutput(m, n));
console.log('  every element is sigmoid(1) = e/(1+e); the label is not used by forward');

section('2. The same through a Symbol: LogisticRegressionOutput({data: m, label: n})');
const logistic = mx.sym.LogisticRegressionOutput({ data: vm, label: vn });
runSymbol(logistic, m, n, '(sigmoid(1) - 0) / 4: the regression outputs divide by the 4 outputs per sample, not by the batch');

section('3. m = ones + 0.3, n = zeros + 0.2');
m = mx.nd.ones([3, 4]).add(0.3);
n = mx.nd.zeros([3, 4]).add(0.2);
runSymbol(logistic, m, n, 'forward is sigmoid(1.3) whatever the label; gradient (sigmoid(1.3) - 0.2) / 4');

section('4. SoftmaxOutput({data: m, label: n}), m = ones([3,4]), n = zeros([3,4]) + 0.7, then + 0.2');
const softmax = mx.sym.SoftmaxOutput({ data: vm, label: vn });
m = mx.nd.ones([3, 4]);
n = mx.nd.zeros([3, 4]).add(0.7);
runSymbol(softmax, m, n, 'softmax of equal logits is 0.25; a label of the data\'s shape is a probability label: 0.25 - 0.7, no normalization');
n = mx.nd.zeros([3, 4]).add(0.2);
runSymbol(softmax, m, n, '0.25 - 0.2: the same probability mode');

section('5. m = mx.nd.uniform(0, 1, [3,4]): each row is the softmax of that row of m');
mx.random.seed(42);
m = mx.nd.uniform(0, 1, [3, 4]);
console.log('m =');
console.log(m.toString());
const grad5 = runSymbol(softmax, m, n, 'softmax(m) - n, element by element (probability mode)');

section('A head gradient passed to backward changes nothing');
const exec = softmax.bind(mx.cpu(), { m, n });
exec.forward(true);
exec.backward(mx.nd.full([3, 4], 10));
mx.testUtils.assertAlmostEqual(exec.gradDict['m']!, grad5, { rtol: 0, atol: 0 });
console.log('backward(full([3,4], 10)) gives exactly the gradient of experiment 5 (assertAlmostEqual, tolerance 0)');
console.log('  why: output operators replace the head gradient by their own loss gradient');

section('For contrast: an index label of shape [3] (what simpleBind infers from m alone)');
const indexLabel = mx.nd.zeros([3]).add(0.7);
const indexExec = softmax.bind(mx.cpu(), { m: mx.nd.ones([3, 4]), n: indexLabel });
indexExec.forward(true);
indexExec.backward();
show('backward exec.gradDict.m:', indexExec.gradDict['m']!);
console.log('  why: 0.7 truncates to class 0, so each row is softmax - onehot(0) = [-0.75, 0.25, 0.25, 0.25]');
