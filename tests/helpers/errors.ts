import * as mx from 'mxts';

/** Catches what `fn` throws, for checks on the error's fields; fails if it throws nothing or a non-MXNetError. */
export function thrown(fn: () => unknown): mx.MXNetError {
  try {
    fn();
  } catch (e) {
    if (e instanceof mx.MXNetError) return e;
    throw new Error(`expected an MXNetError, got ${String(e)}`);
  }
  throw new Error('expected an error, nothing was thrown');
}
