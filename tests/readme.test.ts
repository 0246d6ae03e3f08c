/** The README's ten-line example is examples/quickstart.ts, and it prints what the README says. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');

test('the README example is examples/quickstart.ts verbatim', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /## Ten lines\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(readFileSync(join(root, 'examples', 'quickstart.ts'), 'utf8'));
});

test('quickstart prints sigmoid(1) = 0.7310586 and the gradient 0.18276465', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'examples', 'quickstart.ts')], { cwd: root, encoding: 'utf8' });
  expect(out).toContain('array([[0.7310586, 0.7310586, 0.7310586, 0.7310586],');
  expect(out).toContain('[0.18276465, 0.18276465, 0.18276465, 0.18276465]], dtype=float32)');
}, 60_000);
