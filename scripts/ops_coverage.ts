/**
 * Compares the operator registry with MXNet 1.9.1's operator list and alias list
 * (../shared/reference/mxnet-1.9.1-ops.tsv and -op-aliases.tsv beside the repository; a clone
 * of the package alone has no such folder, and then this says so and succeeds).
 * Run: `npm run ops:coverage`. tests/scripts/ops_coverage.test.ts runs the same comparison.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AnyOpDef } from '../src/ops/types';
import { OUT_OF_SCOPE } from './mxnet_scope';

/**
 * `MXTS_REFERENCE_DIR` overrides the location (point it at a missing folder to see a fresh clone's
 * run); so does `MXTS_SHARED_DIR` (the interop tests' .../shared/mxnet-files), via its sibling `reference`.
 */
const sharedFilesDir = process.env['MXTS_SHARED_DIR'];
export const REFERENCE_DIR = process.env['MXTS_REFERENCE_DIR']
  ?? (sharedFilesDir !== undefined ? join(dirname(sharedFilesDir), 'reference') : resolve(__dirname, '..', '..', 'shared', 'reference'));
const OPS_FILE = 'mxnet-1.9.1-ops.tsv';
const ALIASES_FILE = 'mxnet-1.9.1-op-aliases.tsv';

export interface ReferenceOp {
  readonly name: string;
  readonly inScope: boolean;
  readonly whyNot: string;
}

export interface Reference {
  readonly ops: readonly ReferenceOp[];
  readonly aliases: readonly { readonly alias: string; readonly op: string }[];
}

/** A `random_pdf_` -> `_random_pdf_` row: MXNet's registration macro names a family of ops by prefix. */
export interface PrefixFamily {
  readonly aliasPrefix: string;
  readonly opPrefix: string;
  /** Registered canonical names starting with opPrefix. */
  readonly members: readonly string[];
  /**
   * Members whose name with aliasPrefix in place of opPrefix is not an alias of them: right for
   * ops MXNet registers outside the family's macro (`_sample_unique_zipfian`), worth a look otherwise.
   */
  readonly membersWithoutAlias: readonly string[];
}

export interface CoverageReport {
  readonly inScope: number;
  readonly covered: number;
  readonly missingOps: readonly string[];
  /** `alias -> op` rows whose alias is not registered, or names another op than `op`. */
  readonly missingAliases: readonly string[];
  readonly prefixFamilies: readonly PrefixFamily[];
  /** Out-of-scope `why_not` categories, each with its ops in the reference list. */
  readonly outOfScope: ReadonlyMap<string, readonly string[]>;
  /** Differences between the reference's out-of-scope lists and scripts/mxnet_scope.ts (which the docs print). */
  readonly scopeListDifferences: readonly string[];
}

function readTsv(path: string): string[][] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  return lines.slice(1).map((line) => line.split('\t'));
}

/** The reference lists, or null when the folder (or a file in it) is absent. */
export function readReference(dir: string = REFERENCE_DIR): Reference | null {
  const opsPath = join(dir, OPS_FILE);
  const aliasesPath = join(dir, ALIASES_FILE);
  if (!existsSync(opsPath) || !existsSync(aliasesPath)) return null;
  return {
    ops: readTsv(opsPath).map(([name, inScope, whyNot]) => ({ name: name!, inScope: inScope === 'yes', whyNot: whyNot ?? '' })),
    aliases: readTsv(aliasesPath).map(([alias, op]) => ({ alias: alias!, op: op! })),
  };
}

