/**
 * Bundles the browser page with esbuild into examples/browser/dist/ (index.html + main.js, one
 * classic script, so the page also opens from a file:// address). `npm run example:browser`.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSync } from 'esbuild';

/** Writes the page into `outdir` and returns the path of its index.html. */
export function buildBrowserExample(outdir = join(__dirname, 'dist')): string {
  mkdirSync(outdir, { recursive: true });
  buildSync({
    entryPoints: [join(__dirname, 'main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    outfile: join(outdir, 'main.js'),
    alias: { mxts: join(__dirname, '..', '..', 'src', 'index.ts') },
    logLevel: 'warning',
  });
  copyFileSync(join(__dirname, 'index.html'), join(outdir, 'index.html'));
  return join(outdir, 'index.html');
}

if (process.argv[1]?.endsWith('build.ts')) {
  const page = buildBrowserExample();
  console.log(`built ${relative(process.cwd(), page)}: open it in a browser (file:// works)`);
}
