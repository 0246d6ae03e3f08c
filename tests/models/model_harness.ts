/** Shared checks for the published-model mirrors: JSON round trip, seeded weights, finiteness. */
import * as mx from 'mxts';
import type { Executor } from '../../src/executor/executor';
import type { Symbol as Sym } from '../../src/symbol/symbol';

/** toJSON -> fromJSON gives the same text and the same argument / auxiliary / output lists. */
export function expectJsonRoundTrip(net: Sym): void {
  const text = net.toJSON();
  const back = mx.sym.fromJSON(text);
  expect(back.toJSON()).toBe(text);
  expect(back.listArguments()).toEqual(net.listArguments());
  expect(back.listAuxiliaryStates()).toEqual(net.listAuxiliaryStates());
  expect(back.listOutputs()).toEqual(net.listOutputs());
}

/** simpleBind, then seeded weights: small uniform values, BatchNorm variances and gammas positive. */
export function bindWithRandomWeights(net: Sym, shapes: Record<string, number[]>, seed: number, inputs: readonly string[]): Executor {
  const exec = net.simpleBind(mx.cpu(), { shapes, gradReq: 'null' });
  mx.random.seed(seed);
  for (const [name, array] of Object.entries(exec.argDict)) {
    if (inputs.includes(name)) continue;
    const positive = name.endsWith('_gamma');
    array.set(positive ? mx.nd.uniform(0.5, 1.5, array.shape) : mx.nd.uniform(-0.3, 0.3, array.shape));
  }
  for (const [name, array] of Object.entries(exec.auxDict)) {
    const isVariance = name.endsWith('_var');
    array.set(isVariance ? mx.nd.uniform(0.5, 1.5, array.shape) : mx.nd.uniform(-0.1, 0.1, array.shape));
  }
  return exec;
}

export function allFinite(values: Float32Array): boolean {
  return values.every((v) => Number.isFinite(v));
}
