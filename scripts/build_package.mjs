// Builds dist/ for the npm package (`npm run build`; `prepare` runs it on `npm ci`, `npm pack` and
// installs from a git clone or a path). Plain JavaScript so it runs before anything is compiled.
//
// 1. Empties dist/ so no file of an earlier layout is packed.
// 2. Compiles src/ to CommonJS with declarations and source maps (tsconfig.build.json); compiler
//    messages go to stderr.
// 3. Writes the ES module entry dist/index.mjs and its types dist/index.d.mts. The entry re-exports
//    the CommonJS build by name instead of being a second build, so `import` and `require` in one
//    program share one module instance (one backend choice, one random state, one op registry).
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);

rmSync(dist, { recursive: true, force: true });

const tsc = require.resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: ['ignore', 2, 2] });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

const names = Object.keys(require(join(dist, 'index.js'))).filter((name) => name !== '__esModule' && name !== 'default');
const header = '// Written by scripts/build_package.mjs: the ES module entry of mxts re-exports its CommonJS build.\n';
const entry = [
  header,
  "import mx from './index.js';\n\n",
  ...names.map((name) => `export const ${name} = mx.${name};\n`),
].join('');
writeFileSync(join(dist, 'index.mjs'), entry);
writeFileSync(join(dist, 'index.d.mts'), `${header}export * from './index.js';\n`);
// stderr, so `npm pack --json` keeps stdout for its JSON.
console.error(`dist/ built: CommonJS entry dist/index.js, ES module entry dist/index.mjs (${names.length} names)`);
