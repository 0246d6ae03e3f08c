/**
 * mx.metric against MXNet's documented values (python/mxnet/metric.py docstrings, 1.x) and
 * hand-computed ones.
 */
import { NDArray } from '../../src/ndarray/ndarray';
import { array } from '../../src/ndarray/creation';
import { ShapeError, ValueError } from '../../src/base/errors';
import * as metric from '../../src/metric/index';

const PREDS = () => [array([[0.3, 0.7], [0, 1], [0.4, 0.6]])];
const LABELS = () => [array([0, 1, 1])];
const REG_PRED = () => [array([3, -0.5, 2, 7], { shape: [4, 1] })];
const REG_LABEL = () => [array([2.5, 0, 2, 8], { shape: [4, 1] })];

describe('EvalMetric protocol', () => {
  test('get() is [name, NaN] before any update, and reset() clears both counters', () => {
    const acc = new metric.Accuracy();
    expect(acc.get()[0]).toBe('accuracy');
    expect(Number.isNaN(acc.get()[1])).toBe(true);
    acc.update(LABELS(), PREDS());
    expect(acc.numInst).toBe(3);
    expect(acc.sumMetric).toBe(2);
    acc.reset();
    expect([acc.numInst, acc.sumMetric]).toEqual([0, 0]);
  });

  test('getNameValue() is a list of [name, value] pairs', () => {
    const acc = new metric.Accuracy({ name: 'my_acc' });
    acc.update(LABELS(), PREDS());
    expect(acc.getNameValue()).toEqual([['my_acc', 2 / 3]]);
  });

  test('a single NDArray is accepted in place of a list', () => {
    const acc = new metric.Accuracy();
    acc.update(LABELS()[0]!, PREDS()[0]!);
    expect(acc.get()[1]).toBeCloseTo(2 / 3, 12);
  });

  test('updateDict picks outputs and labels by name', () => {
    const acc = new metric.Accuracy({ outputNames: ['sm_output'], labelNames: ['sm_label'] });
    acc.updateDict({ other: array([5, 5, 5]), sm_label: LABELS()[0]! }, { x: array([1]), sm_output: PREDS()[0]! });
    expect(acc.get()[1]).toBeCloseTo(2 / 3, 12);
    expect(() => acc.updateDict({ other: array([1]) }, { sm_output: PREDS()[0]! })).toThrow(ValueError);
  });

  test('different numbers of labels and predictions is a ValueError naming both counts', () => {
    const acc = new metric.Accuracy();
    expect(() => acc.update([array([0]), array([1])], PREDS())).toThrow(ValueError);
    expect(() => acc.update([array([0]), array([1])], PREDS())).toThrow('Accuracy: labels count 2 does not match the number of predictions 1');
  });

  test('non-arrays are rejected', () => {
    expect(() => new metric.MSE().update([1, 2] as unknown as NDArray[], REG_PRED())).toThrow(ValueError);
  });
});

