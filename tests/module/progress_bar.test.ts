/** mx.callback.ProgressBar: one line over a whole fit, redrawn on a terminal, a few plain lines elsewhere. */
import * as mx from 'mxts';

function fakeStream(isTTY: boolean): { write(text: string): void; isTTY: boolean; text: string } {
  return { isTTY, text: '', write(text: string) { this.text += text; } };
}

/** Drives the callback as Module.fit does: nbatch 0..batches-1 per epoch, the metric updated in between. */
function drive(cb: mx.callback.BatchEndCallback, numEpoch: number, batches: number, metric: mx.metric.AnyMetric | null): void {
  for (let epoch = 0; epoch < numEpoch; epoch++) {
    metric?.reset();
    for (let nbatch = 0; nbatch < batches; nbatch++) {
      metric?.update([mx.nd.array([1, 0])], [mx.nd.array([[0.2, 0.8], [0.9, 0.1]])]);
      cb({ epoch, nbatch, evalMetric: metric });
    }
  }
}

test('not a terminal: `lines` plain lines over the fit, each at an epoch end, with epoch, batches, speed and metric', () => {
  const stream = fakeStream(false);
  let clock = 0;
  const cb = mx.callback.ProgressBar({ numEpoch: 10, batchSize: 4, stream, lines: 5, width: 4, now: () => (clock += 0.5) });
  drive(cb, 10, 3, mx.metric.create('acc'));
  const lines = stream.text.trimEnd().split('\n');
  expect(lines).toHaveLength(5);
  expect(stream.text).not.toContain('\r');
  // Epochs 2, 4, ..., 10; batches 0..2 every 0.5 s: 2 batches in 1 s after the first, 8 samples/s.
  expect(lines[0]).toBe('Epoch 2/10 [####] 3/3  8 samples/s  accuracy=1.0000');
  expect(lines[4]).toMatch(/^Epoch 10\/10 \[####\] 3\/3 {2}8 samples\/s {2}accuracy=1\.0000$/);
});

test('the batch count is learned in the first epoch when not given; batches/s without a batch size', () => {
  const stream = fakeStream(false);
  let clock = 0;
  const cb = mx.callback.ProgressBar({ numEpoch: 2, stream, lines: 2, width: 2, now: () => (clock += 1) });
  drive(cb, 2, 2, null);
  expect(stream.text.split('\n').filter(Boolean)).toEqual(['Epoch 1/2 batch 2  1.0 batches/s', 'Epoch 2/2 [##] 2/2  1.0 batches/s']);
});

test('a terminal: the line is redrawn with \\r (at most every 50 ms) and kept on screen at the end', () => {
  const stream = fakeStream(true);
  let clock = 0;
  const cb = mx.callback.ProgressBar({ numEpoch: 3, batchesPerEpoch: 2, stream, width: 2, now: () => (clock += 0.01) });
  drive(cb, 3, 2, mx.metric.create('acc'));
  expect(stream.text.startsWith('\r')).toBe(true);
  expect(stream.text.endsWith('\n')).toBe(true);
  expect(stream.text.split('\n')).toHaveLength(2);
  const draws = stream.text.split('\r').filter(Boolean);
  expect(draws.length).toBeLessThan(6);
  expect(draws[draws.length - 1]).toMatch(/^Epoch 3\/3 \[##\] 2\/2 {2}100\.0 batches\/s {2}accuracy=1\.0000\n$/);
});
