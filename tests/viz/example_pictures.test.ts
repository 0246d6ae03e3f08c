/** The training examples' pictures (examples/pictures.ts): a network and a history SVG per run. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as mx from 'mxts';
import { writePictures } from '../../examples/util/pictures';
import { trainIris } from '../../examples/train_iris';
import { drawnNodes } from '../helpers/graphviz_svg';

// Graphviz's WebAssembly module starts on the first render (about a second on a loaded machine).
jest.setTimeout(30_000);

test('train_iris writes its network (4 operators, 2 inputs) and its history (train and held-out accuracy per epoch)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mxts-pictures-'));
  try {
    const result = trainIris({ numEpoch: 3, logger: mx.callback.silentLogger });
    const paths = await writePictures('train_iris', result.symbol, { data: [10, 4] }, result.history, dir);
    expect(paths.map((p) => p.split(/[\\/]/).pop())).toEqual(['train_iris-network.svg', 'train_iris-history.svg']);
    const network = drawnNodes(readFileSync(join(dir, 'train_iris-network.svg'), 'utf8'));
    expect(network.map((n) => n.texts.join(' '))).toEqual(['data', 'FullyConnected 16', 'Activation relu', 'FullyConnected 3', 'softmax_label', 'softmax']);
    const history = readFileSync(join(dir, 'train_iris-history.svg'), 'utf8');
    const lines = [...history.matchAll(/data-series="([^"]*)" points="([^"]*)"/g)].map((m) => [m[1], m[2]!.split(' ').length]);
    expect(lines).toEqual([['train accuracy', 3], ['validation accuracy', 3]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
