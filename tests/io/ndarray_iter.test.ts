/** NDArrayIter: batching, the three last-batch modes with their pad counts, shuffling, errors. */
import { ValueError } from '../../src/base/errors';
import { seed } from '../../src/base/random';
import { array } from '../../src/ndarray/creation';
import { NDArrayIter, DataBatch } from '../../src/io/index';

const ten = () => array(Array.from({ length: 10 }, (_, i) => [i, 100 + i])); // (10, 2)
const tenLabels = () => array(Array.from({ length: 10 }, (_, i) => i));
const firstColumn = (b: DataBatch) => Array.from(b.data[0]!.data.filter((_, k) => k % 2 === 0));
const epoch = (it: NDArrayIter) => [...it].map((b) => ({ rows: firstColumn(b), label: Array.from(b.label[0]?.data ?? []), pad: b.pad }));

describe('NDArrayIter batching', () => {
  test('provideData / provideLabel give names and per-batch shapes (MXNet defaults data, softmax_label)', () => {
    const it = new NDArrayIter({ data: ten(), label: tenLabels(), batchSize: 4 });
    expect(it.provideData).toEqual([{ name: 'data', shape: [4, 2], dtype: 'float32', layout: 'NCHW' }]);
    expect(it.provideLabel).toEqual([{ name: 'softmax_label', shape: [4], dtype: 'float32', layout: 'NCHW' }]);
  });

  test('dataName / labelName rename the single inputs; lists become _i_<name>; records are sorted by name', () => {
    expect(new NDArrayIter({ data: ten(), label: tenLabels(), batchSize: 2, dataName: 'x', labelName: 'y' }).provideLabel[0]!.name).toBe('y');
    const listed = new NDArrayIter({ data: [ten(), tenLabels()], batchSize: 2 });
    expect(listed.provideData.map((d) => d.name)).toEqual(['_0_data', '_1_data']);
    const named = new NDArrayIter({ data: { b: ten(), a: tenLabels() }, batchSize: 2 });
    expect(named.provideData.map((d) => [d.name, d.shape])).toEqual([['a', [2]], ['b', [2, 2]]]);
    // MXNet sorts the generated names as strings too
    const many = new NDArrayIter({ data: Array.from({ length: 11 }, () => tenLabels()), batchSize: 2 });
    expect(many.provideData.map((d) => d.name).slice(0, 3)).toEqual(['_0_data', '_10_data', '_1_data']);
  });

  test('nested plain arrays are accepted as data and label', () => {
    const it = new NDArrayIter({ data: [[1, 2], [3, 4], [5, 6]], label: [0, 1, 0], batchSize: 3 });
    const b = it.next()!;
    expect(Array.from(b.data[0]!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(b.label[0]!.shape).toEqual([3]);
  });

  test('pad mode: the last batch wraps to the start and pad counts the repeated rows', () => {
    const it = new NDArrayIter({ data: ten(), label: tenLabels(), batchSize: 4 });
    expect(epoch(it)).toEqual([
      { rows: [0, 1, 2, 3], label: [0, 1, 2, 3], pad: 0 },
      { rows: [4, 5, 6, 7], label: [4, 5, 6, 7], pad: 0 },
      { rows: [8, 9, 0, 1], label: [8, 9, 0, 1], pad: 2 },
    ]);
    expect(it.next()).toBeNull();
    expect(it.next()).toBeNull();
    it.reset();
    expect(epoch(it).map((b) => b.pad)).toEqual([0, 0, 2]);
  });

  test('a batch size dividing the data gives no padding', () => {
    expect(epoch(new NDArrayIter({ data: ten(), batchSize: 5 })).map((b) => b.pad)).toEqual([0, 0]);
  });

  test('discard mode drops the incomplete batch', () => {
    const it = new NDArrayIter({ data: ten(), batchSize: 4, lastBatchHandle: 'discard' });
    expect(epoch(it)).toEqual([
      { rows: [0, 1, 2, 3], label: [], pad: 0 },
      { rows: [4, 5, 6, 7], label: [], pad: 0 },
    ]);
  });

  test('roll_over mode keeps the tail back and starts the next epoch with it', () => {
    const it = new NDArrayIter({ data: ten(), label: tenLabels(), batchSize: 4, lastBatchHandle: 'roll_over' });
    expect(epoch(it).map((b) => b.rows)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    it.reset();
    expect(epoch(it)).toEqual([
      { rows: [8, 9, 0, 1], label: [8, 9, 0, 1], pad: 0 },
      { rows: [2, 3, 4, 5], label: [2, 3, 4, 5], pad: 0 },
      { rows: [6, 7, 8, 9], label: [6, 7, 8, 9], pad: 0 },
    ]);
    it.reset();
    // the second epoch ended on a full batch: nothing rolls over into the third
    expect(epoch(it).map((b) => b.rows)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
  });

  test('batches carry the source row positions as index', () => {
    const it = new NDArrayIter({ data: ten(), batchSize: 4 });
    it.next();
    it.next();
    expect(it.next()!.index).toEqual([8, 9, 0, 1]);
  });

  test('batches are copies: writing into one leaves the source alone', () => {
    const source = ten();
    const b = new NDArrayIter({ data: source, batchSize: 2 }).next()!;
    b.data[0]!.data.fill(-1);
    expect(source.data[0]).toBe(0);
  });

  test('the JS iterator protocol walks one epoch', () => {
    const it = new NDArrayIter({ data: ten(), batchSize: 3 });
    let count = 0;
    for (const batch of it) {
      expect(batch.data[0]!.shape).toEqual([3, 2]);
      count++;
    }
    expect(count).toBe(4);
  });
});

describe('NDArrayIter shuffling', () => {
  test('shuffle visits a permutation, keeps data and label rows together, and is reproducible by seed', () => {
    const run = () => {
      seed(7);
      const it = new NDArrayIter({ data: ten(), label: tenLabels(), batchSize: 5, shuffle: true });
      const first = epoch(it);
      it.reset();
      return [first, epoch(it)];
    };
    const [a, b] = run();
    const [a2] = run();
    expect(a).toEqual(a2);
    const rows = a!.flatMap((x) => x.rows);
    expect([...rows].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rows).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(b!.flatMap((x) => x.rows)).not.toEqual(rows);
    for (const batch of a!) expect(batch.label).toEqual(batch.rows);
  });
});

describe('NDArrayIter bad input', () => {
  test('a batch size larger than the data is a ValueError', () => {
    expect(() => new NDArrayIter({ data: ten(), batchSize: 11 })).toThrow(ValueError);
    expect(() => new NDArrayIter({ data: ten(), batchSize: 11 })).toThrow('NDArrayIter: batchSize 11 is larger than the data size 10');
  });

  test('data and label of different lengths is a ValueError naming the array', () => {
    expect(() => new NDArrayIter({ data: ten(), label: array([0, 1, 2]), batchSize: 2 })).toThrow(
      "NDArrayIter: softmax_label has 3 samples (shape [3]) but 'data' has 10: data and label must have the same length",
    );
  });

  test('bad batch sizes, modes and sources are ValueErrors', () => {
    expect(() => new NDArrayIter({ data: ten(), batchSize: 0 })).toThrow(ValueError);
    expect(() => new NDArrayIter({ data: ten(), batchSize: 2.5 })).toThrow(ValueError);
    expect(() => new NDArrayIter({ data: ten(), lastBatchHandle: 'wrap' as 'pad' })).toThrow(/must be one of pad, discard, roll_over/);
    expect(() => new NDArrayIter({ data: {} })).toThrow(ValueError);
    expect(() => new NDArrayIter({ data: array(3) })).toThrow(ValueError);
    expect(() => new NDArrayIter(undefined as unknown as { data: number[] })).toThrow(ValueError);
  });
});
