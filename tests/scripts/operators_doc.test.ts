/**
 * docs/operators.md is generated (scripts/gen_operators_doc.ts): it must equal the generator's
 * output, so a registry change without `npm run docs:operators` fails here. Also checks what the
 * page holds and how parameter kinds are read from the schemas.
 */
import { readFileSync } from 'node:fs';
import { registeredNames } from '../../src/ops/registry';
import { bool, enumOf, float, int, intTuple, optional, string } from '../../src/ops/params';
import { DOC_PATH, generateOperatorsDoc, paramKind } from '../../scripts/gen_operators_doc';
import { OUT_OF_SCOPE } from '../../scripts/mxnet_scope';

const generated = generateOperatorsDoc();

describe('docs/operators.md', () => {
  test('is current: it equals the generator output (run `npm run docs:operators` after changing an op)', () => {
    expect(readFileSync(DOC_PATH, 'utf8')).toBe(generated);
  });

  test('has a section for every registered operator, and every alias is listed', () => {
    const defs = new Set(registeredNames().values());
    for (const def of defs) expect(generated).toContain(`### \`${def.name}\`\n`);
    expect(generated.match(/^### /gm)).toHaveLength(defs.size);
    for (const [name, def] of registeredNames()) if (name !== def.name) expect(generated).toMatch(new RegExp(`- Aliases: .*\`${name}\``));
    expect(generated).toContain(`| Operators | ${defs.size} |`);
  });

  test('groups ops by source folder and documents inputs, outputs, gradient, parameters and doc text', () => {
    const section = generated.slice(generated.indexOf('### `_random_pdf_normal`'));
    const body = section.slice(0, section.indexOf('\n### '));
    expect(generated.lastIndexOf('## Random sampling and densities', generated.indexOf('### `_random_pdf_normal`'))).toBeGreaterThan(0);
    expect(body).toContain('- Aliases: `random_pdf_normal`');
    expect(body).toContain('- Inputs: `sample`, `mu`, `sigma`');
    expect(body).toContain('- Outputs: `output`');
    expect(body).toContain('- Gradient: yes');
    expect(body).toContain('| `is_log` | boolean | `false` |');
    expect(body).toContain('exp(-(x - mu)^2 / (2 sigma^2))');
    expect(generated).toMatch(/### `BatchNorm`[^#]*`moving_mean` \(auxiliary state\)/);
    expect(generated).toMatch(/### `Concat`[^#]*- Inputs: `arg0`, `arg1`, … \(`num_args` inputs\)/);
    expect(generated).toMatch(/### `_zeros`[^#]*- Inputs: none[^#]*- Gradient: no/);
  });

  test('lists what is left out: no in-scope op, and every out-of-scope category with its reason', () => {
    expect(generated).toContain('In-scope MXNet 1.9.1 operators left out: none.');
    for (const category of OUT_OF_SCOPE) expect(generated).toContain(`| ${category.category} | ${category.ops.length} | ${category.reason} |`);
    expect(generated).toContain('optimizer kernel: mx.optimizer covers it');
  });
});

describe('paramKind reads a kind from a ParamSpec', () => {
  test.each([
    ['boolean', bool({ doc: '', default: false })],
    ['int', int({ doc: '', default: 1, min: 1 })],
    ['int', int({ doc: '' })],
    ['float', float({ doc: '', default: 0.5, max: 1 })],
    ["one of 'max', 'avg'", enumOf({ doc: '', values: ['max', 'avg'], default: 'max' })],
    ['int tuple', intTuple({ doc: '', default: [] })],
    ['int or None', optional(int({ doc: '' }))],
    ['int tuple or None', optional(intTuple({ doc: '' }))],
    ['string', string({ doc: '', default: '' })],
  ])('%s', (kind, spec) => {
    expect(paramKind(spec)).toBe(kind);
  });
});
