/**
 * Under a virtual-memory limit (`ulimit -v`) V8 cannot reserve the address space it wants for a
 * WebAssembly memory, so arenas are refused: the executor must still bind and compute the same
 * values on plain arrays, report `memoryKind: 'plain-fallback'`, and warn once per process (it
 * used to fall back silently, 9x slower). Node's --disable-wasm-trap-handler gets arenas back.
 * The fixture is bundled first: tsx's loader itself needs WebAssembly memory.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = join(__dirname, '..', '..');
/** 3 GB of address space: ample for Node and the ~25 MB the fixture allocates, not for V8's wasm reservations. */
const LIMIT_KB = 3_000_000;
let dir = '';
let bundle = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mxts-ulimit-'));
  bundle = join(dir, 'bind_under_limit.cjs');
  buildSync({ entryPoints: [join(__dirname, 'fixtures', 'bind_under_limit.ts')], bundle: true, platform: 'node', outfile: bundle, alias: { mxts: join(ROOT, 'src', 'index.ts') }, logLevel: 'error' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Report { memoryKind: string; secondKind: string; referenceKind: string; valueError: number; maxGradError: number; warnings: string[] }

function runUnder(limitKb: number | null, nodeFlags = ''): Report {
  const command = `${limitKb === null ? '' : `ulimit -v ${limitKb}; `}exec "${process.execPath}" ${nodeFlags} "${bundle}"`;
  const out = execFileSync('bash', ['-c', command], { env: { ...process.env, MXTS_BACKEND: 'wasm' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.trim().split('\n').pop()!) as Report;
}

describe('executors under a virtual-memory limit', () => {
  test('without a limit: an arena, no warning', () => {
    const report = runUnder(null);
    expect(report.memoryKind).toBe('arena');
    expect(report.referenceKind).toBe('plain');
    expect(report.warnings).toEqual([]);
  }, 60_000);

  test('under ulimit -v: plain arrays, the same values, memoryKind plain-fallback, one warning', () => {
    const report = runUnder(LIMIT_KB);
    expect(report.memoryKind).toBe('plain-fallback');
    expect(report.secondKind).toBe('plain-fallback');
    expect(report.valueError).toBeLessThan(1e-5);
    expect(report.maxGradError).toBeLessThan(1e-5);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/^MXTS_ARENA_REFUSED: .*refused.*--disable-wasm-trap-handler/);
  }, 60_000);

  test('under ulimit -v with --disable-wasm-trap-handler: arenas again', () => {
    const report = runUnder(LIMIT_KB, '--disable-wasm-trap-handler');
    expect(report.memoryKind).toBe('arena');
    expect(report.warnings).toEqual([]);
  }, 60_000);
});

describe('an arena sized by the plan, not the upper bound', () => {
  test('a chain whose bound (every output twice) is over 2 GiB but whose plan needs ~30 MB gets an arena', async () => {
    const mx = await import('../../src/index');
    let x = mx.sym.Variable('x');
    for (let i = 0; i < 300; i++) x = mx.sym.Activation({ data: x, act_type: 'relu', name: `r${i}` });
    const exec = mx.sym.MakeLoss({ data: mx.sym.sum({ data: x }) }).simpleBind(mx.cpu(), { shapes: { x: [1 << 20] }, backend: 'wasm' });
    expect(2 * 301 * (1 << 20) * 4).toBeGreaterThan(2 ** 31);
    expect(exec.memoryKind).toBe('arena');
    exec.argArrays[0]!.data.fill(0.5);
    expect(exec.forward(true)[0]!.data[0]).toBe(0.5 * (1 << 20));
    exec.backward();
    // d sum / dx through 300 relus at 0.5: exactly 1 everywhere.
    expect(exec.gradArrays[0]!.data.every((g) => g === 1)).toBe(true);
    exec.dispose();
  }, 60_000);
});
