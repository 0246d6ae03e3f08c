/** examples/symbol_tour.ts: fluent methods, comparisons, eval and a monitor give MXNet's values. */
import { runTour } from '../../examples/symbol_tour';

test('the tour computes sqrt|x| clipped, x > 0, softmax row sums, and monitors batches 1 and 3', () => {
  const lines: string[] = [];
  const r = runTour((line) => lines.push(line));
  const expected = [[-2, -0.5, 0.5], [1, 2, 3]].map((row) => row.map((v) => Math.min(Math.sqrt(Math.abs(v)), 1.5)));
  r.clipped.flat().forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i]!, 6));
  expect(r.positive).toEqual([[0, 0, 1], [1, 1, 1]]);
  r.softmaxRowSums.forEach((v) => expect(v).toBeCloseTo(1, 6));
  expect(r.monitorRows.map(([step, name]) => [step, name])).toEqual([[3, 'fc1_output'], [3, 'fc1_weight'], [3, 'fc2_output'], [3, 'fc2_weight'], [3, expect.stringMatching(/^relu\d+_output$/)]]);
  for (const [, , stat] of r.monitorRows) expect(Number(stat)).toBeGreaterThan(0);
  // batch 2 is skipped (interval 2): ten monitor lines in all, and the whole tour fits one screen
  expect(lines.filter((l) => l.startsWith('Batch:'))).toHaveLength(10);
  expect(lines.join('\n').split('\n').length).toBeLessThan(30);
});