describe('Accuracy', () => {
  test('MXNet test_acc: argmax of [[0.3,0.7],[0,1],[0.4,0.6]] against [0,1,1] is 2/3', () => {
    const acc = new metric.Accuracy();
    acc.update(LABELS(), PREDS());
    expect(acc.get()).toEqual(['accuracy', 2 / 3]);
  });

  test('accumulates over batches by sample count', () => {
    const acc = new metric.Accuracy();
    acc.update(LABELS(), PREDS());
    acc.update([array([1])], [array([[0.9, 0.1]])]);
    expect(acc.get()[1]).toBeCloseTo(2 / 4, 12);
  });

  test('predictions of the label shape are class indices truncated to int32, as are labels', () => {
    const acc = new metric.Accuracy();
    acc.update([array([0.9, 1.99, 2, -0.5])], [array([0, 1.2, 2.7, 0])]);
    // labels -> [0, 1, 2, 0], preds -> [0, 1, 2, 0]
    expect(acc.get()[1]).toBe(1);
  });

  test('axis selects the class axis', () => {
    const acc = new metric.Accuracy({ axis: 0 });
    // columns are samples: argmax over axis 0 -> [1, 0]
    acc.update([array([1, 1])], [array([[0.2, 0.6], [0.8, 0.4]])]);
    expect(acc.get()[1]).toBe(0.5);
  });

  test('a single-column (logistic) prediction is thresholded at 0.5', () => {
    const acc = new metric.Accuracy();
    acc.update([array([1, 0, 1, 0])], [array([[0.8], [0.3], [0.4], [0.5]])]);
    // predicted [1, 0, 0, 0]
    expect(acc.get()[1]).toBe(0.75);
    const same = new metric.Accuracy();
    same.update([array([[1], [0]])], [array([[0.9], [0.1]])]);
    expect(same.get()[1]).toBe(1);
  });

  test('a prediction count that does not fit the labels is a ShapeError', () => {
    const acc = new metric.Accuracy();
    expect(() => acc.update([array([0, 1])], PREDS())).toThrow(ShapeError);
    expect(() => acc.update([array([0, 1])], PREDS())).toThrow('Accuracy: labels of shape [2] do not fit predictions of shape [3,2]');
  });

  test('an axis out of range is a ValueError', () => {
    expect(() => new metric.Accuracy({ axis: 3 }).update(LABELS(), PREDS())).toThrow(ValueError);
  });
});

describe('TopKAccuracy', () => {
  test('counts a hit when the label is among the k largest, name top_k_accuracy_<k>', () => {
    const top2 = new metric.TopKAccuracy({ topK: 2 });
    expect(top2.name).toBe('top_k_accuracy_2');
    const preds = array([
      [0.1, 0.5, 0.4],
      [0.6, 0.3, 0.1],
      [0.2, 0.2, 0.6],
      [0.3, 0.3, 0.4],
    ]);
    top2.update([array([2, 2, 0, 1])], [preds]);
    // row 0 top2 {1,2} hit; row 1 {0,1} miss; row 2 {2, then 1 on the tie} miss; row 3 {2, 1} hit
    expect(top2.get()[1]).toBe(0.5);
  });

  test('k above the class count means every label hits', () => {
    const top = new metric.TopKAccuracy({ topK: 5 });
    top.update(LABELS(), PREDS());
    expect(top.get()[1]).toBe(1);
  });

  test('topK of 1 is rejected (use Accuracy)', () => {
    expect(() => new metric.TopKAccuracy({ topK: 1 })).toThrow(ValueError);
  });

  test('1-D predictions are a ShapeError', () => {
    expect(() => new metric.TopKAccuracy({ topK: 2 }).update([array([1])], [array([0.3])])).toThrow(ShapeError);
  });
});

