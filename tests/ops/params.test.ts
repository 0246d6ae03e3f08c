import fc from 'fast-check';
import * as mx from 'mxts';
import { bool, enumOf, float, int, intTuple, optional, parseParams } from '../../src/ops/params';
import { pyStr } from '../../src/base/pystr';

const site = { op: 'TestOp', node: 'n0' };

describe('parameter parsing', () => {
  const schema = {
    scale: float({ doc: 'a scale', default: 1, min: 0 }),
    count: int({ doc: 'a count', min: 1 }),
    flag: bool({ doc: 'a flag', default: false }),
    mode: enumOf({ doc: 'a mode', values: ['null', 'batch', 'valid'], default: 'null' }),
    kernel: intTuple({ doc: 'a kernel', default: [] }),
    temperature: optional(float({ doc: 'maybe a temperature' })),
  };

  test('reads the string forms MXNet JSON stores', () => {
    const p = parseParams(schema, { scale: '2.5', count: '3', flag: 'True', mode: 'batch', kernel: '(3, 3)', temperature: 'None' }, site);
    expect(p).toEqual({ scale: 2.5, count: 3, flag: true, mode: 'batch', kernel: [3, 3], temperature: null });
  });

  test('fills defaults and freezes the result', () => {
    const p = parseParams(schema, { count: 1 }, site);
    expect(p.scale).toBe(1);
    expect(p.mode).toBe('null');
    expect(Object.isFrozen(p)).toBe(true);
  });

  test('a misspelt parameter gets a did-you-mean ParamError naming op, node and argument', () => {
    expect(() => parseParams(schema, { count: 1, scael: 2 }, site)).toThrow(mx.ParamError);
    expect(() => parseParams(schema, { count: 1, scael: 2 }, site)).toThrow("TestOp 'n0': scael is not a parameter of TestOp (did you mean 'scale'?)");
  });

  test('missing required parameters, wrong kinds and out-of-range values are ParamErrors', () => {
    expect(() => parseParams(schema, {}, site)).toThrow("TestOp 'n0': count is required");
    expect(() => parseParams(schema, { count: 1.5 }, site)).toThrow('count must be an integer');
    expect(() => parseParams(schema, { count: 1, scale: -1 }, site)).toThrow('scale must be in [0, inf]');
    expect(() => parseParams(schema, { count: 1, scale: 'abc' }, site)).toThrow('scale must be a number');
    expect(() => parseParams(schema, { count: 1, scale: Number.NaN }, site)).toThrow('finite');
    expect(() => parseParams(schema, { count: 1, flag: 'yes' }, site)).toThrow('flag must be a boolean');
    expect(() => parseParams(schema, { count: 1, mode: 'vaild' }, site)).toThrow("(did you mean 'valid'?)");
  });

  test('Python str() forms for JSON: True, (3, 3), 1e-05, -1.0 kept as given', () => {
    expect(pyStr(true)).toBe('True');
    expect(pyStr([3, 3])).toBe('(3, 3)');
    expect(pyStr([3])).toBe('(3,)');
    expect(pyStr(1e-5)).toBe('1e-05');
    expect(pyStr(0.3)).toBe('0.3');
    expect(pyStr(2)).toBe('2');
    expect(pyStr(1e16 + 0.5)).toBe('1e+16');
  });

  test('property: any finite float round-trips through its Python string form', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      expect(parseParams({ v: float({ doc: 'v' }) }, { v: pyStr(x) }, site).v).toBe(x === 0 ? 0 : x);
    }));
  });
});
