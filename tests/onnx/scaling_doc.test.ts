/** @jest-environment ./tests/onnx/ort_environment.js */
/**
 * docs/scaling.md: its runnable TypeScript block runs as written (training, export, ONNX Runtime,
 * checkpoint, import), and every `mx.` function the page names exists.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import * as ts from 'typescript';
import * as mx from 'mxts';

const DOC = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'scaling.md'), 'utf8');
const blocks = (lang: string) => [...DOC.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
const RUNNABLE = blocks('ts').filter((b) => b.startsWith('// runs in tests/onnx/scaling_doc.test.ts'));

describe('docs/scaling.md', () => {
  test('has one runnable block, and it runs: ONNX Runtime agrees with mxts, files are written, the import reads back', async () => {
    expect(RUNNABLE).toHaveLength(1);
    const js = ts.transpileModule(RUNNABLE[0]!, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const modules: Record<string, unknown> = { mxts: mx, 'onnxruntime-node': ort, 'node:os': os, 'node:path': path };
    const lines: string[] = [];
    const fakeConsole = { log: (...args: unknown[]) => lines.push(args.map(String).join(' ')) };
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
    const run = new AsyncFunction('require', 'exports', 'console', js);
    await run((id: string) => modules[id], {}, fakeConsole);

    const difference = Number(lines.find((l) => l.startsWith('largest difference'))!.split(' ').pop());
    expect(difference).toBeLessThanOrEqual(1e-4);
    expect(lines).toContain('imported arguments data, fc1_weight, fc1_bias, fc2_weight, fc2_bias');
    for (const file of ['mlp.onnx', 'mlp-symbol.json', 'mlp-0005.params']) {
      expect(fs.existsSync(path.join(os.tmpdir(), file))).toBe(true);
      fs.rmSync(path.join(os.tmpdir(), file));
    }
  }, 60_000);

  test('every mx.<namespace>.<function> it names exists', () => {
    const code = [...blocks('ts'), ...blocks('typescript')].join('\n') + DOC.replace(/```[\s\S]*?```/g, '');
    const named = [...new Set([...code.matchAll(/\bmx\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`))];
    expect(named).toEqual(expect.arrayContaining(['onnx.exportModel', 'onnx.exportModelToFile', 'onnx.importModel', 'onnx.exportableOps', 'onnx.importableOps']));
    const root = mx as unknown as Record<string, Record<string, unknown>>;
    expect(named.filter((name) => {
      const [ns, fn] = name.split('.') as [string, string];
      return typeof root[ns]?.[fn] !== 'function';
    })).toEqual([]);
  });
});
