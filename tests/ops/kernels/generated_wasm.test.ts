/**
 * src/backend/wasm/generated/ holds exactly what `npm run build:wasm` writes from the .wat sources
 * (every module and its shared- and imported-memory variants, byte for byte), so a .wat edited
 * without rebuilding, a stale or a stray generated file fails CI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DIR, generatedModules } from '../../../scripts/build_wasm';

test('every generated module is the current compilation of its .wat source, and nothing else is there', async () => {
  const modules = await generatedModules();
  expect(readdirSync(GENERATED_DIR).sort()).toEqual(modules.map((m) => m.file).sort());
  for (const { file, text } of modules) {
    if (readFileSync(join(GENERATED_DIR, file), 'utf8') !== text) throw new Error(`${file} is out of date: run npm run build:wasm`);
  }
});
