/**
 * The real MXNet files in ../shared/mxnet-files (never copied into the project). Test files call
 * `describeSharedFiles`: when the folder is present it registers the file tests; when it is
 * absent it registers one test that checks and reports the absence (no skipped tests).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** `MXTS_SHARED_DIR` overrides the location (set it to a missing folder to see a fresh clone's run). */
export const SHARED_DIR = process.env['MXTS_SHARED_DIR'] ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'mxnet-files');
export const SYMBOLS_DIR = path.join(SHARED_DIR, 'symbols');
export const PARAMS_DIR = path.join(SHARED_DIR, 'params');

export const sharedFilesPresent = fs.existsSync(SYMBOLS_DIR) && fs.existsSync(PARAMS_DIR);

export function describeSharedFiles(title: string, register: () => void): void {
  describe(title, () => {
    if (sharedFilesPresent) {
      register();
      return;
    }
    test('the shared MXNet files are absent, so the real-file tests are not registered', () => {
      console.log(`${title}: ${SHARED_DIR} is absent; real-file tests not run (a fresh clone has no shared folder).`);
      expect(sharedFilesPresent).toBe(false);
    });
  });
}

export function symbolFiles(): string[] {
  return fs.readdirSync(SYMBOLS_DIR).filter((f) => f.endsWith('-symbol.json')).sort();
}

export function paramsFiles(): string[] {
  return fs.readdirSync(PARAMS_DIR).sort();
}

export function readSymbolText(file: string): string {
  return fs.readFileSync(path.join(SYMBOLS_DIR, file), 'utf8');
}

export function readParamsBytes(file: string): Uint8Array {
  const buffer = fs.readFileSync(path.join(PARAMS_DIR, file));
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).slice();
}
