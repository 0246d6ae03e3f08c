/**
 * `npm run ops:coverage` (scripts/ops_coverage.ts): the registry against MXNet 1.9.1's operator
 * and alias lists in ../shared/reference. Without that folder (a fresh clone) the real-list tests
 * are replaced by one test that checks and reports the absence; the comparison itself is also
 * tested on a small made-up reference, which needs no shared folder.
 */
import '../../src/ops/all';
import { getOp, registeredNames } from '../../src/ops/registry';
import type { AnyOpDef } from '../../src/ops/types';
import { IN_SCOPE_COUNT } from '../../scripts/mxnet_scope';
import { compareCoverage, formatCoverage, readReference, REFERENCE_DIR, type Reference } from '../../scripts/ops_coverage';

const reference = readReference();

describe('ops:coverage against the MXNet 1.9.1 reference lists', () => {
  if (!reference) {
    test('the reference lists are absent, so the coverage tests are not registered', () => {
      console.log(`ops:coverage: ${REFERENCE_DIR} is absent; coverage not checked (a fresh clone has no shared folder).`);
      expect(readReference()).toBeNull();
    });
    return;
  }
  const report = compareCoverage(reference, registeredNames());

  test(`every in-scope operator is registered under its MXNet name (covered ${IN_SCOPE_COUNT} of ${IN_SCOPE_COUNT}, as docs/operators.md says)`, () => {
    expect(report.missingOps).toEqual([]);
    expect(report.inScope).toBe(IN_SCOPE_COUNT);
    expect(report.covered).toBe(IN_SCOPE_COUNT);
    expect(formatCoverage(report).split('\n')[0]).toBe(`covered ${IN_SCOPE_COUNT} of ${IN_SCOPE_COUNT}`);
  });

  test('every alias row names its op', () => {
    expect(report.missingAliases).toEqual([]);
  });

  test('each prefix family (random_pdf_, sample_) has registered members; every _random_pdf_X has its random_pdf_X alias', () => {
    expect(report.prefixFamilies.map((f) => f.aliasPrefix).sort()).toEqual(['random_pdf_', 'sample_']);
    for (const family of report.prefixFamilies) expect(family.members.length).toBeGreaterThan(0);
    const pdf = report.prefixFamilies.find((f) => f.opPrefix === '_random_pdf_')!;
    expect(pdf.members).toHaveLength(8);
    expect(pdf.membersWithoutAlias).toEqual([]);
  });

  test("the out-of-scope lists docs/operators.md prints (scripts/mxnet_scope.ts) are the reference's", () => {
    expect(report.scopeListDifferences).toEqual([]);
  });
});

describe('compareCoverage on a made-up reference', () => {
  const fake: Reference = {
    ops: [
      { name: 'relu', inScope: true, whyNot: '' },
      { name: 'no_such_op', inScope: true, whyNot: '' },
      { name: 'sgd_update', inScope: false, whyNot: 'optimizer kernel: mx.optimizer covers it' },
      { name: 'made_up_kernel', inScope: false, whyNot: 'a category nobody listed' },
    ],
    aliases: [
      { alias: 'stop_gradient', op: 'BlockGrad' },
      { alias: 'no_such_alias', op: 'relu' },
      { alias: 'Softmax', op: 'relu' },
      { alias: 'random_pdf_', op: '_random_pdf_' },
      { alias: 'nothing_', op: '_nothing_here_' },
    ],
  };
  const report = compareCoverage(fake, registeredNames());

  test('counts covered ops and lists the missing ones', () => {
    expect([report.covered, report.inScope, report.missingOps]).toEqual([1, 2, ['no_such_op']]);
    expect(formatCoverage(report)).toMatch(/^covered 1 of 2\nmissing ops \(1\):\n {2}no_such_op\n/);
  });

  test('an alias that is absent, or registered for another op, is missing', () => {
    expect(report.missingAliases).toEqual(['no_such_alias -> relu', 'Softmax -> relu (registered as an alias of SoftmaxOutput instead)']);
  });

  test('a prefix family with no registered member is reported as missing', () => {
    const [pdf, nothing] = report.prefixFamilies;
    expect(pdf!.members).toContain('_random_pdf_dirichlet');
    expect(nothing!.members).toEqual([]);
    expect(formatCoverage(report)).toContain('nothing_* -> _nothing_here_*: MISSING: no registered name starts with _nothing_here_');
  });

  test('a family member without its alias is listed', () => {
    const registry = new Map<string, AnyOpDef>(registeredNames());
    registry.delete('random_pdf_gamma');
    const family = compareCoverage(fake, registry).prefixFamilies[0]!;
    expect(family.membersWithoutAlias).toEqual(['_random_pdf_gamma']);
    expect(getOp('random_pdf_gamma')).toBe(getOp('_random_pdf_gamma'));
  });

  test('out-of-scope categories are grouped, and ones scripts/mxnet_scope.ts does not know are flagged', () => {
    expect([...report.outOfScope]).toEqual([
      ['optimizer kernel: mx.optimizer covers it', ['sgd_update']],
      ['a category nobody listed', ['made_up_kernel']],
    ]);
    expect(report.scopeListDifferences).toContain("category 'a category nobody listed' is not in scripts/mxnet_scope.ts");
    expect(report.scopeListDifferences).toContain("adam_update is listed under 'optimizer kernel: mx.optimizer covers it' in scripts/mxnet_scope.ts but not in the reference");
  });
});
