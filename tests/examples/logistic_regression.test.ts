/** examples/logistic_regression.ts: a sensible held-out accuracy on the vega-datasets cars. */
import { silentLogger } from '../../src/callback';
import { loadCars, runLogisticRegression, splitCars } from '../../examples/logistic_regression';

test('the cars data loads from the vega-datasets package: 406 cars, 392 complete, split 314 / 78', () => {
  const cars = loadCars();
  expect(cars).toHaveLength(406);
  const split = splitCars(cars);
  expect([split.train.length, split.test.length]).toEqual([314, 78]);
  // Standardized with training statistics: mean 0, standard deviation 1 on the training split.
  const col = split.trainX.map((r) => r[0]!);
  expect(col.reduce((s, v) => s + v, 0) / col.length).toBeCloseTo(0, 10);
  expect(Math.sqrt(col.reduce((s, v) => s + v * v, 0) / col.length)).toBeCloseTo(1, 10);
});

test('is the car from the USA: held-out accuracy above 80% and above the majority baseline; head loss is a BCE per car', () => {
  const r = runLogisticRegression({ logger: silentLogger });
  expect(r.heldOutAccuracy).toBeGreaterThan(0.8);
  expect(r.heldOutAccuracy).toBeGreaterThan(r.baselineAccuracy + 0.1);
  // Below log 2 (a coin flip) and above 0.
  expect(r.heldOutHeadLoss).toBeGreaterThan(0);
  expect(r.heldOutHeadLoss).toBeLessThan(0.45);
  const first = r.history[0]!.train['head_loss']!;
  expect(r.history[r.history.length - 1]!.train['head_loss']).toBeLessThan(first);
  const again = runLogisticRegression({ logger: silentLogger });
  expect(again.heldOutAccuracy).toBe(r.heldOutAccuracy);
});
