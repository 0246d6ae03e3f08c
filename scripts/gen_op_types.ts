/**
 * Writes src/ops/generated/op_types.ts from the operator registry: for every op a parameter
 * interface (MXNet's names; optional where the schema has a default) and, for every name the
 * front ends expose, its signature (parameters, input names, whether a parameter is required,
 * whether the mx.nd result is a list). src/ops/op_call_types.ts turns these into the types of
 * `mx.sym.X` / `mx.nd.X`.
 * Run: `npm run gen:op-types`. tests/scripts/op_types.test.ts fails when the file is stale.
 *
 * A ParamSpec holds only doc, default and parse, so each parameter's type is read from how parse
 * answers probe values (as gen_operators_doc.ts reads its kinds); a spec no probe explains is an
 * error here rather than a silent `unknown`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import '../src/ops/all';
import { MULTI_OUTPUT_OPS, SINGLE_OUTPUT_OPS } from '../src/ops/op_names';
import type { ParamSpec } from '../src/ops/params';
import { getOp } from '../src/ops/registry';
import type { AnyOpDef } from '../src/ops/types';

export const OP_TYPES_PATH = join(__dirname, '..', 'src', 'ops', 'generated', 'op_types.ts');

type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string; readonly expected?: unknown };

function tryParse(spec: ParamSpec, raw: unknown): Parsed {
  try {
    return { ok: true, value: spec.parse(raw, { op: 'gen_op_types', argument: 'probe' }) };
  } catch (error) {
    const { message, expected } = error as { message: string; expected?: unknown };
    return { ok: false, message, expected };
  }
}

const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const union = (names: readonly string[]) => (names.length ? names.map(quote).join(' | ') : 'never');

/** What kind of value a spec reads, with a value it accepts (to probe input names with). */
interface ParamShape {
  readonly type: string;
  readonly sample: unknown;
}

function tupleShape(spec: ParamSpec): ParamShape | null {
  for (const sample of [[1, 1], [1, 2, 3], [1], [1, 1, 1, 1], [0, 1]]) {
    const parsed = tryParse(spec, sample);
    if (!parsed.ok || !Array.isArray(parsed.value)) continue;
    if (tryParse(spec, [1, null]).ok || tryParse(spec, [null, 1]).ok) return { type: 'OptionalIntTupleParam', sample };
    const fractional = tryParse(spec, sample.map((v) => v + 0.5));
    const ints = !fractional.ok && /integer/.test(fractional.message);
    if (tryParse(spec, sample[0]).ok) return { type: ints ? 'IntTupleParam' : 'FloatTupleParam', sample };
    return { type: 'readonly number[] | string', sample };
  }
  return null;
}

function numberShape(spec: ParamSpec): ParamShape | null {
  const d = spec.default;
  const candidates = [...(typeof d === 'number' ? [d] : []), 1, 2, 0, 3, 10, 0.5, -1];
  const sample = candidates.find((c) => tryParse(spec, c).ok);
  if (sample === undefined) return null;
  const fractional = tryParse(spec, sample + 0.5);
  const ints = !fractional.ok && /integer/.test(fractional.message);
  return { type: ints ? 'IntParam' : 'FloatParam', sample };
}

/** The TypeScript type a front-end call may pass for this parameter (JSON's string forms included). */
export function paramShape(spec: ParamSpec): ParamShape {
  const nullable = tryParse(spec, null).ok;
  const withNull = (shape: ParamShape): ParamShape => (nullable ? { ...shape, type: `${shape.type} | null` } : shape);
  const odd = tryParse(spec, '\u0001');
  if (!odd.ok && Array.isArray(odd.expected) && odd.expected.length > 0 && odd.expected.every((v) => typeof v === 'string')) {
    const values = odd.expected as string[];
    const none = !values.includes('None') && tryParse(spec, 'None').ok ? ["'None'"] : [];
    return withNull({ type: [...values.map(quote), ...none].join(' | '), sample: values[0] });
  }
  if (odd.ok && typeof odd.value === 'string') return withNull({ type: 'string', sample: '' });
  const yes = tryParse(spec, 'True');
  const no = tryParse(spec, 'False');
  if (yes.ok && yes.value === true && no.ok && no.value === false) return withNull({ type: 'BoolParam', sample: false });
  const shape = tupleShape(spec) ?? numberShape(spec);
  if (shape) return withNull(shape);
  throw new Error(`gen_op_types: no probe explains the parameter spec '${spec.doc}'; teach paramShape its kind`);
}

/** A sample parameter set: defaults, and an accepted value where there is none. */
function sampleParams(def: AnyOpDef): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(def.params)) params[name] = spec.default !== undefined ? spec.default : paramShape(spec).sample;
  return params;
}

/** Parameter sets to ask `inputs` about: the sample, and each boolean flipped / each enum value. */
function inputVariants(def: AnyOpDef): Record<string, unknown>[] {
  const base = sampleParams(def);
  const variants = [base];
  for (const [name, spec] of Object.entries(def.params)) {
    const odd = tryParse(spec, '\u0001');
    if (!odd.ok && Array.isArray(odd.expected)) for (const value of odd.expected) variants.push({ ...base, [name]: value });
    if (typeof base[name] === 'boolean') variants.push({ ...base, [name]: !base[name] });
  }
  return variants;
}

/**
 * The type of the input names some parameter setting gives the op. Variadic ops name theirs
 * `arg0`, `arg1`... (UpSampling's bilinear mode has `data` and `weight` instead).
 */
