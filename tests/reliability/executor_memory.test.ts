/**
 * Executors dropped or disposed of give their memory back, with the worker threads on: 100 binds of
 * a ~5 MiB executor used to grow RSS by ~4 MiB each (the workers kept instances on every arena,
 * and V8 never counted the arenas as memory worth collecting). Each case runs in its own process.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(__dirname, 'fixtures', 'bind_cycles.ts');
const CYCLES = 100;
/** Far below the ~600 MiB the leak gave, far above the noise of a flat run. */
const MAX_GROWTH_MIB = 150;

function growth(mode: 'drop' | 'dispose', turns: 'turns' | 'sync'): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', SCRIPT, String(CYCLES), mode, turns], {
    env: { ...process.env, MXTS_NUM_THREADS: '2', MXTS_BACKEND: 'wasm' },
    encoding: 'utf8',
  });
  return (JSON.parse(out.trim().split('\n').pop()!) as { growthMiB: number }).growthMiB;
}

describe('executor memory with worker threads', () => {
  test.each([
    ['drop', 'turns'],
    ['drop', 'sync'],
    ['dispose', 'sync'],
  ] as const)('%s, %s: RSS stays flat over 100 bind cycles', (mode, turns) => {
    expect(growth(mode, turns)).toBeLessThan(MAX_GROWTH_MIB);
  }, 120_000);
});
