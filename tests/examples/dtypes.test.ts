/** examples/dtypes.ts: the values it prints are MXNet's. */
import { runDtypes } from '../../examples/dtypes';

test('float64 division, uint8 casts, int32 division, inferType and a uint8 graph give MXNet`s values', () => {
  const r = runDtypes();
  expect(r.third64).toBe(1 / 3);
  expect(r.third32).toBe(Math.fround(1 / 3));
  expect(r.pixels).toEqual([255, 0, 255, 44]); // C casts: -1 wraps to 255, 300 to 44
  expect(r.intDivision).toEqual([3, -3, 4]);
  expect(r.types).toEqual({ argTypes: ['uint8'], outTypes: ['float32'], auxTypes: [] });
  expect(r.means[0]).toBeCloseTo(0.5, 6);
  expect(r.means[1]).toBeCloseTo((51 + 102 + 153 + 255) / 4 / 255, 6);
  // Each node's output once, named as MXNet names them, in its own dtype (Cast made float32).
  expect(r.monitored).toHaveLength(3);
  expect(r.monitored[0]).toMatch(/^cast\d+_output float32$/);
  expect(r.monitored[1]).toMatch(/^_divscalar\d+_output float32$/);
  expect(r.monitored[2]).toBe('mean_output float32');
  expect(r.evaluated).toEqual([0.5, 1]);
  expect(r.lines.length).toBeLessThan(14);
});
