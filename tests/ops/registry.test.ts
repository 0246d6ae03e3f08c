import * as mx from 'mxts';
import { registeredNames, registerOp, getOp } from '../../src/ops/registry';
import { MULTI_OUTPUT_OPS, SINGLE_OUTPUT_OPS } from '../../src/ops/op_names';

describe('operator registry', () => {
  test('the typed front-end name list matches the registry exactly', () => {
    const listed = new Set<string>([...SINGLE_OUTPUT_OPS, ...(MULTI_OUTPUT_OPS as readonly string[])]);
    const registered = new Set(registeredNames().keys());
    expect([...registered].filter((n) => !listed.has(n)).sort()).toEqual([]);
    expect([...listed].filter((n) => !registered.has(n)).sort()).toEqual([]);
  });

  test('every registered name is callable from mx.nd and mx.sym', () => {
    const nd = mx.nd as unknown as Record<string, unknown>;
    const sym = mx.sym as unknown as Record<string, unknown>;
    for (const name of registeredNames().keys()) {
      expect(typeof nd[name]).toBe('function');
      expect(typeof sym[name]).toBe('function');
    }
  });

  test('every op documents its formula and declares its inputs and outputs', () => {
    for (const [name, def] of registeredNames()) {
      expect(def.doc.length).toBeGreaterThan(10);
      expect(def.name === name || (def.aliases ?? []).includes(name)).toBe(true);
    }
  });

  test('registering a name twice throws', () => {
    expect(() => registerOp(getOp('sigmoid'))).toThrow(/registered twice/);
  });

  test('an unknown op name suggests the closest one', () => {
    expect(() => getOp('SoftmaxOuput')).toThrow(/did you mean 'SoftmaxOutput'/);
  });

  test('aliases resolve to the canonical definition (Softmax is SoftmaxOutput, _Plus is elemwise_add)', () => {
    expect(getOp('Softmax')).toBe(getOp('SoftmaxOutput'));
    expect(getOp('_Plus')).toBe(getOp('elemwise_add'));
    expect(getOp('stop_gradient')).toBe(getOp('BlockGrad'));
  });
});
