/** examples/train_iris.ts: the acceptance bar, >= 95% held-out accuracy, deterministic. */
import { silentLogger } from '../../src/callback';
import { trainIris } from '../../examples/train_iris';

test('Iris reaches at least 95% held-out accuracy, the same on every run with the same seed', () => {
  const a = trainIris({ logger: silentLogger });
  expect(a.trainSize).toBe(120);
  expect(a.testSize).toBe(30);
  expect(a.heldOutAccuracy).toBeGreaterThanOrEqual(0.95);
  expect(a.history).toHaveLength(100);
  const b = trainIris({ logger: silentLogger });
  expect(b.history.map((r) => [r.train, r.eval])).toEqual(a.history.map((r) => [r.train, r.eval]));
  expect(b.heldOutAccuracy).toBe(a.heldOutAccuracy);
});
