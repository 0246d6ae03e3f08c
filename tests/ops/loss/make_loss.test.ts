import fc from 'fast-check';
import { ParamError } from '../../../src/base/errors';
import { seed } from '../../../src/base/random';
import { nd, NDArray } from '../../../src/ndarray/index';
import { makeLossOps } from '../../../src/ops/loss/make_loss';
import { parseParams } from '../../../src/ops/params';
import { getOp } from '../../../src/ops/registry';
import type { AnyOpDef, Req } from '../../../src/ops/types';
import { numericGradient } from '../../../src/test_utils/numeric';
import { expectClose, F32, NUMERIC } from '../../helpers/close';
import { testContext } from '../../helpers/backends';

type Name = 'MakeLoss' | 'make_loss' | 'BlockGrad';
type Given = Record<string, unknown>;
const CTX = testContext();
const opDef = (name: Name): AnyOpDef => makeLossOps.find((d) => d.name === name)!;

interface BackwardOptions { req?: Req; grad?: NDArray; head?: NDArray }

/** Forward through mx.nd, then the op's backward with a head gradient it must ignore. */
function backward(name: Name, data: NDArray, given: Given = {}, options: BackwardOptions = {}): NDArray {
  const def = opDef(name);
  const out = nd[name](data, given);
  const grad = options.grad ?? nd.zeros(data.shape);
  const head = options.head ?? nd.random.uniform(-3, 3, out.shape);
  def.backward!.compute(parseParams(def.params, given, { op: name }), { inputs: [data], outputs: [out], outGrads: [head] }, [grad], [options.req ?? 'write'], CTX);
  return grad;
}

const constant = (shape: number[], value: number) => new Array(shape.reduce((a, b) => a * b, 1)).fill(value);

beforeEach(() => seed(3));

describe('MakeLoss, make_loss, BlockGrad: definitions and forward', () => {
  it('registers the MXNet names, the stop_gradient alias and the output names', () => {
    expect(getOp('MakeLoss')).toBe(opDef('MakeLoss'));
    expect(getOp('make_loss')).toBe(opDef('make_loss'));
    expect(getOp('stop_gradient')).toBe(opDef('BlockGrad'));
    expect(opDef('MakeLoss').outputs({})).toEqual(['output']);
    expect(opDef('make_loss').outputs({})).toEqual(['loss']);
    expect(opDef('BlockGrad').outputs({})).toEqual(['output']);
    expect(parseParams(opDef('MakeLoss').params, {}, { op: 'MakeLoss' })).toEqual({ grad_scale: 1, valid_thresh: 0, normalization: 'null' });
  });

  it('none of them reads the head gradient', () => {
    for (const name of ['MakeLoss', 'make_loss', 'BlockGrad'] as const) expect(opDef(name).backward!.usesOutGrads).toBe(false);
  });

  it.each(['MakeLoss', 'make_loss', 'BlockGrad', 'stop_gradient'] as const)('%s forward is the identity', (name) => {
    const x = nd.random.uniform(-1, 1, [10, 10]);
    expect(Array.from(nd[name](x).data)).toEqual(Array.from(x.data));
  });
});

describe('MakeLoss gradient: a constant set by normalization', () => {
  it("null gives grad_scale everywhere, whatever the data or head gradient", () => {
    expectClose(backward('MakeLoss', nd.random.uniform(-1, 1, [4, 3]), { grad_scale: 2.5 }).data, constant([4, 3], 2.5), 0, 0);
  });

  it('batch divides by the rows of the 2-d flattening: n for (n,k), n*t for (n,t,k), 1 for (n,) (MXNet FlatTo2D)', () => {
    expectClose(backward('MakeLoss', nd.zeros([4, 3]), { grad_scale: 2.5, normalization: 'batch' }).data, constant([4, 3], 2.5 / 4), F32.rtol, F32.atol);
    expectClose(backward('MakeLoss', nd.zeros([2, 3, 4]), { normalization: 'batch' }).data, constant([2, 3, 4], 1 / 6), F32.rtol, F32.atol);
    expectClose(backward('MakeLoss', nd.zeros([5]), { normalization: 'batch' }).data, constant([5], 1), 0, 0);
  });

  it('valid divides by the count of elements strictly above valid_thresh, at least 1', () => {
    const data = nd.array([[-1, 0, 0.5], [2, 0.1, 0]]);
    expectClose(backward('MakeLoss', data, { grad_scale: 2.5, normalization: 'valid' }).data, constant([2, 3], 2.5 / 3), F32.rtol, F32.atol);
    expectClose(backward('MakeLoss', data, { normalization: 'valid', valid_thresh: 0.1 }).data, constant([2, 3], 1 / 2), F32.rtol, F32.atol);
    expectClose(backward('MakeLoss', data, { normalization: 'valid', valid_thresh: 5 }).data, constant([2, 3], 1), 0, 0);
  });

  it.each(['null', 'batch'] as const)('matches the numeric gradient of grad_scale * sum(out) / divisor (%s)', (normalization) => {
    const data = nd.random.uniform(-1, 1, [3, 4]);
    const divisor = normalization === 'batch' ? 3 : 1;
    const loss = (x: Float64Array) => (0.7 * nd.MakeLoss(nd.array(Float32Array.from(x), { shape: [3, 4] })).data.reduce((a, b) => a + b, 0)) / divisor;
    const numeric = numericGradient(loss, Float64Array.from(data.data));
    expectClose(backward('MakeLoss', data, { grad_scale: 0.7, normalization }).data, numeric, NUMERIC.rtol, NUMERIC.atol);
  });
});

