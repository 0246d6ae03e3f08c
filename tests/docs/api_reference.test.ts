/**
 * The API reference: `npm run docs` (typedoc, typedoc.json) builds with no warning (the config
 * treats warnings as errors: an export whose signature names an unexported type, a broken
 * {@link}, a broken relative link in a page), the docs/ pages are part of the site, and nothing a
 * user reads (README, docs, examples, the TSDoc in src) points outside the repository.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

test('typedoc builds the reference with no warnings, with docs/api.md and docs/operators.md as pages', () => {
  const out = mkdtempSync(join(tmpdir(), 'mxts-docs-'));
  try {
    const run = spawnSync(process.execPath, [join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const log = `${run.stdout}${run.stderr}`;
    expect({ status: run.status, problems: log.split('\n').filter((line) => /warning|error/i.test(line) && !/Found 0 errors and 0 warnings/.test(line)) }).toEqual({ status: 0, problems: [] });
    const documents = readdirSync(join(out, 'documents'));
    expect(documents).toEqual(expect.arrayContaining(['The_API_in_one_page.html', 'operators.html']));
    // Operator pages come from the registry through docs/operators.md: one section per operator with its parameters.
    const operators = readFileSync(join(out, 'documents', 'operators.html'), 'utf8');
    expect(operators).toContain('FullyConnected');
    expect(operators).toContain('num_hidden');
    // Every namespace of mx has a page.
    for (const ns of ['metric', 'io', 'mod', 'callback', 'model', 'viz', 'testUtils', 'initializer', 'optimizer']) expect(existsSync(join(out, 'modules', `${ns}.html`))).toBe(true);
    for (const ns of ['nd', 'sym', 'random']) expect(existsSync(join(out, 'variables', `${ns}.html`))).toBe(true);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 300_000);

test('every page in docs/ is a page of the reference (an @document tag of src/index.ts)', () => {
  const index = readFileSync(join(root, 'src', 'index.ts'), 'utf8');
  const listed = [...index.matchAll(/@document \.\.\/docs\/([\w.-]+\.md)/g)].map((m) => m[1]);
  expect(listed.sort()).toEqual(readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort());
});

test('README, docs, examples and the sources never send a reader outside the repository', () => {
  const files = ['README.md', ...['docs', 'examples'].flatMap((dir) => readdirSync(join(root, dir)).filter((f) => /\.(md|ts)$/.test(f)).map((f) => join(dir, f)))];
  const walk = (dir: string): string[] => readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  files.push(...walk('src'));
  const outside = files.filter((f) => /\.\.\/shared|\/work\/|shared\/API\.md/.test(readFileSync(join(root, f), 'utf8')));
  expect(outside).toEqual([]);
});
