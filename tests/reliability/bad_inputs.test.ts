/**
 * Issue 12 items 5, 7, 9 and 11: every bad value gets a typed MXNetError with a clear message
 * (the valid values listed), metrics agree on out-of-range labels, and long lists are capped.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as mx from 'mxts';
import { thrown } from '../helpers/errors';

const x = () => mx.sym.Variable('x');

describe('gradReq values (item 5)', () => {
  test.each([
    ['a number', 123],
    ['a boolean', true],
    ['null', null],
    ['an unknown string', 'wirte'],
  ])('%s is a BindError listing the valid values', (_what, bad) => {
    for (const bind of [
      () => x().simpleBind(mx.cpu(), { shapes: { x: [2] }, gradReq: bad as never }),
      () => x().bind(mx.cpu(), { x: mx.nd.ones([2]) }, { gradReq: bad as never }),
    ]) {
      const err = thrown(bind);
      expect(err).toBeInstanceOf(mx.BindError);
      expect(err.message).toContain("'write', 'add', 'null', or a record");
    }
  });

  test('bad values inside a record or a list are named', () => {
    expect(thrown(() => x().simpleBind(mx.cpu(), { shapes: { x: [2] }, gradReq: { x: 1 } as never })).message).toContain("gradReq for x must be 'write', 'add' or 'null', got number 1");
    expect(thrown(() => x().simpleBind(mx.cpu(), { shapes: { x: [2] }, gradReq: [false] as never })).message).toContain('gradReq for x');
  });

  test('leaving gradReq out still means write', () => {
    expect(x().simpleBind(mx.cpu(), { shapes: { x: [2] } }).gradReqs).toEqual(['write']);
  });
});

describe('NDArray creation values (item 7)', () => {
  test.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'abc'],
    ['a boolean', true],
    ['a plain object', { a: 1 }],
    ['an object with a huge length', { length: 1e15 }],
  ])('mx.nd.array(%s) is a ValueError or ResourceError', (_what, bad) => {
    const err = thrown(() => mx.nd.array(bad as never));
    expect(err.constructor === mx.ValueError || err.constructor === mx.ResourceError).toBe(true);
  });

  test('strings inside lists are a ValueError naming the value', () => {
    expect(thrown(() => mx.nd.array([1, '2' as never]))).toBeInstanceOf(mx.ValueError);
    expect(thrown(() => mx.nd.array([1, '2' as never])).message).toContain("'2'");
  });

  test("dtype 'int128' is refused at creation, listing the dtypes", () => {
    const err = thrown(() => mx.nd.array([1], { dtype: 'int128' as never }));
    expect(err).toBeInstanceOf(mx.ValueError);
    expect(err.message).toContain('float32, float64, float16, uint8, int32, int8, int64, bool');
    expect(thrown(() => mx.nd.array([1], { dtype: 'constructor' as never }))).toBeInstanceOf(mx.ValueError);
  });

  test("a kernel string '(3,3' is a ParamError (brackets must pair)", () => {
    for (const bad of ['(3,3', '3,3)', '[3,3)', '((3,3)']) {
      expect(thrown(() => mx.sym.Convolution(x(), { kernel: bad, num_filter: 2 }))).toBeInstanceOf(mx.ParamError);
    }
    for (const good of ['(3,3)', '[3, 3]', '(3, 3)', ' (3,3) ']) {
      expect(mx.sym.Convolution(x(), { kernel: good, num_filter: 2, name: 'c' }).attr('kernel')).toBe(good);
    }
  });
});

describe('feeds (item 7)', () => {
  const exec = () => x().simpleBind(mx.cpu(), { shapes: { x: [3] } });

  test('a string feed is a BindError, not NaN', () => {
    const e = exec();
    const err = thrown(() => e.forward(false, { x: 'abc' as never }));
    expect(err).toBeInstanceOf(mx.BindError);
    expect(err.message).toContain('must be an NDArray, a nested list of numbers or a number typed array, got string');
    expect(Array.from(e.argDict['x']!.data)).toEqual([0, 0, 0]);
  });

  test('a list feed holding strings is a ValueError', () => {
    expect(thrown(() => exec().forward(false, { x: ['1', '2', '3'] as never }))).toBeInstanceOf(mx.ValueError);
  });

  test('numbers, lists and typed arrays still feed', () => {
    const e = exec();
    expect(Array.from(e.forward(false, { x: [1, 2, 3] })[0]!.data)).toEqual([1, 2, 3]);
    expect(Array.from(e.forward(false, { x: new Float32Array([4, 5, 6]) })[0]!.data)).toEqual([4, 5, 6]);
  });
});

describe('file loaders (item 7)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxts-reliability-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['mx.nd.load', (p: string) => mx.nd.load(p)],
    ['mx.sym.load', (p: string) => mx.sym.load(p)],
    ['mx.model.loadCheckpoint', (p: string) => mx.model.loadCheckpoint(p, 0)],
  ])('%s: a missing file and a directory are FileErrors naming the path', (_name, load) => {
    const missing = thrown(() => load(path.join(dir, 'missing'))) as mx.FileError;
    expect(missing).toBeInstanceOf(mx.FileError);
    expect(missing.code).toBe('ENOENT');
    expect(missing.message).toContain(path.join(dir, 'missing'));
    const directory = dir + path.sep;
    fs.mkdirSync(path.join(dir, 'adir-symbol.json'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'adir'), { recursive: true });
    const isDir = thrown(() => load(_name === 'mx.model.loadCheckpoint' ? path.join(dir, 'adir') : directory)) as mx.FileError;
    expect(isDir).toBeInstanceOf(mx.FileError);
    expect(isDir.code).toBe('EISDIR');
  });
});

describe('out-of-range labels: every class metric agrees (item 9)', () => {
  const scores = () => mx.nd.array([[0.1, 0.9], [0.8, 0.2]]);

  test.each([
    ['Accuracy', () => new mx.metric.Accuracy()],
    ['TopKAccuracy', () => new mx.metric.TopKAccuracy({ topK: 2 })],
    ['F1', () => new mx.metric.F1()],
    ['CrossEntropy', () => new mx.metric.CrossEntropy()],
    ['NegativeLogLikelihood', () => new mx.metric.NegativeLogLikelihood()],
    ['Perplexity', () => new mx.metric.Perplexity()],
  ])('%s: labels 2, -1 and NaN are a ValueError naming the value and the classes', (_name, make) => {
    for (const bad of [2, -1, NaN]) {
      const err = thrown(() => make().update([mx.nd.array([1, bad])], [scores()]));
      expect(err).toBeInstanceOf(mx.ValueError);
      expect(err.message).toContain(`hold class ${bad} at position 1, outside the 2 classes [0, 1]`);
    }
  });

  test('in-range labels score as before; Perplexity still skips its ignoreLabel', () => {
    const acc = new mx.metric.Accuracy();
    acc.update([mx.nd.array([1, 0])], [scores()]);
    expect(acc.get()[1]).toBe(1);
    const ppl = new mx.metric.Perplexity({ ignoreLabel: -1 });
    ppl.update([mx.nd.array([1, -1])], [scores()]);
    expect(ppl.get()[1]).toBeCloseTo(1 / 0.9, 5);
  });

  test('Accuracy on class-index predictions (same shape as labels) compares values as they are', () => {
    const acc = new mx.metric.Accuracy();
    acc.update([mx.nd.array([5, -1])], [mx.nd.array([5, 3])]);
    expect(acc.get()[1]).toBe(0.5);
  });
});

describe('long lists in messages are capped (item 11)', () => {
  test('"cannot decide shapes" puts the sentence first and lists 10 names, then "and N more"', () => {
    let net = x();
    for (let i = 0; i < 300; i++) net = mx.sym.FullyConnected(net, { num_hidden: 4, name: `layer${i}` });
    const err = thrown(() => net.inferShape({}));
    expect(err).toBeInstanceOf(mx.ShapeError);
    expect(err.message).toMatch(/^inferShape: cannot decide the shapes of 601 arguments \(x, layer0_weight, /);
    expect(err.message).toContain(', and 591 more)');
    expect(err.message.length).toBeLessThan(400);
  });

  test('listNames: 10 names then "and N more"', () => {
    const names = Array.from({ length: 25 }, (_, i) => `n${i}`);
    const err = thrown(() => x().simpleBind(mx.cpu(), { shapes: { x: [1] }, gradReq: { nope: 'write' } }));
    expect(err.message).toContain('arguments are x');
    const wide = mx.sym.Group(names.map((n) => mx.sym.Variable(n)));
    const missing = thrown(() => wide.bind(mx.cpu(), {}));
    expect(missing.message).toContain('n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, and 15 more');
  });
});
