/**
 * W2's model for mxts, shared by the timing and the memory runs: a 784-512-256-10 MLP (relu,
 * SoftmaxOutput) bound for training on a batch of 128, and one step of forward, backward and an
 * SGD update through mxts's own optimizer (lr 0.01 on the batch-mean gradient).
 */
import * as mx from '../src/index';

export const BATCH = 128;
export const SIZES = [784, 512, 256, 10] as const;
export const LR = 0.01;

export interface W2Model {
  readonly exec: mx.Executor;
  /** One training step: forward, backward, update of every weight and bias in place. */
  readonly step: () => void;
}

export function w2Model(seed = 2): W2Model {
  let net: mx.Symbol = mx.sym.Variable('data');
  for (let i = 1; i < SIZES.length; i++) {
    net = mx.sym.FullyConnected(net, { num_hidden: SIZES[i]!, name: `fc${i}` });
    if (i < SIZES.length - 1) net = mx.sym.Activation(net, { act_type: 'relu', name: `relu${i}` });
  }
  net = mx.sym.SoftmaxOutput(net, { name: 'softmax' });
  const params = net.listArguments().filter((n) => n !== 'data' && n !== 'softmax_label');
  const exec = net.simpleBind(mx.cpu(), { shapes: { data: [BATCH, SIZES[0]] }, gradReq: Object.fromEntries(params.map((p) => [p, 'write' as const])) });
  mx.random.seed(seed);
  for (const p of params) if (p.endsWith('_weight')) exec.argDict[p]!.set(mx.nd.uniform(-0.05, 0.05, exec.argDict[p]!.shape));
  exec.argDict['data']!.set(mx.nd.uniform(0, 1, [BATCH, SIZES[0]]));
  exec.argDict['softmax_label']!.set(Array.from({ length: BATCH }, (_, i) => i % 10));
  const updater = mx.optimizer.getUpdater(new mx.optimizer.SGD({ learningRate: LR, rescaleGrad: 1 / BATCH }));
  const weights = params.map((p) => exec.argDict[p]!);
  const grads = params.map((p) => exec.gradDict[p]!);
  const step = () => {
    exec.forward(true);
    exec.backward();
    for (let i = 0; i < weights.length; i++) updater.call(i, grads[i]!, weights[i]!);
  };
  return { exec, step };
}
