/**
 * MXNet's symbol JSON: reading every dialect MXNet ever wrote (1.x `attrs`, 0.9-0.11 `attr`,
 * pre-0.9 `param` + `backward_source_id` with 2-element inputs) with MXNet's legacy upgrades
 * (json_legacy.ts), and writing MXNet 1.9.1's exact text (json_writer.ts).
 *
 * Files are untrusted: every structural problem is a FormatError naming the file and the node
 * (or the character offset for invalid JSON). Attribute dicts are prototype-free records, so keys
 * such as `__proto__` stay ordinary data.
 *
 * Input entries carry a mutation version (`[node, index, version]`). A graph read from a file
 * keeps the versions the file holds, as MXNet does; graphs built in mxts get nnvm's versions
 * (each op that mutates a variable, i.e. each auxiliary-state input, increments it).
 */
import { FormatError, MXNetError, ResourceError, ValueError, listNames } from '../base/errors';
import { nodeFs, readFileBytes } from '../ndarray/serialize';
import { findOp } from '../ops/registry';
import { LEGACY_VERSION, MXNET_VERSION, UpgradeError, inputNames, safeRecord, upgradeTable } from './json_legacy';
import { DmlcJsonWriter } from './json_writer';
import { GraphNode, isAuxInput, numOutputs } from './node';
import type { Symbol } from './symbol';
import { GraphTable, TableEntry, TableNode, fromTable } from './table';

/** Input versions of op nodes read from a file (nodes are frozen, so this lives beside them). */
const loadedInputVersions = new WeakMap<GraphNode, readonly number[]>();
/** Head versions of symbols read from a file. */
const loadedHeadVersions = new WeakMap<Symbol, readonly number[]>();
/**
 * Output counts from a file's `node_row_ptr`. They depend on the writer's build: MKLDNN builds
 * give max Pooling a second (workspace) output. Re-saving keeps the count the file holds.
 */
const loadedOutputCounts = new WeakMap<GraphNode, number>();

/** The node's output count in MXNet's graph (without outputs mxts adds for op-internal state). */
function graphOutputs(node: GraphNode): number {
  return node.kind === 'op' ? node.op.numGraphOutputs?.(node.params) ?? numOutputs(node) : numOutputs(node);
}

// ---------------------------------------------------------------------------------------------
// Reading

class Reader {
  constructor(readonly source: string) {}

  fail(where: string, problem: string, node?: string): never {
    throw new FormatError({ op: 'fromJSON', node }, `${this.source}, ${where}: ${problem}`);
  }
}

const TOP_KEYS = new Set(['nodes', 'arg_nodes', 'node_row_ptr', 'heads', 'attrs']);
const NODE_KEYS = new Set(['op', 'name', 'inputs', 'attrs', 'attr', 'param', 'control_deps', 'subgraphs', 'backward_source_id']);

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isUint32(v: Json): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}

function describeJson(v: Json): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

function parseText(text: string, reader: Reader): Json {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(message);
    return reader.fail(`offset ${at ? at[1] : text.length}`, `is not valid JSON (${message})`);
  }
}

function readEntry(v: Json, reader: Reader, where: string, limit: number, limitWhat: string, node?: string): TableEntry {
  if (!Array.isArray(v) || (v.length !== 2 && v.length !== 3) || !v.every(isUint32)) {
    return reader.fail(where, `must be [node, index] or [node, index, version] with non-negative integers, got ${describeJson(v)}`, node);
  }
  if (v[0]! >= limit) reader.fail(where, `refers to node ${v[0]}, ${limitWhat}`, node);
  return [v[0]!, v[1]!, v[2] ?? 0];
}

function readStringMap(v: Json, reader: Reader, where: string, node: string): [string, string][] {
  if (!isObject(v)) return reader.fail(where, `must be an object of strings, got ${describeJson(v)}`, node);
  return Object.keys(v).map((k): [string, string] => {
    const value = v[k];
    if (typeof value !== 'string') reader.fail(where, `value of '${k}' must be a string, got ${describeJson(value)}`, node);
    return [k, value];
  });
}

function readUintList(v: Json, reader: Reader, where: string, node?: string): number[] {
  if (!Array.isArray(v) || !v.every(isUint32)) return reader.fail(where, `must be a list of non-negative integers, got ${describeJson(v)}`, node);
  return v;
}

