import * as mx from 'mxts';

/**
 * Asserts that gradReq 'add' leaves (start + the 'write' gradient) in every gradient array:
 * the gradients are first computed with 'write', then checkSymbolicBackward starts the 'add'
 * arrays from random values and checks they end at those values plus the gradients.
 */
export function expectAddAccumulates(symbol: mx.Symbol, location: Record<string, mx.NDArray>, heads: mx.NDArray[], tolerance = { rtol: 1e-5, atol: 1e-6 }): void {
  const args = Object.fromEntries(Object.entries(location).map(([name, value]) => [name, value.copy()]));
  const gradReq = Object.fromEntries(Object.keys(location).map((name) => [name, 'write' as const]));
  const exec = symbol.bind(mx.cpu(), args, { gradReq });
  exec.forward(true);
  exec.backward(heads);
  const written = Object.fromEntries(Object.entries(exec.gradDict).map(([name, grad]) => [name, grad.copy()]));
  mx.testUtils.checkSymbolicBackward(symbol, location, heads, written, { gradReq: 'add', ...tolerance });
}