describe('F1', () => {
  test('MXNet docstring: preds [[0.3,0.7],[0,1],[0.4,0.6]], labels [0,1,1] give 0.8', () => {
    const f1 = new metric.F1();
    f1.update(LABELS(), PREDS());
    expect(f1.get()[0]).toBe('f1');
    expect(f1.get()[1]).toBeCloseTo(0.8, 12);
  });

  test('no positive predictions or labels gives 0, not NaN', () => {
    const f1 = new metric.F1();
    f1.update([array([0, 0])], [array([[0.9, 0.1], [0.8, 0.2]])]);
    expect(f1.get()[1]).toBe(0);
  });

  test('macro averages per update; micro pools every sample', () => {
    const macro = new metric.F1({ average: 'macro' });
    const micro = metric.create('f1', { average: 'micro' });
    // batch 1: tp=1, fn=1 -> p=1, r=1/2, f1=2/3
    const l1 = [array([1, 1])];
    const p1 = [array([[0.1, 0.9], [0.8, 0.2]])];
    // batch 2: tp=1, fp=1 -> p=1/2, r=1, f1=2/3... then pooled tp=2, fp=1, fn=1 -> 2/3
    const l2 = [array([1, 0, 0])];
    const p2 = [array([[0.2, 0.8], [0.3, 0.7], [0.6, 0.4]])];
    for (const m of [macro, micro]) {
      m.update(l1, p1);
      m.update(l2, p2);
    }
    expect(macro.numInst).toBe(2);
    expect(macro.get()[1]).toBeCloseTo(2 / 3, 12);
    expect(micro.numInst).toBe(5);
    expect(micro.get()[1]).toBeCloseTo(2 / 3, 12);
    // a third batch separates them: all-correct negatives add F1 0 to macro, nothing to micro
    macro.update([array([0])], [array([[0.9, 0.1]])]);
    micro.update([array([0])], [array([[0.9, 0.1]])]);
    expect(macro.get()[1]).toBeCloseTo((2 / 3 + 2 / 3 + 0) / 3, 12);
    expect(micro.get()[1]).toBeCloseTo(2 / 3, 12);
  });

  test('more than two label classes is a ValueError', () => {
    expect(() => new metric.F1().update([array([0, 1, 2])], [array([[1, 0], [0, 1], [1, 0]])])).toThrow('F1 currently only supports binary classification');
  });

  test('an unknown average is a ValueError', () => {
    expect(() => new metric.F1({ average: 'weighted' as 'macro' })).toThrow(ValueError);
  });
});

describe('regression metrics average over batches', () => {
  test('MXNet docstrings: MAE 0.5, MSE 0.375, RMSE 0.612372457981', () => {
    const mae = new metric.MAE();
    const mse = new metric.MSE();
    const rmse = new metric.RMSE();
    for (const m of [mae, mse, rmse]) m.update(REG_LABEL(), REG_PRED());
    expect(mae.get()).toEqual(['mae', 0.5]);
    expect(mse.get()).toEqual(['mse', 0.375]);
    expect(rmse.get()[1]).toBeCloseTo(Math.sqrt(0.375), 12); // the docstring prints 0.612372457981 (7 digits agree)
    expect(rmse.get()[1]).toBeCloseTo(0.612372457981, 7);
  });

  test('two batches of different sizes weigh equally (MXNet counts batches, not samples)', () => {
    const mse = new metric.MSE();
    mse.update([array([0, 0, 0, 0])], [array([1, 1, 1, 1])]); // batch MSE 1
    mse.update([array([0])], [array([3])]); // batch MSE 9
    expect(mse.numInst).toBe(2);
    expect(mse.get()[1]).toBe(5);
    const rmse = new metric.RMSE();
    rmse.update([array([0, 0])], [array([3, 4])]); // sqrt(12.5)
    rmse.update([array([0])], [array([1])]); // 1
    expect(rmse.get()[1]).toBeCloseTo((Math.sqrt(12.5) + 1) / 2, 12);
  });

  test('a 1-D label goes with an (n,1) prediction', () => {
    const mae = new metric.MAE();
    mae.update([array([2.5, 0, 2, 8])], REG_PRED());
    expect(mae.get()[1]).toBe(0.5);
  });

  test('a size mismatch is a ShapeError (no silent numpy broadcasting)', () => {
    expect(() => new metric.MAE().update([array([1, 2])], REG_PRED())).toThrow(ShapeError);
  });

  test('PearsonCorrelation docstring value 0.42163704544016178', () => {
    const pr = new metric.PearsonCorrelation();
    pr.update([array([[1, 0], [0, 1], [0, 1]])], PREDS());
    expect(pr.get()[0]).toBe('pearsonr');
    expect(pr.get()[1]).toBeCloseTo(0.42163704544016178, 6);
  });

  test('PearsonCorrelation needs equal shapes', () => {
    expect(() => new metric.PearsonCorrelation().update(LABELS(), PREDS())).toThrow(ShapeError);
  });
});