describe('make_loss and BlockGrad gradients', () => {
  it('make_loss gives ones, the gradient of sum(out)', () => {
    const data = nd.random.uniform(-1, 1, [2, 5]);
    const grad = backward('make_loss', data);
    expectClose(grad.data, constant([2, 5], 1), 0, 0);
    const numeric = numericGradient((x) => nd.make_loss(nd.array(Float32Array.from(x), { shape: [2, 5] })).data.reduce((a, b) => a + b, 0), Float64Array.from(data.data));
    expectClose(grad.data, numeric, NUMERIC.rtol, NUMERIC.atol);
  });

  it("MXNet test_bucket_module_grad_req: make_loss(broadcast_mul(data, a)) gives grad(a) = 2, then 4 with 'add'", () => {
    const data = nd.ones([2]);
    const a = nd.ones([1]);
    const product = nd.broadcast_mul(data, a);
    const loss = nd.make_loss(product);
    const gradA = nd.zeros([1]);
    const step = (req: Req) => {
      const dProduct = nd.zeros([2]);
      opDef('make_loss').backward!.compute({}, { inputs: [product], outputs: [loss], outGrads: [nd.zeros([2])] }, [dProduct], ['write'], CTX);
      getOp('broadcast_mul').backward!.compute({}, { inputs: [data, a], outputs: [product], outGrads: [dProduct] }, [null, gradA], ['null', req], CTX);
    };
    step('write');
    expect(gradA.data[0]).toBe(2);
    step('write');
    expect(gradA.data[0]).toBe(2);
    gradA.set(0);
    step('add');
    expect(gradA.data[0]).toBe(2);
    step('add');
    expect(gradA.data[0]).toBe(4);
  });

  it("BlockGrad writes zeros under 'write' and leaves the buffer under 'add' and 'null'", () => {
    const data = nd.random.uniform(-1, 1, [3, 3]);
    for (const name of ['BlockGrad'] as const) {
      expectClose(backward(name, data, {}, { grad: nd.full([3, 3], 4) }).data, constant([3, 3], 0), 0, 0);
      expectClose(backward(name, data, {}, { grad: nd.full([3, 3], 4), req: 'add' }).data, constant([3, 3], 4), 0, 0);
      expectClose(backward(name, data, {}, { grad: nd.full([3, 3], 4), req: 'null' }).data, constant([3, 3], 4), 0, 0);
    }
  });
});

describe('write requests', () => {
  const cases = fc.constantFrom<[Name, Given]>(
    ['MakeLoss', {}], ['MakeLoss', { normalization: 'batch', grad_scale: 3 }], ['MakeLoss', { normalization: 'valid', valid_thresh: -0.2 }],
    ['make_loss', {}], ['BlockGrad', {}],
  );

  it("'add' twice from zeros equals twice 'write', and 'add' onto old values gives old + grad", () => {
    fc.assert(fc.property(cases, fc.integer(), fc.constantFrom([4], [2, 3], [2, 2, 3]), ([name, given], s, shape) => {
      seed(s);
      const data = nd.random.uniform(-1, 1, shape);
      const written = backward(name, data, given);
      const twice = nd.zeros(shape);
      backward(name, data, given, { req: 'add', grad: twice });
      backward(name, data, given, { req: 'add', grad: twice });
      expectClose(twice.data, Array.from(written.data, (g) => 2 * g), 0, 0);
      const old = nd.random.uniform(-1, 1, shape);
      expectClose(backward(name, data, given, { req: 'add', grad: old.copy() }).data, Array.from(old.data, (o, i) => o + written.data[i]!), F32.rtol, F32.atol);
    }), { numRuns: 40 });
  });

  it.each(['MakeLoss', 'make_loss', 'BlockGrad'] as const)("%s: 'null' leaves the buffer untouched", (name) => {
    expectClose(backward(name, nd.ones([2, 2]), {}, { req: 'null', grad: nd.full([2, 2], -6) }).data, constant([2, 2], -6), 0, 0);
  });
});

describe('bad input', () => {
  it('MakeLoss rejects misspelt parameters and unknown normalization values with suggestions', () => {
    // @ts-expect-error misspelt parameter
    expect(() => nd.MakeLoss(nd.ones([2]), { grad_scal: 1 })).toThrow(ParamError);
    // @ts-expect-error misspelt parameter
    expect(() => nd.MakeLoss(nd.ones([2]), { grad_scal: 1 })).toThrow("did you mean 'grad_scale'?");
    // @ts-expect-error misspelt enum value
    expect(() => nd.MakeLoss(nd.ones([2]), { normalization: 'vaild' })).toThrow("normalization must be one of 'null', 'batch', 'valid', got 'vaild' (did you mean 'valid'?)");
  });

  it.each(['make_loss', 'BlockGrad', 'stop_gradient'] as const)('%s takes no parameters', (name) => {
    // @ts-expect-error these ops take no parameters
    expect(() => nd[name](nd.ones([2]), { grad_scale: 2 })).toThrow(ParamError);
    // @ts-expect-error these ops take no parameters
    expect(() => nd[name](nd.ones([2]), { grad_scale: 2 })).toThrow(`grad_scale is not a parameter of ${name}; it takes no parameters`);
  });

  it.each(['MakeLoss', 'make_loss', 'BlockGrad'] as const)('%s leaves its input and head gradient untouched', (name) => {
    const data = nd.random.uniform(-1, 1, [3, 2]);
    const head = nd.random.uniform(-1, 1, [3, 2]);
    const copies = [Array.from(data.data), Array.from(head.data)];
    backward(name, data, name === 'MakeLoss' ? { normalization: 'valid' } : {}, { head, req: 'add' });
    expect([Array.from(data.data), Array.from(head.data)]).toEqual(copies);
  });
});
