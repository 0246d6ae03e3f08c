/**
 * Shared harness of the fuzz suite: seeded runs (FUZZ_RUNS cases per target, FUZZ_SEED), a small
 * byte budget so no case can allocate much, and the properties every case must keep: only
 * MXNetErrors escape, each case ends within a time bound, and no prototype is touched.
 */
import fc from 'fast-check';
import * as mx from 'mxts';

/** Cases per target; the default keeps the whole suite under 30 s in CI. */
export const FUZZ_RUNS = Number(process.env['FUZZ_RUNS'] ?? 500);
export const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? 20261206);
/** Wall-clock bound of one case. */
export const CASE_TIME_MS = Number(process.env['FUZZ_CASE_MS'] ?? 3000);
/** Every fuzz case runs with this byte budget per array (1 MiB), so memory and time stay bounded. */
export const FUZZ_MAX_BYTES = 1 << 20;

/** Counters a campaign reports (docs/reliability.md). */
export interface CampaignStats {
  cases: number;
  accepted: number;
  refused: Map<string, number>;
  slowest: number;
}

export function newStats(): CampaignStats {
  return { cases: 0, accepted: 0, refused: new Map(), slowest: 0 };
}

const protoState = () =>
  [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype]
    .map((p) => Object.getOwnPropertyNames(p).sort().join(','))
    .join('|');

export function fuzzParams<T>(seedOffset: number): fc.Parameters<T> {
  return { numRuns: FUZZ_RUNS, seed: FUZZ_SEED + seedOffset, endOnFailure: true };
}

/**
 * Runs one case: it may succeed or throw an MXNetError, nothing else; it must end within
 * CASE_TIME_MS and leave every built-in prototype as it was.
 */
export function runCase(stats: CampaignStats, body: () => unknown): void {
  const before = protoState();
  const started = performance.now();
  try {
    body();
    stats.accepted++;
  } catch (err) {
    if (!(err instanceof mx.MXNetError)) {
      throw new Error(`an untyped error escaped: ${err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err)}`);
    }
    stats.refused.set(err.constructor.name, (stats.refused.get(err.constructor.name) ?? 0) + 1);
  } finally {
    stats.cases++;
  }
  const elapsed = performance.now() - started;
  stats.slowest = Math.max(stats.slowest, elapsed);
  if (elapsed > CASE_TIME_MS) throw new Error(`a case took ${Math.round(elapsed)} ms, more than ${CASE_TIME_MS} ms`);
  if (protoState() !== before) throw new Error('a built-in prototype was modified');
  if ((Object.prototype as Record<string, unknown>)['polluted'] !== undefined) throw new Error('Object.prototype was polluted');
}

/** One line per target, printed when FUZZ_REPORT is set (campaign figures for docs/reliability.md). */
export function report(target: string, stats: CampaignStats): void {
  if (!process.env['FUZZ_REPORT']) return;
  const refused = [...stats.refused].map(([name, n]) => `${name} ${n}`).join(', ');
  process.stdout.write(`fuzz ${target}: ${stats.cases} cases, ${stats.accepted} accepted, refused: ${refused || 'none'}; slowest ${Math.round(stats.slowest)} ms\n`);
}

/** Numbers as an attacker writes them: huge, negative, NaN, fractional, or strings. */
export const hostileNumber = fc.oneof(
  fc.integer({ min: -3, max: 8 }),
  fc.constantFrom(0, -1, 1e9, 2 ** 31, 2 ** 32 + 1, 2 ** 53, 1e300, 0.5, 2.5, NaN, Infinity, -Infinity, -0),
  fc.double(),
);

export const hostileNumberText = fc.oneof(
  hostileNumber.map(String),
  fc.constantFrom('1000000000', '1e9', '-1', 'NaN', 'inf', '1.5', '', ' ', 'abc', '0x10', '(3,3', '(3,3)', '[2, 2]', '(1000000, 1000000)', 'None', 'True', '__proto__'),
);

/** Object.prototype's property names, plus other names that trip up plain records. */
export const hostileName = fc.oneof(
  fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype), 'prototype', 'length', '0', ''),
  fc.string({ maxLength: 6 }),
);

export function withFuzzBudget(): void {
  beforeAll(() => mx.config.set({ maxBytes: FUZZ_MAX_BYTES }));
  afterAll(() => mx.config.reset());
}
