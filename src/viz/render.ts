/**
 * Graphviz rendering through @viz-js/viz (Graphviz compiled to WebAssembly): no native Graphviz
 * install, the same output in Node and in browsers. The module is loaded on first use only, so
 * code that never renders does not pay for its start-up.
 */
import { ValueError } from '../base/errors';

/** The part of @viz-js/viz's `Viz` used here (its types are ESM-only, this build is CommonJS). */
interface Viz {
  readonly formats: string[];
  render(input: string, options: { format: string; engine: string }): { status: 'success' | 'failure'; output?: string | undefined; errors: { message: string }[] };
}

let vizInstance: Promise<Viz> | undefined;

function viz(): Promise<Viz> {
  vizInstance ??= import('@viz-js/viz').then(
    (m): Promise<Viz> => m.instance(),
    (error: unknown) => {
      vizInstance = undefined; // let a later call try again
      throw error;
    },
  );
  return vizInstance;
}

/**
 * Renders DOT text with Graphviz's `dot` layout, to SVG by default (`format` may be any output
 * format of the @viz-js/viz build: 'svg', 'dot', 'xdot', 'json', 'plain'...).
 *
 * @example
 * const layout = JSON.parse(await mx.viz.renderGraphviz('digraph { a -> b }', 'json'));
 */
export async function renderGraphviz(dot: string, format = 'svg'): Promise<string> {
  const instance = await viz();
  if (!instance.formats.includes(format)) {
    throw new ValueError({ op: 'renderGraphviz', argument: 'format', actual: format }, `'${format}' is not an output format of this Graphviz build; it has ${instance.formats.join(', ')}`);
  }
  const result = instance.render(dot, { format, engine: 'dot' });
  if (result.status !== 'success' || result.output === undefined) {
    const messages = result.errors.map((e) => e.message.trim()).join('; ');
    throw new ValueError({ op: 'renderGraphviz', argument: 'dot' }, `could not be rendered: ${messages}`);
  }
  return result.output;
}

/**
 * `renderGraphviz(dot, 'svg')`: the SVG text of a DOT graph.
 *
 * @example
 * const svg = await mx.viz.renderSVG(mx.viz.plotNetwork(net).dot);
 */
export function renderSVG(dot: string): Promise<string> {
  return renderGraphviz(dot, 'svg');
}
