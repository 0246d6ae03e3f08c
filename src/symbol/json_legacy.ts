/**
 * MXNet's legacy JSON upgrades (`src/nnvm/legacy_json_util.cc`), as immer recipes on the table
 * form. Each upgrader runs when its version is greater than the file's `mxnet_version` (0.8.0
 * when the file has none), in MXNet's order:
 *
 * | runs when file <  | upgrade                                                                 |
 * |-------------------|-------------------------------------------------------------------------|
 * | 1.9.1 (10901)     | FixParsing: `lr_mult` -> `__lr_mult__`; `weight_lr_mult` on an op moves |
 * |                   | to its `weight` variable as `__lr_mult__`                               |
 * | 0.9.0 (900)       | missing trailing inputs (BatchNorm's moving stats) become variables     |
 * |                   | `<op>_<input>` carrying a copy of the op's attributes                   |
 * | 0.9.4 (904)       | FSetInputVarAttrOnCompose: `__init__` on BatchNorm stats, PReLU gamma   |
 * | 0.9.5 (905)       | argmax/argmin: `axis: "-1"` removed                                     |
 *
 * Every node of the table is visited in index order, which is a topological order (inputs come
 * first), as MXNet's DFS visit is.
 */
import { current, produce, type Draft } from 'immer';
import { MXNetError } from '../base/errors';
import { parseParams } from '../ops/params';
import { findOp } from '../ops/registry';
import type { AnyOpDef } from '../ops/types';
import { HIDDEN_WORDS } from './attrs';
import type { GraphTable, TableEntry, TableNode } from './table';

/** `major*10000 + minor*100 + patch`, as `MXNET_MAKE_VERSION`. */
export const MXNET_VERSION = 10901;
export const LEGACY_VERSION = 800;

/** Raised by an upgrade step; the reader turns it into a FormatError naming file and node. */
export class UpgradeError extends Error {
  constructor(
    readonly nodeIndex: number,
    readonly nodeName: string,
    problem: string,
    cause?: unknown,
  ) {
    super(problem, { cause });
  }
}

/** A record with no prototype: keys such as `__proto__` stay ordinary data. */
export function safeRecord(entries: Iterable<readonly [string, string]> = []): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** Parses an op node's parameters from its string dict (unknown keys are left out). */
export function parsedParams(def: AnyOpDef, row: TableNode, index: number): Readonly<Record<string, unknown>> {
  const given = safeRecord(Object.entries(row.attrs).filter(([k]) => Object.prototype.hasOwnProperty.call(def.params, k)));
  try {
    return parseParams(def.params, given, { op: def.name, node: row.name });
  } catch (err) {
    if (err instanceof MXNetError) throw new UpgradeError(index, row.name, err.message, err);
    throw err;
  }
}

/**
 * The input names an op node should have. A variadic op's count (Concat's `num_args`) must not
 * exceed the inputs the file gives, so a hostile count cannot size an allocation.
 */
export function inputNames(def: AnyOpDef, row: TableNode, index: number): readonly string[] {
  const params = parsedParams(def, row, index);
  const count = def.variadicParam === undefined ? undefined : params[def.variadicParam];
  if (typeof count === 'number' && count > row.inputs.length) {
    throw new UpgradeError(index, row.name, `${def.name} has ${def.variadicParam}=${count} but ${row.inputs.length} inputs`);
  }
  return def.inputs(params);
}

function opOf(row: TableNode): AnyOpDef | undefined {
  return row.op === null ? undefined : findOp(row.op);
}

/** `rfind(word)` at 0, or at the end: MXNet's test for keys that hold a hidden word. */
function hiddenWordAt(key: string): { word: string; pos: number } | undefined {
  for (const word of HIDDEN_WORDS) {
    const pos = key.lastIndexOf(word);
    if (pos === 0 || (pos !== -1 && pos === key.length - word.length)) return { word, pos };
  }
  return undefined;
}

