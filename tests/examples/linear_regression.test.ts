/** examples/linear_regression.ts: a sensible held-out error on the vega-datasets cars' mpg. */
import { silentLogger } from '../../src/callback';
import { runLinearRegression } from '../../examples/linear_regression';

test('miles per gallon: held-out RMSE well below the label standard deviation; head loss = RMSE^2 / 2', () => {
  const r = runLinearRegression({ logger: silentLogger });
  expect([r.trainSize, r.testSize]).toEqual([314, 78]);
  expect(r.heldOutRMSE).toBeLessThan(0.7 * r.labelStd);
  expect(r.heldOutMAE).toBeLessThan(r.heldOutRMSE);
  expect(r.heldOutMAE).toBeGreaterThan(0);
  // LinearRegressionOutput (one output per car) implies 0.5 * squared error, so per car it is RMSE^2 / 2.
  expect(r.heldOutHeadLoss).toBeCloseTo(r.heldOutRMSE ** 2 / 2, 2);
  // Heavier cars go fewer miles per gallon.
  expect(r.weights[1]).toBeLessThan(0);
  expect(r.bias).toBeGreaterThan(20);
  expect(r.bias).toBeLessThan(27);
});
