/**
 * Writes docs/operators.md from the operator registry: every op by family (the src/ops folder
 * its definition comes from), with aliases, inputs, outputs, gradient, parameters and its doc.
 * Run: `npm run docs:operators`. tests/scripts/operators_doc.test.ts fails when the file is stale.
 * Uses nothing outside the repository (users read the result).
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import '../src/ops/all';
import type { ParamSpec } from '../src/ops/params';
import { registeredNames } from '../src/ops/registry';
import type { AnyOpDef } from '../src/ops/types';
import { paramShape } from './gen_op_types';
import { IN_SCOPE_COUNT, MXNET_VERSION, OUT_OF_SCOPE } from './mxnet_scope';

export const OPS_DIR = join(__dirname, '..', 'src', 'ops');
export const DOC_PATH = join(__dirname, '..', 'docs', 'operators.md');

const FAMILY_TITLES: Readonly<Record<string, string>> = {
  contrib: 'Contrib misc and v1 layers',
  elemwise: 'Element-wise math and logic',
  image: 'Image transforms',
  layers: 'Normalization, sequence and loss layers',
  linalg: 'Linear algebra',
  loss: 'Output heads (losses)',
  nn: 'Neural network layers',
  ordering: 'Indexing, ordering and reductions',
  random: 'Random sampling and densities',
  rnn: 'Recurrent layers',
  shape: 'Shape, indexing and creation',
  spatial: 'Spatial and detection',
  tensor: 'Tensor basics',
  vision: 'Spatial transformers and contrib vision',
};

const isOpDef = (value: unknown): value is AnyOpDef =>
  typeof value === 'object' && value !== null && typeof (value as AnyOpDef).name === 'string'
  && typeof (value as AnyOpDef).inputs === 'function' && typeof (value as AnyOpDef).forward === 'function';

/** Each definition's family: the src/ops folder of a module that exports it (alone or in a list). */
function familiesByDefinition(): Map<AnyOpDef, string> {
  const family = new Map<AnyOpDef, string>();
  for (const folder of readdirSync(OPS_DIR).sort()) {
    const dir = join(OPS_DIR, folder);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
      // The modules are already loaded (src/ops/all registered them): this only reads their exports.
      const exports = require(join(dir, file)) as Record<string, unknown>;
      for (const value of Object.values(exports)) {
        for (const item of Array.isArray(value) ? value : [value]) if (isOpDef(item) && !family.has(item)) family.set(item, folder);
      }
    }
  }
  return family;
}

/** A name prefix (`_contrib_`, `_linalg_`) for a definition no folder exports. */
const prefixFamily = (name: string) => /^_?[a-z]+_/.exec(name)?.[0] ?? 'other';

type Attempt = { readonly value: unknown } | { readonly error: { readonly message: string; readonly expected?: unknown } };

function attempt(spec: ParamSpec, raw: unknown): Attempt {
  try {
    return { value: spec.parse(raw, { op: 'docs', argument: 'probe' }) };
  } catch (error) {
    return { error: error as { message: string; expected?: unknown } };
  }
}

/** int or float, from how the spec reads fractional numbers (a range may refuse some of them). */
function numberKind(spec: ParamSpec, candidates: readonly unknown[]): string | null {
  for (const raw of candidates) {
    const result = attempt(spec, raw);
    if ('value' in result) return 'float';
    if (/integer/.test(result.error.message)) return 'int';
  }
  return null;
}

/**
 * A parameter's kind. A ParamSpec holds only doc, default and parse, so the kind is read from the
 * default's type and from how parse answers a few probe values (enum errors list their values).
 */
export function paramKind(spec: ParamSpec): string {
  const none = attempt(spec, 'None');
  const orNone = 'value' in none && none.value === null ? ' or None' : '';
  const odd = attempt(spec, '\u0001');
  if ('error' in odd && Array.isArray(odd.error.expected)) return `one of ${odd.error.expected.map((v) => `'${String(v)}'`).join(', ')}${orNone}`;
  if ('value' in odd && typeof odd.value === 'string') return `string${orNone}`;
  const yes = attempt(spec, 'True');
  const no = attempt(spec, 'False');
  if ('value' in yes && yes.value === true && 'value' in no && no.value === false) return `boolean${orNone}`;
  for (const length of [2, 3, 4]) {
    const tuple = attempt(spec, `(${Array.from({ length }, (_, i) => i + 1).join(', ')})`);
    if (!('value' in tuple && Array.isArray(tuple.value))) continue;
    const fractional = attempt(spec, Array.from({ length }, (_, i) => i + 1.5));
    const ints = 'error' in fractional && /integer/.test(fractional.error.message);
    return `${ints ? 'int' : 'float'} tuple${orNone}`;
  }
  const d = spec.default;
  const numberCandidates = typeof d === 'number' ? [d + 0.5, d - 0.5] : [1.5, 2.5, 0.5, -0.5, 100.5];
  const kind = numberKind(spec, numberCandidates);
  if (kind) return `${kind}${orNone}`;
  return `${d === null || d === undefined ? 'value' : Array.isArray(d) ? 'tuple' : typeof d}${orNone}`;
}