/** `UpgradeJSON_FixParsing`. */
function fixParsing(draft: Draft<GraphTable>): void {
  draft.nodes.forEach((row, index) => {
    const held: [string, string][] = [];
    const kept: [string, string][] = [];
    for (const [k, v] of Object.entries(row.attrs)) (hiddenWordAt(k) ? held : kept).push([k, v]);
    if (held.length === 0) return;
    const attrs = safeRecord(kept);
    const def = opOf(row as TableNode);
    for (const [k, v] of held) {
      let placed = false;
      for (const word of HIDDEN_WORDS) {
        const pos = k.lastIndexOf(word);
        if (pos === 0 && word.length === k.length) {
          attrs[`__${word}__`] = v;
          placed = true;
          break;
        }
        if (pos > 1 && pos === k.length - word.length) {
          if (!def) break;
          const names = inputNames(def, { ...(row as TableNode), attrs }, index);
          const at = names.indexOf(k.slice(0, pos - 1));
          const input = at >= 0 ? row.inputs[at] : undefined;
          const target = input ? draft.nodes[input[0]] : undefined;
          if (target && target.op === null) {
            target.attrs = safeRecord([...Object.entries(target.attrs), [`__${word}__`, v]]);
            placed = true;
          }
          break;
        }
      }
      if (!placed) attrs[k] = v;
    }
    row.attrs = attrs;
  });
}

/** `UpgradeJSON_000800_000900`: variables for inputs the old writer left out (aux states). */
function addMissingInputs(draft: Draft<GraphTable>): void {
  const nodes: TableNode[] = [];
  const newIndex: number[] = [];
  const remap = (e: TableEntry): TableEntry => [newIndex[e[0]]!, e[1], e[2]];
  const base = current(draft) as GraphTable;
  base.nodes.forEach((row, index) => {
    const def = opOf(row);
    let inputs = row.inputs.map(remap);
    if (def) {
      const names = inputNames(def, row, index);
      for (let i = inputs.length; i < names.length; i++) {
        const name = row.name === '' ? names[i]! : `${row.name}_${names[i]}`;
        nodes.push({ op: null, name, attrs: safeRecord(Object.entries(row.attrs)), inputs: [] });
        inputs = [...inputs, [nodes.length - 1, 0, 0]];
      }
    }
    newIndex[index] = nodes.length;
    nodes.push({ ...row, inputs });
  });
  draft.nodes = nodes as Draft<TableNode>[];
  draft.heads = base.heads.map(remap) as Draft<TableEntry>[];
}

/** `UpgradeJSON_000903_000904`: the `__init__` attributes ops set on their input variables. */
function setInputVarInit(draft: Draft<GraphTable>): void {
  for (const row of draft.nodes) {
    const table = row.op === null ? undefined : findOp(row.op)?.inputVarInit;
    if (!table) continue;
    row.inputs.forEach(([node], i) => {
      const init = table[i];
      const variable = draft.nodes[node]!;
      if (init === undefined || variable.op !== null || Object.prototype.hasOwnProperty.call(variable.attrs, '__init__')) return;
      variable.attrs = safeRecord([...Object.entries(variable.attrs), ['__init__', init]]);
    });
  }
}

/** `UpgradeJSON_000904_000905`: `axis` became optional; the old default -1 means "none". */
function dropArgmaxAxis(draft: Draft<GraphTable>): void {
  for (const row of draft.nodes) {
    if ((row.op === 'argmax' || row.op === 'argmin') && row.attrs['axis'] === '-1') {
      row.attrs = safeRecord(Object.entries(row.attrs).filter(([k]) => k !== 'axis'));
    }
  }
}

const UPGRADERS: readonly (readonly [number, (draft: Draft<GraphTable>) => void])[] = [
  [MXNET_VERSION, fixParsing],
  [900, addMissingInputs],
  [904, setInputVarInit],
  [905, dropArgmaxAxis],
];

/** Applies every upgrade newer than `version` to a table whose ops are canonical names. */
export function upgradeTable(table: GraphTable, version: number): GraphTable {
  let out = table;
  for (const [since, upgrade] of UPGRADERS) if (since > version) out = produce(out, upgrade);
  return out;
}
