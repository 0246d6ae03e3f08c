/**
 * The npm package as a user receives it: `npm pack` of a copy of the repository (which runs
 * `prepare`, i.e. scripts/build_package.mjs, as an install from a git clone or a path does),
 * installed offline into a fresh project, then used from CommonJS, ES modules and TypeScript.
 * The type-resolution checks are the ones @arethetypeswrong/cli makes, written with the
 * TypeScript compiler API: under node10, node16 (CommonJS and ESM importers) and bundler
 * resolution, `mxts` resolves to declarations whose module format matches the JavaScript Node
 * loads, and the ESM declarations name exactly the runtime's exports.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..', '..');
const repoPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> };

let work = '';
let project = '';
let packed: string[] = [];

/** Runs a command; on failure the error message carries its output. */
function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

function consumerDependencies(spec: string, locked: Record<string, { version: string }>): Record<string, string> {
  return { mxts: spec, '@types/node': locked['node_modules/@types/node']!.version };
}

/** A lock file for the consumer: the tarball plus mxts's dependency closure as the repository locks it, so `npm ci --offline` reads everything from the npm cache. */
function consumerLock(tarball: string): object {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string; dependencies?: Record<string, string>; resolved?: string }> };
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const spec = `file:${relative(project, tarball)}`;
  const packages: Record<string, object> = {
    '': { name: 'consumer', dependencies: consumerDependencies(spec, lock.packages) },
    'node_modules/mxts': { version: repoPackage.version, resolved: spec, integrity, dependencies: repoPackage.dependencies },
  };
  const queue = [...Object.keys(repoPackage.dependencies), '@types/node'];
  while (queue.length > 0) {
    const name = queue.shift()!;
    const key = `node_modules/${name}`;
    if (key in packages) continue;
    const entry = lock.packages[key];
    if (!entry) throw new Error(`package-lock.json has no ${key}: run npm install in the repository`);
    const { dev: _dev, devOptional: _devOptional, ...kept } = entry as typeof entry & { dev?: boolean; devOptional?: boolean };
    // The repository's lock omits registry URLs (omit-lockfile-registry-resolved); offline installs need them.
    packages[key] = { ...kept, resolved: entry.resolved ?? `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry.version}.tgz` };
    queue.push(...Object.keys(entry.dependencies ?? {}));
  }
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

/** A user's project: a tiny forward pass from CommonJS and from ESM, and TypeScript importers of both kinds. */
const FORWARD = "mx.sym.FullyConnected(mx.sym.Variable('x'), { num_hidden: 2, no_bias: true, name: 'fc' }).bind(mx.cpu(), { x: mx.nd.ones([1, 3]), fc_weight: mx.nd.ones([2, 3]) }).forward()[0]";
const CONSUMER_FILES: Record<string, string> = {
  'use.cjs': `const mx = require('mxts');\nconsole.log('cjs', JSON.stringify(Array.from(${FORWARD}.data)));\n`,
  'use.mjs': `import * as mx from 'mxts';\nimport { createRequire } from 'node:module';\nconst fromRequire = createRequire(import.meta.url)('mxts');\nconsole.log('esm', JSON.stringify(Array.from(${FORWARD}.data)), 'same-instance=' + (fromRequire.NDArray === mx.NDArray));\n`,
  // The @ts-expect-error fails the check if the declarations were missing or `any`.
  'check.mts': "import * as mx from 'mxts';\nconst x: mx.NDArray = mx.nd.ones([1, 3]);\nconst shape: mx.Shape = x.shape;\nconst exec: mx.Executor = mx.sym.Variable('x').bind(mx.cpu(), { x });\n// @ts-expect-error a shape is not a string\nconst wrong: string = x.shape;\nconsole.log(shape.length, exec.outputs.length, wrong);\n",
  'check.cts': "import mx = require('mxts');\nconst x: mx.NDArray = mx.nd.ones([1, 3]);\nconsole.log(x.shape.length, mx.random.seed);\n",
  // A Node project's own @types/node (the declarations use node:fs types for mx.nd.save/load).
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022'], types: ['node'], strict: true, noEmit: true }, include: ['*.mts', '*.cts'] }, null, 2),
};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mxts-package-'));
  // What a git clone holds of the package's inputs; node_modules is shared with the repository.
  const clone = join(work, 'clone');
  for (const entry of ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scripts/build_package.mjs']) {
    cpSync(join(root, entry), join(clone, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
  const report = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], clone)) as [{ filename: string; files: { path: string }[] }];
  packed = report[0].files.map((f) => f.path);
  const tarball = join(work, report[0].filename);

  project = join(work, 'consumer');
  mkdirSync(project);
  for (const [file, text] of Object.entries(CONSUMER_FILES)) writeFileSync(join(project, file), text);
  const lock = consumerLock(tarball) as { packages: { '': { dependencies: Record<string, string> } } };
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: lock.packages[''].dependencies }, null, 2));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lock, null, 2));
  run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], project);
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('npm pack ships the build, the sources its maps point to, README, LICENSE and package.json only', () => {
  const outside = packed.filter((p) => !p.startsWith('dist/') && !p.startsWith('src/'));
  expect(outside.sort()).toEqual(['LICENSE', 'README.md', 'package.json']);
  expect(packed).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/index.mjs', 'dist/index.d.mts', 'dist/index.js.map', 'src/index.ts']));
  expect(packed.filter((p) => p.startsWith('src/') && !p.endsWith('.ts'))).toEqual([]);
  // --dry-run (what `npm publish` would upload) lists the same files.
  const dry = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], join(work, 'clone'))) as [{ files: { path: string }[] }];
  expect(dry[0].files.map((f) => f.path).sort()).toEqual([...packed].sort());
  expect(readFileSync(join(project, 'node_modules', 'mxts', 'LICENSE'), 'utf8')).toContain('Apache License\n                           Version 2.0, January 2004');
});

