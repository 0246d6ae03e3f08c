/** FactorScheduler and MultiFactorScheduler (MXNet lr_scheduler.py, with its warmup). */
import { ValueError } from '../../src/base/errors';
import { FactorScheduler, MultiFactorScheduler } from '../../src/lr_scheduler';

describe('FactorScheduler', () => {
  test('multiplies by factor every step updates (the first change after step + 1)', () => {
    const s = new FactorScheduler({ step: 3, factor: 0.5, baseLr: 1 });
    expect([1, 2, 3, 4, 5, 6, 7, 10].map((n) => s.lr(n))).toEqual([1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.125]);
  });

  test('never goes below stopFactorLr', () => {
    const s = new FactorScheduler({ step: 1, factor: 0.1, baseLr: 1, stopFactorLr: 0.005 });
    expect(s.lr(10)).toBe(0.005);
  });

  test('jumping ahead applies every missed step (MXNet loops)', () => {
    const s = new FactorScheduler({ step: 10, factor: 0.5, baseLr: 8 });
    expect(s.lr(35)).toBe(1);
  });

  test('linear and constant warmup', () => {
    const lin = new FactorScheduler({ step: 100, baseLr: 1, warmupSteps: 4, warmupBeginLr: 0.2 });
    expect([0, 1, 2, 3, 4].map((n) => lin.lr(n))).toEqual([0.2, 0.4, 0.6000000000000001, 0.8, 1]);
    const cst = new FactorScheduler({ step: 100, baseLr: 1, warmupSteps: 4, warmupBeginLr: 0.2, warmupMode: 'constant' });
    expect(cst.lr(3)).toBe(0.2);
  });

  test('bad step, factor and warmup are ValueErrors', () => {
    expect(() => new FactorScheduler({ step: 0 })).toThrow(ValueError);
    expect(() => new FactorScheduler({ step: 1, factor: 1.5 })).toThrow(/must be in \(0, 1\]/);
    expect(() => new FactorScheduler({ step: 1, baseLr: 0.1, warmupBeginLr: 0.5 })).toThrow(ValueError);
    expect(() => new FactorScheduler({ step: 1, warmupMode: 'cosine' as 'linear' })).toThrow(ValueError);
  });
});

describe('MultiFactorScheduler', () => {
  test('multiplies by factor after each listed update count', () => {
    const s = new MultiFactorScheduler({ step: [2, 5], factor: 0.1, baseLr: 1 });
    const rates = [1, 2, 3, 5, 6, 100].map((n) => s.lr(n));
    expect(rates[0]).toBe(1);
    expect(rates[1]).toBe(1);
    expect(rates[2]).toBeCloseTo(0.1, 12);
    expect(rates[3]).toBeCloseTo(0.1, 12);
    expect(rates[4]).toBeCloseTo(0.01, 12);
    expect(rates[5]).toBeCloseTo(0.01, 12);
  });

  test('steps must be increasing and at least 1', () => {
    expect(() => new MultiFactorScheduler({ step: [3, 3] })).toThrow(/must be increasing/);
    expect(() => new MultiFactorScheduler({ step: [0, 3] })).toThrow(ValueError);
    expect(() => new MultiFactorScheduler({ step: [] })).toThrow(ValueError);
  });
});
