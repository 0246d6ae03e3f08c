/**
 * Writes a training example's pictures into examples/out/ (gitignored): the network as MXNet's
 * plot_network draws it (`<name>-network.svg`) and the metrics per epoch (`<name>-history.svg`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as mx from 'mxts';

/** Writes both pictures into `dir` (default: out/ next to the running example) and returns their paths. */
export async function writePictures(
  name: string,
  symbol: mx.Symbol,
  shape: Readonly<Record<string, readonly number[]>>,
  history: readonly mx.mod.EpochRecord[],
  dir = join(dirname(process.argv[1] ?? '.'), 'out'),
): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const network = join(dir, `${name}-network.svg`);
  writeFileSync(network, await mx.viz.plotNetwork(symbol, { shape, title: name }).toSVG());
  const chart = join(dir, `${name}-history.svg`);
  writeFileSync(chart, mx.viz.plotHistory(history, { title: `${name}: metrics per epoch` }));
  return [network, chart].map((p) => relative(process.cwd(), p));
}

/** Writes the pictures and prints one line naming them. */
export function savePictures(name: string, symbol: mx.Symbol, shape: Readonly<Record<string, readonly number[]>>, history: readonly mx.mod.EpochRecord[]): void {
  writePictures(name, symbol, shape, history).then(
    (paths) => console.log(`pictures: ${paths.join(', ')}`),
    (error: unknown) => {
      console.error(`pictures not written: ${String(error)}`);
      process.exitCode = 1;
    },
  );
}
