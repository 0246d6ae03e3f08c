/**
 * src/ops/generated/op_types.ts is generated (scripts/gen_op_types.ts): it must equal the
 * generator's output, so a registry change without `npm run gen:op-types` fails here. Also checks
 * how parameter types are read from the schemas and what the file holds for a few ops.
 */
import { readFileSync } from 'node:fs';
import { registeredNames } from '../../src/ops/registry';
import { bool, enumOf, float, int, intTuple, optional, string } from '../../src/ops/params';
import { optionalIntTuple } from '../../src/ops/shape/common';
import { floatTuple } from '../../src/ops/image/common';
import { generateOpTypes, OP_TYPES_PATH, paramShape } from '../../scripts/gen_op_types';

const generated = generateOpTypes();

/** The body of `export interface <name> { ... }` in the generated file. */
function interfaceBody(name: string): string {
  const start = generated.indexOf(`export interface ${name} {`);
  expect(start).toBeGreaterThanOrEqual(0);
  return generated.slice(start, generated.indexOf('\n}\n', start));
}

describe('src/ops/generated/op_types.ts', () => {
  test('is current: it equals the generator output (run `npm run gen:op-types` after changing an op)', () => {
    expect(readFileSync(OP_TYPES_PATH, 'utf8')).toBe(generated);
  });

  test('has a signature for every registered name, aliases included', () => {
    const signatures = generated.slice(generated.indexOf('export interface OpSignatures {'));
    for (const [name, def] of registeredNames()) {
      const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`;
      expect(signatures).toMatch(new RegExp(`\\n  readonly ${key.replace(/\$/g, '\\$')}: \\w+Signature;`));
      if (name !== def.name) expect(signatures).toContain(`/** Alias of ${def.name}. */\n  readonly ${key}:`);
    }
  });

  test('Convolution: required kernel and num_filter, optional tuples/booleans/enums with JSON strings allowed, its inputs', () => {
    const params = interfaceBody('ConvolutionParams');
    expect(params).toContain('  readonly kernel: IntTupleParam;');
    expect(params).toContain('  readonly num_filter: IntParam;');
    expect(params).toContain('  readonly stride?: IntTupleParam | undefined;');
    expect(params).toContain('  readonly no_bias?: BoolParam | undefined;');
    expect(params).toMatch(/ {2}readonly layout\?: 'NCW' \| [^;]*'NCHW'[^;]* \| null \| undefined;/);
    const signature = interfaceBody('ConvolutionSignature');
    expect(signature).toContain("readonly inputs: 'data' | 'weight' | 'bias';");
    expect(signature).toContain('readonly paramsRequired: true;');
    expect(signature).toContain('readonly multiOutput: false;');
  });

  test("inputs that only some parameters give are listed (RNN state_cell, LeakyReLU gamma); variadic ops take arg<i> (and UpSampling's bilinear inputs)", () => {
    expect(interfaceBody('RNNSignature')).toMatch(/readonly inputs: 'data' \| 'parameters' \| 'state' \| [^;]*'state_cell'/);
    expect(interfaceBody('LeakyReLUSignature')).toMatch(/readonly inputs: 'data' \| 'gamma';/);
    expect(interfaceBody('ConcatSignature')).toContain('readonly inputs: `arg${number}`;');
    expect(interfaceBody('UpSamplingSignature')).toContain("readonly inputs: `arg${number}` | 'data' | 'weight';");
    expect(interfaceBody('ConcatParams')).toMatch(/readonly num_args\?: IntParam \| undefined;/);
    expect(interfaceBody('SliceChannelSignature')).toContain('readonly multiOutput: true;');
  });
});

describe('paramShape reads a TypeScript type from a ParamSpec', () => {
  test.each([
    ['BoolParam', bool({ doc: '', default: false })],
    ['IntParam', int({ doc: '', default: 1, min: 1 })],
    ['IntParam', int({ doc: '' })],
    ['FloatParam', float({ doc: '', default: 0.5, max: 1 })],
    ["'max' | 'avg'", enumOf({ doc: '', values: ['max', 'avg'], default: 'max' })],
    ["'max' | 'avg' | 'None' | null", optional(enumOf({ doc: '', values: ['max', 'avg'] }))],
    ['IntTupleParam', intTuple({ doc: '', default: [] })],
    ['IntParam | null', optional(int({ doc: '' }))],
    ['IntTupleParam | null', optional(intTuple({ doc: '' }))],
    ['FloatTupleParam', floatTuple({ doc: '' })],
    ['OptionalIntTupleParam | null', optionalIntTuple({ doc: '' })],
    ['string', string({ doc: '', default: '' })],
  ])('%s', (type, spec) => {
    expect(paramShape(spec).type).toBe(type);
  });

  test('a spec no probe explains is an error, not a silent unknown', () => {
    const opaque = { doc: 'accepts nothing', default: undefined, parse: () => { throw new Error('never'); } };
    expect(() => paramShape(opaque)).toThrow(/no probe explains the parameter spec 'accepts nothing'/);
  });
});