function formatValue(value: unknown): string {
  if (value === undefined) return 'required';
  if (value === null) return '`None`';
  if (typeof value === 'string') return `\`'${value}'\``;
  if (Array.isArray(value)) return `\`[${value.join(', ')}]\``;
  return `\`${String(value)}\``;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const code = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');

/** Input names for the default parameters (a variadic op shown with two inputs), aux states marked. */
function describeInputs(def: AnyOpDef, params: Record<string, unknown>): string {
  try {
    if (def.variadicParam) return `${code(def.inputs({ ...params, [def.variadicParam]: 2 }))}, … (\`${def.variadicParam}\` inputs)`;
    const names = def.inputs(params);
    const numAux = def.numAux?.(params) ?? 0;
    if (names.length === 0) return 'none';
    return names.map((n, i) => (i >= names.length - numAux ? `\`${n}\` (auxiliary state)` : `\`${n}\``)).join(', ');
  } catch {
    return 'depend on the parameters';
  }
}

function describeOutputs(def: AnyOpDef, params: Record<string, unknown>): string {
  try {
    const names = def.outputs(params);
    return code(names.slice(0, def.numVisibleOutputs?.(params) ?? names.length));
  } catch {
    return 'depend on the parameters';
  }
}

function opSection(def: AnyOpDef): string[] {
  const defaults: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(def.params)) defaults[name] = spec.default;
  const lines = [
    `### \`${def.name}\``,
    '',
    `- Aliases: ${def.aliases?.length ? code(def.aliases) : 'none'}`,
    `- Inputs: ${describeInputs(def, defaults)}`,
    `- Outputs: ${describeOutputs(def, defaults)}`,
    `- Gradient: ${def.backward ? 'yes' : 'no'}`,
    '',
  ];
  const params = Object.entries(def.params);
  if (params.length > 0) {
    lines.push('| Parameter | Kind | Default | TypeScript | Description |', '|---|---|---|---|---|');
    for (const [name, spec] of params) {
      lines.push(`| \`${name}\` | ${cell(paramKind(spec))} | ${cell(formatValue(spec.default))} | ${cell(`\`${paramShape(spec).type}\``)} | ${cell(spec.doc)} |`);
    }
    lines.push('');
  } else {
    lines.push('No parameters.', '');
  }
  lines.push('```text', def.doc.trim(), '```', '');
  return lines;
}

const anchor = (title: string) => title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');

/** The whole of docs/operators.md. */
export function generateOperatorsDoc(): string {
  const definitions = [...new Set(registeredNames().values())];
  const folders = familiesByDefinition();
  const families = new Map<string, AnyOpDef[]>();
  for (const def of definitions) {
    const folder = folders.get(def);
    const title = folder ? (FAMILY_TITLES[folder] ?? folder) : `Other (${prefixFamily(def.name)}*)`;
    families.set(title, [...(families.get(title) ?? []), def]);
  }
  const ordered = [...families.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, defs] of ordered) defs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const names = registeredNames().size;
  const withGradient = definitions.filter((d) => d.backward).length;
  const lines = [
    '# Operators',
    '',
    '<!-- Generated by scripts/gen_operators_doc.ts: do not edit; run `npm run docs:operators`. -->',
    '',
    `Every operator mxts registers, by family, with its MXNet ${MXNET_VERSION} name (the \`op\` written in symbol JSON),`,
    'aliases, inputs, outputs, gradient, parameters and the rules it follows, including where it departs from MXNet.',
    'Inputs and outputs are those of the default parameters; some ops take or give others with other settings',
    '(`no_bias`, `num_args`, `num_outputs`...). Every name is callable as `mx.nd.<name>` and `mx.sym.<name>`,',
    'with the parameters typed as the TypeScript column says (`mx.OpParams<\'<name>\'>`; see docs/typed_params.md).',
    '',
    '| | Count |',
    '|---|---|',
    `| Operators | ${definitions.length} |`,
    `| Names, aliases included | ${names} |`,
    `| Operators with a gradient | ${withGradient} |`,
    `| MXNet ${MXNET_VERSION} operators in scope | ${IN_SCOPE_COUNT}, all registered (\`npm run ops:coverage\` checks it) |`,
    `| MXNet ${MXNET_VERSION} operators out of scope | ${OUT_OF_SCOPE.reduce((n, c) => n + c.ops.length, 0)} (below) |`,
    '',
    '| Family | Operators | With gradient |',
    '|---|---|---|',
    ...ordered.map(([title, defs]) => `| [${title}](#${anchor(title)}) | ${defs.length} | ${defs.filter((d) => d.backward).length} |`),
    '',
    '## Operators left out',
    '',
    `In-scope MXNet ${MXNET_VERSION} operators left out: none. These MXNet operators are outside mxts's scope:`,
    '',
    '| What | Count | Why | Operators |',
    '|---|---|---|---|',
    ...OUT_OF_SCOPE.map((c) => `| ${cell(c.category)} | ${c.ops.length} | ${cell(c.reason)} | ${code(c.ops)} |`),
    '',
  ];
  for (const [title, defs] of ordered) {
    lines.push(`## ${title}`, '');
    for (const def of defs) lines.push(...opSection(def));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

if (require.main === module) {
  writeFileSync(DOC_PATH, generateOperatorsDoc());
  console.log(`wrote ${DOC_PATH}`);
}
