/**
 * The layering rule of docs/architecture.md, checked on every source file's imports:
 * - src/base imports nothing outside src/base;
 * - src/backend imports only src/base and src/backend; the reference backend never imports the
 *   WebAssembly one;
 * - nothing outside src/backend imports src/backend/wasm, and only type declarations (and the
 *   plain layout descriptors of src/backend/geometry.ts) from the backends' kernel files: code
 *   outside reaches kernels only through a Backend (src/backend/select.ts chooses it);
 * - src/ops imports, besides types, only src/base, src/ops and src/backend/geometry.ts;
 * - src/symbol uses the executor only through its public face (src/executor/executor.ts, and the
 *   types of the bind options).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const SRC = join(ROOT, 'src');

interface Import {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports and re-exports of a file, resolved to repository paths (without extension). */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'/gm;
  for (const match of text.matchAll(pattern)) {
    const target = relative(ROOT, resolve(dirname(file), match[3]!)).replace(/\\/g, '/').replace(/\/index$/, '/index');
    found.push({ from: relative(ROOT, file).replace(/\\/g, '/'), to: target, typeOnly: match[2] !== undefined });
  }
  return found;
}

const IMPORTS = sourceFiles(SRC).flatMap(importsOf);
const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);
const show = (list: readonly Import[]) => list.map((i) => `${i.from} -> ${i.to}${i.typeOnly ? ' (type)' : ''}`);

describe('layering of src/', () => {
  test('the import scan sees the source tree', () => {
    expect(IMPORTS.length).toBeGreaterThan(200);
    expect(IMPORTS.some((i) => i.from === 'src/executor/executor.ts' && i.to === 'src/backend/select')).toBe(true);
  });

  test('src/base imports nothing outside src/base', () => {
    expect(show(IMPORTS.filter((i) => under(i.from, 'src/base') && !under(i.to, 'src/base')))).toEqual([]);
  });

  test('src/backend imports only src/base and src/backend; reference never imports wasm', () => {
    const outside = IMPORTS.filter((i) => under(i.from, 'src/backend') && !under(i.to, 'src/base') && !under(i.to, 'src/backend'));
    expect(show(outside)).toEqual([]);
    expect(show(IMPORTS.filter((i) => under(i.from, 'src/backend/reference') && under(i.to, 'src/backend/wasm')))).toEqual([]);
  });

  test('nothing outside src/backend imports the WebAssembly backend, or kernel code at run time', () => {
    const allowed = new Set(['src/backend/select', 'src/backend/geometry']);
    const bad = IMPORTS.filter((i) => !under(i.from, 'src/backend') && under(i.to, 'src/backend') && (under(i.to, 'src/backend/wasm') || (!i.typeOnly && !allowed.has(i.to))));
    expect(show(bad)).toEqual([]);
  });

  test('src/ops imports at run time only src/base, src/ops and the layout descriptors', () => {
    const bad = IMPORTS.filter((i) => under(i.from, 'src/ops') && !i.typeOnly && !under(i.to, 'src/base') && !under(i.to, 'src/ops') && i.to !== 'src/backend/geometry');
    expect(show(bad)).toEqual([]);
  });

  test('src/symbol reaches the executor only through src/executor/executor.ts (and bind option types)', () => {
    const bad = IMPORTS.filter((i) => under(i.from, 'src/symbol') && under(i.to, 'src/executor') && i.to !== 'src/executor/executor' && !i.typeOnly);
    expect(show(bad)).toEqual([]);
  });
});
