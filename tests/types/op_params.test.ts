/**
 * Operator parameters are typed: a misspelt, mistyped or missing parameter does not compile.
 * Compiles with the TypeScript API (the project's tsconfig): op_params.check.ts must have no
 * diagnostic; snippets without `@ts-expect-error` must report the expected error; and against a
 * stand-in 'mxts' whose ops are `any`, every `@ts-expect-error` of the check file must become
 * unused, so the check file would catch types that had decayed to `any`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const CHECK_FILE = join(__dirname, 'op_params.check.ts');

function projectOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  return { ...ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options, noEmit: true };
}

/** One program over real and in-memory files; the diagnostics of each root file, flattened. */
function compile(roots: readonly string[], memory: Readonly<Record<string, string>>, options: ts.CompilerOptions): Map<string, { code: number; text: string }[]> {
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (path) => path in memory || fileExists.call(host, path);
  host.readFile = (path) => memory[path] ?? readFile.call(host, path);
  host.getSourceFile = (path, language, onError, create) =>
    path in memory ? ts.createSourceFile(path, memory[path]!, language) : getSourceFile.call(host, path, language, onError, create);
  const program = ts.createProgram({ rootNames: [...roots], options, host });
  const result = new Map<string, { code: number; text: string }[]>();
  for (const root of roots) {
    const file = program.getSourceFile(root)!;
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    result.set(root, diagnostics.map((d) => ({ code: d.code, text: ts.flattenDiagnosticMessageText(d.messageText, '\n') })));
  }
  return result;
}

const HEADER = "import * as mx from 'mxts';\ndeclare const data: mx.Symbol;\ndeclare const x: mx.NDArray;\n";

/** Calls without `@ts-expect-error`, each with the error code and words its diagnostic must have. */
const SNIPPETS: readonly { readonly name: string; readonly code: string; readonly error: { readonly code: number; readonly words: readonly string[] } | null }[] = [
  { name: 'a correct call', code: 'mx.sym.Convolution({ data, kernel: [3, 3], num_filter: 8 });', error: null },
  {
    name: 'a misspelt parameter',
    code: 'mx.sym.Convolution({ data, kernel: [3, 3], num_filters: 8 });',
    error: { code: 2345, words: ["'num_filters' does not exist", "Did you mean to write 'num_filter'?"] },
  },
  { name: 'a wrong type', code: 'mx.sym.Convolution({ data, kernel: true, num_filter: 8 });', error: { code: 2345, words: ["Types of property 'kernel' are incompatible"] } },
  { name: 'a wrong enum value', code: "mx.sym.Activation({ data, act_type: 'rellu' });", error: { code: 2345, words: ["Types of property 'act_type' are incompatible", 'Did you mean \'"relu"\'?'] } },
  { name: 'a missing required parameter', code: 'mx.sym.Convolution({ data, kernel: [3, 3] });', error: { code: 2345, words: ["Property 'num_filter' is missing"] } },
  { name: 'a misspelt parameter through mx.nd (two overloads: no overload matches)', code: "mx.nd.Pooling(x, { kernel: [2, 2], pool_typ: 'max' });", error: { code: 2769, words: ["'pool_typ' does not exist"] } },
];

describe('typed operator parameters', () => {
  const options = projectOptions();
  const snippetPath = (i: number) => join(__dirname, `__op_params_snippet_${i}.ts`);
  const memory = Object.fromEntries(SNIPPETS.map((s, i) => [snippetPath(i), `${HEADER}${s.code}\n`]));
  let diagnostics: Map<string, { code: number; text: string }[]>;

  beforeAll(() => {
    diagnostics = compile([CHECK_FILE, ...SNIPPETS.map((_, i) => snippetPath(i))], memory, options);
  }, 300_000);

  test('op_params.check.ts compiles: its calls type-check and each @ts-expect-error line fails', () => {
    expect(diagnostics.get(CHECK_FILE)).toEqual([]);
  });

  test.each(SNIPPETS.map((s, i) => [s.name, i] as const))('%s: reported by tsc', (_name, i) => {
    const found = diagnostics.get(snippetPath(i))!;
    const expected = SNIPPETS[i]!.error;
    if (expected === null) {
      expect(found).toEqual([]);
      return;
    }
    expect(found.map((d) => d.code)).toEqual([expected.code]);
    for (const word of expected.words) expect(found[0]!.text).toContain(word);
  });

  test('with ops typed `any`, every @ts-expect-error of the check file is unused (TS2578)', () => {
    const stub = join(__dirname, '__any_mxts.ts');
    const anyModule = [
      'export declare const sym: any;',
      'export declare const nd: any;',
      'export type Symbol = any;',
      'export type NDArray = any;',
      'export type SymOp = any;',
      'export type NdOp = any;',
      'export type OpParams<K extends string> = K extends string ? any : never;',
    ].join('\n');
    const loose = compile([CHECK_FILE], { [stub]: anyModule }, { ...options, paths: { mxts: [stub] } }).get(CHECK_FILE)!;
    const directives = readFileSync(CHECK_FILE, 'utf8').match(/^\s*\/\/ @ts-expect-error/gm)!.length;
    expect(directives).toBeGreaterThanOrEqual(10);
    expect(loose.map((d) => d.code)).toEqual(new Array(directives).fill(2578));
  }, 120_000);
});
