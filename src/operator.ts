/** `mx.operator`: introspection of the operator registry (MXNet's `mxnet.operator` module). */
import './ops/all';
import { registeredNames } from './ops/registry';

/**
 * Every registered operator name, aliases included, sorted by byte order as MXNet's registry
 * lists them (`mx.operator.get_all_registered_operators()`).
 */
export function getAllRegisteredOperators(): string[] {
  return [...registeredNames().keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