function readNode(v: Json, index: number, reader: Reader): TableNode {
  const at = `node ${index}`;
  if (!isObject(v)) return reader.fail(at, `must be an object, got ${describeJson(v)}`);
  const name = v['name'];
  if (typeof name !== 'string') return reader.fail(at, `needs a string "name", got ${describeJson(name)}`);
  const op = v['op'];
  if (typeof op !== 'string') return reader.fail(at, `needs a string "op", got ${describeJson(op)}`, name);
  if (!Array.isArray(v['inputs'])) return reader.fail(at, `needs a list "inputs", got ${describeJson(v['inputs'])}`, name);
  let dict: [string, string][] = [];
  let param: [string, string][] = [];
  for (const key of Object.keys(v)) {
    const value = v[key];
    if (!NODE_KEYS.has(key)) reader.fail(at, `has an unknown field "${key}"`, name);
    if (key === 'attrs' || key === 'attr') dict = readStringMap(value, reader, `${at} "${key}"`, name);
    else if (key === 'param') param = readStringMap(value, reader, `${at} "param"`, name);
    else if (key === 'backward_source_id' && !Number.isInteger(value)) reader.fail(at, `"backward_source_id" must be an integer, got ${describeJson(value)}`, name);
    else if (key === 'control_deps' && readUintList(value, reader, `${at} "control_deps"`, name).length > 0) {
      reader.fail(at, 'has control dependencies, which mxts does not support', name);
    } else if (key === 'subgraphs' && (!Array.isArray(value) || value.length > 0)) {
      reader.fail(at, 'has subgraphs (control-flow ops), which mxts does not support', name);
    }
  }
  const attrs = safeRecord(dict);
  // 0.8 files: `param` entries are added without overwriting the `attr` ones.
  for (const [k, value] of param) if (!Object.prototype.hasOwnProperty.call(attrs, k)) attrs[k] = value;
  const inputs = (v['inputs'] as Json[]).map((e, k) => readEntry(e, reader, `${at} input ${k}`, index, 'which does not come before it', name));
  if (op === 'null') {
    if (inputs.length > 0) reader.fail(at, 'is a variable ("op": "null") but has inputs', name);
    return { op: null, name, attrs, inputs };
  }
  return { op, name, attrs, inputs };
}

function readVersion(v: Json, reader: Reader): number {
  if (v === undefined) return LEGACY_VERSION;
  if (!isObject(v)) return reader.fail('"attrs"', `must be an object, got ${describeJson(v)}`);
  const version = v['mxnet_version'];
  if (version === undefined) return LEGACY_VERSION;
  if (!Array.isArray(version) || version.length !== 2 || version[0] !== 'int' || !isUint32(version[1])) {
    return reader.fail('"attrs" "mxnet_version"', `must be ["int", N], got ${describeJson(version)}`);
  }
  return version[1];
}

/** The document's table (op names as written) and its MXNet version. */
function readDocument(doc: Json, reader: Reader): { table: GraphTable; version: number; outputCounts: number[] | undefined } {
  if (!isObject(doc)) return reader.fail('top level', `must be an object, got ${describeJson(doc)}`);
  for (const key of Object.keys(doc)) if (!TOP_KEYS.has(key)) reader.fail('top level', `has an unknown field "${key}"`);
  for (const key of ['nodes', 'arg_nodes', 'heads']) if (!(key in doc)) reader.fail('top level', `needs a "${key}" field`);
  if (!Array.isArray(doc['nodes'])) return reader.fail('"nodes"', `must be a list, got ${describeJson(doc['nodes'])}`);
  const nodes = (doc['nodes'] as Json[]).map((n, i) => readNode(n, i, reader));
  for (const id of readUintList(doc['arg_nodes'], reader, '"arg_nodes"')) {
    if (id >= nodes.length) reader.fail('"arg_nodes"', `refers to node ${id}, but there are ${nodes.length} nodes`);
    if (nodes[id]!.op !== null) reader.fail('"arg_nodes"', `lists node ${id}, which is not a variable`, nodes[id]!.name);
  }
  const rowPtr = doc['node_row_ptr'] === undefined ? undefined : readUintList(doc['node_row_ptr'], reader, '"node_row_ptr"');
  const rawHeads = doc['heads'];
  if (!Array.isArray(rawHeads) || rawHeads.length === 0) return reader.fail('"heads"', `must be a non-empty list, got ${describeJson(rawHeads)}`);
  const heads = rawHeads.map((e, k) => readEntry(e, reader, `head ${k}`, nodes.length, `but there are ${nodes.length} nodes`));
  // MXNet ignores node_row_ptr when reading; mxts keeps well-formed counts for re-saving.
  const wellFormed = rowPtr && rowPtr.length === nodes.length + 1 && rowPtr[0] === 0 && rowPtr.every((v, i) => i === 0 || v > rowPtr[i - 1]!);
  const outputCounts = wellFormed ? nodes.map((_, i) => rowPtr[i + 1]! - rowPtr[i]!) : undefined;
  return { table: { nodes, heads }, version: readVersion(doc['attrs'], reader), outputCounts };
}