export function compareCoverage(reference: Reference, registered: ReadonlyMap<string, AnyOpDef>): CoverageReport {
  const inScope = reference.ops.filter((op) => op.inScope);
  const missingOps = inScope.filter((op) => !registered.has(op.name)).map((op) => op.name);

  const missingAliases: string[] = [];
  const prefixFamilies: PrefixFamily[] = [];
  const canonical = [...new Set([...registered.values()].map((def) => def.name))];
  for (const { alias, op } of reference.aliases) {
    if (alias.endsWith('_')) {
      const members = canonical.filter((name) => name.startsWith(op)).sort();
      const membersWithoutAlias = members.filter((name) => registered.get(alias + name.slice(op.length))?.name !== name);
      prefixFamilies.push({ aliasPrefix: alias, opPrefix: op, members, membersWithoutAlias });
      continue;
    }
    const def = registered.get(alias);
    if (!def) missingAliases.push(`${alias} -> ${op}`);
    else if (registered.has(op) && registered.get(op) !== def) missingAliases.push(`${alias} -> ${op} (registered as an alias of ${def.name} instead)`);
  }

  const outOfScope = new Map<string, string[]>();
  for (const op of reference.ops.filter((o) => !o.inScope)) {
    const list = outOfScope.get(op.whyNot) ?? [];
    list.push(op.name);
    outOfScope.set(op.whyNot, list);
  }
  const scopeListDifferences: string[] = [];
  const documented = new Map(OUT_OF_SCOPE.map((c) => [c.category, c.ops]));
  for (const [category, ops] of outOfScope) {
    const listed = documented.get(category);
    if (!listed) scopeListDifferences.push(`category '${category}' is not in scripts/mxnet_scope.ts`);
    else {
      for (const name of ops.filter((n) => !listed.includes(n))) scopeListDifferences.push(`${name} ('${category}') is not listed in scripts/mxnet_scope.ts`);
      for (const name of listed.filter((n) => !ops.includes(n))) scopeListDifferences.push(`${name} is listed under '${category}' in scripts/mxnet_scope.ts but not in the reference`);
    }
  }
  for (const category of documented.keys()) {
    if (!outOfScope.has(category)) scopeListDifferences.push(`category '${category}' in scripts/mxnet_scope.ts is not in the reference`);
  }

  return {
    inScope: inScope.length,
    covered: inScope.length - missingOps.length,
    missingOps,
    missingAliases,
    prefixFamilies,
    outOfScope,
    scopeListDifferences,
  };
}

export function formatCoverage(report: CoverageReport): string {
  const lines = [`covered ${report.covered} of ${report.inScope}`];
  if (report.missingOps.length > 0) lines.push(`missing ops (${report.missingOps.length}):`, ...report.missingOps.map((n) => `  ${n}`));
  if (report.missingAliases.length > 0) lines.push(`missing aliases (${report.missingAliases.length}):`, ...report.missingAliases.map((a) => `  ${a}`));
  lines.push('prefix families (alias rows ending in "_": name prefixes from MXNet registration macros):');
  for (const family of report.prefixFamilies) {
    const state = family.members.length === 0 ? `MISSING: no registered name starts with ${family.opPrefix}` : `${family.members.length} ops`;
    lines.push(`  ${family.aliasPrefix}* -> ${family.opPrefix}*: ${state}`);
    if (family.membersWithoutAlias.length > 0) {
      // Not an error by itself: MXNet adds the alias only to the ops its macro registers.
      lines.push(`    no ${family.aliasPrefix} alias (right only for ops registered outside MXNet's macro): ${family.membersWithoutAlias.join(', ')}`);
    }
  }
  lines.push('out of scope:');
  for (const [category, ops] of report.outOfScope) lines.push(`  ${category}: ${ops.length}`);
  if (report.scopeListDifferences.length > 0) lines.push('scripts/mxnet_scope.ts differs from the reference:', ...report.scopeListDifferences.map((d) => `  ${d}`));
  return lines.join('\n');
}

async function main(): Promise<void> {
  const reference = readReference();
  if (!reference) {
    console.log(`ops:coverage: the MXNet reference lists are not at ${REFERENCE_DIR} (only the development checkout has them); nothing to compare.`);
    return;
  }
  await import('../src/ops/all');
  const { registeredNames } = await import('../src/ops/registry');
  console.log(formatCoverage(compareCoverage(reference, registeredNames())));
}

if (require.main === module) void main();
