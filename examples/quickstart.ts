import * as mx from 'mxts';

const data = mx.sym.Variable('m');
const label = mx.sym.Variable('n');
const out = mx.sym.LogisticRegressionOutput({ data, label, name: 'lro' });

const exec = out.bind(mx.cpu(), { m: mx.nd.ones([3, 4]), n: mx.nd.zeros([3, 4]) });
exec.forward(true);
console.log(exec.outputs[0].toString()); // array([[0.7310586, ...]], dtype=float32): sigmoid(m)
exec.backward();                         // no head gradient needed for an output operator
console.log(exec.gradDict.m.toString()); // (sigmoid(m) - n) / 4 = 0.18276465 everywhere