describe('probability metrics', () => {
  test('CrossEntropy docstring value 0.57159948348999023', () => {
    const ce = new metric.CrossEntropy();
    ce.update(LABELS(), PREDS());
    expect(ce.get()[0]).toBe('cross-entropy');
    expect(ce.get()[1]).toBeCloseTo(0.57159948348999023, 6);
    expect(ce.numInst).toBe(3);
  });

  test('CrossEntropy adds eps inside the log', () => {
    const ce = new metric.CrossEntropy({ eps: 0.5 });
    ce.update([array([0])], [array([[0.5, 0.5]])]);
    expect(ce.get()[1]).toBeCloseTo(-Math.log(1), 12);
  });

  test('NegativeLogLikelihood gives the same value under nll-loss', () => {
    const nll = metric.create('nll_loss');
    nll.update(LABELS(), PREDS());
    expect(nll.get()[0]).toBe('nll-loss');
    expect(nll.get()[1]).toBeCloseTo(0.57159948348999023, 6);
  });

  test('a label outside the classes is a ValueError; a row count mismatch a ShapeError', () => {
    expect(() => new metric.CrossEntropy().update([array([0, 1, 2])], PREDS())).toThrow(ValueError);
    expect(() => new metric.CrossEntropy().update([array([0, 1])], PREDS())).toThrow(ShapeError);
  });

  test('Perplexity docstring value 1.7710976285155853 with ignoreLabel null', () => {
    const perp = new metric.Perplexity({ ignoreLabel: null });
    perp.update(LABELS(), PREDS());
    expect(perp.get()[0]).toBe('perplexity');
    expect(perp.get()[1]).toBeCloseTo(1.7710976285155853, 6);
  });

  test('Perplexity leaves out ignored labels from sum and count', () => {
    const perp = new metric.Perplexity({ ignoreLabel: 1 });
    perp.update(LABELS(), PREDS());
    expect(perp.numInst).toBe(1);
    expect(perp.get()[1]).toBeCloseTo(1 / 0.3, 5);
  });

  test('Perplexity picks along axis 1 of (batch, classes, time) predictions', () => {
    // pred[b, c, t]; labels [b, t]
    const pred = array([[[0.5, 0.1], [0.5, 0.9]]]); // b=1, c=2, t=2
    const perp = new metric.Perplexity({ axis: 1 });
    perp.update([array([[0, 1]])], [pred]);
    expect(perp.get()[1]).toBeCloseTo(Math.exp(-(Math.log(0.5) + Math.log(0.9)) / 2), 6);
  });

  test('Perplexity with a label count not fitting the predictions is a ShapeError', () => {
    expect(() => new metric.Perplexity().update([array([0, 1])], PREDS())).toThrow(ShapeError);
  });
});