/** Replaces op names by their canonical names; all unregistered ops are named in one error. */
function resolveOps(table: GraphTable, reader: Reader): GraphTable {
  const missing: string[] = [];
  const missingOps = new Set<string>();
  let first: TableNode | undefined;
  const nodes = table.nodes.map((row, i) => {
    if (row.op === null) return row;
    const def = findOp(row.op);
    if (def) return def.name === row.op ? row : { ...row, op: def.name };
    if (!missingOps.has(row.op)) {
      missingOps.add(row.op);
      missing.push(`'${row.op}' (node ${i} '${row.name}')`);
    }
    first ??= row;
    return row;
  });
  if (first) reader.fail(`node ${table.nodes.indexOf(first)}`, `uses operators mxts does not register: ${listNames(missing)}`, first.name);
  return { nodes, heads: table.heads };
}

/** After the upgrades every op node must have exactly the inputs its op lists. */
function checkInputCounts(table: GraphTable, reader: Reader): void {
  table.nodes.forEach((row, i) => {
    if (row.op === null) return;
    const def = findOp(row.op)!;
    const names = inputNames(def, row, i);
    if (row.inputs.length !== names.length) {
      reader.fail(`node ${i}`, `${row.op} has ${row.inputs.length} inputs, it takes ${names.length} (${listNames(names)})`, row.name);
    }
  });
}

/** Pairs table rows with the built nodes: records versions, checks output indices. */
function recordVersions(table: GraphTable, symbol: Symbol, reader: Reader, outputCounts: readonly number[] | undefined): void {
  const seen = new Set<number>();
  const stack: [number, GraphNode][] = table.heads.map(([id], k) => [id, symbol.outputs[k]!.node]);
  const checkIndex = (where: string, e: TableEntry, node: GraphNode, name: string) => {
    const count = numOutputs(node);
    if (e[1] >= count) reader.fail(where, `uses output ${e[1]} of node ${e[0]} '${node.name}', which has ${count} outputs`, name);
  };
  table.heads.forEach((e, k) => checkIndex(`head ${k}`, e, symbol.outputs[k]!.node, symbol.outputs[k]!.node.name));
  while (stack.length > 0) {
    const [id, node] = stack.pop()!;
    if (seen.has(id) || node.kind === 'variable') continue;
    seen.add(id);
    const count = outputCounts?.[id];
    if (count !== undefined && count > graphOutputs(node)) loadedOutputCounts.set(node, count);
    const row = table.nodes[id]!;
    row.inputs.forEach((e, k) => {
      checkIndex(`node ${id} input ${k}`, e, node.inputs[k]!.node, row.name);
      stack.push([e[0], node.inputs[k]!.node]);
    });
    loadedInputVersions.set(node, row.inputs.map((e) => e[2]));
  }
  loadedHeadVersions.set(symbol, table.heads.map((e) => e[2]));
}

/**
 * `mx.sym.load_json`: a Symbol from MXNet JSON text of any version, upgraded as MXNet 1.9.1 does.
 * `source` names the text in errors (a file name).
 */
