/**
 * A Graphviz digraph as plain data, written out as DOT text the way Python's `graphviz` package
 * writes MXNet's plots (`digraph plot {`, one statement per node and edge, tab-indented).
 */
import { renderGraphviz } from './render';

/** Graphviz attributes by name (`{ shape: 'box', fillcolor: '#fb8072' }`). */
export type DotAttrs = Readonly<Record<string, string>>;

/** A node statement: its id, label lines and attributes. */
export interface DotNode {
  readonly id: string;
  /** The label's lines (joined by Graphviz's centred line break `\n`). */
  readonly label: readonly string[];
  readonly attrs: DotAttrs;
}

/** An edge statement `from -> to [attrs]`. */
export interface DotEdge {
  /** The consumer (the edge's tail: MXNet draws `op -> input` with `dir=back`). */
  readonly from: string;
  /** The input node. */
  readonly to: string;
  readonly attrs: DotAttrs;
}

/** A DOT identifier or attribute value, always double-quoted (DOT's only escape there is `\"`). */
export function quoteId(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A label of several lines: each line quoted literally, lines joined by `\n`. */
function quoteLabel(lines: readonly string[]): string {
  return `"${lines.map((l) => l.replace(/\\/g, '\\\\').replace(/"/g, '\\"')).join('\\n')}"`;
}

function attrList(attrs: DotAttrs): string {
  return Object.entries(attrs).map(([k, v]) => `${k}=${quoteId(v)}`).join(' ');
}

/** A directed graph, its DOT text, and rendering through Graphviz (WebAssembly). */
export class Digraph {
  constructor(
    /** The graph's name (MXNet's `title`). */
    readonly name: string,
    readonly nodes: readonly DotNode[],
    readonly edges: readonly DotEdge[],
    /** The format `render()` produces by default. */
    readonly format = 'svg',
  ) {}

  /** The DOT text (Python graphviz's `Digraph.source`). */
  get dot(): string {
    const lines = [`digraph ${quoteId(this.name)} {`];
    for (const n of this.nodes) lines.push(`\t${quoteId(n.id)} [label=${quoteLabel(n.label)} ${attrList(n.attrs)}]`);
    for (const e of this.edges) lines.push(`\t${quoteId(e.from)} -> ${quoteId(e.to)} [${attrList(e.attrs)}]`);
    lines.push('}');
    return `${lines.join('\n')}\n`;
  }

  toString(): string {
    return this.dot;
  }

  /** Renders with Graphviz's dot layout, in `format` (default: this graph's format). */
  render(format: string = this.format): Promise<string> {
    return renderGraphviz(this.dot, format);
  }

  /** The SVG text of the graph. */
  toSVG(): Promise<string> {
    return renderGraphviz(this.dot, 'svg');
  }
}
