/**
 * Reads what Graphviz drew from its SVG text: per `<g class="node">` its title (the node id) and
 * its text lines, per `<g class="edge">` its title and label. Graphviz writes one element per
 * line, which is what the patterns rely on.
 */

export interface DrawnNode {
  id: string;
  texts: string[];
  /** 'ellipse' or 'polygon' (a box). */
  shape: string;
  fill: string;
}

export interface DrawnEdge {
  title: string;
  texts: string[];
}

function decode(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

function groups(svg: string, cls: string): string[] {
  return [...svg.matchAll(new RegExp(`<g id="[^"]*" class="${cls}">([\\s\\S]*?)</g>`, 'g'))].map((m) => m[1]!);
}

function textsOf(body: string): string[] {
  return [...body.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decode(m[1]!));
}

export function drawnNodes(svg: string): DrawnNode[] {
  return groups(svg, 'node').map((body) => {
    const shapeMatch = /<(ellipse|polygon) fill="([^"]*)"/.exec(body);
    return { id: decode(/<title>([^<]*)<\/title>/.exec(body)![1]!), texts: textsOf(body), shape: shapeMatch?.[1] ?? '', fill: shapeMatch?.[2] ?? '' };
  });
}

export function drawnEdges(svg: string): DrawnEdge[] {
  return groups(svg, 'edge').map((body) => ({ title: decode(/<title>([^<]*)<\/title>/.exec(body)![1]!), texts: textsOf(body) }));
}
