/** The op/dtype table (src/ops/dtype_support.ts) names registered ops by their canonical names. */
import 'mxts';
import { dtypeSupportTable } from '../../src/ops/dtype_support';
import { findOp } from '../../src/ops/registry';

test('every op the dtype table lists is registered under that canonical name, and float32 is always supported', () => {
  const stale = [...dtypeSupportTable().keys()].filter((name) => findOp(name)?.name !== name);
  expect(stale).toEqual([]);
  for (const dtypes of dtypeSupportTable().values()) expect(dtypes).toContain('float32');
});
