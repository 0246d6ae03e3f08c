/**
 * Fuzzing bind and simpleBind options and what follows (forward with feeds, backward, reshape,
 * copyParamsFrom): shapes, gradReq, argsGrad, auxStates and feeds made of hostile values, keyed
 * by hostile names (`__proto__`, `constructor`...), on a few small nets.
 */
import fc from 'fast-check';
import * as mx from 'mxts';
import { FUZZ_RUNS, fuzzParams, hostileName, hostileNumber, newStats, report, runCase, withFuzzBudget } from './harness';

const NETS: Record<string, () => mx.Symbol> = {
  fc: () => mx.sym.SoftmaxOutput(mx.sym.FullyConnected(mx.sym.Variable('data'), { num_hidden: 3, name: 'fc' }), { name: 'sm' }),
  bn: () => mx.sym.BatchNorm(mx.sym.Variable('data'), { name: 'bn' }),
  split: () => mx.sym.split(mx.sym.Variable('data'), { num_outputs: 2, axis: 0, name: 'sp' }),
  proto: () => mx.sym.MakeLoss(mx.sym.sum(mx.sym.Variable('__proto__').add(mx.sym.Variable('constructor'))), { name: 'loss' }),
};

const netName = fc.constantFrom(...Object.keys(NETS));
const argName = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('data', 'fc_weight', 'fc_bias', 'sm_label', 'bn_gamma', 'bn_moving_mean', '__proto__', 'constructor') }, { weight: 1, arbitrary: hostileName });
const dims = fc.oneof({ weight: 4, arbitrary: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: fc.array(hostileNumber, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) });
const anyValue = fc.oneof(fc.anything({ maxDepth: 2 }), hostileNumber, fc.constantFrom(null, undefined, true, 'write', 'add', 'null', 'wirte', '__proto__'));
const nullRecord = <T>(arb: fc.Arbitrary<T>) =>
  fc.array(fc.tuple(argName, arb), { maxLength: 4 }).map((entries) => {
    const out = Object.create(null) as Record<string, T>;
    for (const [k, v] of entries) out[k] = v;
    return out;
  });

const gradReq = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('write', 'add', 'null'),
  anyValue,
  nullRecord(fc.oneof(fc.constantFrom('write', 'add', 'null'), anyValue)),
  fc.array(fc.oneof(fc.constantFrom('write', 'add', 'null'), anyValue), { maxLength: 5 }),
);
const feedValue = fc.oneof(
  fc.array(fc.double(), { maxLength: 8 }),
  fc.float32Array({ maxLength: 8 }),
  fc.string({ maxLength: 4 }),
  anyValue,
  fc.array(fc.array(fc.oneof(fc.double(), fc.string({ maxLength: 2 })), { maxLength: 3 }), { maxLength: 3 }),
);

describe(`fuzz: bind options (${FUZZ_RUNS} cases)`, () => {
  withFuzzBudget();
  const stats = newStats();
  afterAll(() => report('bind options', stats));

  /** Shapes that fit each net, so most cases get past binding to forward and backward. */
  const VALID_SHAPES: Record<string, Record<string, number[]>> = {
    fc: { data: [2, 3] },
    bn: { data: [2, 3] },
    split: { data: [4, 3] },
    proto: { __proto__: [2, 2], constructor: [2, 2] } as unknown as Record<string, number[]>,
  };
  const validShapes = (name: string) => {
    const out = Object.create(null) as Record<string, number[]>;
    if (name === 'proto') {
      out['__proto__'] = [2, 2];
      out['constructor'] = [2, 2];
    } else Object.assign(out, VALID_SHAPES[name]);
    return out;
  };

  test('simpleBind / forward / backward / reshape: only MXNetErrors escape; no prototype is touched', () => {
    const mode = fc.constantFrom('valid', 'valid', 'valid', 'hostile');
    fc.assert(
      fc.property(netName, mode, nullRecord(dims), mode, gradReq, mode, nullRecord(feedValue), fc.option(nullRecord(dims), { nil: undefined }), (name, shapeMode, shapes, reqMode, req, feedMode, feeds, reshapeTo) => {
        runCase(stats, () => {
          const net = NETS[name]!();
          const exec = net.simpleBind(mx.cpu(), { shapes: (shapeMode === 'valid' ? validShapes(name) : shapes) as never, gradReq: (reqMode === 'valid' ? 'write' : req) as never });
          void exec.argDict, exec.gradDict, exec.auxDict;
          const validFeeds = Object.create(null) as Record<string, Float32Array>;
          for (const [arg, array] of Object.entries(exec.argDict)) validFeeds[arg] = Float32Array.from(array.data, (_, i) => (i % 3) / 3);
          exec.forward(true, (feedMode === 'valid' ? validFeeds : feeds) as never);
          exec.backward(exec.outputs.map((o) => mx.nd.onesLike(o)));
          if (reshapeTo) exec.reshape(reshapeTo as never, { allowUpSizing: true, partialShaping: true }).forward(false);
        });
      }),
      fuzzParams(6),
    );
  });

  test('bind with hostile args, argsGrad and auxStates; copyParamsFrom with hostile records', () => {
    const arrays = fc.oneof(nullRecord(fc.oneof(dims.map((d) => (Array.isArray(d) && d.every((x) => Number.isInteger(x) && x >= 0 && x < 6) ? mx.nd.ones(d as number[]) : d)), anyValue)), fc.array(anyValue, { maxLength: 4 }), anyValue);
    fc.assert(
      fc.property(netName, arrays, fc.option(arrays, { nil: undefined }), fc.option(arrays, { nil: undefined }), gradReq, arrays, (name, args, argsGrad, auxStates, req, params) => {
        runCase(stats, () => {
          const net = NETS[name]!();
          const options = Object.create(null) as Record<string, unknown>;
          if (argsGrad !== undefined) options['argsGrad'] = argsGrad;
          if (auxStates !== undefined) options['auxStates'] = auxStates;
          if (req !== undefined) options['gradReq'] = req;
          const exec = net.bind(mx.cpu(), args as never, options as never);
          exec.copyParamsFrom(params as never, undefined, true);
          exec.forward(true);
        });
      }),
      fuzzParams(7),
    );
  });
});