test('CommonJS require and ESM import run a forward pass and share one module instance', () => {
  expect(run(process.execPath, ['use.cjs'], project).trim()).toBe('cjs [3,3]');
  expect(run(process.execPath, ['use.mjs'], project).trim()).toBe('esm [3,3] same-instance=true');
});

test('TypeScript (module nodenext, strict, Node libs only) type-checks an ESM and a CommonJS importer', () => {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  expect(() => run(process.execPath, [tsc, '-p', 'tsconfig.json'], project)).not.toThrow();
}, 120_000);

test('types resolve under node10, node16 (CJS and ESM) and bundler, in the format of the JavaScript Node loads', () => {
  const importer = join(project, 'index.ts');
  const host = ts.createCompilerHost({});
  const resolveTypes = (moduleResolution: ts.ModuleResolutionKind, mode: ts.ResolutionMode): string => {
    const options: ts.CompilerOptions = { moduleResolution, module: moduleResolution === ts.ModuleResolutionKind.Node16 ? ts.ModuleKind.Node16 : ts.ModuleKind.ESNext };
    const resolved = ts.resolveModuleName('mxts', importer, options, host, undefined, undefined, mode).resolvedModule;
    expect(resolved).toBeDefined();
    expect(resolved!.extension === ts.Extension.Dts || resolved!.extension === ts.Extension.Dmts).toBe(true);
    return relative(join(project, 'node_modules', 'mxts'), resolved!.resolvedFileName);
  };
  const requireTarget = relative(join(project, 'node_modules', 'mxts'), run(process.execPath, ['-p', "require.resolve('mxts')"], project).trim());
  const importTarget = run(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('mxts'))"], project).trim();
  const importFile = relative(join(project, 'node_modules', 'mxts'), new URL(importTarget).pathname);
  expect([requireTarget, importFile]).toEqual(['dist/index.js', 'dist/index.mjs']);

  // node10 reads "types"/"main"; Node loads dist/index.js, CommonJS, as .d.ts declares.
  expect(resolveTypes(ts.ModuleResolutionKind.Node10, undefined)).toBe('dist/index.d.ts');
  expect(resolveTypes(ts.ModuleResolutionKind.Node16, ts.ModuleKind.CommonJS)).toBe('dist/index.d.ts');
  expect(resolveTypes(ts.ModuleResolutionKind.Node16, ts.ModuleKind.ESNext)).toBe('dist/index.d.mts');
  expect(resolveTypes(ts.ModuleResolutionKind.Bundler, undefined)).toBe('dist/index.d.mts');
  // Declarations and JavaScript pair up by format: .d.ts (CommonJS, no "type": "module") with .js, .d.mts with .mjs.
  const installed = JSON.parse(readFileSync(join(project, 'node_modules', 'mxts', 'package.json'), 'utf8')) as { type?: string };
  expect(installed.type).toBeUndefined();

  // The ESM declarations export exactly the values the ESM entry exports (no missing or phantom names).
  const dmts = join(project, 'node_modules', 'mxts', 'dist', 'index.d.mts');
  const program = ts.createProgram([dmts], { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, types: [], skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(dmts)!)!;
  const target = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const valueNames = checker.getExportsOfModule(moduleSymbol).filter((s) => (target(s).flags & ts.SymbolFlags.Value) !== 0).map((s) => s.name);
  const runtimeNames = JSON.parse(run(process.execPath, ['--input-type=module', '-e', "console.log(JSON.stringify(Object.keys(await import('mxts'))))"], project)) as string[];
  expect(valueNames.sort()).toEqual(runtimeNames.sort());
}, 120_000);

test('every source map of the installed package resolves to a shipped source file', () => {
  const dist = join(project, 'node_modules', 'mxts', 'dist');
  const maps: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name.endsWith('.map')) maps.push(join(dir, entry.name));
    }
  };
  walk(dist);
  expect(maps.length).toBeGreaterThan(100);
  const missing = maps.flatMap((map) => {
    const { sources, sourceRoot } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[]; sourceRoot?: string };
    return sources.map((s) => resolve(dirname(map), sourceRoot ?? '', s)).filter((s) => !existsSync(s));
  });
  expect(missing).toEqual([]);
});

test('the repository has no dependency install script left unreviewed (npm ci stays quiet and never downloads)', () => {
  const out = run('npm', ['install-scripts', 'ls'], root);
  expect(out).not.toMatch(/not yet covered/);
  const allow = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> }).allowScripts;
  // onnxruntime-node's postinstall fetches GPU libraries from the network: it must never run.
  expect(allow['onnxruntime-node']).toBe(false);
});