export function fromJSON(text: string, source = '<json>'): Symbol {
  if (typeof text !== 'string') throw new ValueError({ op: 'fromJSON', argument: 'text' }, `must be a string, got ${typeof text}`);
  const reader = new Reader(source);
  const { table, version, outputCounts } = readDocument(parseText(text, reader), reader);
  let upgraded: GraphTable;
  try {
    upgraded = upgradeTable(resolveOps(table, reader), version);
    checkInputCounts(upgraded, reader);
  } catch (err) {
    if (err instanceof UpgradeError) return reader.fail(`node ${err.nodeIndex}`, err.message, err.nodeName);
    throw err;
  }
  let symbol: Symbol;
  try {
    symbol = fromTable(upgraded);
  } catch (err) {
    if (err instanceof ResourceError) throw new ResourceError({ op: 'fromJSON', node: err.node }, `${source}: ${err.message}`);
    if (err instanceof MXNetError) return reader.fail('graph', err.message, err.node);
    throw err;
  }
  recordVersions(upgraded, symbol, reader, upgraded.nodes.length === table.nodes.length ? outputCounts : undefined);
  return symbol;
}

/** `mx.sym.load`: reads a symbol file (Node.js only). */
export function load(path: string): Symbol {
  return fromJSON(new TextDecoder('utf-8').decode(readFileBytes(path, 'load')), path);
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Input versions of every op node, by node id: those read from a file where the node came from
 * one, else nnvm's rule (a variable input gets the variable's current version; an input the op
 * mutates, an auxiliary state, increments it first).
 */
function inputVersions(symbol: Symbol): (readonly number[])[] {
  const graph = symbol.graph;
  const current = new Map<number, number>();
  return graph.nodes.map((node) => {
    if (node.kind === 'variable') return [];
    const ids = node.inputs.map((e) => graph.nodeId.get(e.node)!);
    const loaded = loadedInputVersions.get(node);
    if (loaded && loaded.length === node.inputs.length) {
      ids.forEach((id, k) => {
        if (node.inputs[k]!.node.kind === 'variable') current.set(id, Math.max(current.get(id) ?? 0, loaded[k]!));
      });
      return loaded;
    }
    const versions = ids.map((id, k) => (node.inputs[k]!.node.kind === 'variable' ? current.get(id) ?? 0 : 0));
    ids.forEach((id, k) => {
      if (node.inputs[k]!.node.kind === 'variable' && isAuxInput(node, k)) {
        const next = (current.get(id) ?? 0) + 1;
        current.set(id, next);
        versions[k] = next;
      }
    });
    return versions;
  });
}

/** `sym.tojson()`: MXNet 1.9.1's exact text (dmlc JSONWriter layout, `mxnet_version` 10901). */
export function toJSON(symbol: Symbol): string {
  const graph = symbol.graph;
  const versions = inputVersions(symbol);
  const w = new DmlcJsonWriter();
  w.beginObject();
  w.key('nodes');
  w.beginArray(true);
  graph.nodes.forEach((node, id) => {
    w.item();
    w.beginObject();
    w.key('op');
    w.string(node.kind === 'variable' ? 'null' : node.op.name);
    w.key('name');
    w.string(node.name);
    if (Object.keys(node.attrs).length > 0) {
      w.key('attrs');
      w.stringMap(node.attrs);
    }
    w.key('inputs');
    const inputs = node.kind === 'variable' ? [] : node.inputs;
    w.entryArray(inputs.map((e, k) => [graph.nodeId.get(e.node)!, e.index, versions[id]![k]!]));
    w.endObject();
  });
  w.endArray();
  w.key('arg_nodes');
  w.integerArray(graph.nodes.flatMap((node, id) => (node.kind === 'variable' ? [id] : [])));
  w.key('node_row_ptr');
  const rowPtr = [0];
  for (const node of graph.nodes) rowPtr.push(rowPtr[rowPtr.length - 1]! + (loadedOutputCounts.get(node) ?? graphOutputs(node)));
  w.integerArray(rowPtr);
  w.key('heads');
  const headVersions = loadedHeadVersions.get(symbol);
  w.entryArray(symbol.outputs.map((e, k) => [graph.nodeId.get(e.node)!, e.index, headVersions?.[k] ?? 0]));
  w.key('attrs');
  w.beginObject(false);
  w.key('mxnet_version');
  w.beginArray(false);
  w.item();
  w.string('int');
  w.item();
  w.integer(MXNET_VERSION);
  w.endArray();
  w.endObject();
  w.endObject();
  return w.text();
}

/** `sym.save(fname)`: writes `toJSON(symbol)` to a file (Node.js only). */
export function save(symbol: Symbol, path: string): void {
  nodeFs().writeFileSync(path, toJSON(symbol), 'utf8');
}