function inputsType(def: AnyOpDef): string {
  const lists: (readonly string[])[] = [];
  for (const params of inputVariants(def)) {
    try {
      lists.push(def.inputs(def.variadicParam === undefined ? params : { ...params, [def.variadicParam]: 2 }));
    } catch {
      // a combination the op refuses tells nothing about its inputs
    }
  }
  if (lists.length === 0) throw new Error(`gen_op_types: ${def.name}'s inputs could not be read for any parameter set`);
  const names = [...new Set(lists.flat())];
  if (def.variadicParam === undefined) return union(names);
  return ['`arg${number}`', ...names.filter((n) => !/^arg\d+$/.test(n)).map(quote)].join(' | ');
}

/** `_contrib_box_nms` -> `ContribBoxNms`; `BatchNorm_v1` -> `BatchNormV1`. */
const typeName = (opName: string) =>
  opName.split('_').filter((part) => part !== '').map((part) => part[0]!.toUpperCase() + part.slice(1)).join('');

function formatDefault(value: unknown): string {
  if (value === null) return 'None';
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  if (typeof value === 'string') return quote(value);
  return String(value);
}

const comment = (text: string) => text.replace(/\*\//g, '*\\/').replace(/\s*\n\s*/g, ' ').trim();

function paramsInterface(def: AnyOpDef, name: string): string[] {
  const entries = Object.entries(def.params);
  if (entries.length === 0) return [`/** ${def.name} takes no parameters. */`, `export interface ${name} {}`, ''];
  const lines = [`/** Parameters of ${def.name}. */`, `export interface ${name} {`];
  for (const [param, spec] of entries) {
    const optional = spec.default !== undefined || param === def.variadicParam;
    const when = param === def.variadicParam ? 'Default: the number of inputs given.'
      : spec.default === undefined ? (/required/i.test(spec.doc) ? '' : 'Required.') : `Default: ${formatDefault(spec.default)}.`;
    lines.push(`  /** ${`${comment(spec.doc)}.`.replace(/\.\.$/, '.')}${when ? ` ${when}` : ''} */`);
    lines.push(`  readonly ${param}${optional ? '?' : ''}: ${paramShape(spec).type}${optional ? ' | undefined' : ''};`);
  }
  lines.push('}', '');
  return lines;
}

/** The whole of src/ops/generated/op_types.ts. */
export function generateOpTypes(): string {
  const names: string[] = [...SINGLE_OUTPUT_OPS, ...MULTI_OUTPUT_OPS];
  const multi = new Set<string>(MULTI_OUTPUT_OPS);
  const defs = [...new Set(names.map((n) => getOp(n)))].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const typeNames = new Map<AnyOpDef, string>();
  for (const def of defs) {
    // `make_loss` and `MakeLoss` are two ops: the second keeps its own spelling (`Make_loss`).
    const taken = [...typeNames.values()];
    const candidate = taken.includes(typeName(def.name)) ? def.name.replace(/^_+/, '').replace(/^./, (c) => c.toUpperCase()) : typeName(def.name);
    if (taken.includes(candidate)) throw new Error(`gen_op_types: two ops map to the type name ${candidate}`);
    typeNames.set(def, candidate);
  }
  const paramAliases = ['BoolParam', 'FloatParam', 'FloatTupleParam', 'IntParam', 'IntTupleParam', 'OptionalIntTupleParam'];
  const lines = [
    '/**',
    ' * Generated by scripts/gen_op_types.ts from the operator registry: do not edit; run',
    ' * `npm run gen:op-types`. Parameter interfaces per op, and the signature of every name',
    ' * `mx.sym` and `mx.nd` expose (see src/ops/op_call_types.ts).',
    ' */',
    `import type { ${paramAliases.join(', ')} } from '../op_call_types';`,
    '',
  ];
  const body: string[] = [];
  for (const def of defs) {
    const type = typeNames.get(def)!;
    const paramsRequired = Object.entries(def.params).some(([param, spec]) => spec.default === undefined && param !== def.variadicParam);
    const callNames = names.filter((n) => getOp(n) === def);
    const multiOutput = callNames.some((n) => multi.has(n));
    if (callNames.some((n) => multi.has(n) !== multiOutput)) throw new Error(`gen_op_types: ${def.name}'s names are listed as both single- and multi-output`);
    body.push(
      ...paramsInterface(def, `${type}Params`),
      `/** What a call of ${def.name} takes. */`,
      `export interface ${type}Signature {`,
      `  readonly params: ${type}Params;`,
      `  readonly inputs: ${inputsType(def)};`,
      `  readonly paramsRequired: ${paramsRequired};`,
      `  readonly multiOutput: ${multiOutput};`,
      '}',
      '',
    );
  }
  body.push('/** Every name `mx.sym` and `mx.nd` expose, aliases included, with what a call takes. */', 'export interface OpSignatures {');
  for (const name of [...names].sort()) {
    const def = getOp(name);
    const doc = name === def.name ? comment(def.doc.split('\n')[0]!) : `Alias of ${def.name}.`;
    body.push(`  /** ${doc} */`, `  readonly ${/^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name)}: ${typeNames.get(def)!}Signature;`);
  }
  body.push('}');
  const text = [...lines, ...body].join('\n');
  const unused = paramAliases.filter((alias) => !new RegExp(`: ${alias}\\b`).test(body.join('\n')));
  if (unused.length) throw new Error(`gen_op_types: the import list names unused aliases ${unused.join(', ')}`);
  return `${text}\n`;
}

if (require.main === module) {
  mkdirSync(dirname(OP_TYPES_PATH), { recursive: true });
  writeFileSync(OP_TYPES_PATH, generateOpTypes());
  console.log(`wrote ${OP_TYPES_PATH}`);
}
