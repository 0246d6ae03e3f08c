/**
 * Issue 12 item 6: variables named after Object.prototype properties (`__proto__`, `constructor`,
 * `toString`, ...) are ordinary names in every record keyed by user-chosen names.
 */
import * as mx from 'mxts';

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype);

/** A prototype-free record (a literal `{__proto__: x}` would set the prototype instead). */
function record<T>(entries: [string, T][]): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** sum_i (v_i * i+1): every variable is an argument with a distinct gradient. */
function weightedSum(names: readonly string[]): mx.Symbol {
  let total: mx.Symbol | null = null;
  names.forEach((name, i) => {
    const term = mx.sym.Variable(name).mul(i + 1);
    total = total ? total.add(term) : term;
  });
  return mx.sym.MakeLoss(mx.sym.sum(total!), { name: 'loss' });
}

const protoSnapshot = () => Object.getOwnPropertyNames(Object.prototype).sort();

describe('names as keys (issue 12 item 6)', () => {
  const before = protoSnapshot();
  afterEach(() => expect(protoSnapshot()).toEqual(before));

  test('the test covers __proto__, constructor and toString', () => {
    expect(PROTO_NAMES).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']));
  });

  test('bind: argDict and gradDict hold every variable named after an Object.prototype property', () => {
    const net = weightedSum(PROTO_NAMES);
    expect(net.listArguments()).toEqual(PROTO_NAMES);
    const args = record(PROTO_NAMES.map((n, i) => [n, mx.nd.full([2], i)]));
    const exec = net.bind(mx.cpu(), args);
    expect(Object.keys(exec.argDict)).toEqual(PROTO_NAMES);
    for (const name of PROTO_NAMES) {
      expect(Object.prototype.hasOwnProperty.call(exec.argDict, name)).toBe(true);
      expect(exec.argDict[name]).toBeInstanceOf(mx.NDArray);
    }
    exec.forward(true);
    exec.backward();
    // d(loss)/d(v_i) = i + 1 for every element.
    PROTO_NAMES.forEach((name, i) => expect(Array.from(exec.gradDict[name]!.data)).toEqual([i + 1, i + 1]));
    expect(Object.keys(exec.gradDict)).toEqual(PROTO_NAMES);
  });

  test('simpleBind: shapes and gradReq records keyed by these names', () => {
    const net = weightedSum(PROTO_NAMES);
    const shapes = record(PROTO_NAMES.map((n): [string, number[]] => [n, [3]]));
    // Only 'constructor' and 'toString' get gradients; the rest are left out (so 'null').
    const gradReq = record<mx.GradReq>([['constructor', 'write'], ['toString', 'add']]);
    const exec = net.simpleBind(mx.cpu(), { shapes, gradReq });
    expect(exec.gradReqs).toEqual(PROTO_NAMES.map((n) => (n === 'constructor' ? 'write' : n === 'toString' ? 'add' : 'null')));
    expect(Object.keys(exec.gradDict).sort()).toEqual(['constructor', 'toString']);
    expect(exec.argDict['__proto__']!.shape).toEqual([3]);
  });

  test('gradReq records: an inherited name is not a request ({} has no own "constructor")', () => {
    const net = weightedSum(['constructor', 'toString']);
    const exec = net.simpleBind(mx.cpu(), { shapes: { constructor: [1], toString: [1] } as Record<string, number[]>, gradReq: {} });
    expect(exec.gradReqs).toEqual(['null', 'null']);
  });

  test('forward feeds, copyParamsFrom and outputDict with these names', () => {
    const net = weightedSum(PROTO_NAMES);
    const exec = net.simpleBind(mx.cpu(), { shapes: record(PROTO_NAMES.map((n): [string, number[]] => [n, [1]])) });
    exec.copyParamsFrom(record(PROTO_NAMES.map((n) => [n, mx.nd.ones([1])])));
    const [loss] = exec.forward(false, record([['__proto__', [2]]]));
    const expected = PROTO_NAMES.reduce((s, n, i) => s + (i + 1) * (n === '__proto__' ? 2 : 1), 0);
    expect(loss!.data[0]).toBe(expected);
    expect(Object.keys(exec.outputDict)).toEqual(['loss_output']);
  });

  test('Module: bind, initParams, forward, backward, update and getParams', () => {
    const [dataName, ...paramNames] = PROTO_NAMES;
    const net = weightedSum(PROTO_NAMES);
    const mod = new mx.mod.Module({ symbol: net, dataNames: [dataName!], labelNames: [], logger: { info: () => {}, warn: () => {} } });
    expect([...mod.paramNames]).toEqual(paramNames);
    mod.bind(record([[dataName!, [2]]]));
    mod.initParams({ initializer: null, argParams: record(paramNames.map((n) => [n, mx.nd.ones([2])])) });
    mod.initOptimizer({ optimizer: 'sgd', optimizerParams: { learning_rate: 0.5 } });
    mod.forward({ data: [mx.nd.ones([2])] }, true);
    mod.backward();
    mod.update();
    const [argParams] = mod.getParams();
    expect(Object.keys(argParams)).toEqual(paramNames);
    // SGD with rescale_grad 1/batch (batch 2): w = 1 - 0.5 * (i + 1) / 2 for the parameter at index i.
    paramNames.forEach((name) => {
      const i = PROTO_NAMES.indexOf(name);
      expect(argParams[name]!.data[0]).toBeCloseTo(1 - (0.5 * (i + 1)) / 2, 6);
    });
  });

  test('mx.nd.loadBytes keeps every name', () => {
    const saved = mx.nd.saveBytes(record(PROTO_NAMES.map((n, i) => [n, mx.nd.full([1], i)])));
    const loaded = mx.nd.loadBytes(saved) as Record<string, mx.NDArray>;
    expect(Object.keys(loaded)).toEqual(PROTO_NAMES);
    PROTO_NAMES.forEach((n, i) => expect(loaded[n]!.data[0]).toBe(i));
  });

  test('metrics pick labels and outputs by own names only', () => {
    const metric = new mx.metric.MSE({ labelNames: ['toString'], outputNames: ['constructor'] });
    expect(() => metric.updateDict({}, {})).toThrow(mx.MXNetError);
    metric.updateDict(record([['toString', mx.nd.array([1, 2])]]), record([['constructor', mx.nd.array([1, 4])]]));
    expect(metric.get()[1]).toBeCloseTo(2, 6);
  });

  test('optimizer multipliers: a parameter named toString gets multiplier 1, not a function', () => {
    const opt = mx.optimizer.create('sgd', { learning_rate: 0.1, paramIdx2Name: ['toString', 'constructor'] });
    const w = mx.nd.ones([1]);
    opt.update('toString', w, mx.nd.ones([1]), opt.createState('toString', w));
    expect(w.data[0]).toBeCloseTo(0.9, 6);
  });
});
