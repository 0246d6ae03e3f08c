/** The progress display of Module.fit: log lines off a terminal, a redrawn bar on one. */
import * as mx from 'mxts';
import { Logger, silentLogger } from '../../src/callback';
import { Module } from '../../src/module/index';
import { Progress, expectedBatches } from '../../src/module/progress';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: () => undefined };
}

function setup(): { mod: Module; iter: mx.io.NDArrayIter } {
  mx.random.seed(4);
  const x = mx.nd.random.uniform(-1, 1, [50, 2]);
  const y = mx.nd.array(Array.from({ length: 50 }, (_, i) => (x.data[2 * i]! > 0 ? 1 : 0)));
  const net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(mx.sym.Variable('data'), { num_hidden: 2, name: 'fc' }), { name: 'softmax' });
  const logger = recordingLogger();
  return { mod: new Module({ symbol: net, logger }), iter: new mx.io.NDArrayIter({ data: x, label: y, batchSize: 8 }) };
}

test('off a terminal, fit logs Speedometer-style lines every `frequent` batches: epoch, batch i/n, speed, metric', () => {
  const { mod, iter } = setup();
  const logger = recordingLogger();
  mod.fit(iter, { numEpoch: 2, logger, progress: { frequent: 3, tty: false } });
  // 50 samples in batches of 8, last one padded: 7 batches, reported after batches 3 and 6.
  const progress = logger.lines.filter((l) => l.includes('Batch'));
  expect(progress).toHaveLength(4);
  progress.forEach((line, i) => {
    const epoch = Math.floor(i / 2);
    const done = i % 2 === 0 ? 3 : 6;
    expect(line).toMatch(new RegExp(`^Epoch\\[${epoch}\\] Batch \\[${done}/7\\]\\tSpeed: (\\d+\\.\\d{2}|inf) samples/sec\\taccuracy=\\d\\.\\d{6}$`));
  });
  // The epoch summary follows the epoch's progress lines.
  expect(logger.lines.slice(0, 4).map((l) => l.replace(/[\d.]+|inf/g, '#'))).toEqual([
    'Epoch[#] Batch [#/#]\tSpeed: # samples/sec\taccuracy=#',
    'Epoch[#] Batch [#/#]\tSpeed: # samples/sec\taccuracy=#',
    'Epoch[#] Train-accuracy=#',
    'Epoch[#] Time cost=#',
  ]);
});

test('the speed is frequent * batchSize / seconds since the last report', () => {
  const logger = recordingLogger();
  let t = 0;
  const progress = new Progress(logger, 8, { frequent: 2, tty: false, now: () => t });
  const metric = new mx.metric.Accuracy();
  metric.update([mx.nd.array([1, 0])], [mx.nd.array([[0.2, 0.8], [0.9, 0.1]])]);
  progress.startEpoch(3, null);
  t = 0.5;
  progress.batch(0, metric);
  t = 1;
  progress.batch(1, metric);
  expect(logger.lines).toEqual(['Epoch[3] Batch [2]\tSpeed: 16.00 samples/sec\taccuracy=1.000000']);
});

test('on a terminal, one line is redrawn with \\r (epoch, bar, batch i/n, metric) and erased at the end of the epoch', () => {
  const writes: string[] = [];
  let t = 0;
  const progress = new Progress(silentLogger, 8, { tty: true, write: (s) => writes.push(s), now: () => (t += 1), width: 10 });
  const metric = new mx.metric.Accuracy();
  metric.update([mx.nd.array([1, 0])], [mx.nd.array([[0.2, 0.8], [0.2, 0.8]])]);
  progress.startEpoch(0, 4);
  for (let i = 0; i < 4; i++) progress.batch(i, metric);
  progress.endEpoch();
  expect(writes.slice(0, 4)).toEqual([
    '\rEpoch[0] [###.......] 1/4 accuracy=0.500000',
    '\rEpoch[0] [#####.....] 2/4 accuracy=0.500000',
    '\rEpoch[0] [########..] 3/4 accuracy=0.500000',
    '\rEpoch[0] [##########] 4/4 accuracy=0.500000',
  ]);
  expect(writes[4]).toBe(`\r${' '.repeat(writes[3]!.length - 1)}\r`);
});

test('silentLogger silences the log lines; progress: false turns the display off', () => {
  const { mod, iter } = setup();
  const writes: string[] = [];
  expect(() => mod.fit(iter, { numEpoch: 1, logger: silentLogger, progress: { frequent: 1, tty: false, write: (s) => writes.push(s) } })).not.toThrow();
  expect(writes).toEqual([]);
  const logger = recordingLogger();
  mod.fit(iter, { numEpoch: 2, beginEpoch: 1, logger, progress: false });
  expect(logger.lines.some((l) => l.includes('Batch'))).toBe(false);
});

test('batches per epoch come from an NDArrayIter (pad rounds up, discard down, roll_over unknown)', () => {
  const x = mx.nd.zeros([50, 2]);
  expect(expectedBatches(new mx.io.NDArrayIter({ data: x, batchSize: 8 }))).toBe(7);
  expect(expectedBatches(new mx.io.NDArrayIter({ data: x, batchSize: 8, lastBatchHandle: 'discard' }))).toBe(6);
  expect(expectedBatches(new mx.io.NDArrayIter({ data: x, batchSize: 8, lastBatchHandle: 'roll_over' }))).toBeNull();
  expect(expectedBatches({})).toBeNull();
});
