/**
 * Headless Chromium for the browser tests, through playwright-core and the system's Chromium
 * (Debian's `apt-get install -y chromium` puts it at /usr/bin/chromium; `MXTS_CHROMIUM` overrides).
 * `describeWithChromium` registers the tests when Chromium is there. When it is not: with
 * `MXTS_BROWSER_TESTS=1` one failing test says so (CI must not pass without them); otherwise one
 * test prints why the browser tests did not run and checks that Chromium is indeed absent.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, Page, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env['MXTS_CHROMIUM'] ?? '/usr/bin/chromium';
export const chromiumPresent = existsSync(CHROMIUM_PATH);
const required = process.env['MXTS_BROWSER_TESTS'] === '1';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--allow-file-access-from-files'];

/** Registers `register`'s tests with a fresh page per test (a new profile per file). */
export function describeWithChromium(title: string, register: (page: () => Page) => void): void {
  describe(title, () => {
    if (!chromiumPresent) {
      const reason = `${title}: no Chromium at ${CHROMIUM_PATH} (install it with \`apt-get install -y chromium\`, or set MXTS_CHROMIUM)`;
      if (required) {
        test('Chromium is required by MXTS_BROWSER_TESTS=1', () => {
          throw new Error(`${reason}; MXTS_BROWSER_TESTS=1 requires the browser tests`);
        });
      } else {
        test('Chromium is absent, so the browser tests are not registered', () => {
          console.log(`${reason}; browser tests not run (set MXTS_BROWSER_TESTS=1 to make this a failure)`);
          expect(chromiumPresent).toBe(false);
        });
      }
      return;
    }
    let profile = '';
    let context: BrowserContext | undefined;
    let current: Page | undefined;
    beforeAll(async () => {
      profile = mkdtempSync(join(tmpdir(), 'mxts-chromium-'));
      context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
    }, 60_000);
    afterAll(async () => {
      await context?.close();
      rmSync(profile, { recursive: true, force: true });
    }, 60_000);
    beforeEach(async () => {
      current = await context!.newPage();
      current.on('pageerror', (error) => console.log(`page error: ${error.message}`));
    });
    afterEach(async () => {
      await current?.close();
    });
    register(() => current!);
  });
}