describe('Loss and CustomMetric', () => {
  test('Loss is the mean of every output element; labels are ignored', () => {
    const loss = new metric.Loss();
    loss.update([], [array([1, 2, 3]), array([[4]])]);
    expect(loss.get()).toEqual(['loss', 2.5]);
  });

  test('MXNet docstring: feval (x + y).mean() on the regression example gives 6.0, named custom(<lambda>)', () => {
    const m = new metric.CustomMetric((label, pred) => {
      let s = 0;
      for (let i = 0; i < label.size; i++) s += label.data[i]! + pred.data[i]!;
      return s / label.size;
    });
    m.update(REG_LABEL(), REG_PRED());
    expect(m.get()).toEqual(['custom(<lambda>)', 6]);
  });

  test('feval is called label first and is named after the function', () => {
    const seen: number[][] = [];
    function firstValues(label: NDArray, pred: NDArray): number {
      seen.push([label.data[0]!, pred.data[0]!]);
      return 0;
    }
    const m = metric.create(firstValues);
    m.update([array([7])], [array([9])]);
    expect(seen).toEqual([[7, 9]]);
    expect(m.name).toBe('firstValues');
  });

  test('np(feval, name) is a CustomMetric', () => {
    const m = metric.np((l) => l.size, 'count');
    m.update(LABELS(), PREDS());
    expect(m.get()).toEqual(['count', 3]);
    expect(metric.np(function meanAbs() { return 0; }).name).toBe('meanAbs');
  });

  test('a [sum, count] result adds both; a scalar adds one instance', () => {
    const m = new metric.CustomMetric(() => [6, 3], { name: 'pairs' });
    m.update([array([0]), array([0])], [array([0]), array([0])]);
    expect([m.sumMetric, m.numInst]).toEqual([12, 6]);
    const s = new metric.CustomMetric(() => 4);
    s.update(LABELS(), PREDS());
    expect([s.sumMetric, s.numInst]).toEqual([4, 1]);
  });

  test('by default (the API contract) a two-column prediction reaches feval as its second column; twoColumnRule: false passes it whole (MXNet >= 0.11)', () => {
    const shapes: number[][] = [];
    const feval = (_l: NDArray, p: NDArray) => (shapes.push([...p.shape]), p.data[0]!);
    const contract = new metric.CustomMetric(feval);
    expect(contract.twoColumnRule).toBe(true);
    contract.update(LABELS(), PREDS());
    const whole = new metric.CustomMetric(feval, { twoColumnRule: false });
    whole.update(LABELS(), PREDS());
    expect(shapes).toEqual([[3], [3, 2]]);
    expect(contract.get()[1]).toBeCloseTo(0.7, 6);
    expect(whole.get()[1]).toBeCloseTo(0.3, 6);
  });

  test('the two-column rule leaves other shapes whole, and applies through create and np', () => {
    const shapes: number[][] = [];
    const feval = (_l: NDArray, p: NDArray) => (shapes.push([...p.shape]), 0);
    new metric.CustomMetric(feval).update([array([0, 1])], [array([[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]])]);
    new metric.CustomMetric(feval).update([array([0, 1])], [array([0.2, 0.7])]);
    metric.create(feval).update(LABELS(), PREDS());
    metric.np(feval).update(LABELS(), PREDS());
    metric.create(feval, { twoColumnRule: false }).update(LABELS(), PREDS());
    expect(shapes).toEqual([[2, 3], [2], [3], [3], [3, 2]]);
  });

  test('feval receives copies: writing into them does not touch the outputs', () => {
    const pred = PREDS();
    new metric.CustomMetric((_l, p) => (p.data.fill(0), 0)).update(LABELS(), pred);
    expect(pred[0]!.data[1]).toBeCloseTo(0.7, 6);
  });

  test('extra outputs are an error unless allowExtraOutputs', () => {
    const preds = [...PREDS(), array([1, 2])];
    expect(() => new metric.CustomMetric(() => 1).update(LABELS(), preds)).toThrow(ValueError);
    const m = new metric.CustomMetric(() => 1, { allowExtraOutputs: true });
    m.update(LABELS(), preds);
    expect(m.numInst).toBe(1);
  });

  test('a feval returning something else is a ValueError; a non-function feval too', () => {
    expect(() => new metric.CustomMetric((() => 'x') as unknown as metric.Feval).update(LABELS(), PREDS())).toThrow(ValueError);
    expect(() => new metric.CustomMetric(3 as unknown as metric.Feval)).toThrow(ValueError);
  });
});

