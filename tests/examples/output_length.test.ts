/**
 * Every example fits on one screen: run as a user runs it (`npx tsx examples/<name>.ts`), each
 * exits 0 and prints fewer than 40 lines (stdout and stderr together, blank and progress lines
 * included).
 * predict_mnist reads MXNet checkpoints from MXTS_MODEL_DIR (the developers' copy beside the
 * checkout when it is not set); when they are absent it only says so, which is checked instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts')).sort();
const modelDir = process.env['MXTS_MODEL_DIR'] ?? join(root, '..', 'shared', 'mxnet-files');
const SCREEN = 40;

test.each(examples)('examples/%s exits 0 and prints less than one screen', (file) => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['MXTS_MODEL_DIR'];
  if (file === 'predict_mnist.ts' && existsSync(modelDir)) env['MXTS_MODEL_DIR'] = modelDir;
  const run = spawnSync(process.execPath, ['--import', 'tsx', join('examples', file)], { cwd: root, encoding: 'utf8', env });
  const output = `${run.stdout}${run.stderr}`;
  expect({ status: run.status, output: run.status === 0 ? '' : output }).toEqual({ status: 0, output: '' });
  const lines = output.replace(/\n$/, '').split('\n');
  expect(lines.length).toBeLessThan(SCREEN);
  if (file === 'predict_mnist.ts') expect(run.stdout).toMatch(existsSync(modelDir) ? /accuracy \d+\/30/ : /nothing to run/);
}, 240_000);