describe('CompositeEvalMetric and create', () => {
  test('MXNet docstring: accuracy and f1 together give [[accuracy, f1], [2/3, 0.8]]', () => {
    const composite = new metric.CompositeEvalMetric();
    composite.add(new metric.Accuracy());
    composite.add('f1');
    composite.update(LABELS(), PREDS());
    const [names, values] = composite.get();
    expect(names).toEqual(['accuracy', 'f1']);
    expect(values[0]).toBeCloseTo(2 / 3, 12);
    expect(values[1]).toBeCloseTo(0.8, 12);
    expect(composite.getNameValue().map(([n]) => n)).toEqual(['accuracy', 'f1']);
    composite.reset();
    expect(composite.getMetric(0).numInst).toBe(0);
    expect(() => composite.getMetric(2)).toThrow(ValueError);
  });

  test('create maps names and aliases case-insensitively, functions and lists', () => {
    expect(metric.create('acc')).toBeInstanceOf(metric.Accuracy);
    expect(metric.create('Accuracy')).toBeInstanceOf(metric.Accuracy);
    expect(metric.create('ce')).toBeInstanceOf(metric.CrossEntropy);
    expect(metric.create('top_k_acc', { topK: 3 }).name).toBe('top_k_accuracy_3');
    expect(metric.create('pearsonr')).toBeInstanceOf(metric.PearsonCorrelation);
    const inst = new metric.MSE();
    expect(metric.create(inst)).toBe(inst);
    const list = metric.create(['acc', 'rmse', (l: NDArray) => l.size]) as metric.CompositeEvalMetric;
    expect(list).toBeInstanceOf(metric.CompositeEvalMetric);
    expect(list.metrics.map((m) => m.constructor.name)).toEqual(['Accuracy', 'RMSE', 'CustomMetric']);
  });

  test('composite updateDict filters by its own names before the children pick theirs', () => {
    const composite = new metric.CompositeEvalMetric(['acc'], { labelNames: ['l'] });
    composite.updateDict({ l: LABELS()[0]!, extra: array([0, 0, 0]) }, { out: PREDS()[0]! });
    expect(composite.get()[1][0]).toBeCloseTo(2 / 3, 12);
  });

  test('an unknown name is a ValueError listing the known ones, with a suggestion', () => {
    expect(() => metric.create('accuracyy')).toThrow(ValueError);
    expect(() => metric.create('accuracyy')).toThrow(/'accuracyy' is not a known metric \(did you mean 'accuracy'\?\); known metrics are acc, accuracy, ce, /);
    expect(() => metric.create(42 as unknown as string)).toThrow(ValueError);
  });

  test('an option the metric does not take is a ValueError naming it', () => {
    expect(() => metric.create('acc', { axs: 1 })).toThrow("metric.create: axs is not an option of this metric (did you mean 'axis'?); it takes name, outputNames, labelNames, axis");
    expect(() => metric.create((l: NDArray) => l.size, { topK: 2 })).toThrow(ValueError);
    expect(metric.create('perplexity', { ignoreLabel: -1, name: 'ppl' }).name).toBe('ppl');
  });
});

describe('global statistics (MXNet has_global_stats)', () => {
  test('resetLocal clears the local counters only; getGlobal covers everything since reset', () => {
    const acc = new metric.Accuracy();
    acc.update(LABELS(), PREDS()); // 2/3
    acc.resetLocal();
    acc.update([array([1])], [array([[0.9, 0.1]])]); // 0/1
    expect(acc.get()[1]).toBe(0);
    expect(acc.getGlobal()[1]).toBeCloseTo(2 / 4, 12);
    expect(acc.getGlobalNameValue()).toEqual([['accuracy', 0.5]]);
    acc.reset();
    expect(Number.isNaN(acc.getGlobal()[1])).toBe(true);
  });

  test('composite, perplexity and micro F1 keep global values across resetLocal', () => {
    const composite = new metric.CompositeEvalMetric(['acc', new metric.Perplexity(), new metric.F1({ average: 'micro' })]);
    composite.update(LABELS(), PREDS());
    const before = composite.getGlobal()[1];
    composite.resetLocal();
    expect(composite.get()[1].every(Number.isNaN)).toBe(true);
    expect(composite.getGlobal()[1]).toEqual(before);
    expect(before[1]).toBeCloseTo(1.7710976285155853, 6);
    expect(before[2]).toBeCloseTo(0.8, 12);
  });
});
